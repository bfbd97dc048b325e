import { describe, expect, it } from 'vitest';
import { COUNTER_NAMES } from '@cs/appraisal';
import { EVENT_KINDS } from '@cs/contracts';
import { decodeEffectRecord, encodeEffectRecord } from '../src/index.ts';

describe('recorded effect encoding (fx)', () => {
  it('is compact and reads back to the increments, grouped by staff member and day', () => {
    const d1 = ['DAY:2026-10-05', 'MONTH:2026-10'];
    const d2 = ['DAY:2026-10-07', 'MONTH:2026-10'];
    const counters = [
      { staffId: 'S1', periods: d1, counter: 'shifts', by: 1 },
      { staffId: 'S1', periods: d1, counter: 'scheduled_minutes', by: 480 },
      { staffId: 'S1', periods: d2, counter: 'callbacks_due', by: 1 },
      { staffId: 'S-2', periods: d2, counter: 'handle_seconds', by: 12.5 },
      { staffId: 'S-2', periods: d2, counter: 'complaints_serious', by: -1 },
    ];
    const text = encodeEffectRecord('ShiftAttended', counters);
    expect(text).toBe('j;S1@20261005,13,15=480;S1@20261007,a;S-2@20261007,1=12.5,f=-1');
    expect(decodeEffectRecord(text)).toEqual({
      eventKind: 'ShiftAttended',
      increments: counters.map((c) => ({ staffId: c.staffId, day: c.periods[0], counter: c.counter, by: c.by })),
    });
  });

  it('refuses text it did not write', () => {
    expect(() => decodeEffectRecord('zz;S1@20261005,0')).toThrow(/bad kind/);
    expect(() => decodeEffectRecord('0;nogroup,0')).toThrow(/bad group/);
    expect(() => decodeEffectRecord('0;S1@20261005,0=abc')).toThrow(/bad increment/);
    expect(() => decodeEffectRecord('0;S1@20261005,zz')).toThrow(/bad increment/);
  });

  // Records are read back up to the bucket retention after they were written, maybe by a newer
  // release: the codes are positions, so these lists may only grow at their end.
  it('codes stay put: the event kinds and counters keep their positions', () => {
    expect(EVENT_KINDS.slice(0, 23)).toEqual([
      'CallAnswered', 'CallAbandoned', 'ContactCompleted', 'SurveyAnswered', 'QualityInspected', 'CallbackAssigned', 'CallbackCompleted', 'ComplaintAgainstStaff',
      'MeterReadingAssigned', 'MeterReadingCompleted', 'BillIssued', 'PaymentReceived', 'BillCorrected', 'WorkOrderAccepted', 'WorkOrderCompleted',
      'RepairArrived', 'RepairRestored', 'RepairFeedback', 'OutageNoticePublished', 'ShiftAttended', 'SupervisorRated', 'FeedbackGiven', 'TrainingCompleted',
    ]);
    expect(COUNTER_NAMES.slice(0, 57)).toEqual([
      'contacts_handled', 'handle_seconds', 'contacts_resolved', 'inquiries_resolved', 'surveys', 'surveys_satisfied', 'quality_inspections', 'quality_score_sum',
      'quality_passed', 'violations', 'callbacks_due', 'callbacks_due_on_time', 'callbacks_due_completed', 'callbacks_made', 'complaints_general', 'complaints_serious',
      'complaints_general_substantiated', 'complaints_serious_substantiated', 'readings_due', 'readings_due_on_time', 'meter_readings', 'reading_errors', 'bills_issued',
      'billing_errors', 'bills_due', 'amount_due_cents', 'amount_paid_on_time_cents', 'work_orders_due', 'work_orders_due_on_time', 'work_orders_completed',
      'work_orders_reworked', 'repair_arrivals', 'repair_arrivals_within', 'repairs_restored', 'restorations_within', 'repair_ratings', 'repair_ratings_satisfied',
      'outage_notices', 'outage_notices_on_time', 'shifts', 'late_shifts', 'scheduled_minutes', 'attended_minutes', 'supervisor_ratings', 'supervisor_score_sum',
      'feedback_ratings', 'feedback_score_sum', 'training_completed', 'training_gain_sum', 'trained_ok_SERVICE_ETIQUETTE', 'trained_ok_BUSINESS_KNOWLEDGE',
      'trained_ok_PROCESS_EFFICIENCY', 'trained_ok_COMMUNICATION', 'trained_ok_SAFETY', 'trained_ok_TECHNICAL',
    ].slice(0, 57));
  });
});
