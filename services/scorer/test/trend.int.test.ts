// Dynamic appraisal (docs/dynamic-appraisal.md) through the real scorer, Kafka and Redis: three
// closed months and this one, each FINAL card's trend made from the months before it as the scorer
// kept them, checked against figures worked out here from the published cards themselves; then a
// revision of the oldest month, which every later month's trend follows. Months come from the test
// clock (three closed months M3, M2, M1 and this month C).
import { describe, expect, it } from 'vitest';
import { DIMENSIONS, nextPeriod, previousPeriod, roundTo, trendDirection, type Period } from '@cs/appraisal';
import type { Eligibility, Scorecard } from '@cs/contracts';
import type { EventEffect } from '@cs/counter-store';
import { TEST_CLOCK } from '../../../test/harness/clock.ts';
import { DEFAULT_RULES, applyEffects, cleanupsAfterEach, collect, periodIdOfCard, sandbox, startScorer, started, waitFor, type Got } from './support.ts';

const cleanups = cleanupsAfterEach();
const DAY_MS = 86_400_000;

const M1: Period = TEST_CLOCK.lastMonth();
const M2 = previousPeriod(M1);
const M3 = previousPeriod(M2);
const C = nextPeriod(M1);
const MONTHS = [M3, M2, M1, C];

/**
 * A hotline agent at `level` (0..1): every linear KPI it has scores about 100 × level (handle time,
 * first-contact resolution, satisfaction, quality, supervisor rating), full attendance.
 */
function agent(level: number, aht = 600 - 300 * level): Record<string, number> {
  return {
    contacts_handled: 200,
    handle_seconds: 200 * Math.round(aht),
    contacts_resolved: Math.round(200 * (0.6 + 0.3 * level)),
    surveys: 100,
    surveys_satisfied: Math.round(100 * (0.8 + 0.19 * level)),
    quality_inspections: 4,
    quality_score_sum: Math.round(4 * (60 + 35 * level)),
    quality_passed: 4,
    shifts: 20,
    scheduled_minutes: 9600,
    attended_minutes: 9600,
    supervisor_ratings: 1,
    supervisor_score_sum: Math.round(60 + 35 * level),
  };
}

// Per month M3, M2, M1, C. UP climbs steeply; FLAT stays; LOW is D every month; TR passes a
// PROCESS_EFFICIENCY course in M2 (timeliness is its related dimension here) and handles faster after.
const TRAINED = { trained_ok_PROCESS_EFFICIENCY: 1, training_completed: 1, training_gain_sum: 20 };
const PLAN: Record<string, Record<string, number>[]> = {
  UP: [agent(0.55), agent(0.7), agent(0.85), agent(0.9)],
  FLAT: [agent(0.8), agent(0.8), agent(0.8), agent(0.8)],
  LOW: [agent(0.25), agent(0.2), agent(0.3), agent(0.3)],
  TR: [agent(0.6), { ...agent(0.6, 480), ...TRAINED }, agent(0.6, 390), agent(0.6, 360)],
};

function effects(): EventEffect[] {
  return MONTHS.flatMap((period, i) =>
    Object.entries(PLAN).map(([staffId, months]) => ({
      eventId: `${period.id}-${staffId}`,
      occurredAt: period.startMs + 5 * DAY_MS,
      counters: Object.entries(months[i]!).map(([counter, by]) => ({ staffId, periods: [period.id], counter, by })),
      sla: [],
    })),
  );
}

const cardsOf = (xs: Got<Scorecard>[], period: Period) => new Map(xs.filter((c) => periodIdOfCard(c.value) === period.id).map((c) => [c.value.staffId, c.value]));

/** Least-squares slope over (x, y) points, worked out the long way. */
function slope(pts: [number, number][]): number {
  const mx = pts.reduce((s, [x]) => s + x, 0) / pts.length;
  const my = pts.reduce((s, [, y]) => s + y, 0) / pts.length;
  const sxy = pts.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const sxx = pts.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return sxy / sxx;
}
const mean = (ys: number[]) => ys.reduce((a, b) => a + b, 0) / ys.length;
const r1 = (x: number) => roundTo(x, DEFAULT_RULES.scoring.decimals);

