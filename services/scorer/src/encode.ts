// Avro framing for the scorer's output records: the same bytes as Codecs.encode (Confluent header +
// Avro body), written by avsc's Type.encode straight into a reused buffer instead of a fresh
// Buffer per record. Values avsc rejects end in Codecs.encode, which throws the contract error.
import type { Type } from 'avsc';
import type { Codecs } from '@cs/contracts';
import { writeRecordHead, type OutMessage } from './outbox-format.ts';

export type OutputTopic = 'appraisal' | 'eligibility' | 'teamScorecard';

/** A record's topic tag in an outbox block (OutMessage['t']). */
const TAG = { appraisal: 'a', eligibility: 'e', teamScorecard: 't' } as const satisfies Record<OutputTopic, OutMessage['t']>;

interface TopicWriter {
  /** Codecs.encode: union topics (the branch index comes first; not the output topics today), and a topic without a schema id yet (it throws). */
  encode: ((value: object) => Buffer) | undefined;
  type: Type;
  schemaId: number;
}

function topicWriter(codecs: Codecs, topic: OutputTopic): TopicWriter {
  const union = codecs.kinds(topic).length > 0;
  const type = codecs.type(topic);
  const schemaId = codecs.schemaId(topic);
  return {
    // Id 0: a registry has not given this topic's schema an id (registerSchemas). Codecs.encode
    // refuses that with its error; framing the records here would write id 0 that nobody can read.
    encode: union || schemaId === 0 ? (value: object) => codecs.encode(topic, value) : undefined,
    type,
    schemaId,
  };
}

/**
 * Writes the Avro body of `value` at `pos`: the end position, or a number > buf.length when the
 * buffer is too small; throws when avsc cannot encode the value either.
 */
function writeBody(w: TopicWriter, value: object, buf: Buffer, pos: number): number {
  const end = w.type.encode(value, buf, pos);
  return end < 0 ? buf.length - end : end;
}

export function outputEncoder(codecs: Codecs, topic: OutputTopic): (value: object) => Buffer {
  const w = topicWriter(codecs, topic);
  if (w.encode) return w.encode;
  let scratch = Buffer.allocUnsafe(64 * 1024);
  scratch[0] = 0; // magic byte
  scratch.writeUInt32BE(w.schemaId, 1);
  return (value) => {
    let end: number;
    try {
      end = writeBody(w, value, scratch, 5);
      if (end > scratch.length) {
        const bigger = Buffer.allocUnsafe(2 * end);
        scratch.copy(bigger, 0, 0, 5);
        scratch = bigger;
        end = writeBody(w, value, scratch, 5);
      }
    } catch {
      return codecs.encode(topic, value);
    }
    if (end > scratch.length) return codecs.encode(topic, value);
    const out = Buffer.allocUnsafe(end);
    scratch.copy(out, 0, 0, end);
    return out;
  };
}

/**
 * One chunk of an outbox as a single value ("b:<j>"): records back to back, each a uint32 BE
 * length followed by the packed record (packMessage). The whole chunk is one Redis field instead
 * of one field per record; the Avro values handed to Kafka are views of the same memory.
 */
export class OutboxBlockWriter {
  private buf: Buffer;
  private pos = 0;
  private readonly types: Record<OutputTopic, TopicWriter>;

  constructor(
    private readonly codecs: Codecs,
    private readonly initialBytes = 16 * 1024 * 1024,
  ) {
    this.types = { appraisal: topicWriter(codecs, 'appraisal'), eligibility: topicWriter(codecs, 'eligibility'), teamScorecard: topicWriter(codecs, 'teamScorecard') };
    this.buf = Buffer.allocUnsafeSlow(initialBytes);
  }

  /** Appends one record; returns its Avro value (Confluent-framed; a view, valid for good). */
  add(topic: OutputTopic, key: string, value: object): Buffer {
    const t = this.types[topic];
    const keyBytes = Buffer.byteLength(key, 'utf8');
    const head = 4 + 3 + keyBytes;
    if (t.encode) return this.copyIn(topic, key, keyBytes, t.encode(value));
    for (;;) {
      this.ensure(head + 5 + 256);
      const start = this.pos;
      const b = this.buf;
      let end: number;
      try {
        end = writeBody(t, value, b, start + head + 5);
      } catch {
        return this.copyIn(topic, key, keyBytes, this.codecs.encode(topic, value)); // throws the contract error
      }
      if (end > b.length) {
        this.ensure(end - start);
        continue;
      }
      b.writeUInt32BE(end - start - 4, start);
      writeRecordHead(b, start + 4, TAG[topic], key, keyBytes);
      b[start + head] = 0; // magic byte
      b.writeUInt32BE(t.schemaId, start + head + 1);
      this.pos = end;
      return b.subarray(start + head, end);
    }
  }

  /** The chunk written since the last call (a view); the next records go to fresh memory. */
  take(): Buffer {
    const out = this.buf.subarray(0, this.pos);
    this.buf = Buffer.allocUnsafeSlow(Math.max(this.initialBytes, 1024));
    this.pos = 0;
    return out;
  }

  private copyIn(topic: OutputTopic, key: string, keyBytes: number, v: Buffer): Buffer {
    const head = 4 + 3 + keyBytes;
    this.ensure(head + v.length);
    const start = this.pos;
    this.buf.writeUInt32BE(head - 4 + v.length, start);
    writeRecordHead(this.buf, start + 4, TAG[topic], key, keyBytes);
    v.copy(this.buf, start + head);
    this.pos = start + head + v.length;
    return this.buf.subarray(start + head, this.pos);
  }

  /** Room for n more bytes; a larger buffer gets what was written (earlier views keep the old memory, same bytes). */
  private ensure(n: number): void {
    if (this.buf.length - this.pos >= n) return;
    const bigger = Buffer.allocUnsafeSlow(Math.max(2 * this.buf.length, this.pos + 2 * n));
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = bigger;
  }
}
