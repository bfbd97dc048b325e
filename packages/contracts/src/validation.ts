import { ContractError, unknownKindError, validationError, type Issue } from './errors.ts';
import { CORRECTION_RULES, KIND_RULES, ROSTER_RULES, STATIC_KINDS, type CheckResult, type KindRules, type RuleContext } from './rules.ts';
import type { EventKind, SourceEvent } from './kinds.ts';
import type { StaffProfile } from './generated/types.ts';
import type { TopicKey } from './topics.ts';

type Validator = (e: Record<string, unknown>, ctx: RuleContext) => Issue[] | null;

// Compiled once per kind into straight-line code with direct property reads: a generic loop over
// field names makes every read a megamorphic keyed load, which roughly halves throughput.
function compile(rules: KindRules<any>): Validator {
  const names = Object.keys(rules.fields);
  const checks = names.map((n) => rules.fields[n]!.check);
  const cross = rules.cross as KindRules<Record<string, unknown>>['cross'];
  const body = [
    'let issues = null, r;',
    ...names.map((n, i) => `r = checks[${i}](e.${n}, ctx); if (r !== null) (issues ??= []).push(toIssue(${JSON.stringify(n)}, r));`),
    ...cross.map((c, i) => `r = cross[${i}].check(e); if (r !== null) (issues ??= []).push({ path: ${JSON.stringify(c.path)}, message: r });`),
    'return issues;',
  ].join('\n');
  // Field names come from the rule table, whose keys the compiler checks against the generated types.
  return new Function('checks', 'cross', 'toIssue', `return function validate(e, ctx) {\n${body}\n};`)(checks, cross, toIssue) as Validator;
}

function toIssue(field: string, r: Exclude<CheckResult, null>): Issue {
  return typeof r === 'string' ? { path: field, message: r } : { path: `${field}.${r.at}`, message: r.message };
}

const BY_KIND = new Map<string, Validator>(Object.entries(KIND_RULES).map(([k, r]) => [k, compile(r)]));
const ROSTER = compile(ROSTER_RULES);
const CORRECTION = compile(CORRECTION_RULES);

/**
 * Semantic checks of events.md on an event already shaped by its schema (decoded, or built in
 * code). Returns the VALIDATION (or UNKNOWN_KIND) error, or null when the event is fine.
 */
export function validateEvent(e: SourceEvent | StaffProfile, opts: { now: number }): ContractError | null {
  const ctx = { now: opts.now };
  const obj = e as unknown as Record<string, unknown>;
  if (obj === null || typeof obj !== 'object') return validationError([{ path: '', message: 'must be an object' }]);
  if (!('kind' in obj) || obj.kind === 'StaffProfile') {
    const issues = ROSTER(obj, ctx);
    return issues ? validationError(issues, 'CS_VALIDATION_FAILED', `StaffProfile ${String(obj.staffId)}`) : null;
  }
  const v = typeof obj.kind === 'string' ? BY_KIND.get(obj.kind) : undefined;
  if (!v) return unknownKindError('CS_UNKNOWN_KIND_NAME', JSON.stringify(obj.kind));
  const issues = v(obj, ctx);
  if (issues === null) return null;
  const code = STATIC_KINDS.has(obj.kind as EventKind) && !issues.some((i) => ENVELOPE_FIELDS.has(i.path)) ? 'CS_VALIDATION_STATIC_INVALID' : 'CS_VALIDATION_FAILED';
  return validationError(issues, code, `${obj.kind} ${String(obj.eventId)}`);
}

/** Fields every event has: a problem there is an ordinary validation failure, whatever the kind. */
const ENVELOPE_FIELDS: ReadonlySet<string> = new Set(['eventId', 'occurredAt', 'staffId']);

/** Hot-path entry used by decodeAndValidate: the topic already tells roster from events. */
export function validateValue(topic: TopicKey, value: unknown, now: number): ContractError | null {
  if (topic === 'roster') {
    const issues = ROSTER(value as Record<string, unknown>, { now });
    return issues ? validationError(issues, 'CS_VALIDATION_FAILED', `StaffProfile ${String((value as StaffProfile).staffId)}`) : null;
  }
  if (topic === 'corrections') return correctionError(value as Record<string, unknown>, now);
  return validateEvent(value as SourceEvent, { now });
}

/** The rules of a Correction (rules.ts CORRECTION_RULES): CS_VALIDATION_CORRECTION_INVALID, or null. */
export function correctionError(value: Record<string, unknown>, now: number): ContractError | null {
  const issues = CORRECTION(value, { now });
  return issues ? validationError(issues, 'CS_VALIDATION_CORRECTION_INVALID', `Correction ${String(value.correctionId)}`) : null;
}

/** Issues only (no error object), for callers that merge them into their own reports. */
export function eventIssues(kind: string, e: Record<string, unknown>, now: number): Issue[] | null {
  const v = kind === 'StaffProfile' ? ROSTER : kind === 'Correction' ? CORRECTION : BY_KIND.get(kind);
  return v ? v(e, { now }) : [{ path: 'kind', message: `unknown kind ${JSON.stringify(kind)}` }];
}
