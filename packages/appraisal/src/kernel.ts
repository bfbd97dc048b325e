// The scoring kernel: one staff member's counters -> KPIs, dimensions, composite, grade, with the
// rules compiled once per scoring run into flat tables (no per-KPI rule lookups, closures or
// intermediate objects). scoreStaff and scorePopulation both score through scoreRow, so there is
// one implementation of the arithmetic; the order of every floating-point operation is
// the one the model documents (appraisal-model.md), so results are bit-for-bit stable.

import type { CounterName, Counters } from './counters.ts';
import { DIMENSIONS, type Dimension, type Grade, type LinearKpiId } from './domain.ts';
import { roundTo } from './numbers.ts';
import type { Rules } from './rules/schema.ts';

export interface KpiResult {
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  score: number | null;
}

export type KpiMap = Record<import('./domain.ts').KpiId, KpiResult>;
export type DimensionScores = Record<Dimension, number | null>;

type ValueKind = 'rate' | 'mean' | 'complement';

export interface LinearDef {
  id: LinearKpiId;
  dimension: Exclude<Dimension, 'workload'>;
  /** numerator counter (for 'complement': the error counter) */
  num: keyof Counters;
  den: keyof Counters;
  /** the counter compared with minSample (default: den) */
  sample?: keyof Counters;
  kind: ValueKind;
}

/** Which counters make each KPI, and its dimension. Rates are capped at 1. */
export const LINEAR_KPIS: readonly LinearDef[] = [
  { id: 'avg_handle_seconds', dimension: 'timeliness', num: 'handle_seconds', den: 'contacts_handled', kind: 'mean' },
  { id: 'callback_on_time_rate', dimension: 'timeliness', num: 'callbacks_due_on_time', den: 'callbacks_due', kind: 'rate' },
  { id: 'work_order_on_time_rate', dimension: 'timeliness', num: 'work_orders_due_on_time', den: 'work_orders_due', kind: 'rate' },
  { id: 'restoration_on_time_rate', dimension: 'timeliness', num: 'restorations_within', den: 'repairs_restored', kind: 'rate' },
  { id: 'outage_notice_on_time_rate', dimension: 'timeliness', num: 'outage_notices_on_time', den: 'outage_notices', kind: 'rate' },
  { id: 'first_contact_resolution', dimension: 'accuracy', num: 'contacts_resolved', den: 'contacts_handled', kind: 'rate' },
  { id: 'meter_reading_accuracy', dimension: 'accuracy', num: 'reading_errors', den: 'meter_readings', kind: 'complement' },
  { id: 'billing_accuracy', dimension: 'accuracy', num: 'billing_errors', den: 'bills_issued', kind: 'complement' },
  { id: 'work_order_right_first_time', dimension: 'accuracy', num: 'work_orders_reworked', den: 'work_orders_completed', kind: 'complement' },
  { id: 'quality_score', dimension: 'standardisation', num: 'quality_score_sum', den: 'quality_inspections', kind: 'mean' },
  { id: 'customer_satisfaction', dimension: 'satisfaction', num: 'surveys_satisfied', den: 'surveys', kind: 'rate' },
  { id: 'repair_satisfaction', dimension: 'satisfaction', num: 'repair_ratings_satisfied', den: 'repair_ratings', kind: 'rate' },
  { id: 'feedback_360', dimension: 'satisfaction', num: 'feedback_score_sum', den: 'feedback_ratings', kind: 'mean' },
  { id: 'meter_reading_rate', dimension: 'taskCompletion', num: 'readings_due_on_time', den: 'readings_due', kind: 'rate' },
  { id: 'fee_collection_rate', dimension: 'taskCompletion', num: 'amount_paid_on_time_cents', den: 'amount_due_cents', sample: 'bills_due', kind: 'rate' },
  { id: 'repair_commitment_rate', dimension: 'taskCompletion', num: 'repair_arrivals_within', den: 'repair_arrivals', kind: 'rate' },
  { id: 'callback_rate', dimension: 'taskCompletion', num: 'callbacks_due_completed', den: 'callbacks_due', kind: 'rate' },
  { id: 'attendance_rate', dimension: 'conduct', num: 'attended_minutes', den: 'scheduled_minutes', sample: 'shifts', kind: 'rate' },
  { id: 'supervisor_rating', dimension: 'conduct', num: 'supervisor_score_sum', den: 'supervisor_ratings', kind: 'mean' },
];

