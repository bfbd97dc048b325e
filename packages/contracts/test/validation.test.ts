import { describe, expect, it } from 'vitest';
import { buildDeadLetter, createCodecs, validateEvent, parseNdjson, toNdjson, KIND_RULES, TOPICS, ROSTER_RULES, MAX_TIME_MS, MIN_TIME_MS, type SourceEvent, type StaffProfile } from '../src/index.ts';
import { EVENT_FIXTURES as F, NOW, STAFF_PROFILE } from './fixtures.ts';

const codecs = createCodecs();
const DAY = 86_400_000;
type Case = [name: string, value: SourceEvent | StaffProfile, path: string];
const ev = <K extends keyof typeof F>(k: K, patch: Partial<(typeof F)[K]>): SourceEvent => ({ ...F[k], ...patch }) as SourceEvent;

// One rejecting case per rule of events.md (and per field the rule applies to).
const CASES: Case[] = [
  // staffId pattern (staffId, raterId, crew members)
  ['staffId with a space', ev('CallAnswered', { staffId: 'S 001' }), 'staffId'],
  ['staffId empty', ev('ContactCompleted', { staffId: '' }), 'staffId'],
  ['staffId 65 chars', ev('SurveyAnswered', { staffId: 'a'.repeat(65) }), 'staffId'],
  ['staffId non-ASCII', ev('ShiftAttended', { staffId: '張三' }), 'staffId'],
  ['raterId bad', ev('SupervisorRated', { raterId: 'M/1' }), 'raterId'],
  ['raterId bad (360)', ev('FeedbackGiven', { raterId: '' }), 'raterId'],
  ['crew member bad', ev('RepairArrived', { crewStaffIds: ['S030', 'bad id'] }), 'crewStaffIds.1'],
  // other ids: non-empty, <= 128, no control characters
  ['eventId empty', ev('CallAnswered', { eventId: '' }), 'eventId'],
  ['eventId 129 chars', ev('CallAnswered', { eventId: 'x'.repeat(129) }), 'eventId'],
  ['callId control char', ev('CallAnswered', { callId: 'C1\n' }), 'callId'],
  ['queue empty', ev('CallAbandoned', { queue: '' }), 'queue'],
  ['ticketId DEL', ev('CallbackAssigned', { ticketId: 'T\u007f' }), 'ticketId'],
  ['complaintId empty', ev('ComplaintAgainstStaff', { complaintId: '' }), 'complaintId'],
  ['taskId empty', ev('MeterReadingAssigned', { taskId: '' }), 'taskId'],
  ['billId C1 control', ev('BillCorrected', { billId: 'B\u0085' }), 'billId'],
  ['orderId empty', ev('WorkOrderAccepted', { orderId: '' }), 'orderId'],
  ['ticketId empty (repair)', ev('RepairFeedback', { ticketId: '' }), 'ticketId'],
  ['noticeId empty', ev('OutageNoticePublished', { noticeId: '' }), 'noticeId'],
  ['shiftId empty', ev('ShiftAttended', { shiftId: '' }), 'shiftId'],
  ['courseId NUL', ev('TrainingCompleted', { courseId: 'c\u0000' }), 'courseId'],
  ['teamId empty', { ...STAFF_PROFILE, teamId: '' }, 'teamId'],
  // durations >= 0 and finite
  ['waitSeconds negative', ev('CallAnswered', { waitSeconds: -1 }), 'waitSeconds'],
  ['waitSeconds NaN', ev('CallAbandoned', { waitSeconds: NaN }), 'waitSeconds'],
  ['talkSeconds Infinity', ev('ContactCompleted', { talkSeconds: Infinity }), 'talkSeconds'],
  ['holdSeconds negative', ev('ContactCompleted', { holdSeconds: -0.5 }), 'holdSeconds'],
  ['wrapSeconds negative', ev('ContactCompleted', { wrapSeconds: -3 }), 'wrapSeconds'],
  // scores
  ['survey score 0', ev('SurveyAnswered', { score: 0 }), 'score'],
  ['survey score 6', ev('SurveyAnswered', { score: 6 }), 'score'],
  ['quality score 100.5', ev('QualityInspected', { score: 100.5 }), 'score'],
  ['quality score NaN', ev('QualityInspected', { score: NaN }), 'score'],
  ['repair feedback 0', ev('RepairFeedback', { score: 0 }), 'score'],
  ['supervisor score -1', ev('SupervisorRated', { score: -1 }), 'score'],
  ['360 score 101', ev('FeedbackGiven', { score: 101 }), 'score'],
  ['preScore 120', ev('TrainingCompleted', { preScore: 120 }), 'preScore'],
  ['postScore -5', ev('TrainingCompleted', { postScore: -5 }), 'postScore'],
  // amounts >= 0
  ['amountDueCents negative', ev('BillIssued', { amountDueCents: -1 }), 'amountDueCents'],
  ['amountCents negative', ev('PaymentReceived', { amountCents: -100 }), 'amountCents'],
  // minutes
  ['scheduledMinutes 0', ev('ShiftAttended', { scheduledMinutes: 0 }), 'scheduledMinutes'],
  ['attendedMinutes negative', ev('ShiftAttended', { attendedMinutes: -1 }), 'attendedMinutes'],
  // crew size and uniqueness
  ['crew empty', ev('RepairArrived', { crewStaffIds: [] }), 'crewStaffIds'],
  ['crew of 21', ev('RepairRestored', { crewStaffIds: Array.from({ length: 21 }, (_, i) => `S${i}`) }), 'crewStaffIds'],
  ['crew duplicate', ev('RepairFeedback', { crewStaffIds: ['S030', 'S031', 'S030'] }), 'crewStaffIds.2'],
  // times
  ['occurredAt before 2000', ev('CallAnswered', { occurredAt: MIN_TIME_MS - 1 }), 'occurredAt'],
  ['occurredAt > now + 1 day', ev('BillCorrected', { occurredAt: NOW + DAY + 1 }), 'occurredAt'],
  ['dueAt after 2100', ev('CallbackAssigned', { dueAt: MAX_TIME_MS + 1 }), 'dueAt'],
  ['dueAt before 2000', ev('CallbackCompleted', { dueAt: 0 }), 'dueAt'],
  ['dueAt (reading) after 2100', ev('MeterReadingAssigned', { dueAt: MAX_TIME_MS + DAY }), 'dueAt'],
  ['dueAt (reading done) before 2000', ev('MeterReadingCompleted', { dueAt: 1 }), 'dueAt'],
  ['dueAt (bill) after 2100', ev('BillIssued', { dueAt: MAX_TIME_MS * 2 }), 'dueAt'],
  ['dueAt (payment) before 2000', ev('PaymentReceived', { dueAt: 5 }), 'dueAt'],
  ['optional dueAt out of range', ev('WorkOrderAccepted', { dueAt: 1 }), 'dueAt'],
  ['optional dueAt out of range (done)', ev('WorkOrderCompleted', { dueAt: MAX_TIME_MS + 1 }), 'dueAt'],
  ['acceptedAt before 2000', ev('WorkOrderCompleted', { acceptedAt: 1 }), 'acceptedAt'],
  ['reportedAt after 2100', ev('RepairArrived', { reportedAt: MAX_TIME_MS + 1 }), 'reportedAt'],
  ['arrivedAt before 2000', ev('RepairRestored', { arrivedAt: 1 }), 'arrivedAt'],
  ['outageStartsAt after 2100', ev('OutageNoticePublished', { outageStartsAt: MAX_TIME_MS + 1 }), 'outageStartsAt'],
  ['updatedAt before 2000', { ...STAFF_PROFILE, updatedAt: 1 }, 'updatedAt'],
  ['staffId bad (roster)', { ...STAFF_PROFILE, staffId: 'a b' }, 'staffId'],
  // ordering of times
  ['arrived before reported', ev('RepairArrived', { occurredAt: F.RepairArrived.reportedAt - 1 }), 'occurredAt'],
  ['restored: arrivedAt before reportedAt', ev('RepairRestored', { arrivedAt: F.RepairRestored.reportedAt - 1 }), 'arrivedAt'],
  ['restored before arrival', ev('RepairRestored', { occurredAt: F.RepairRestored.arrivedAt - 1 }), 'occurredAt'],
  ['work order completed before accepted', ev('WorkOrderCompleted', { occurredAt: F.WorkOrderCompleted.acceptedAt - 1 }), 'occurredAt'],
];

