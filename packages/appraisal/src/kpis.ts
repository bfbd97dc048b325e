// Counters -> every KPI of the model (value, numerator, denominator, score) and the reported
// measures (score null). A KPI whose sample is below its minimum is not applicable: value and
// score null, numerator and denominator still shown.

import { type Counters } from './counters.ts';
import type { Dimension, KpiId, LinearKpiId } from './domain.ts';
import { clamp01, roundTo } from './numbers.ts';
import type { LinearKpiRule, Rules } from './rules/schema.ts';

export interface KpiResult {
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  score: number | null;
}

export type KpiMap = Record<KpiId, KpiResult>;

type ValueKind = 'rate' | 'mean' | 'complement';

interface LinearDef {
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

const D = Object.fromEntries(LINEAR_KPIS.map((d) => [d.id, d])) as Record<LinearKpiId, LinearDef>;

/** Linear score 0–100 between floor and target, unrounded. */
export function linearScore(v: number, rule: LinearKpiRule): number {
  const r =
    rule.better === 'higher'
      ? (v - rule.floor) / (rule.target - rule.floor)
      : (rule.floor - v) / (rule.floor - rule.target);
  return 100 * clamp01(r);
}

// Scorecards are immutable values: the common "nothing happened" results are shared frozen
// objects, which keeps scoring 100k staff light on allocation and GC.
const NO_DATA: KpiResult = Object.freeze({ value: null, numerator: 0, denominator: 0, score: null });
const ZERO_COUNT: KpiResult = Object.freeze({ value: 0, numerator: 0, denominator: null, score: null });
export const NO_IMPROVEMENT: KpiResult = Object.freeze({ value: null, numerator: null, denominator: null, score: null });

function linearKpi(def: LinearDef, c: Counters, rules: Rules): KpiResult {
  const rule = rules.kpis[def.id];
  const den = c[def.den] ?? 0;
  const raw = c[def.num] ?? 0;
  if (den === 0 && raw === 0) return NO_DATA;
  const numerator = def.kind === 'complement' ? Math.max(0, den - raw) : raw;
  const sample = def.sample === undefined ? den : (c[def.sample] ?? 0);
  if (den <= 0 || sample < rule.minSample) {
    return { value: null, numerator, denominator: den, score: null };
  }
  let value = numerator / den;
  if (def.kind !== 'mean' && value > 1) value = 1;
  let score = linearScore(value, rule);
  if (def.id === 'attendance_rate') {
    score -= rules.penalties.attendancePerLateShift * (c.late_shifts ?? 0);
    if (score < 0) score = 0;
  }
  return { value, numerator, denominator: den, score: roundTo(score, rules.scoring.decimals) };
}

function count(n: number): KpiResult {
  if (n === 0) return ZERO_COUNT;
  return { value: n, numerator: n, denominator: null, score: null };
}

function ratio(num: number, den: number): KpiResult {
  if (num === 0 && den === 0) return NO_DATA;
  return { value: den > 0 ? num / den : null, numerator: num, denominator: den, score: null };
}

/** Σ unit weight × count (多勞多得). */
export function workloadUnits(c: Counters, rules: Rules): number {
  const w = rules.workload.unitWeights;
  const units =
    w.contacts_handled * (c.contacts_handled ?? 0) +
    w.contacts_resolved * (c.contacts_resolved ?? 0) +
    w.meter_readings * (c.meter_readings ?? 0) +
    w.bills_issued * (c.bills_issued ?? 0) +
    w.work_orders_completed * (c.work_orders_completed ?? 0) +
    w.repairs_restored * (c.repairs_restored ?? 0) +
    w.callbacks_made * (c.callbacks_made ?? 0) +
    w.outage_notices * (c.outage_notices ?? 0);
  return roundTo(units, 4);
}

/** min(100, 100 × units / (factor × reference)); null when there is no positive reference. */
export function workloadScore(units: number, reference: number | null, rules: Rules): number | null {
  if (reference === null || !(reference > 0)) return null;
  const s = Math.min(100, (100 * units) / (rules.workload.referenceFactor * reference));
  return roundTo(s, rules.scoring.decimals);
}

/**
 * Every KPI and reported measure. `improvement` = composite minus the previous FINAL's composite,
 * known only after the dimensions, so scoreStaff sets it (null => not applicable).
 */
export function computeKpis(
  c: Counters,
  rules: Rules,
  units: number,
  workloadReference: number | null,
): KpiMap {
  const ref = workloadReference !== null && workloadReference > 0 ? workloadReference : null;
  return {
    workload_units: { value: units, numerator: units, denominator: ref, score: workloadScore(units, ref, rules) },
    avg_handle_seconds: linearKpi(D.avg_handle_seconds, c, rules),
    callback_on_time_rate: linearKpi(D.callback_on_time_rate, c, rules),
    work_order_on_time_rate: linearKpi(D.work_order_on_time_rate, c, rules),
    restoration_on_time_rate: linearKpi(D.restoration_on_time_rate, c, rules),
    outage_notice_on_time_rate: linearKpi(D.outage_notice_on_time_rate, c, rules),
    first_contact_resolution: linearKpi(D.first_contact_resolution, c, rules),
    meter_reading_accuracy: linearKpi(D.meter_reading_accuracy, c, rules),
    billing_accuracy: linearKpi(D.billing_accuracy, c, rules),
    work_order_right_first_time: linearKpi(D.work_order_right_first_time, c, rules),
    quality_score: linearKpi(D.quality_score, c, rules),
    customer_satisfaction: linearKpi(D.customer_satisfaction, c, rules),
    repair_satisfaction: linearKpi(D.repair_satisfaction, c, rules),
    feedback_360: linearKpi(D.feedback_360, c, rules),
    meter_reading_rate: linearKpi(D.meter_reading_rate, c, rules),
    fee_collection_rate: linearKpi(D.fee_collection_rate, c, rules),
    repair_commitment_rate: linearKpi(D.repair_commitment_rate, c, rules),
    callback_rate: linearKpi(D.callback_rate, c, rules),
    attendance_rate: linearKpi(D.attendance_rate, c, rules),
    supervisor_rating: linearKpi(D.supervisor_rating, c, rules),
    contacts_handled: count(c.contacts_handled ?? 0),
    problems_solved: count(c.contacts_resolved ?? 0),
    questions_answered: count(c.inquiries_resolved ?? 0),
    meter_readings: count(c.meter_readings ?? 0),
    work_orders_completed: count(c.work_orders_completed ?? 0),
    repairs_restored: count(c.repairs_restored ?? 0),
    callbacks_made: count(c.callbacks_made ?? 0),
    quality_pass_rate: ratio(c.quality_passed ?? 0, c.quality_inspections ?? 0),
    violations: count(c.violations ?? 0),
    complaints_general: count(c.complaints_general ?? 0),
    complaints_serious: count(c.complaints_serious ?? 0),
    complaints_general_substantiated: count(c.complaints_general_substantiated ?? 0),
    complaints_serious_substantiated: count(c.complaints_serious_substantiated ?? 0),
    training_completed: count(c.training_completed ?? 0),
    training_gain: ratio(c.training_gain_sum ?? 0, c.training_completed ?? 0),
    improvement: NO_IMPROVEMENT,
  };
}