// Scorecards are immutable values: the common "nothing happened" results (and small counts) are
// shared frozen objects, which keeps scoring 100k staff light on allocation and GC.
export const NO_DATA: KpiResult = Object.freeze({ value: null, numerator: 0, denominator: 0, score: null });
const ZERO_COUNT: KpiResult = Object.freeze({ value: 0, numerator: 0, denominator: null, score: null });
export const NO_IMPROVEMENT: KpiResult = Object.freeze({ value: null, numerator: null, denominator: null, score: null });

/** Shared frozen results of count(n) for small integers n (filled lazily). */
const COUNTS: (KpiResult | undefined)[] = new Array(4096).fill(undefined);

export function count(n: number): KpiResult {
  if (n === 0) return ZERO_COUNT;
  if (n > 0 && n < 4096 && Number.isInteger(n)) {
    const hit = COUNTS[n];
    if (hit !== undefined) return hit;
    return (COUNTS[n] = Object.freeze({ value: n, numerator: n, denominator: null, score: null }));
  }
  return { value: n, numerator: n, denominator: null, score: null };
}

export function ratio(num: number, den: number): KpiResult {
  if (num === 0 && den === 0) return NO_DATA;
  return { value: den > 0 ? num / den : null, numerator: num, denominator: den, score: null };
}

// ---- compiled rules ------------------------------------------------------------------------

const NL = LINEAR_KPIS.length;
const DIM_INDEX = Object.fromEntries(DIMENSIONS.map((d, i) => [d, i])) as Record<Dimension, number>;
const KIND_RATE = 0;
const KIND_MEAN = 1;
const KIND_COMPLEMENT = 2;
const ATTENDANCE = LINEAR_KPIS.findIndex((d) => d.id === 'attendance_rate');

/** The counters the kernel reads, loaded once per staff member into a scratch array. */
const USED: readonly CounterName[] = [
  ...new Set<CounterName>([
    ...LINEAR_KPIS.flatMap((d) => [d.num, d.den, ...(d.sample ? [d.sample] : [])] as CounterName[]),
    'late_shifts',
    'contacts_handled',
    'contacts_resolved',
    'inquiries_resolved',
    'meter_readings',
    'work_orders_completed',
    'repairs_restored',
    'callbacks_made',
    'quality_passed',
    'quality_inspections',
    'violations',
    'complaints_general',
    'complaints_serious',
    'complaints_general_substantiated',
    'complaints_serious_substantiated',
    'training_completed',
    'training_gain_sum',
    'bills_issued',
    'outage_notices',
  ]),
];
/** Counter name -> index in USED (the kernel's scratch row). */
const UI = Object.fromEntries(USED.map((n, i) => [n, i])) as Record<CounterName, number>;
/** The same as a Map, for loadCounters' pass over a record's keys. */
const USED_INDEX: ReadonlyMap<string, number> = new Map(USED.map((n, i) => [n, i]));
/** Number of counters per row of loadCounters. */
export const ROW = USED.length;

export interface CompiledRules {
  readonly rules: Rules;
  readonly decimals: number;
  readonly num: Int32Array;
  readonly den: Int32Array;
  /** counter index of the sample, -1 = den */
  readonly sample: Int32Array;
  readonly kind: Uint8Array;
  readonly higher: Uint8Array;
  readonly floor: Float64Array;
  /** target − floor (higher) or floor − target (lower), the denominator of the linear score */
  readonly span: Float64Array;
  readonly minSample: Float64Array;
  readonly weight: Float64Array;
  readonly dim: Int32Array;
  readonly attendancePerLateShift: number;
  readonly satisfactionPenalty: number;
  readonly unitWeights: Float64Array;
  readonly referenceFactor: number;
  readonly roleWeights: ReadonlyMap<string, Float64Array>;
  readonly minDimensions: number;
  readonly gradeA: number;
  readonly gradeB: number;
  readonly gradeC: number;
  /** per linear KPI, its shared results of small samples (by denominator, then numerator); null
   * for the KPIs that read more counters (a sample, late shifts) */
  readonly shared: readonly (SharedTable | null)[];
  readonly sharedQualityPassRate: SharedTable;
  readonly sharedTrainingGain: SharedTable;
}

