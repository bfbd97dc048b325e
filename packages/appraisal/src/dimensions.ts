// KPI scores -> the seven dimension scores.
// Dimension = weighted mean (equal weights by default) of its non-null KPI scores; null when all
// are null. Satisfaction: −10 per substantiated GENERAL complaint, floored at 0.

import type { Counters } from './counters.ts';
import { DIMENSIONS, type Dimension } from './domain.ts';
import { LINEAR_KPIS, type KpiMap } from './kpis.ts';
import { roundTo } from './numbers.ts';
import type { Rules } from './rules/schema.ts';

export type { DimensionScores } from './kernel.ts';
import type { DimensionScores } from './kernel.ts';

const DIM_INDEX: Record<Dimension, number> = Object.fromEntries(
  DIMENSIONS.map((d, i) => [d, i]),
) as Record<Dimension, number>;
const KPI_DIM = LINEAR_KPIS.map((d) => DIM_INDEX[d.dimension]);

// Scratch accumulators, reused (the scorer is synchronous).
const sum = new Float64Array(DIMENSIONS.length);
const weight = new Float64Array(DIMENSIONS.length);

/** Weighted mean of dimension index i (order of DIMENSIONS), or null. */
function mean(i: number, decimals: number): number | null {
  return weight[i]! > 0 ? roundTo(sum[i]! / weight[i]!, decimals) : null;
}

export function computeDimensions(kpis: KpiMap, c: Counters, rules: Rules): DimensionScores {
  sum.fill(0);
  weight.fill(0);
  for (let i = 0; i < LINEAR_KPIS.length; i++) {
    const def = LINEAR_KPIS[i]!;
    const score = kpis[def.id].score;
    if (score === null) continue;
    const w = rules.kpis[def.id].weight;
    const d = KPI_DIM[i]!;
    sum[d]! += w * score;
    weight[d]! += w;
  }
  const dec = rules.scoring.decimals;
  let satisfaction = mean(4, dec);
  if (satisfaction !== null) {
    const penalty =
      rules.penalties.satisfactionPerSubstantiatedGeneralComplaint *
      (c.complaints_general_substantiated ?? 0);
    satisfaction = Math.max(0, roundTo(satisfaction - penalty, dec));
  }
  return {
    workload: kpis.workload_units.score,
    timeliness: mean(1, dec),
    accuracy: mean(2, dec),
    standardisation: mean(3, dec),
    satisfaction,
    taskCompletion: mean(5, dec),
    conduct: mean(6, dec),
  };
}
