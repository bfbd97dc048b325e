import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RULES as R,
  hashString,
  eligibility,
  periodRef,
  scorePopulation,
  scoreStaff,
  type Counters,
  type DimensionScores,
  type Grade,
  type RosterEntry,
  type Scorecard,
  trendOf,
  type MonthRecord,
} from '../src/index.ts';
import { DAY, OCT, SEP, SH } from './fixture-periods.ts';

const DIMS: DimensionScores = {
  workload: 90,
  timeliness: 90,
  accuracy: 90,
  standardisation: 90,
  satisfaction: 90,
  taskCompletion: 90,
  conduct: 90,
};

interface CardSpec {
  staffId: string;
  teamId?: string;
  composite: number | null;
  grade?: Grade;
  teamRank?: number | null;
  dims?: Partial<DimensionScores>;
  counters?: Counters;
  status?: Scorecard['status'];
  kind?: 'DAY' | 'MONTH';
  previousComposite?: number;
}

function card(s: CardSpec): Scorecard {
  const scored = scoreStaff(
    { counters: s.counters ?? {}, role: 'HOTLINE_AGENT', previousComposite: s.previousComposite ?? null },
    R,
  );
  const grade: Grade =
    s.grade ?? (s.composite === null ? 'INSUFFICIENT_DATA' : s.composite >= 90 ? 'A' : s.composite >= 80 ? 'B' : s.composite >= 60 ? 'C' : 'D');
  if (s.previousComposite !== undefined && s.composite !== null) {
    scored.kpis.improvement = { value: Math.round((s.composite - s.previousComposite) * 10) / 10, numerator: null, denominator: null, score: null };
  }
  const c: Omit<Scorecard, 'appraisalId'> = {
    staffId: s.staffId,
    teamId: s.teamId ?? 'T1',
    role: 'HOTLINE_AGENT',
    period: s.kind === 'DAY' ? periodRef(DAY) : periodRef(OCT),
    status: s.status ?? 'FINAL',
    revision: 0,
    rulesVersion: R.rulesVersion,
    kpis: scored.kpis,
    dimensions: { ...DIMS, ...s.dims },
    composite: s.composite,
    grade,
    teamRank: s.teamRank ?? null,
    teamSize: 0,
    computedAt: '2026-11-04T00:00:00.000Z',
  };
  return { ...c, appraisalId: hashString(JSON.stringify(c)) }; // any id: eligibility only carries it
}

const countersOf = (specs: CardSpec[]) => Object.fromEntries(specs.map((s) => [s.staffId, s.counters ?? {}]));
function run(specs: CardSpec[], previousFinals?: Parameters<typeof eligibility>[2]) {
  const cards = specs.map(card);
  return new Map(eligibility(cards, countersOf(specs), previousFinals, R).map((e) => [e.staffId, e]));
}

describe('bonus coefficient and eligibility', () => {
  it('by grade: A 1.20, B 1.05, C 0.95, D 0.88; eligible for A/B/C', () => {
    const e = run([
      { staffId: 'A', composite: 95, teamRank: 1 },
      { staffId: 'B', composite: 85, teamRank: 2 },
      { staffId: 'C', composite: 65, teamRank: 3 },
      { staffId: 'D', composite: 50, teamRank: 4 },
      { staffId: 'N', composite: null },
    ]);
    expect([...e.values()].map((x) => [x.staffId, x.grade, x.eligible, x.bonusCoefficient])).toEqual([
      ['A', 'A', true, 1.2],
      ['B', 'B', true, 1.05],
      ['C', 'C', true, 0.95],
      ['D', 'D', false, 0.88],
      ['N', 'INSUFFICIENT_DATA', false, 1.0],
    ]);
  });

  it('has the interfaces.md shape and a deterministic id', () => {
    const specs = [{ staffId: 'A', composite: 85, teamRank: 1 }];
    const a = run(specs).get('A')!;
    expect(Object.keys(a)).toEqual([
      'eligibilityId', 'appraisalId', 'staffId', 'teamId', 'period', 'grade', 'eligible', 'bonusCoefficient',
      'awards', 'vetoReasons', 'trainingRecommendations', 'improvementPlanRequired',
    ]);
    expect(a.period).toEqual({ kind: 'MONTH', start: '2026-10-01', end: '2026-11-01', timeZone: SH });
    expect(a.eligibilityId).toMatch(/^[0-9a-f]{32}$/);
    expect(run(specs).get('A')!.eligibilityId).toBe(a.eligibilityId);
    expect(run([{ staffId: 'A', composite: 75, teamRank: 1 }]).get('A')!.eligibilityId).not.toBe(a.eligibilityId);
  });

  it('is made for MONTH FINAL/REVISED only', () => {
    const e = run([
      { staffId: 'P', composite: 85, status: 'PROVISIONAL' },
      { staffId: 'R', composite: 85, status: 'REVISED' },
      { staffId: 'Y', composite: 85, kind: 'DAY' },
    ]);
    expect([...e.keys()]).toEqual(['R']);
  });
});