/** Flat tables of the rules for the kernel (cheap; done once per scoring run). */
export function compileRules(rules: Rules): CompiledRules {
  const num = new Int32Array(NL);
  const den = new Int32Array(NL);
  const sample = new Int32Array(NL);
  const kind = new Uint8Array(NL);
  const higher = new Uint8Array(NL);
  const floor = new Float64Array(NL);
  const span = new Float64Array(NL);
  const minSample = new Float64Array(NL);
  const weight = new Float64Array(NL);
  const dim = new Int32Array(NL);
  for (let i = 0; i < NL; i++) {
    const d = LINEAR_KPIS[i]!;
    const r = rules.kpis[d.id];
    num[i] = UI[d.num as CounterName];
    den[i] = UI[d.den as CounterName];
    sample[i] = d.sample === undefined ? -1 : UI[d.sample as CounterName];
    kind[i] = d.kind === 'rate' ? KIND_RATE : d.kind === 'mean' ? KIND_MEAN : KIND_COMPLEMENT;
    higher[i] = r.better === 'higher' ? 1 : 0;
    floor[i] = r.floor;
    span[i] = r.better === 'higher' ? r.target - r.floor : r.floor - r.target;
    minSample[i] = r.minSample;
    weight[i] = r.weight;
    dim[i] = DIM_INDEX[d.dimension];
  }
  const w = rules.workload.unitWeights;
  const roleWeights = new Map<string, Float64Array>();
  for (const [role, rw] of Object.entries(rules.roleWeights)) {
    roleWeights.set(role, Float64Array.from(DIMENSIONS, (d) => rw[d]));
  }
  return {
    rules,
    decimals: rules.scoring.decimals,
    num,
    den,
    sample,
    kind,
    higher,
    floor,
    span,
    minSample,
    weight,
    dim,
    attendancePerLateShift: rules.penalties.attendancePerLateShift,
    satisfactionPenalty: rules.penalties.satisfactionPerSubstantiatedGeneralComplaint,
    unitWeights: Float64Array.of(
      w.contacts_handled,
      w.contacts_resolved,
      w.meter_readings,
      w.bills_issued,
      w.work_orders_completed,
      w.repairs_restored,
      w.callbacks_made,
      w.outage_notices,
    ),
    referenceFactor: rules.workload.referenceFactor,
    roleWeights,
    minDimensions: rules.scoring.minDimensions,
    gradeA: rules.grades.A,
    gradeB: rules.grades.B,
    gradeC: rules.grades.C,
    shared: LINEAR_KPIS.map((d, i) => (d.sample === undefined && i !== ATTENDANCE ? sharedTable() : null)),
    sharedQualityPassRate: sharedTable(),
    sharedTrainingGain: sharedTable(),
  };
}

// ---- shared results ------------------------------------------------------------------------

// Results over small samples (supervisor and 360° ratings, quality inspections, surveys,
// callbacks, training) repeat across staff: in the benchmark population 100k staff have ~490k
// of them, ~4k distinct. Each distinct one is made once per scoring run and shared, frozen like
// NO_DATA: a card then holds ~25 % fewer bytes for the GC to copy. Larger samples give mostly
// distinct results, and are not looked up (a big table costs more than the objects it saves).

const SMALL_DEN = 64;
const SMALL_NUM = 1024;

/**
 * Shared results of one KPI by [denominator][numerator]: rows are made for the denominators that
 * occur (≤ SMALL_DEN + 1 of them), so a lookup is two array loads, several times cheaper than a
 * Map probe; 100k staff make ~1.2M of these lookups per run.
 */
export type SharedTable = (KpiResult | undefined)[][];

function sharedTable(): SharedTable {
  return new Array<(KpiResult | undefined)[]>(SMALL_DEN + 1).fill(undefined as unknown as (KpiResult | undefined)[]);
}

/**
 * Whether (num, den) is a small sample, shared by table: both integers ≥ +0 (1 / x > 0 also rules
 * out -0, whose results differ from +0's in the sign of a zero).
 */
