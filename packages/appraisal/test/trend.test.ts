// The definitions of docs/dynamic-appraisal.md, each on a hand-computed case (the arithmetic is in
// the comments). M is the card's month; months are named by their offset from it.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RULES as R,
  DIMENSIONS,
  historyToKeep,
  improvementPlanDue,
  meanAndSlope,
  mergeRules,
  monthIndex,
  monthRecordOf,
  mostImprovedRise,
  trendOf,
  type Grade,
  type MonthRecord,
  type Skill,
} from '../src/index.ts';
import { FEB_LEAP, OCT } from './fixture-periods.ts';

const M = monthIndex(OCT.start);
/** 'YYYY-MM' of the month `k` months after M (k <= 0 for the history). */
function mo(k: number, base = M): string {
  const i = base + k;
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
}

function rec(k: number, composite: number | null, o: { grade?: Grade; dims?: Partial<Record<(typeof DIMENSIONS)[number], number | null>>; trained?: Skill[]; base?: number } = {}): MonthRecord {
  const dims = DIMENSIONS.map((d) => (o.dims && d in o.dims ? o.dims[d]! : composite));
  const grade: Grade = o.grade ?? (composite === null ? 'INSUFFICIENT_DATA' : composite >= 90 ? 'A' : composite >= 80 ? 'B' : composite >= 60 ? 'C' : 'D');
  return { month: mo(k, o.base), composite, grade, dimensions: dims, ...(o.trained ? { trained: o.trained } : {}) };
}

describe('month arithmetic', () => {
  it('consecutive months differ by one across a year end', () => {
    expect(monthIndex('2026-12') + 1).toBe(monthIndex('2027-01'));
    expect(mo(0)).toBe('2026-10');
    expect(mo(-10)).toBe('2025-12');
  });
});

describe('mean and slope', () => {
  // The example of the docs: composites M-5: 70, M-4: missing, M-3: 74, M-2: 78, M-1: 80, M: 86.
  const history = [rec(-5, 70), rec(-3, 74), rec(-2, 78), rec(-1, 80)];
  const t = trendOf(rec(0, 86), history, R);

  it('short window: mean (78 + 80 + 86) / 3 = 81.33 -> 81.3, slope 8 / 2 = 4.0', () => {
    // x = -2, -1, 0 (x̄ = -1); y - ȳ = -3.33, -1.33, 4.67; Σ(x-x̄)(y-ȳ) = 3.33 + 0 + 4.67 = 8; Σ(x-x̄)² = 2
    expect(t).toMatchObject({ shortWindow: 3, shortGraded: 3, shortMean: 81.3, shortSlope: 4 });
  });

  it('long window: a gap keeps its place on the x axis; mean 388 / 5 = 77.6, slope 45.6 / 14.8 = 3.08 -> 3.1', () => {
    // x = -5, -3, -2, -1, 0 (x̄ = -2.2), y = 70, 74, 78, 80, 86 (ȳ = 77.6)
    // Σ(x-x̄)² = 7.84 + 0.64 + 0.04 + 1.44 + 4.84 = 14.8; Σ(x-x̄)(y-ȳ) = 21.28 + 2.88 + 0.08 + 2.88 + 18.48 = 45.6
    expect(t).toMatchObject({ longWindow: 6, longGraded: 5, longMean: 77.6, longSlope: 3.1 });
    expect(meanAndSlope([[-5, 70], [-3, 74], [-2, 78], [-1, 80], [0, 86]]).slope).toBeCloseTo(45.6 / 14.8, 12);
  });

  it('INSUFFICIENT_DATA months and months outside the window are left out; one point has a mean and no slope', () => {
    // M-1 ungraded, M-2 graded 60, M-6 (outside the 6-month window) 10: short = {60, 90}, long the same.
    const u = trendOf(rec(0, 90), [rec(-1, null), rec(-2, 60), rec(-6, 10)], R);
    // mean (60 + 90) / 2 = 75; slope with x = -2, 0: (90 - 60) / 2 = 15
    expect(u).toMatchObject({ shortGraded: 2, shortMean: 75, shortSlope: 15, longGraded: 2, longMean: 75, longSlope: 15 });
    expect(trendOf(rec(0, 90), [], R)).toMatchObject({ shortGraded: 1, shortMean: 90, shortSlope: null, longSlope: null });
    expect(trendOf(rec(0, null), [], R)).toMatchObject({ shortGraded: 0, shortMean: null, shortSlope: null });
  });

  it('history entries of the card month or later are ignored', () => {
    expect(trendOf(rec(0, 80), [rec(0, 10), rec(1, 10)], R)).toMatchObject({ shortGraded: 1, shortMean: 80 });
  });

  it('windows across a year end and a leap February are calendar months', () => {
    // M = 2028-02: M-2 = 2027-12 (70), M-1 = 2028-01 (75), M = 2028-02 (83): slope (83 - 70) / 2 = 6.5
    const base = monthIndex(FEB_LEAP.start);
    const t2 = trendOf(rec(0, 83, { base }), [rec(-1, 75, { base }), rec(-2, 70, { base })], R);
    expect(mo(-2, base)).toBe('2027-12');
    expect(t2).toMatchObject({ shortGraded: 3, shortMean: 76, shortSlope: 6.5 });
  });

  it('window lengths come from the rules', () => {
    const r = mergeRules(R, { trend: { shortMonths: 2, longMonths: 4 } });
    const t4 = trendOf(rec(0, 86), [rec(-5, 70), rec(-3, 74), rec(-2, 78), rec(-1, 80)], r);
    // short: 80, 86 -> mean 83, slope 6; long (M-3..M): 74, 78, 80, 86 -> mean 79.5,
    // x̄ = -1.5, Σ(x-x̄)² = 2.25 + 0.25 + 0.25 + 2.25 = 5, Σ(x-x̄)(y-ȳ) = (-1.5)(-5.5) + (-0.5)(-1.5) + (0.5)(0.5) + (1.5)(6.5) = 19, slope 3.8
    expect(t4).toMatchObject({ shortWindow: 2, shortMean: 83, shortSlope: 6, longWindow: 4, longGraded: 4, longMean: 79.5, longSlope: 3.8 });
  });
});

