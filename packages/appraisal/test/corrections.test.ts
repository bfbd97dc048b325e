// Corrections in the engine (issue #16 item 3): ADJUSTMENT notes applied in order (KPIs before the
// dimensions, dimensions before the composite, clamped as the model clamps), every note listed on
// the card, and explainMember's structure. Every expected number is worked out by hand below.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RULES as R,
  explainMember,
  scorePopulation,
  type Adjustment,
  type CorrectionNote,
  type Counters,
  type RosterEntry,
} from '../src/index.ts';
import { OCT } from './fixture-periods.ts';

const AT = '2026-11-04T00:00:00.000Z';
const T0 = OCT.startMs + 86_400_000;

const note = (correctionId: string, staffId: string, at: number, adjustment?: Adjustment): CorrectionNote => ({
  correctionId,
  kind: adjustment ? 'ADJUSTMENT' : 'COMPLAINT_RULING',
  staffId,
  periodId: 'MONTH:2026-10',
  reason: `reason of ${correctionId}`,
  requestedBy: 'S9',
  approvedBy: 'M1',
  at,
  detail: adjustment ? `${adjustment.target} ${adjustment.id} ${adjustment.mode} ${adjustment.amount}` : 'complaint CMP-1 UPHELD',
  ...(adjustment ? { adjustment } : {}),
});

/**
 * A hotline agent alone in their team (so the workload reference is their own units):
 * - avg_handle_seconds 45000 / 100 = 450 s: lower-better 600 -> 300, (600 − 450) / 300 = 0.5 -> 50.0 (timeliness 50)
 * - first_contact_resolution 75 / 100 = 0.75: (0.75 − 0.6) / 0.3 = 0.5 -> 50.0 (accuracy 50)
 * - supervisor_rating 74: (74 − 60) / 35 = 0.4 -> 40.0 (conduct 40)
 * - workload units 100 + 0.5 × 75 = 137.5, reference 137.5: 100 × 137.5 / (1.2 × 137.5) = 83.3
 * composite (HOTLINE weights W20 T15 A15 C10) = (20 × 83.3 + 15 × 50 + 15 × 50 + 10 × 40) / 60 = 3566 / 60 = 59.4 -> D
 */
const AGENT: Counters = { contacts_handled: 100, handle_seconds: 45_000, contacts_resolved: 75, supervisor_ratings: 1, supervisor_score_sum: 74 } as Counters;
const ROSTER: RosterEntry[] = [{ staffId: 'S1', teamId: 'T1', role: 'HOTLINE_AGENT', active: true }];
const score = (notes?: CorrectionNote[]) =>
  scorePopulation(new Map([['S1', AGENT]]), ROSTER, R, OCT, 'FINAL', { computedAt: AT, ...(notes ? { corrections: new Map([['S1', notes]]) } : {}) })[0]!;

