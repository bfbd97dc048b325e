// The scoring kernel: one staff member's counters -> KPIs, dimensions, composite, grade, with the
// rules compiled once per scoring run into flat tables (no per-KPI rule lookups, closures or
// intermediate objects). scoreStaff and scorePopulation both score through scoreRow, so there is
// one implementation of the arithmetic; the order of every floating-point operation is
// the one the model documents (appraisal-model.md), so results are bit-for-bit stable.

import type { Adjustment } from './corrections.ts';
import type { CounterName, Counters } from './counters.ts';
import {
  DIMENSIONS,
  LINEAR_KPI_IDS,
  REPORTED_MEASURE_IDS,
  SCORED_KPI_IDS,
  type Dimension,
  type Grade,
  type KpiId,
  type LinearKpiId,
  type ReportedMeasureId,
} from './domain.ts';
import { roundTo } from './numbers.ts';
import type { Rules } from './rules/schema.ts';
import { checkLayout, compileFunction, identifier } from './unrolled.ts';

export interface KpiResult {
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  score: number | null;
}

export type KpiMap = Record<KpiId, KpiResult>;
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

/** What each reported measure shows: a counter, a ratio of two (score null), or `improvement`. */
export type MeasureDef = { count: CounterName } | { ratio: readonly [num: CounterName, den: CounterName] } | 'improvement';

/** The measures that do not show the counter of their own name. */
const MEASURES_OF_OTHER_COUNTERS = {
  problems_solved: { count: 'contacts_resolved' },
  questions_answered: { count: 'inquiries_resolved' },
  quality_pass_rate: { ratio: ['quality_passed', 'quality_inspections'] },
  training_gain: { ratio: ['training_gain_sum', 'training_completed'] },
  improvement: 'improvement',
} as const satisfies { readonly [K in ReportedMeasureId]?: MeasureDef };
type SameNameMeasure = Exclude<ReportedMeasureId, keyof typeof MEASURES_OF_OTHER_COUNTERS>;
// Every other measure shows the counter of its own name: one with no such counter fails to compile here.
const everySameNameIsCounter: SameNameMeasure extends CounterName ? true : never = true;
void everySameNameIsCounter;

const otherCounters: { readonly [K in ReportedMeasureId]?: MeasureDef } = MEASURES_OF_OTHER_COUNTERS;

/** Each reported measure, in REPORTED_MEASURE_IDS order (built once; read when the kernel is compiled). */
export const REPORTED_MEASURES = Object.fromEntries(
  REPORTED_MEASURE_IDS.map((id) => [id, otherCounters[id] ?? { count: id as SameNameMeasure }]),
) as { readonly [K in ReportedMeasureId]: MeasureDef };

type UnitWeights = Rules['workload']['unitWeights'];
/** The counters workload units weigh (rules.workload.unitWeights), in the order they are summed. */
const UNIT_COUNTERS = [
  'contacts_handled',
  'contacts_resolved',
  'meter_readings',
  'bills_issued',
  'work_orders_completed',
  'repairs_restored',
  'callbacks_made',
  'outage_notices',
] as const satisfies readonly (keyof UnitWeights & CounterName)[];
// Every weight of the rules is summed (a compile error names a weight missing from the list).
const everyUnitWeighed: Exclude<keyof UnitWeights, (typeof UNIT_COUNTERS)[number]> extends never ? true : never = true;
void everyUnitWeighed;

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
/** The measures shown as a ratio, in REPORTED_MEASURE_IDS order (each has a shared table). */
const RATIO_MEASURES = REPORTED_MEASURE_IDS.filter((id) => typeof REPORTED_MEASURES[id] === 'object' && 'ratio' in REPORTED_MEASURES[id]);

function measureCounters(m: MeasureDef): CounterName[] {
  return m === 'improvement' ? [] : 'count' in m ? [m.count] : [...m.ratio];
}

