// Counters -> every KPI of the model (value, numerator, denominator, score) and the reported
// measures (score null). A KPI whose sample is below its minimum is not applicable: value and
// score null, numerator and denominator still shown. The arithmetic lives in kernel.ts (rules
// compiled into flat tables); these are the one-staff-member entry points.

import { type Counters } from './counters.ts';
import { compileRules, kpisOf, type KpiMap } from './kernel.ts';
import { clamp01, roundTo } from './numbers.ts';
import type { LinearKpiRule, Rules } from './rules/schema.ts';

export { LINEAR_KPIS, NO_IMPROVEMENT, type KpiMap, type KpiResult, type LinearDef } from './kernel.ts';

/** Linear score 0–100 between floor and target, unrounded. */
export function linearScore(v: number, rule: LinearKpiRule): number {
  const r =
    rule.better === 'higher'
      ? (v - rule.floor) / (rule.target - rule.floor)
      : (rule.floor - v) / (rule.floor - rule.target);
  return 100 * clamp01(r);
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
  return kpisOf(compileRules(rules), c, units, workloadReference);
}
