// Forced distribution (scorePopulation ranks each team and applies it): with the quota (MONTH
// FINAL/REVISED), at most max(minAQuota, floor(maxAShare × graded)) A grades; A grades beyond it
// become B.

import type { Rules } from './rules/schema.ts';

export function aQuota(graded: number, rules: Rules): number {
  const fd = rules.forcedDistribution;
  return Math.max(fd.minAQuota, Math.floor(fd.maxAShare * graded));
}

export function forcedDistributionApplies(kind: string, status: string): boolean {
  return kind === 'MONTH' && (status === 'FINAL' || status === 'REVISED');
}