describe('vetoes', () => {
  it('a substantiated SERIOUS complaint: ineligible, D coefficient, no awards', () => {
    const e = run([
      { staffId: 'V', composite: 95, teamRank: 1, counters: { complaints_serious: 1, complaints_serious_substantiated: 1 } },
      { staffId: 'X', composite: 70, teamRank: 2 },
      { staffId: 'Y', composite: 60, teamRank: 3 },
    ]).get('V')!;
    expect(e).toMatchObject({ grade: 'A', eligible: false, bonusCoefficient: 0.88, awards: [], vetoReasons: ['SERIOUS_COMPLAINT'] });
  });

  it('an unsubstantiated serious complaint or a general one is no veto', () => {
    const e = run([{ staffId: 'V', composite: 95, counters: { complaints_serious: 1, complaints_general: 2, complaints_general_substantiated: 2 } }]);
    expect(e.get('V')).toMatchObject({ eligible: true, vetoReasons: [], bonusCoefficient: 1.2 });
  });

  it('attendance below 0.80 (exactly 0.80 passes)', () => {
    const shifts = (attended: number): Counters => ({ shifts: 20, scheduled_minutes: 10_000, attended_minutes: attended });
    const e = run([
      { staffId: 'L', composite: 85, counters: shifts(7_999) },
      { staffId: 'K', composite: 85, counters: shifts(8_000) },
      { staffId: 'B', composite: 85, counters: { ...shifts(7_000), complaints_serious_substantiated: 1 } },
    ]);
    expect(e.get('L')).toMatchObject({ eligible: false, bonusCoefficient: 0.88, vetoReasons: ['LOW_ATTENDANCE'] });
    expect(e.get('K')).toMatchObject({ eligible: true, vetoReasons: [] });
    expect(e.get('B')!.vetoReasons).toEqual(['SERIOUS_COMPLAINT', 'LOW_ATTENDANCE']);
  });
});