/** validateEvent's verdict on a rejecting case: a non-retriable VALIDATION error of `code` with an issue at `path`. */
function expectRejected(value: SourceEvent | StaffProfile, path: string, code: string) {
  const err = validateEvent(value, { now: NOW });
  expect(err).not.toBeNull();
  expect(err!.errorClass).toBe('VALIDATION');
  expect(err!.code).toBe(code);
  expect(err!.retriable).toBe(false);
  expect(err!.issues.map((i) => i.path)).toContain(path);
  return err!;
}

// The static appraisal's events (docs/static-appraisal.md): their own dead-letter code.
const STATIC_CASES: Case[] = [
  ['assessment score 100.5', ev('SkillAssessed', { score: 100.5 }), 'score'],
  ['assessment score -1', ev('SkillAssessed', { score: -1 }), 'score'],
  ['assessment score NaN', ev('SkillAssessed', { score: NaN }), 'score'],
  ['assessmentId with a space', ev('SkillAssessed', { assessmentId: 'A 1' }), 'assessmentId'],
  ['assessedAt after occurredAt', ev('SkillAssessed', { assessedAt: F.SkillAssessed.occurredAt + 1 }), 'assessedAt'],
  ['assessedAt before 2000', ev('SkillAssessed', { assessedAt: 1 }), 'assessedAt'],
  ['expiresAt before grantedAt', ev('QualificationGranted', { expiresAt: F.QualificationGranted.grantedAt - DAY }), 'expiresAt'],
  ['expiresAt equal to grantedAt', ev('QualificationGranted', { expiresAt: F.QualificationGranted.grantedAt }), 'expiresAt'],
  ['expiresAt after 2100', ev('QualificationGranted', { expiresAt: MAX_TIME_MS + 1 }), 'expiresAt'],
  ['grantedAt after occurredAt', ev('QualificationGranted', { grantedAt: F.QualificationGranted.occurredAt + 1, expiresAt: null }), 'grantedAt'],
  ['qualificationId empty', ev('QualificationGranted', { qualificationId: '' }), 'qualificationId'],
  ['certificateId 65 chars', ev('QualificationGranted', { certificateId: 'c'.repeat(65) }), 'certificateId'],
  ['qualificationId with a slash (revoked)', ev('QualificationRevoked', { qualificationId: 'LV/ELEC' }), 'qualificationId'],
  ['revokedAt after occurredAt', ev('QualificationRevoked', { revokedAt: F.QualificationRevoked.occurredAt + 1 }), 'revokedAt'],
];

