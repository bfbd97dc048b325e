// The semantic rules of events.md, once. The hot-path validator (validation.ts) and the zod
// schemas for NDJSON/CLI input (zod-schemas.ts) both run these exact checks.
import type { EventKind, SourceEvent } from './kinds.ts';
import type { Correction, StaffProfile } from './generated/types.ts';

export const MIN_TIME_MS = Date.UTC(2000, 0, 1);
export const MAX_TIME_MS = Date.UTC(2100, 0, 1);
/** How far in the future (vs `now`) an occurredAt may be: clock skew between upstream systems. */
export const MAX_FUTURE_SKEW_MS = 24 * 60 * 60 * 1000;
export const MAX_CREW = 20;
export const MAX_ID_LENGTH = 128;

export const STAFF_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** assessment, qualification and certificate ids of the static appraisal (docs/static-appraisal.md) */
export const STATIC_ID_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;
// C0, DEL and C1 control characters: they break logs, CSV exports and Redis key tooling.
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/;

export interface RuleContext {
  now: number;
}

/** null = passes; a string = failure message for the field; `at` = failure inside the field (e.g. an array item). */
export type CheckResult = null | string | { at: string; message: string };

export interface FieldRule {
  readonly name: string;
  /** Human-readable statement of the rule, for docs and error catalogues. */
  readonly describe: string;
  readonly check: (v: unknown, ctx: RuleContext) => CheckResult;
}

export interface CrossRule<E = Record<string, unknown>> {
  /** Field blamed when the rule fails. */
  readonly path: string;
  readonly describe: string;
  readonly check: (e: E) => string | null;
}

const rule = (name: string, describe: string, check: FieldRule['check']): FieldRule => ({ name, describe, check });

const isNum = (v: unknown): v is number => typeof v === 'number';

