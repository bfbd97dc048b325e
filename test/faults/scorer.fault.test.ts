// Scorer SIGKILL during publication: the counters of a closed month are in Redis (applied by the
// aggregator from a simulated month); the scorer (a child process, stable CS_SCORER_ID) is killed
// at several moments while it publishes FINALs, chosen by how many records reached the appraisal
// topic, and restarted. The output holds one FINAL per staff-period — re-sends of an interrupted
// outbox are allowed only byte-identical — and no gap: every active staff member has a FINAL for
// every closed period with data; the same for the month's eligibility records.
import { afterAll, describe, expect, it } from 'vitest';
import { createCodecs, type Eligibility } from '@cs/contracts';
import { testStack } from '../harness/index.ts';
import { TEST_CLOCK } from '../harness/clock.ts';
import {
  checkFinals,
  closedPeriodsWithData,
  drained,
  faultSandbox,
  kafkaAt,
  produceAll,
  readAll,
  readCards,
  simulate,
  sleep,
  spawnService,
  summary,
  waitFor,
  type Service,
} from './support.ts';

const codecs = createCodecs();
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.splice(0).reverse()) await Promise.resolve(c()).catch(() => {});
});

const KILLS = 6;

describe('scorer SIGKILL during publication', () => {
  it(`killed ${KILLS}× mid-publication: exactly one FINAL content per staff-period, none missing`, async () => {
    const t0 = Date.now();
    const sb = await faultSandbox({ brokers: testStack().brokers, redisUrl: testStack().redisUrl });
    cleanups.push(sb.close);
    const month = TEST_CLOCK.lastMonth();
    const data = simulate({ seed: 41, startMs: month.startMs, endMs: month.endMs, roster: true, intensity: 0.5 });
    await produceAll(sb, data.messages);
    const agg = spawnService('aggregator', sb.env);
    cleanups.push(() => agg.kill());
    await drained(sb, 300_000);
    await waitFor(async () => (await sb.store.roster()).size >= data.roster.size, 60_000, 'the roster in Redis');
    await agg.kill('SIGTERM');

    const active = [...data.roster.values()].filter((p) => p.active).map((p) => p.staffId);
    const closed = closedPeriodsWithData(data.truth);
    expect(active.length).toBeGreaterThan(0);
    expect(closed.some((p) => p.startsWith('MONTH:'))).toBe(true);
    const expectedFinals = active.length * closed.length;

    // Watch the appraisal topic's size; kill when it passes each threshold (spread over the run).
    const admin = kafkaAt(sb.brokers).admin();
    await admin.connect();
    cleanups.push(() => admin.disconnect());
    const published = async () => (await admin.fetchTopicOffsets(sb.topics.appraisal)).reduce((a, o) => a + Number(o.high), 0);
    const env = { ...sb.env, CS_SCORER_ID: 'scorer-fault' };
    const kills: string[] = [];
    let scorer: Service = spawnService('scorer', env);
    cleanups.push(() => scorer.kill());
    for (let i = 0; i < KILLS; i++) {
      const target = Math.floor(expectedFinals * ((i + 0.2 + 0.6 * Math.random()) / (KILLS + 1)));
      await waitFor(async () => (await published()) >= target, 240_000, `${target} records published before kill ${i + 1}`);
      await sleep(Math.floor(Math.random() * 250)); // land anywhere: outbox write, send, commit, scoring
      await scorer.kill('SIGKILL');
      kills.push(`${await published()}`);
      scorer = spawnService('scorer', env);
    }
    let check = checkFinals([], active, closed);
    await waitFor(
      async () => {
        check = checkFinals(await readCards(sb), active, closed);
        return check.missing.length === 0;
      },
      300_000,
      'a FINAL for every active staff member and closed period',
    ).catch((err: Error) => {
      summary(`scorer SIGKILL: FINALs missing ${check.missing.length}; scorer log ${scorer.logFile}`);
      throw err;
    });
    await sleep(4000); // a few more ticks: nothing more may come
    const cards = await readCards(sb);
    check = checkFinals(cards, active, closed);
    await scorer.kill('SIGTERM');

    // Eligibility: one record content per staff member for the month.
    const elig = (await readAll(sb.brokers, sb.topics.eligibility)).map((bytes) => ({ bytes, value: codecs.decode('eligibility', bytes) }));
    const eligBy = new Map<string, Buffer>();
    let eligConflicts = 0;
    let eligResent = 0;
    for (const e of elig) {
      if (!e.value.ok) throw e.value.error;
      const v = e.value.event as Eligibility;
      const k = `${v.period.start}|${v.staffId}`;
      const first = eligBy.get(k);
      if (!first) eligBy.set(k, e.bytes);
      else {
        eligResent++;
        if (!first.equals(e.bytes)) eligConflicts++;
      }
    }
    const others = cards.filter((c) => c.value.status !== 'FINAL').length;
    summary(
      `scorer SIGKILL ×${KILLS} during FINAL publication (kills at ${kills.join(', ')} of ~${expectedFinals} records) + restart (same CS_SCORER_ID); ${data.truth.events} events, ${closed.length} closed periods × ${active.length} active staff; ` +
        `FINAL ${check.finals} msgs for ${check.byKey.size} staff-periods: byte-identical re-sends ${check.resent}, conflicting ${check.conflicting.length}, missing ${check.missing.length}; non-FINAL ${others}; ` +
        `eligibility ${elig.length} msgs for ${eligBy.size} staff (re-sends ${eligResent}, conflicting ${eligConflicts}); ${((Date.now() - t0) / 1000).toFixed(0)} s`,
    );
    expect(check.conflicting).toEqual([]);
    expect(check.missing).toEqual([]);
    expect(check.byKey.size).toBe(expectedFinals);
    expect(eligConflicts).toBe(0);
    expect(eligBy.size).toBe(active.length);
  });
});