describe('adjustments in the engine', () => {
  it('without corrections: the hand-worked card, no reasons key', () => {
    const c = score();
    expect([c.kpis.avg_handle_seconds.score, c.kpis.first_contact_resolution.score, c.kpis.supervisor_rating.score]).toEqual([50, 50, 40]);
    expect(c.dimensions).toMatchObject({ workload: 83.3, timeliness: 50, accuracy: 50, conduct: 40, satisfaction: null });
    expect([c.composite, c.grade]).toEqual([59.4, 'D']);
    expect('reasons' in c).toBe(false);
    expect(score(undefined)).toEqual(score()); // and an empty map of corrections is no corrections
    expect(scorePopulation(new Map([['S1', AGENT]]), ROSTER, R, OCT, 'FINAL', { computedAt: AT, corrections: new Map() })[0]).toEqual(c);
  });

  it('apply in time order, KPIs before dimensions, clamped; every note listed in that order', () => {
    const notes = [
      note('G', 'S1', T0 + 7), // a ruling: listed, moves nothing
      note('E', 'S1', T0 + 5, { target: 'DIMENSION', id: 'timeliness', mode: 'DELTA', amount: 80 }), // 50 + 80 = 130 -> clamped to 100
      note('D', 'S1', T0 + 4, { target: 'DIMENSION', id: 'conduct', mode: 'DELTA', amount: 10 }), // after C: 50 + 10 = 60
      note('C', 'S1', T0 + 3, { target: 'DIMENSION', id: 'conduct', mode: 'VALUE', amount: 50 }), // replaces the 100 that B made
      note('B', 'S1', T0 + 2, { target: 'KPI', id: 'supervisor_rating', mode: 'VALUE', amount: 95 }), // (95 − 60) / 35 = 1 -> 100
      note('A', 'S1', T0 + 1, { target: 'KPI', id: 'first_contact_resolution', mode: 'DELTA', amount: 0.4 }), // 0.75 + 0.4 -> clamped to 1 -> 100
      note('F', 'S1', T0 + 6, { target: 'KPI', id: 'customer_satisfaction', mode: 'DELTA', amount: 0.1 }), // no surveys: nothing to move
    ];
    const c = score(notes);
    expect(c.reasons!.map((r) => r.correctionId)).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'G']);
    expect(c.reasons![6]).toEqual({ correctionId: 'G', kind: 'COMPLAINT_RULING', reason: 'reason of G', requestedBy: 'S9', approvedBy: 'M1', at: T0 + 7, detail: 'complaint CMP-1 UPHELD', adjustment: null });
    expect(c.kpis.first_contact_resolution).toEqual({ value: 1, numerator: 75, denominator: 100, score: 100 });
    expect(c.kpis.supervisor_rating).toEqual({ value: 95, numerator: 74, denominator: 1, score: 100 });
    expect(c.kpis.customer_satisfaction.value).toBeNull();
    // accuracy 100 (from A), conduct 100 (from B) -> 50 (C) -> 60 (D), timeliness 100 (E)
    expect(c.dimensions).toMatchObject({ workload: 83.3, timeliness: 100, accuracy: 100, conduct: 60, satisfaction: null });
    // (20 × 83.3 + 15 × 100 + 15 × 100 + 10 × 60) / 60 = 5266 / 60 = 87.77 -> 87.8, B
    expect([c.composite, c.grade]).toEqual([87.8, 'B']);
    expect(c.appraisalId).not.toBe(score().appraisalId);
  });

  it('the order decides: VALUE then DELTA is not DELTA then VALUE', () => {
    const value = { target: 'DIMENSION', id: 'conduct', mode: 'VALUE', amount: 50 } as const;
    const delta = { target: 'DIMENSION', id: 'conduct', mode: 'DELTA', amount: -70 } as const;
    expect(score([note('X1', 'S1', T0, value), note('X2', 'S1', T0 + 1, delta)]).dimensions.conduct).toBe(0); // 50 − 70 -> clamped to 0
    expect(score([note('X1', 'S1', T0, delta), note('X2', 'S1', T0 + 1, value)]).dimensions.conduct).toBe(50); // max(0, 40 − 70) = 0, then 50
    // equal times: by correctionId
    expect(score([note('Y2', 'S1', T0, delta), note('Y1', 'S1', T0, value)]).dimensions.conduct).toBe(0);
  });

  it('a KPI DELTA below 0 clamps at 0 and scores the floor; unknown ids change nothing', () => {
    const c = score([
      note('K1', 'S1', T0, { target: 'KPI', id: 'first_contact_resolution', mode: 'DELTA', amount: -2 }),
      note('K2', 'S1', T0 + 1, { target: 'KPI', id: 'no_such_kpi', mode: 'VALUE', amount: 1 }),
      note('K3', 'S1', T0 + 2, { target: 'DIMENSION', id: 'no_such_dimension', mode: 'VALUE', amount: 100 }),
    ]);
    expect(c.kpis.first_contact_resolution).toMatchObject({ value: 0, score: 0 });
    // accuracy 0: (20 × 83.3 + 15 × 50 + 15 × 0 + 10 × 40) / 60 = 2816 / 60 = 46.93 -> 46.9
    expect(c.composite).toBe(46.9);
    expect(c.reasons).toHaveLength(3);
  });

  it('a note-only correction: same numbers, reasons listed, a new card id', () => {
    const plain = score();
    const ruled = score([note('R1', 'S1', T0)]);
    const { reasons, appraisalId, ...rest } = ruled;
    const { appraisalId: plainId, ...plainRest } = plain;
    expect(rest).toEqual(plainRest);
    expect(reasons).toHaveLength(1);
    expect(appraisalId).not.toBe(plainId);
  });
});

