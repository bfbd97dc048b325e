// Pure helpers of the scorer: content hashes, period close times, the JSON kept in Redis.
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { CARD_NUMBERS, cardNumbers, Hasher, type Grade, type Period, type PreviousFinal, type Rules, type Scorecard, type ScorecardStatus } from '@cs/appraisal';

export type PeriodStateName = 'open' | 'finalizing' | 'final';

/** `<p>:{scorer}:periods` value. revision = revision rounds published after FINAL (0 = FINAL only). */
export interface PeriodState {
  state: PeriodStateName;
  revision: number;
}

/** `<p>:{scorer}:pub:<periodId>` value: what was last published for a staff member. */
export interface Published {
  /** content hash (see contentHash) */
  h: string;
  status: ScorecardStatus;
  revision: number;
  composite: number | null;
  grade: Grade;
}

/** The JSON form of an outbox record written by earlier versions (still read): Avro bytes in base64. */
export interface OutboxMessage {
  t: 'a' | 'e';
  k: string;
  v: string;
}

/** A record to send: topic 'a' (appraisal) or 'e' (eligibility), key, Avro bytes. */
export type OutMessage = { t: 'a' | 'e'; k: string; v: Buffer };

/** An outbox record in Redis: 'a'|'e', key length (uint16 BE), key, Avro bytes. (Older outboxes hold OutboxMessage JSON.) */
export function packMessage(m: OutMessage): Buffer {
  const k = Buffer.from(m.k, 'utf8');
  const b = Buffer.allocUnsafe(3 + k.length + m.v.length);
  b[0] = m.t === 'a' ? 0x61 : 0x65;
  b.writeUInt16BE(k.length, 1);
  k.copy(b, 3);
  m.v.copy(b, 3 + k.length);
  return b;
}

export function unpackMessage(b: Buffer): OutMessage {
  if (b[0] === 0x7b) {
    const m = JSON.parse(b.toString('utf8')) as OutboxMessage;
    return { t: m.t, k: m.k, v: Buffer.from(m.v, 'base64') };
  }
  const n = b.readUInt16BE(1);
  return { t: b[0] === 0x61 ? 'a' : 'e', k: b.toString('utf8', 3, 3 + n), v: b.subarray(3 + n) };
}

/** The records of an outbox block ("b:<j>", written by OutboxBlockWriter): uint32 BE length + packed record, back to back. Views of `block`. */
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

/**
 * An outbox block as stored: Brotli at quality 1 (Avro scorecards shrink ~7x at several hundred
 * MB/s; runs on the libuv thread pool).
 */
export function compressBlock(block: Buffer): Promise<Buffer> {
  return brotliCompress(block, {
    // Output in large pieces: each piece of an async zlib call is a round trip through the main
    // thread, which is busy encoding the next chunk (16 KiB pieces stalled compression ~30x).
    chunkSize: BLOCK_ZLIB_CHUNK,
    params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 1, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: block.length },
  });
}

const BLOCK_ZLIB_CHUNK = 4 * 1024 * 1024;

/** A stored outbox block back to records' bytes (OutboxMeta.blockCompression says how it was stored). */
export async function decompressBlock(stored: Buffer, compression: OutboxMeta['blockCompression']): Promise<Buffer> {
  if (compression === undefined) return stored;
  if (compression === 'brotli') return brotliDecompress(stored, { chunkSize: BLOCK_ZLIB_CHUNK });
  throw new Error(`unknown outbox block compression ${String(compression)}`);
}

/** Every record of an outbox hash (HGETALL as Buffers), in order, whichever format wrote it ("b:<j>" blocks or "m:<i>" records). */
export async function outboxRecords(hash: Record<string, Buffer>): Promise<OutMessage[]> {
  const meta = hash.meta ? (JSON.parse(hash.meta.toString('utf8')) as OutboxMeta) : undefined;
  const nth = (prefix: string) =>
    Object.keys(hash)
      .filter((k) => k.startsWith(prefix))
      .sort((a, b) => Number(a.slice(prefix.length)) - Number(b.slice(prefix.length)));
  const out: OutMessage[] = [];
  for (const k of nth('b:')) out.push(...unpackBlock(await decompressBlock(hash[k]!, meta?.blockCompression)));
  for (const k of nth('m:')) out.push(unpackMessage(hash[k]!));
  return out;
}