describe('awards', () => {
  it('SERVICE_STAR: the highest-ranked A whose workload score is ≥ 80', () => {
    const e = run([
      { staffId: 'S1', composite: 96, teamRank: 1, dims: { workload: 79.9 } },
      { staffId: 'S2', composite: 93, teamRank: 2, dims: { workload: 80 } },
      { staffId: 'S3', composite: 91, teamRank: 3, dims: { workload: 100 } },
      { staffId: 'S4', composite: 85, teamRank: 4, dims: { workload: 100 } },
    ]);
    expect(e.get('S1')!.awards).not.toContain('SERVICE_STAR');
    expect(e.get('S2')!.awards).toContain('SERVICE_STAR');
    expect(e.get('S3')!.awards).not.toContain('SERVICE_STAR');
  });

  it('SERVICE_STAR passes over a vetoed member; one per team', () => {
    const e = run([
      { staffId: 'S1', composite: 96, teamRank: 1, counters: { complaints_serious_substantiated: 1 } },
      { staffId: 'S2', composite: 93, teamRank: 2 },
      { staffId: 'U1', teamId: 'T2', composite: 92, teamRank: 1 },
    ]);
    expect(e.get('S1')!.awards).toEqual([]);
    expect(e.get('S2')!.awards).toEqual(['SERVICE_STAR']);
    expect(e.get('U1')!.awards).toEqual(['SERVICE_STAR']);
  });

  it('MOST_IMPROVED: largest improvement ≥ 10 per team, grade B or better', () => {
    const prev = {
      M1: { composite: 72, grade: 'C' as const }, // +12, B
      M2: { composite: 50, grade: 'D' as const }, // +15, but C
      M3: { composite: 80, grade: 'B' as const }, // +11, A
      N1: { composite: 75.1, grade: 'C' as const }, // +9.9, B: below 10
    };
    const e = run(
      [
        { staffId: 'M3', composite: 91, teamRank: 1, dims: { workload: 50 } },
        { staffId: 'M1', composite: 84, teamRank: 2 },
        { staffId: 'M2', composite: 65, teamRank: 3 },
        { staffId: 'N1', teamId: 'T2', composite: 85, teamRank: 1 },
      ],
      prev,
    );
    const improved = [...e.values()].filter((x) => x.awards.includes('MOST_IMPROVED')).map((x) => x.staffId);
    expect(improved).toEqual(['M1']);
  });

  it('MOST_IMPROVED tie goes to the better rank; without previous finals the card improvement is used', () => {
    const e = run([
      { staffId: 'Q2', composite: 85, teamRank: 2, previousComposite: 70 },
      { staffId: 'Q1', composite: 88, teamRank: 1, previousComposite: 73 },
    ]);
    expect(e.get('Q1')!.awards).toEqual(['MOST_IMPROVED']);
    expect(e.get('Q2')!.awards).toEqual([]);
  });

  it('TEAM_HONOUR: every eligible member of the best team with ≥ 3 graded members', () => {
    const e = run([
      // T1 mean (95 + 85 + 50 + ungraded) = 76.7
      { staffId: 'A1', teamId: 'T1', composite: 95, teamRank: 1, dims: { workload: 10 } },
      { staffId: 'A2', teamId: 'T1', composite: 85, teamRank: 2 },
      { staffId: 'A3', teamId: 'T1', composite: 50, teamRank: 3 },
      { staffId: 'A4', teamId: 'T1', composite: null },
      { staffId: 'A5', teamId: 'T1', composite: 80, teamRank: 4, counters: { complaints_serious_substantiated: 1 } },
      // T2 mean 75
      { staffId: 'B1', teamId: 'T2', composite: 80, teamRank: 1 },
      { staffId: 'B2', teamId: 'T2', composite: 75, teamRank: 2 },
      { staffId: 'B3', teamId: 'T2', composite: 70, teamRank: 3 },
      // T3 mean 95 but only 2 graded members
      { staffId: 'C1', teamId: 'T3', composite: 96, teamRank: 1, dims: { workload: 10 } },
      { staffId: 'C2', teamId: 'T3', composite: 94, teamRank: 2, dims: { workload: 10 } },
    ]);
    const honour = [...e.values()].filter((x) => x.awards.includes('TEAM_HONOUR')).map((x) => x.staffId);
    expect(honour).toEqual(['A1', 'A2']); // A3 is a D, A4 ungraded, A5 vetoed
  });

  it('awards are listed alphabetically', () => {
    const e = run(
      [
        { staffId: 'A1', composite: 95, teamRank: 1 },
        { staffId: 'A2', composite: 85, teamRank: 2 },
        { staffId: 'A3', composite: 80, teamRank: 3 },
      ],
      { A1: { composite: 80, grade: 'B' } },
    );
    expect(e.get('A1')!.awards).toEqual(['MOST_IMPROVED', 'SERVICE_STAR', 'TEAM_HONOUR']);
  });
});

