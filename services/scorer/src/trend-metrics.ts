// The trends of the latest MONTH scored as gauges (docs/dynamic-appraisal.md "In Grafana"): counts
// per team and role, never a series per staff member (unbounded cardinality, and personal data in
// the monitoring). Gauges, not a summary or histogram: the month is re-scored every tick while it
// is open, so observing each card would count the same members again and again; a gauge set from
// the whole month's cards says how things stand now. Counted as the live view and the console count
// (@cs/appraisal trend-summary.ts).
import { Gauge, type Registry } from 'prom-client';
import { TREND_DIRECTIONS, teamTrendSummaries, type PlanAfter, type Scorecard } from '@cs/appraisal';

export function createTrendMetrics(registry: Registry) {
  const staffTrend = new Gauge({
    name: 'cs_scorer_staff_trend_count',
    help: 'Members with a trend on the latest MONTH scored, per team, role and direction of the 3-month composite slope (improving >= 1 point a month, declining <= -1, steady between, unknown with fewer than two graded months)',
    labelNames: ['team', 'role', 'direction'],
    registers: [registry],
  });
  const plans = new Gauge({ name: 'cs_scorer_improvement_plan_count', help: 'Members of the latest MONTH scored whose consecutive D grades require an improvement plan (rules trend.improvementPlanAfter), per team', labelNames: ['team'], registers: [registry] });
  const gainMean = new Gauge({ name: 'cs_scorer_training_gain_points', help: 'Mean training gain (points in the related dimensions since the course) of the members of the latest MONTH scored with one measured, per team', labelNames: ['team'], registers: [registry] });
  const gainMeasured = new Gauge({ name: 'cs_scorer_training_gain_measured_count', help: 'Members of the latest MONTH scored with a training gain measured, per team', labelNames: ['team'], registers: [registry] });
  let latest = '';
  return {
    /** The trend gauges from a MONTH's cards, if it is the latest MONTH seen (DAY cards carry no trend). */
    observeTrends(start: string, cards: readonly Scorecard[], planAfter: PlanAfter): void {
      if (start < latest) return;
      latest = start;
      // Teams and roles come and go with the roster: drop every series, then set this month's.
      for (const g of [staffTrend, plans, gainMean, gainMeasured]) g.reset();
      const roles = new Map<string, Scorecard[]>();
      for (const c of cards) (roles.get(c.role) ?? roles.set(c.role, []).get(c.role)!).push(c);
      for (const [role, ofRole] of roles) {
        for (const s of teamTrendSummaries(ofRole, planAfter)) {
          for (const d of TREND_DIRECTIONS) staffTrend.set({ team: s.teamId, role, direction: d.toLowerCase() }, s.byDirection[d]);
        }
      }
      for (const s of teamTrendSummaries(cards, planAfter)) {
        plans.set({ team: s.teamId }, s.plans.length);
        gainMeasured.set({ team: s.teamId }, s.trainingMeasured);
        if (s.trainingGainMean !== null) gainMean.set({ team: s.teamId }, s.trainingGainMean);
      }
    },
  };
}