/** The counters the kernel reads, loaded once per staff member into a scratch array. */
const USED: readonly CounterName[] = [
  ...new Set<CounterName>([
    ...LINEAR_KPIS.flatMap((d) => [d.num, d.den, ...(d.sample ? [d.sample] : [])] as CounterName[]),
    'late_shifts', // attendance's lateness deduction
    ...REPORTED_MEASURE_IDS.flatMap((id) => measureCounters(REPORTED_MEASURES[id])),
    'complaints_general_substantiated', // satisfaction's penalty
    ...UNIT_COUNTERS,
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
  /** per ratio measure (RATIO_MEASURES), its shared results */
  readonly sharedRatios: readonly SharedTable[];
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
    unitWeights: Float64Array.from(UNIT_COUNTERS, (n) => w[n]),
    referenceFactor: rules.workload.referenceFactor,
    roleWeights,
    minDimensions: rules.scoring.minDimensions,
    gradeA: rules.grades.A,
    gradeB: rules.grades.B,
    gradeC: rules.grades.C,
    shared: LINEAR_KPIS.map((d, i) => (d.sample === undefined && i !== ATTENDANCE ? sharedTable() : null)),
    sharedRatios: RATIO_MEASURES.map(sharedTable),
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
export const unitsOfRow = compileFunction<(cr: CompiledRules, row: Float64Array, off: number) => number>(
  'unitsOfRow',
  ['cr', 'row', 'off'],
  `const w = cr.unitWeights;
  return roundTo(${UNIT_COUNTERS.map((n, k) => `w[${k}] * row[off + ${UI[n]}]`).join(' + ')}, 4);`,
  { roundTo },
);

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
  const s = linearScore(cr, i, value);
  score[i] = s;
  scored[i] = 1;
  return { value, numerator, denominator: den, score: s };
}

/** Score of linear KPI i at `value`: floor -> 0, target -> 100, linear between, clamped; attendance less its lateness deduction. */
function linearScore(cr: CompiledRules, i: number, value: number): number {
  const floor = cr.floor[i]!;
  const r = cr.higher[i] === 1 ? (value - floor) / cr.span[i]! : (floor - value) / cr.span[i]!;
  let s = 100 * (r < 0 ? 0 : r > 1 ? 1 : r);
  if (i === ATTENDANCE) {
    s -= cr.attendancePerLateShift * v[UI.late_shifts]!;
    if (s < 0) s = 0;
  }
  return roundTo(s, cr.decimals);
}

/** ratio(num, den), shared when it is a small sample. */
function sharedRatio(table: SharedTable, num: number, den: number): KpiResult {
  if ((num === 0 && den === 0) || !isSmall(num, den)) return ratio(num, den);
  return sharedGet(table, num, den) ?? share(table, num, den, ratio(num, den));
}

/** The expression of KPI or measure `id` in kpisOfLoaded. */
function kpiExpr(id: KpiId): string {
  if (id === 'workload_units') return '{ value: units, numerator: units, denominator: ref, score: workloadScoreOf(cr, units, ref) }';
  const linear = LINEAR_KPI_IDS.indexOf(id as LinearKpiId);
  if (linear >= 0) return `lin(cr, ${linear})`;
  const m = REPORTED_MEASURES[id as ReportedMeasureId];
  if (m === 'improvement') return 'NO_IMPROVEMENT';
  if ('count' in m) return `count(v[${UI[m.count]}])`;
  return `sharedRatio(cr.sharedRatios[${RATIO_MEASURES.indexOf(id as ReportedMeasureId)}], v[${UI[m.ratio[0]]}], v[${UI[m.ratio[1]]}])`;
}

checkLayout('LINEAR_KPIS', LINEAR_KPIS.map((d) => d.id), LINEAR_KPI_IDS);

/** Every KPI and reported measure of the scratch row (improvement: NO_IMPROVEMENT); fills the kernel's score scratch. */
const kpisOfLoaded = compileFunction<(cr: CompiledRules, units: number, workloadReference: number | null) => KpiMap>(
  'kpisOfLoaded',
  ['cr', 'units', 'workloadReference'],
  `const ref = workloadReference !== null && workloadReference > 0 ? workloadReference : null;
  return {
    ${[...SCORED_KPI_IDS, ...REPORTED_MEASURE_IDS].map((id) => `${identifier(id)}: ${kpiExpr(id)}`).join(',\n    ')}
  };`,
  { v, lin, count, sharedRatio, workloadScoreOf, NO_IMPROVEMENT },
);

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
  return dimensionScores(cr, workloadScore);
}

/** Satisfaction less its penalty per substantiated general complaint, floored at 0. */
function penalised(cr: CompiledRules, satisfaction: number | null): number | null {
  if (satisfaction === null) return null;
  const penalty = cr.satisfactionPenalty * v[UI.complaints_general_substantiated]!;
  return Math.max(0, roundTo(satisfaction - penalty, cr.decimals));
}

/** The expression of dimension d (index i) in dimensionScores. */
function dimensionExpr(d: Dimension, i: number): string {
  if (d === 'workload') return 'workloadScore';
  if (d === 'satisfaction') return `penalised(cr, mean(${i}, dec))`;
  return `mean(${i}, dec)`;
}

/** The dimensions, in DIMENSIONS order, from the sums dimensionsOf accumulated. */
const dimensionScores = compileFunction<(cr: CompiledRules, workloadScore: number | null) => DimensionScores>(
  'dimensionScores',
  ['cr', 'workloadScore'],
  `const dec = cr.decimals;
  return { ${DIMENSIONS.map((d, i) => `${identifier(d)}: ${dimensionExpr(d, i)}`).join(', ')} };`,
  { mean, penalised },
);

/** Σ weight × dimension / Σ weight over non-null positively weighted dimensions; null below minDimensions. */
export const compositeFrom = compileFunction<(cr: CompiledRules, d: DimensionScores, w: Float64Array) => number | null>(
  'compositeFrom',
  ['cr', 'd', 'w'],
  `let s = 0, ws = 0, n = 0, x, wd;
  ${DIMENSIONS.map((d, i) => `x = d.${d}; wd = w[${i}]; if (x !== null && wd > 0) { s += wd * x; ws += wd; n++; }`).join('\n  ')}
  if (n < cr.minDimensions || ws <= 0) return null;
  return roundTo(s / ws, cr.decimals);`,
  { roundTo },
);

export function gradeFrom(cr: CompiledRules, composite: number | null): Grade {
  if (composite === null) return 'INSUFFICIENT_DATA';
  if (composite >= cr.gradeA) return 'A';
  if (composite >= cr.gradeB) return 'B';
  if (composite >= cr.gradeC) return 'C';
  return 'D';
}

// ---- adjustments (issue #16 item 3) ---------------------------------------------------------

/** What one adjustment did, for `explain`: the value before and after, or why it did nothing. */
export interface AdjustmentStep {
  adjustment: Adjustment;
  before: number | null;
  after: number | null;
  /** null when applied; else why not (unknown id, DELTA on a value that is not there) */
  skipped: string | null;
}

const LINEAR_INDEX: ReadonlyMap<string, number> = new Map(LINEAR_KPI_IDS.map((id, i) => [id, i]));

/** The adjusted value: VALUE replaces, DELTA adds (to a value that is there), then clamped to [lo, hi]. */
function adjusted(a: Adjustment, before: number | null, lo: number, hi: number): number | null {
  const x = a.mode === 'VALUE' ? a.amount : before === null ? null : before + a.amount;
  if (x === null || !Number.isFinite(x)) return null;
  return x < lo ? lo : x > hi ? hi : x;
}

function notApplied(a: Adjustment, what: string): string {
  return Number.isFinite(a.amount) ? `${a.id} has no ${what} to move` : `amount ${a.amount} is not a number`;
}

/**
 * KPI adjustments, in order, to the KPIs kpisOfLoaded just made (call right after it): a linear
 * KPI's value is replaced or moved, clamped (rates to 0..1, means to ≥ 0), and scored again by the
 * KPI's floor/target line, so the dimensions see the adjusted score.
 */
function adjustKpis(cr: CompiledRules, kpis: KpiMap, adjust: readonly Adjustment[], trace: AdjustmentStep[] | undefined): void {
  const map = kpis as Record<string, KpiResult>;
  for (const a of adjust) {
    if (a.target !== 'KPI') continue;
    const i = LINEAR_INDEX.get(a.id);
    const cur = i === undefined ? undefined : map[a.id]!;
    const before = cur === undefined ? null : cur.value;
    const value = i === undefined ? null : adjusted(a, before, 0, cr.kind[i] === KIND_MEAN ? Infinity : 1);
    if (i === undefined || value === null) {
      trace?.push({ adjustment: a, before, after: before, skipped: i === undefined ? `${a.id} is not a scored KPI` : notApplied(a, 'value') });
      continue;
    }
    const s = linearScore(cr, i, value);
    score[i] = s;
    scored[i] = 1;
    map[a.id] = { value, numerator: cur!.numerator, denominator: cur!.denominator, score: s };
    trace?.push({ adjustment: a, before, after: value, skipped: null });
  }
}

/** DIMENSION adjustments, in order: a dimension score replaced or moved, clamped to 0..100 and rounded as scores are. */
function adjustDimensions(cr: CompiledRules, dims: DimensionScores, adjust: readonly Adjustment[], trace: AdjustmentStep[] | undefined): void {
  const map = dims as Record<string, number | null>;
  for (const a of adjust) {
    if (a.target !== 'DIMENSION') continue;
    const known = Object.hasOwn(DIM_INDEX, a.id);
    const before = known ? map[a.id]! : null;
    const x = known ? adjusted(a, before, 0, 100) : null;
    if (x === null) {
      trace?.push({ adjustment: a, before, after: before, skipped: known ? notApplied(a, 'score') : `${a.id} is not a dimension` });
      continue;
    }
    const after = roundTo(x, cr.decimals);
    map[a.id] = after;
    trace?.push({ adjustment: a, before, after, skipped: null });
  }
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
 * call. `adjust`: the member's supervisor adjustments in the order they apply (KPIs before the
 * dimensions, dimensions before the composite); `trace` collects what each did.
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
  adjust?: readonly Adjustment[],
  trace?: AdjustmentStep[],
): KernelResult {
  for (let j = 0; j < ROW; j++) v[j] = row[off + j]!;
  const kpis = kpisOfLoaded(cr, units, workloadReference);
  // The override hook: a member with adjustments goes through the same arithmetic, with the
  // adjusted KPIs feeding the dimensions and the adjusted dimensions feeding the composite.
  if (adjust !== undefined) adjustKpis(cr, kpis, adjust, trace);
  const dimensions = dimensionsOf(cr, kpis.workload_units.score);
  if (adjust !== undefined) adjustDimensions(cr, dimensions, adjust, trace);
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