describe('consecutive D and the improvement plan', () => {
  it('counts D months back from M until another grade; 2 or more requires a plan', () => {
    // M-4: D, M-3: C, M-2: D, M-1: D, M: D -> 3
    const t = trendOf(rec(0, 50), [rec(-4, 40), rec(-3, 65), rec(-2, 55), rec(-1, 58)], R);
    expect(t.consecutiveD).toBe(3);
    expect(improvementPlanDue(t, R)).toBe(true);
  });

  it('a missing month ends the run; a non-D card month counts 0', () => {
    const t = trendOf(rec(0, 50), [rec(-2, 55), rec(-3, 58)], R); // M-1 missing
    expect(t.consecutiveD).toBe(1);
    expect(improvementPlanDue(t, R)).toBe(false);
    expect(trendOf(rec(0, 70), [rec(-1, 50)], R).consecutiveD).toBe(0);
  });

  it('is capped at the months kept and follows the rules setting', () => {
    const all = [1, 2, 3, 4, 5, 6, 7].map((k) => rec(-k, 40));
    expect(trendOf(rec(0, 40), all, R).consecutiveD).toBe(6);
    const three = mergeRules(R, { trend: { improvementPlanAfter: 3 } });
    const two = trendOf(rec(0, 40), [rec(-1, 40)], three);
    expect(two.consecutiveD).toBe(2);
    expect(improvementPlanDue(two, three)).toBe(false);
  });
});

