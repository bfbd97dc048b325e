// Pure helpers of the scorer: content hashes, period close times, the JSON kept in Redis.
import { CARD_NUMBERS, cardNumbers, eligibilityIdOf, hashStaticProfile, hashTrend, Hasher, type Eligibility, type Grade, type MonthRecord, type Period, type PreviousFinal, type Rules, type Scorecard, type ScorecardStatus, type Skill } from '@cs/appraisal';

import { isTeamField, TEAM_FIELD_PREFIX, type TeamPublished } from './team-records.ts';

export type PeriodStateName = 'open' | 'finalizing' | 'final';

/** `<p>:{scorer}:periods` value. revision = revision rounds published after FINAL (0 = FINAL only). */
export interface PeriodState {
  state: PeriodStateName;
  revision: number;
  /** the rules version the period was FINALed under: every REVISED round scores with it (README "Rules in force") */
  rulesVersion?: string;
}

/** `<p>:{scorer}:pub:<periodId>` value: what was last published for a staff member. */
export interface Published {
  /** content hash (see contentHash) */
  h: string;
  status: ScorecardStatus;
  revision: number;
  composite: number | null;
  grade: Grade;
  /** FINAL/REVISED: appraisalId of the card last published (what an eligibility-only revision derives from) */
  a?: string;
  /** MONTH FINAL/REVISED: eligibilityHash of the eligibility record last published */
  e?: string;
  /**
   * MONTH FINAL/REVISED: this month and the kept months before it (rules trend.longMonths in all,
   * newest first), as the card last published saw them: the next month's trend history
   * (docs/dynamic-appraisal.md). Lives as long as this record (publishedTtlSeconds).
   */
  t?: KeptMonth[];
}

/** A month in Published.t, compact (100k members × 6 months): [month, composite, grade, dimensions, trained skills?]. */
export type KeptMonth = [string, number | null, Grade, (number | null)[]] | [string, number | null, Grade, (number | null)[], Skill[]];

export function keptMonths(records: readonly MonthRecord[]): KeptMonth[] {
  return records.map((r) => (r.trained && r.trained.length > 0 ? [r.month, r.composite, r.grade, [...r.dimensions], [...r.trained]] : [r.month, r.composite, r.grade, [...r.dimensions]]));
}

/**
 * The trend history of each member from the published records of the month before: their kept
 * months, or, for a record written before months were kept, that month's composite and grade alone.
 */
export function previousMonthsOf(published: ReadonlyMap<string, Published>, month: string): Map<string, MonthRecord[]> {
  const m = new Map<string, MonthRecord[]>();
  for (const [staffId, p] of published) {
    if (p.status === 'PROVISIONAL') continue;
    m.set(
      staffId,
      p.t === undefined
        ? [{ month, composite: p.composite, grade: p.grade, dimensions: [] }]
        : p.t.map(([mo, composite, grade, dimensions, trained]) => (trained ? { month: mo, composite, grade, dimensions, trained } : { month: mo, composite, grade, dimensions })),
    );
  }
  return m;
}

/**
 * Hash of a scorecard's content: everything but appraisalId, computedAt, status and revision, so
 * a re-computation with the same numbers compares equal, and a REVISED candidate compares with
 * the FINAL it would replace. Fed field by field (strings, then every number), not through JSON.
 * (v3, the project's one hash; a record stored by v2 compares unequal once, so a member re-scored
 * after the upgrade is re-published once if their period is still open or revisable.)
 */
