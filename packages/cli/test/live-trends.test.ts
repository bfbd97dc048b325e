// The demo's terminal view of the trends, rendered from hand-made MONTH cards.
import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, previousPeriod } from '@cs/appraisal';
import type { Scorecard } from '@cs/contracts';
import { slopeText, trendBoard, trendTag, trendText } from '../src/live-trends.ts';
import { formatTable } from '../src/table.ts';
import { TEST_CLOCK } from '../../../test/harness/clock.ts';

const V = DEFAULT_RULES.rulesVersion;
const planAfter = (v: string) => (v === V ? DEFAULT_RULES.trend.improvementPlanAfter : undefined);
const month = TEST_CLOCK.lastMonth();
/** 'YYYY-MM' of the month before the card's. */
const courseMonth = previousPeriod(month).start.slice(0, 7);

type Trend = NonNullable<Scorecard['trend']>;
const trend = (o: Partial<Trend>): Trend => ({
  shortWindow: 3, shortGraded: 3, shortMean: 80, shortSlope: 0, longWindow: 6, longGraded: 6, longMean: 80, longSlope: 0,
  consecutiveD: 0, trainingMonth: null, trainingSkills: [], trainingGain: null, trainingGainScore: null, ...o,
});
const card = (staffId: string, teamId: string, t: Trend | null, grade = 'B', composite: number | null = 80): Scorecard =>
  ({ staffId, teamId, rulesVersion: V, grade, composite, period: { kind: 'MONTH', start: month.start, end: month.end, timeZone: month.timeZone }, trend: t }) as unknown as Scorecard;

describe('one member’s trend', () => {
  it('slope: arrow by direction and points a month', () => {
    expect(slopeText(4)).toBe('↑4.0');
    expect(slopeText(0.3)).toBe('→0.3');
    expect(slopeText(-0.3)).toBe('→0.3');
    expect(slopeText(-2.5)).toBe('↓2.5');
    expect(slopeText(null)).toBe('-');
  });

  it('one line: both windows, the D run and plan, the course with its gain and score', () => {
    // docs/dynamic-appraisal.md's examples: 3m 81.3 slope 4.0, 6m 77.6 slope 3.1; three D; a gain of 10 scoring 100.
    const t = trend({ shortMean: 81.3, shortSlope: 4, longMean: 77.6, longSlope: 3.1, consecutiveD: 3, trainingMonth: courseMonth, trainingSkills: ['PROCESS_EFFICIENCY'], trainingGain: 10, trainingGainScore: 100 });
    expect(trendText(t, true)).toBe(`3m 81.3 ↑4.0 · 6m 77.6 ↑3.1 · D×3 PLAN · trained ${courseMonth} +10.0 (100)`);
    expect(trendText(t, false)).toBe(`3m 81.3 ↑4.0 · 6m 77.6 ↑3.1 · D×3 · trained ${courseMonth} +10.0 (100)`);
    expect(trendText(trend({ shortMean: 62, shortSlope: null, shortGraded: 1, longMean: 62, longSlope: null, longGraded: 1, trainingMonth: courseMonth, trainingGain: -4, trainingGainScore: 0 }), false)).toBe(
      `3m 62.0 - · 6m 62.0 - · trained ${courseMonth} -4.0 (0)`,
    );
    expect(trendText(trend({ shortMean: null, shortSlope: null, longMean: null, longSlope: null }), false)).toBe('3m - - · 6m - -');
  });

  it('a leaderboard cell adds the short slope and PLAN; nothing for a card without a trend', () => {
    expect(trendTag(card('S1', 'T1', trend({ shortSlope: -3, consecutiveD: 2 }), 'D', 55), planAfter)).toBe(' ↓3.0 PLAN');
    expect(trendTag(card('S1', 'T1', trend({ shortSlope: 1.5, consecutiveD: 1 })), planAfter)).toBe(' ↑1.5');
    expect(trendTag(card('S1', 'T1', null), planAfter)).toBe('');
  });
});

describe('the trends board', () => {
  it('per team: members improving, steady, declining, unknown, on a plan, and the steepest climb and decline', () => {
    const cards = [
      card('A1', 'T1', trend({ shortMean: 82, shortSlope: 6, longMean: 76, longSlope: 2.5 })),
      card('A2', 'T1', trend({ shortMean: 78, shortSlope: 2 })),
      card('A3', 'T1', trend({ shortMean: 55, shortSlope: -4, longMean: 60, longSlope: -1.2, consecutiveD: 2 }), 'D', 52),
      card('A4', 'T1', trend({ shortSlope: 0.5 })),
      card('B1', 'T2', trend({ shortMean: 70, shortSlope: null, shortGraded: 1, longMean: 70, longSlope: null, longGraded: 1 })),
      card('B2', 'T2', null),
    ];
    const title = 'Trends';
    expect(trendBoard(cards, planAfter, title)).toEqual([
      title,
      formatTable(
        ['team', '↑', '→', '↓', '?', 'plan', 'steepest climb', 'steepest decline'],
        [
          ['T1', '2', '1', '1', '0', '1', 'A1 3m 82.0 ↑6.0 · 6m 76.0 ↑2.5', 'A3 3m 55.0 ↓4.0 · 6m 60.0 ↓1.2 · D×2 PLAN'],
          ['T2', '0', '0', '0', '1', '0', '', ''],
        ],
      ),
    ]);
  });

  it('says so when no card has a trend yet (DAY cards, records before appraisal v6)', () => {
    expect(trendBoard([card('S1', 'T1', null)], planAfter, 'Trends')).toEqual(['Trends: no trends yet']);
  });
});
