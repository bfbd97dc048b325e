import type { KafkaMessage } from 'kafkajs';
import type { Rules, SlaObservation } from '@cs/appraisal';
import { buildDeadLetter, tooLateError, type Codecs, type DeadLetter, type SourceEvent, type SourceTopicKey } from '@cs/contracts';
import type { EventEffect } from '@cs/counter-store';
import type { Buckets } from './buckets.ts';
import { effectOf } from './effects.ts';

export interface PrepareContext {
  codecs: Codecs;
  rules: Rules;
  buckets: Buckets;
  topicKey: SourceTopicKey;
  topic: string;
  partition: number;
  maxLatenessMs: number;
  service: string;
  now: number;
}

export interface PreparedBatch {
  effects: EventEffect[];
  /** Parallel to effects: for metrics once the batch is applied. */
  kinds: string[];
  sla: SlaObservation[][];
  deadLetters: DeadLetter[];
}

/** Decode, validate and map one batch of messages; bad ones become dead letters. No I/O. */
export function prepareBatch(messages: KafkaMessage[], ctx: PrepareContext): PreparedBatch {
  const out: PreparedBatch = { effects: [], kinds: [], sla: [], deadLetters: [] };
  const oldest = ctx.now - ctx.maxLatenessMs;
  for (const m of messages) {
    const dead = (error: Parameters<typeof buildDeadLetter>[0]['error']) =>
      out.deadLetters.push(
        buildDeadLetter({ originalTopic: ctx.topic, partition: ctx.partition, offset: m.offset, key: m.key, value: m.value, error, service: ctx.service, at: ctx.now }),
      );
    if (m.value === null) {
      dead({ errorClass: 'DECODE', code: 'CS_DECODE_TOMBSTONE', message: 'null value (tombstone) on a source topic' });
      continue;
    }
    const r = ctx.codecs.decodeAndValidate(ctx.topicKey, m.value, { now: ctx.now });
    if (!r.ok) {
      dead(r.error);
      continue;
    }
    const event = r.event as SourceEvent;
    if (event.occurredAt < oldest) {
      dead(tooLateError(event.occurredAt, ctx.maxLatenessMs, ctx.now));
      continue;
    }
    try {
      const { effect, sla } = effectOf(event, ctx.rules, ctx.buckets);
      out.effects.push(effect);
      out.kinds.push(event.kind);
      out.sla.push(sla);
    } catch (err) {
      // A rule that cannot place the event (e.g. a deadline beyond the calendar) is bad input too.
      dead({ errorClass: 'VALIDATION', code: 'CS_VALIDATION_UNPLACEABLE', message: (err as Error).message });
    }
  }
  return out;
}
