// A faster encoding of kafkajs Produce requests (v3-v7: magic-2 record batches), for the scorer's
// bulk FINAL sends (~200,000 records, ~190 MB per month). kafkajs encodes every record into its
// own growing Encoder (zero-filled allocations, a re-allocation for values over 512 bytes), copies
// each layer into the next, and computes CRC-32C byte by byte: about 2 s of the main thread for
// one month. This writes the same bytes in one pass into one exactly-sized buffer (one copy of each
// value) with a slicing-by-8 CRC-32C.
//
// It is installed by replacing the exports of kafkajs's produce/v3/request.js in the require cache
// (kafkajs 2.2.x, whose later versions v4-v7 wrap v3 and load lazily at the first send). It only
// takes requests it encodes exactly as kafkajs does — no compression, records without headers and
// timestamps, keys and values that are Buffers, strings or null — and hands anything else to
// kafkajs's own encoder. test/kafka-produce-encoding.test.ts checks the bytes against kafkajs's.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

interface Msg {
  key?: Buffer | string | null;
  value?: Buffer | string | null;
  headers?: Record<string, unknown>;
  timestamp?: unknown;
}
interface PartitionData {
  partition: number;
  firstSequence?: number;
  messages: Msg[];
}
export interface ProduceArgs {
  acks: number;
  timeout: number;
  transactionalId?: string | null;
  producerId?: unknown;
  producerEpoch?: number;
  compression?: number;
  topicData: { topic: string; partitions: PartitionData[] }[];
}
interface EncoderLike {
  buf: Buffer;
  offset: number;
}
interface LongLike {
  getHighBits(): number;
  getLowBits(): number;
}
type RequestFactory = (args: ProduceArgs) => { encode: () => Promise<EncoderLike> } & Record<string, unknown>;

const MARK = Symbol.for('cs.scorer.fastProduceEncoding');
/** On the installed function: kafkajs's own v3 request factory. */
export const ORIGINAL = Symbol.for('cs.scorer.fastProduceEncoding.original');

let installed: boolean | undefined;

/** Installs the fast path (once per process); false when kafkajs's layout is not the expected one. */
export function installFastProduceEncoding(): boolean {
  if (installed !== undefined) return installed;
  installed = false;
  try {
    const path = require.resolve('kafkajs/src/protocol/requests/produce/v3/request.js');
    const original = require(path) as RequestFactory & { [MARK]?: true };
    if (original[MARK]) return (installed = true);
    const Encoder = require('kafkajs/src/protocol/encoder.js') as new () => EncoderLike;
    const Long = require('kafkajs/src/utils/long.js') as { fromValue(v: unknown): LongLike };
    const later = [4, 5, 6, 7].map((v) => require.resolve(`kafkajs/src/protocol/requests/produce/v${v}/request.js`));
    // v4-v7 capture v3 when they load: too late if one has loaded already.
    if (later.some((p) => require.cache[p])) return false;
    const fast = Object.assign(
      (args: ProduceArgs) => {
        const req = original(args);
        if (!supported(args)) return req;
        return {
          ...req,
          encode: async () => {
            const e = new Encoder();
            e.buf = encodeProduceRequest(args, Date.now(), Long.fromValue(args.producerId ?? -1));
            e.offset = e.buf.length;
            return e;
          },
        };
      },
      { [MARK]: true as const, [ORIGINAL]: original },
    );
    const cached = require.cache[path];
    if (!cached) return false;
    cached.exports = fast;
    return (installed = true);
  } catch {
    return false;
  }
}

