import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Grade, PeriodKind, Scorecard } from '@cs/appraisal';
import { gradeCounts } from './model.ts';
import { createTeamMetrics } from './team-metrics.ts';
import { createTrendMetrics } from './trend-metrics.ts';

export function createScorerMetrics(registry = new Registry()) {
  collectDefaultMetrics({ register: registry, prefix: 'cs_scorer_' });
  const m = {
    registry,
    tickDuration: new Histogram({ name: 'cs_scorer_tick_duration_seconds', help: 'Time of one scoring tick (drain outboxes, score changed periods, publish)', buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60], registers: [registry] }),
    staffScored: new Counter({ name: 'cs_scorer_staff_scored_total', help: 'Staff-period scorecards computed (published or not)', registers: [registry] }),
    scorecardsPublished: new Counter({ name: 'cs_scorer_scorecards_published_total', help: 'Scorecards sent to the appraisal topic, by status', labelNames: ['status'], registers: [registry] }),
    teamCardsPublished: new Counter({ name: 'cs_scorer_team_cards_published_total', help: 'Team scorecards sent to the team scorecard topic, by status', labelNames: ['status'], registers: [registry] }),
    eligibilityPublished: new Counter({ name: 'cs_scorer_eligibility_published_total', help: 'Incentive-eligibility records sent', registers: [registry] }),
    outboxResent: new Counter({ name: 'cs_scorer_outbox_resent_total', help: 'Outboxes left by an interrupted publication and sent again', registers: [registry] }),
    tickErrors: new Counter({ name: 'cs_scorer_tick_errors_total', help: 'Ticks that failed (retried at the next tick)', registers: [registry] }),
    lastSuccessfulTick: new Gauge({ name: 'cs_scorer_last_successful_tick_timestamp_seconds', help: 'Unix time of the last tick that completed (staleness = time() - this)', registers: [registry] }),
    gradeCount: new Gauge({ name: 'cs_scorer_grade_count', help: 'Scorecards per team and grade of the latest period of each kind that has begun', labelNames: ['team', 'grade', 'period_kind'], registers: [registry] }),
    isLeader: new Gauge({ name: 'cs_scorer_is_leader', help: '1 while this replica holds the publishing lease', registers: [registry] }),
    openPeriods: new Gauge({ name: 'cs_scorer_open_periods', help: 'Periods known and not yet FINAL', registers: [registry] }),
    periodsRefused: new Counter({
      name: 'cs_scorer_periods_refused_total',
      help: 'Periods not scored, by reason: beyond_horizon (start beyond now + rules periods.maxDueAheadDays), rules_version_gone (FINALed under a rules version no longer loaded), rules_version_mixed (counters attributed under another rules version than the one scoring the period), rules_version_adopted_invalid (the rules a RULES_ADOPTED correction adopted for the period no longer validate)',
      labelNames: ['reason'],
      registers: [registry],
    }),
    finalsAwaitingAggregator: new Gauge({ name: 'cs_scorer_finals_awaiting_aggregator', help: 'Periods due for FINAL held back until the aggregator has applied what the source topics held when they came due', registers: [registry] }),
  };
  for (const reason of ['beyond_horizon', 'rules_version_gone', 'rules_version_mixed', 'rules_version_adopted_invalid']) m.periodsRefused.inc({ reason }, 0); // present at 0, so increase() sees the first refusal
  const latest = new Map<PeriodKind, string>();
  const series = new Map<PeriodKind, { team: string; grade: Grade }[]>();
  return {
    ...m,
    // The trends of the latest MONTH (trend-metrics.ts).
    ...createTrendMetrics(registry),
    // The team cards of the latest MONTH begun (team-metrics.ts).
    ...createTeamMetrics(registry),
    /** Grade distribution of a period's cards, if it is the latest period of its kind seen. */
    observeGrades(kind: PeriodKind, start: string, cards: readonly Scorecard[]): void {
      const cur = latest.get(kind);
      if (cur !== undefined && start < cur) return;
      latest.set(kind, start);
      for (const s of series.get(kind) ?? []) m.gradeCount.remove({ team: s.team, grade: s.grade, period_kind: kind });
      const now: { team: string; grade: Grade }[] = [];
      for (const [team, grades] of gradeCounts(cards)) {
        for (const [grade, n] of grades) {
          m.gradeCount.set({ team, grade, period_kind: kind }, n);
          now.push({ team, grade });
        }
      }
      series.set(kind, now);
    },
  };
}
export type ScorerMetrics = ReturnType<typeof createScorerMetrics>;
