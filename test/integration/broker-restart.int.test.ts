import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import { KafkaBroker, freePort } from '@cs/stack';
import { uniqueName, waitFor } from '../harness/index.ts';

// A private broker: stopping the shared one would break the tests running beside this one.
describe('broker restart', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cs-restart-'));
  let broker: KafkaBroker;
  afterAll(async () => {
    await broker?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a consumer group reconnects after the broker stops and starts again, and consumes on', async () => {
    broker = new KafkaBroker({ dir, port: await freePort(), controllerPort: await freePort(), heapMb: 384 });
    await broker.start();
    const kafka = new Kafka({ brokers: [broker.brokers], clientId: 'restart', logLevel: logLevel.NOTHING, retry: { retries: 30, initialRetryTime: 300, maxRetryTime: 3000 } });
    const admin = kafka.admin();
    await admin.connect();
    const topic = uniqueName('restart');
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    await admin.disconnect();

    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    await producer.send({ topic, messages: Array.from({ length: 50 }, (_, i) => ({ value: `before-${i}` })) });

    const seen = new Set<string>();
    const consumer = kafka.consumer({ groupId: uniqueName('g'), retry: { retries: 30 } });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void seen.add(message.value!.toString()) });
    await waitFor(async () => seen.size >= 50, 60_000, 'messages before restart');

    await broker.stop();
    expect(broker.pid()).toBeNull();
    await broker.start();

    // The same producer and consumer objects carry on: no new clients.
    await producer.send({ topic, messages: Array.from({ length: 50 }, (_, i) => ({ value: `after-${i}` })) });
    await waitFor(async () => seen.size >= 100, 90_000, 'messages after restart');
    await consumer.disconnect();
    await producer.disconnect();
    expect([...seen].filter((v) => v.startsWith('after-'))).toHaveLength(50);
  });
});
