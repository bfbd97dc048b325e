// Issue #18 item 2: the payroll example (Java, Apicurio's Avro deserializer, schemas from the
// registry) reads the eligibility and appraisal topics framed with the registry's ccompat ids and
// writes the month's pay file byte for byte as `cs-appraisal export` does. Dates derive from the
// test clock.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import avsc from 'avsc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RULES, closeAtMs, periodRef } from '@cs/appraisal';
import { SchemaRegistryClient, createCodecs, outputKeyOf, registerSchemas, valueSubject, type Codecs, type Eligibility, type Scorecard } from '@cs/contracts';
import { ELIGIBILITY, SCORECARD, SCORECARD_WITH_REASONS } from '../../packages/contracts/test/fixtures.ts';
import { payrollExport } from '../../packages/cli/src/payroll-csv.ts';
import type { Published } from '@cs/contracts/latest-records';
import { TEST_CLOCK } from '../harness/clock.ts';
import { createTopics, kafkaFor, testStack } from '../harness/index.ts';
import { buildPayrollConsumer, deleteSubject, runPayrollConsumer } from '../harness/payroll-consumer.ts';
import { startTestRegistry } from '../harness/registry.ts';

const HOUR = 3_600_000;
const month = TEST_CLOCK.lastMonth();
const cutoff = closeAtMs(month, DEFAULT_RULES) + 24 * HOUR; // the export's documented default
const iso = (ms: number) => new Date(ms).toISOString();
/** Kafka timestamps are wall-clock: a record published at `ms` on the test clock. */
const wall = (ms: number) => ms - TEST_CLOCK.offsetSeconds * 1000;

const card = (over: Partial<Scorecard>): Scorecard => ({ ...SCORECARD, period: periodRef(month), status: 'FINAL', revision: 0, computedAt: iso(closeAtMs(month, DEFAULT_RULES) + 60_000), ...over });
const elig = (over: Partial<Eligibility>): Eligibility => ({ ...ELIGIBILITY, period: periodRef(month), ...over });

const cards = {
  s001: card({ appraisalId: 'a-s001', staffId: 'S001', grade: 'B' }),
  s002: card({ appraisalId: 'a-s002', staffId: 'S002', grade: 'C' }),
  s002Rev: card({ appraisalId: 'a-s002-r1', staffId: 'S002', grade: 'B', status: 'REVISED', revision: 1, computedAt: iso(cutoff - HOUR) }),
  s003: card({ appraisalId: 'a-s003', staffId: 'S003', status: 'PROVISIONAL' }),
  // corrections whose text holds commas and a quote: the CSV must quote them as export does
  s004: { ...SCORECARD_WITH_REASONS, period: periodRef(month), status: 'FINAL' as const, revision: 0, appraisalId: 'a-s004', staffId: 'S004', teamId: 'T00', computedAt: iso(cutoff - 2 * HOUR), reasons: SCORECARD_WITH_REASONS.reasons.map((r, i) => (i === 0 ? { ...r, reason: 'appeal "upheld", fully' } : r)) },
};
const eligibility = {
  s001: elig({ eligibilityId: 'e-s001', appraisalId: 'a-s001', staffId: 'S001', bonusCoefficient: 1.05, awards: ['SERVICE_STAR', 'TEAM_HONOUR'] }),
  s002: elig({ eligibilityId: 'e-s002', appraisalId: 'a-s002', staffId: 'S002', grade: 'C', bonusCoefficient: 0, awards: [], vetoReasons: ['SERIOUS_COMPLAINT', 'ABSENCE'] }),
  s002Rev: elig({ eligibilityId: 'e-s002-r1', appraisalId: 'a-s002-r1', staffId: 'S002', grade: 'B', bonusCoefficient: 1, awards: [], vetoReasons: [] }),
  s004: elig({ eligibilityId: 'e-s004', appraisalId: 'a-s004', staffId: 'S004', teamId: 'T00', bonusCoefficient: 0.9, awards: [] }),
};

