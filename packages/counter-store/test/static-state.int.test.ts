// The static appraisal's state (docs/static-appraisal.md §8) through applyBatch-1.lua's record
// section on the real Redis: kept with no TTL, exactly once, read back by staticState().
import { describe, expect, it } from 'vitest';
import type { StaticRecord } from '@cs/appraisal';
import { CounterStore, encodeStaticRecord, shardPrefix, STATIC_INDEX_SUFFIX, staticSuffix, type EventEffect } from '@cs/counter-store';
import { uniqueName } from '../../../test/harness/index.ts';
import { AT, DAY, fileRedis, HORIZON, MONTH } from './apply-fixtures.ts';

const redis = fileRedis();
const TOPIC = 'cs.workforce.v1';

/** An effect as the aggregator builds it for a static event (services/aggregator/src/effects.ts). */
const staticEffect = (eventId: string, staffId: string, record: StaticRecord): EventEffect => ({
  eventId,
  occurredAt: AT,
  counters: [],
  sla: [],
  records: [{ hash: staticSuffix(staffId), period: '', field: eventId, value: encodeStaticRecord(record), persistent: true }],
  indexed: [{ set: STATIC_INDEX_SUFFIX, member: staffId }],
  touched: [`${DAY}|${staffId}`, `${MONTH}|${staffId}`],
});

const skill: StaticRecord = { kind: 'assessment', skill: 'SAFETY', score: 64, at: AT - 3_600_000, assessmentId: 'A1' };
const grant: StaticRecord = { kind: 'grant', qualificationId: 'LV_ELECTRICIAN', at: AT - 86_400_000 * 900, expiresAt: AT + 86_400_000 * 44, certificateId: 'C1' };
const revoke: StaticRecord = { kind: 'revocation', qualificationId: 'METER_BILLING', at: AT - 60_000 };

describe('static records in Redis', () => {
  it('are kept with no TTL in the member\'s shard, indexed, re-scored, counted once, and read back per member', async () => {
    const prefix = uniqueName('st');
    const store = new CounterStore(redis, { prefix, dedupeHorizonMs: HORIZON, maxLatenessDays: 62 });
    await store.registerShard(0);
    await store.registerShard(1);
    const applied = await store.applyBatch({ shard: 0, topic: TOPIC, partition: 0, firstOffset: 0, nextOffset: 2, effects: [staticEffect('E1', 'S1', skill), staticEffect('E2', 'S1', grant)] });
    expect(applied).toMatchObject({ status: 'applied', counted: 2 });
    await store.applyBatch({ shard: 1, topic: TOPIC, partition: 1, firstOffset: 0, nextOffset: 1, effects: [staticEffect('E3', 'S2', revoke)] });
    // A producer retry of E2 at a later offset is a duplicate: nothing written twice.
    expect(await store.applyBatch({ shard: 0, topic: TOPIC, partition: 0, firstOffset: 2, nextOffset: 3, effects: [staticEffect('E2', 'S1', grant)] })).toMatchObject({ status: 'applied', counted: 0, duplicates: 1 });

    const p0 = shardPrefix(prefix, 0);
    expect(await redis.hgetall(p0 + staticSuffix('S1'))).toEqual({ E1: encodeStaticRecord(skill), E2: encodeStaticRecord(grant) });
    expect(await redis.ttl(p0 + staticSuffix('S1'))).toBe(-1);
    expect(await redis.smembers(p0 + STATIC_INDEX_SUFFIX)).toEqual(['S1']);
    expect(await redis.ttl(p0 + STATIC_INDEX_SUFFIX)).toBe(-1);
    expect([...(await store.takeChanged()).pairs].sort()).toEqual([`${DAY}|S1`, `${DAY}|S2`, `${MONTH}|S1`, `${MONTH}|S2`]);

    const state = await store.staticState();
    expect([...state.keys()].sort()).toEqual(['S1', 'S2']);
    expect(state.get('S1')!.sort((a, b) => a.at - b.at)).toEqual([grant, skill]);
    expect(state.get('S2')).toEqual([revoke]);
  });

  it('a hand-written value that is not a record is left out; a member with none is absent', async () => {
    const prefix = uniqueName('stb');
    const store = new CounterStore(redis, { prefix, dedupeHorizonMs: HORIZON, maxLatenessDays: 62 });
    await store.registerShard(0);
    await store.applyBatch({ shard: 0, topic: TOPIC, partition: 0, firstOffset: 0, nextOffset: 1, effects: [staticEffect('E1', 'S1', skill)] });
    const p0 = shardPrefix(prefix, 0);
    await redis.hset(p0 + staticSuffix('S1'), 'X', '["a","JUGGLING",1,2,"x"]');
    await redis.sadd(p0 + STATIC_INDEX_SUFFIX, 'S9');
    const state = await store.staticState();
    expect(Object.fromEntries(state)).toEqual({ S1: [skill] });
  });
});

describe('static records beyond the cap', () => {
  it('pruneStatic drops what the rule names for members over the cap only, by field', async () => {
    const prefix = uniqueName('stp');
    const store = new CounterStore(redis, { prefix, dedupeHorizonMs: HORIZON, maxLatenessDays: 62 });
    await store.registerShard(0);
    // S1: 6 SAFETY assessments (5 superseded); S2: 2 records (under the cap).
    const s1 = Array.from({ length: 6 }, (_, k) => staticEffect(`A${k}`, 'S1', { kind: 'assessment', skill: 'SAFETY', score: 50 + k, at: AT - (6 - k) * 60_000, assessmentId: `a${k}` }));
    const s2 = [staticEffect('B0', 'S2', skill), staticEffect('B1', 'S2', { ...skill, at: skill.at + 1, assessmentId: 'A2' })];
    await store.applyBatch({ shard: 0, topic: TOPIC, partition: 0, firstOffset: 0, nextOffset: 8, effects: [...s1, ...s2] });
    // the rule of the test: drop the two oldest of what is handed over (the aggregator hands recordsToPrune)
    const oldestTwo = (records: StaticRecord[]) => [...records].sort((a, b) => a.at - b.at).slice(0, 2);
    expect(await store.pruneStatic(0, ['S1', 'S2'], 4, oldestTwo)).toBe(2);
    const p0 = shardPrefix(prefix, 0);
    expect(Object.keys(await redis.hgetall(p0 + staticSuffix('S1'))).sort()).toEqual(['A2', 'A3', 'A4', 'A5']);
    expect(Object.keys(await redis.hgetall(p0 + staticSuffix('S2'))).sort()).toEqual(['B0', 'B1']);
  });
});