describe('scorer: dynamic appraisal over several months', () => {
  it("each month's FINAL trend follows the earlier months' FINAL cards as kept; MOST_IMPROVED on the 3-month climb; an improvement plan after consecutive D months; a revision carried forward", async () => {
    const sb = await sandbox();
    cleanups.push(sb.close);
    // Three months back must still be scored: lateness wide enough for M3.
    sb.env.CS_MAX_LATENESS_DAYS = '150';
    const out = await collect(sb);
    cleanups.push(out.stop);
    await sb.store.registerShard(0);
    const staff = Object.keys(PLAN);
    await sb.store.applyRoster(0, 0, staff.length, staff.map((staffId) => ({ staffId, profile: { staffId, teamId: 'T1', role: 'HOTLINE_AGENT' as const, active: true, updatedAt: M3.startMs, effectiveFrom: null } })));
    await applyEffects(sb, effects());
    // The one rules version in force judges MOST_IMPROVED on the trend (the defaults, 2026.1, keep the one-month rule).
    const rules = { ...DEFAULT_RULES, rulesVersion: 'trend-e2e', trend: { ...DEFAULT_RULES.trend, mostImprovedOn: 'trend' as const } };
    const scorer = await started(startScorer(sb, { clock: () => TEST_CLOCK.clock.now(), rules }), cleanups);
    await waitFor(async () => [M3, M2, M1, C].every((p) => cardsOf(out.cards, p).size === staff.length) && out.elig.length >= 3 * staff.length, 60_000, 'FINAL cards of three months and PROVISIONAL ones of this month');

    const [c3, c2, c1, cc] = MONTHS.map((p) => cardsOf(out.cards, p));
    for (const [p, cards] of [[M3, c3], [M2, c2], [M1, c1]] as const) for (const c of cards!.values()) expect([p.id, c.status]).toEqual([p.id, 'FINAL']);
    const comp = (m: Map<string, Scorecard>, s: string) => m.get(s)!.composite!;
    // The planned grades hold (else the checks below test nothing).
    expect(['UP', 'FLAT', 'LOW', 'TR'].map((s) => c1!.get(s)!.grade)).toEqual(['B', 'B', 'D', 'C']);
    expect([c3!.get('LOW')!.grade, c2!.get('LOW')!.grade]).toEqual(['D', 'D']);

    // M3: no earlier month kept, one point.
    expect(c3!.get('UP')!.trend).toMatchObject({ shortGraded: 1, shortMean: comp(c3!, 'UP'), shortSlope: null, consecutiveD: 0 });
    for (const s of staff) {
      // M1: three months, x = -2, -1, 0.
      const ys = [comp(c3!, s), comp(c2!, s), comp(c1!, s)];
      const want = { shortWindow: 3, shortGraded: 3, shortMean: r1(mean(ys)), shortSlope: r1(slope([[-2, ys[0]!], [-1, ys[1]!], [0, ys[2]!]])), longWindow: 6, longGraded: 3, longMean: r1(mean(ys)) };
      expect(c1!.get(s)!.trend, s).toMatchObject(want);
      // C (PROVISIONAL): M3 is reached only through M1's kept months (the scorer reads M1's records alone).
      const all = [...ys, comp(cc!, s)];
      expect(cc!.get(s)!.status).toBe('PROVISIONAL');
      expect(cc!.get(s)!.trend, s).toMatchObject({ shortGraded: 3, longGraded: 4, longMean: r1(mean(all)), longSlope: r1(slope(all.map((y, i) => [i - 3, y] as [number, number]))) });
    }
    expect(c1!.get('LOW')!.trend!.consecutiveD).toBe(3);
    expect(c2!.get('LOW')!.trend!.consecutiveD).toBe(2);
    expect(c1!.get('UP')!.trend!.consecutiveD).toBe(0);

    // Training: TR's course in M2; timeliness (the related dimension TR has) in M1 minus in M2.
    const ti = DIMENSIONS.indexOf('timeliness');
    expect(ti).toBeGreaterThanOrEqual(0);
    const gain = r1(c1!.get('TR')!.dimensions.timeliness! - c2!.get('TR')!.dimensions.timeliness!);
    expect(gain).toBeGreaterThan(0);
    expect(c1!.get('TR')!.trend).toMatchObject({ trainingMonth: M2.start.slice(0, 7), trainingSkills: ['PROCESS_EFFICIENCY'], trainingGain: gain, trainingGainScore: r1(100 * Math.min(1, gain / 10)) });
    expect(c2!.get('TR')!.trend).toMatchObject({ trainingMonth: null, trainingGain: null }); // the course's own month: nothing after it yet

    // M1 eligibility: MOST_IMPROVED to UP (steepest climb, rise ≥ 10), LOW's plan after D, D, D.
    const e1 = new Map(out.elig.map((e) => e.value).filter((e: Eligibility) => periodIdOfCard(e) === M1.id).map((e) => [e.staffId, e]));
    const upRise = r1(c1!.get('UP')!.trend!.shortSlope! * 2);
    expect(upRise).toBeGreaterThanOrEqual(DEFAULT_RULES.incentives.mostImprovedMinPoints);
    expect([...e1.values()].filter((e) => e.awards.includes('MOST_IMPROVED')).map((e) => e.staffId)).toEqual(['UP']);
    expect(e1.get('LOW')!.improvementPlanRequired).toBe(true);
    expect(e1.get('FLAT')!.improvementPlanRequired).toBe(false);

    // The trend gauges (Grafana): the latest MONTH scored is this month's, counted as its cards say.
    const gauge = async (name: string) => Object.fromEntries(((await scorer.metrics.registry.getMetricsAsJSON()).find((x) => x.name === name)?.values ?? []).map((v) => [Object.values(v.labels).join('|'), v.value]));
    const current = [...cc!.values()];
    const count = (d: string) => current.filter((c) => trendDirection(c.trend).toLowerCase() === d).length;
    expect(await gauge('cs_scorer_staff_trend_count')).toEqual(Object.fromEntries(['improving', 'steady', 'declining', 'unknown'].map((d) => [`T1|HOTLINE_AGENT|${d}`, count(d)])));
    expect(await gauge('cs_scorer_improvement_plan_count')).toEqual({ T1: current.filter((c) => c.trend!.consecutiveD >= rules.trend.improvementPlanAfter).length });

    // A late event revises UP's M3: M2 and M1, final, are REVISED in turn (their trends read M3
    // through the months each record keeps), and this month's PROVISIONAL card follows.
    const before3 = comp(c3!, 'UP');
    await applyEffects(sb, [{ eventId: 'late-up-m3', occurredAt: M3.startMs + 20 * DAY_MS, counters: [{ staffId: 'UP', periods: [M3.id], counter: 'quality_score_sum', by: 40 }], sla: [] }]);
    const latestUp = (p: Period) => out.cards.filter((c) => c.value.staffId === 'UP' && periodIdOfCard(c.value) === p.id).at(-1)!.value;
    await waitFor(async () => latestUp(M1).status === 'REVISED' && latestUp(C).trend!.longMean !== cc!.get('UP')!.trend!.longMean, 30_000, "UP's M1 REVISED and this month re-scored after M3's revision");
    const [u3, u2, u1, uc] = MONTHS.map(latestUp);
    expect([u3!.status, u2!.status, u1!.status, uc!.status]).toEqual(['REVISED', 'REVISED', 'REVISED', 'PROVISIONAL']);
    expect(u3!.composite).not.toBe(before3);
    // Only M3's composite moved; each later trend reads it.
    expect([u2!.composite, u1!.composite]).toEqual([comp(c2!, 'UP'), comp(c1!, 'UP')]);
    const ys = [u3!.composite!, u2!.composite!, u1!.composite!];
    expect(u2!.trend).toMatchObject({ shortGraded: 2, shortMean: r1(mean(ys.slice(0, 2))), shortSlope: r1(ys[1]! - ys[0]!) });
    expect(u1!.trend).toMatchObject({ shortGraded: 3, shortMean: r1(mean(ys)), shortSlope: r1(slope([[-2, ys[0]!], [-1, ys[1]!], [0, ys[2]!]])) });
    const all = [...ys, uc!.composite!];
    expect(uc!.trend).toMatchObject({ longGraded: 4, longMean: r1(mean(all)), longSlope: r1(slope(all.map((y, i) => [i - 3, y] as [number, number]))) });
  });
});