let registry: { url: string; stop(): Promise<void> };
let topics: { appraisal: string; eligibility: string };
let dir: string;
/** One eligibility record as published, for the README's Node example. */
let sampleValue: Buffer;

async function publish(topic: string, records: { key: string; value: Buffer; timestamp: string }[]): Promise<void> {
  const producer = kafkaFor().producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  for (const r of records) await producer.send({ topic, messages: [r], acks: -1 }); // in order
  await producer.disconnect();
}

const payroll = (args: string[], env: Record<string, string> = {}) =>
  runPayrollConsumer(['--period', month.id, ...args], {
    KAFKA_BROKERS: testStack().brokers,
    SCHEMA_REGISTRY_URL: registry.url,
    CS_TOPIC_APPRAISAL: topics.appraisal,
    CS_TOPIC_ELIGIBILITY: topics.eligibility,
    ...TEST_CLOCK.env,
    ...env,
  });

beforeAll(async () => {
  const jar = buildPayrollConsumer(); // in parallel with the registry's start
  registry = await startTestRegistry();
  const [appraisal, eligibilityTopic] = (await createTopics(['cs.appraisal.pay', 'cs.incentive-eligibility.pay'], 3, undefined, { configEntries: [{ name: 'cleanup.policy', value: 'compact' }] })) as [string, string];
  topics = { appraisal, eligibility: eligibilityTopic };
  dir = mkdtempSync(path.join(os.tmpdir(), 'cs-payroll-'));
  // Apicurio's ccompat API answers content ids, and a new content's id equals the global id of its
  // first version. Registered first under a decoy subject that is then deleted, the eligibility
  // schema's content id names no version any more: a deserializer that looks ids up as global ids
  // cannot decode the eligibility records, so this test shows the id setting is the right one.
  const decoy = valueSubject(`${eligibilityTopic}-decoy`);
  await new SchemaRegistryClient(registry.url).register(decoy, createCodecs().catalogue.subjects.eligibility.currentSchema);
  // As the services do with SCHEMA_REGISTRY_URL: register under <topic>-value, frame with the registry's ids.
  const codecs: Codecs = createCodecs({ registry: new SchemaRegistryClient(registry.url) });
  const ids = await registerSchemas(codecs, { keys: ['appraisal', 'eligibility'], names: { appraisal, eligibility: eligibilityTopic } });
  await deleteSubject(registry.url, decoy);
  const asGlobalId = await fetch(`${registry.url.replace(/\/apis\/ccompat\/v7$/, '/apis/registry/v3')}/ids/globalIds/${ids.get('eligibility')}`);
  expect(asGlobalId.status).toBe(404); // the precondition above
  const a = (c: Scorecard, atMs = Date.parse(c.computedAt)) => ({ key: outputKeyOf(c), value: codecs.encode('appraisal', c), timestamp: String(wall(atMs)) });
  const e = (x: Eligibility, atMs: number) => ({ key: outputKeyOf(x), value: codecs.encode('eligibility', x), timestamp: String(wall(atMs)) });
  const early = Date.parse(cards.s001.computedAt);
  sampleValue = codecs.encode('eligibility', eligibility.s002Rev);
  await publish(appraisal, [a(cards.s001), a(cards.s002), a(cards.s003), a(cards.s004), a(cards.s002Rev), a(cards.s002, cutoff + HOUR)]);
  await publish(eligibilityTopic, [
    e(eligibility.s001, early),
    e(eligibility.s002, early),
    e(eligibility.s004, Date.parse(cards.s004.computedAt)),
    e(eligibility.s002Rev, Date.parse(cards.s002Rev.computedAt)),
    // a duplicate and a replay of the FINAL's record, both after the cut-off: they change nothing
    e(eligibility.s001, cutoff + HOUR),
    e(eligibility.s002, cutoff + HOUR),
  ]);
  await jar;
}, 600_000);

