import { afterAll, describe, expect, it } from 'vitest';
import { KIND_TOPIC, messageKey, type SourceEvent } from '@cs/contracts';
import { manualClock } from '@cs/runtime';
import { EVENT_FIXTURES, NOW } from '@cs/contracts/testing';
import { codecs, diffAgainstTruth, drained, groundTruth, inProcess, withAggregator, produce, readDeadLetters, sandbox, type Sandbox } from './support.ts';

describe('aggregator: every event kind from topic to Redis', () => {
  let sb: Sandbox;
  afterAll(async () => sb?.close());

  it('counts each kind once, dead-letters bad bytes, and keeps the SLA measures', async () => {
    sb = await sandbox(2);
    const events = Object.values(EVENT_FIXTURES) as SourceEvent[];
    const good = events.map((e) => ({ topic: KIND_TOPIC[e.kind], key: messageKey(e), value: codecs.encode(KIND_TOPIC[e.kind], e) }));
    const bad = [
      { topic: 'callcenter' as const, key: 'x', value: Buffer.from('not avro at all') },
      { topic: 'billing' as const, key: 'x', value: Buffer.from([0, 0, 0, 0x7f, 0x7f, 1, 2]) },
    ];
    // The same events again (an upstream retry): must count once.
    await produce(sb, [...good, ...bad, ...good]);
    // The fixtures are one October day's events: the aggregator's clock stands at their "now".
    await withAggregator(sb, async (agg) => {
      await drained(sb);
      expect(await diffAgainstTruth(sb, groundTruth(events))).toEqual([]);
      const dl = await readDeadLetters(sb, 2);
      expect(dl.map((d) => d.errorClass).sort()).toEqual(['DECODE', 'DECODE']);
      expect(dl.map((d) => d.value?.toString('latin1')).sort()).toEqual(bad.map((b) => b.value.toString('latin1')).sort());
      const sla = await sb.store.periodSla('DAY:2026-10-05');
      expect(sla['answered|95598-general']).toBe(1);
      expect(sla['answered_within|95598-general']).toBe(1);
      expect(sla['abandoned|95598-general']).toBe(1);
      const metrics = await agg.metrics.registry.metrics();
      expect(metrics).toMatch(/cs_aggregator_duplicate_events_total\{topic="[^"]+"\} \d+/);
      expect(metrics).toMatch(/cs_calls_abandoned_total\{queue="95598-general"\} 1/);
    }, manualClock(NOW));
  });

  it('dead-letters messages near the broker limit without stalling the partition', async () => {
    const big = await sandbox(1);
    try {
      const huge = [1, 2, 3].map((i) => Buffer.alloc(700 * 1024, i)); // 3 x 700 KB: one request would exceed 1 MiB
      const event = EVENT_FIXTURES.CallAnswered;
      // One produce request each: together they would exceed the broker's limit on the way in too.
      for (const value of huge) await produce(big, [{ topic: 'callcenter', key: 'S001', value }]);
      await produce(big, [{ topic: 'callcenter', key: 'S001', value: codecs.encode('callcenter', event) }]);
      const agg = inProcess(big, manualClock(NOW));
      await agg.start();
      try {
        await drained(big);
      } finally {
        await agg.stop();
      }
      expect(await diffAgainstTruth(big, groundTruth([event]))).toEqual([]);
      const dl = await readDeadLetters(big, 3);
      expect(dl.map((d) => d.value!.length)).toEqual([512 * 1024, 512 * 1024, 512 * 1024]);
    } finally {
      await big.close();
    }
  });
});
