// The team cards of the latest MONTH that has begun as gauges (docs/team-scorecards.md): one series
// per team (and per team and KPI), never per staff member. A month ahead, scored for the tasks due
// in it, must not replace the month under way (as trend-metrics.ts). Set from the whole month's
// team cards each time it is scored, so they say how things stand now.
import { Gauge, type Registry } from 'prom-client';
import { TEAM_KPI_IDS, type Period, type TeamCard } from '@cs/appraisal';

export function createTeamMetrics(registry: Registry) {
  const score = new Gauge({ name: 'cs_team_score', help: 'Team score (what teams are ranked by: the mean composite, weighed with the team KPIs by rules teams.teamKpiWeight) of the latest MONTH begun, per team', labelNames: ['team'], registers: [registry] });
  const rank = new Gauge({ name: 'cs_team_rank', help: 'Team rank in the centre of the latest MONTH begun (1 = TEAM_HONOUR); absent for teams below teamHonourMinGraded graded members', labelNames: ['team'], registers: [registry] });
  const compositeMean = new Gauge({ name: 'cs_team_composite_mean', help: 'Mean composite of the graded members of the latest MONTH begun, per team', labelNames: ['team'], registers: [registry] });
  const compositeSpread = new Gauge({ name: 'cs_team_composite_spread', help: 'Population standard deviation of the graded members\' composites of the latest MONTH begun, per team', labelNames: ['team'], registers: [registry] });
  const workloadPerHead = new Gauge({ name: 'cs_team_workload_units_per_head', help: 'Workload units per member of the latest MONTH begun, per team', labelNames: ['team'], registers: [registry] });
  const kpiValue = new Gauge({ name: 'cs_team_kpi_value', help: 'Team KPI value of the latest MONTH begun (service_level, repair_commitment_rate, fee_collection_rate, meter_reading_rate as ratios; complaints_per_1000_contacts), per team and KPI; absent below the minimum sample', labelNames: ['team', 'kpi'], registers: [registry] });
  let latest = '';
  return {
    /** The team gauges from a MONTH's team cards, if it has begun (at `now`) and is the latest such MONTH seen. */
    observeTeams(period: Period, teams: readonly TeamCard[], now: number): void {
      if (period.kind !== 'MONTH' || period.startMs > now || period.start < latest) return;
      latest = period.start;
      for (const g of [score, rank, compositeMean, compositeSpread, workloadPerHead, kpiValue]) g.reset();
      for (const t of teams) {
        const team = { team: t.teamId };
        workloadPerHead.set(team, t.workloadPerHead);
        if (t.score !== null) score.set(team, t.score);
        if (t.rank !== null) rank.set(team, t.rank);
        if (t.compositeMean !== null) compositeMean.set(team, t.compositeMean);
        if (t.compositeSpread !== null) compositeSpread.set(team, t.compositeSpread);
        for (const kpi of TEAM_KPI_IDS) {
          const v = t.kpis[kpi].value;
          if (v !== null) kpiValue.set({ team: t.teamId, kpi }, v);
        }
      }
    },
  };
}
