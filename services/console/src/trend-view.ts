// What the console shows of the trends on the MONTH cards (docs/dynamic-appraisal.md): a member's
// figures with the composites of their long window, and per team who is improving, declining or
// on an improvement plan. Pure; the counting is @cs/appraisal's (trend-summary.ts), as in the
// demo's live view and the scorer's gauges.
import { monthIndex, onImprovementPlan, teamTrendSummaries, trendDirection, type PlanAfter, type TeamTrendSummary, type TrendDirection } from '@cs/appraisal';
import type { Scorecard } from '@cs/contracts';

export type CardTrend = NonNullable<Scorecard['trend']>;

export interface StaffTrend {
  trend: CardTrend;
  direction: TrendDirection;
  plan: boolean;
  /** the long window's months, oldest first, with the composite of the member's card (null: none, or not graded) */
  points: { month: string; composite: number | null }[];
}

const monthOf = (c: Scorecard) => c.period.start.slice(0, 7);

function monthName(i: number): string {
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
}

/**
 * The trend of a member's MONTH card, and the composites of its long window from the member's
 * MONTH cards (as published: the card's own figures come from the history the scorer kept, these
 * from the topic, so a month whose card was compacted away shows a gap). Undefined for a card
 * without a trend (DAY cards, records before appraisal v6).
 */
export function staffTrend(card: Scorecard, monthCards: readonly Scorecard[], planAfter: PlanAfter): StaffTrend | undefined {
  if (card.trend == null || card.period.kind !== 'MONTH') return undefined;
  const m = monthIndex(monthOf(card));
  const byMonth = new Map(monthCards.filter((c) => c.period.kind === 'MONTH').map((c) => [monthOf(c), c.composite]));
  byMonth.set(monthOf(card), card.composite);
  const points: StaffTrend['points'] = [];
  for (let i = m - card.trend.longWindow + 1; i <= m; i++) points.push({ month: monthName(i), composite: byMonth.get(monthName(i)) ?? null });
  return { trend: card.trend, direction: trendDirection(card.trend), plan: onImprovementPlan(card, planAfter), points };
}

export interface TeamTrends {
  summary: TeamTrendSummary | undefined;
  /** the members with a trend, in the order given (the team page: rank order) */
  members: { staffId: string; trend: CardTrend; direction: TrendDirection; plan: boolean }[];
}

/** A team's trends from its members' cards of one month. */
export function teamTrends(members: readonly Scorecard[], planAfter: PlanAfter): TeamTrends {
  return {
    summary: teamTrendSummaries(members, planAfter)[0],
    members: members.filter((m) => m.trend != null).map((m) => ({ staffId: m.staffId, trend: m.trend!, direction: trendDirection(m.trend), plan: onImprovementPlan(m, planAfter) })),
  };
}
