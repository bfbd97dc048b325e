import { CsError } from './cs-error.ts';

/** PROCESSING: the message was fine but handling it failed (buildDeadLetter for any other error). */
export type ErrorClass = 'DECODE' | 'VALIDATION' | 'UNKNOWN_KIND' | 'TOO_LATE' | 'PROCESSING';

export interface Issue {
  /** Dotted field path, e.g. `crewStaffIds.2`; `''` for the whole message. */
  path: string;
  message: string;
}

// Stable catalogue (Fastify-style) of every dead-letter code: codes never change meaning; operators
// alert and grep on them, and a code outside it fails the typecheck (DeadLetterCode).
export const ERROR_CODES = {
  CS_DECODE_NOT_BUFFER: { errorClass: 'DECODE', description: 'message value is not a byte buffer (null / tombstone where a value is required)' },
  CS_DECODE_TOO_SHORT: { errorClass: 'DECODE', description: 'message shorter than the 5-byte Confluent wire-format header' },
  CS_DECODE_BAD_MAGIC: { errorClass: 'DECODE', description: 'first byte is not the Confluent magic byte 0' },
  CS_DECODE_UNKNOWN_SCHEMA_ID: { errorClass: 'DECODE', description: 'writer schema id is not in the schema catalogue' },
  CS_DECODE_INCOMPATIBLE_WRITER: { errorClass: 'DECODE', description: 'writer schema cannot be resolved to the current reader schema' },
  CS_DECODE_TRUNCATED: { errorClass: 'DECODE', description: 'Avro body ends before the record does' },
  CS_DECODE_TRAILING_BYTES: { errorClass: 'DECODE', description: 'bytes left over after the record' },
  CS_DECODE_INVALID_AVRO: { errorClass: 'DECODE', description: 'bytes are not valid Avro for the writer schema' },
  CS_DECODE_TOMBSTONE: { errorClass: 'DECODE', description: 'null value (tombstone) on a source topic (built by the aggregator)' },
  CS_VALIDATION_FAILED: { errorClass: 'VALIDATION', description: 'one or more fields break a rule of events.md' },
  CS_VALIDATION_SCHEMA_MISMATCH: { errorClass: 'VALIDATION', description: 'value does not match the Avro schema (types, required fields, enum symbols)' },
  CS_VALIDATION_UNPLACEABLE: { errorClass: 'VALIDATION', description: 'a rule cannot place the event in a period, e.g. a deadline beyond the calendar (built by the aggregator)' },
  CS_VALIDATION_INCREMENT_OUT_OF_RANGE: { errorClass: 'VALIDATION', description: 'a counter increment derived from the event is not a finite number or is beyond ±1e12 (e.g. durations that are each finite but sum to Infinity)' },
  CS_VALIDATION_ROSTER_KEY_MISMATCH: { errorClass: 'VALIDATION', description: 'a roster message key is not <staffId> or <staffId>|<effectiveFrom> of its value (built by the aggregator): compaction would keep the wrong record' },
  CS_UNKNOWN_KIND_WRONG_TOPIC: { errorClass: 'UNKNOWN_KIND', description: 'the event kind is not carried by this topic' },
  CS_UNKNOWN_KIND_UNION_BRANCH: { errorClass: 'UNKNOWN_KIND', description: 'the union branch (event kind) is unknown to the reader schema' },
  CS_UNKNOWN_KIND_NAME: { errorClass: 'UNKNOWN_KIND', description: 'no event kind of that name exists' },
  CS_TOO_LATE: { errorClass: 'TOO_LATE', description: 'event is older than maxLateness; its period can no longer change' },
  CS_TOO_LATE_DUE_PERIOD: { errorClass: 'TOO_LATE', description: 'event is recent, but a task it completes was due more than maxLateness ago: the due period, where the task counts, can no longer change (built by the aggregator)' },
  CS_VALIDATION_DUE_TOO_FAR: { errorClass: 'VALIDATION', description: 'dueAt lies further after occurredAt than the rules allow (periods.maxDueAheadDays): its period would stay open for years' },
  CS_VALIDATION_UNKNOWN_STAFF_OVER_CAP: { errorClass: 'VALIDATION', description: 'the event is for a staff id the roster does not name, and its shard already holds CS_UNKNOWN_STAFF_CAP such ids in that period (built by the aggregator)' },
  CS_VALIDATION_STATIC_INVALID: { errorClass: 'VALIDATION', description: 'a skill assessment or qualification event breaks a rule of docs/static-appraisal.md: a score outside 0-100, an expiry not after the grant, a malformed id, or an assessedAt / grantedAt / revokedAt after occurredAt' },
  CS_VALIDATION_CORRECTION_INVALID: { errorClass: 'VALIDATION', description: 'a correction breaks a rule of its kind (schemas/README.md "Corrections"): missing or misplaced target, ruling, period or adjustment, or approvedBy = requestedBy' },
  CS_VALIDATION_CORRECTION_ADJUSTMENT_ID: { errorClass: 'VALIDATION', description: 'an ADJUSTMENT names a KPI or dimension id the appraisal model does not have (built by the aggregator)' },
  CS_VALIDATION_CORRECTION_TARGET_UNKNOWN: { errorClass: 'VALIDATION', description: 'the event a correction targets has no counted effect in targetPeriod (never counted, another month, or expired) (built by the aggregator)' },
  CS_VALIDATION_CORRECTION_WRONG_TARGET: { errorClass: 'VALIDATION', description: 'the correction does not apply to its target\'s kind: a COMPLAINT_RULING needs a ComplaintAgainstStaff, an ABSENCE_EXCUSED a ShiftAttended, and the target must be the staff member named (built by the aggregator)' },
  CS_VALIDATION_CORRECTION_RULES_INVALID: { errorClass: 'VALIDATION', description: 'a RULES_ADOPTED correction carries rules the appraisal model refuses, or names a period that is not closed yet (built by the aggregator)' },
  CS_VALIDATION_CORRECTION_ALREADY_APPLIED: { errorClass: 'VALIDATION', description: 'the target event was already voided, overturned or excused by another correction: an effect is reversed at most once (built by the aggregator)' },
  CS_PROCESSING_FAILED: { errorClass: 'PROCESSING', description: 'the message decoded and validated, but handling it failed (any error that is not a ContractError)' },
} as const satisfies Record<string, { errorClass: ErrorClass; description: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;
/** The `code` of a dead-letter record: a key of the catalogue. */
export type DeadLetterCode = ErrorCode;

/** Why a message goes to the dead-letter topic, as plain data (it crosses worker boundaries). */
export interface DeadLetterReason {
  errorClass: ErrorClass;
  code: DeadLetterCode;
  message: string;
}

export class ContractError extends CsError {
  declare readonly code: ErrorCode;
  // Bad input stays bad: retrying the same bytes can never succeed, so these go to the DLQ.
  declare readonly retriable: false;
  readonly errorClass: ErrorClass;
  readonly issues: Issue[];

  constructor(code: ErrorCode, message: string, issues: Issue[] = []) {
    super(code, message, { retriable: false });
    this.errorClass = ERROR_CODES[code].errorClass;
    this.issues = issues;
  }

  toJSON(): { errorClass: ErrorClass; code: ErrorCode; message: string; retriable: false; issues: Issue[] } {
    return { errorClass: this.errorClass, code: this.code, message: this.message, retriable: false, issues: this.issues };
  }
}

export function isContractError(x: unknown): x is ContractError {
  return x instanceof ContractError;
}

/** The plain reason of a ContractError (what the aggregator's workers hand back). */
export function deadLetterReason(e: ContractError): DeadLetterReason {
  return { errorClass: e.errorClass, code: e.code, message: e.message };
}

/** Built by the aggregator for a null value (tombstone) on a source topic. */
export function tombstoneError(): ContractError {
  return new ContractError('CS_DECODE_TOMBSTONE', 'null value (tombstone) on a source topic');
}

/** Built by the aggregator when a rule cannot place a valid event in a period. */
export function unplaceableError(detail: string): ContractError {
  return new ContractError('CS_VALIDATION_UNPLACEABLE', detail);
}

export function decodeError(code: Extract<ErrorCode, `CS_DECODE_${string}`>, detail: string): ContractError {
  return new ContractError(code, `${ERROR_CODES[code].description}: ${detail}`);
}

export function unknownKindError(code: Extract<ErrorCode, `CS_UNKNOWN_KIND_${string}`>, detail: string): ContractError {
  return new ContractError(code, `${ERROR_CODES[code].description}: ${detail}`);
}

export function validationError(issues: Issue[], code: 'CS_VALIDATION_FAILED' | 'CS_VALIDATION_SCHEMA_MISMATCH' | 'CS_VALIDATION_CORRECTION_INVALID' | 'CS_VALIDATION_STATIC_INVALID' = 'CS_VALIDATION_FAILED', subject?: string): ContractError {
  const head = subject ? `${subject}: ` : '';
  const list = issues.map((i) => (i.path ? `${i.path} ${i.message}` : i.message)).join('; ');
  return new ContractError(code, `${head}${list}`, issues);
}

/** Built by the aggregator for a task due more than `maxAheadMs` after the event that carries it. */
export function dueTooFarError(occurredAt: number, dueAt: number, maxAheadMs: number): ContractError {
  return new ContractError(
    'CS_VALIDATION_DUE_TOO_FAR',
    `dueAt ${isoOrRaw(dueAt)} is more than ${Math.round(maxAheadMs / 86_400_000)} days after occurredAt ${isoOrRaw(occurredAt)} (rules periods.maxDueAheadDays)`,
    [{ path: 'dueAt', message: `more than periods.maxDueAheadDays after occurredAt` }],
  );
}

/** Built by the aggregator for events older than `maxLatenessMs` relative to `now`. */
export function tooLateError(occurredAt: number, maxLatenessMs: number, now: number): ContractError {
  const ageMs = now - occurredAt;
  return new ContractError(
    'CS_TOO_LATE',
    `event at ${isoOrRaw(occurredAt)} is ${ageMs} ms old, more than maxLateness ${maxLatenessMs} ms before ${isoOrRaw(now)}`,
    [{ path: 'occurredAt', message: `older than maxLateness (${maxLatenessMs} ms)` }],
  );
}

/** Built by the aggregator for an event that counts at a task's due instant older than `maxLatenessMs` (e.g. a completion long after its deadline). */
export function dueBeyondLatenessError(dueAt: number, maxLatenessMs: number, now: number): ContractError {
  return new ContractError(
    'CS_TOO_LATE_DUE_PERIOD',
    `the task is due ${isoOrRaw(dueAt)}, more than maxLateness ${maxLatenessMs} ms before ${isoOrRaw(now)}: its period can no longer change`,
    [{ path: 'dueAt', message: `older than maxLateness (${maxLatenessMs} ms)` }],
  );
}

function isoOrRaw(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? String(ms) : d.toISOString();
}

/** Built by the aggregator for an event whose derived counter increment cannot be stored (see @cs/counter-store MAX_INCREMENT). */
export function incrementOutOfRangeError(detail: string): ContractError {
  return new ContractError('CS_VALIDATION_INCREMENT_OUT_OF_RANGE', `${ERROR_CODES.CS_VALIDATION_INCREMENT_OUT_OF_RANGE.description}: ${detail}`);
}

/** Built by the aggregator for an event whose staff ids are not on the roster once the shard-period's quarantine is full. */
/** Roster key and value disagree (rosterKeyOf); for a tombstone, the key is not a roster key at all. */
export function rosterKeyMismatchError(key: string, expected: string | null): ContractError {
  return new ContractError(
    'CS_VALIDATION_ROSTER_KEY_MISMATCH',
    expected === null ? `roster key ${JSON.stringify(key)} is not <staffId> or <staffId>|<YYYY-MM-DD>` : `roster key ${JSON.stringify(key)} does not match the profile (expected ${JSON.stringify(expected)})`,
  );
}

export function unknownStaffOverCapError(staffIds: readonly string[], cap: number): ContractError {
  return new ContractError(
    'CS_VALIDATION_UNKNOWN_STAFF_OVER_CAP',
    `staff ${staffIds.join(', ')} not on the roster, and the shard already holds ${cap} unknown staff ids in the event's period (CS_UNKNOWN_STAFF_CAP)`,
    staffIds.map((id) => ({ path: 'staffId', message: `${id} is not on the roster` })),
  );
}

/** Built by the aggregator for a correction it cannot apply (see the CS_VALIDATION_CORRECTION_* codes). */
export function correctionError(code: 'CS_VALIDATION_CORRECTION_ADJUSTMENT_ID' | 'CS_VALIDATION_CORRECTION_TARGET_UNKNOWN' | 'CS_VALIDATION_CORRECTION_WRONG_TARGET' | 'CS_VALIDATION_CORRECTION_ALREADY_APPLIED' | 'CS_VALIDATION_CORRECTION_RULES_INVALID', detail: string): ContractError {
  return new ContractError(code, `${ERROR_CODES[code].description}: ${detail}`);
}
