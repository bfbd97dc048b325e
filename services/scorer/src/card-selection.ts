// Which scored cards of a period to publish, and what to record for them (pure).
import { eligibility, eligibilityIdOf, historyToKeep, monthRecordOf, type Counters, type Eligibility, type MonthRecord, type Period, type RosterEntry, type Rules, type Scorecard } from '@cs/appraisal';
import type { TeamScorecard } from '@cs/contracts';
import { eligibilityHash, keptMonths, publishedOf, type KeptMonth, type Published } from './model.ts';
import { teamField, type TeamPublished, type TeamRecords } from './team-records.ts';

/** PROVISIONAL: the cards whose content changed since last published, and the pairs (staffId, Published JSON) to record. */
export function changedProvisionals(cards: readonly Scorecard[], published: ReadonlyMap<string, Published>): { cards: Scorecard[]; record: string[] } {
  const out: Scorecard[] = [];
  const record: string[] = [];
  for (const c of cards) {
    const p = publishedOf(c);
    if (published.get(c.staffId)?.h === p.h) continue;
    out.push(c);
    record.push(c.staffId, JSON.stringify(p));
  }
  return { cards: out, record };
}

/**
 * REVISED: revision n+1 of a member's FINAL. A member who joined the roster after the period was
 * finalized has no FINAL to revise: their first card of a closed period is FINAL revision 0
 * (payroll expects exactly one FINAL per staff-period, then REVISED ones).
 */
export function revisionsOf(roster: readonly RosterEntry[], published: ReadonlyMap<string, Published>): { revision: Map<string, number>; memberStatus: Map<string, 'FINAL'> } {
  const revision = new Map<string, number>();
  const memberStatus = new Map<string, 'FINAL'>();
  for (const r of roster) {
    const p = published.get(r.staffId);
    if (p && p.status !== 'PROVISIONAL') revision.set(r.staffId, p.revision + 1);
    else memberStatus.set(r.staffId, 'FINAL');
  }
  return { revision, memberStatus };
}

/** One member's share of a FINAL/REVISED publication: their card and/or eligibility, and what to record. */
export interface MemberRecords {
  staffId: string;
  card?: Scorecard;
  eligibility?: Eligibility;
  team?: undefined;
  published: Published;
}

/** A team's share: its record (cs.team-scorecard.v1, key <teamId>|<periodId>) under its field of the published hash. */
export interface TeamEntry {
  /** teamField(teamId) */
  staffId: string;
  card?: undefined;
  eligibility?: undefined;
  team: TeamScorecard;
  published: TeamPublished;
}

/** What an outbox holds: members' and teams' records. */
export type OutboxEntry = MemberRecords | TeamEntry;

/** Team records as outbox entries beside the members'. */
export function teamEntries(teams: readonly TeamRecords[]): TeamEntry[] {
  return teams.map((t) => ({ staffId: teamField(t.teamId), team: t.record, published: t.published }));
}

/**
 * FINAL: every card, with its eligibility. REVISED: the cards whose content differs from the
 * FINAL/REVISED they would replace, with their eligibility; and, for a member whose card did not
 * change but whose eligibility did (an award moved to or from them), a new eligibility record
 * that derives from the card already published. Eligibility is computed over the whole
 * population, so awards follow everyone's cards.
 */
export function finalsToPublish(
  cards: readonly Scorecard[],
  eligibility: ReadonlyMap<string, Eligibility>,
  published: ReadonlyMap<string, Published>,
  status: 'FINAL' | 'REVISED',
  /** MONTH: the months to keep with a card (keptHistory), recorded with it */
  kept?: (card: Scorecard) => KeptMonth[],
): MemberRecords[] {
  const out: MemberRecords[] = [];
  for (const c of cards) {
    const e = eligibility.get(c.staffId);
    const p: Published = { ...publishedOf(c), a: c.appraisalId, ...(e ? { e: eligibilityHash(e) } : {}), ...(kept ? { t: kept(c) } : {}) };
    const before = published.get(c.staffId);
    const revising = status === 'REVISED' && before !== undefined && before.status !== 'PROVISIONAL';
    const cardSame = revising && before.h === p.h;
    const eligibilitySame = before?.e === p.e;
    if (cardSame && eligibilitySame) continue;
    if (cardSame && before.a !== undefined && e) out.push({ staffId: c.staffId, eligibility: derivedFrom(e, before.a), published: { ...before, e: p.e, ...(p.t ? { t: p.t } : {}) } });
    // (a record stored before appraisalIds were kept: the card is re-published with the eligibility)
    else out.push({ staffId: c.staffId, card: c, ...(e ? { eligibility: e } : {}), published: p });
  }
  return out;
}

/** MONTH eligibility of the whole population, per staff member (none for a DAY). */
export function eligibilityOf(
  period: Period,
  cards: readonly Scorecard[],
  counters: Parameters<typeof eligibility>[1],
  previousFinals: Parameters<typeof eligibility>[2],
  rules: Rules,
  queueCalls?: Parameters<typeof eligibility>[4],
  teams?: Parameters<typeof eligibility>[5],
): Map<string, Eligibility> {
  const out = new Map<string, Eligibility>();
  if (period.kind === 'MONTH') for (const e of eligibility(cards, counters, previousFinals, rules, queueCalls, teams)) out.set(e.staffId, e);
  return out;
}

/** An eligibility record re-pointed at the card it derives from (its id follows). */
function derivedFrom(e: Eligibility, appraisalId: string): Eligibility {
  const r = { ...e, appraisalId };
  r.eligibilityId = eligibilityIdOf(r);
  return r;
}

/**
 * What a MONTH card's record keeps for the next month's trend: this month (the card's figures and
 * the skills passed, from its counters), then its history within rules trend.longMonths.
 */
export function keptHistory(
  counters: ReadonlyMap<string, Counters>,
  history: ReadonlyMap<string, readonly MonthRecord[]>,
  rules: Rules,
): (card: Scorecard) => KeptMonth[] {
  return (card) => keptMonths(historyToKeep(monthRecordOf(card, counters.get(card.staffId)), history.get(card.staffId) ?? [], rules));
}
