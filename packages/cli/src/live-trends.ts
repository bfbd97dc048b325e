// The demo's terminal view of the trends on the MONTH cards (docs/dynamic-appraisal.md): one line
// of figures per member, and a table per team of who is improving, declining or on an improvement
// plan. Pure text from cards: the counting rules are @cs/appraisal's (trend-summary.ts).
import { onImprovementPlan, teamTrendSummaries, trendDirection, type PlanAfter, type TrendDirection } from '@cs/appraisal';
import type { Scorecard } from '@cs/contracts';
import { formatTable, num } from './table.ts';

const ARROW: Record<TrendDirection, string> = { IMPROVING: '↑', STEADY: '→', DECLINING: '↓', UNKNOWN: '' };

type Trend = NonNullable<Scorecard['trend']>;

/** A slope as an arrow and its points a month (`↑4.0`, `→0.3`, `↓2.5`), `-` without one. */
export function slopeText(slope: number | null): string {
  if (slope === null) return '-';
  return `${ARROW[trendDirection({ shortSlope: slope })]}${num(Math.abs(slope))}`;
}

/**
 * A member's trend in one line: the 3- and 6-month mean with its slope, the run of D grades and
 * the improvement plan, the course measured with its gain and score, e.g.
 * `3m 81.3 ↑4.0 · 6m 77.6 ↑3.1 · D×3 PLAN · trained 2026-09 +10.0 (100)`.
 */
export function trendText(trend: Trend, plan: boolean): string {
  const parts = [`${trend.shortWindow}m ${num(trend.shortMean)} ${slopeText(trend.shortSlope)}`, `${trend.longWindow}m ${num(trend.longMean)} ${slopeText(trend.longSlope)}`];
  if (trend.consecutiveD > 0) parts.push(`D×${trend.consecutiveD}${plan ? ' PLAN' : ''}`);
  if (trend.trainingMonth !== null) {
    const gain = trend.trainingGain === null ? '-' : `${trend.trainingGain >= 0 ? '+' : ''}${num(trend.trainingGain)}`;
    parts.push(`trained ${trend.trainingMonth} ${gain} (${num(trend.trainingGainScore, 0)})`);
  }
  return parts.join(' · ');
}

/** What a leaderboard cell adds for a MONTH card: its short slope, and PLAN on an improvement plan (`''` without a trend). */
export function trendTag(card: Scorecard, planAfter: PlanAfter): string {
  if (card.trend == null) return '';
  return ` ${slopeText(card.trend.shortSlope)}${onImprovementPlan(card, planAfter) ? ' PLAN' : ''}`;
}

/** The steepest short slope of the members in `dir`'s direction (ties: staffId), or undefined. */
function steepest(members: readonly Scorecard[], dir: 'IMPROVING' | 'DECLINING'): Scorecard | undefined {
  const sign = dir === 'IMPROVING' ? 1 : -1;
  return members
    .filter((m) => trendDirection(m.trend) === dir)
    .sort((a, b) => sign * (b.trend!.shortSlope! - a.trend!.shortSlope!) || a.staffId.localeCompare(b.staffId))[0];
}

/**
 * Per team (the MONTH cards of one period): members improving (↑), steady (→), declining (↓) over
 * the short window, on an improvement plan, and the steepest climb and decline with their figures.
 */
export function trendBoard(cards: readonly Scorecard[], planAfter: PlanAfter, title: string): string[] {
  const withTrend = cards.filter((c) => c.trend != null);
  if (withTrend.length === 0) return [`${title}: no trends yet`];
  const line = (m: Scorecard | undefined) => (m ? `${m.staffId} ${trendText(m.trend!, onImprovementPlan(m, planAfter))}` : '');
  const rows = teamTrendSummaries(withTrend, planAfter).map((s) => {
    const members = withTrend.filter((c) => c.teamId === s.teamId);
    const d = s.byDirection;
    return [s.teamId, String(d.IMPROVING), String(d.STEADY), String(d.DECLINING), String(d.UNKNOWN), String(s.plans.length), line(steepest(members, 'IMPROVING')), line(steepest(members, 'DECLINING'))];
  });
  return [title, formatTable(['team', '↑', '→', '↓', '?', 'plan', 'steepest climb', 'steepest decline'], rows)];
}
