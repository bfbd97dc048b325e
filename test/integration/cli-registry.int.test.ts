// The read commands with SCHEMA_REGISTRY_URL: `scorecards` finds records framed with a registry id
// it has not registered itself (an older schema version) by asking the registry, and a registry that
// does not answer is exit 1 with its code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codecsFor, frameHeader, loadCatalogue, SchemaRegistryClient, valueSubject, type Scorecard } from '@cs/contracts';
import { SCORECARD, SCORECARD_V2 } from '@cs/contracts/testing';
import { freePort } from '@cs/stack';
import { parseSchema } from '../../packages/contracts/src/avro.ts';
import { createTopics, kafkaFor, testStack } from '../harness/index.ts';
import { runCli } from '../harness/cli.ts';
import { startTestRegistry, type TestRegistry } from '../harness/registry.ts';

let registry: TestRegistry;
beforeAll(async () => {
  registry = await startTestRegistry();
}, 600_000);
afterAll(() => registry?.stop());

describe('cs-appraisal scorecards with a schema registry', () => {
  it('decodes records of an older schema version through the registry, and current ones', async () => {
    const [topic] = await createTopics(['cs.appraisal.v1'], 1);
    // Appraisal v2 as the catalogue froze it.
    const v2 = loadCatalogue().subjects.appraisal.versions.find((v) => v.version === 2)!;
    // An earlier scorer published appraisal v2 under the subject; today's schema (v3) comes later.
    const oldId = await new SchemaRegistryClient(registry.url).register(valueSubject(topic!), v2.schema);
    const old = Buffer.concat([frameHeader(oldId), parseSchema(v2.schema as never).toBuffer({ ...SCORECARD_V2, appraisalId: 'ap-old' })]);
    const current = await codecsFor(registry.url, { keys: ['appraisal'], names: { appraisal: topic! } });
    const s002: Scorecard = { ...SCORECARD, appraisalId: 'ap-new', staffId: 'S002', teamRank: 1 };
    expect(current.schemaId('appraisal')).not.toBe(oldId);
    const producer = kafkaFor().producer();
    await producer.connect();
    await producer.send({ topic: topic!, messages: [{ key: 'S001|old', value: old }, { key: 'S002|new', value: current.encode('appraisal', s002) }] });
    await producer.disconnect();

    const env = { KAFKA_BROKERS: testStack().brokers, CS_TOPIC_APPRAISAL: topic!, SCHEMA_REGISTRY_URL: registry.url };
    const r = await runCli(['scorecards', '--period', `MONTH:${SCORECARD.period.start.slice(0, 7)}`, '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    const cards = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Scorecard);
    expect(cards.map((c) => c.appraisalId).sort()).toEqual(['ap-new', 'ap-old']);
    expect(r.stderr).not.toContain('undecodable');
  });

  it('exits 1 with SCHEMA_REGISTRY_UNAVAILABLE when the registry does not answer', async () => {
    const url = `http://127.0.0.1:${await freePort()}/apis/ccompat/v7`;
    const r = await runCli(['scorecards', '--period', 'MONTH:2026-10', '--json'], { KAFKA_BROKERS: testStack().brokers, SCHEMA_REGISTRY_URL: url });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`SCHEMA_REGISTRY_UNAVAILABLE: schema registry at SCHEMA_REGISTRY_URL=${url} is not reachable`);
  });
});

