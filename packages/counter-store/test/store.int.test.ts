import { afterAll, describe, expect, it } from 'vitest';
import { CounterStore, type EventEffect } from '@cs/counter-store';
import { redisFor, uniqueName } from '../../../test/harness/index.ts';

const redis = redisFor();
afterAll(() => redis.disconnect());

function effect(eventId: string, staffId: string, counter: string, by = 1): EventEffect {
  return { eventId, occurredAt: Date.UTC(2026, 9, 5, 3), counters: [{ staffId, periods: ['DAY:2026-10-05', 'MONTH:2026-10'], counter, by }], sla: [] };
}

describe('CounterStore.applyBatch (the atomic Lua script)', () => {
  it('coalesces, dedupes by eventId, and refuses a batch behind the stored offset', async () => {
    const store = new CounterStore(redis, { prefix: uniqueName('t'), dedupeHorizonMs: 48 * 3600_000 });
    await store.registerShard(2);
    const base = { shard: 2, topic: 'cs.callcenter.v1', partition: 2 };
    const r1 = await store.applyBatch({ ...base, firstOffset: 0, nextOffset: 3, effects: [effect('e1', 'S1', 'contacts_handled'), effect('e2', 'S1', 'contacts_handled'), effect('e1', 'S1', 'contacts_handled')] });
    expect(r1).toEqual({ status: 'applied', counted: 2, duplicates: 1, dropped: new Set([2]) });
    // A producer retry of e2 at a later offset counts nothing; e3 counts.
    const r2 = await store.applyBatch({ ...base, firstOffset: 3, nextOffset: 5, effects: [effect('e2', 'S1', 'contacts_handled'), effect('e3', 'S2', 'surveys', 2)] });
    expect(r2).toEqual({ status: 'applied', counted: 1, duplicates: 1, dropped: new Set([0]) });
    // Redelivery of an applied range is refused as a whole.
    const r3 = await store.applyBatch({ ...base, firstOffset: 3, nextOffset: 5, effects: [effect('e9', 'S1', 'contacts_handled')] });
    expect(r3).toEqual({ status: 'stale', storedOffset: 5 });
    expect(await store.readOffset(2, 'cs.callcenter.v1', 2)).toBe(5);

    const month = await store.periodCounters('MONTH:2026-10');
    expect(Object.fromEntries(month)).toEqual({ S1: { contacts_handled: 2 }, S2: { surveys: 2 } });
    const changed = await store.takeChanged();
    expect([...changed.pairs].sort()).toEqual(['DAY:2026-10-05|S1', 'DAY:2026-10-05|S2', 'MONTH:2026-10|S1', 'MONTH:2026-10|S2']);
    await changed.ack();
    expect((await store.takeChanged()).pairs.size).toBe(0);
  });
});
