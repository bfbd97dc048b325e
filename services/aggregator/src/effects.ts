import { attribute, slaObservations, staticRecordOf, type Rules, type SlaObservation } from '@cs/appraisal';
import type { SourceEvent } from '@cs/contracts';
import { STATIC_INDEX_SUFFIX, encodeEffectRecord, encodeStaticRecord, staticSuffix, type EventEffect } from '@cs/counter-store';
import type { Buckets } from './buckets.ts';

/**
 * One valid event -> what it does to Redis. The rules of what counts live in @cs/appraisal
 * (attribute, slaObservations); this only places them into buckets and SLA fields.
 */
export function effectOf(event: SourceEvent, rules: Rules, buckets: Buckets): { effect: EventEffect; sla: SlaObservation[]; earliestAt: number } {
  const increments = attribute(event, rules);
  const counters: EventEffect['counters'] = new Array(increments.length);
  let earliestAt = Infinity; // the oldest instant that picks a bucket (a due date for cohort counters)
  for (let k = 0; k < increments.length; k++) {
    const i = increments[k]!;
    counters[k] = { staffId: i.staffId, periods: buckets.staff(i.at), counter: i.counter, by: i.by };
    if (i.at < earliestAt) earliestAt = i.at;
  }
  const sla = slaObservations(event, rules);
  const slaFields: EventEffect['sla'] = [];
  if (sla.length > 0) {
    const periods = buckets.of(event.occurredAt);
    for (const o of sla) for (const field of slaFieldsOf(o)) slaFields.push({ periods, field, by: 1 });
  }
  const effect: EventEffect = { eventId: event.eventId, occurredAt: event.occurredAt, counters, sla: slaFields };
  // Who answered on which queue, by MONTH: the team service level (docs/team-scorecards.md).
  if (event.kind === 'CallAnswered') effect.queueStaff = [{ month: buckets.staff(event.occurredAt)[1]!, queue: event.queue, staffId: event.staffId }];
  // Kept so that a correction can reverse it (issue #16 item 3), by the month of occurredAt.
  if (counters.length > 0) effect.fx = { month: buckets.staff(event.occurredAt)[1]!, value: encodeEffectRecord(event.kind, counters) };
  const st = staticRecordOf(event);
  if (st !== null) addStaticRecord(effect, (event as { staffId: string }).staffId, st, buckets);
  return { effect, sla, earliestAt };
}

/**
 * A static event (docs/static-appraisal.md): its record into the member's `st:<staffId>` (no TTL,
 * field = eventId, so a redelivery writes the same field), the member into the shard's index, and
 * the member's DAY and MONTH periods of the record's instant and of occurredAt re-scored.
 */
function addStaticRecord(effect: EventEffect, staffId: string, record: NonNullable<ReturnType<typeof staticRecordOf>>, buckets: Buckets): void {
  effect.records = [{ hash: staticSuffix(staffId), period: '', field: effect.eventId, value: encodeStaticRecord(record), persistent: true }];
  effect.indexed = [{ set: STATIC_INDEX_SUFFIX, member: staffId }];
  const periods = new Set([...buckets.staff(record.at), ...buckets.staff(effect.occurredAt)]);
  effect.touched = [...periods].map((p) => `${p}|${staffId}`);
}

/** Queue- and area-level counters: `<measure>|<label>`, with a `_within` twin for the SLA numerator. */
export function slaFieldsOf(o: SlaObservation): string[] {
  switch (o.measure) {
    case 'call_answered':
      return o.withinThreshold ? [`answered|${o.queue}`, `answered_within|${o.queue}`] : [`answered|${o.queue}`];
    case 'call_abandoned':
      return [`abandoned|${o.queue}`];
    case 'repair_arrival':
      return o.within ? [`repair_arrival|${o.areaClass}`, `repair_arrival_within|${o.areaClass}`] : [`repair_arrival|${o.areaClass}`];
    case 'restoration':
      return o.within ? [`restoration|${o.areaClass}`, `restoration_within|${o.areaClass}`] : [`restoration|${o.areaClass}`];
    case 'work_order_late':
      return [`work_order_late|${o.type}`];
    case 'callback_late':
      return ['callback_late|all'];
    case 'outage_notice':
      return o.onTime ? [`outage_notice|${o.noticeType}`, `outage_notice_on_time|${o.noticeType}`] : [`outage_notice|${o.noticeType}`];
  }
}
