// The summaries of the trends shown by the live view, the console and the scorer's gauges.
import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, STEADY_BAND_POINTS_PER_MONTH as BAND, onImprovementPlan, teamTrendSummaries, trendDirection, type TrendCard } from '../src/index.ts';

const V = DEFAULT_RULES.rulesVersion;
const planAfter = (v: string) => (v === V ? DEFAULT_RULES.trend.improvementPlanAfter : undefined);
const card = (staffId: string, teamId: string, shortSlope: number | null, consecutiveD = 0, trainingGain: number | null = null, rulesVersion = V): TrendCard => ({ staffId, teamId, rulesVersion, trend: { shortSlope, consecutiveD, trainingGain } });

describe('trend direction', () => {
  it('by the short slope, steady within the band either way, unknown without a slope', () => {
    expect(trendDirection({ shortSlope: BAND })).toBe('IMPROVING');
    expect(trendDirection({ shortSlope: BAND - 0.1 })).toBe('STEADY');
    expect(trendDirection({ shortSlope: 0 })).toBe('STEADY');
    expect(trendDirection({ shortSlope: -BAND + 0.1 })).toBe('STEADY');
    expect(trendDirection({ shortSlope: -BAND })).toBe('DECLINING');
    expect(trendDirection({ shortSlope: null })).toBe('UNKNOWN');
    expect(trendDirection(null)).toBe('UNKNOWN');
  });
});

describe('improvement plan', () => {
  it('from trend.improvementPlanAfter of the card’s own rules version; none for a version not loaded', () => {
    const after = DEFAULT_RULES.trend.improvementPlanAfter;
    expect(onImprovementPlan(card('S1', 'T', 0, after), planAfter)).toBe(true);
    expect(onImprovementPlan(card('S1', 'T', 0, after - 1), planAfter)).toBe(false);
    expect(onImprovementPlan(card('S1', 'T', 0, after, null, 'gone'), planAfter)).toBe(false);
    expect(onImprovementPlan({ rulesVersion: V, trend: null }, planAfter)).toBe(false);
  });
});

describe('team trend summaries', () => {
  it('count directions and plans, average the measured training gains, per team in id order; cards without a trend left out', () => {
    const cards: TrendCard[] = [
      card('S3', 'T2', 4, 0, 10),
      card('S2', 'T1', -2.5, 2),
      card('S1', 'T1', null, 3, 4),
      card('S4', 'T1', 0.5, 0, -1),
      { staffId: 'S5', teamId: 'T3', rulesVersion: V, trend: null },
    ];
    expect(teamTrendSummaries(cards, planAfter)).toEqual([
      // T1: S2 declining (−2.5), S1 unknown, S4 steady; plans S1 (3 D) and S2 (2 D); gains 4 and −1 → mean 1.5
      { teamId: 'T1', members: 3, byDirection: { IMPROVING: 0, STEADY: 1, DECLINING: 1, UNKNOWN: 1 }, plans: ['S1', 'S2'], trainingMeasured: 2, trainingGainMean: 1.5 },
      { teamId: 'T2', members: 1, byDirection: { IMPROVING: 1, STEADY: 0, DECLINING: 0, UNKNOWN: 0 }, plans: [], trainingMeasured: 1, trainingGainMean: 10 },
    ]);
  });
});
