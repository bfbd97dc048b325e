// The scorer's trend gauges: counts per team and role from the latest MONTH's cards, no series per member.
import { describe, expect, it } from 'vitest';
import type { Scorecard } from '@cs/appraisal';
import { createScorerMetrics } from '../src/metrics.ts';

const card = (staffId: string, teamId: string, role: string, shortSlope: number | null, consecutiveD = 0, trainingGain: number | null = null): Scorecard =>
  ({ staffId, teamId, role, rulesVersion: 'v', trend: { shortSlope, consecutiveD, trainingGain } }) as unknown as Scorecard;

async function series(m: ReturnType<typeof createScorerMetrics>, name: string): Promise<Record<string, number>> {
  const metric = (await m.registry.getMetricsAsJSON()).find((x) => x.name === name)!;
  return Object.fromEntries(metric.values.map((v) => [Object.values(v.labels).join('|'), v.value]));
}

describe('trend gauges', () => {
  it('count directions per team and role, plans and training gains per team; the latest month only, earlier series dropped', async () => {
    const m = createScorerMetrics();
    const plan = () => 2;
    m.observeTrends('2000-02-01', [card('S1', 'T1', 'HOTLINE_AGENT', 4), card('S2', 'T1', 'HOTLINE_AGENT', -2, 2, 6), card('S3', 'T1', 'FIELD_TECH', 0.2, 1, 3), card('S4', 'T2', 'HOTLINE_AGENT', null, 3)], plan);
    expect(await series(m, 'cs_scorer_staff_trend_count')).toEqual({
      'T1|HOTLINE_AGENT|improving': 1, 'T1|HOTLINE_AGENT|steady': 0, 'T1|HOTLINE_AGENT|declining': 1, 'T1|HOTLINE_AGENT|unknown': 0,
      'T2|HOTLINE_AGENT|improving': 0, 'T2|HOTLINE_AGENT|steady': 0, 'T2|HOTLINE_AGENT|declining': 0, 'T2|HOTLINE_AGENT|unknown': 1,
      'T1|FIELD_TECH|improving': 0, 'T1|FIELD_TECH|steady': 1, 'T1|FIELD_TECH|declining': 0, 'T1|FIELD_TECH|unknown': 0,
    });
    expect(await series(m, 'cs_scorer_improvement_plan_count')).toEqual({ T1: 1, T2: 1 });
    expect(await series(m, 'cs_scorer_training_gain_measured_count')).toEqual({ T1: 2, T2: 0 });
    expect(await series(m, 'cs_scorer_training_gain_points')).toEqual({ T1: 4.5 }); // (6 + 3) / 2; T2 measured none
    // An earlier month scored later (a REVISED round) leaves the gauges alone; the next month replaces them.
    m.observeTrends('2000-01-01', [card('S9', 'T9', 'HOTLINE_AGENT', 5)], plan);
    expect(await series(m, 'cs_scorer_improvement_plan_count')).toEqual({ T1: 1, T2: 1 });
    m.observeTrends('2000-03-01', [card('S1', 'T3', 'HOTLINE_AGENT', 5)], plan);
    expect(await series(m, 'cs_scorer_improvement_plan_count')).toEqual({ T3: 0 });
    expect(Object.keys(await series(m, 'cs_scorer_staff_trend_count'))).toEqual(['T3|HOTLINE_AGENT|improving', 'T3|HOTLINE_AGENT|steady', 'T3|HOTLINE_AGENT|declining', 'T3|HOTLINE_AGENT|unknown']);
  });
});
