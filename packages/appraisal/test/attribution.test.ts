import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES as R, attribute, slaObservations, type Increment } from '../src/index.ts';

const sh = (iso: string): number => Date.parse(`${iso}+08:00`);
const T = sh('2026-10-05T10:00:00'); // Monday
const MIN = 60_000;
const base = { eventId: 'e1', occurredAt: T };

/** increments as a sorted, comparable list */
const inc = (xs: Increment[]): string[] => xs.map((i) => `${i.staffId} ${i.counter} ${i.by} @${i.at === T ? 'T' : i.at}`).sort();

describe('attribute: call centre', () => {
  it('CallAnswered and CallAbandoned count no staff counter, only SLA', () => {
    const answered = { ...base, kind: 'CallAnswered' as const, callId: 'c', staffId: 'S1', queue: 'Q1', waitSeconds: 20 };
    expect(attribute(answered, R)).toEqual([]);
    expect(slaObservations(answered, R)).toEqual([
      { measure: 'call_answered', queue: 'Q1', waitSeconds: 20, withinThreshold: true },
    ]);
    const abandoned = { ...base, kind: 'CallAbandoned' as const, callId: 'c', queue: 'Q1', waitSeconds: 21 };
    expect(attribute(abandoned, R)).toEqual([]);
    expect(slaObservations(abandoned, R)).toEqual([
      { measure: 'call_abandoned', queue: 'Q1', waitSeconds: 21, withinThreshold: false },
    ]);
  });

  it('ContactCompleted: handled, handle time, resolved, inquiry answered', () => {
    const e = {
      ...base,
      kind: 'ContactCompleted' as const,
      callId: 'c',
      staffId: 'S1',
      channel: 'HOTLINE' as const,
      category: 'INQUIRY' as const,
      talkSeconds: 200,
      holdSeconds: 30,
      wrapSeconds: 50,
      resolution: 'RESOLVED' as const,
    };
    expect(inc(attribute(e, R))).toEqual(
      ['S1 contacts_handled 1 @T', 'S1 handle_seconds 280 @T', 'S1 contacts_resolved 1 @T', 'S1 inquiries_resolved 1 @T'].sort(),
    );
    expect(inc(attribute({ ...e, category: 'BILLING', resolution: 'ESCALATED' }, R))).toEqual(
      ['S1 contacts_handled 1 @T', 'S1 handle_seconds 280 @T'].sort(),
    );
    expect(inc(attribute({ ...e, category: 'BILLING' }, R))).not.toContain('S1 inquiries_resolved 1 @T');
  });

  it('SurveyAnswered: satisfied at score >= 4', () => {
    const e = { ...base, kind: 'SurveyAnswered' as const, callId: 'c', staffId: 'S1', score: 4 };
    expect(inc(attribute(e, R))).toEqual(['S1 surveys 1 @T', 'S1 surveys_satisfied 1 @T']);
    expect(inc(attribute({ ...e, score: 3 }, R))).toEqual(['S1 surveys 1 @T']);
  });

  it('QualityInspected: score sum, pass at >= 85, violations', () => {
    const e = { ...base, kind: 'QualityInspected' as const, callId: 'c', staffId: 'S1', score: 85, violations: ['GREETING', 'CLOSING'] };
    expect(inc(attribute(e, R))).toEqual(
      ['S1 quality_inspections 1 @T', 'S1 quality_score_sum 85 @T', 'S1 quality_passed 1 @T', 'S1 violations 2 @T'].sort(),
    );
    expect(inc(attribute({ ...e, score: 84, violations: [] }, R))).toEqual(
      ['S1 quality_inspections 1 @T', 'S1 quality_score_sum 84 @T'].sort(),
    );
  });

  it('callbacks: cohort by dueAt, made by occurredAt', () => {
    const due = sh('2026-11-02T12:00:00'); // next month's cohort
    expect(attribute({ ...base, kind: 'CallbackAssigned', ticketId: 't', staffId: 'S1', dueAt: due }, R)).toEqual([
      { staffId: 'S1', at: due, counter: 'callbacks_due', by: 1 },
    ]);
    const done = { ...base, kind: 'CallbackCompleted' as const, ticketId: 't', staffId: 'S1', dueAt: due, outcome: 'SATISFIED' as const };
    expect(inc(attribute(done, R))).toEqual(
      [`S1 callbacks_due_completed 1 @${due}`, `S1 callbacks_due_on_time 1 @${due}`, 'S1 callbacks_made 1 @T'].sort(),
    );
    expect(slaObservations(done, R)).toEqual([]);
    // exactly at dueAt is on time; one ms later is not
    expect(inc(attribute({ ...done, occurredAt: due }, R))).toContain(`S1 callbacks_due_on_time 1 @${due}`);
    const late = { ...done, dueAt: T - 30 * MIN };
    expect(inc(attribute(late, R))).toEqual(
      [`S1 callbacks_due_completed 1 @${T - 30 * MIN}`, 'S1 callbacks_made 1 @T'].sort(),
    );
    expect(slaObservations(late, R)).toEqual([{ measure: 'callback_late', lateMinutes: 30 }]);
  });

  it('ComplaintAgainstStaff: by severity, substantiated separately', () => {
    const e = { ...base, kind: 'ComplaintAgainstStaff' as const, complaintId: 'k', staffId: 'S1', severity: 'GENERAL' as const, substantiated: true };
    expect(inc(attribute(e, R))).toEqual(['S1 complaints_general 1 @T', 'S1 complaints_general_substantiated 1 @T']);
    expect(inc(attribute({ ...e, substantiated: false }, R))).toEqual(['S1 complaints_general 1 @T']);
    expect(inc(attribute({ ...e, severity: 'SERIOUS' }, R))).toEqual(
      ['S1 complaints_serious 1 @T', 'S1 complaints_serious_substantiated 1 @T'],
    );
  });
});

