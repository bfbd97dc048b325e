// The codec in registry mode (SCHEMA_REGISTRY_URL set): it frames with the ids the registry
// returned and reads only ids the registry named. The HTTP side runs against a real registry in
// test/integration/registry-codecs.int.test.ts; here ids are adopted directly.
import { describe, expect, it } from 'vitest';
import { SchemaRegistryClient, TOPIC_KEYS, createCodecs, frameHeader, type TopicKey } from '../src/index.ts';
import { parseSchema } from '../src/avro.ts';
import { CORRECTION, DEAD_LETTER, ELIGIBILITY, EVENT_FIXTURES, TEAM_SCORECARD, SCORECARD, SCORECARD_V1, STAFF_PROFILE } from './fixtures.ts';

const catalogueCodecs = createCodecs();
const registryCodecs = () => createCodecs({ registry: new SchemaRegistryClient('http://127.0.0.1:9/apis/ccompat/v7') });
const RECORD_FIXTURES: Partial<Record<TopicKey, object>> = { roster: STAFF_PROFILE, appraisal: SCORECARD, eligibility: ELIGIBILITY, dlq: DEAD_LETTER, corrections: CORRECTION, teamScorecard: TEAM_SCORECARD };
const sample = (topic: TopicKey): object => RECORD_FIXTURES[topic] ?? (EVENT_FIXTURES as Record<string, object>)[catalogueCodecs.kinds(topic)[0]!]!;

describe('codec with registry ids', () => {
  it('refuses to encode before the schema is registered', () => {
    expect(() => registryCodecs().encode('eligibility', ELIGIBILITY)).toThrow(/not registered/);
  });

  it.each(TOPIC_KEYS)('%s frames with the adopted id and round-trips', (topic) => {
    const codecs = registryCodecs();
    const id = 7000 + TOPIC_KEYS.indexOf(topic);
    codecs.adopt(topic, id, codecs.catalogue.subjects[topic].currentSchema, { write: true });
    const bytes = codecs.encode(topic, sample(topic));
    expect(bytes.subarray(0, 5)).toEqual(frameHeader(id));
    // Same Avro body as the catalogue codec writes: only the id in the header differs.
    expect(bytes.subarray(5)).toEqual(catalogueCodecs.encode(topic, sample(topic)).subarray(5));
    expect(codecs.decode(topic, bytes)).toEqual({ ok: true, event: sample(topic), schemaId: id });
  });

  it('does not read a catalogue id as a registry id (both count from 1)', () => {
    const codecs = registryCodecs();
    const r = codecs.decode('eligibility', catalogueCodecs.encode('eligibility', ELIGIBILITY));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('CS_DECODE_UNKNOWN_SCHEMA_ID');
  });

  it('reads an older catalogue version adopted under a registry id like the catalogue does (upgrades included)', () => {
    const v1 = catalogueCodecs.catalogue.subjects.appraisal.versions[0]!;
    const body = parseSchema(v1.schema as never).toBuffer(SCORECARD_V1);
    const codecs = registryCodecs();
    codecs.adopt('appraisal', 9001, v1.schema);
    const viaRegistry = codecs.decode('appraisal', Buffer.concat([frameHeader(9001), body]));
    const viaCatalogue = catalogueCodecs.decode('appraisal', Buffer.concat([frameHeader(v1.id), body]));
    expect(viaCatalogue.ok).toBe(true);
    expect(viaRegistry).toEqual({ ...viaCatalogue, schemaId: 9001 });
  });

  it('refuses to write with an id whose schema is not the current one', () => {
    const codecs = registryCodecs();
    expect(() => codecs.adopt('appraisal', 5, codecs.catalogue.subjects.appraisal.versions[0]!.schema, { write: true })).toThrow(/not the current schema/);
  });

  it('resolveIds is a no-op for the catalogue codec', async () => {
    await expect(catalogueCodecs.resolveIds('eligibility', [catalogueCodecs.encode('eligibility', ELIGIBILITY)])).resolves.toBeUndefined();
  });
});
