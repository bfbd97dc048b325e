// The outbox of a FINAL/REVISED publication as stored in Redis (hash `<p>:{scorer}:outbox:<periodId>`):
//   "w"     write token of the write that owns it
//   "b:<j>" the records of chunk j: Brotli (quality 1) of back-to-back uint32 BE length + record,
//           a record being 'a'|'e', key length (uint16 BE), key, Avro bytes (OutboxBlockWriter)
//   "p:<j>" JSON object staffId -> Published of chunk j
//   "meta"  OutboxMeta JSON, written last, when sealed
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { PeriodState, Published } from './model.ts';

/** A record to send: topic 'a' (appraisal) or 'e' (eligibility), key, Avro bytes. */
export type OutMessage = { t: 'a' | 'e'; k: string; v: Buffer };

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

/** One record as OutboxBlockWriter frames it (without the length): the reference layout. */
export function packMessage(m: OutMessage): Buffer {
  const k = Buffer.from(m.k, 'utf8');
  const b = Buffer.allocUnsafe(3 + k.length + m.v.length);
  b[0] = m.t === 'a' ? 0x61 : 0x65;
  b.writeUInt16BE(k.length, 1);
  k.copy(b, 3);
  m.v.copy(b, 3 + k.length);
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
    out.push({ t: block[p + 4] === 0x61 ? 'a' : 'e', k: block.toString('utf8', p + 7, p + 7 + k), v: block.subarray(p + 7 + k, end) });
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
