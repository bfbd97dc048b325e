// The codecs with a real schema registry (SCHEMA_REGISTRY_URL) over a real Kafka topic:
// registration under <topic>-value with BACKWARD, ids resolved and cached by consumers, and a
// consumer with its ids cached that keeps decoding fresh records while the registry is down.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codecsFor, createCodecs, frameHeader, RegistryError, SchemaRegistryClient, valueSubject, type Codecs } from '@cs/contracts';
import { ELIGIBILITY } from '@cs/contracts/testing';
import { freePort } from '@cs/stack';
import { createTopics, kafkaFor, uniqueName } from '../harness/index.ts';
import { startTestRegistry, type TestRegistry } from '../harness/registry.ts';

let registry: TestRegistry;
beforeAll(async () => {
  registry = await startTestRegistry();
}, 600_000);
afterAll(() => registry?.stop());

/** Produces eligibility records `ids` framed by `codecs`, then reads the topic's `total` records from the start, decoded by `reader`. */
async function roundTrip(topic: string, codecs: Codecs, reader: Codecs, ids: string[], total: number): Promise<{ ok: boolean; id?: string; schemaId?: number; code?: string }[]> {
  const kafka = kafkaFor();
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic, messages: ids.map((eligibilityId) => ({ key: eligibilityId, value: codecs.encode('eligibility', { ...ELIGIBILITY, eligibilityId }) })) });
  await producer.disconnect();
  const consumer = kafka.consumer({ groupId: uniqueName('reg-codec') });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const out: { ok: boolean; id?: string; schemaId?: number; code?: string }[] = [];
  await new Promise<void>((resolve, reject) => {
    consumer
      .run({
        eachBatch: async ({ batch }) => {
          const values = batch.messages.map((m) => m.value);
          await reader.resolveIds('eligibility', values);
          for (const v of values) {
            const r = reader.decode('eligibility', v!);
            out.push(r.ok ? { ok: true, id: r.event.eligibilityId, schemaId: r.schemaId } : { ok: false, code: r.error.code });
          }
          if (out.length >= total) resolve();
        },
      })
      .catch(reject);
  });
  await consumer.disconnect();
  return out;
}