describe('explainMember', () => {
  /** conduct from the supervisor's score v, satisfaction from three 360° ratings of v, 10 workload units */
  const rated = (v: number): Counters => ({ callbacks_made: 20, supervisor_ratings: 1, supervisor_score_sum: v, feedback_ratings: 3, feedback_score_sum: 3 * v }) as Counters;
  const roster: RosterEntry[] = [
    { staffId: 'S01', teamId: 'T1', role: 'HOTLINE_AGENT', active: true },
    { staffId: 'S02', teamId: 'T1', role: 'HOTLINE_AGENT', active: true },
  ];
  const counters = new Map([['S01', rated(95)], ['S02', rated(88)]]);
  const notes = [
    note('N1', 'S02', T0, { target: 'KPI', id: 'supervisor_rating', mode: 'VALUE', amount: 95 }),
    note('N2', 'S02', T0 + 1, { target: 'DIMENSION', id: 'satisfaction', mode: 'DELTA', amount: 20 }),
    note('N3', 'S02', T0 + 2),
  ];

  it('takes one card apart: counters, corrections, KPIs, dimensions, composite, grade, quota cut, eligibility', () => {
    const x = explainMember({ staffId: 'S02', counters, roster, rules: R, period: OCT, status: 'FINAL', computedAt: AT, corrections: new Map([['S02', notes]]) })!;
    expect(x.counters).toEqual({ callbacks_made: 20, feedback_ratings: 3, feedback_score_sum: 264, supervisor_ratings: 1, supervisor_score_sum: 88 });
    expect(x.corrections.map((r) => [r.correctionId, r.kind, r.requestedBy, r.approvedBy])).toEqual([
      ['N1', 'ADJUSTMENT', 'S9', 'M1'],
      ['N2', 'ADJUSTMENT', 'S9', 'M1'],
      ['N3', 'COMPLAINT_RULING', 'S9', 'M1'],
    ]);
    // supervisor 88: (88 − 60) / 35 = 0.8 -> 80; N1 makes it 95 -> 100. 360°: 88 -> 80 (satisfaction 80); N2: 80 + 20 = 100.
    expect(x.adjustments.map((s) => [s.adjustment.id, s.before, s.after, s.skipped])).toEqual([
      ['supervisor_rating', 88, 95, null],
      ['satisfaction', 80, 100, null],
    ]);
    const sup = x.kpis.find((k) => k.id === 'supervisor_rating')!;
    expect(sup).toEqual({ id: 'supervisor_rating', dimension: 'conduct', better: 'higher', floor: 60, target: 95, minSample: 1, weight: 1, numerator: 88, denominator: 1, value: 95, score: 100, unadjustedValue: 88 });
    expect(x.kpis.find((k) => k.id === 'feedback_360')).toMatchObject({ value: 88, score: 80 });
    // workload: 20 callbacks × 0.5 = 10 units each; team of 2 < 3 peers: the role's median, 10; 100 × 10 / (1.2 × 10) = 83.3
    expect(x.workload).toEqual({ units: 10, reference: 10, referenceFactor: 1.2, score: 83.3 });
    const dim = Object.fromEntries(x.dimensions.map((d) => [d.id, d]));
    expect(dim.satisfaction).toEqual({ id: 'satisfaction', kpis: [{ id: 'feedback_360', weight: 1, score: 80 }], penalty: 0, unadjusted: 80, score: 100, roleWeight: 20 });
    expect(dim.conduct).toEqual({ id: 'conduct', kpis: [{ id: 'supervisor_rating', weight: 1, score: 100 }], score: 100, roleWeight: 10 });
    expect(dim.workload).toMatchObject({ kpis: [], score: 83.3, roleWeight: 20 });
    // (20 × 83.3 + 20 × 100 + 10 × 100) / 50 = 4666 / 50 = 93.32 -> 93.3
    expect(x.composite).toMatchObject({ value: 93.3, minDimensions: 2, weightSum: 50, counted: 3 });
    expect(x.composite.weightedSum).toBeCloseTo(4666, 9);
    // S01 scores the same 93.3 with the same units: the staffId puts S01 first; quota max(1, floor(0.2 × 2)) = 1 A.
    expect(x.grade).toEqual({ thresholds: { A: 90, B: 80, C: 60 }, beforeQuota: 'A', final: 'B' });
    expect(x.ranking).toEqual({ teamRank: 2, teamSize: 2, applies: true, aQuota: 1, aAbove: 1, capped: true });
    expect(x.eligibility).toMatchObject({ staffId: 'S02', grade: 'B', bonusCoefficient: 1.05, vetoReasons: [], eligible: true });
  });

  it('S01: the A within the quota; PROVISIONAL: no quota, no eligibility; not on the roster: undefined', () => {
    const s01 = explainMember({ staffId: 'S01', counters, roster, rules: R, period: OCT, status: 'FINAL', computedAt: AT })!;
    expect(s01.ranking).toEqual({ teamRank: 1, teamSize: 2, applies: true, aQuota: 1, aAbove: 0, capped: false });
    expect(s01.grade.final).toBe('A');
    expect(s01.adjustments).toEqual([]);
    expect(s01.eligibility).toMatchObject({ bonusCoefficient: 1.2 });
    const prov = explainMember({ staffId: 'S02', counters, roster, rules: R, period: OCT, status: 'PROVISIONAL', computedAt: AT, corrections: new Map([['S02', notes]]) })!;
    expect([prov.ranking.applies, prov.ranking.aQuota, prov.grade.final, prov.eligibility]).toEqual([false, null, 'A', null]);
    expect(explainMember({ staffId: 'S77', counters, roster, rules: R, period: OCT, status: 'FINAL', computedAt: AT })).toBeUndefined();
  });

  it('says why an adjustment did nothing', () => {
    const odd = [
      note('Z1', 'S02', T0, { target: 'KPI', id: 'complaints_general', mode: 'VALUE', amount: 0 }),
      note('Z2', 'S02', T0 + 1, { target: 'KPI', id: 'customer_satisfaction', mode: 'DELTA', amount: 0.1 }),
      note('Z3', 'S02', T0 + 2, { target: 'DIMENSION', id: 'accuracy', mode: 'DELTA', amount: 5 }),
      note('Z4', 'S02', T0 + 3, { target: 'DIMENSION', id: 'morale', mode: 'VALUE', amount: 5 }),
    ];
    const x = explainMember({ staffId: 'S02', counters, roster, rules: R, period: OCT, status: 'FINAL', computedAt: AT, corrections: new Map([['S02', odd]]) })!;
    expect(x.adjustments.map((s) => s.skipped)).toEqual([
      'complaints_general is not a scored KPI',
      'customer_satisfaction has no value to move',
      'accuracy has no score to move',
      'morale is not a dimension',
    ]);
    expect(x.composite.value).toBe(81.3); // (20 × 83.3 + 20 × 80 + 10 × 80) / 50 = 4066 / 50 = 81.32: as without them
  });
});