describe('training gain', () => {
  // PROCESS_EFFICIENCY -> timeliness, taskCompletion (incentives.trainingSkills).
  it('the docs example: before (60 + 70) / 2 = 65, after mean(70, (75 + 85) / 2) = 75, gain 10, score 100', () => {
    const t = trendOf(
      rec(0, 80, { dims: { timeliness: 75, taskCompletion: 85 } }),
      [
        rec(-1, 78, { dims: { timeliness: 70, taskCompletion: null } }),
        rec(-2, 70, { dims: { timeliness: 60, taskCompletion: 70 }, trained: ['PROCESS_EFFICIENCY'] }),
      ],
      R,
    );
    expect(t).toMatchObject({ trainingMonth: mo(-2), trainingSkills: ['PROCESS_EFFICIENCY'], trainingGain: 10, trainingGainScore: 100 });
  });

  it('a gain of 4 scores 40, a loss 0; the latest course month within the window is measured', () => {
    // COMMUNICATION -> satisfaction. M-3: course, satisfaction 70; M-1: course, satisfaction 72; M: 76.
    // Latest is M-1: before 72, after 76, gain 4, score 100 × 4 / 10 = 40.
    const h = [rec(-3, 70, { dims: { satisfaction: 70 }, trained: ['COMMUNICATION'] }), rec(-1, 72, { dims: { satisfaction: 72 }, trained: ['COMMUNICATION'] })];
    expect(trendOf(rec(0, 76, { dims: { satisfaction: 76 } }), h, R)).toMatchObject({ trainingMonth: mo(-1), trainingGain: 4, trainingGainScore: 40 });
    // satisfaction fell from 72 to 65: gain -7, score 0
    expect(trendOf(rec(0, 65, { dims: { satisfaction: 65 } }), h, R)).toMatchObject({ trainingGain: -7, trainingGainScore: 0 });
  });

  it('courses outside the window, of the card month, or of skills without a dimension are not measured', () => {
    const none = { trainingMonth: null, trainingSkills: [], trainingGain: null, trainingGainScore: null };
    expect(trendOf(rec(0, 80), [rec(-4, 70, { trained: ['COMMUNICATION'] })], R)).toMatchObject(none);
    expect(trendOf(rec(0, 80, { trained: ['COMMUNICATION'] }), [], R)).toMatchObject(none);
    expect(trendOf(rec(0, 80), [rec(-1, 70, { trained: ['SAFETY'] })], R)).toMatchObject(none);
  });

  it('two skills in one month: their related dimensions together; no data after: gain null', () => {
    // BUSINESS_KNOWLEDGE -> accuracy; SERVICE_ETIQUETTE -> standardisation; SAFETY ignored.
    // before (60 + 80) / 2 = 70, after (66 + 86) / 2 = 76, gain 6, score 60
    const trained: Skill[] = ['BUSINESS_KNOWLEDGE', 'SAFETY', 'SERVICE_ETIQUETTE'];
    const t = trendOf(rec(0, 80, { dims: { accuracy: 66, standardisation: 86 } }), [rec(-1, 70, { dims: { accuracy: 60, standardisation: 80 }, trained })], R);
    expect(t).toMatchObject({ trainingSkills: ['BUSINESS_KNOWLEDGE', 'SERVICE_ETIQUETTE'], trainingGain: 6, trainingGainScore: 60 });
    const empty = trendOf(rec(0, 80, { dims: { accuracy: null, standardisation: null } }), [rec(-1, 70, { dims: { accuracy: 60, standardisation: 80 }, trained })], R);
    expect(empty).toMatchObject({ trainingMonth: mo(-1), trainingGain: null, trainingGainScore: null });
  });
});

describe('MOST_IMPROVED on the trend', () => {
  const t = (ys: (number | null)[]) => trendOf(rec(0, ys[2]!), [rec(-1, ys[1]!), rec(-2, ys[0]!)], R);
  it('the docs example: P 70, 76, 82 rises 12; Q 60, 62, 85 rises 25; R 84, 70, 85 rises 1 (no candidate)', () => {
    // slopes (last - first) / 2: P 6, Q 12.5, R 0.5; rise = slope × 2
    expect(mostImprovedRise(t([70, 76, 82]), R)).toBe(12);
    expect(mostImprovedRise(t([60, 62, 85]), R)).toBe(25);
    expect(mostImprovedRise(t([84, 70, 85]), R)).toBeNull();
  });

  it('needs every month of the short window graded, and a rise of at least mostImprovedMinPoints', () => {
    expect(mostImprovedRise(t([null, 62, 85]), R)).toBeNull();
    expect(mostImprovedRise(t([70, 75, 80]), R)).toBe(10); // slope 5, rise exactly 10
    expect(mostImprovedRise(t([70, 75, 79.8]), R)).toBeNull(); // slope 4.9, rise 9.8
    expect(mostImprovedRise(null, R)).toBeNull();
  });
});

describe('the history kept', () => {
  it('this month first, then the long window before it, newest first', () => {
    const kept = historyToKeep(rec(0, 80), [rec(-6, 1), rec(-2, 2), rec(-5, 3), rec(0, 4), rec(-1, 5)], R);
    // longMonths 6: M-5 .. M-1 are kept; M-6 and a second M are not
    expect(kept.map((r) => r.month)).toEqual([mo(0), mo(-1), mo(-2), mo(-5)]);
    expect(kept[0]!.composite).toBe(80);
  });

  it('a month record holds the card figures and the passed skills', () => {
    const dims = { workload: 1, timeliness: 2, accuracy: 3, standardisation: null, satisfaction: 5, taskCompletion: 6, conduct: 7 };
    const r = monthRecordOf({ period: { start: OCT.start }, composite: 71.5, grade: 'C', dimensions: dims }, { trained_ok_TECHNICAL: 1, trained_ok_COMMUNICATION: 2, trained_ok_SAFETY: 0 });
    expect(r).toEqual({ month: '2026-10', composite: 71.5, grade: 'C', dimensions: [1, 2, 3, null, 5, 6, 7], trained: ['COMMUNICATION', 'TECHNICAL'] });
    expect(monthRecordOf({ period: { start: OCT.start }, composite: null, grade: 'INSUFFICIENT_DATA', dimensions: dims }, {}).trained).toBeUndefined();
  });
});
