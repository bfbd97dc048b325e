// Team cards as published records (schemas/team-scorecard.avsc) and which of them a round
// publishes: PROVISIONAL when their content changed, FINAL all, REVISED those whose content differs
// from the FINAL/REVISED they would replace, like the staff cards (card-selection.ts). Pure.
import { createHash } from 'node:crypto';
import { TEAM_KPI_IDS, type PeriodRef, type ScorecardStatus, type TeamCard } from '@cs/appraisal';
import type { TeamScorecard } from '@cs/contracts';

/** A team's entry in the period's published hash (`<p>:{scorer}:pub:<periodId>`), beside the staff members'. */
export interface TeamPublished {
  /** teamContentHash of the record last published */
  h: string;
  status: ScorecardStatus;
  revision: number;
}

/** Its field there: "team|<teamId>" (a staff id never holds "|", so the two never meet). */
export const TEAM_FIELD_PREFIX = 'team|';
export const teamField = (teamId: string) => `${TEAM_FIELD_PREFIX}${teamId}`;
export const isTeamField = (field: string) => field.startsWith(TEAM_FIELD_PREFIX);

export function teamRecordOf(t: TeamCard, period: PeriodRef, status: ScorecardStatus, revision: number, rulesVersion: string, computedAt: string): TeamScorecard {
  return {
    teamId: t.teamId,
    period: { kind: period.kind, start: period.start, end: period.end, timeZone: period.timeZone },
    status,
    revision,
    rulesVersion,
    members: t.members,
    graded: t.graded,
    grades: { ...t.grades },
    workloadPerHead: t.workloadPerHead,
    compositeMean: t.compositeMean,
    compositeSpread: t.compositeSpread,
    kpis: TEAM_KPI_IDS.map((kpiId) => ({ kpiId, ...t.kpis[kpiId] })),
    kpiScore: t.kpiScore,
    score: t.score,
    rank: t.rank,
    computedAt,
  };
}

/** Hash of a team record's content: all but status, revision and computedAt (the record's fields in schema order). */
export function teamContentHash(r: TeamScorecard): string {
  const { status: _s, revision: _r, computedAt: _c, ...content } = r;
  return createHash('sha256').update('team-content/1').update(JSON.stringify(content)).digest('hex').slice(0, 32);
}

/** One team's share of a publication: the record and what to record as published. */
export interface TeamRecords {
  teamId: string;
  record: TeamScorecard;
  published: TeamPublished;
}

/**
 * The team records a round publishes. PROVISIONAL: those whose content changed; FINAL: every
 * team, revision 0; REVISED: revision n+1 of a team whose content differs from its FINAL/REVISED,
 * and FINAL revision 0 for a team that had none (a team formed after the close).
 */
export function teamsToPublish(teams: readonly TeamCard[], period: PeriodRef, status: ScorecardStatus, rulesVersion: string, computedAt: string, published: ReadonlyMap<string, TeamPublished>): TeamRecords[] {
  const out: TeamRecords[] = [];
  for (const t of teams) {
    const before = published.get(t.teamId);
    const closed = before !== undefined && before.status !== 'PROVISIONAL';
    const [st, rev] = status === 'REVISED' ? (closed ? (['REVISED', before.revision + 1] as const) : (['FINAL', 0] as const)) : ([status, 0] as const);
    const record = teamRecordOf(t, period, st, rev, rulesVersion, computedAt);
    const h = teamContentHash(record);
    if (status === 'PROVISIONAL' && before?.h === h) continue;
    if (status === 'REVISED' && closed && before.h === h) continue;
    out.push({ teamId: t.teamId, record, published: { h, status: st, revision: rev } });
  }
  return out;
}
