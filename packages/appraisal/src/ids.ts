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
    return hex32(h1, h2, h3, h4);
  }
}

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
const numBuf = new Float64Array(SLOTS);
const numWords = new Uint32Array(numBuf.buffer);

// null is written as NaN (no scorecard number is ever NaN); NaN and -0 are canonicalised.
function put(i: number, v: number | null): void {
  numBuf[i] = v === null ? NaN : v === 0 ? 0 : v;
}

type CardContent = Omit<Scorecard, 'appraisalId' | 'computedAt'>;

/**
 * The hash state after the fields shared by every card of one scoring run (period, status,
 * rules version); pass it to appraisalIdOf to skip re-hashing them per card.
 */
export function appraisalPrefix(card: Pick<CardContent, 'period' | 'status' | 'rulesVersion'>): Hasher {
  return new Hasher()
    .str('appraisal/1')
    .str(card.period.kind)
    .str(card.period.start)
    .str(card.period.timeZone)
    .str(card.status)
    .str(card.rulesVersion);
}

/** appraisalIdOf's hasher, reused (hashing is synchronous; one id per scorecard adds up). */
const ID_HASHER = new Hasher();

export function appraisalIdOf(card: CardContent, prefix?: Hasher): string {
  const h = ID_HASHER.copyFrom(prefix ?? appraisalPrefix(card)).str(card.staffId).str(card.teamId).str(card.role).str(card.grade);
  const kpis = card.kpis;
  let i = 0;
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
  return h.words(numWords, i * 2).hex();
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
