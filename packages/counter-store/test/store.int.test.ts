import { afterAll, describe, expect, it } from 'vitest';
import { CounterStore, counterSuffix, defineCounterScripts, shardPrefix, staffIndexSuffix, type EventEffect } from '@cs/counter-store';
import { redisFor, uniqueName } from '../../../test/harness/index.ts';

const redis = redisFor();
afterAll(() => redis.disconnect());

function effect(eventId: string, staffId: string, counter: string, by = 1): EventEffect {
  return { eventId, occurredAt: Date.UTC(2026, 9, 5, 3), counters: [{ staffId, periods: ['DAY:2026-10-05', 'MONTH:2026-10'], counter, by }], sla: [] };
}

describe('CounterStore.applyBatch (the atomic Lua script)', () => {
  it('coalesces, dedupes by eventId, and refuses a batch behind the stored offset', async () => {
    const store = new CounterStore(redis, { prefix: uniqueName('t'), dedupeHorizonMs: 48 * 3600_000, maxLatenessDays: 62 });
    await store.registerShard(2);
    const base = { shard: 2, topic: 'cs.callcenter.v1', partition: 2 };
    const r1 = await store.applyBatch({ ...base, firstOffset: 0, nextOffset: 3, effects: [effect('e1', 'S1', 'contacts_handled'), effect('e2', 'S1', 'contacts_handled'), effect('e1', 'S1', 'contacts_handled')] });
    expect(r1).toEqual({ status: 'applied', counted: 2, duplicates: 1, dropped: new Set([2]), unknownAdmitted: 0 });
    // A producer retry of e2 at a later offset counts nothing; e3 counts.
    const r2 = await store.applyBatch({ ...base, firstOffset: 3, nextOffset: 5, effects: [effect('e2', 'S1', 'contacts_handled'), effect('e3', 'S2', 'surveys', 2)] });
    expect(r2).toEqual({ status: 'applied', counted: 1, duplicates: 1, dropped: new Set([0]), unknownAdmitted: 0 });
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

describe('CounterStore.applyBatch: calls answered per queue and staff member (qs:<MONTH>, the team service level)', () => {
  const answered = (eventId: string, queue: string, staffId: string): EventEffect => ({
    eventId,
    occurredAt: Date.UTC(2026, 9, 5, 3),
    counters: [],
    sla: [{ periods: ['DAY:2026-10-05', 'MONTH:2026-10'], field: `answered|${queue}`, by: 1 }],
    queueStaff: [{ month: 'MONTH:2026-10', queue, staffId }],
  });

  it('counts each answered call once with the batch, keeps the month TTL, and sums the shards', async () => {
    const prefix = uniqueName('t');
    const store = new CounterStore(redis, { prefix, dedupeHorizonMs: 48 * 3600_000, maxLatenessDays: 62 });
    for (const shard of [0, 1]) await store.registerShard(shard);
    const base = { topic: 'cs.callcenter.v1', firstOffset: 0, nextOffset: 3 };
    // A queue name may hold "|": the staff id (which never does) is after the last one.
    const r0 = await store.applyBatch({ ...base, shard: 0, partition: 0, effects: [answered('a1', 'general', 'S1'), answered('a2', 'general', 'S1'), answered('a3', 'odd|queue', 'S1')] });
    expect(r0.status).toBe('applied');
    // A producer retry of a2 at another offset is dropped with everything else it does.
    const r1 = await store.applyBatch({ ...base, shard: 0, partition: 0, firstOffset: 3, nextOffset: 5, effects: [answered('a2', 'general', 'S1'), answered('a4', 'general', 'S2')] });
    expect(r1).toMatchObject({ status: 'applied', counted: 1, duplicates: 1 });
    await store.applyBatch({ ...base, shard: 1, partition: 1, nextOffset: 1, effects: [answered('b1', 'general', 'S1')] });
    expect(await store.monthQueueStaff('MONTH:2026-10')).toEqual({ 'general|S1': 3, 'general|S2': 1, 'odd|queue|S1': 1 });
    expect((await store.periodSla('MONTH:2026-10'))['answered|general']).toBe(4);
    // 31 + 62 + 7 days, like the MONTH counter buckets.
    expect(await redis.ttl(`${shardPrefix(prefix, 0)}qs:MONTH:2026-10`)).toBeGreaterThan(99 * 86_400);
  });

  it('a qs field that cannot take the increment fails the whole batch: no counter, SLA field, seen id or offset moves', async () => {
    const prefix = uniqueName('t');
    const store = new CounterStore(redis, { prefix, dedupeHorizonMs: 48 * 3600_000, maxLatenessDays: 62 });
    await store.registerShard(0);
    await redis.hset(`${shardPrefix(prefix, 0)}qs:MONTH:2026-10`, 'general|S1', 'not a number');
    const batch = { shard: 0, topic: 'cs.callcenter.v1', partition: 0, firstOffset: 0, nextOffset: 2, effects: [effect('c1', 'S1', 'contacts_handled'), answered('a1', 'general', 'S1')] };
    await expect(store.applyBatch(batch)).rejects.toThrow(/CS_APPLY_FAILED/);
    expect(Object.fromEntries(await store.periodCounters('MONTH:2026-10'))).toEqual({});
    expect(await store.periodSla('MONTH:2026-10')).toEqual({});
    expect(await store.readOffset(0, batch.topic, 0)).toBeNull();
    // Repaired, the same batch applies in full (its ids were not marked seen).
    await redis.hdel(`${shardPrefix(prefix, 0)}qs:MONTH:2026-10`, 'general|S1');
    expect(await store.applyBatch(batch)).toMatchObject({ status: 'applied', counted: 2 });
    expect(await store.monthQueueStaff('MONTH:2026-10')).toEqual({ 'general|S1': 1 });
  });
});

describe('CounterStore.applyBatch: the quarantine of staff ids the roster does not name', () => {
  it('admits unknown ids up to the cap per shard and period, refuses the events beyond it without marking them seen, and never limits named staff', async () => {
    const prefix = uniqueName('t');
    const store = new CounterStore(redis, { prefix, dedupeHorizonMs: 48 * 3600_000, maxLatenessDays: 62 });
    await store.registerShard(0);
    const base = { shard: 0, topic: 'cs.callcenter.v1', partition: 0 };
    const named = new Set(['N1', 'N2']);
    const unknownStaff = { cap: 2, named: (id: string) => named.has(id) };
    const crew = (eventId: string, ...staff: string[]): EventEffect => ({ ...effect(eventId, staff[0]!, 'repairs'), counters: staff.map((staffId) => ({ staffId, periods: ['DAY:2026-10-05', 'MONTH:2026-10'], counter: 'repairs', by: 1 })) });
    const batch = [effect('e1', 'N1', 'surveys'), effect('e2', 'U1', 'surveys'), effect('e3', 'U2', 'surveys'), effect('e4', 'U1', 'surveys'), crew('e5', 'N2', 'U3'), effect('e6', 'U3', 'surveys'), effect('e7', 'N2', 'surveys')];
    const r1 = await store.applyBatch({ ...base, firstOffset: 0, nextOffset: 7, effects: batch, unknownStaff });
    // e5 (crew of a named and a third unknown id) and e6 do not fit; nothing was written.
    expect(r1).toEqual({ status: 'overCap', refused: new Set([4, 5]) });
    expect(await store.readOffset(0, base.topic, 0)).toBeNull();
    expect(await redis.exists(`${shardPrefix(prefix, 0)}u:MONTH:2026-10`)).toBe(0);
    const r2 = await store.applyBatch({ ...base, firstOffset: 0, nextOffset: 7, effects: batch.filter((_, i) => i !== 4 && i !== 5), unknownStaff });
    expect(r2).toEqual({ status: 'applied', counted: 5, duplicates: 0, dropped: new Set(), unknownAdmitted: 4 });
    expect((await redis.smembers(`${shardPrefix(prefix, 0)}u:DAY:2026-10-05`)).sort()).toEqual(['U1', 'U2']);
    expect(await redis.ttl(`${shardPrefix(prefix, 0)}u:MONTH:2026-10`)).toBeGreaterThan(99 * 86_400);
    // The refused event was not marked seen: once U3 is named, the same event counts.
    named.add('U3');
    const r3 = await store.applyBatch({ ...base, firstOffset: 7, nextOffset: 9, effects: [batch[5]!, effect('e8', 'U1', 'surveys')], unknownStaff });
    expect(r3).toEqual({ status: 'applied', counted: 2, duplicates: 0, dropped: new Set(), unknownAdmitted: 0 });
    expect(Object.fromEntries(await store.periodCounters('MONTH:2026-10'))).toEqual({ N1: { surveys: 1 }, N2: { surveys: 1 }, U1: { surveys: 3 }, U2: { surveys: 1 }, U3: { surveys: 1 } });
    // Another period has a quarantine of its own.
    const r4 = await store.applyBatch({ ...base, firstOffset: 9, nextOffset: 10, effects: [{ ...effect('e9', 'U4', 'surveys'), counters: [{ staffId: 'U4', periods: ['DAY:2026-11-05', 'MONTH:2026-11'], counter: 'surveys', by: 1 }] }], unknownStaff });
    expect(r4).toMatchObject({ status: 'applied', counted: 1, unknownAdmitted: 2 });
  });
});

describe('CounterStore.periodCounters (readHashes-1.lua, "pairs")', () => {
  it('reads every staff member of every shard as numbers, summing a member found in two shards', async () => {
    const prefix = uniqueName('t');
    const store = new CounterStore(redis, { prefix, dedupeHorizonMs: 48 * 3600_000, maxLatenessDays: 62 });
    const month = 'MONTH:2026-10';
    const put = async (shard: number, staffId: string, fields: Record<string, string>) => {
      await store.registerShard(shard);
      await redis.sadd(shardPrefix(prefix, shard) + staffIndexSuffix(month), staffId);
      if (Object.keys(fields).length) await redis.hset(shardPrefix(prefix, shard) + counterSuffix(month, staffId), fields);
    };
    // What HINCRBY / HINCRBYFLOAT write: integers, decimals, negatives, exponents; 2,500 members so
    // a shard takes two script calls.
    for (let i = 0; i < 2500; i++) await put(0, `S${i}`, { contacts_handled: String(i), handle_seconds: '12.5', amount_due_cents: '-3', big: '1.5e+20' });
    await put(1, 'S7', { contacts_handled: '1', surveys: '2' });
    await put(1, 'EMPTY', {});
    const read = await store.periodCounters(month);
    expect(read.size).toBe(2501);
    expect(read.get('S0')).toEqual({ contacts_handled: 0, handle_seconds: 12.5, amount_due_cents: -3, big: 1.5e20 });
    expect(read.get('S2499')!.contacts_handled).toBe(2499);
    expect(read.get('S7')).toEqual({ contacts_handled: 8, handle_seconds: 12.5, amount_due_cents: -3, big: 1.5e20, surveys: 2 });
    expect(read.get('EMPTY')).toEqual({});
  });

  it('reads a chunk holding a value or name that is not JSON through the flat form, as Number() reads it', async () => {
    const prefix = uniqueName('t');
    const store = new CounterStore(redis, { prefix, dedupeHorizonMs: 48 * 3600_000, maxLatenessDays: 62 });
    const month = 'MONTH:2026-10';
    await store.registerShard(0);
    const hashes: Record<string, Record<string, string>> = {
      A: { contacts_handled: '3' },
      B: { contacts_handled: '007', surveys: '0x10' }, // valid for Number(), not JSON numbers
      C: { 'odd-name': '2', surveys: 'true' },
      D: { 'say"hi': '4' }, // a name that breaks the JSON text
    };
    for (const [staffId, fields] of Object.entries(hashes)) {
      await redis.sadd(shardPrefix(prefix, 0) + staffIndexSuffix(month), staffId);
      await redis.hset(shardPrefix(prefix, 0) + counterSuffix(month, staffId), fields);
    }
    const read = await store.periodCounters(month);
    expect(Object.fromEntries(read)).toEqual({
      A: { contacts_handled: 3 },
      B: { contacts_handled: 7, surveys: 16 },
      C: { 'odd-name': 2, surveys: NaN },
      D: { 'say"hi': 4 },
    });
  });
});

describe('readHashes-1.lua', () => {
  it('refuses a mode other than "object", "pairs" or "values"', async () => {
    const scripts = defineCounterScripts(redis);
    const prefix = uniqueName('t');
    await expect(scripts.readHashes(`${prefix}:i`, ['keys' as 'pairs', `${prefix}:h:`, 'S1'])).rejects.toThrow(/ARGV\[1\] must be "object", "pairs" or "values"/);
  });
});

describe('CounterStore.advanceOffset (advanceOffset-1.lua: past transaction markers and aborted records)', () => {
  it('moves only a stored offset inside the range, and returns what is stored otherwise', async () => {
    const store = new CounterStore(redis, { prefix: uniqueName('t'), dedupeHorizonMs: 48 * 3600_000, maxLatenessDays: 62 });
    const topic = 'cs.callcenter.v1';
    // Nothing stored yet reads as 0: a partition that starts with an aborted transaction.
    expect(await store.advanceOffset(1, topic, 1, 0, 4)).toEqual({ status: 'advanced' });
    expect(await store.readOffset(1, topic, 1)).toBe(4);
    expect(await store.advanceOffset(1, topic, 1, 2, 9)).toEqual({ status: 'advanced' }); // stored 4 inside [2, 9)
    expect(await store.readOffset(1, topic, 1)).toBe(9);
    expect(await store.advanceOffset(1, topic, 1, 3, 9)).toEqual({ status: 'left', storedOffset: 9 }); // already past
    expect(await store.advanceOffset(1, topic, 1, 12, 15)).toEqual({ status: 'left', storedOffset: 9 }); // a hole before the range
    expect(await store.readOffset(1, topic, 1)).toBe(9);
  });
});
