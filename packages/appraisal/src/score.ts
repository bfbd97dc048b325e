// One staff member, one period: counters -> KPIs, dimensions, composite, grade (before team
// adjustments), through the kernel (kernel.ts). Allocation-light: one KPI map and one dimension
// object per call.

import type { Counters } from './counters.ts';
import type { Grade, Role } from './domain.ts';
import { compileRules, scoreOne, unitsOf, type DimensionScores, type KernelResult, type KpiMap } from './kernel.ts';
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
  const cr = compileRules(rules);
  const c = input.counters;
  const units = input.workloadUnits ?? unitsOf(cr, c);
  const r = scoreOne(cr, c, input.role, units, input.workloadReference ?? null, input.previousComposite, RESULT);
  return { kpis: r.kpis, dimensions: r.dimensions, composite: r.composite, grade: r.grade, workloadUnits: units };
}

const RESULT: KernelResult = { kpis: undefined as unknown as KpiMap, dimensions: undefined as unknown as DimensionScores, composite: null, grade: 'INSUFFICIENT_DATA' };
