// The Publisher against the shared broker: records sent from its own thread arrive once, in order
// per partition, with their bytes; a broker it cannot reach is a PublishError, not a hang.
import { afterAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { Partitioners, logLevel } from 'kafkajs';
import type { OutMessage } from '../src/outbox-format.ts';
import { Publisher, PublishError } from '../src/publisher.ts';
import type { OutputTopics } from '../src/produce-requests.ts';
import { createTopics, kafkaFor, testStack, uniqueName, waitFor } from '../../../test/harness/index.ts';

const log = pino({ level: 'silent' });
const murmur = Partitioners.DefaultPartitioner();
const publishers: Publisher[] = [];
afterAll(() => Promise.all(publishers.map((p) => p.disconnect())));

function publisherFor(brokers: string, topics: OutputTopics, threads: number, retries = 5): Publisher {
  const p = new Publisher({ kafka: { clientId: uniqueName('publisher'), brokers: [brokers], logLevel: logLevel.WARN, retry: { retries, initialRetryTime: 100 } }, topics, threads }, log);
  publishers.push(p);
  return p;
}

describe('Publisher', () => {
  it.each([1, 2, 3])('%i thread(s): every record once with its key and bytes, in order per key, over several sends', async (threads) => {
    const [appraisal, eligibility, teamScorecard] = await createTopics([uniqueName('pub-a'), uniqueName('pub-e'), uniqueName('pub-t')]);
    const publisher = publisherFor(testStack().brokers, { appraisal: appraisal!, eligibility: eligibility!, teamScorecard: teamScorecard! }, threads);
    await publisher.connect();
    const sent: OutMessage[] = [];
    for (let round = 0; round < 3; round++) {
      const batch: OutMessage[] = [];
      for (let i = 0; i < 700; i++) {
        const k = `S${String(i % 50).padStart(3, '0')}-é`; // keys repeat: their order matters
        batch.push({ t: 'a', k, v: Buffer.from(`card ${round} ${i} `.padEnd(1500, 'x')) }, { t: 'e', k, v: Buffer.from(`elig ${round} ${i}`) });
      }
      await publisher.send(batch);
      sent.push(...batch);
    }
    const got: { topic: string; partition: number; key: string; value: string }[] = [];
    const consumer = kafkaFor().consumer({ groupId: uniqueName('pub-read'), maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topics: [appraisal!, eligibility!], fromBeginning: true });
    await consumer.run({ eachMessage: async ({ topic, partition, message }) => void got.push({ topic, partition, key: message.key!.toString(), value: message.value!.toString() }) });
    await waitFor(async () => got.length >= sent.length, 60_000, 'every record consumed');
    await consumer.disconnect();
    expect(got).toHaveLength(sent.length);
    for (const [t, topic] of [['a', appraisal!], ['e', eligibility!]] as const) {
      // Per key (one partition each), the records arrive in the order they were sent.
      const byKey = (rows: { key: string; value: string }[]) => {
        const m = new Map<string, string[]>();
        for (const r of rows) m.set(r.key, [...(m.get(r.key) ?? []), r.value]);
        return m;
      };
      // Each key in the partition kafkajs's default (murmur2) partitioner picks, whatever thread sent it.
      const meta = [0, 1, 2].map((partitionId) => ({ partitionId, leader: 0, partitionErrorCode: 0, replicas: [0], isr: [0] }));
      for (const g of got.filter((x) => x.topic === topic)) expect(g.partition).toBe(murmur({ topic, partitionMetadata: meta, message: { key: g.key, value: null } }));
      expect(byKey(got.filter((g) => g.topic === topic))).toEqual(byKey(sent.filter((m) => m.t === t).map((m) => ({ key: m.k, value: m.v.toString() }))));
    }
  });

  it('a broker it cannot reach: connect fails with a PublishError naming the kafkajs error', async () => {
    const publisher = publisherFor('127.0.0.1:1', { appraisal: 'a', eligibility: 'e', teamScorecard: 't' }, 2, 1);
    const err = await publisher.connect().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(PublishError);
    expect((err as PublishError).code).toBe('CS_PUBLISH_FAILED');
    expect((err as PublishError).message).toMatch(/connecting the producer: KafkaJSNumberOfRetriesExceeded: .*ECONNREFUSED/);
    expect((err as PublishError).kafkaError).toBe('KafkaJSNumberOfRetriesExceeded');
    // The sending thread is gone; a later send starts a new one (and fails the same way here).
    await expect(publisher.send([{ t: 'a', k: 'S1', v: Buffer.from('x') }])).rejects.toThrow(/ECONNREFUSED/);
  });
});