describe('codecs with a schema registry', () => {
  it('services registering the same new subject at once all start: the losers of the race to create its rule are not refused', async () => {
    // CI saw a scorer exit SCHEMA_REGISTRY_REJECTED (409 "A rule named 'COMPATIBILITY' already
    // exists") when it registered beside another process.
    for (let round = 0; round < 3; round++) {
      const subject = valueSubject(uniqueName('race'));
      const clients = Array.from({ length: 6 }, () => new SchemaRegistryClient(registry.url));
      await Promise.all(clients.map((c) => c.setCompatibility(subject, 'BACKWARD')));
      expect(await clients[0]!.compatibility(subject)).toBe('BACKWARD');
    }
  });

  it('registers each topic under <topic>-value with BACKWARD and frames with the registry id', async () => {
    const topic = uniqueName('cs.incentive-eligibility.v1');
    const codecs = await codecsFor(registry.url, { keys: ['eligibility', 'dlq'], names: { eligibility: topic } });
    const client = new SchemaRegistryClient(registry.url);
    const subjects = (await (await fetch(`${registry.url}/subjects`)).json()) as string[];
    expect(subjects).toContain(valueSubject(topic));
    expect(await client.compatibility(valueSubject(topic))).toBe('BACKWARD');
    const id = codecs.schemaId('eligibility');
    expect(codecs.encode('eligibility', ELIGIBILITY).subarray(0, 5)).toEqual(frameHeader(id));
    expect(await client.schemaById(id)).toEqual(codecs.catalogue.subjects.eligibility.currentSchema);
    // The same schema again (another service, a restart) gets the same id.
    expect((await codecsFor(registry.url, { keys: ['eligibility'], names: { eligibility: topic } })).schemaId('eligibility')).toBe(id);
  });

  it('enforces BACKWARD: a schema adding a field without a default (old records unreadable) is refused', async () => {
    const topic = uniqueName('cs.incentive-eligibility.v1');
    await codecsFor(registry.url, { keys: ['eligibility'], names: { eligibility: topic } });
    const current = createCodecs().catalogue.subjects.eligibility.currentSchema as { fields: { name: string }[] };
    const broken = { ...current, fields: [...current.fields, { name: 'mandatoryNew', type: 'string' }] };
    const err = await new SchemaRegistryClient(registry.url).register(valueSubject(topic), broken).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RegistryError);
    expect((err as RegistryError).code).toBe('SCHEMA_REGISTRY_REJECTED');
  });

  it('an id the registry does not have is a decode error (dead-lettered), not a retry', async () => {
    const codecs = await codecsFor(registry.url, { keys: ['eligibility'], names: { eligibility: uniqueName('cs.incentive-eligibility.v1') } });
    const framedGarbage = Buffer.concat([frameHeader(0x7ffffff0), Buffer.from('not avro')]);
    await codecs.resolveIds('eligibility', [framedGarbage]);
    const r = codecs.decode('eligibility', framedGarbage);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('CS_DECODE_UNKNOWN_SCHEMA_ID');
  });

  it('a registry that is down at start-up is a clear, retriable error naming SCHEMA_REGISTRY_URL', async () => {
    const url = `http://127.0.0.1:${await freePort()}/apis/ccompat/v7`;
    const err = await codecsFor(url, { keys: ['eligibility'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RegistryError);
    expect((err as RegistryError).code).toBe('SCHEMA_REGISTRY_UNAVAILABLE');
    expect((err as RegistryError).retriable).toBe(true);
    expect((err as Error).message).toContain(`SCHEMA_REGISTRY_URL=${url}`);
  });

  it('a consumer resolves ids it never registered, caches them, and keeps decoding across a registry restart', async () => {
    const [topic] = await createTopics(['cs.incentive-eligibility.v1'], 1);
    const own = await startTestRegistry();
    try {
      const producer = await codecsFor(own.url, { keys: ['eligibility'], names: { eligibility: topic! } });
      // The consumer registers nothing: it learns the producer's id from GET /schemas/ids/{id}.
      const consumer = createCodecs({ registry: new SchemaRegistryClient(own.url) });
      const first = await roundTrip(topic!, producer, consumer, ['E-1', 'E-2'], 2);
      expect(first).toEqual([
        { ok: true, id: 'E-1', schemaId: producer.schemaId('eligibility') },
        { ok: true, id: 'E-2', schemaId: producer.schemaId('eligibility') },
      ]);

      await own.stop();
      // Registry gone: fresh records still encode and decode from the cached ids.
      const during = await roundTrip(topic!, producer, consumer, ['E-3'], 3);
      expect(during.map((r) => r.id)).toEqual(['E-1', 'E-2', 'E-3']);
      expect(during.every((r) => r.ok)).toBe(true);
      // A consumer that never learned the id cannot decode then: it waits (retriable), it does not dead-letter.
      const cold = createCodecs({ registry: new SchemaRegistryClient(own.url) });
      await expect(cold.resolveIds('eligibility', [producer.encode('eligibility', ELIGIBILITY)])).rejects.toMatchObject({ code: 'SCHEMA_REGISTRY_UNAVAILABLE', retriable: true });

      // A new registry on the same port: the services re-register at start-up and go on.
      const again = await startTestRegistry({ port: own.port });
      try {
        const restarted = await codecsFor(again.url, { keys: ['eligibility'], names: { eligibility: topic! } });
        const after = await roundTrip(topic!, restarted, consumer, ['E-4'], 4);
        expect(after.map((r) => r.id)).toEqual(['E-1', 'E-2', 'E-3', 'E-4']);
        expect(after.every((r) => r.ok)).toBe(true);
      } finally {
        await again.stop();
      }
    } finally {
      await own.stop();
    }
  });
});
