import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES as R, ROLES, scoreStaff, type DimensionScores, type Role } from '../src/index.ts';
import { compileRules, compositeFrom, gradeFrom } from '../src/kernel.ts';

// The kernel's composite and grade steps, with the default rules compiled as a scoring run does.
const CR = compileRules(R);
const compositeOf = (d: DimensionScores, role: Role) => compositeFrom(CR, d, CR.roleWeights.get(role)!);
const gradeOf = (composite: number | null) => gradeFrom(CR, composite);

const ALL: DimensionScores = {
  workload: 100,
  timeliness: 90,
  accuracy: 80,
  standardisation: 70,
  satisfaction: 60,
  taskCompletion: 50,
  conduct: 40,
};

describe('dimensions', () => {
  it('are the mean of their non-null KPI scores', () => {
    // timeliness: avg handle 450 s -> 50, work orders 19/20 -> 66.7, callbacks none -> null
    const s = scoreStaff(
      {
        role: 'HOTLINE_AGENT',
        counters: { contacts_handled: 10, handle_seconds: 4500, work_orders_due: 20, work_orders_due_on_time: 19 },
      },
      R,
    );
    expect(s.dimensions.timeliness).toBe(58.4); // (50 + 66.7) / 2 = 58.35
    expect(s.dimensions.standardisation).toBeNull();
  });

  it('satisfaction: −10 per substantiated GENERAL complaint, floored at 0', () => {
    const c = { surveys: 20, surveys_satisfied: 19 }; // 78.9
    expect(scoreStaff({ role: 'HOTLINE_AGENT', counters: c }, R).dimensions.satisfaction).toBe(78.9);
    const two = { ...c, complaints_general: 3, complaints_general_substantiated: 2 };
    expect(scoreStaff({ role: 'HOTLINE_AGENT', counters: two }, R).dimensions.satisfaction).toBe(58.9);
    const nine = { ...c, complaints_general_substantiated: 9 };
    expect(scoreStaff({ role: 'HOTLINE_AGENT', counters: nine }, R).dimensions.satisfaction).toBe(0);
    // serious complaints veto incentives but do not touch the dimension; unsubstantiated ones count nothing
    const serious = { ...c, complaints_serious: 1, complaints_serious_substantiated: 1, complaints_general: 4 };
    expect(scoreStaff({ role: 'HOTLINE_AGENT', counters: serious }, R).dimensions.satisfaction).toBe(78.9);
    // no satisfaction KPI -> the dimension is null, penalty or not
    expect(scoreStaff({ role: 'HOTLINE_AGENT', counters: { complaints_general_substantiated: 1 } }, R).dimensions.satisfaction).toBeNull();
  });

  it('conduct carries the lateness deduction of attendance', () => {
    // attendance 9600/9600 = 100 − 2×5 = 90; supervisor 88 -> 80; conduct = 85
    const s = scoreStaff(
      {
        role: 'HOTLINE_AGENT',
        counters: { shifts: 20, scheduled_minutes: 9600, attended_minutes: 9600, late_shifts: 2, supervisor_ratings: 1, supervisor_score_sum: 88 },
      },
      R,
    );
    expect(s.kpis.attendance_rate.score).toBe(90);
    expect(s.dimensions.conduct).toBe(85);
  });
});

describe('composite by role weights', () => {
  const expected: Record<Role, number> = {
    HOTLINE_AGENT: 74.5, // (2000+1350+1200+1050+1200+250+400)/100
    HALL_CLERK: 74.5,
    METER_READER: 72.5, // (2000+900+2000+350+600+1000+400)/100
    BILLING_CLERK: 71.5, // (1500+900+2400+350+600+1000+400)/100
    REPAIR_CREW: 72.5, // (2000+1800+800+350+900+1000+400)/100
    WORK_ORDER_CLERK: 77, // (2000+2250+1600+350+600+500+400)/100
  };
  for (const role of ROLES) {
    it(`${role}`, () => expect(compositeOf(ALL, role)).toBe(expected[role]));
  }

  it('re-normalises over the non-null dimensions', () => {
    const two = { ...ALL, timeliness: null, accuracy: null, standardisation: null, satisfaction: null, taskCompletion: null };
    expect(compositeOf(two, 'HOTLINE_AGENT')).toBe(80); // (20×100 + 10×40) / 30
    expect(compositeOf(two, 'BILLING_CLERK')).toBe(76); // (15×100 + 10×40) / 25
  });

  it('needs two non-null dimensions', () => {
    const one = { ...ALL, timeliness: null, accuracy: null, standardisation: null, satisfaction: null, taskCompletion: null, conduct: null };
    expect(compositeOf(one, 'HOTLINE_AGENT')).toBeNull();
    const s = scoreStaff({ role: 'HOTLINE_AGENT', counters: { surveys: 20, surveys_satisfied: 19 } }, R);
    expect(s.composite).toBeNull();
    expect(s.grade).toBe('INSUFFICIENT_DATA');
  });
});

describe('grades', () => {
  it('boundaries are inclusive: A ≥ 90, B ≥ 80, C ≥ 60', () => {
    expect(gradeOf(90)).toBe('A');
    expect(gradeOf(89.9)).toBe('B');
    expect(gradeOf(80)).toBe('B');
    expect(gradeOf(79.9)).toBe('C');
    expect(gradeOf(60)).toBe('C');
    expect(gradeOf(59.9)).toBe('D');
    expect(gradeOf(null)).toBe('INSUFFICIENT_DATA');
  });

  // supervisor mean v scores (v−60)/35×100; feedback mean likewise: both dimensions land on the boundary
  const at = (supervisorSum: number, supervisorN: number, feedbackSum: number, feedbackN: number) =>
    scoreStaff(
      {
        role: 'HOTLINE_AGENT',
        counters: {
          supervisor_ratings: supervisorN,
          supervisor_score_sum: supervisorSum,
          feedback_ratings: feedbackN,
          feedback_score_sum: feedbackSum,
        },
      },
      R,
    );

  it('exactly 90 from counters is an A', () => {
    const s = at(183, 2, 366, 4); // means 91.5 -> 90
    expect([s.dimensions.conduct, s.dimensions.satisfaction, s.composite, s.grade]).toEqual([90, 90, 90, 'A']);
  });
  it('exactly 80 from counters is a B', () => {
    const s = at(88, 1, 264, 3); // means 88 -> 80
    expect([s.composite, s.grade]).toEqual([80, 'B']);
  });
  it('exactly 60 from counters is a C', () => {
    const s = at(81, 1, 243, 3); // means 81 -> 60
    expect([s.composite, s.grade]).toEqual([60, 'C']);
  });
  it('below 60 is a D', () => {
    const s = at(80, 1, 240, 3); // means 80 -> 57.1
    expect([s.composite, s.grade]).toEqual([57.1, 'D']);
  });
});

describe('improvement', () => {
  it('is composite minus the previous FINAL composite', () => {
    const c = { supervisor_ratings: 1, supervisor_score_sum: 88, feedback_ratings: 3, feedback_score_sum: 264 }; // 80
    expect(scoreStaff({ role: 'HOTLINE_AGENT', counters: c, previousComposite: 67.5 }, R).kpis.improvement).toEqual({
      value: 12.5,
      numerator: null,
      denominator: null,
      score: null,
    });
    expect(scoreStaff({ role: 'HOTLINE_AGENT', counters: c, previousComposite: 85 }, R).kpis.improvement.value).toBe(-5);
    expect(scoreStaff({ role: 'HOTLINE_AGENT', counters: c, previousComposite: null }, R).kpis.improvement.value).toBeNull();
  });
});
