// Team ranking and forced distribution.
// Rank graded members by composite (desc), ties by workload units (desc), then staffId (asc).
// Team size = graded members. With the quota (MONTH FINAL/REVISED), at most
// max(minAQuota, floor(maxAShare × graded)) A grades; A grades beyond it become B.

import type { Grade } from './domain.ts';
import type { Rules } from './rules/schema.ts';

export interface Rankable {
  staffId: string;
  composite: number | null;
  workloadUnits: number;
  grade: Grade;
}

export interface RankResult {
  teamRank: number | null;
  teamSize: number;
  grade: Grade;
}

export function compareRank(a: Rankable, b: Rankable): number {
  return (
    (b.composite as number) - (a.composite as number) ||
    b.workloadUnits - a.workloadUnits ||
    (a.staffId < b.staffId ? -1 : a.staffId > b.staffId ? 1 : 0)
  );
}

export function aQuota(graded: number, rules: Rules): number {
  const fd = rules.forcedDistribution;
  return Math.max(fd.minAQuota, Math.floor(fd.maxAShare * graded));
}

/** Results in the order of `members` (one team). */
export function rankTeam(members: readonly Rankable[], applyQuota: boolean, rules: Rules): RankResult[] {
  const graded: number[] = [];
  for (let i = 0; i < members.length; i++) if (members[i]!.composite !== null) graded.push(i);
  graded.sort((i, j) => compareRank(members[i]!, members[j]!));
  const teamSize = graded.length;
  const out: RankResult[] = members.map((m) => ({ teamRank: null, teamSize, grade: m.grade }));
  const quota = applyQuota ? aQuota(teamSize, rules) : Infinity;
  let aCount = 0;
  for (let r = 0; r < graded.length; r++) {
    const res = out[graded[r]!]!;
    res.teamRank = r + 1;
    if (res.grade === 'A' && ++aCount > quota) res.grade = 'B';
  }
  return out;
}

export function forcedDistributionApplies(kind: string, status: string): boolean {
  return kind === 'MONTH' && (status === 'FINAL' || status === 'REVISED');
}