describe('every rule of docs/static-appraisal.md has a rejecting case, dead-lettered as CS_VALIDATION_STATIC_INVALID', () => {
  it.each(STATIC_CASES)('%s', (_name, value, path) => {
    expectRejected(value, path, 'CS_VALIDATION_STATIC_INVALID');
  });

  it.each(STATIC_CASES)('decodeAndValidate rejects it, and the dead letter keeps the original bytes: %s', (_name, value, path) => {
    const bytes = codecs.encode('workforce', value);
    const r = codecs.decodeAndValidate('workforce', bytes, { now: NOW });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.issues.map((i) => i.path)).toContain(path);
    const dl = buildDeadLetter({ originalTopic: TOPICS.workforce, partition: 0, offset: '9', key: 'S010', value: bytes, error: r.error, service: 'aggregator', at: NOW });
    expect(dl).toMatchObject({ errorClass: 'VALIDATION', code: 'CS_VALIDATION_STATIC_INVALID', value: bytes });
  });

  it('boundaries pass: scores 0 and 100, no expiry, an expiry 1 ms after the grant, times equal to occurredAt', () => {
    for (const e of [
      ev('SkillAssessed', { score: 0 }),
      ev('SkillAssessed', { score: 100, assessedAt: F.SkillAssessed.occurredAt }),
      ev('QualificationGranted', { expiresAt: null }),
      ev('QualificationGranted', { expiresAt: F.QualificationGranted.grantedAt + 1, grantedAt: F.QualificationGranted.grantedAt }),
      ev('QualificationGranted', { grantedAt: F.QualificationGranted.occurredAt }),
      ev('QualificationRevoked', { revokedAt: F.QualificationRevoked.occurredAt }),
    ]) {
      expect(validateEvent(e, { now: NOW })).toBeNull();
    }
  });

  it("the envelope's problems (eventId, occurredAt, staffId) are an ordinary CS_VALIDATION_FAILED, as for any event", () => {
    for (const [e, path] of [
      [ev('SkillAssessed', { staffId: 'a b' }), 'staffId'],
      [ev('QualificationGranted', { occurredAt: NOW + 2 * DAY, grantedAt: NOW + 2 * DAY, expiresAt: null }), 'occurredAt'],
      [ev('QualificationRevoked', { eventId: '' }), 'eventId'],
    ] as const) {
      const err = validateEvent(e, { now: NOW });
      expect({ path, code: err?.code, paths: err?.issues.map((i) => i.path) }).toMatchObject({ path, code: 'CS_VALIDATION_FAILED', paths: expect.arrayContaining([path]) });
    }
  });

  it('a skill outside the enum is refused by the schema itself', () => {
    expect(() => codecs.encode('workforce', ev('SkillAssessed', { skill: 'JUGGLING' as never }))).toThrow();
  });
});