describe('attribute: billing', () => {
  const due = sh('2026-10-20T00:00:00');

  it('meter readings: cohort due, on time by dueAt, readings by occurredAt', () => {
    expect(attribute({ ...base, kind: 'MeterReadingAssigned', taskId: 'm', staffId: 'S2', dueAt: due }, R)).toEqual([
      { staffId: 'S2', at: due, counter: 'readings_due', by: 1 },
    ]);
    const done = { ...base, kind: 'MeterReadingCompleted' as const, taskId: 'm', staffId: 'S2', dueAt: due, method: 'MANUAL' as const };
    expect(inc(attribute(done, R))).toEqual(['S2 meter_readings 1 @T', `S2 readings_due_on_time 1 @${due}`].sort());
    expect(inc(attribute({ ...done, occurredAt: due + 1 }, R))).toEqual([`S2 meter_readings 1 @${due + 1}`]);
  });

  it('bills: issued by occurredAt; due count and amount by dueAt', () => {
    const e = { ...base, kind: 'BillIssued' as const, billId: 'b', staffId: 'S2', amountDueCents: 12_345, dueAt: due };
    expect(inc(attribute(e, R))).toEqual(
      ['S2 bills_issued 1 @T', `S2 bills_due 1 @${due}`, `S2 amount_due_cents 12345 @${due}`].sort(),
    );
    expect(inc(attribute({ ...e, amountDueCents: 0 }, R))).toEqual(['S2 bills_issued 1 @T', `S2 bills_due 1 @${due}`].sort());
  });

  it('payments: counted by dueAt only when paid by dueAt', () => {
    const e = { ...base, kind: 'PaymentReceived' as const, billId: 'b', staffId: 'S2', amountCents: 5_000, dueAt: due };
    expect(attribute(e, R)).toEqual([{ staffId: 'S2', at: due, counter: 'amount_paid_on_time_cents', by: 5_000 }]);
    expect(attribute({ ...e, occurredAt: due }, R)).toHaveLength(1);
    expect(attribute({ ...e, occurredAt: due + 1 }, R)).toEqual([]);
  });

  it('corrections: READING_ERROR vs other reasons', () => {
    const e = { ...base, kind: 'BillCorrected' as const, billId: 'b', staffId: 'S2', reason: 'READING_ERROR' as const };
    expect(inc(attribute(e, R))).toEqual(['S2 reading_errors 1 @T']);
    for (const reason of ['TARIFF_ERROR', 'CALCULATION_ERROR', 'DATA_ENTRY_ERROR'] as const) {
      expect(inc(attribute({ ...e, reason }, R))).toEqual(['S2 billing_errors 1 @T']);
    }
  });

  it('work orders: carried dueAt is used as the cohort', () => {
    const e = { ...base, kind: 'WorkOrderAccepted' as const, orderId: 'o', staffId: 'S3', type: 'METER_TEST' as const, customerClass: 'RESIDENTIAL' as const, dueAt: due };
    expect(attribute(e, R)).toEqual([{ staffId: 'S3', at: due, counter: 'work_orders_due', by: 1 }]);
  });

  it('work orders: a missing dueAt is derived from the commitment table', () => {
    // accepted Fri Oct 2 10:00, METER_TEST 5 working days: Mon 5 … Fri 9 -> due Sat Oct 10 00:00 local
    const accepted = sh('2026-10-02T10:00:00');
    const derived = sh('2026-10-10T00:00:00');
    const e = { eventId: 'a', occurredAt: accepted, kind: 'WorkOrderAccepted' as const, orderId: 'o', staffId: 'S3', type: 'METER_TEST' as const, customerClass: 'RESIDENTIAL' as const, dueAt: null };
    expect(attribute(e, R)).toEqual([{ staffId: 'S3', at: derived, counter: 'work_orders_due', by: 1 }]);

    const done = {
      eventId: 'c',
      occurredAt: sh('2026-10-09T18:00:00'),
      kind: 'WorkOrderCompleted' as const,
      orderId: 'o',
      staffId: 'S3',
      type: 'METER_TEST' as const,
      customerClass: 'RESIDENTIAL' as const,
      acceptedAt: accepted,
      reworked: true,
    };
    expect(inc(attribute(done, R))).toEqual(
      [
        `S3 work_orders_completed 1 @${done.occurredAt}`,
        `S3 work_orders_due_on_time 1 @${derived}`,
        `S3 work_orders_reworked 1 @${done.occurredAt}`,
      ].sort(),
    );
    expect(slaObservations(done, R)).toEqual([]);
    const late = { ...done, occurredAt: derived + 90 * MIN, reworked: false };
    expect(inc(attribute(late, R))).toEqual([`S3 work_orders_completed 1 @${late.occurredAt}`]);
    expect(slaObservations(late, R)).toEqual([{ measure: 'work_order_late', type: 'METER_TEST', lateMinutes: 90 }]);
  });
});