function isSmall(num: number, den: number): boolean {
  return Number.isInteger(num) && Number.isInteger(den) && 1 / num > 0 && 1 / den > 0 && num < SMALL_NUM && den <= SMALL_DEN;
}

/** The shared result for the small sample (num, den), or undefined when it is not made yet. */
function sharedGet(table: SharedTable, num: number, den: number): KpiResult | undefined {
  const row = table[den];
  return row === undefined ? undefined : row[num];
}

/** Freezes r and keeps it in table for the small sample (num, den). */
function share(table: SharedTable, num: number, den: number, r: KpiResult): KpiResult {
  let row = table[den];
  if (row === undefined) table[den] = row = new Array<KpiResult | undefined>(SMALL_NUM).fill(undefined);
  row[num] = Object.freeze(r);
  return r;
}

// ---- kernel --------------------------------------------------------------------------------

// Scratch state of the kernel (scoring is synchronous).
const v = new Float64Array(64);
const score = new Float64Array(NL);
const scored = new Uint8Array(NL);
const sum = new Float64Array(DIMENSIONS.length);
const wsum = new Float64Array(DIMENSIONS.length);

/** min(100, 100 × units / (factor × reference)); null when there is no positive reference. */
function workloadScoreOf(cr: CompiledRules, units: number, reference: number | null): number | null {
  if (reference === null || !(reference > 0)) return null;
  const s = Math.min(100, (100 * units) / (cr.referenceFactor * reference));
  return roundTo(s, cr.decimals);
}

/**
 * The counters the kernel reads (absent = 0) into row[off .. off + ROW). One pass over the
 * record's own keys (~25 of the ~45 the kernel reads are there): a read of an absent name probes
 * the prototype chain too, ≈5× slower than enumerating. Records built key by key are
 * dictionary-mode objects past ~20 keys, several times slower to enumerate than the fast-mode
 * records the counter store parses (CounterStore.periodCounters).
 */
export function loadCounters(c: Counters, row: Float64Array, off: number): void {
  for (let j = 0; j < ROW; j++) row[off + j] = 0; // a loop: cheaper than a fill() call for ~45 numbers
  const cc = c as Record<string, number | undefined>;
  // for-in walks the shape's cached key list and loads each value by its slot, with no key array
  // allocated per record (Object.keys) and no keyed lookup per value.
  for (const key in cc) {
    const j = USED_INDEX.get(key);
    if (j !== undefined) row[off + j] = cc[key] ?? 0;
  }
}

/** Σ unit weight × count (多勞多得) of a loaded row, rounded to 4 decimals. */
export function unitsOfRow(cr: CompiledRules, row: Float64Array, off: number): number {
  const w = cr.unitWeights;
  const units =
    w[0]! * row[off + UI.contacts_handled]! +
    w[1]! * row[off + UI.contacts_resolved]! +
    w[2]! * row[off + UI.meter_readings]! +
    w[3]! * row[off + UI.bills_issued]! +
    w[4]! * row[off + UI.work_orders_completed]! +
    w[5]! * row[off + UI.repairs_restored]! +
    w[6]! * row[off + UI.callbacks_made]! +
    w[7]! * row[off + UI.outage_notices]!;
  return roundTo(units, 4);
}

/** Linear KPI i of the scratch row; sets its score in the kernel's score scratch. */
function lin(cr: CompiledRules, i: number): KpiResult {
  scored[i] = 0;
  const den = v[cr.den[i]!]!;
  const raw = v[cr.num[i]!]!;
  if (den === 0 && raw === 0) return NO_DATA;
  const table = cr.shared[i]!;
  if (table === null || !isSmall(raw, den)) return linResult(cr, i, raw, den);
  const r = sharedGet(table, raw, den);
  if (r === undefined) return share(table, raw, den, linResult(cr, i, raw, den));
  if (r.score !== null) {
    score[i] = r.score;
    scored[i] = 1;
  }
  return r;
}

