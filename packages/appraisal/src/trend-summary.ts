// How the trends of MONTH cards are summarised for people (the demo's live view, the console) and
// for the monitoring (the scorer's trend gauges), in one place so all three count alike
// (docs/dynamic-appraisal.md "Where the trends are shown"). Pure.

/** Direction of a member's short-window slope; UNKNOWN with fewer than two graded months. */
export type TrendDirection = 'IMPROVING' | 'STEADY' | 'DECLINING' | 'UNKNOWN';
export const TREND_DIRECTIONS: readonly TrendDirection[] = ['IMPROVING', 'STEADY', 'DECLINING', 'UNKNOWN'];

/**
 * A short-window slope under this many points a month either way counts as STEADY: composites
 * drift by fractions of a point between months with no change in how someone works, and a board
 * that calls 0.2 points a month "improving" would say nothing. A display convention, not a rule of
 * the appraisal: no card, grade or award reads it.
 */
export const STEADY_BAND_POINTS_PER_MONTH = 1;

/** The part of a card's trend the summaries read (appraisal and contracts cards both fit). */
export interface TrendFigures {
  shortSlope: number | null;
  consecutiveD: number;
  trainingGain: number | null;
}

export function trendDirection(trend: Pick<TrendFigures, 'shortSlope'> | null | undefined): TrendDirection {
  const s = trend?.shortSlope;
  if (s === null || s === undefined) return 'UNKNOWN';
  if (s >= STEADY_BAND_POINTS_PER_MONTH) return 'IMPROVING';
  if (s <= -STEADY_BAND_POINTS_PER_MONTH) return 'DECLINING';
  return 'STEADY';
}

/** The card fields a team's trend summary reads. */
export interface TrendCard {
  staffId: string;
  teamId: string;
  rulesVersion: string;
  /** null on DAY cards; absent on a record read without the appraisal v6 defaults (hence `== null` below) */
  trend?: TrendFigures | null;
}

/**
 * Consecutive D months (trend.improvementPlanAfter) from which a card's rules version requires an
 * improvement plan; undefined for a version not loaded (the card then counts as no plan: the
 * summary claims nothing it cannot check).
 */
export type PlanAfter = (rulesVersion: string) => number | undefined;

/** Whether a card's trend requires an improvement plan under its own rules version. */
export function onImprovementPlan(card: Pick<TrendCard, 'rulesVersion' | 'trend'>, planAfter: PlanAfter): boolean {
  const after = planAfter(card.rulesVersion);
  return card.trend != null && after !== undefined && card.trend.consecutiveD >= after;
}

export interface TeamTrendSummary {
  teamId: string;
  /** MONTH cards with a trend */
  members: number;
  byDirection: Record<TrendDirection, number>;
  /** staff ids on an improvement plan, sorted */
  plans: string[];
  /** members whose trend measured a training gain */
  trainingMeasured: number;
  /** mean training gain of those, points (unrounded); null when none */
  trainingGainMean: number | null;
}

/** Per team (sorted by id): direction counts, improvement plans and training gains of the cards with a trend. */
export function teamTrendSummaries(cards: readonly TrendCard[], planAfter: PlanAfter): TeamTrendSummary[] {
  const teams = new Map<string, TeamTrendSummary & { gainSum: number }>();
  for (const c of cards) {
    if (c.trend == null) continue;
    let t = teams.get(c.teamId);
    if (!t) teams.set(c.teamId, (t = { teamId: c.teamId, members: 0, byDirection: { IMPROVING: 0, STEADY: 0, DECLINING: 0, UNKNOWN: 0 }, plans: [], trainingMeasured: 0, trainingGainMean: null, gainSum: 0 }));
    t.members++;
    t.byDirection[trendDirection(c.trend)]++;
    if (onImprovementPlan(c, planAfter)) t.plans.push(c.staffId);
    if (c.trend.trainingGain !== null) (t.trainingMeasured++, (t.gainSum += c.trend.trainingGain));
  }
  return [...teams.values()]
    .sort((a, b) => (a.teamId < b.teamId ? -1 : a.teamId > b.teamId ? 1 : 0))
    .map(({ gainSum, ...t }) => ({ ...t, plans: t.plans.sort(), trainingGainMean: t.trainingMeasured ? gainSum / t.trainingMeasured : null }));
}
