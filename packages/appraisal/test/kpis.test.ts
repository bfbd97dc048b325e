import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RULES as R,
  LINEAR_KPI_IDS,
  REPORTED_MEASURE_IDS,
  SCORED_KPI_IDS,
  COUNTER_NAMES,
  scoreStaff,
  type Counters,
  type KpiResult,
  type LinearKpiId,
} from '../src/index.ts';

const kpi = (counters: Counters, id: keyof ReturnType<typeof scoreStaff>['kpis'], ref: number | null = null): KpiResult =>
  scoreStaff({ counters, role: 'HOTLINE_AGENT', workloadReference: ref }, R).kpis[id];

type Example = readonly [id: LinearKpiId, arithmetic: string, counters: Counters, result: KpiResult];
type EdgeCase = readonly [id: LinearKpiId, counters: Counters, shows: Partial<KpiResult>];

/** Each linear KPI's worked example under the default rules: its counters give the whole result. */
const WORKED_EXAMPLES: readonly Example[] = [
  ['avg_handle_seconds', '4500 s / 10 contacts = 450 s -> (600-450)/(600-300) = 50', { contacts_handled: 10, handle_seconds: 4500 }, { value: 450, numerator: 4500, denominator: 10, score: 50 }],
  ['callback_on_time_rate', '9/10 = 0.9 -> 50; 3/4 below floor -> 0; no cohort -> null', { callbacks_due: 10, callbacks_due_on_time: 9 }, { value: 0.9, numerator: 9, denominator: 10, score: 50 }],
  ['work_order_on_time_rate', '19/20 = 0.95 -> (0.95-0.85)/0.15 = 66.7', { work_orders_due: 20, work_orders_due_on_time: 19 }, { value: 0.95, numerator: 19, denominator: 20, score: 66.7 }],
  ['restoration_on_time_rate', '9/10 -> 50; 4/5 = floor -> 0', { repairs_restored: 10, restorations_within: 9 }, { value: 0.9, numerator: 9, denominator: 10, score: 50 }],
  ['outage_notice_on_time_rate', '19/20 = 0.95 -> 50', { outage_notices: 20, outage_notices_on_time: 19 }, { value: 0.95, numerator: 19, denominator: 20, score: 50 }],
  ['first_contact_resolution', '8/10 = 0.8 -> 0.2/0.3 = 66.7; 9 contacts -> null', { contacts_handled: 10, contacts_resolved: 8 }, { value: 0.8, numerator: 8, denominator: 10, score: 66.7 }],
  ['meter_reading_accuracy', '1 - 5/1000 = 0.995 -> 0.015/0.019 = 78.9; 19 readings -> null', { meter_readings: 1000, reading_errors: 5 }, { value: 0.995, numerator: 995, denominator: 1000, score: 78.9 }],
  ['billing_accuracy', '1 - 1/500 = 0.998 -> 0.018/0.019 = 94.7', { bills_issued: 500, billing_errors: 1 }, { value: 0.998, numerator: 499, denominator: 500, score: 94.7 }],
  ['work_order_right_first_time', '1 - 1/20 = 0.95 -> 0.10/0.13 = 76.9', { work_orders_completed: 20, work_orders_reworked: 1 }, { value: 0.95, numerator: 19, denominator: 20, score: 76.9 }],
  ['quality_score', '240/3 = 80 -> 20/35 = 57.1; 2 inspections -> null', { quality_inspections: 3, quality_score_sum: 240 }, { value: 80, numerator: 240, denominator: 3, score: 57.1 }],
  ['customer_satisfaction', '19/20 = 0.95 -> 0.15/0.19 = 78.9; 4 surveys -> null', { surveys: 20, surveys_satisfied: 19 }, { value: 0.95, numerator: 19, denominator: 20, score: 78.9 }],
  ['repair_satisfaction', '5/5 = 1 beyond target 0.99 -> 100; 4 ratings -> null', { repair_ratings: 5, repair_ratings_satisfied: 5 }, { value: 1, numerator: 5, denominator: 5, score: 100 }],
  ['feedback_360', '340/4 = 85 -> 25/35 = 71.4; 2 ratings -> null', { feedback_ratings: 4, feedback_score_sum: 340 }, { value: 85, numerator: 340, denominator: 4, score: 71.4 }],
  ['meter_reading_rate', '97/100 -> 0.02/0.05 = 40', { readings_due: 100, readings_due_on_time: 97 }, { value: 0.97, numerator: 97, denominator: 100, score: 40 }],
  ['fee_collection_rate', '95 000 of 100 000 cents -> 50; capped at 1; needs 1 bill with an amount', { bills_due: 3, amount_due_cents: 100_000, amount_paid_on_time_cents: 95_000 }, { value: 0.95, numerator: 95_000, denominator: 100_000, score: 50 }],
  ['repair_commitment_rate', '7/8 = 0.875 -> 0.025/0.15 = 16.7', { repair_arrivals: 8, repair_arrivals_within: 7 }, { value: 0.875, numerator: 7, denominator: 8, score: 16.7 }],
  ['callback_rate', '19/20 completed (any time) -> 50', { callbacks_due: 20, callbacks_due_completed: 19 }, { value: 0.95, numerator: 19, denominator: 20, score: 50 }],
  ['attendance_rate', '9120/9600 = 0.95 -> 50, minus 5 per late shift, floored at 0', { shifts: 20, scheduled_minutes: 9600, attended_minutes: 9120 }, { value: 0.95, numerator: 9120, denominator: 9600, score: 50 }],
  ['supervisor_rating', 'one rating of 88 -> 28/35 = 80', { supervisor_ratings: 1, supervisor_score_sum: 88 }, { value: 88, numerator: 88, denominator: 1, score: 80 }],
];

