// One staff member, one period: counters -> KPIs, dimensions, composite, grade (before team
// adjustments), through the kernel (kernel.ts) as scorePopulation scores each member. Allocation-light: one KPI map and one dimension
// object per call.

import type { Counters } from './counters.ts';
import type { Grade, Role } from './domain.ts';
import { ROW, compileRules, loadCounters, scoreRow, unitsOfRow, type DimensionScores, type KernelResult, type KpiMap } from './kernel.ts';
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
  loadCounters(input.counters, row, 0);
  const units = input.workloadUnits ?? unitsOfRow(cr, row, 0);
  const r = scoreRow(cr, row, 0, input.role, units, input.workloadReference ?? null, input.previousComposite, RESULT);
  return { kpis: r.kpis, dimensions: r.dimensions, composite: r.composite, grade: r.grade, workloadUnits: units };
}

const row = new Float64Array(ROW);
const RESULT: KernelResult = { kpis: undefined as unknown as KpiMap, dimensions: undefined as unknown as DimensionScores, composite: null, grade: 'INSUFFICIENT_DATA' };
