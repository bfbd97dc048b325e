// Deterministic ids without crypto: a 128-bit streaming hash (cyrb128 mixing, four 32-bit lanes)
// fed with strings and the exact bits of numbers. Same inputs => same id; not cryptographic,
// only for de-duplication and change detection.

import type { PeriodRef } from './periods.ts';
import type { Eligibility, Scorecard } from './scorecard.ts';

// Typed arrays use platform byte order; every platform Node runs on is little-endian.
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

const HEX_DIGIT: readonly number[] = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
const hd = (n: number): number => HEX_DIGIT[n & 15]!;

/**
 * The 32 hex digits of four 32-bit words (big-endian), as one flat string: concatenating 8-digit
 * pieces would leave a tree of 15 short strings per id (half garbage, half kept by the card).
 */
function hex32(h1: number, h2: number, h3: number, h4: number): string {
  return String.fromCharCode(
    hd(h1 >>> 28), hd(h1 >>> 24), hd(h1 >>> 20), hd(h1 >>> 16), hd(h1 >>> 12), hd(h1 >>> 8), hd(h1 >>> 4), hd(h1),
    hd(h2 >>> 28), hd(h2 >>> 24), hd(h2 >>> 20), hd(h2 >>> 16), hd(h2 >>> 12), hd(h2 >>> 8), hd(h2 >>> 4), hd(h2),
    hd(h3 >>> 28), hd(h3 >>> 24), hd(h3 >>> 20), hd(h3 >>> 16), hd(h3 >>> 12), hd(h3 >>> 8), hd(h3 >>> 4), hd(h3),
    hd(h4 >>> 28), hd(h4 >>> 24), hd(h4 >>> 20), hd(h4 >>> 16), hd(h4 >>> 12), hd(h4 >>> 8), hd(h4 >>> 4), hd(h4),
  );
}

export class Hasher {
  constructor(
    private h1 = 1779033703,
    private h2 = 3144134277,
    private h3 = 1013904242,
    private h4 = 2773480762,
  ) {}

  /** Mixes the first n 32-bit words of `w`. */
  words(w: Uint32Array, n: number): this {
    let h1 = this.h1;
    let h2 = this.h2;
    let h3 = this.h3;
    let h4 = this.h4;
    for (let i = 0; i < n; i++) {
      const k = w[i]!;
      const a = h2 ^ Math.imul(h1 ^ k, 597399067);
      const b = h3 ^ Math.imul(h2 ^ k, 2869860233);
      const c = h4 ^ Math.imul(h3 ^ k, 951274213);
      h4 = a ^ Math.imul(h4 ^ k, 2716044179);
      h1 = a;
      h2 = b;
      h3 = c;
    }
    this.h1 = h1;
    this.h2 = h2;
    this.h3 = h3;
    this.h4 = h4;
    return this;
  }

  private word(k: number): void {
    const a = this.h2 ^ Math.imul(this.h1 ^ k, 597399067);
    const b = this.h3 ^ Math.imul(this.h2 ^ k, 2869860233);
    const c = this.h4 ^ Math.imul(this.h3 ^ k, 951274213);
    this.h4 = a ^ Math.imul(this.h4 ^ k, 2716044179);
    this.h1 = a;
    this.h2 = b;
    this.h3 = c;
  }

  str(s: string): this {
    let h1 = this.h1;
    let h2 = this.h2;
    let h3 = this.h3;
    let h4 = this.h4;
    const n = s.length;
    for (let i = 0; i <= n; i++) {
      // each UTF-16 unit, then the terminator: "ab"+"c" differs from "a"+"bc"
      const k = i < n ? s.charCodeAt(i) : 0x1f0000 | (n & 0xffff);
      const a = h2 ^ Math.imul(h1 ^ k, 597399067);
      const b = h3 ^ Math.imul(h2 ^ k, 2869860233);
      const c = h4 ^ Math.imul(h3 ^ k, 951274213);
      h4 = a ^ Math.imul(h4 ^ k, 2716044179);
      h1 = a;
      h2 = b;
      h3 = c;
    }
    this.h1 = h1;
    this.h2 = h2;
    this.h3 = h3;
    this.h4 = h4;
    return this;
  }