export interface OutboxMeta {
  periodId: string;
  status: 'FINAL' | 'REVISED';
  /** period state to commit once sent */
  next: PeriodState;
  /** per staff member, what to record as published (outboxes of earlier versions; now in "p:<j>" fields) */
  published?: Record<string, Published>;
  /** records: "m:0" … "m:<messages − 1>" (earlier versions), or packed in the blocks */
  messages: number;
  /** fields "b:0" … "b:<blocks − 1>": the records in blocks (see unpackBlock); absent in outboxes of earlier versions */
  blocks?: number;
  /** how the blocks are stored: 'brotli', or absent for plain */
  blockCompression?: 'brotli';
  /** fields "p:0" … "p:<publishedChunks − 1>": JSON objects staffId -> Published */
  publishedChunks?: number;
  createdAt: number;
}

/**
 * Hash of a scorecard's content: everything but appraisalId, computedAt, status and revision, so
 * a re-computation with the same numbers compares equal, and a REVISED candidate compares with
 * the FINAL it would replace. Fed field by field (strings, then the exact bits of every number,
 * in a fixed order), not through JSON: 100,000 cards hash in tens of milliseconds.
 * (v2; a record stored by v1 — canonical JSON — compares unequal once, so the first re-score
 * after the upgrade re-publishes a period's cards.)
 */
export function contentHash(card: Scorecard): string {
  const h = new Hasher()
    .str('scorecard-content/2')
    .str(card.staffId)
    .str(card.teamId)
    .str(card.role)
    .str(card.period.kind)
    .str(card.period.start)
    .str(card.period.end)
    .str(card.period.timeZone)
    .str(card.rulesVersion)
    .str(card.grade);
  cardNumbers(card, numBuf);
  return h.words(numWords, CARD_NUMBERS * 2).hex();
}

const numBuf = new Float64Array(CARD_NUMBERS);
const numWords = new Uint32Array(numBuf.buffer);

/** "period|staffId" pairs -> periodId -> staff ids; only DAY and MONTH periods. */
export function groupPairs(pairs: Iterable<string>): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const pair of pairs) {
    const bar = pair.lastIndexOf('|');
    if (bar <= 0) continue;
    const period = pair.slice(0, bar);
    if (!period.startsWith('DAY:') && !period.startsWith('MONTH:')) continue;
    let s = out.get(period);
    if (!s) out.set(period, (s = new Set()));
    s.add(pair.slice(bar + 1));
  }
  return out;
}

export function parseState(json: string | null | undefined): PeriodState | null {
  if (!json) return null;
  const v = JSON.parse(json) as PeriodState;
  return { state: v.state, revision: Number(v.revision) };
}

export function parsePublished(hash: Record<string, string>): Map<string, Published> {
  const m = new Map<string, Published>();
  for (const [staffId, json] of Object.entries(hash)) m.set(staffId, JSON.parse(json) as Published);
  return m;
}

/** Published FINAL/REVISED records of a period as the engine's previousFinals. */
export function previousFinalsOf(published: ReadonlyMap<string, Published>): Map<string, PreviousFinal> {
  const m = new Map<string, PreviousFinal>();
  for (const [staffId, p] of published) {
    if (p.status === 'PROVISIONAL') continue;
    m.set(staffId, { composite: p.composite, grade: p.grade, status: p.status });
  }
  return m;
}

export function publishedOf(card: Scorecard): Published {
  return { h: contentHash(card), status: card.status, revision: card.revision, composite: card.composite, grade: card.grade };
}

/** Count of scorecards per team and grade. */
export function gradeCounts(cards: readonly Scorecard[]): Map<string, Map<Grade, number>> {
  const out = new Map<string, Map<Grade, number>>();
  for (const c of cards) {
    let t = out.get(c.teamId);
    if (!t) out.set(c.teamId, (t = new Map()));
    t.set(c.grade, (t.get(c.grade) ?? 0) + 1);
  }
  return out;
}
