// The aggregator's promise, proven against the real broker and Redis: counters equal the ground
// truth computed from the input, whatever happens in between (redelivery, crashes, rebalances).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '@cs/simulator';
import { kafkaFor, waitFor } from '../../../test/harness/index.ts';
import { appliedMessages, childProcess, diffAgainstTruth, drained, groundTruth, inProcess, withAggregator, mixedStream, produce, readDeadLetters, sandbox, type Sandbox, type Stream } from './support.ts';

describe('exactly-once effect on a large mixed stream', () => {
  let sb: Sandbox;
  let stream: Stream;
  beforeAll(async () => {
    sb = await sandbox(6);
    stream = mixedStream({ seed: 7, minEvents: 100_000 });
    await produce(sb, stream.messages);
  });
  afterAll(async () => sb?.close());

  it('counts ≥100,000 events with duplicates and poison messages exactly, dead-lettering each bad one', async () => {
    expect(stream.validEvents.length).toBeGreaterThanOrEqual(100_000);
    expect(stream.duplicates).toBeGreaterThan(0);
    await withAggregator(sb, () => drained(sb, 240_000));
    expect(await diffAgainstTruth(sb, groundTruth(stream.validEvents))).toEqual([]);
    const dl = await readDeadLetters(sb, stream.bad.length);
    expect(dl).toHaveLength(stream.bad.length);
    const byClass = (xs: { errorClass: string }[]) => xs.reduce<Record<string, number>>((a, x) => ((a[x.errorClass] = (a[x.errorClass] ?? 0) + 1), a), {});
    expect(byClass(dl)).toEqual(byClass(stream.bad.map((b) => ({ errorClass: b.expectedClass }))));
  });

  it('changes nothing when the group is reset to the beginning and everything is redelivered', async () => {
    const admin = kafkaFor().admin();
    await admin.connect();
    for (const topic of Object.values(sb.topics)) await admin.resetOffsets({ groupId: sb.env.CS_GROUP_ID!, topic, earliest: true }).catch(() => {});
    await admin.disconnect();
    await withAggregator(sb, async (agg) => {
      // Give it time to re-read from offset 0: every batch is refused or filtered as already applied.
      await drained(sb);
      await new Promise((r) => setTimeout(r, 4000));
      expect(await agg.metrics.registry.getSingleMetricAsString('cs_aggregator_events_total')).not.toMatch(/ [1-9]\d*$/m);
    });
    expect(await diffAgainstTruth(sb, groundTruth(stream.validEvents))).toEqual([]);
  });
});

describe('crashes and rebalances', () => {
  const sbs: Sandbox[] = [];
  afterAll(async () => Promise.all(sbs.map((s) => s.close())));

  it('SIGKILL at random moments while consuming: after restarts the counters equal the ground truth', async () => {
    const sb = await sandbox(6);
    sbs.push(sb);
    const stream = mixedStream({ seed: 11, minEvents: 100_000 });
    await produce(sb, stream.messages);
    const rng = new Rng(11);
    const rand = () => rng.next();
    // Each life is killed at a random point of what is left, so every SIGKILL lands mid-stream.
    const total = stream.messages.length;
    const kills: string[] = [];
    // Small batches (~500 messages) so that a life cannot finish the stream between two polls.
    const smallBatches = { CS_AGGREGATOR_FETCH_BYTES: '65536' };
    for (let i = 0; i < 5; i++) {
      const before = await appliedMessages(sb);
      const target = before + 1 + Math.floor((total - before) * (0.05 + rand() * 0.3));
      const child = childProcess(sb, smallBatches);
      await waitFor(async () => (await appliedMessages(sb)) >= target, 120_000, 'progress before the kill');
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      const applied = await appliedMessages(sb);
      kills.push(`${applied}/${total}`);
      if (applied >= total) break; // a fast life finished the stream: the kills so far still count
    }
    // Most lives must have died with work left, or the test proves nothing.
    expect(kills.filter((k) => Number(k.split('/')[0]) < total).length).toBeGreaterThanOrEqual(3);
    const last = childProcess(sb);
    try {
      await drained(sb, 240_000);
    } finally {
      last.kill('SIGTERM');
      await new Promise((r) => last.once('exit', r));
    }
    console.log(`[crash test] SIGKILL after ${kills.join(', ')}; ${stream.validEvents.length} events`);
    expect(await diffAgainstTruth(sb, groundTruth(stream.validEvents))).toEqual([]);
  }, 400_000);

  it('a second instance joining and leaving mid-stream leaves the counters exact', async () => {
    const sb = await sandbox(6);
    sbs.push(sb);
    const stream = mixedStream({ seed: 13, minEvents: 60_000 });
    await produce(sb, stream.messages);
    const first = inProcess(sb);
    const second = inProcess(sb);
    await first.start();
    try {
      await new Promise((r) => setTimeout(r, 1500));
      await second.start(); // rebalance: partitions move mid-batch
      await new Promise((r) => setTimeout(r, 3000));
      await second.stop(); // and back
      await drained(sb, 240_000);
    } finally {
      await first.stop();
    }
    expect(await diffAgainstTruth(sb, groundTruth(stream.validEvents))).toEqual([]);
  });
});