  num(n: number | null | undefined): this {
    if (n === null || n === undefined) {
      this.word(0x2e0000);
      return this;
    }
    f64[0] = n === 0 ? 0 : n; // -0 => 0
    this.word(u32[0]!);
    this.word(u32[1]!);
    return this;
  }

  /** 32 hex digits */
  hex(): string {
    this.final(FINAL);
    return hex32(FINAL[0]!, FINAL[1]!, FINAL[2]!, FINAL[3]!);
  }

  /** The finished 128-bit hash as four 32-bit words (what hex() spells). */
  final(out: Uint32Array): Uint32Array {
    let h1 = this.h1;
    let h2 = this.h2;
    let h3 = this.h3;
    let h4 = this.h4;
    h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
    h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
    h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
    h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
    h1 ^= h2 ^ h3 ^ h4;
    h2 ^= h1;
    h3 ^= h1;
    h4 ^= h1;
    out[0] = h1;
    out[1] = h2;
    out[2] = h3;
    out[3] = h4;
    return out;
  }
}

const FINAL = new Uint32Array(4);

export function hashString(s: string): string {
  return new Hasher().str(s).hex();
}

/** JSON with object keys sorted, so equal values give equal text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

// ---------------------------------------------------------------------------------------------
// Scorecard ids (appraisal/3): a hash of what the card is computed from, not of the card. The
// engine is a function of its inputs (a member's counters, workload reference, previous
// composite; their team's ranking; the rules), so the same inputs give the same id (events.md)
// and the same card; computedAt is left out on purpose, so a re-computation of the same inputs
// has the same id and consumers can de-duplicate. The rules enter as their content (not only
// their version), so rules changed under the same rulesVersion still give new ids. Hashing the
// ~50 inputs, rather than the ~155 numbers of a finished card read back from its objects, made
// ids ~8x cheaper (they had been a fifth of the engine's time).

/** Lane seeds of one scoring run's ids: period, rules version and the rules themselves. */
export type AppraisalPrefix = Uint32Array;

export function appraisalPrefix(period: PeriodRef, rulesVersion: string, rules: unknown): AppraisalPrefix {
  return new Hasher()
    .str('appraisal/3')
    .str(period.kind)
    .str(period.start)
    .str(period.timeZone)
    .str(rulesVersion)
    .str(canonicalJson(rules))
    .final(new Uint32Array(4));
}

// One buffer of 32-bit words: the numbers first (float64), then the strings.
let idBuf = new ArrayBuffer(1024);
let idNums = new Float64Array(idBuf);
let idWords = new Uint32Array(idBuf);

/** Writes s at word w (its length, then two UTF-16 units a word); returns the next word. */
function putStr(w: number, s: string): number {
  const n = s.length;
  idWords[w++] = n;
  let k = 0;
  for (; k + 1 < n; k += 2) idWords[w++] = s.charCodeAt(k) | (s.charCodeAt(k + 1) << 16);
  if (k < n) idWords[w++] = s.charCodeAt(k);
  return w;
}

/** A card's fields that its id hashes as they are; the rest of the card follows from its inputs. */
export type CardIdFields = Pick<Scorecard, 'staffId' | 'teamId' | 'role' | 'status' | 'revision' | 'grade' | 'teamRank' | 'teamSize'>;

/**
 * The appraisalId of `card`, scored in the run of `prefix` from the counters row[off .. off +
 * count) the kernel read (loadCounters), its workload reference and its previous composite.
 */
export function appraisalIdOf(
  prefix: AppraisalPrefix,
  card: CardIdFields,
  row: Float64Array,
  off: number,
  count: number,
  workloadReference: number,
  previousComposite: number | null,
): string {
  const n = count + 5;
  const strings = 8 + ((card.staffId.length + card.teamId.length + card.role.length + card.status.length + card.grade.length) >> 1);
  if (idWords.length < n * 2 + strings) {
    idBuf = new ArrayBuffer((n * 2 + strings) * 8);
    idNums = new Float64Array(idBuf);
    idWords = new Uint32Array(idBuf);
  }
  for (let j = 0; j < count; j++) idNums[j] = row[off + j]!;
  // null is written as NaN (no input is NaN where null can be)
  idNums[count] = workloadReference;
  idNums[count + 1] = previousComposite === null ? NaN : previousComposite;
  idNums[count + 2] = card.teamRank === null ? NaN : card.teamRank;
  idNums[count + 3] = card.teamSize;
  idNums[count + 4] = card.revision;
  let w = putStr(n * 2, card.staffId);
  w = putStr(w, card.teamId);
  w = putStr(w, card.role);
  w = putStr(w, card.status);
  w = putStr(w, card.grade);
  return laneHash(prefix, idWords, w);
}