afterAll(async () => {
  await registry?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('payroll consumer (Java, schemas from the registry)', () => {
  it('writes the pay file as export does: latest per staff-period, duplicates and a replayed FINAL ignored, the REVISED paid', async () => {
    const out = path.join(dir, 'pay.csv');
    const r = await payroll(['--out', out]);
    expect(r.stderr).toMatch(new RegExp(`^payroll-consumer: ${month.id} rows=3 adjustments=0 provisional=1 `, 'm'));
    expect(r.code).toBe(0);
    const file = readFileSync(out, 'utf8');
    expect(file.split('\r\n')).toEqual([
      'staff,team,role,grade,coefficient,awards,veto,status,revision,reasons,adjustment',
      `S004,T00,HOTLINE_AGENT,B,0.9,,,FINAL,0,"COR-1 COMPLAINT_RULING: appeal ""upheld"", fully (requested S001, approved M01); COR-2 ADJUSTMENT: system outage (requested M01, approved D01)",no`,
      'S001,T01,HOTLINE_AGENT,B,1.05,SERVICE_STAR;TEAM_HONOUR,,FINAL,0,,no',
      'S002,T01,HOTLINE_AGENT,B,1,,,REVISED,1,,no',
      '',
    ]);
    // The same bytes as the export's own formatter gives for the records payroll pays.
    const pub = <T>(record: T, atMs: number): Published<T> => ({ record, partition: 0, offset: 0n, timestamp: atMs });
    const expected = payrollExport(
      [pub(cards.s001, 0), pub(cards.s002Rev, 0), pub(cards.s003, 0), pub(cards.s004, 0)],
      [pub(eligibility.s001, Date.parse(cards.s001.computedAt)), pub(eligibility.s002Rev, Date.parse(cards.s002Rev.computedAt)), pub(eligibility.s004, Date.parse(cards.s004.computedAt))],
      cutoff,
    );
    expect(file).toBe(expected.csv);
    expect(r.stderr).toContain(`sha256=${expected.sha256}`);
  }, 180_000);

  it('a record published after the cut-off is an adjustment; --cutoff moves the cut-off', async () => {
    const r = await payroll(['--cutoff', iso(Date.parse(cards.s002Rev.computedAt) - 60_000)]);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\r\n').filter((l) => l.endsWith(',yes'))).toEqual(['S002,T01,HOTLINE_AGENT,B,1,,,REVISED,1,,yes']);
  }, 180_000);

  it('a missing registry URL, a bad period or an unknown argument is a usage error naming it (exit 2)', async () => {
    const cases: [string[], Record<string, string>, string][] = [
      [[], { SCHEMA_REGISTRY_URL: '' }, 'SCHEMA_REGISTRY_URL'],
      [['--period', 'MONTH:2026-13'], {}, '--period'],
      [['--frobnicate', 'x'], {}, '--frobnicate'],
    ];
    for (const [args, env, named] of cases) {
      const r = await payroll(args, env);
      expect([r.code, r.stderr.split('\n')[0]]).toEqual([2, expect.stringContaining(named)]);
    }
  }, 60_000);

  it("the README's Node example decodes a record with the schema from the registry", async () => {
    // As in README "Consume the events", line for line.
    const url = registry.url;
    const types = new Map<number, avsc.Type>();
    async function decode(value: Buffer): Promise<unknown> {
      if (value[0] !== 0) throw new Error('not Confluent-framed');
      const id = value.readUInt32BE(1);
      if (!types.has(id)) {
        const { schema } = (await (await fetch(`${url}/schemas/ids/${id}`)).json()) as { schema: string };
        types.set(id, avsc.Type.forSchema(JSON.parse(schema)));
      }
      return types.get(id)!.fromBuffer(value.subarray(5));
    }
    expect(await decode(sampleValue)).toEqual(eligibility.s002Rev);
  });
});
