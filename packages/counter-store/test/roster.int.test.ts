import { afterAll, describe, expect, it } from 'vitest';
import { addDays } from '@cs/appraisal';
import { CounterStore, InvalidRosterChangeError, rosterKey, type Profile } from '@cs/counter-store';
import { redisFor, uniqueName } from '../../../test/harness/index.ts';
import { TEST_CLOCK } from '../../../test/harness/clock.ts';

const redis = redisFor();
afterAll(() => redis.disconnect());

const month = TEST_CLOCK.lastMonth();
const d11 = addDays(month.start, 10);
const d16 = addDays(month.start, 15);
const at = month.startMs;
const p = (staffId: string, teamId: string, effectiveFrom: string | null = null, active = true): Profile => ({ staffId, teamId, role: 'HOTLINE_AGENT', active, updatedAt: at, effectiveFrom });

describe('CounterStore roster timelines (applyRoster-2.lua)', () => {
  it('keeps one entry per staff member and effective date; tombstones remove a dated entry or the whole member', async () => {
    const store = new CounterStore(redis, { prefix: uniqueName('t'), dedupeHorizonMs: 3600_000, maxLatenessDays: 62 });
    // a v1-style base profile (no effectiveFrom field at all) is the base entry
    const { effectiveFrom: _e, ...v1Style } = p('A', 'T1');
    expect(await store.applyRoster(0, 0, 4, [{ staffId: 'A', profile: v1Style }, { staffId: 'A', profile: p('A', 'T2', d11) }, { staffId: 'B', profile: p('B', 'T1') }, { staffId: 'B', profile: p('B', 'T1', d16, false) }])).toMatchObject({ status: 'applied' });
    let t = await store.rosterTimelines();
    expect(t.get('A')!.entries.map((e) => [e.effectiveFrom, e.teamId])).toEqual([[null, 'T1'], [d11, 'T2']]);
    expect(t.get('B')!.entries.map((e) => [e.effectiveFrom, e.active])).toEqual([[null, true], [d16, false]]);
    // roster(): the latest entry; namedStaff: any entry names the id
    expect((await store.roster()).get('A')!.teamId).toBe('T2');
    expect(await store.namedStaff(['A', 'B', 'C'])).toEqual(new Set(['A', 'B']));

    // a later record under the same key replaces that entry (compaction keeps the last one)
    await store.applyRoster(0, 4, 8, [
      { staffId: 'A', profile: p('A', 'T3', d11) },
      { staffId: 'B', effectiveFrom: d16, profile: null }, // B's leave withdrawn
      { staffId: 'C', profile: p('C', 'T1', d16) }, // a joiner: dated entry only
      { staffId: 'C', effectiveFrom: d16, profile: null }, // ...withdrawn: C has no entry left
    ]);
    t = await store.rosterTimelines();
    expect(t.get('A')!.entries.map((e) => e.teamId)).toEqual(['T1', 'T3']);
    expect(t.get('B')!.entries.map((e) => e.effectiveFrom)).toEqual([null]);
    expect(t.has('C')).toBe(false);

    // a null under <staffId> removes the staff member with every dated entry
    await store.applyRoster(0, 8, 9, [{ staffId: 'A', profile: null }]);
    expect([...(await store.rosterTimelines()).keys()]).toEqual(['B']);
    expect(await store.applyRoster(0, 3, 4, [{ staffId: 'B', profile: null }])).toEqual({ status: 'stale', storedOffset: 9 });
  });

  it('refuses a batch with a profile that does not match its entry, before writing anything', async () => {
    const store = new CounterStore(redis, { prefix: uniqueName('t'), dedupeHorizonMs: 3600_000, maxLatenessDays: 62 });
    const bad = store.applyRoster(0, 0, 2, [{ staffId: 'A', profile: p('A', 'T1') }, { staffId: 'A', effectiveFrom: d11, profile: p('A', 'T2', d16) }]);
    await expect(bad).rejects.toBeInstanceOf(InvalidRosterChangeError);
    expect((await store.rosterTimelines()).size).toBe(0);
    expect(await store.readRosterOffset(0)).toBeNull();
  });

  it('reads a bare profile stored before effective dates as the base entry, and builds on it', async () => {
    const prefix = uniqueName('t');
    const store = new CounterStore(redis, { prefix, dedupeHorizonMs: 3600_000, maxLatenessDays: 62 });
    const { effectiveFrom: _e, ...old } = p('A', 'T1');
    await redis.hset(rosterKey(prefix), 'A', JSON.stringify(old), 'B', JSON.stringify({ ...old, staffId: 'B' }));
    expect((await store.rosterTimelines()).get('A')).toEqual({ staffId: 'A', entries: [old] });
    await store.applyRoster(0, 0, 1, [{ staffId: 'A', profile: p('A', 'T2', d11) }]);
    const t = await store.rosterTimelines();
    expect(t.get('A')!.entries.map((e) => [e.effectiveFrom ?? null, e.teamId])).toEqual([[null, 'T1'], [d11, 'T2']]);
    expect(t.get('B')!.entries).toEqual([{ ...old, staffId: 'B' }]);
  });
});
