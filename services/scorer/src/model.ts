// Pure helpers of the scorer: content hashes, period close times, the JSON kept in Redis.
import { canonicalJson, Hasher, type Grade, type Period, type PreviousFinal, type Rules, type Scorecard, type ScorecardStatus } from '@cs/appraisal';

export type PeriodStateName = 'open' | 'finalizing' | 'final';

/** `<p>:{scorer}:periods` value. revision = revision rounds published after FINAL (0 = FINAL only). */
export interface PeriodState {
  state: PeriodStateName;
  revision: number;
}

/** `<p>:{scorer}:pub:<periodId>` value: what was last published for a staff member. */
export interface Published {
  /** content hash (see contentHash) */
  h: string;
  status: ScorecardStatus;
  revision: number;
  composite: number | null;
  grade: Grade;
}

/** One record waiting in the outbox: topic 'a' (appraisal) or 'e' (eligibility), key, Avro bytes in base64. */
export interface OutboxMessage {
  t: 'a' | 'e';
  k: string;
  v: string;
}

export interface OutboxMeta {
  periodId: string;
  status: 'FINAL' | 'REVISED';
  /** period state to commit once sent */
  next: PeriodState;
  /** per staff member, what to record as published */
  published: Record<string, Published>;
  messages: number;
  createdAt: number;
}

/**
 * Hash of a scorecard's content: everything but appraisalId, computedAt, status and revision, so
 * a re-computation with the same numbers compares equal, and a REVISED candidate compares with
 * the FINAL it would replace.
 */
export function contentHash(card: Scorecard): string {
  const { appraisalId: _a, computedAt: _c, status: _s, revision: _r, ...content } = card;
  return new Hasher().str('scorecard-content/1').str(canonicalJson(content)).hex();
}

/** When a period closes: end + closeGrace of its kind. */
export function closeAtMs(period: Pick<Period, 'kind' | 'endMs'>, rules: Rules): number {
  return period.endMs + rules.periods.closeGraceMinutes[period.kind] * 60_000;
}

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
  return { state: v.state, revision: Number(v.revision) };
}

export function parsePublished(hash: Record<string, string>): Map<string, Published> {
  const m = new Map<string, Published>();
  for (const [staffId, json] of Object.entries(hash)) m.set(staffId, JSON.parse(json) as Published);
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
