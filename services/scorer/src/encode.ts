// Fast Avro framing for the scorer's output records: the same bytes as Codecs.encode (Confluent
// header + avsc body), written through one reusable scratch buffer. avsc's toBuffer encodes into a
// shared 1 KiB buffer and, for anything larger (a scorecard is ~1.7 KiB), encodes a second time;
// this encodes once. Invalid values fall back to Codecs.encode, which throws the contract error.
import type { Codecs } from '@cs/contracts';

export type OutputTopic = 'appraisal' | 'eligibility';

export function outputEncoder(codecs: Codecs, topic: OutputTopic): (value: object) => Buffer {
  const type = codecs.type(topic);
  if (codecs.kinds(topic).length > 0) return (value) => codecs.encode(topic, value);
  let scratch = Buffer.allocUnsafe(64 * 1024);
  scratch[0] = 0; // magic byte
  scratch.writeUInt32BE(codecs.schemaId(topic), 1);
  return (value) => {
    let end: number;
    try {
      end = type.encode(value, scratch, 5);
      if (end < 0) {
        const bigger = Buffer.allocUnsafe(2 * (scratch.length - end));
        scratch.copy(bigger, 0, 0, 5);
        scratch = bigger;
        end = type.encode(value, scratch, 5);
      }
    } catch {
      return codecs.encode(topic, value);
    }
    if (end < 0) return codecs.encode(topic, value);
    const out = Buffer.allocUnsafe(end);
    scratch.copy(out, 0, 0, end);
    return out;
  };
}

/**
 * Outbox records ('a'|'e', key length uint16 BE, key, Confluent-framed Avro; see packMessage)
 * written back to back into large blocks: one record costs two views of its block (the packed
 * record for Redis and the Avro value for Kafka) instead of two small Buffers and two copies.
 * The bytes are those of packMessage({ t, k, v: outputEncoder(...)(value) }).
 */
export class OutboxArena {
  private block: Buffer = Buffer.alloc(0);
  private pos = 0;
  private readonly types: Record<OutputTopic, { encode: ((value: object) => Buffer) | undefined; type: ReturnType<Codecs['type']>; schemaId: number }>;

  constructor(
    private readonly codecs: Codecs,
    private readonly blockBytes = 8 * 1024 * 1024,
  ) {
    const entry = (topic: OutputTopic) => ({
      encode: codecs.kinds(topic).length > 0 ? (value: object) => codecs.encode(topic, value) : undefined,
      type: codecs.type(topic),
      schemaId: codecs.schemaId(topic),
    });
    this.types = { appraisal: entry('appraisal'), eligibility: entry('eligibility') };
  }

  /** Appends one record; returns the packed record and its Avro value (views of the block). */
  add(topic: OutputTopic, key: string, value: object): { packed: Buffer; value: Buffer } {
    const keyBytes = Buffer.byteLength(key, 'utf8');
    const head = 3 + keyBytes;
    const t = this.types[topic];
    if (t.encode) return this.copyIn(topic, key, keyBytes, t.encode(value));
    for (let attempt = 0; attempt < 2; attempt++) {
      if (this.block.length - this.pos < head + 5 + 1024) this.grow(head + 5 + 64 * 1024);
      const start = this.pos;
      const b = this.block;
      let end: number;
      try {
        end = t.type.encode(value, b, start + head + 5);
      } catch {
        return this.copyIn(topic, key, keyBytes, this.codecs.encode(topic, value)); // throws the contract error
      }
      if (end < 0) {
        // Not enough room: -end more bytes are needed; a fresh block of at least that.
        this.grow(head + 5 + (b.length - end));
        continue;
      }
      this.writeHead(b, start, topic, key, keyBytes);
      b[start + head] = 0; // magic byte
      b.writeUInt32BE(t.schemaId, start + head + 1);
      this.pos = end;
      return { packed: b.subarray(start, end), value: b.subarray(start + head, end) };
    }
    return this.copyIn(topic, key, keyBytes, this.codecs.encode(topic, value));
  }

  private writeHead(b: Buffer, start: number, topic: OutputTopic, key: string, keyBytes: number): void {
    b[start] = topic === 'appraisal' ? 0x61 : 0x65;
    b.writeUInt16BE(keyBytes, start + 1);
    b.write(key, start + 3, keyBytes, 'utf8');
  }

  private copyIn(topic: OutputTopic, key: string, keyBytes: number, v: Buffer): { packed: Buffer; value: Buffer } {
    const head = 3 + keyBytes;
    if (this.block.length - this.pos < head + v.length) this.grow(head + v.length);
    const start = this.pos;
    this.writeHead(this.block, start, topic, key, keyBytes);
    v.copy(this.block, start + head);
    this.pos = start + head + v.length;
    return { packed: this.block.subarray(start, this.pos), value: this.block.subarray(start + head, this.pos) };
  }

  private grow(atLeast: number): void {
    this.block = Buffer.allocUnsafeSlow(Math.max(this.blockBytes, atLeast));
    this.pos = 0;
  }
}
