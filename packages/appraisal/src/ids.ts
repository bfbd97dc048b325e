// Deterministic ids without crypto: a 128-bit streaming hash (cyrb128 mixing, four 32-bit lanes)
// fed with strings and the exact bits of numbers. Same inputs => same id; not cryptographic,
// only for de-duplication and change detection.

import { DIMENSIONS, REPORTED_MEASURE_IDS, SCORED_KPI_IDS } from './domain.ts';
import type { KpiResult } from './kernel.ts';
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

  clone(): Hasher {
    return new Hasher(this.h1, this.h2, this.h3, this.h4);
  }

  /** Continues from `other`'s state, in place (clone without the allocation). */
  copyFrom(other: Hasher): this {
    this.h1 = other.h1;
    this.h2 = other.h2;
    this.h3 = other.h3;
    this.h4 = other.h4;
    return this;
  }

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
// Record ids. computedAt is left out on purpose: a re-computation with the same result gives the
// same id, so consumers can de-duplicate.

const ALL_KPI_IDS = [...SCORED_KPI_IDS, ...REPORTED_MEASURE_IDS];
const SLOTS = ALL_KPI_IDS.length * 4 + DIMENSIONS.length + 4;
// One buffer of 32-bit words: a card's strings first, then its numbers as float64 (8-aligned).
let idBuf = new ArrayBuffer((SLOTS + 64) * 8);
let idWords = new Uint32Array(idBuf);
let numBuf = new Float64Array(idBuf);

// null is written as NaN (no scorecard number is ever NaN); NaN and -0 are canonicalised.
function put(i: number, v: number | null): void {
  numBuf[i] = v === null ? NaN : v === 0 ? 0 : v;
}

/** Writes s at word w (its length, then two UTF-16 units a word); returns the next word. */
function putStr(w: number, s: string): number {
  const n = s.length;
  idWords[w++] = n;
  let k = 0;
  for (; k + 1 < n; k += 2) idWords[w++] = s.charCodeAt(k) | (s.charCodeAt(k + 1) << 16);
  if (k < n) idWords[w++] = s.charCodeAt(k);
  return w;
}

/** Room for the strings (in words) and SLOTS numbers after them. */
function reserve(stringWords: number): void {
  const words = stringWords + 2 + SLOTS * 2;
  if (idWords.length >= words) return;
  idBuf = new ArrayBuffer(words * 8);
  idWords = new Uint32Array(idBuf);
  numBuf = new Float64Array(idBuf);
}

type CardContent = Omit<Scorecard, 'appraisalId' | 'computedAt'>;

/** The lane seeds for the fields shared by every card of one scoring run (appraisalPrefix). */
export type AppraisalPrefix = Uint32Array;

/**
 * The hash of the fields shared by every card of one scoring run (period, status, rules
 * version); pass it to appraisalIdOf to skip re-hashing them per card.
 */
export function appraisalPrefix(card: Pick<CardContent, 'period' | 'status' | 'rulesVersion'>): AppraisalPrefix {
  return new Hasher()
    .str('appraisal/2')
    .str(card.period.kind)
    .str(card.period.start)
    .str(card.period.timeZone)
    .str(card.status)
    .str(card.rulesVersion)
    .final(new Uint32Array(4));
}

// The id hash (v2) runs four independent lanes over the card's words, each lane xxHash32's round
// on every fourth word, and mixes the lanes only at the end: a card is ~330 words, and a hash
// that mixes every word into one 128-bit state (Hasher) waits on a chain of multiplies per word,
// which made ids a quarter of the engine's time. Each round is a bijection of its lane for a
// given word, so cards that differ in one word always differ before the final mix, which is a
// bijection of the 128 bits too.
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