describe('attribute: outage repair', () => {
  const crew = ['C1', 'C2', 'C1'];

  it('RepairArrived credits every crew member once; 45 min urban is within', () => {
    const e = { ...base, kind: 'RepairArrived' as const, ticketId: 'r', crewStaffIds: crew, areaClass: 'URBAN' as const, reportedAt: T - 45 * MIN };
    expect(inc(attribute(e, R))).toEqual(
      ['C1 repair_arrivals 1 @T', 'C1 repair_arrivals_within 1 @T', 'C2 repair_arrivals 1 @T', 'C2 repair_arrivals_within 1 @T'],
    );
    expect(slaObservations(e, R)).toEqual([{ measure: 'repair_arrival', areaClass: 'URBAN', minutes: 45, within: true }]);
    const late = { ...e, reportedAt: T - 46 * MIN };
    expect(inc(attribute(late, R))).toEqual(['C1 repair_arrivals 1 @T', 'C2 repair_arrivals 1 @T']);
    // 46 minutes is fine in a rural area (90)
    expect(attribute({ ...late, areaClass: 'RURAL' }, R)).toHaveLength(4);
  });

  it('RepairRestored: restoration target counted from arrival', () => {
    const e = { ...base, kind: 'RepairRestored' as const, ticketId: 'r', crewStaffIds: ['C1'], areaClass: 'RURAL' as const, reportedAt: T - 10 * 60 * MIN, arrivedAt: T - 4 * 60 * MIN };
    expect(inc(attribute(e, R))).toEqual(['C1 repairs_restored 1 @T', 'C1 restorations_within 1 @T']);
    expect(slaObservations(e, R)).toEqual([{ measure: 'restoration', areaClass: 'RURAL', minutes: 240, within: true }]);
    expect(inc(attribute({ ...e, arrivedAt: T - 4 * 60 * MIN - 1 }, R))).toEqual(['C1 repairs_restored 1 @T']);
  });

  it('RepairFeedback: rating satisfied at >= 4, per crew member', () => {
    const e = { ...base, kind: 'RepairFeedback' as const, ticketId: 'r', crewStaffIds: ['C1', 'C2'], score: 5 };
    expect(inc(attribute(e, R))).toEqual(
      ['C1 repair_ratings 1 @T', 'C1 repair_ratings_satisfied 1 @T', 'C2 repair_ratings 1 @T', 'C2 repair_ratings_satisfied 1 @T'],
    );
    expect(inc(attribute({ ...e, score: 3 }, R))).toEqual(['C1 repair_ratings 1 @T', 'C2 repair_ratings 1 @T']);
  });

  it('OutageNoticePublished: 7 days ahead exactly is on time', () => {
    const e = { ...base, kind: 'OutageNoticePublished' as const, noticeId: 'n', staffId: 'S4', noticeType: 'PLANNED' as const, outageStartsAt: T + 7 * 24 * 60 * MIN };
    expect(inc(attribute(e, R))).toEqual(['S4 outage_notices 1 @T', 'S4 outage_notices_on_time 1 @T']);
    expect(slaObservations(e, R)).toEqual([{ measure: 'outage_notice', noticeType: 'PLANNED', onTime: true }]);
    expect(inc(attribute({ ...e, outageStartsAt: e.outageStartsAt - 1 }, R))).toEqual(['S4 outage_notices 1 @T']);
    expect(inc(attribute({ ...e, noticeType: 'TEMPORARY', outageStartsAt: T + 24 * 60 * MIN }, R))).toHaveLength(2);
  });
});

