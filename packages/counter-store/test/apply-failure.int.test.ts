// Issue 14: a batch whose apply script fails part-way must leave nothing behind, so that the retry
// counts every event of the batch once (none reclassified as a duplicate of itself).
import { describe, expect, it } from 'vitest';
import { CounterStore, counterSuffix, defineCounterScripts, offsetField, offsetsKey, seenSuffix, shardPrefix, staffIndexSuffix, type EventEffect } from '@cs/counter-store';
import { uniqueName } from '../../../test/harness/index.ts';
import { AT, DAY, fileRedis, HORIZON, keysUnder, MONTH } from './apply-fixtures.ts';

const redis = fileRedis();
const snapshot = (prefix: string) => keysUnder(redis, prefix);
const TOPIC = 'cs.callcenter.v1';

function effect(eventId: string, staffId: string, counter: string, by = 1): EventEffect {
  return { eventId, occurredAt: AT, counters: [{ staffId, periods: [DAY, MONTH], counter, by }], sla: [{ periods: [DAY, MONTH], field: 'answered|95598-general', by: 1 }] };
}


describe('applyBatch-1.lua: an error at any point leaves nothing behind', () => {
  it('a write that fails part-way (a corrupt counter of the third staff member) changes nothing; the retry counts all events once', async () => {
    const prefix = uniqueName('fail');
    const store = new CounterStore(redis, { prefix, dedupeHorizonMs: HORIZON, maxLatenessDays: 62 });
    await store.registerShard(0);
    // Every DAY hash and the first staff members' MONTH hashes are incremented before the third
    // one's MONTH hash is reached; S1's MONTH hash already holds a fractional sum.
    const corrupt = shardPrefix(prefix, 0) + counterSuffix(MONTH, 'S3');
    await redis.hset(corrupt, 'contacts_handled', 'not-a-number');
    await redis.hset(shardPrefix(prefix, 0) + counterSuffix(MONTH, 'S1'), 'quality_score_sum', '87.3');
    const before = await snapshot(prefix);
    const batch = { shard: 0, topic: TOPIC, partition: 0, firstOffset: 0, nextOffset: 5, effects: [effect('e1', 'S1', 'contacts_handled'), effect('e2', 'S2', 'contacts_handled'), effect('e3', 'S3', 'contacts_handled'), effect('e4', 'S1', 'surveys', 2), effect('e5', 'S1', 'quality_score_sum', 0.1)] };
    await expect(store.applyBatch(batch)).rejects.toThrow(/CS_APPLY_FAILED/);
    expect(await snapshot(prefix)).toEqual(before);

    // The operator repairs the key; the retry applies the whole batch, with no duplicates.
    await redis.del(corrupt);
    const outcome = await store.applyBatch(batch);
    expect(outcome).toEqual({ status: 'applied', counted: 5, duplicates: 0, dropped: new Set(), unknownAdmitted: 0 });
    const month = Object.fromEntries(await store.periodCounters(MONTH));
    expect(month.S1!.quality_score_sum).toBeCloseTo(87.4, 12);
    expect(month).toEqual({ S1: { contacts_handled: 1, surveys: 2, quality_score_sum: month.S1!.quality_score_sum }, S2: { contacts_handled: 1 }, S3: { contacts_handled: 1 } });
    expect(await store.periodSla(DAY)).toEqual({ 'answered|95598-general': 5 });
    expect(await store.readOffset(0, TOPIC, 0)).toBe(5);
  });

  it('a set key of the wrong type is found before the first write', async () => {
    const prefix = uniqueName('type');
    const store = new CounterStore(redis, { prefix, dedupeHorizonMs: HORIZON, maxLatenessDays: 62 });
    await redis.set(shardPrefix(prefix, 0) + staffIndexSuffix(MONTH), 'not a set');
    const before = await snapshot(prefix);
    const batch = { shard: 0, topic: TOPIC, partition: 0, firstOffset: 0, nextOffset: 2, effects: [effect('e1', 'S1', 'contacts_handled'), effect('e2', 'S2', 'contacts_handled')] };
    await expect(store.applyBatch(batch)).rejects.toThrow(/CS_APPLY_FAILED .* holds a string/);
    expect(await snapshot(prefix)).toEqual(before);
    await redis.del(shardPrefix(prefix, 0) + staffIndexSuffix(MONTH));
    expect(await store.applyBatch(batch)).toEqual({ status: 'applied', counted: 2, duplicates: 0, dropped: new Set(), unknownAdmitted: 0 });
  });

  it('the script refuses increments that are not finite numbers before its first write', async () => {
    const scripts = defineCounterScripts(redis);
    for (const bad of ['inf', '-inf', 'nan', 'Infinity', '1e400', 'abc', '']) {
      const prefix = uniqueName('lua');
      const sp = shardPrefix(prefix, 0);
      const argv = [
        sp, offsetField(TOPIC, 0), 0, 2, HORIZON,
        1, seenSuffix(Math.floor(AT / HORIZON)), 2, 'e1', 'e2',
        2, counterSuffix(DAY, 'S1'), 86_400, 1, 'contacts_handled', 1, counterSuffix(DAY, 'S2'), 86_400, 1, 'handle_seconds', bad,
        1, staffIndexSuffix(DAY), 86_400, 2, 'S1', 'S2',
      ];
      await expect(scripts.applyBatch(offsetsKey(prefix, 0), argv), `increment ${JSON.stringify(bad)}`).rejects.toThrow(/increment/);
      expect(await snapshot(prefix), `increment ${JSON.stringify(bad)}`).toEqual({});
    }
  });

  it('CounterStore.applyBatch refuses a non-finite or out-of-range increment before calling Redis', async () => {
    const prefix = uniqueName('js');
    const store = new CounterStore(redis, { prefix, dedupeHorizonMs: HORIZON, maxLatenessDays: 62 });
    for (const by of [Infinity, -Infinity, NaN, 1e300]) {
      const batch = { shard: 0, topic: TOPIC, partition: 0, firstOffset: 0, nextOffset: 2, effects: [effect('e1', 'S1', 'contacts_handled'), effect('e2', 'S2', 'handle_seconds', by)] };
      await expect(store.applyBatch(batch), String(by)).rejects.toThrow(/e2.*handle_seconds/);
      expect(await snapshot(prefix)).toEqual({});
    }
  });
});