function linResult(cr: CompiledRules, i: number, raw: number, den: number): KpiResult {
  const kind = cr.kind[i]!;
  const numerator = kind === KIND_COMPLEMENT ? Math.max(0, den - raw) : raw;
  const si = cr.sample[i]!;
  const sample = si < 0 ? den : v[si]!;
  if (den <= 0 || sample < cr.minSample[i]!) {
    return { value: null, numerator, denominator: den, score: null };
  }
  let value = numerator / den;
  if (kind !== KIND_MEAN && value > 1) value = 1;
  const floor = cr.floor[i]!;
  const r = cr.higher[i] === 1 ? (value - floor) / cr.span[i]! : (floor - value) / cr.span[i]!;
  let s = 100 * (r < 0 ? 0 : r > 1 ? 1 : r);
  if (i === ATTENDANCE) {
    s -= cr.attendancePerLateShift * v[UI.late_shifts]!;
    if (s < 0) s = 0;
  }
  s = roundTo(s, cr.decimals);
  score[i] = s;
  scored[i] = 1;
  return { value, numerator, denominator: den, score: s };
}

/** ratio(num, den), shared when it is a small sample. */
function sharedRatio(table: SharedTable, num: number, den: number): KpiResult {
  if ((num === 0 && den === 0) || !isSmall(num, den)) return ratio(num, den);
  return sharedGet(table, num, den) ?? share(table, num, den, ratio(num, den));
}

/** Every KPI and reported measure of the scratch row (improvement: NO_IMPROVEMENT); fills the kernel's score scratch. */
function kpisOfLoaded(cr: CompiledRules, units: number, workloadReference: number | null): KpiMap {
  const ref = workloadReference !== null && workloadReference > 0 ? workloadReference : null;
  return {
    workload_units: { value: units, numerator: units, denominator: ref, score: workloadScoreOf(cr, units, ref) },
    avg_handle_seconds: lin(cr, 0),
    callback_on_time_rate: lin(cr, 1),
    work_order_on_time_rate: lin(cr, 2),
    restoration_on_time_rate: lin(cr, 3),
    outage_notice_on_time_rate: lin(cr, 4),
    first_contact_resolution: lin(cr, 5),
    meter_reading_accuracy: lin(cr, 6),
    billing_accuracy: lin(cr, 7),
    work_order_right_first_time: lin(cr, 8),
    quality_score: lin(cr, 9),
    customer_satisfaction: lin(cr, 10),
    repair_satisfaction: lin(cr, 11),
    feedback_360: lin(cr, 12),
    meter_reading_rate: lin(cr, 13),
    fee_collection_rate: lin(cr, 14),
    repair_commitment_rate: lin(cr, 15),
    callback_rate: lin(cr, 16),
    attendance_rate: lin(cr, 17),
    supervisor_rating: lin(cr, 18),
    contacts_handled: count(v[UI.contacts_handled]!),
    problems_solved: count(v[UI.contacts_resolved]!),
    questions_answered: count(v[UI.inquiries_resolved]!),
    meter_readings: count(v[UI.meter_readings]!),
    work_orders_completed: count(v[UI.work_orders_completed]!),
    repairs_restored: count(v[UI.repairs_restored]!),
    callbacks_made: count(v[UI.callbacks_made]!),
    quality_pass_rate: sharedRatio(cr.sharedQualityPassRate, v[UI.quality_passed]!, v[UI.quality_inspections]!),
    violations: count(v[UI.violations]!),
    complaints_general: count(v[UI.complaints_general]!),
    complaints_serious: count(v[UI.complaints_serious]!),
    complaints_general_substantiated: count(v[UI.complaints_general_substantiated]!),
    complaints_serious_substantiated: count(v[UI.complaints_serious_substantiated]!),
    training_completed: count(v[UI.training_completed]!),
    training_gain: sharedRatio(cr.sharedTrainingGain, v[UI.training_gain_sum]!, v[UI.training_completed]!),
    improvement: NO_IMPROVEMENT,
  };
}

function mean(i: number, decimals: number): number | null {
  return wsum[i]! > 0 ? roundTo(sum[i]! / wsum[i]!, decimals) : null;
}