describe('training recommendations', () => {
  it('each dimension < 70 maps to a skill, listed once, alphabetically', () => {
    const e = run([
      {
        staffId: 'T',
        composite: 65,
        dims: { timeliness: 69.9, taskCompletion: 50, satisfaction: 60, standardisation: 70, accuracy: 40, workload: 10, conduct: 10 },
      },
    ]);
    expect(e.get('T')!.trainingRecommendations).toEqual(['BUSINESS_KNOWLEDGE', 'COMMUNICATION', 'PROCESS_EFFICIENCY']);
  });

  it('a course passed (postScore ≥ 80) in the period suppresses its skill', () => {
    const e = run([
      { staffId: 'T', composite: 65, dims: { standardisation: 55, satisfaction: 60 }, counters: { training_completed: 1, trained_ok_COMMUNICATION: 1 } },
    ]);
    expect(e.get('T')!.trainingRecommendations).toEqual(['SERVICE_ETIQUETTE']);
  });

  it('null dimensions recommend nothing; vetoed staff still get recommendations', () => {
    const e = run([{ staffId: 'T', composite: 85, dims: { accuracy: null, satisfaction: 30 }, counters: { complaints_serious_substantiated: 1 } }]);
    expect(e.get('T')!.trainingRecommendations).toEqual(['COMMUNICATION']);
  });
});

describe('improvement plan across two months', () => {
  const roster: RosterEntry[] = ['P1', 'P2', 'P3'].map((staffId) => ({ staffId, teamId: 'T1', role: 'HOTLINE_AGENT', active: true }));
  // supervisor mean 70 -> 28.6, feedback mean 70 -> 28.6, callbacks made for workload
  const poor: Counters = { supervisor_ratings: 1, supervisor_score_sum: 70, feedback_ratings: 3, feedback_score_sum: 210, callbacks_made: 20 };
  const good: Counters = { supervisor_ratings: 1, supervisor_score_sum: 95, feedback_ratings: 3, feedback_score_sum: 285, callbacks_made: 20 };

  it('is required after a D in this and the previous MONTH FINAL', () => {
    const sepCounters = { P1: poor, P2: poor, P3: good };
    const octCounters = { P1: poor, P2: good, P3: poor };
    const sep = scorePopulation(sepCounters, roster, R, SEP, 'FINAL', { computedAt: '2026-10-04T00:00:00Z' });
    expect(sep.map((c) => `${c.staffId}:${c.grade}`)).toEqual(['P3:A', 'P1:D', 'P2:D']);
    const oct = scorePopulation(octCounters, roster, R, OCT, 'FINAL', { computedAt: '2026-11-04T00:00:00Z', previousFinals: sep });
    const e = new Map(eligibility(oct, octCounters, sep, R).map((x) => [x.staffId, x]));
    expect(e.get('P1')!.improvementPlanRequired).toBe(true); // D, D
    expect(e.get('P2')!.improvementPlanRequired).toBe(false); // D, then A
    expect(e.get('P3')!.improvementPlanRequired).toBe(false); // A, then D
    // the plan follows the card's trend (consecutiveD), made from the months scorePopulation was given
    expect(oct.find((c) => c.staffId === 'P1')!.trend!.consecutiveD).toBe(2);
    const alone = scorePopulation(octCounters, roster, R, OCT, 'FINAL', { computedAt: '2026-11-04T00:00:00Z' });
    expect(eligibility(alone, octCounters, undefined, R).some((x) => x.improvementPlanRequired)).toBe(false);
    // a PROVISIONAL previous card is not a FINAL
    const sepProvisional = sep.map((c) => ({ ...c, status: 'PROVISIONAL' as const }));
    const afterProvisional = scorePopulation(octCounters, roster, R, OCT, 'FINAL', { computedAt: '2026-11-04T00:00:00Z', previousFinals: sepProvisional });
    expect(eligibility(afterProvisional, octCounters, sepProvisional, R).some((x) => x.improvementPlanRequired)).toBe(false);
    // improvement on the card against September's FINAL
    expect(oct.find((c) => c.staffId === 'P2')!.kpis.improvement.value).toBeGreaterThan(10);
  });
});

