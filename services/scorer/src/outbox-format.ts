// The outbox of a FINAL/REVISED publication as stored in Redis (hash `<p>:{scorer}:outbox:<periodId>`):
//   "w"     write token of the write that owns it
//   "b:<j>" the records of chunk j: Brotli (quality 1) of back-to-back uint32 BE length + record,
//           a record being 'a'|'e'|'t', key length (uint16 BE), key, Avro bytes (OutboxBlockWriter)
//   "p:<j>" JSON object staffId -> Published of chunk j
//   "meta"  OutboxMeta JSON, written last, when sealed
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { PeriodState, Published } from './model.ts';

/** A record to send: topic 'a' (appraisal), 'e' (eligibility) or 't' (team scorecard), key, Avro bytes. */
export type OutMessage = { t: 'a' | 'e' | 't'; k: string; v: Buffer };

export interface OutboxMeta {
  periodId: string;
  status: 'FINAL' | 'REVISED';
  /** period state to commit once sent */
  next: PeriodState;
  /** records in the blocks (cards and eligibility) */
  messages: number;
  /** fields "b:0" … "b:<blocks − 1>" */
  blocks: number;
  /** fields "p:0" … "p:<publishedChunks − 1>" */
  publishedChunks: number;
  createdAt: number;
}

export const blockField = (j: number) => `b:${j}`;
export const publishedField = (j: number) => `p:${j}`;

/** A record's head in a block: 'a'|'e'|'t', key length (uint16 BE), key (UTF-8). */
export function writeRecordHead(b: Buffer, start: number, t: OutMessage['t'], key: string, keyBytes: number): void {
  b[start] = t.charCodeAt(0);
  b.writeUInt16BE(keyBytes, start + 1);
  if (keyBytes === key.length) for (let i = 0; i < keyBytes; i++) b[start + 3 + i] = key.charCodeAt(i);
  else b.write(key, start + 3, keyBytes, 'utf8');
}

/** One record as OutboxBlockWriter frames it (without the length): the reference layout. */
export function packMessage(m: OutMessage): Buffer {
  const keyBytes = Buffer.byteLength(m.k, 'utf8');
  const b = Buffer.allocUnsafe(3 + keyBytes + m.v.length);
  writeRecordHead(b, 0, m.t, m.k, keyBytes);
  m.v.copy(b, 3 + keyBytes);
  return b;
}

/** Records as one block (the layout unpackBlock reads), in one fresh buffer of its own. */
export function packBlock(messages: readonly OutMessage[]): Buffer {
  const keyBytes = messages.map((m) => Buffer.byteLength(m.k, 'utf8'));
  let size = 0;
  for (let i = 0; i < messages.length; i++) size += 7 + keyBytes[i]! + messages[i]!.v.length;
  const b = Buffer.allocUnsafeSlow(size);
  let p = 0;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    const head = 3 + keyBytes[i]!;
    b.writeUInt32BE(head + m.v.length, p);
    writeRecordHead(b, p + 4, m.t, m.k, keyBytes[i]!);
    m.v.copy(b, p + 4 + head);
    p += 4 + head + m.v.length;
  }
  return b;
}

/** The records of a decompressed block: uint32 BE length + packed record, back to back. Views of `block`. */
export function unpackBlock(block: Buffer): OutMessage[] {
  const out: OutMessage[] = [];
  let p = 0;
  while (p < block.length) {
    if (p + 4 > block.length) throw new Error('truncated outbox block');
    const n = block.readUInt32BE(p);
    const end = p + 4 + n;
    if (n < 3 || end > block.length) throw new Error('truncated outbox block');
    const k = block.readUInt16BE(p + 5);
    out.push({ t: String.fromCharCode(block[p + 4]!) as OutMessage['t'], k: block.toString('utf8', p + 7, p + 7 + k), v: block.subarray(p + 7 + k, end) });
    p = end;
  }
  return out;
}

const brotliCompress = promisify(zlib.brotliCompress);
const brotliDecompress = promisify(zlib.brotliDecompress);

// Output in large pieces: each piece of an async zlib call is a round trip through the main
// thread, which is busy encoding the next chunk (16 KiB pieces stalled compression ~30x).
const BLOCK_ZLIB_CHUNK = 4 * 1024 * 1024;

/** A block as stored: Brotli at quality 1 (Avro scorecards shrink ~7x at several hundred MB/s; runs on the libuv thread pool). */
export function compressBlock(block: Buffer): Promise<Buffer> {
  return brotliCompress(block, {
    chunkSize: BLOCK_ZLIB_CHUNK,
    params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 1, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: block.length },
  });
}

export function decompressBlock(stored: Buffer): Promise<Buffer> {
  return brotliDecompress(stored, { chunkSize: BLOCK_ZLIB_CHUNK });
}

/** Every record of an outbox hash (HGETALL as Buffers), in block order. */
export async function outboxRecords(hash: Record<string, Buffer>): Promise<OutMessage[]> {
  const blocks = Object.keys(hash)
    .filter((k) => k.startsWith('b:'))
    .sort((a, b) => Number(a.slice(2)) - Number(b.slice(2)));
  const out: OutMessage[] = [];
  for (const k of blocks) out.push(...unpackBlock(await decompressBlock(hash[k]!)));
  return out;
}

/** staffId, Published JSON, … (what scorerCommit stores in the published hash) from a "p:<j>" field. */
export function publishedPairs(json: string): string[] {
  const pairs: string[] = [];
  for (const [staffId, p] of Object.entries(JSON.parse(json) as Record<string, Published>)) pairs.push(staffId, JSON.stringify(p));
  return pairs;
}