describe('every rule of events.md has a rejecting case', () => {
  it.each(CASES)('%s', (_name, value, path) => {
    const err = expectRejected(value, path, 'CS_VALIDATION_FAILED');
    expect(err.message).toContain(path);
  });

  it.each(CASES)('decodeAndValidate rejects it too: %s', (_name, value, path) => {
    const topic = 'kind' in value ? codecs.kinds('callcenter').includes(value.kind) ? 'callcenter' : codecs.kinds('billing').includes(value.kind) ? 'billing' : codecs.kinds('outageRepair').includes(value.kind) ? 'outageRepair' : 'workforce' : 'roster';
    const r = codecs.decodeAndValidate(topic, codecs.encode(topic, value), { now: NOW });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.issues.map((i) => i.path)).toContain(path);
  });

  // Same rule table behind the zod schemas: NDJSON input is rejected for the same reason.
  it.each(CASES.filter(([, v]) => JSON.stringify(v) === JSON.stringify(v, (_k, x) => (typeof x === 'number' && !Number.isFinite(x) ? 'X' : x))))(
    'NDJSON rejects it with the field named: %s',
    (_name, value, path) => {
      const topic = 'kind' in value ? 'callcenter' : 'roster';
      const line = toNdjson(topic, value).replace(/"(occurredAt|dueAt|acceptedAt|reportedAt|arrivedAt|outageStartsAt|updatedAt)":"[^"]*"/g, (m, f: string) => `"${f}":${(value as Record<string, unknown>)[f] as number}`);
      const r = parseNdjson(line, { now: NOW });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.errors[0]!.message).toContain(`${path}:`);
    },
  );

  it('fixtures pass and boundaries are inclusive', () => {
    for (const e of Object.values(F)) expect(validateEvent(e, { now: NOW })).toBeNull();
    expect(validateEvent({ ...F.CallAnswered, occurredAt: NOW + DAY, waitSeconds: 0 }, { now: NOW })).toBeNull();
    expect(validateEvent({ ...F.SurveyAnswered, score: 1 }, { now: NOW })).toBeNull();
    expect(validateEvent({ ...F.QualityInspected, score: 0 }, { now: NOW })).toBeNull();
    expect(validateEvent({ ...F.RepairArrived, crewStaffIds: Array.from({ length: 20 }, (_, i) => `S${i}`) }, { now: NOW })).toBeNull();
    expect(validateEvent({ ...F.RepairRestored, occurredAt: F.RepairRestored.arrivedAt }, { now: NOW })).toBeNull();
    expect(validateEvent({ ...F.CallAnswered, staffId: 'a'.repeat(64), eventId: 'x'.repeat(128) }, { now: NOW })).toBeNull();
  });

  it('reports every failing field at once', () => {
    const err = validateEvent({ ...F.ContactCompleted, staffId: '', talkSeconds: -1, wrapSeconds: NaN }, { now: NOW });
    expect(err!.issues.map((i) => i.path)).toEqual(['staffId', 'talkSeconds', 'wrapSeconds']);
  });

  it('an unknown kind is UNKNOWN_KIND, not VALIDATION', () => {
    const err = validateEvent({ ...F.CallAnswered, kind: 'CallTeleported' } as unknown as SourceEvent, { now: NOW });
    expect(err?.errorClass).toBe('UNKNOWN_KIND');
  });

  it('every string and number field of every kind has a rule (enums and booleans need none)', () => {
    const all = { ...KIND_RULES, StaffProfile: ROSTER_RULES } as Record<string, { fields: Record<string, unknown> }>;
    for (const topic of ['callcenter', 'billing', 'outageRepair', 'workforce', 'roster'] as const) {
      const t = codecs.type(topic) as unknown as { types?: unknown[] };
      const records = (t.types ?? [t]) as { name: string; fields: { name: string; type: { typeName: string; types?: { typeName: string }[]; itemsType?: { typeName: string } } }[] }[];
      for (const r of records) {
        const kind = r.name.split('.').pop()!;
        for (const f of r.fields) {
          const tn = f.type.types ? f.type.types.map((x) => x.typeName).join('|') : f.type.itemsType ? `array<${f.type.itemsType.typeName}>` : f.type.typeName;
          const needsRule = /string|int|long|double|float/.test(tn) && tn !== 'array<enum>';
          if (needsRule) expect(all[kind]!.fields[f.name], `${kind}.${f.name} (${tn}) has no rule in rules.ts`).toBeDefined();
        }
      }
    }
  });
});