describe('attribute: workforce', () => {
  it('ShiftAttended', () => {
    const e = { ...base, kind: 'ShiftAttended' as const, staffId: 'S5', shiftId: 'x', scheduledMinutes: 480, attendedMinutes: 470, late: true };
    expect(inc(attribute(e, R))).toEqual(
      ['S5 shifts 1 @T', 'S5 scheduled_minutes 480 @T', 'S5 attended_minutes 470 @T', 'S5 late_shifts 1 @T'].sort(),
    );
    expect(inc(attribute({ ...e, late: false }, R))).not.toContain('S5 late_shifts 1 @T');
  });

  it('SupervisorRated and FeedbackGiven', () => {
    expect(inc(attribute({ ...base, kind: 'SupervisorRated', staffId: 'S5', raterId: 'M', score: 88 }, R))).toEqual(
      ['S5 supervisor_ratings 1 @T', 'S5 supervisor_score_sum 88 @T'],
    );
    expect(
      inc(attribute({ ...base, kind: 'FeedbackGiven', staffId: 'S5', raterId: 'P', relation: 'PEER', score: 70 }, R)),
    ).toEqual(['S5 feedback_ratings 1 @T', 'S5 feedback_score_sum 70 @T']);
  });

  it('TrainingCompleted: gain, and the skill counter at postScore >= 80', () => {
    const e = { ...base, kind: 'TrainingCompleted' as const, staffId: 'S5', courseId: 'k', skill: 'COMMUNICATION' as const, preScore: 60, postScore: 80 };
    expect(inc(attribute(e, R))).toEqual(
      ['S5 training_completed 1 @T', 'S5 training_gain_sum 20 @T', 'S5 trained_ok_COMMUNICATION 1 @T'].sort(),
    );
    expect(inc(attribute({ ...e, postScore: 79 }, R))).toEqual(['S5 training_completed 1 @T', 'S5 training_gain_sum 19 @T'].sort());
  });

  it('ignores kinds it does not count', () => {
    expect(attribute({ kind: 'StaffProfile' }, R)).toEqual([]);
    expect(slaObservations({ kind: 'StaffProfile' }, R)).toEqual([]);
  });
});