/** The seven dimensions from the scores kpisOfLoaded just computed (call right after it). */
export function dimensionsOf(cr: CompiledRules, workloadScore: number | null): DimensionScores {
  for (let d = 0; d < sum.length; d++) sum[d] = wsum[d] = 0;
  for (let i = 0; i < NL; i++) {
    if (scored[i] === 0) continue;
    const w = cr.weight[i]!;
    const d = cr.dim[i]!;
    sum[d]! += w * score[i]!;
    wsum[d]! += w;
  }
  const dec = cr.decimals;
  let satisfaction = mean(4, dec);
  if (satisfaction !== null) {
    const penalty = cr.satisfactionPenalty * v[UI.complaints_general_substantiated]!;
    satisfaction = Math.max(0, roundTo(satisfaction - penalty, dec));
  }
  return {
    workload: workloadScore,
    timeliness: mean(1, dec),
    accuracy: mean(2, dec),
    standardisation: mean(3, dec),
    satisfaction,
    taskCompletion: mean(5, dec),
    conduct: mean(6, dec),
  };
}

/** Σ weight × dimension / Σ weight over non-null positively weighted dimensions; null below minDimensions. */
export function compositeFrom(cr: CompiledRules, d: DimensionScores, w: Float64Array): number | null {
  let s = 0;
  let ws = 0;
  let n = 0;
  let x: number | null;
  let wd: number;
  // DIMENSIONS order, unrolled.
  x = d.workload;
  wd = w[0]!;
  if (x !== null && wd > 0) (s += wd * x), (ws += wd), n++;
  x = d.timeliness;
  wd = w[1]!;
  if (x !== null && wd > 0) (s += wd * x), (ws += wd), n++;
  x = d.accuracy;
  wd = w[2]!;
  if (x !== null && wd > 0) (s += wd * x), (ws += wd), n++;
  x = d.standardisation;
  wd = w[3]!;
  if (x !== null && wd > 0) (s += wd * x), (ws += wd), n++;
  x = d.satisfaction;
  wd = w[4]!;
  if (x !== null && wd > 0) (s += wd * x), (ws += wd), n++;
  x = d.taskCompletion;
  wd = w[5]!;
  if (x !== null && wd > 0) (s += wd * x), (ws += wd), n++;
  x = d.conduct;
  wd = w[6]!;
  if (x !== null && wd > 0) (s += wd * x), (ws += wd), n++;
  if (n < cr.minDimensions || ws <= 0) return null;
  return roundTo(s / ws, cr.decimals);
}

export function gradeFrom(cr: CompiledRules, composite: number | null): Grade {
  if (composite === null) return 'INSUFFICIENT_DATA';
  if (composite >= cr.gradeA) return 'A';
  if (composite >= cr.gradeB) return 'B';
  if (composite >= cr.gradeC) return 'C';
  return 'D';
}

/** Output of scoreRow (reused; copy what you keep). */
export interface KernelResult {
  kpis: KpiMap;
  dimensions: DimensionScores;
  composite: number | null;
  grade: Grade;
}

/**
 * One staff member, from counters loaded with loadCounters into row[off ..]: KPIs, dimensions,
 * composite, grade (before team adjustments), improvement. Returns `out`, overwritten by the next
 * call.
 */
export function scoreRow(
  cr: CompiledRules,
  row: Float64Array,
  off: number,
  role: string,
  units: number,
  workloadReference: number | null,
  previousComposite: number | null | undefined,
  out: KernelResult,
): KernelResult {
  for (let j = 0; j < ROW; j++) v[j] = row[off + j]!;
  return scoreLoaded(cr, role, units, workloadReference, previousComposite, out);
}

function scoreLoaded(
  cr: CompiledRules,
  role: string,
  units: number,
  workloadReference: number | null,
  previousComposite: number | null | undefined,
  out: KernelResult,
): KernelResult {
  const kpis = kpisOfLoaded(cr, units, workloadReference);
  const dimensions = dimensionsOf(cr, kpis.workload_units.score);
  const w = cr.roleWeights.get(role);
  if (w === undefined) throw new TypeError(`no role weights for role ${JSON.stringify(role)}`);
  const composite = compositeFrom(cr, dimensions, w);
  if (composite !== null && previousComposite !== null && previousComposite !== undefined) {
    const value = roundTo(composite - previousComposite, cr.decimals);
    kpis.improvement = { value, numerator: null, denominator: null, score: null };
  }
  out.kpis = kpis;
  out.dimensions = dimensions;
  out.composite = composite;
  out.grade = gradeFrom(cr, composite);
  return out;
}