export function contentHash(card: Scorecard): string {
  const h = CONTENT.reset()
    .str('scorecard-content/3')
    .str(card.staffId)
    .str(card.teamId)
    .str(card.role)
    .str(card.period.kind)
    .str(card.period.start)
    .str(card.period.end)
    .str(card.period.timeZone)
    .str(card.rulesVersion)
    .str(card.grade);
  cardNumbers(card, numBuf);
  h.nums(numBuf, 0, CARD_NUMBERS);
  // The trend (appraisal v6, MONTH cards) is content: a revision of an earlier month can move it.
  if (card.trend) hashTrend(h, card.trend);
  // The static profile (appraisal v7) is content: a certificate granted or expiring moves it.
  if (card.staticProfile) hashStaticProfile(h, card.staticProfile);
  // The reasons (appraisal v3) are content: a new correction makes the next card REVISED even when
  // no number moved. A card without any hashes as before.
  const reasons = card.reasons;
  if (reasons !== undefined && reasons.length > 0) {
    h.str('reasons').num(reasons.length);
    for (const r of reasons) {
      h.str(r.correctionId).str(r.kind).str(r.reason).str(r.requestedBy).str(r.approvedBy).num(r.at).str(r.detail);
      const a = r.adjustment;
      if (a === null) h.num(null);
      else h.str(a.target).str(a.id).str(a.mode).num(a.amount);
    }
  }
  return h.hex();
}

const CONTENT = new Hasher();

/**
 * Hash of an eligibility record's content: the engine's eligibilityId of the record with its
 * appraisalId left out, so a REVISED round tells whose eligibility (awards, flags, coefficient…)
 * moved even where their card did not. (A change of the id scheme compares unequal once: the
 * eligibility of a revisable period is then re-published once.)
 */
export function eligibilityHash(e: Eligibility): string {
  return eligibilityIdOf({ ...e, appraisalId: '' });
}
const numBuf = new Float64Array(CARD_NUMBERS);

/** "period|staffId" pairs -> periodId -> staff ids; only DAY and MONTH periods. */
export function groupPairs(pairs: Iterable<string>): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const pair of pairs) {
    const bar = pair.lastIndexOf('|');
    if (bar <= 0) continue;
    const period = pair.slice(0, bar);
    if (!period.startsWith('DAY:') && !period.startsWith('MONTH:')) continue;
    let s = out.get(period);
    if (!s) out.set(period, (s = new Set()));
    s.add(pair.slice(bar + 1));
  }
  return out;
}

export function parseState(json: string | null | undefined): PeriodState | null {
  if (!json) return null;
  const v = JSON.parse(json) as PeriodState;
  return v.rulesVersion === undefined ? { state: v.state, revision: Number(v.revision) } : { state: v.state, revision: Number(v.revision), rulesVersion: String(v.rulesVersion) };
}

/** The staff members' records of a published hash (the teams' fields, team-records.ts, left out). */
export function parsePublished(hash: Record<string, string>): Map<string, Published> {
  const m = new Map<string, Published>();
  for (const [staffId, json] of Object.entries(hash)) if (!isTeamField(staffId)) m.set(staffId, JSON.parse(json) as Published);
  return m;
}

/** The teams' records of a published hash, by teamId. */
export function parsePublishedTeams(hash: Record<string, string>): Map<string, TeamPublished> {
  const m = new Map<string, TeamPublished>();
  for (const [field, json] of Object.entries(hash)) if (isTeamField(field)) m.set(field.slice(TEAM_FIELD_PREFIX.length), JSON.parse(json) as TeamPublished);
  return m;
}

/** Published FINAL/REVISED records of a period as the engine's previousFinals. */
export function previousFinalsOf(published: ReadonlyMap<string, Published>): Map<string, PreviousFinal> {
  const m = new Map<string, PreviousFinal>();
  for (const [staffId, p] of published) {
    if (p.status === 'PROVISIONAL') continue;
    m.set(staffId, { composite: p.composite, grade: p.grade, status: p.status });
  }
  return m;
}

export function publishedOf(card: Scorecard): Published {
  return { h: contentHash(card), status: card.status, revision: card.revision, composite: card.composite, grade: card.grade };
}

/** Count of scorecards per team and grade. */
export function gradeCounts(cards: readonly Scorecard[]): Map<string, Map<Grade, number>> {
  const out = new Map<string, Map<Grade, number>>();
  for (const c of cards) {
    let t = out.get(c.teamId);
    if (!t) out.set(c.teamId, (t = new Map()));
    t.set(c.grade, (t.get(c.grade) ?? 0) + 1);
  }
  return out;
}
