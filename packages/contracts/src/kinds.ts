import { TOPIC_KINDS, type TopicValues, type StaffProfile, type Correction } from './generated/types.ts';
import type { SourceTopicKey, TopicKey } from './topics.ts';
import { STAFF_ID_PATTERN, isCalendarDate } from './rules.ts';

export type CallcenterEvent = TopicValues['callcenter'];
export type BillingEvent = TopicValues['billing'];
export type OutageRepairEvent = TopicValues['outageRepair'];
export type WorkforceEvent = TopicValues['workforce'];
export type SourceEvent = TopicValues[SourceTopicKey];
export type EventKind = SourceEvent['kind'];
export type EventOfKind<K extends EventKind> = Extract<SourceEvent, { kind: K }>;
export type RosterKind = 'StaffProfile';

// Derived from the schemas (generated TOPIC_KINDS), so a new kind needs no second edit here.
export const KIND_TOPIC = Object.freeze({
  ...Object.fromEntries(
    (Object.keys(TOPIC_KINDS) as SourceTopicKey[]).flatMap((topic) => TOPIC_KINDS[topic].map((kind) => [kind, topic] as const)),
  ),
  StaffProfile: 'roster',
}) as Readonly<Record<EventKind | RosterKind, TopicKey>>;

export const EVENT_KINDS = Object.values(TOPIC_KINDS).flat() as EventKind[];

export function isEventKind(x: unknown): x is EventKind {
  return typeof x === 'string' && Object.hasOwn(KIND_TOPIC, x) && x !== 'StaffProfile';
}

/**
 * Kafka message key (events.md): the staffId for kinds that carry one staffId field, otherwise the
 * ticket / call id. Crew events key by ticket even for a one-person crew, so that all events of a
 * ticket stay on one partition, in order.
 */
export function messageKey(value: SourceEvent | StaffProfile): string {
  if ('kind' in value) {
    if ('staffId' in value) return value.staffId;
    if (value.kind === 'CallAbandoned') return value.callId;
    return value.ticketId;
  }
  return rosterKeyOf(value);
}

/**
 * Roster message key: the staffId for the base profile, `<staffId>|<effectiveFrom>` for a dated
 * one, so that compaction keeps one record per staff member and effective date.
 */
export function rosterKeyOf(p: Pick<StaffProfile, 'staffId'> & { effectiveFrom?: string | null }): string {
  return p.effectiveFrom == null ? p.staffId : `${p.staffId}|${p.effectiveFrom}`;
}

/** A roster key split into staffId and effective date (null: the base entry); null if malformed. */
export function parseRosterKey(key: string): { staffId: string; effectiveFrom: string | null } | null {
  const at = key.indexOf('|');
  const staffId = at < 0 ? key : key.slice(0, at);
  const effectiveFrom = at < 0 ? null : key.slice(at + 1);
  if (!STAFF_ID_PATTERN.test(staffId)) return null;
  if (effectiveFrom !== null && !isCalendarDate(effectiveFrom)) return null;
  return { staffId, effectiveFrom };
}

/**
 * Kafka message key of a correction: its target's eventId, so that every correction of one event
 * is in one partition, in order (the once-only marker lives in that shard); an ADJUSTMENT, which
 * has no target, by its staffId.
 */
export function correctionKey(c: Pick<Correction, 'kind' | 'targetEventId' | 'staffId' | 'periodId'>): string {
  // RULES_ADOPTED: by period, so that the adoptions of one period keep their order.
  return c.kind === 'RULES_ADOPTED' ? c.periodId! : (c.targetEventId ?? c.staffId);
}