describe('MOST_IMPROVED on the trend (docs/dynamic-appraisal.md)', () => {
  // A rules version that judges MOST_IMPROVED on the trend; the defaults (2026.1) keep the one-month rule.
  const T: typeof R = { ...R, trend: { ...R.trend, mostImprovedOn: 'trend' } };
  // Composites of Aug, Sep and Oct (the card's month); slope over three months = (Oct - Aug) / 2.
  const month = (m: string, composite: number, grade: Grade = composite >= 80 ? 'B' : 'C'): MonthRecord => ({ month: m, composite, grade, dimensions: [] });
  function withTrend(staffId: string, ys: [number, number, number], teamRank: number, extra: Partial<CardSpec> = {}): Scorecard {
    const c = card({ staffId, composite: ys[2], teamRank, previousComposite: ys[1], ...extra });
    c.trend = trendOf(month('2026-10', ys[2]), [month('2026-09', ys[1]), month('2026-08', ys[0])], R);
    return c;
  }

  it('goes to the steepest 3-month climb, not the best single month', () => {
    // P 70, 76, 82: slope 6, rise 12; Q 60, 62, 85: slope 12.5, rise 25; R 84, 70, 85: slope 0.5 (one-month +15)
    const cards = [withTrend('P', [70, 76, 82], 3), withTrend('Q', [60, 62, 85], 1), withTrend('R', [84, 70, 85], 2)];
    const e = eligibility(cards, {}, undefined, T);
    expect(e.filter((x) => x.awards.includes('MOST_IMPROVED')).map((x) => x.staffId)).toEqual(['Q']);
    // without Q: P (R's one-month +15 no longer counts)
    const e2 = eligibility([cards[0]!, cards[2]!], {}, undefined, T);
    expect(e2.filter((x) => x.awards.includes('MOST_IMPROVED')).map((x) => x.staffId)).toEqual(['P']);
  });

  it('under the defaults (mostImprovedOn: month) the one-month improvement decides, trend or not', () => {
    // one-month improvements: P +6, Q +23, R +15 -> Q; without Q, R (+15), whose 3-month slope is flat
    const cards = [withTrend('P', [70, 76, 82], 3), withTrend('Q', [60, 62, 85], 1), withTrend('R', [84, 70, 85], 2)];
    expect(eligibility(cards, {}, undefined, R).filter((x) => x.awards.includes('MOST_IMPROVED')).map((x) => x.staffId)).toEqual(['Q']);
    expect(eligibility([cards[0]!, cards[2]!], {}, undefined, R).filter((x) => x.awards.includes('MOST_IMPROVED')).map((x) => x.staffId)).toEqual(['R']);
  });

  it('needs the whole short window graded, grade B or better, no veto; ties to the better rank', () => {
    const gap = card({ staffId: 'G', composite: 85, teamRank: 1 });
    gap.trend = trendOf(month('2026-10', 85), [month('2026-09', 62)], R); // Aug missing: 2 of 3 months
    const c = withTrend('C', [50, 60, 70], 2); // slope 10 but grade C
    const v = withTrend('V', [60, 70, 85], 3, { counters: { complaints_serious_substantiated: 1 } }); // vetoed
    expect(eligibility([gap, c, v], countersOf([{ staffId: 'V', composite: 85, counters: { complaints_serious_substantiated: 1 } }]), undefined, T).some((x) => x.awards.includes('MOST_IMPROVED'))).toBe(false);
    // equal slopes 7.5: the better team rank wins
    const t = eligibility([withTrend('T2', [70, 77, 85], 2), withTrend('T1', [71, 72, 86], 1)], {}, undefined, T);
    expect(t.filter((x) => x.awards.includes('MOST_IMPROVED')).map((x) => x.staffId)).toEqual(['T1']);
  });

  it('the improvement plan follows consecutiveD: three D months in a row require it, not with improvementPlanAfter 4', () => {
    const d = card({ staffId: 'D1', composite: 50, teamRank: 1 });
    d.trend = trendOf(month('2026-10', 50, 'D'), [month('2026-09', 55, 'D'), month('2026-08', 58, 'D')], R);
    expect(d.trend.consecutiveD).toBe(3);
    expect(eligibility([d], {}, undefined, R)[0]!.improvementPlanRequired).toBe(true);
    const four = { ...R, trend: { ...R.trend, improvementPlanAfter: 4 } };
    expect(eligibility([d], {}, undefined, four)[0]!.improvementPlanRequired).toBe(false);
  });
});