/** Edge cases of the worked examples: the counters give a result with the fields shown. */
const EDGE_CASES: readonly EdgeCase[] = [
  ['avg_handle_seconds', { contacts_handled: 10, handle_seconds: 2500 }, { score: 100 }], // 250 s beats target
  ['avg_handle_seconds', { contacts_handled: 10, handle_seconds: 7000 }, { score: 0 }], // 700 s worse than floor
  ['avg_handle_seconds', { contacts_handled: 9, handle_seconds: 4050 }, { value: null, numerator: 4050, denominator: 9, score: null }], // 9 contacts < minimum sample 10
  ['callback_on_time_rate', { callbacks_due: 4, callbacks_due_on_time: 3 }, { score: 0 }],
  ['callback_on_time_rate', {}, { value: null, numerator: 0, denominator: 0, score: null }],
  ['callback_on_time_rate', { callbacks_due: 1, callbacks_due_on_time: 2 }, { value: 1, score: 100 }], // a completion without an assignment in the bucket cannot lift the rate above 1
  ['work_order_on_time_rate', { work_orders_due: 1, work_orders_due_on_time: 1 }, { score: 100 }], // min sample 1
  ['restoration_on_time_rate', { repairs_restored: 5, restorations_within: 4 }, { score: 0 }],
  ['first_contact_resolution', { contacts_handled: 9, contacts_resolved: 9 }, { value: null, score: null }],
  ['meter_reading_accuracy', { meter_readings: 20, reading_errors: 0 }, { score: 100 }],
  ['meter_reading_accuracy', { meter_readings: 19 }, { value: null, score: null }],
  ['billing_accuracy', { bills_issued: 20, billing_errors: 25 }, { value: 0, numerator: 0, denominator: 20, score: 0 }], // more corrections than bills (corrections of last month's work) floor at 0
  ['quality_score', { quality_inspections: 2, quality_score_sum: 190 }, { value: null, score: null }],
  ['customer_satisfaction', { surveys: 4, surveys_satisfied: 4 }, { value: null, score: null }],
  ['repair_satisfaction', { repair_ratings: 4, repair_ratings_satisfied: 4 }, { score: null }],
  ['feedback_360', { feedback_ratings: 2, feedback_score_sum: 190 }, { score: null }],
  ['fee_collection_rate', { bills_due: 1, amount_due_cents: 100_000, amount_paid_on_time_cents: 120_000 }, { value: 1, score: 100 }],
  ['fee_collection_rate', { bills_due: 1, amount_due_cents: 0 }, { value: null, score: null }],
  ['fee_collection_rate', { amount_due_cents: 5_000, amount_paid_on_time_cents: 5_000 }, { value: null, score: null }],
  ['attendance_rate', { shifts: 20, scheduled_minutes: 9600, attended_minutes: 9120, late_shifts: 2 }, { score: 40 }],
  ['attendance_rate', { shifts: 20, scheduled_minutes: 9600, attended_minutes: 9600, late_shifts: 3 }, { score: 85 }],
  ['attendance_rate', { shifts: 20, scheduled_minutes: 9600, attended_minutes: 9120, late_shifts: 11 }, { score: 0 }],
  ['attendance_rate', { scheduled_minutes: 480, attended_minutes: 480 }, { value: null, score: null }], // 0 shifts
];