function timeIn(v: unknown, min: number, max: number, maxLabel: string): string | null {
  if (!isNum(v) || !Number.isSafeInteger(v)) return 'must be an integer epoch-millisecond time';
  if (v < MIN_TIME_MS) return 'must not be before 2000-01-01T00:00:00Z';
  if (v > max) return `must not be after ${maxLabel}`;
  return min <= v ? null : 'out of range';
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** 'YYYY-MM-DD' naming a real day (no 2026-02-30) of the years 2000-2099. */
export function isCalendarDate(v: unknown): v is string {
  const m = typeof v === 'string' ? DATE.exec(v) : null;
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 2000 || y > 2099 || mo < 1 || mo > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

export const RULES = {
  staffId: rule('staffId', 'matches ^[A-Za-z0-9_-]{1,64}$', (v) =>
    typeof v === 'string' && STAFF_ID_PATTERN.test(v) ? null : 'must match ^[A-Za-z0-9_-]{1,64}$',
  ),
  id: rule('id', `non-empty, at most ${MAX_ID_LENGTH} characters, no control characters`, (v) => {
    if (typeof v !== 'string' || v.length === 0) return 'must be a non-empty string';
    if (v.length > MAX_ID_LENGTH) return `must be at most ${MAX_ID_LENGTH} characters`;
    return CONTROL_CHARS.test(v) ? 'must not contain control characters' : null;
  }),
  duration: rule('duration', 'finite number of seconds >= 0', (v) => (isNum(v) && Number.isFinite(v) && v >= 0 ? null : 'must be a finite number >= 0')),
  score1to5: rule('score1to5', 'integer 1..5', (v) => (isNum(v) && Number.isInteger(v) && v >= 1 && v <= 5 ? null : 'must be an integer from 1 to 5')),
  score0to100: rule('score0to100', 'finite number 0..100', (v) => (isNum(v) && v >= 0 && v <= 100 ? null : 'must be a number from 0 to 100')),
  amountCents: rule('amountCents', 'safe integer >= 0 (cents)', (v) => (isNum(v) && Number.isSafeInteger(v) && v >= 0 ? null : 'must be a safe integer >= 0')),
  positiveMinutes: rule('positiveMinutes', 'integer > 0', (v) => (isNum(v) && Number.isSafeInteger(v) && v > 0 ? null : 'must be an integer > 0')),
  nonNegativeMinutes: rule('nonNegativeMinutes', 'integer >= 0', (v) => (isNum(v) && Number.isSafeInteger(v) && v >= 0 ? null : 'must be an integer >= 0')),
  eventTime: rule('eventTime', 'epoch ms, >= 2000-01-01 and at most 1 day after now', (v, ctx) =>
    timeIn(v, MIN_TIME_MS, ctx.now + MAX_FUTURE_SKEW_MS, 'now + 1 day'),
  ),
  time: rule('time', 'epoch ms within [2000-01-01, 2100-01-01]', (v) => timeIn(v, MIN_TIME_MS, MAX_TIME_MS, '2100-01-01T00:00:00Z')),
  // Absent counts as null: the Avro default, so encode + decode gives null too.
  optionalTime: rule('optionalTime', 'null, or epoch ms within [2000-01-01, 2100-01-01]', (v) =>
    v === null || v === undefined ? null : timeIn(v, MIN_TIME_MS, MAX_TIME_MS, '2100-01-01T00:00:00Z'),
  ),
  // Absent counts as null (the Avro default): the base entry of the effective-dated roster.
  optionalDate: rule('optionalDate', 'null, or a calendar date YYYY-MM-DD within [2000-01-01, 2100-01-01)', (v) =>
    v === null || v === undefined ? null : isCalendarDate(v) ? null : 'must be a calendar date YYYY-MM-DD from 2000 to 2099',
  ),
  staticId: rule('staticId', 'matches ^[A-Za-z0-9_.:-]{1,64}$', (v) =>
    typeof v === 'string' && STATIC_ID_PATTERN.test(v) ? null : 'must match ^[A-Za-z0-9_.:-]{1,64}$',
  ),
  crew: rule('crew', `1..${MAX_CREW} distinct staff ids`, (v) => {
    if (!Array.isArray(v) || v.length === 0) return 'must name at least one crew member';
    if (v.length > MAX_CREW) return `must name at most ${MAX_CREW} crew members`;
    for (let i = 0; i < v.length; i++) {
      const s: unknown = v[i];
      if (typeof s !== 'string' || !STAFF_ID_PATTERN.test(s)) return { at: String(i), message: 'must match ^[A-Za-z0-9_-]{1,64}$' };
      if (v.indexOf(s) !== i) return { at: String(i), message: `duplicates crew member ${s}` };
    }
    return null;
  }),
} as const satisfies Record<string, FieldRule>;

function notBefore<E>(later: keyof E & string, earlier: keyof E & string): CrossRule<E> {
  return {
    path: later,
    describe: `${later} >= ${earlier}`,
    check: (e) => {
      const a = e[later] as unknown;
      const b = e[earlier] as unknown;
      return isNum(a) && isNum(b) && a < b ? `must not be before ${earlier}` : null;
    },
  };
}

/** `notBefore(later, earlier)` reported on `earlier`: the field the rule is about is the earlier one. */
function notAfter<E>(earlier: keyof E & string, later: keyof E & string): CrossRule<E> {
  return { ...notBefore<E>(later, earlier), path: earlier };
}

/** `later`, when not null, strictly after `earlier` (a certificate's expiry after its grant). */
function after<E>(later: keyof E & string, earlier: keyof E & string): CrossRule<E> {
  return {
    path: later,
    describe: `${later} > ${earlier} (when not null)`,
    check: (e) => {
      const a = e[later] as unknown;
      const b = e[earlier] as unknown;
      return isNum(a) && isNum(b) && a <= b ? `must be after ${earlier}` : null;
    },
  };
}

export interface KindRules<E> {
  readonly fields: { readonly [F in keyof E & string]?: FieldRule };
  readonly cross: readonly CrossRule<E>[];
}

type Of<K extends EventKind> = Extract<SourceEvent, { kind: K }>;

const { staffId, id, duration, score1to5, score0to100, amountCents, positiveMinutes, nonNegativeMinutes, eventTime, time, optionalTime, optionalDate, crew, staticId } = RULES;

function src<K extends EventKind>(fields: Omit<KindRules<Of<K>>['fields'], 'eventId' | 'occurredAt'>, cross: CrossRule<Of<K>>[] = []): KindRules<Of<K>> {
  return { fields: { eventId: id, occurredAt: eventTime, ...fields } as KindRules<Of<K>>['fields'], cross };
}

/** Per kind: the rule of every field that has one beyond its Avro type (enums and booleans need none). */
export const KIND_RULES: { readonly [K in EventKind]: KindRules<Of<K>> } = {
  CallAnswered: src({ callId: id, staffId, queue: id, waitSeconds: duration }),
  CallAbandoned: src({ callId: id, queue: id, waitSeconds: duration }),
  ContactCompleted: src({ callId: id, staffId, talkSeconds: duration, holdSeconds: duration, wrapSeconds: duration }),
  SurveyAnswered: src({ callId: id, staffId, score: score1to5 }),
  QualityInspected: src({ callId: id, staffId, score: score0to100 }),
  CallbackAssigned: src({ ticketId: id, staffId, dueAt: time }),
  CallbackCompleted: src({ ticketId: id, staffId, dueAt: time }),
  ComplaintAgainstStaff: src({ complaintId: id, staffId }),
  MeterReadingAssigned: src({ taskId: id, staffId, dueAt: time }),
  MeterReadingCompleted: src({ taskId: id, staffId, dueAt: time }),
  BillIssued: src({ billId: id, staffId, amountDueCents: amountCents, dueAt: time }),
  PaymentReceived: src({ billId: id, staffId, amountCents, dueAt: time }),
  BillCorrected: src({ billId: id, staffId }),
  WorkOrderAccepted: src({ orderId: id, staffId, dueAt: optionalTime }),
  WorkOrderCompleted: src({ orderId: id, staffId, acceptedAt: time, dueAt: optionalTime }, [notBefore('occurredAt', 'acceptedAt')]),
  RepairArrived: src({ ticketId: id, crewStaffIds: crew, reportedAt: time }, [notBefore('occurredAt', 'reportedAt')]),
  RepairRestored: src({ ticketId: id, crewStaffIds: crew, reportedAt: time, arrivedAt: time }, [notBefore('arrivedAt', 'reportedAt'), notBefore('occurredAt', 'arrivedAt')]),
  RepairFeedback: src({ ticketId: id, crewStaffIds: crew, score: score1to5 }),
  OutageNoticePublished: src({ noticeId: id, staffId, outageStartsAt: time }),
  ShiftAttended: src({ staffId, shiftId: id, scheduledMinutes: positiveMinutes, attendedMinutes: nonNegativeMinutes }),
  SupervisorRated: src({ staffId, raterId: staffId, score: score0to100 }),
  FeedbackGiven: src({ staffId, raterId: staffId, score: score0to100 }),
  TrainingCompleted: src({ staffId, courseId: id, preScore: score0to100, postScore: score0to100 }),
  // Static appraisal (docs/static-appraisal.md): failures of their own fields are
  // CS_VALIDATION_STATIC_INVALID (STATIC_KINDS); the envelope's (eventId, occurredAt, staffId) stay
  // CS_VALIDATION_FAILED like any event's. Their time rules are reported on the static field.
  SkillAssessed: src({ staffId, score: score0to100, assessedAt: time, assessmentId: staticId }, [notAfter('assessedAt', 'occurredAt')]),
  QualificationGranted: src({ staffId, qualificationId: staticId, grantedAt: time, expiresAt: optionalTime, certificateId: staticId }, [
    after('expiresAt', 'grantedAt'),
    notAfter('grantedAt', 'occurredAt'),
  ]),
  QualificationRevoked: src({ staffId, qualificationId: staticId, revokedAt: time }, [notAfter('revokedAt', 'occurredAt')]),
};

/** The kinds of the static appraisal, whose validation failures have their own dead-letter code. */
export const STATIC_KINDS: ReadonlySet<EventKind> = new Set<EventKind>(['SkillAssessed', 'QualificationGranted', 'QualificationRevoked']);

export const ROSTER_RULES: KindRules<StaffProfile> = {
  fields: { staffId, teamId: id, updatedAt: time, effectiveFrom: optionalDate },
  cross: [],
};

// Corrections (issue #16 item 3). Which KPI / dimension ids exist is the domain's to say
// (@cs/appraisal correctionProblems); here: the shape of each kind and the four-eyes rule.
const text = rule('text', 'non-empty after trimming, at most 500 characters, no control characters', (v) => {
  if (typeof v !== 'string' || v.trim().length === 0) return 'must be a non-empty text';
  if (v.length > 500) return 'must be at most 500 characters';
  return CONTROL_CHARS.test(v) ? 'must not contain control characters' : null;
});
const MONTH_ID = /^MONTH:\d{4}-(0[1-9]|1[0-2])$/;
const DAY_OR_MONTH_ID = /^(MONTH:\d{4}-(0[1-9]|1[0-2])|DAY:\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01]))$/;
const TARGETED = new Set(['COMPLAINT_RULING', 'ABSENCE_EXCUSED', 'EVENT_VOIDED']);
const PERIOD_KINDS = new Set(['ADJUSTMENT', 'RULES_ADOPTED']);
/** The staffId of a correction that applies to every card of its period (RULES_ADOPTED). */
export const PERIOD_WIDE = '*';
const absent = (v: unknown) => v === null || v === undefined;