/** Whether kafkajs's v3 encoder would write exactly what encodeProduceRequest writes. */
export function supported(args: ProduceArgs): boolean {
  if ((args.compression ?? 0) !== 0) return false;
  if (!Array.isArray(args.topicData)) return false;
  for (const t of args.topicData) {
    if (typeof t.topic !== 'string' || !Array.isArray(t.partitions)) return false;
    for (const p of t.partitions) {
      if (!Array.isArray(p.messages) || p.messages.length === 0) return false;
      for (const m of p.messages) {
        if (m.timestamp != null) return false;
        if (m.headers !== undefined && (m.headers === null || typeof m.headers !== 'object' || Object.keys(m.headers).length > 0)) return false;
        const k = m.key;
        const v = m.value;
        if (k != null && typeof k !== 'string' && !Buffer.isBuffer(k)) return false;
        if (v != null && typeof v !== 'string' && !Buffer.isBuffer(v)) return false;
      }
    }
  }
  return true;
}

const zigzag = (n: number) => (n << 1) ^ (n >> 31);
function uvarintSize(u: number): number {
  let n = 1;
  while ((u & 0xffffff80) !== 0) {
    n++;
    u >>>= 7;
  }
  return n;
}
function writeUVarint(b: Buffer, p: number, u: number): number {
  while ((u & 0xffffff80) !== 0) {
    b[p++] = (u & 0x7f) | 0x80;
    u >>>= 7;
  }
  b[p++] = u & 0x7f;
  return p;
}
const byteLen = (x: Buffer | string | null | undefined): number => (x == null ? -1 : typeof x === 'string' ? Buffer.byteLength(x, 'utf8') : x.length);

/**
 * The Produce request body (v3 layout) as kafkajs writes it: transactional id, acks, timeout, then
 * per topic and partition a magic-2 record batch (base offset 0, leader epoch 0, no compression,
 * every record at `now` with delta 0, no headers).
 */