export function appraisalIdOf(card: CardContent, prefix?: AppraisalPrefix): string {
  reserve(8 + ((card.staffId.length + card.teamId.length + card.role.length + card.grade.length) >> 1));
  let w = putStr(0, card.staffId);
  w = putStr(w, card.teamId);
  w = putStr(w, card.role);
  w = putStr(w, card.grade);
  if ((w & 1) === 1) idWords[w++] = 0;
  const i0 = w >> 1;
  const kpis = card.kpis;
  let i = i0;
  // ALL_KPI_IDS order (checked at load below), unrolled: named loads on one object shape.
  putKpi(i, kpis.workload_units);
  i += 4;
  putKpi(i, kpis.avg_handle_seconds);
  i += 4;
  putKpi(i, kpis.callback_on_time_rate);
  i += 4;
  putKpi(i, kpis.work_order_on_time_rate);
  i += 4;
  putKpi(i, kpis.restoration_on_time_rate);
  i += 4;
  putKpi(i, kpis.outage_notice_on_time_rate);
  i += 4;
  putKpi(i, kpis.first_contact_resolution);
  i += 4;
  putKpi(i, kpis.meter_reading_accuracy);
  i += 4;
  putKpi(i, kpis.billing_accuracy);
  i += 4;
  putKpi(i, kpis.work_order_right_first_time);
  i += 4;
  putKpi(i, kpis.quality_score);
  i += 4;
  putKpi(i, kpis.customer_satisfaction);
  i += 4;
  putKpi(i, kpis.repair_satisfaction);
  i += 4;
  putKpi(i, kpis.feedback_360);
  i += 4;
  putKpi(i, kpis.meter_reading_rate);
  i += 4;
  putKpi(i, kpis.fee_collection_rate);
  i += 4;
  putKpi(i, kpis.repair_commitment_rate);
  i += 4;
  putKpi(i, kpis.callback_rate);
  i += 4;
  putKpi(i, kpis.attendance_rate);
  i += 4;
  putKpi(i, kpis.supervisor_rating);
  i += 4;
  putKpi(i, kpis.contacts_handled);
  i += 4;
  putKpi(i, kpis.problems_solved);
  i += 4;
  putKpi(i, kpis.questions_answered);
  i += 4;
  putKpi(i, kpis.meter_readings);
  i += 4;
  putKpi(i, kpis.work_orders_completed);
  i += 4;
  putKpi(i, kpis.repairs_restored);
  i += 4;
  putKpi(i, kpis.callbacks_made);
  i += 4;
  putKpi(i, kpis.quality_pass_rate);
  i += 4;
  putKpi(i, kpis.violations);
  i += 4;
  putKpi(i, kpis.complaints_general);
  i += 4;
  putKpi(i, kpis.complaints_serious);
  i += 4;
  putKpi(i, kpis.complaints_general_substantiated);
  i += 4;
  putKpi(i, kpis.complaints_serious_substantiated);
  i += 4;
  putKpi(i, kpis.training_completed);
  i += 4;
  putKpi(i, kpis.training_gain);
  i += 4;
  putKpi(i, kpis.improvement);
  i += 4;
  const d = card.dimensions;
  put(i++, d.workload);
  put(i++, d.timeliness);
  put(i++, d.accuracy);
  put(i++, d.standardisation);
  put(i++, d.satisfaction);
  put(i++, d.taskCompletion);
  put(i++, d.conduct);
  put(i++, card.composite);
  put(i++, card.teamRank);
  put(i++, card.teamSize);
  put(i++, card.revision);
  return laneHash(prefix ?? appraisalPrefix(card), idWords, i * 2);
}

function putKpi(i: number, k: KpiResult): void {
  const v = k.value;
  const n = k.numerator;
  const d = k.denominator;
  const s = k.score;
  numBuf[i] = v === null ? NaN : v === 0 ? 0 : v;
  numBuf[i + 1] = n === null ? NaN : n === 0 ? 0 : n;
  numBuf[i + 2] = d === null ? NaN : d === 0 ? 0 : d;
  numBuf[i + 3] = s === null ? NaN : s === 0 ? 0 : s;
}

const UNROLLED_KPI_ORDER = 'workload_units,avg_handle_seconds,callback_on_time_rate,work_order_on_time_rate,restoration_on_time_rate,outage_notice_on_time_rate,first_contact_resolution,meter_reading_accuracy,billing_accuracy,work_order_right_first_time,quality_score,customer_satisfaction,repair_satisfaction,feedback_360,meter_reading_rate,fee_collection_rate,repair_commitment_rate,callback_rate,attendance_rate,supervisor_rating,contacts_handled,problems_solved,questions_answered,meter_readings,work_orders_completed,repairs_restored,callbacks_made,quality_pass_rate,violations,complaints_general,complaints_serious,complaints_general_substantiated,complaints_serious_substantiated,training_completed,training_gain,improvement';
const UNROLLED_DIMENSION_ORDER = 'workload,timeliness,accuracy,standardisation,satisfaction,taskCompletion,conduct';
if (ALL_KPI_IDS.join(',') !== UNROLLED_KPI_ORDER || DIMENSIONS.join(',') !== UNROLLED_DIMENSION_ORDER) {
  throw new Error('ids.ts: appraisalIdOf is unrolled for another KPI/dimension order; update it');
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
