// Scale-out proof: a local 3-master Redis Cluster (AOF on) runs the aggregator and the scorer
// (REDIS_CLUSTER_NODES). Every apply script stays inside one shard's hash slot, the scorer's keys
// share {scorer}: no CROSSSLOT. Counters equal the truth; scorecards are the engine's.
import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { testStack } from '../harness/index.ts';
import { TEST_CLOCK } from '../harness/clock.ts';
import {
  checkFinals,
  closedPeriodsWithData,
  drained,
  engineCards,
  faultSandbox,
  periodIdOfCard,
  produceAll,
  readCards,
  redisCluster,
  simulate,
  sleep,
  spawnService,
  summary,
  tempDir,
  waitFor,
} from './support.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.splice(0).reverse()) await Promise.resolve(c()).catch(() => {});
});

describe('Redis Cluster (3 masters)', () => {
  it('aggregator and scorer on a cluster: exact counters spread over all masters, one FINAL per staff-period equal to the engine', async () => {
    const t0 = Date.now();
    const tmp = tempDir('cluster');
    cleanups.push(tmp.remove);
    const cluster = await redisCluster(tmp.dir, 3);
    cleanups.push(cluster.stop);
    const sb = await faultSandbox({ brokers: testStack().brokers, clusterNodes: cluster.nodes });
    cleanups.push(sb.close);

    // A closed month (October 2026 or the last full month before now), 300 staff, with the roster.
    const replayed = TEST_CLOCK.lastMonth();
    const data = simulate({ seed: 51, startMs: replayed.startMs, endMs: replayed.endMs, roster: true, intensity: 0.5 });
    await produceAll(sb, data.messages);

    const agg = spawnService('aggregator', sb.env, tmp.dir);
    cleanups.push(() => agg.kill());
    await drained(sb, 300_000);
    const crossslot = () => agg.lines().filter((l) => /CROSSSLOT|MOVED|non local key/i.test(l));
    const diffs = await data.truth.diff(sb.store);
    expect(crossslot()).toEqual([]);
    expect(diffs).toEqual([]);

    // Keys really are spread: every master holds some of this test's keys.
    const perNode: number[] = [];
    for (const n of cluster.nodes) {
      const c = new Redis({ host: '127.0.0.1', port: Number(n.split(':')[1]) });
      let count = 0;
      let cursor = '0';
      do {
        const [next, keys] = await c.scan(cursor, 'MATCH', `${sb.prefix}:*`, 'COUNT', 1000);
        cursor = next;
        count += keys.length;
      } while (cursor !== '0');
      perNode.push(count);
      c.disconnect();
    }

    // Wait for the roster to be applied (a compacted topic, read from the start).
    await waitFor(async () => (await sb.store.roster()).size >= data.roster.size, 60_000, 'the roster in Redis');
    const scorer = spawnService('scorer', sb.env, tmp.dir);
    cleanups.push(() => scorer.kill());
    const active = [...data.roster.values()].filter((p) => p.active).map((p) => p.staffId);
    const closed = closedPeriodsWithData(data.truth);
    expect(active.length).toBeGreaterThan(0);
    expect(closed.some((p) => p.startsWith('MONTH:'))).toBe(true);
    let check = checkFinals([], active, closed);
    await waitFor(
      async () => {
        check = checkFinals(await readCards(sb), active, closed);
        return check.missing.length === 0;
      },
      300_000,
      'a FINAL for every active staff member and closed period',
    );
    await sleep(3000);
    const cards = await readCards(sb);
    check = checkFinals(cards, active, closed);
    await scorer.kill('SIGTERM');
    const scorerErrors = scorer.lines().filter((l) => /"level":(50|60)/.test(l) || /CROSSSLOT/i.test(l));

    // FINAL content = the engine on the counters in the cluster (MONTH, and the first DAY: no previous finals).
    const month = closed.find((p) => p.startsWith('MONTH:'))!;
    const firstDay = closed.filter((p) => p.startsWith('DAY:')).sort()[0]!;
    const mismatches: string[] = [];
    for (const p of [month, firstDay]) {
      const got = [...check.byKey.values()].filter((c) => periodIdOfCard(c.value) === p).map((c) => c.value);
      const want = await engineCards(sb, p, got[0]!.computedAt);
      const byId = new Map(want.map((c) => [c.staffId, c]));
      for (const g of got) if (JSON.stringify(g) !== JSON.stringify(byId.get(g.staffId))) mismatches.push(`${p}|${g.staffId}`);
      if (got.length !== want.length) mismatches.push(`${p}: ${got.length} cards, engine ${want.length}`);
    }

    summary(
      `redis cluster 3 masters (AOF): aggregator+scorer via REDIS_CLUSTER_NODES; ${data.truth.events} events (+${data.truth.duplicates} dup), ${data.roster.size} staff, keys per master ${perNode.join('/')}; ` +
        `counters ${diffs.length === 0 ? 'EXACT' : 'DIFFER'}; FINAL ${check.finals} for ${check.byKey.size} staff-periods (${closed.length} closed periods × ${active.length} active), resent ${check.resent}, conflicting ${check.conflicting.length}, missing ${check.missing.length}; ` +
        `engine mismatches ${mismatches.length}; CROSSSLOT/errors ${crossslot().length + scorerErrors.length}; ${((Date.now() - t0) / 1000).toFixed(0)} s`,
    );
    expect(perNode.every((n) => n > 0)).toBe(true);
    expect(check.conflicting).toEqual([]);
    expect(check.missing).toEqual([]);
    expect(mismatches).toEqual([]);
    expect(scorerErrors).toEqual([]);
  });
});
