// One staff member, one period: counters -> KPIs, dimensions, composite, grade (before team
// adjustments). Allocation-light: one KPI map and one dimension object per call.

import type { Counters } from './counters.ts';
import { computeDimensions, type DimensionScores } from './dimensions.ts';
import type { Grade, Role } from './domain.ts';
import { compositeOf, gradeOf } from './grading.ts';
import { computeKpis, workloadUnits, type KpiMap } from './kpis.ts';
import { roundTo } from './numbers.ts';
import type { Rules } from './rules/schema.ts';

export interface StaffScoreInput {
  counters: Counters;
  role: Role;
  /** median workload units of the reference group; null/absent => workload not scored */
  workloadReference?: number | null;
  /** precomputed workloadUnits(counters) (saves a pass when the caller has it) */
  workloadUnits?: number;
  /** composite of the previous FINAL of the same kind, for `improvement` */
  previousComposite?: number | null;
}

export interface StaffScore {
  kpis: KpiMap;
  dimensions: DimensionScores;
  composite: number | null;
  grade: Grade;
  workloadUnits: number;
}

export function scoreStaff(input: StaffScoreInput, rules: Rules): StaffScore {
  const c = input.counters;
  const units = input.workloadUnits ?? workloadUnits(c, rules);
  const kpis = computeKpis(c, rules, units, input.workloadReference ?? null);
  const dimensions = computeDimensions(kpis, c, rules);
  const composite = compositeOf(dimensions, input.role, rules);
  const prev = input.previousComposite;
  if (composite !== null && prev !== null && prev !== undefined) {
    const value = roundTo(composite - prev, rules.scoring.decimals);
    kpis.improvement = { value, numerator: null, denominator: null, score: null };
  }
  return { kpis, dimensions, composite, grade: gradeOf(composite, rules), workloadUnits: units };
}