function byKind(path: keyof Correction & string, describe: string, check: (c: Correction) => string | null): CrossRule<Correction> {
  return { path, describe, check };
}

export const CORRECTION_RULES: KindRules<Correction> = {
  fields: { correctionId: id, occurredAt: eventTime, reason: text, requestedBy: id, approvedBy: id },
  cross: [
    byKind('staffId', `the staff member corrected; RULES_ADOPTED: "${PERIOD_WIDE}" (every card of the period)`, (c) => {
      if (c.kind === 'RULES_ADOPTED') return c.staffId === PERIOD_WIDE ? null : `must be "${PERIOD_WIDE}" for RULES_ADOPTED (it applies to the whole period)`;
      return RULES.staffId.check(c.staffId, { now: 0 }) === null ? null : 'must match ^[A-Za-z0-9_-]{1,64}$';
    }),
    byKind('approvedBy', 'approvedBy differs from requestedBy (four eyes)', (c) => (c.approvedBy === c.requestedBy ? 'must differ from requestedBy' : null)),
    byKind('targetEventId', 'required for COMPLAINT_RULING, ABSENCE_EXCUSED and EVENT_VOIDED; absent for ADJUSTMENT', (c) => {
      if (!TARGETED.has(c.kind)) return absent(c.targetEventId) ? null : `must be absent for ${c.kind}`;
      return RULES.id.check(c.targetEventId, { now: 0 }) === null ? null : `${c.kind} needs the eventId of the event it corrects`;
    }),
    byKind('targetPeriod', 'MONTH:YYYY-MM the target counted in, for COMPLAINT_RULING, ABSENCE_EXCUSED and EVENT_VOIDED', (c) => {
      if (!TARGETED.has(c.kind)) return absent(c.targetPeriod) ? null : `must be absent for ${c.kind}`;
      return typeof c.targetPeriod === 'string' && MONTH_ID.test(c.targetPeriod) ? null : 'must be the month the target counted in, MONTH:YYYY-MM';
    }),
    byKind('ruling', 'UPHELD or OVERTURNED for COMPLAINT_RULING only', (c) => {
      if (c.kind === 'COMPLAINT_RULING') return absent(c.ruling) ? 'COMPLAINT_RULING needs a ruling (UPHELD or OVERTURNED)' : null;
      return absent(c.ruling) ? null : `must be absent for ${c.kind}`;
    }),
    byKind('periodId', 'DAY:YYYY-MM-DD or MONTH:YYYY-MM for ADJUSTMENT and RULES_ADOPTED only', (c) => {
      if (!PERIOD_KINDS.has(c.kind)) return absent(c.periodId) ? null : `must be absent for ${c.kind}`;
      return typeof c.periodId === 'string' && DAY_OR_MONTH_ID.test(c.periodId) ? null : `${c.kind} needs the period, DAY:YYYY-MM-DD or MONTH:YYYY-MM`;
    }),
    // Which settings are valid is the domain's to say (the aggregator validates them); here: present.
    byKind('rules', 'the adopted rules as a JSON object, for RULES_ADOPTED only', (c) => {
      if (c.kind !== 'RULES_ADOPTED') return absent(c.rules) ? null : `must be absent for ${c.kind}`;
      return typeof c.rules === 'string' && c.rules.startsWith('{') ? null : 'RULES_ADOPTED needs the adopted rules as a JSON object';
    }),
    byKind('adjustment', 'target, id, mode and a finite amount, for ADJUSTMENT only', (c) => {
      if (c.kind !== 'ADJUSTMENT') return absent(c.adjustment) ? null : `must be absent for ${c.kind}`;
      const a = c.adjustment;
      if (absent(a)) return 'ADJUSTMENT needs an adjustment (target, id, mode, amount)';
      if (RULES.id.check(a!.id, { now: 0 }) !== null) return 'id must be a KPI or dimension id';
      return Number.isFinite(a!.amount) ? null : 'amount must be a finite number';
    }),
  ],
};
