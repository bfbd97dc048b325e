// The aggregator SIGKILLed at 20 random moments while 1,000,000 events (with producer-retry
// duplicates and malformed bytes) stream in: the production runs concurrently with the kills,
// each kill point is chosen by progress (the offsets Redis holds), and after the last restart the
// counters equal the ground truth computed from the input.
import { afterAll, describe, expect, it } from 'vitest';
import { periodOf } from '@cs/appraisal';
import { Rng } from '@cs/simulator';
import { testStack } from '../harness/index.ts';
import { TEST_CLOCK } from '../harness/clock.ts';
import { appliedMessages, drained, faultSandbox, produceAll, simulate, spawnService, summary, TZ, waitFor, type Service } from './support.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.splice(0).reverse()) await Promise.resolve(c()).catch(() => {});
});

const EVENTS = Number(process.env.CS_FAULT_EVENTS ?? 1_000_000);
const KILLS = 20;

describe('aggregator SIGKILL under a 1,000,000-event stream', () => {
  it(`SIGKILL ×${KILLS} while ${EVENTS} events stream in: counters equal the ground truth`, async () => {
    const t0 = Date.now();
    const sb = await faultSandbox({ brokers: testStack().brokers, redisUrl: testStack().redisUrl });
    cleanups.push(sb.close);
    // 1,500 staff over the 38 days before yesterday (inside maxLateness).
    const end = periodOf('DAY', TEST_CLOCK.clock.now(), TZ).startMs - 86_400_000;
    const data = simulate({ seed: 61, teams: 50, staffPerTeam: 30, startMs: end - 38 * 86_400_000, endMs: end, maxEvents: EVENTS });
    const total = data.messages.length;
    const tGen = Date.now() - t0;
    expect(data.truth.events).toBe(EVENTS);

    // A short session timeout: a SIGKILLed member's partitions move on after 6 s, not 30 s.
    // This stream has no roster: its 1,500 staff are all unknown ids, and crew events (keyed by
    // ticket) spread them over every shard, past the default quarantine of 500 per shard and
    // period. The cap has its own tests (unknown-staff*); here every event must count.
    const env = { ...sb.env, CS_AGGREGATOR_SESSION_TIMEOUT_MS: '6000', CS_UNKNOWN_STAFF_CAP: '100000' };
    let sent = 0;
    const producing = produceAll(sb, data.messages, { chunk: 5000, paceMs: 700, onProgress: (n) => (sent = n) });
    const rng = new Rng(61);
    const kills: string[] = [];
    let killsWhileProducing = 0;
    let agg: Service = spawnService('aggregator', env);
    cleanups.push(() => agg.kill());
    for (let i = 0; i < KILLS; i++) {
      const target = Math.floor(total * ((i + 0.15 + 0.7 * rng.next()) / (KILLS + 1)));
      await waitFor(async () => (await appliedMessages(sb)) >= target, 240_000, `progress ${target} before kill ${i + 1}`);
      await agg.kill('SIGKILL');
      if (sent < total) killsWhileProducing++;
      kills.push(`${await appliedMessages(sb)}`);
      agg = spawnService('aggregator', env);
    }
    const producedDuringKills = sent;
    await producing;
    await drained(sb, 400_000).catch((err: Error) => {
      summary(`aggregator SIGKILL ×${KILLS}: NOT DRAINED (${err.message}); log ${agg.logFile}`);
      throw err;
    });
    const tDrained = Date.now() - t0;
    const diffs = await data.truth.diff(sb.store);
    const stale = agg.lines().length;
    await agg.kill('SIGTERM');
    summary(
      `aggregator SIGKILL ×${KILLS} at progress-chosen moments, production concurrent (${killsWhileProducing} of the kills fell while producing; ${producedDuringKills}/${total} msgs sent at the last kill); ${data.truth.events} events (+${data.truth.duplicates} dup, ${data.malformed} malformed, ${total} msgs); ` +
        `counters ${diffs.length === 0 ? 'EXACT' : `DIFFER (${diffs.length}: ${diffs.slice(0, 3).join('; ')})`}; kills at applied ${kills.join(',')}; generate ${(tGen / 1000).toFixed(0)} s, drained at ${(tDrained / 1000).toFixed(0)} s, total ${((Date.now() - t0) / 1000).toFixed(0)} s (last life log lines ${stale})`,
    );
    expect(diffs).toEqual([]);
  }, 840_000);
});