export function encodeProduceRequest(args: ProduceArgs, now: number, producerId: LongLike): Buffer {
  const txn = args.transactionalId ?? null;
  // Sizes first, then one exact allocation.
  let size = (txn === null ? 2 : 2 + Buffer.byteLength(txn, 'utf8')) + 2 + 4 + 4;
  const keyLens: Int32Array[] = [];
  const valLens: Int32Array[] = [];
  const bodySizes: Int32Array[] = [];
  const batchLens: number[] = [];
  for (const t of args.topicData) {
    size += 2 + Buffer.byteLength(t.topic, 'utf8') + 4;
    for (const p of t.partitions) {
      const n = p.messages.length;
      const kl = new Int32Array(n);
      const vl = new Int32Array(n);
      const bs = new Int32Array(n);
      let records = 0;
      for (let i = 0; i < n; i++) {
        const m = p.messages[i]!;
        const k = (kl[i] = byteLen(m.key));
        const v = (vl[i] = byteLen(m.value));
        const body = 1 + 1 + uvarintSize(zigzag(i)) + (k < 0 ? 1 : uvarintSize(zigzag(k)) + k) + (v < 0 ? 1 : uvarintSize(zigzag(v)) + v) + 1;
        bs[i] = body;
        records += uvarintSize(zigzag(body)) + body;
      }
      keyLens.push(kl);
      valLens.push(vl);
      bodySizes.push(bs);
      const batchLen = 4 + 1 + 4 + 36 + 4 + records;
      batchLens.push(batchLen);
      size += 4 + 4 + 8 + 4 + batchLen;
    }
  }
  const b = Buffer.allocUnsafe(size);
  let o = 0;
  if (txn === null) o = b.writeInt16BE(-1, o);
  else {
    const n = Buffer.byteLength(txn, 'utf8');
    o = b.writeInt16BE(n, o);
    o += b.write(txn, o, n, 'utf8');
  }
  o = b.writeInt16BE(args.acks, o);
  o = b.writeInt32BE(args.timeout, o);
  o = b.writeInt32BE(args.topicData.length, o);
  const hi = Math.floor(now / 4294967296); // an epoch-ms timestamp as int64
  const lo = now - hi * 4294967296;
  const attributes = txn !== null ? 16 : 0;
  let q = 0;
  for (const t of args.topicData) {
    const tn = Buffer.byteLength(t.topic, 'utf8');
    o = b.writeInt16BE(tn, o);
    o += b.write(t.topic, o, tn, 'utf8');
    o = b.writeInt32BE(t.partitions.length, o);
    for (const p of t.partitions) {
      const kl = keyLens[q]!;
      const vl = valLens[q]!;
      const bs = bodySizes[q]!;
      const batchLen = batchLens[q++]!;
      const n = p.messages.length;
      o = b.writeInt32BE(p.partition, o);
      o = b.writeInt32BE(12 + batchLen, o);
      o = b.writeInt32BE(0, o); // base offset (int64 0)
      o = b.writeInt32BE(0, o);
      o = b.writeInt32BE(batchLen, o);
      o = b.writeInt32BE(0, o); // partition leader epoch
      b[o++] = 2; // magic
      const crcAt = o;
      o += 4;
      const bodyStart = o;
      o = b.writeInt16BE(attributes, o);
      o = b.writeInt32BE(n - 1, o); // last offset delta
      o = b.writeInt32BE(hi, o); // first timestamp
      o = b.writeUInt32BE(lo, o);
      o = b.writeInt32BE(hi, o); // max timestamp
      o = b.writeUInt32BE(lo, o);
      o = b.writeInt32BE(producerId.getHighBits(), o);
      o = b.writeInt32BE(producerId.getLowBits(), o);
      o = b.writeInt16BE(args.producerEpoch ?? 0, o);
      o = b.writeInt32BE(p.firstSequence ?? 0, o);
      o = b.writeInt32BE(n, o);
      for (let i = 0; i < n; i++) {
        const m = p.messages[i]!;
        o = writeUVarint(b, o, zigzag(bs[i]!));
        b[o++] = 0; // attributes
        b[o++] = 0; // timestamp delta (varlong 0)
        o = writeUVarint(b, o, zigzag(i)); // offset delta
        const k = kl[i]!;
        if (k < 0) b[o++] = 1; // varint -1: null
        else {
          o = writeUVarint(b, o, zigzag(k));
          const key = m.key!;
          if (typeof key === 'string') o += b.write(key, o, k, 'utf8');
          else o += key.copy(b, o);
        }
        const v = vl[i]!;
        if (v < 0) b[o++] = 1;
        else {
          o = writeUVarint(b, o, zigzag(v));
          const value = m.value!;
          if (typeof value === 'string') o += b.write(value, o, v, 'utf8');
          else o += value.copy(b, o);
        }
        b[o++] = 0; // no headers
      }
      b.writeUInt32BE(crc32c(b, bodyStart, o), crcAt);
    }
  }
  if (o !== size) throw new Error(`produce request encoding: wrote ${o} of ${size} bytes`);
  return b;
}

// CRC-32C (Castagnoli), slicing by 8.
const T = new Int32Array(8 * 256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
  T[n] = c;
}
for (let n = 0; n < 256; n++) {
  let c = T[n]!;
  for (let s = 1; s < 8; s++) {
    c = T[c & 0xff]! ^ (c >>> 8);
    T[s * 256 + n] = c;
  }
}

export function crc32c(b: Uint8Array, start = 0, end = b.length): number {
  let crc = -1;
  let i = start;
  for (const stop = end - 7; i < stop; i += 8) {
    const a = crc ^ (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24));
    crc =
      T[7 * 256 + (a & 0xff)]! ^
      T[6 * 256 + ((a >>> 8) & 0xff)]! ^
      T[5 * 256 + ((a >>> 16) & 0xff)]! ^
      T[4 * 256 + (a >>> 24)]! ^
      T[3 * 256 + b[i + 4]!]! ^
      T[2 * 256 + b[i + 5]!]! ^
      T[256 + b[i + 6]!]! ^
      T[b[i + 7]!]!;
  }
  for (; i < end; i++) crc = T[(crc ^ b[i]!) & 0xff]! ^ (crc >>> 8);
  return ~crc >>> 0;
}