describe('KPI worked examples (defaults)', () => {
  for (const [id, arithmetic, counters, result] of WORKED_EXAMPLES) {
    it(`${id}: ${arithmetic}`, () => {
      expect(kpi(counters, id)).toEqual(result);
      for (const [edgeId, edgeCounters, shows] of EDGE_CASES) if (edgeId === id) expect(kpi(edgeCounters, id)).toMatchObject(shows);
    });
  }

  it('every linear KPI has a worked example, in order', () => {
    expect(WORKED_EXAMPLES.map(([id]) => id)).toEqual(LINEAR_KPI_IDS);
  });

  it('workload_units: Σ unit × count, scored against 1.2 × reference', () => {
    const c: Counters = {
      contacts_handled: 100, // 100
      contacts_resolved: 80, // 40
      meter_readings: 40, // 10
      bills_issued: 50, // 10
      work_orders_completed: 5, // 10
      repairs_restored: 5, // 20
      callbacks_made: 10, // 5
      outage_notices: 10, // 5
    };
    expect(scoreStaff({ counters: c, role: 'HOTLINE_AGENT' }, R).workloadUnits).toBe(200);
    expect(kpi(c, 'workload_units', 250)).toEqual({ value: 200, numerator: 200, denominator: 250, score: 66.7 }); // 200/300
    expect(kpi(c, 'workload_units', 100).score).toBe(100); // capped
    expect(kpi(c, 'workload_units', 0)).toMatchObject({ value: 200, score: null }); // no reference
    expect(kpi(c, 'workload_units', null).score).toBeNull();
  });
});

describe('reported measures', () => {
  it('appear with score null', () => {
    const k = scoreStaff(
      {
        role: 'HOTLINE_AGENT',
        counters: {
          contacts_handled: 12,
          contacts_resolved: 9,
          inquiries_resolved: 4,
          meter_readings: 3,
          work_orders_completed: 2,
          repairs_restored: 1,
          callbacks_made: 5,
          quality_inspections: 4,
          quality_passed: 3,
          violations: 2,
          complaints_general: 2,
          complaints_general_substantiated: 1,
          complaints_serious: 1,
          training_completed: 2,
          training_gain_sum: 30,
        },
      },
      R,
    ).kpis;
    expect(k.contacts_handled).toEqual({ value: 12, numerator: 12, denominator: null, score: null });
    expect(k.problems_solved.value).toBe(9);
    expect(k.questions_answered.value).toBe(4);
    expect(k.meter_readings.value).toBe(3);
    expect(k.work_orders_completed.value).toBe(2);
    expect(k.repairs_restored.value).toBe(1);
    expect(k.callbacks_made.value).toBe(5);
    expect(k.quality_pass_rate).toEqual({ value: 0.75, numerator: 3, denominator: 4, score: null });
    expect(k.violations.value).toBe(2);
    expect([k.complaints_general.value, k.complaints_general_substantiated.value, k.complaints_serious.value, k.complaints_serious_substantiated.value]).toEqual([2, 1, 1, 0]);
    expect(k.training_completed.value).toBe(2);
    expect(k.training_gain).toEqual({ value: 15, numerator: 30, denominator: 2, score: null });
    expect(k.improvement).toEqual({ value: null, numerator: null, denominator: null, score: null });
    for (const id of REPORTED_MEASURE_IDS) expect(k[id].score, id).toBeNull();
  });

  it('every KPI and measure is on the card', () => {
    const k = scoreStaff({ role: 'HALL_CLERK', counters: {} }, R).kpis;
    expect(Object.keys(k).sort()).toEqual([...SCORED_KPI_IDS, ...REPORTED_MEASURE_IDS].sort());
    for (const id of LINEAR_KPI_IDS) expect(k[id]).toEqual({ value: null, numerator: 0, denominator: 0, score: null });
  });

  it('counter names are unique snake_case', () => {
    expect(new Set(COUNTER_NAMES).size).toBe(COUNTER_NAMES.length);
    for (const n of COUNTER_NAMES) expect(n).toMatch(/^[a-z][a-z_]*(_[A-Z_]+)?$/);
  });
});
