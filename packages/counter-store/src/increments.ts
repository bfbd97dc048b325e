import { CsError } from '@cs/contracts/errors';
import type { EventEffect } from './store.ts';

/**
 * The largest increment (in absolute value) one event may make to one counter. Redis sums with
 * HINCRBYFLOAT (long double) and readers get JavaScript numbers, exact for integers up to 2^53
 * (~9.007e15); an increment of at most 1e12 keeps a counter exact for thousands of the largest
 * such increments, and is far beyond any real one: the largest are bill amounts in cents (1e12
 * cents = 10 billion yuan) and durations in seconds (1e12 s = 31,700 years). Anything beyond it
 * — or not a finite number, e.g. durations that are each finite but sum to Infinity — is bad
 * input: the aggregator dead-letters the event (CS_VALIDATION_INCREMENT_OUT_OF_RANGE) and the
 * store refuses it, so it never reaches the apply script.
 */
export const MAX_INCREMENT = 1e12;

/** Why `by` cannot be stored as an increment, or null when it can. */
export function incrementProblem(by: number): string | null {
  if (typeof by !== 'number' || !Number.isFinite(by)) return `${String(by)} is not a finite number`;
  if (Math.abs(by) > MAX_INCREMENT) return `${by} is beyond ±${MAX_INCREMENT}`;
  return null;
}

/** The first increment of an event that cannot be stored: "<counter or SLA field>: <why>", or null. */
export function effectProblem(effect: EventEffect): string | null {
  for (const c of effect.counters) {
    const p = incrementProblem(c.by);
    if (p !== null) return `increment of ${c.counter} for ${c.staffId}: ${p}`;
  }
  for (const s of effect.sla) {
    const p = incrementProblem(s.by);
    if (p !== null) return `increment of ${s.field}: ${p}`;
  }
  return null;
}

/** A caller handed the store an increment it must have dead-lettered (see MAX_INCREMENT). */
export class InvalidIncrementError extends CsError {
  constructor(
    readonly eventId: string,
    readonly index: number,
    problem: string,
  ) {
    super('CS_COUNTER_INVALID_INCREMENT', `event ${eventId} (index ${index} of the batch): ${problem}; nothing applied (validate increments before applyBatch)`, { retriable: false });
  }
}
