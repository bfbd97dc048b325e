import { describe, expect, it } from 'vitest';
import { createTopics, kafkaFor, uniqueName, waitFor } from '../harness/index.ts';

describe('kafkajs against the real local broker', () => {
  it('produces and consumes through a consumer group, across partitions', async () => {
    const [topic] = await createTopics(['roundtrip'], 3);
    const kafka = kafkaFor();
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    const sent = Array.from({ length: 300 }, (_, i) => ({ key: `S${i % 17}`, value: `m${i}` }));
    await producer.send({ topic: topic!, messages: sent });
    await producer.disconnect();

    const consumer = kafka.consumer({ groupId: uniqueName('g') });
    const seen: string[] = [];
    const partitions = new Set<number>();
    await consumer.connect();
    await consumer.subscribe({ topic: topic!, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message, partition }) => {
        seen.push(message.value!.toString());
        partitions.add(partition);
      },
    });
    await waitFor(async () => seen.length >= sent.length, 60_000, 'all messages');
    await consumer.disconnect();
    expect(seen.sort()).toEqual(sent.map((m) => m.value).sort());
    expect(partitions.size).toBe(3);
  });
});
