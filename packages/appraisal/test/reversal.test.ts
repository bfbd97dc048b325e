import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, adjustmentProblem, attribute, reversalOf, type CorrectionInput, type RecordedEffect } from '../src/index.ts';
import { DAY } from './fixture-periods.ts';

const at = DAY.startMs + 10 * 3_600_000;

/** What the aggregator records for an event: its increments, each in the DAY of the fixture. */
function recorded(event: Parameters<typeof attribute>[0] & { kind: string }): RecordedEffect {
  return { eventKind: event.kind, increments: attribute(event, DEFAULT_RULES).map((i) => ({ staffId: i.staffId, day: DAY.id, counter: i.counter, by: i.by })) };
}

const complaint = (severity: 'SERIOUS' | 'GENERAL', substantiated: boolean) =>
  recorded({ kind: 'ComplaintAgainstStaff', eventId: 'E-CMP-7', occurredAt: at, complaintId: 'CMP-7', staffId: 'S1', severity, substantiated });
const shift = (scheduledMinutes: number, attendedMinutes: number, late: boolean) =>
  recorded({ kind: 'ShiftAttended', eventId: 'E-SH-1', occurredAt: at, staffId: 'S1', shiftId: 'SH-1', scheduledMinutes, attendedMinutes, late });
const correction = (kind: CorrectionInput['kind'], extra: Partial<CorrectionInput> = {}): CorrectionInput => ({ correctionId: 'C-1', kind, staffId: 'S1', targetEventId: 'E-T', ...extra });

describe('reversalOf', () => {
  it('EVENT_VOIDED negates every increment of the target', () => {
    const target = recorded({ kind: 'ContactCompleted', eventId: 'E-1', occurredAt: at, callId: 'CALL-1', staffId: 'S1', channel: 'HOTLINE', category: 'INQUIRY', resolution: 'RESOLVED', talkSeconds: 100, holdSeconds: 20, wrapSeconds: 30 } as never);
    const r = reversalOf(correction('EVENT_VOIDED'), target);
    if ('code' in r) throw new Error(r.message);
    expect(r.increments).toEqual([
      { staffId: 'S1', day: DAY.id, counter: 'contacts_handled', by: -1 },
      { staffId: 'S1', day: DAY.id, counter: 'handle_seconds', by: -150 },
      { staffId: 'S1', day: DAY.id, counter: 'contacts_resolved', by: -1 },
      { staffId: 'S1', day: DAY.id, counter: 'inquiries_resolved', by: -1 },
    ]);
    expect(r.reverses).toBe(true);
    expect([...r.touched]).toEqual([['S1', new Set([DAY.id])]]);
    expect(r.detail.get('S1')).toBe('ContactCompleted E-T VOIDED: contacts_handled -1, handle_seconds -150, contacts_resolved -1, inquiries_resolved -1');
  });

  it('a voided crew event reverses every member; the notes reach each of them', () => {
    const target = recorded({ kind: 'RepairFeedback', eventId: 'E-2', occurredAt: at, ticketId: 'T-1', crewStaffIds: ['S1', 'S2'], score: 5 } as never);
    const r = reversalOf(correction('EVENT_VOIDED'), target);
    if ('code' in r) throw new Error(r.message);
    expect(r.increments.filter((i) => i.staffId === 'S2').map((i) => [i.counter, i.by])).toEqual([['repair_ratings', -1], ['repair_ratings_satisfied', -1]]);
    expect([...r.touched.keys()]).toEqual(['S1', 'S2']);
  });

  it('an overturned substantiated SERIOUS complaint takes back the finding (the veto input), not the complaint', () => {
    const r = reversalOf(correction('COMPLAINT_RULING', { targetEventId: 'E-CMP-7', ruling: 'OVERTURNED' }), complaint('SERIOUS', true));
    if ('code' in r) throw new Error(r.message);
    expect(r.increments).toEqual([{ staffId: 'S1', day: DAY.id, counter: 'complaints_serious_substantiated', by: -1 }]);
    expect(r.detail.get('S1')).toBe('complaint E-CMP-7 OVERTURNED: complaints_serious_substantiated -1');
    expect(r.reverses).toBe(true);
  });

  it('an upheld complaint changes no counter but is noted for its staff member and day', () => {
    const r = reversalOf(correction('COMPLAINT_RULING', { ruling: 'UPHELD' }), complaint('GENERAL', true));
    if ('code' in r) throw new Error(r.message);
    expect(r.increments).toEqual([]);
    expect(r.reverses).toBe(false);
    expect([...r.touched]).toEqual([['S1', new Set([DAY.id])]]);
    expect(r.detail.get('S1')).toBe('complaint E-T UPHELD: no counter change');
  });

  it('an excused absence counts the shift fully attended and on time', () => {
    const r = reversalOf(correction('ABSENCE_EXCUSED'), shift(480, 300, true));
    if ('code' in r) throw new Error(r.message);
    expect(r.increments).toEqual([
      { staffId: 'S1', day: DAY.id, counter: 'attended_minutes', by: 180 },
      { staffId: 'S1', day: DAY.id, counter: 'late_shifts', by: -1 },
    ]);
    // A no-show (attended 0: no attended_minutes increment was ever made) gets the whole shift.
    const none = reversalOf(correction('ABSENCE_EXCUSED'), shift(480, 0, false));
    if ('code' in none) throw new Error(none.message);
    expect(none.increments).toEqual([{ staffId: 'S1', day: DAY.id, counter: 'attended_minutes', by: 480 }]);
  });

  it('refuses a correction of the wrong target kind or staff member', () => {
    expect(reversalOf(correction('ABSENCE_EXCUSED'), complaint('SERIOUS', true))).toMatchObject({ code: 'CS_VALIDATION_CORRECTION_WRONG_TARGET', message: expect.stringContaining('applies to a ShiftAttended') });
    expect(reversalOf(correction('COMPLAINT_RULING', { ruling: 'OVERTURNED' }), shift(480, 480, false))).toMatchObject({ code: 'CS_VALIDATION_CORRECTION_WRONG_TARGET' });
    expect(reversalOf({ ...correction('EVENT_VOIDED'), staffId: 'S9' }, shift(480, 480, false))).toMatchObject({ code: 'CS_VALIDATION_CORRECTION_WRONG_TARGET', message: expect.stringContaining('did not count for staff S9') });
  });
});

describe('adjustmentProblem', () => {
  it('accepts scored KPI and dimension ids, refuses others', () => {
    expect(adjustmentProblem({ target: 'KPI', id: 'attendance_rate', mode: 'VALUE', amount: 0.95 })).toBeNull();
    expect(adjustmentProblem({ target: 'DIMENSION', id: 'conduct', mode: 'DELTA', amount: 5 })).toBeNull();
    expect(adjustmentProblem({ target: 'KPI', id: 'conduct', mode: 'VALUE', amount: 1 })).toMatch(/not a scored KPI id/);
    expect(adjustmentProblem({ target: 'DIMENSION', id: 'attendance_rate', mode: 'VALUE', amount: 1 })).toMatch(/not a dimension id/);
  });
});
