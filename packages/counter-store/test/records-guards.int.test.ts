// Issue #16 item 3: applyBatch-1.lua's record hashes (recorded effects, correction notes) and
// once-only guards: written with the counters or not at all; a taken guard refuses its event
// before anything is written.
import { describe, expect, it } from 'vitest';
import { CounterStore, effectSuffix, reversedSuffix, shardPrefix, type EventEffect } from '@cs/counter-store';
import { uniqueName } from '../../../test/harness/index.ts';
import { AT, DAY, fileRedis, HORIZON, keysUnder, MONTH } from './apply-fixtures.ts';

const redis = fileRedis();
const snapshot = (prefix: string) => keysUnder(redis, prefix);
const TOPIC = 'cs.corrections.v1';


const reversal = (eventId: string, target: string, by = -1): EventEffect => ({
  eventId,
  occurredAt: AT,
  counters: [{ staffId: 'S1', periods: [DAY, MONTH], counter: 'complaints_serious_substantiated', by }],
  sla: [],
  records: [
    { hash: `corr:${MONTH}`, period: MONTH, field: `${eventId}|S1`, value: `{"correctionId":"${eventId}"}` },
    { hash: reversedSuffix(MONTH), period: MONTH, field: target, value: eventId },
  ],
  touched: [`${MONTH}|S1`],
  guard: { hash: reversedSuffix(MONTH), field: target },
});

describe('applyBatch-1.lua records and guards', () => {
  it('writes an event\'s recorded effect and a correction\'s notes and marker with its counters, with the TTL of the bucket', async () => {
    const prefix = uniqueName('rec');
    const store = new CounterStore(redis, { prefix, dedupeHorizonMs: HORIZON, maxLatenessDays: 62 });
    await store.registerShard(0);
    const counted: EventEffect = { eventId: 'E1', occurredAt: AT, counters: [{ staffId: 'S1', periods: [DAY, MONTH], counter: 'complaints_serious', by: 1 }], sla: [], fx: { month: MONTH, value: '7;S1@20261005,f' } };
    expect(await store.applyBatch({ shard: 0, topic: TOPIC, partition: 0, firstOffset: 0, nextOffset: 2, effects: [counted, reversal('C1', 'E1')] })).toMatchObject({ status: 'applied', counted: 2 });
    const p = shardPrefix(prefix, 0);
    expect(await redis.hgetall(p + effectSuffix(MONTH))).toEqual({ E1: '7;S1@20261005,f' });
    expect(await redis.hgetall(p + reversedSuffix(MONTH))).toEqual({ E1: 'C1' });
    expect(await redis.ttl(p + effectSuffix(MONTH))).toBeGreaterThan(90 * 86_400);
    expect(Object.fromEntries(await store.periodCounters(MONTH))).toEqual({ S1: { complaints_serious: 1, complaints_serious_substantiated: -1 } });
    expect((await store.takeChanged()).pairs).toEqual(new Set([`${DAY}|S1`, `${MONTH}|S1`]));
  });

  it('refuses a guarded event whose marker exists, or an earlier event of the batch took, changing nothing', async () => {
    const prefix = uniqueName('grd');
    const store = new CounterStore(redis, { prefix, dedupeHorizonMs: HORIZON, maxLatenessDays: 62 });
    await store.registerShard(0);
    await store.applyBatch({ shard: 0, topic: TOPIC, partition: 0, firstOffset: 0, nextOffset: 1, effects: [reversal('C1', 'E1')] });
    const before = await snapshot(prefix);
    // C2 reverses E1 again (marker in Redis); C4 reverses E2 after C3 in the same batch.
    const batch = { shard: 0, topic: TOPIC, partition: 0, firstOffset: 1, nextOffset: 5, effects: [reversal('C2', 'E1'), reversal('C3', 'E2'), reversal('C4', 'E2'), reversal('C1', 'E1')] };
    expect(await store.applyBatch(batch)).toEqual({ status: 'guarded', refused: new Set([0, 2]) });
    expect(await snapshot(prefix)).toEqual(before);
    // Without the refused ones: C3 applies, the re-delivered C1 is a duplicate.
    expect(await store.applyBatch({ ...batch, effects: [batch.effects[1]!, batch.effects[3]!] })).toMatchObject({ status: 'applied', counted: 1, duplicates: 1 });
    expect(await redis.hgetall(shardPrefix(prefix, 0) + reversedSuffix(MONTH))).toEqual({ E1: 'C1', E2: 'C3' });
  });

  it('a record hash of the wrong type is found before the first write', async () => {
    const prefix = uniqueName('rty');
    const store = new CounterStore(redis, { prefix, dedupeHorizonMs: HORIZON, maxLatenessDays: 62 });
    await redis.set(shardPrefix(prefix, 0) + `corr:${MONTH}`, 'not a hash');
    const before = await snapshot(prefix);
    await expect(store.applyBatch({ shard: 0, topic: TOPIC, partition: 0, firstOffset: 0, nextOffset: 1, effects: [reversal('C1', 'E1')] })).rejects.toThrow(/CS_APPLY_FAILED .*not a hash/);
    expect(await snapshot(prefix)).toEqual(before);
  });
});
