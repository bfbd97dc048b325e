// Kafka outage: the (private, single) broker is SIGKILLed mid-stream, stays down for 30 s and is
// restarted on the same dir and ports, while upstream producers, the aggregator and the scorer
// (both child processes) keep running. Producers retry, the consumers recover: counters equal the
// truth and the scorer's output has one FINAL per staff-period, none missing.
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { testStack } from '../harness/index.ts';
import { TEST_CLOCK } from '../harness/clock.ts';
import {
  appliedMessages,
  checkFinals,
  closedPeriodsWithData,
  periodIdOfCard,
  drained,
  faultSandbox,
  privateKafka,
  produceAll,
  readCards,
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

const OUTAGE_MS = 30_000;

describe('Kafka broker outage', () => {
  it.each([
    ['SIGTERM', 'stopped (controlled shutdown)'],
    ['SIGKILL', 'SIGKILLed (unclean shutdown)'],
  ] as const)('broker %s, down 30 s mid-stream and back: producers and consumers recover, counters exact, one FINAL per staff-period', async (signal, how) => {
    const t0 = Date.now();
    const tmp = tempDir('kafka');
    cleanups.push(tmp.remove);
    const broker = await privateKafka(tmp.dir);
    cleanups.push(() => void broker.stop('SIGKILL'));
    const sb = await faultSandbox({ brokers: broker.brokers, redisUrl: testStack().redisUrl });
    cleanups.push(sb.close);

    const month = TEST_CLOCK.lastMonth();
    const data = simulate({ seed: 31, startMs: month.startMs, endMs: month.endMs, roster: true, intensity: 0.5 });
    const total = data.messages.length;

    const agg = spawnService('aggregator', sb.env);
    cleanups.push(() => agg.kill());
    // The roster first, and the scorer only once it is in Redis: a scorer that finalizes a past
    // period before the roster is loaded leaves the late-loaded members without a FINAL (reported
    // separately, see the summary) — this test is about the broker outage.
    const rosterMsgs = data.messages.filter((x) => x.topic === 'roster');
    await produceAll(sb, rosterMsgs);
    await waitFor(async () => (await sb.store.roster()).size >= data.roster.size, 60_000, 'the roster in Redis');
    const scorer = spawnService('scorer', { ...sb.env, CS_SCORER_ID: 'scorer-kafka-fault' });
    cleanups.push(() => scorer.kill());

    let sent = 0;
    const produceLog: string[] = [];
    const producing = produceAll(sb, data.messages.filter((x) => x.topic !== 'roster'), { chunk: 1000, paceMs: 100, onProgress: (n) => (sent = n), log: produceLog });
    await waitFor(async () => sent >= total * 0.4, 240_000, '40% produced');
    const appliedAtStop = await appliedMessages(sb);
    const cardsBefore = (await readCards(sb)).length;
    await broker.stop(signal);
    const stoppedAt = Date.now();
    await sleep(OUTAGE_MS);
    await broker.start();
    const downFor = Date.now() - stoppedAt;

    await producing;
    await drained(sb, 300_000).catch((err: Error) => {
      summary(`kafka outage: NOT DRAINED (${err.message}); logs ${agg.logFile} ${scorer.logFile}`);
      throw err;
    });
    const diffs = await data.truth.diff(sb.store);

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
      120_000,
      'a FINAL for every active staff member and closed period',
    ).catch(() => {});
    await sleep(3000);
    const cards = await readCards(sb);
    check = checkFinals(cards, active, closed);
    const alive = agg.child.exitCode === null && scorer.child.exitCode === null;
    const crashes = [...agg.lines(), ...scorer.lines()].filter((l) => /consumer crashed/.test(l)).length;
    const brokerLog = readFileSync(broker.logFile, 'utf8');
    const truncations = brokerLog.split('\n').filter((l) => /[Tt]runcat/.test(l) && /appraisal|callcenter|billing|workforce|outage|roster|eligibility/.test(l));
    const missingPeriods = [...new Set(check.missing.map((k) => k.split('|')[0]))];
    const anyCard = new Set(cards.map((c) => `${periodIdOfCard(c.value)}|${c.value.staffId}`));
    const missingButRevised = check.missing.filter((k) => anyCard.has(k)).length;
    summary(
      `kafka broker ${how}, down ${(downFor / 1000).toFixed(0)} s, restart (same dir/ports) at ${Math.round((100 * appliedAtStop) / total)}% applied (${cardsBefore} cards out); ${data.truth.events} events (+${data.truth.duplicates} dup, ${total} msgs, ${produceLog.length} chunk re-sends); ` +
        `aggregator+scorer survived=${alive}, consumer crash logs=${crashes}; counters ${diffs.length === 0 ? 'EXACT' : `DIFFER (${diffs.length})`}; ` +
        `FINAL ${check.finals} msgs for ${check.byKey.size} staff-periods (${closed.length} closed periods × ${active.length} active), byte-identical re-sends ${check.resent}, conflicting ${check.conflicting.length}, missing ${check.missing.length}${missingPeriods.length ? ` in ${missingPeriods.length} periods (${missingPeriods.slice(0, 4).join(', ')}), ${missingButRevised} of them have a later REVISED/PROVISIONAL card` : ''}; ${cards.length} cards total; broker log truncation lines ${truncations.length}${truncations.length ? ` (${truncations[0]!.slice(0, 200)})` : ''}; ${diffs.slice(0, 2).join('; ')} ${((Date.now() - t0) / 1000).toFixed(0)} s`,
    );
    expect(diffs).toEqual([]);
    expect(check.conflicting).toEqual([]);
    expect(check.missing).toEqual([]);
    expect(alive).toBe(true);
  });
});