// The id hash runs four independent lanes over the words, each lane xxHash32's round on every
// fourth word, and mixes the lanes only at the end: a hash that mixes every word into one 128-bit
// state (Hasher) waits on a chain of multiplies per word. Each round is a bijection of its lane
// for a given word, so inputs that differ in one word always differ before the final mix, which
// is a bijection of the 128 bits too.
const P1 = 0x9e3779b1 | 0;
const P2 = 0x85ebca77 | 0;
const P3 = 0xc2b2ae35 | 0;
const P4 = 0x27d4eb2f | 0;

/** The 32 hex digits of the lanes seeded with `seed` run over words w[0 .. n). */
function laneHash(seed: Uint32Array, w: Uint32Array, n: number): string {
  let a = seed[0]! | 0;
  let b = seed[1]! | 0;
  let c = seed[2]! | 0;
  let d = seed[3]! | 0;
  let i = 0;
  let t: number;
  for (; i + 4 <= n; i += 4) {
    t = (a + Math.imul(w[i]!, P2)) | 0;
    a = Math.imul((t << 13) | (t >>> 19), P1);
    t = (b + Math.imul(w[i + 1]!, P2)) | 0;
    b = Math.imul((t << 13) | (t >>> 19), P1);
    t = (c + Math.imul(w[i + 2]!, P2)) | 0;
    c = Math.imul((t << 13) | (t >>> 19), P1);
    t = (d + Math.imul(w[i + 3]!, P2)) | 0;
    d = Math.imul((t << 13) | (t >>> 19), P1);
  }
  if (i < n) (t = (a + Math.imul(w[i++]!, P2)) | 0), (a = Math.imul((t << 13) | (t >>> 19), P1));
  if (i < n) (t = (b + Math.imul(w[i++]!, P2)) | 0), (b = Math.imul((t << 13) | (t >>> 19), P1));
  if (i < n) (t = (c + Math.imul(w[i++]!, P2)) | 0), (c = Math.imul((t << 13) | (t >>> 19), P1));
  d ^= n;
  // Two ChaCha quarter-rounds across the lanes, then murmur3's fmix32 on each.
  for (let r = 0; r < 2; r++) {
    a = (a + b) | 0;
    d ^= a;
    d = (d << 16) | (d >>> 16);
    c = (c + d) | 0;
    b ^= c;
    b = (b << 12) | (b >>> 20);
    a = (a + b) | 0;
    d ^= a;
    d = (d << 8) | (d >>> 24);
    c = (c + d) | 0;
    b ^= c;
    b = (b << 7) | (b >>> 25);
  }
  return hex32(fmix(a), fmix(b), fmix(c), fmix(d));
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, P3);
  h ^= h >>> 13;
  h = Math.imul(h, P4);
  return h ^ (h >>> 16);
}

export function eligibilityIdOf(e: Omit<Eligibility, 'eligibilityId'>): string {
  const h = new Hasher()
    .str('eligibility/1')
    .str(e.appraisalId)
    .str(e.staffId)
    .str(e.teamId)
    .str(e.period.kind)
    .str(e.period.start)
    .str(e.period.timeZone)
    .str(e.grade)
    .num(e.eligible ? 1 : 0)
    .num(e.bonusCoefficient)
    .num(e.improvementPlanRequired ? 1 : 0);
  h.num(e.awards.length);
  for (const a of e.awards) h.str(a);
  h.num(e.vetoReasons.length);
  for (const v of e.vetoReasons) h.str(v);
  h.num(e.trainingRecommendations.length);
  for (const s of e.trainingRecommendations) h.str(s);
  return h.hex();
}
