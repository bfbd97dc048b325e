import type { Rules, RulesBook, SlaObservation } from '@cs/appraisal';
import { deadLetterReason as plain, dueBeyondLatenessError, dueTooFarError, incrementOutOfRangeError, tombstoneError, tooLateError, unplaceableError, type Codecs, type DeadLetterReason, type SourceEvent, type SourceTopicKey } from '@cs/contracts';
import { effectProblem, type EventEffect } from '@cs/counter-store';
import type { Buckets } from './buckets.ts';
import { effectOf } from './effects.ts';

export interface PrepareContext {
  codecs: Codecs;
  /** each event is attributed with the version in force on its local date (occurredAt) */
  rules: RulesBook;
  buckets: Buckets;
  topicKey: SourceTopicKey;
  maxLatenessMs: number;
  now: number;
}

/** Why a message goes to the dead-letter topic: plain data, so it crosses a worker boundary. */
export type Rejection = DeadLetterReason;

export interface PreparedBatch {
  effects: EventEffect[];
  /** Parallel to effects: the index of each effect's message in the values. */
  at: number[];
  /** Parallel to effects: for metrics once the batch is applied. */
  kinds: string[];
  sla: SlaObservation[][];
  /**
   * Parallel to effects: the rulesVersion that attributed each (recorded per bucket for the scorer);
   * none for an effect no rules decided (a correction re-applies recorded counts).
   */
  versions: (string | undefined)[];
  /** Messages (by index into the values) that go to the dead-letter topic. */
  rejected: { index: number; error: Rejection }[];
}

/** Decode, validate and map one batch of message values; bad ones are rejected with their reason. No I/O. */
export function prepareBatch(values: readonly (Buffer | null)[], ctx: PrepareContext): PreparedBatch {
  const out: PreparedBatch = { effects: [], at: [], kinds: [], sla: [], versions: [], rejected: [] };
  const oldest = ctx.now - ctx.maxLatenessMs;
  for (let index = 0; index < values.length; index++) {
    const value = values[index]!;
    if (value === null) {
      out.rejected.push({ index, error: plain(tombstoneError()) });
      continue;
    }
    const r = ctx.codecs.decodeAndValidate(ctx.topicKey, value, { now: ctx.now });
    if (!r.ok) {
      out.rejected.push({ index, error: plain(r.error) });
      continue;
    }
    const event = r.event as SourceEvent;
    const rules = rulesOf(ctx, event.occurredAt);
    const maxDueAheadMs = rules.periods.maxDueAheadDays * 86_400_000;
    if (event.occurredAt < oldest) {
      out.rejected.push({ index, error: plain(tooLateError(event.occurredAt, ctx.maxLatenessMs, ctx.now)) });
      continue;
    }
    // A task due decades ahead would open periods that are scored until then.
    const dueAt = (event as { dueAt?: number | null }).dueAt;
    if (typeof dueAt === 'number' && dueAt - event.occurredAt > maxDueAheadMs) {
      out.rejected.push({ index, error: plain(dueTooFarError(event.occurredAt, dueAt, maxDueAheadMs)) });
      continue;
    }
    try {
      const { effect, sla, earliestAt } = effectOf(event, rules, ctx.buckets);
      // A recent completion of a task due before the lateness horizon would count in a period
      // the scorer has already forgotten: refused like a late event, not counted unseen.
      if (earliestAt < oldest) {
        out.rejected.push({ index, error: plain(dueBeyondLatenessError(earliestAt, ctx.maxLatenessMs, ctx.now)) });
        continue;
      }
      // Every field may be valid and a derived increment still not storable (two durations of
      // 1e308 sum to Infinity): that one event is bad input, not its batch.
      const problem = effectProblem(effect);
      if (problem !== null) {
        out.rejected.push({ index, error: plain(incrementOutOfRangeError(problem)) });
        continue;
      }
      out.effects.push(effect);
      out.at.push(index);
      out.kinds.push(event.kind);
      out.sla.push(sla);
      out.versions.push(rules.rulesVersion);
    } catch (err) {
      // A rule that cannot place the event (e.g. a deadline beyond the calendar) is bad input too.
      out.rejected.push({ index, error: plain(unplaceableError((err as Error).message)) });
    }
  }
  return out;
}

/** The version in force on the event's local date: one version per month, so its MONTH bucket names it. */
function rulesOf(ctx: PrepareContext, occurredAt: number): Rules {
  const book = ctx.rules;
  return book.versions.length === 1 ? book.versions[0]! : book.atMonth(ctx.buckets.staff(occurredAt)[1]!.slice('MONTH:'.length));
}
