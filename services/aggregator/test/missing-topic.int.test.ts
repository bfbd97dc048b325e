// A source topic that does not exist (a misspelt CS_TOPIC_*, a topic not created yet): the
// aggregator names it with its setting, counts it in a gauge, stays not ready, and starts counting
// once it is created.
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from '@cs/appraisal';
import { loadConfig } from '@cs/runtime';
import { Aggregator } from '../src/service.ts';
import { TEST_CLOCK } from '../../../test/harness/clock.ts';
import { kafkaFor, uniqueName, waitFor } from '../../../test/harness/index.ts';
import { drained, mixedStream, produce, sandbox, type Sandbox } from './support.ts';

describe('a source topic that does not exist', () => {
  let sb: Sandbox;
  let agg: Aggregator | undefined;
  afterAll(async () => {
    await agg?.stop();
    await sb?.close();
  });

  it('is named with its setting while the aggregator waits, not ready; once created, its events are counted', async () => {
    sb = await sandbox(1);
    const billing = uniqueName('bill-late');
    sb.env.CS_TOPIC_BILLING = billing;
    sb.topics.billing = billing;
    const lines: { level: number; msg: string; missing?: { topic: string; setting: string }[] }[] = [];
    const log = pino({ level: 'info' }, new Writable({ write: (chunk, _enc, done) => (lines.push(JSON.parse(String(chunk))), done()) }));
    agg = new Aggregator({ config: loadConfig(sb.env), rules: DEFAULT_RULES, log, clock: TEST_CLOCK.clock });
    const started = agg.start();

    const said = await waitFor(async () => lines.find((l) => l.missing), 30_000, 'the missing topic named in the log');
    expect(said.level).toBe(50); // error
    expect(said.missing).toEqual([{ topic: billing, setting: 'CS_TOPIC_BILLING' }]);
    expect(said.msg).toContain(`${billing} (CS_TOPIC_BILLING)`);
    expect((await agg.metrics.missingTopics.get()).values[0]!.value).toBe(1);
    expect(agg.health.ready()).toBe(false);

    const admin = kafkaFor().admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: billing, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
    await admin.disconnect();
    await started;
    expect((await agg.metrics.missingTopics.get()).values[0]!.value).toBe(0);

    const stream = mixedStream({ seed: 7, minEvents: 400, malformedRate: 0, duplicateRate: 0 });
    const bills = stream.messages.filter((m) => m.topic === 'billing');
    expect(bills.length).toBeGreaterThan(0);
    await produce(sb, bills);
    await drained(sb, 60_000);
    await waitFor(async () => agg!.health.ready() || undefined, 30_000, 'the aggregator ready');
  });
});
