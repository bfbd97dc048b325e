// prepareBatch: the pure half of a batch (decode, validate, lateness, due-date bound, attribution).
import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from '@cs/appraisal';
import { createCodecs, type SourceEvent } from '@cs/contracts';
import { manualClock } from '@cs/runtime';
import { Buckets } from '../src/buckets.ts';
import { prepareBatch } from '../src/prepare.ts';

const codecs = createCodecs();
const DAY = 86_400_000;
const clock = manualClock(Date.parse('2026-10-15T12:00:00+08:00'));

function callback(id: string, dueInDays: number): SourceEvent {
  const occurredAt = clock.now() - DAY;
  return { kind: 'CallbackAssigned', eventId: id, occurredAt, ticketId: `T-${id}`, staffId: 'S001', dueAt: occurredAt + dueInDays * DAY } as SourceEvent;
}

function prepare(events: SourceEvent[]) {
  const values = events.map((e) => codecs.encode('callcenter', e));
  return prepareBatch(values, { codecs, rules: DEFAULT_RULES, buckets: new Buckets(DEFAULT_RULES.timeZone), topicKey: 'callcenter', maxLatenessMs: 62 * DAY, now: clock.now() });
}

describe('a task due further ahead than periods.maxDueAheadDays', () => {
  it('is dead-lettered CS_VALIDATION_DUE_TOO_FAR on its own; the other events of the batch are counted', () => {
    const limit = DEFAULT_RULES.periods.maxDueAheadDays;
    const farFuture = { ...callback('far', 0), dueAt: Date.parse('2099-12-31T23:59:00+08:00') } as SourceEvent;
    const out = prepare([callback('a', 2), farFuture, callback('b', limit), callback('c', limit + 1)]);
    expect(out.rejected.map((r) => [r.index, r.error.code])).toEqual([
      [1, 'CS_VALIDATION_DUE_TOO_FAR'],
      [3, 'CS_VALIDATION_DUE_TOO_FAR'],
    ]);
    expect(out.rejected[0]!.error.message).toMatch(/dueAt 2099-12-31T15:59:00.000Z is more than 92 days after occurredAt/);
    expect(out.effects.map((e) => e.eventId)).toEqual(['a', 'b']);
  });
});
