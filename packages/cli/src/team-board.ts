// The team board of a month (docs/team-scorecards.md) as a table: teams by rank (unranked teams
// after, by teamId), score, composite mean and spread, the team KPIs, grades, workload per head.
// Pure; `cs-appraisal teams` prints it.
import type { TeamScorecard } from '@cs/contracts';
import { num } from './table.ts';

/** Short column names of the team KPIs, in the record's order. */
const KPI_COLUMNS: Record<string, string> = {
  service_level: 'SL',
  repair_commitment_rate: 'REPAIR',
  fee_collection_rate: 'COLLECT',
  meter_reading_rate: 'READING',
  complaints_per_1000_contacts: 'CMPL/1K',
};

export function byRank(a: TeamScorecard, b: TeamScorecard): number {
  const ra = a.rank ?? Number.POSITIVE_INFINITY;
  const rb = b.rank ?? Number.POSITIVE_INFINITY;
  if (ra !== rb) return ra - rb;
  return a.teamId < b.teamId ? -1 : a.teamId > b.teamId ? 1 : 0;
}

/** A KPI cell: rates as percent, the complaint rate per 1,000 contacts; `-` when it does not apply. */
function kpiCell(id: string, value: number | null): string {
  if (value === null) return '-';
  return id === 'complaints_per_1000_contacts' ? num(value, 2) : `${num(100 * value)}%`;
}

export function teamBoard(teams: readonly TeamScorecard[]): { headers: string[]; rows: string[][] } {
  const sorted = [...teams].sort(byRank);
  const kpiIds = Object.keys(KPI_COLUMNS);
  const headers = ['RANK', 'TEAM', 'STATUS', 'REV', 'SCORE', 'MEAN', 'SPREAD', ...kpiIds.map((id) => KPI_COLUMNS[id]!), 'A', 'B', 'C', 'D', 'N/A', 'MEMBERS', 'WORK/HEAD'];
  const rows = sorted.map((t) => {
    const kpis = new Map(t.kpis.map((k) => [k.kpiId, k.value]));
    return [
      t.rank === null ? '-' : String(t.rank), t.teamId, t.status, String(t.revision), num(t.score), num(t.compositeMean), num(t.compositeSpread),
      ...kpiIds.map((id) => kpiCell(id, kpis.get(id) ?? null)),
      String(t.grades.A), String(t.grades.B), String(t.grades.C), String(t.grades.D), String(t.grades.INSUFFICIENT_DATA), String(t.members), num(t.workloadPerHead),
    ];
  });
  return { headers, rows };
}
