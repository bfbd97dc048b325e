// Issue #16 item 3: corrections and appeals through the real aggregator, Kafka and Redis. The
// target events count in one shard and their corrections (keyed by target) in another; the
// counters, summed over shards, must read as worked out by hand below, each correction once.
import { afterAll, describe, expect, it } from 'vitest';
import type { CorrectionNote } from '@cs/appraisal';
import { correctionKey, messageKey, type Correction, type SourceEvent } from '@cs/contracts';
import { Buckets } from '../src/buckets.ts';
import { TEST_CLOCK } from '../../../test/harness/clock.ts';
import { codecs, drained, produce, readDeadLetters, sandbox, withAggregator, type Sandbox } from './support.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Counters without the zeros a reversal leaves behind (absent reads as 0). */
const nonZero = (rec: Record<string, number> | undefined) => Object.fromEntries(Object.entries(rec ?? {}).filter(([, v]) => v !== 0));

describe('corrections in the aggregator', () => {
  let sb: Sandbox;
  afterAll(async () => sb?.close());

  it('void, overturned complaint, excused absence and adjustment change the counters once, with notes; a second reversal is dead-lettered', async () => {
    sb = await sandbox(6);
    const month = TEST_CLOCK.lastMonth();
    const buckets = new Buckets('Asia/Shanghai');
    const t1 = month.startMs + 4 * DAY + 10 * HOUR; // the 5th, 10:00 local-ish: well inside the month
    const t2 = t1 + 2 * DAY;
    const [day1] = buckets.staff(t1);
    const [day2] = buckets.staff(t2);
    const M = month.id;

    const call: SourceEvent = { kind: 'ContactCompleted', eventId: 'E-CALL', occurredAt: t1, callId: 'CALL-1', staffId: 'S1', channel: 'HOTLINE', category: 'INQUIRY', talkSeconds: 200, holdSeconds: 10, wrapSeconds: 30, resolution: 'RESOLVED' };
    const call2: SourceEvent = { ...call, eventId: 'E-CALL-2', callId: 'CALL-2', talkSeconds: 100, category: 'BILLING' };
    const complaint: SourceEvent = { kind: 'ComplaintAgainstStaff', eventId: 'E-CMP', occurredAt: t1, complaintId: 'CMP-7', staffId: 'S2', severity: 'SERIOUS', substantiated: true };
    const late: SourceEvent = { kind: 'ShiftAttended', eventId: 'E-SH', occurredAt: t1, staffId: 'S3', shiftId: 'SH-1', scheduledMinutes: 480, attendedMinutes: 300, late: true };
    const onTime: SourceEvent = { kind: 'ShiftAttended', eventId: 'E-SH-2', occurredAt: t2, staffId: 'S3', shiftId: 'SH-2', scheduledMinutes: 480, attendedMinutes: 480, late: false };
    const sources = [call, call2, complaint, late, onTime].map((e) => ({ topic: (e.kind === 'ShiftAttended' ? 'workforce' : 'callcenter') as 'workforce' | 'callcenter', key: messageKey(e), value: codecs.encode(e.kind === 'ShiftAttended' ? 'workforce' : 'callcenter', e) }));

    const now = TEST_CLOCK.clock.now();
    const who = { reason: 'reviewed with the recording', requestedBy: 'SUP-1', approvedBy: 'HR-1' };
    const none = { targetEventId: null, targetPeriod: null, ruling: null, periodId: null, adjustment: null, rules: null };
    const c = (x: Partial<Correction> & Pick<Correction, 'correctionId' | 'kind' | 'staffId'>, at: number): Correction => ({ ...none, ...who, occurredAt: at, ...x });
    const voidCall = c({ correctionId: 'COR-VOID', kind: 'EVENT_VOIDED', staffId: 'S1', targetEventId: 'E-CALL', targetPeriod: M }, now - 5 * HOUR);
    const overturn = c({ correctionId: 'COR-CMP', kind: 'COMPLAINT_RULING', staffId: 'S2', targetEventId: 'E-CMP', targetPeriod: M, ruling: 'OVERTURNED' }, now - 4 * HOUR);
    const excuse = c({ correctionId: 'COR-SH', kind: 'ABSENCE_EXCUSED', staffId: 'S3', targetEventId: 'E-SH', targetPeriod: M }, now - 3 * HOUR);
    const adjust = c({ correctionId: 'COR-ADJ', kind: 'ADJUSTMENT', staffId: 'S1', periodId: M, adjustment: { target: 'KPI', id: 'attendance_rate', mode: 'VALUE', amount: 0.95 } }, now - 2 * HOUR);
    // Refused: a second reversal of the complaint, an unknown target, an excuse of a complaint.
    const again = c({ correctionId: 'COR-CMP-2', kind: 'EVENT_VOIDED', staffId: 'S2', targetEventId: 'E-CMP', targetPeriod: M }, now - HOUR);
    const unknown = c({ correctionId: 'COR-X', kind: 'EVENT_VOIDED', staffId: 'S1', targetEventId: 'E-NOPE', targetPeriod: M }, now - HOUR);
    const wrongKind = c({ correctionId: 'COR-W', kind: 'ABSENCE_EXCUSED', staffId: 'S1', targetEventId: 'E-CALL-2', targetPeriod: M }, now - HOUR);
    const enc = (x: Correction) => ({ topic: 'corrections' as const, key: correctionKey(x), value: codecs.encode('corrections', x) });
    // The void is delivered twice (a producer retry): it counts once.
    const corrections = [voidCall, overturn, excuse, adjust, voidCall, again, unknown, wrongKind].map(enc);

    await withAggregator(sb, async () => {
      await produce(sb, sources);
      await drained(sb, 60_000);
      expect(nonZero((await sb.store.periodCounters(M)).get('S2'))).toEqual({ complaints_serious: 1, complaints_serious_substantiated: 1 });
      await sb.store.takeChanged().then((t) => t.ack());

      await produce(sb, corrections);
      await drained(sb, 60_000);
      const dl = await readDeadLetters(sb, 3);
      expect(dl.map((d) => d.code).sort()).toEqual(['CS_VALIDATION_CORRECTION_ALREADY_APPLIED', 'CS_VALIDATION_CORRECTION_TARGET_UNKNOWN', 'CS_VALIDATION_CORRECTION_WRONG_TARGET']);
      const bytesOf = (code: string) => dl.find((d) => d.code === code)!.value!;
      expect(bytesOf('CS_VALIDATION_CORRECTION_ALREADY_APPLIED').equals(enc(again).value)).toBe(true);
      expect(bytesOf('CS_VALIDATION_CORRECTION_TARGET_UNKNOWN').equals(enc(unknown).value)).toBe(true);
      expect(bytesOf('CS_VALIDATION_CORRECTION_WRONG_TARGET').equals(enc(wrongKind).value)).toBe(true);
    });

    // By hand. S1: only CALL-2 is left (talk 100 + hold 10 + wrap 30 = 140 s, resolved, not an inquiry).
    // S2: the complaint stays received, its substantiation goes (the veto input is 0).
    // S3: two shifts of 480 scheduled, both now fully attended (300 + 180 excused, 480), none late.
    const month1 = await sb.store.periodCounters(M);
    expect(nonZero(month1.get('S1'))).toEqual({ contacts_handled: 1, handle_seconds: 140, contacts_resolved: 1 });
    expect(nonZero(month1.get('S2'))).toEqual({ complaints_serious: 1 });
    expect(nonZero(month1.get('S3'))).toEqual({ shifts: 2, scheduled_minutes: 960, attended_minutes: 960 });
    expect(nonZero((await sb.store.periodCounters(day1!)).get('S3'))).toEqual({ shifts: 1, scheduled_minutes: 480, attended_minutes: 480 });
    expect(nonZero((await sb.store.periodCounters(day2!)).get('S3'))).toEqual({ shifts: 1, scheduled_minutes: 480, attended_minutes: 480 });

    // The notes, per staff member and period, in order; and the pairs the scorer re-scores.
    const notes = await sb.store.periodCorrections(M);
    const brief = (n: CorrectionNote[] | undefined) => (n ?? []).map((x) => [x.correctionId, x.kind, x.detail, x.requestedBy, x.approvedBy]);
    expect(brief(notes.get('S1'))).toEqual([
      ['COR-VOID', 'EVENT_VOIDED', 'ContactCompleted E-CALL VOIDED: contacts_handled -1, handle_seconds -240, contacts_resolved -1, inquiries_resolved -1', 'SUP-1', 'HR-1'],
      ['COR-ADJ', 'ADJUSTMENT', 'adjustment KPI attendance_rate VALUE 0.95', 'SUP-1', 'HR-1'],
    ]);
    expect(notes.get('S1')![1]!.adjustment).toEqual({ target: 'KPI', id: 'attendance_rate', mode: 'VALUE', amount: 0.95 });
    expect(brief(notes.get('S2'))).toEqual([['COR-CMP', 'COMPLAINT_RULING', 'complaint E-CMP OVERTURNED: complaints_serious_substantiated -1', 'SUP-1', 'HR-1']]);
    expect(brief(notes.get('S3'))).toEqual([['COR-SH', 'ABSENCE_EXCUSED', 'shift E-SH ABSENCE_EXCUSED: attended_minutes +180, late_shifts -1', 'SUP-1', 'HR-1']]);
    expect([...(await sb.store.periodCorrections(day1!)).keys()].sort()).toEqual(['S1', 'S2', 'S3']);
    const { pairs } = await sb.store.takeChanged();
    for (const p of [`${M}|S1`, `${M}|S2`, `${M}|S3`, `${day1}|S1`, `${day1}|S2`, `${day1}|S3`]) expect(pairs).toContain(p);
    expect(pairs).not.toContain(`${day2}|S3`);
  });
});
