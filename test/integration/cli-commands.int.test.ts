// `cs-appraisal produce | scorecards | eligibility` driven through the bin against the shared real
// broker, each test on its own topics (CS_TOPIC_* names from uniqueName).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import avsc from 'avsc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCodecs, KIND_TOPIC, messageKey, outputKeyOf, toNdjson, type Eligibility, type Scorecard, type SourceEvent, type StaffProfile, type TopicKey } from '@cs/contracts';
import { freePort } from '@cs/stack';
import { EVENT_FIXTURES, ELIGIBILITY, SCORECARD, STAFF_PROFILE } from '../../packages/contracts/test/fixtures.ts';
import { createTopics, kafkaFor, testStack, topicOffsets, uniqueName } from '../harness/index.ts';
import { runCli, type CliResult } from '../harness/cli.ts';

const codecs = createCodecs();

type Result = CliResult;
const cli = (args: string[], env: Record<string, string>, input?: string) => runCli(args, env, input, 90_000);

interface Read {
  partition: number;
  key: string | null;
  value: Buffer;
}

/** Everything on a topic now (by offsets; no group). */
async function readAll(topic: string): Promise<Read[]> {
  const kafka = kafkaFor();
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await topicOffsets(admin, topic);
  await admin.disconnect();
  const total = offsets.reduce((n, o) => n + Number(o.high) - Number(o.low), 0);
  if (total === 0) return [];
  const consumer = kafka.consumer({ groupId: uniqueName('cli-test'), maxWaitTimeInMs: 100 });
  const out: Read[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`read ${out.length} of ${total} messages of ${topic}`)), 30_000);
    void consumer.run({
      eachMessage: async ({ partition, message }) => {
        out.push({ partition, key: message.key?.toString() ?? null, value: message.value! });
        if (out.length >= total) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
  });
  await consumer.disconnect();
  return out;
}

async function publish(topic: string, records: { key: string; value: Buffer }[]): Promise<void> {
  const producer = kafkaFor().producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  // One send per record, in order, so "published later" is well defined.
  for (const r of records) await producer.send({ topic, messages: [r], acks: -1 });
  await producer.disconnect();
}

const env = (topics: Partial<Record<TopicKey, string>>): Record<string, string> => {
  const names: Record<TopicKey, string> = {
    callcenter: 'CS_TOPIC_CALLCENTER', billing: 'CS_TOPIC_BILLING', outageRepair: 'CS_TOPIC_OUTAGE_REPAIR', workforce: 'CS_TOPIC_WORKFORCE',
    roster: 'CS_TOPIC_ROSTER', appraisal: 'CS_TOPIC_APPRAISAL', eligibility: 'CS_TOPIC_ELIGIBILITY', dlq: 'CS_TOPIC_DLQ', corrections: 'CS_TOPIC_CORRECTIONS',
    teamScorecard: 'CS_TOPIC_TEAM_SCORECARD',
  };
  const out: Record<string, string> = { KAFKA_BROKERS: testStack().brokers };
  for (const [k, v] of Object.entries(topics)) out[names[k as TopicKey]] = v!;
  return out;
};

describe('cs-appraisal produce / scorecards / eligibility: arguments', () => {
  it.each([
    [['produce', 'extra']],
    [['produce', '--nope']],
    [['produce', '--file']],
    [['produce', '--file', '/definitely/not/here.ndjson']],
    [['scorecards']],
    [['scorecards', '--period', '2026-10']],
    [['scorecards', '--period', 'MONTH:2026-13']],
    [['scorecards', '--period', 'DAY:2026-02-30']],
    [['scorecards', '--period', 'WEEK:2026-10-05']],
    [['scorecards', '--period', 'MONTH:2026-10', '--status', 'DONE']],
    [['scorecards', '--period', 'MONTH:2026-10', '--staff', 'bad id!']],
    [['eligibility']],
    [['eligibility', '--period', 'DAY:2026-10-05']],
  ])('%j exits 2 with one line that says what to type', async (args) => {
    const r = await cli(args, { KAFKA_BROKERS: testStack().brokers });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^cs-appraisal: .*(use|run:|give|MONTH:YYYY-MM|PROVISIONAL|S001)/);
  });

  it('--help for each command exits 0 and documents the exit statuses', async () => {
    for (const cmd of ['produce', 'scorecards', 'eligibility']) {
      const r = await cli([cmd, '--help'], {});
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`Usage: cs-appraisal ${cmd}`);
      expect(r.stdout).toMatch(/Exit status: 0 .*1 .*\n?.*2 /s);
    }
    expect((await cli(['--help'], {})).stdout).toMatch(/produce[\s\S]*scorecards[\s\S]*eligibility/);
  });

  it('a bad environment variable exits 2 naming it', async () => {
    const r = await cli(['scorecards', '--period', 'MONTH:2026-10'], { KAFKA_BROKERS: 'not a broker' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('KAFKA_BROKERS');
  });

  it('an unreachable broker exits 1 within seconds, saying to run stack up', async () => {
    const port = await freePort();
    const t0 = Date.now();
    const r = await cli(['scorecards', '--period', 'MONTH:2026-10'], { KAFKA_BROKERS: `127.0.0.1:${port}` });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(`cs-appraisal: cannot reach Kafka at 127.0.0.1:${port}: run \`npx cs-appraisal stack up\` first`);
    expect(Date.now() - t0).toBeLessThan(15_000);
    const p = await cli(['produce'], { KAFKA_BROKERS: `127.0.0.1:${port}` }, toNdjson('callcenter', EVENT_FIXTURES.CallAnswered) + '\n');
    expect(p.code).toBe(1);
    expect(p.stderr).toContain('cannot reach Kafka');
  });

  it('a missing topic exits 1 naming the topic and the variable', async () => {
    const missing = uniqueName('cs.appraisal.missing');
    const r = await cli(['scorecards', '--period', 'MONTH:2026-10'], env({ appraisal: missing }));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`topic ${missing} does not exist`);
    expect(r.stderr).toContain('CS_TOPIC_APPRAISAL');
  });
});

describe('cs-appraisal produce', () => {
  let topics: Record<'callcenter' | 'billing' | 'outageRepair' | 'workforce' | 'roster', string>;
  let dir: string;
  beforeAll(async () => {
    const [callcenter, billing, outageRepair, workforce, roster] = await createTopics(['cs.callcenter', 'cs.billing', 'cs.outage-repair', 'cs.workforce', 'cs.roster'], 3);
    topics = { callcenter: callcenter!, billing: billing!, outageRepair: outageRepair!, workforce: workforce!, roster: roster! };
    dir = mkdtempSync(path.join(os.tmpdir(), 'cs-cli-produce-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a bad line is reported with its line number and nothing is published', async () => {
    const good = toNdjson('callcenter', EVENT_FIXTURES.CallAnswered);
    const badJson = '{"kind":"CallAnswered",';
    const badField = JSON.stringify({ ...JSON.parse(toNdjson('callcenter', EVENT_FIXTURES.SurveyAnswered)), score: 9 });
    const file = path.join(dir, 'bad.ndjson');
    writeFileSync(file, [good, '', badJson, good, badField].join('\n') + '\n');
    const r = await cli(['produce', '--file', file], env(topics));
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${file} line 3: not valid JSON`);
    expect(r.stderr).toMatch(new RegExp(`${file} line 5: SurveyAnswered: score`));
    expect(r.stderr).toContain('2 bad lines');
    expect(r.stderr).toContain('nothing was published');
    expect(r.stderr).not.toMatch(/line [14]:/);
    for (const t of Object.values(topics)) expect(await readAll(t)).toEqual([]);
  });

  it('publishes every line Avro-encoded to the topic of its kind, keyed per events.md', async () => {
    const events: SourceEvent[] = [
      EVENT_FIXTURES.CallAnswered,
      EVENT_FIXTURES.CallAbandoned,
      EVENT_FIXTURES.SurveyAnswered,
      EVENT_FIXTURES.BillIssued,
      EVENT_FIXTURES.WorkOrderAccepted,
      EVENT_FIXTURES.RepairArrived,
      EVENT_FIXTURES.ShiftAttended,
    ];
    const lines = events.map((e) => toNdjson(KIND_TOPIC[e.kind], e));
    // Epoch-millisecond times and an explicit (configured) topic name are accepted too.
    lines.push(JSON.stringify({ ...EVENT_FIXTURES.TrainingCompleted, topic: topics.workforce }));
    const profile: StaffProfile = { ...STAFF_PROFILE, staffId: 'S777', teamId: 'T09' };
    lines.push(toNdjson('roster', profile));
    const r = await cli(['produce'], env(topics), lines.join('\n') + '\n');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toMatch(/^published 9 events to 5 topics \(/);
    expect(r.stdout).toContain(`${topics.callcenter}: 3`);

    const expected: Record<string, { topic: TopicKey; value: object }[]> = {};
    for (const e of [...events, EVENT_FIXTURES.TrainingCompleted]) (expected[KIND_TOPIC[e.kind]] ??= []).push({ topic: KIND_TOPIC[e.kind], value: e });
    expected.roster = [{ topic: 'roster', value: profile }];
    for (const [key, want] of Object.entries(expected)) {
      const got = await readAll(topics[key as keyof typeof topics]);
      expect(got).toHaveLength(want.length);
      const decoded = got.map((m) => {
        const d = codecs.decode(key as TopicKey, m.value);
        if (!d.ok) throw d.error;
        expect(m.key).toBe(messageKey(d.event as SourceEvent | StaffProfile));
        return d.event;
      });
      expect(decoded).toEqual(expect.arrayContaining(want.map((w) => w.value)));
    }
    // Keys: staff id where there is one staff member, else the call / ticket id.
    const cc = (await readAll(topics.callcenter)).map((m) => m.key).sort();
    expect(cc).toEqual(['C1002', 'S001', 'S001']);
    expect((await readAll(topics.outageRepair)).map((m) => m.key)).toEqual(['R-1']);
  });

  it('empty input publishes nothing and says so', async () => {
    const r = await cli(['produce'], env(topics), '\n\n');
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe('published 0 events to 0 topics');
  });
});

describe('cs-appraisal scorecards / eligibility', () => {
  let appraisal: string;
  let eligibility: string;
  const card = (over: Partial<Scorecard>): Scorecard => ({ ...SCORECARD, ...over });
  const sep: Scorecard['period'] = { kind: 'MONTH', start: '2026-09-01', end: '2026-10-01', timeZone: 'Asia/Shanghai' };
  const day: Scorecard['period'] = { kind: 'DAY', start: '2026-10-05', end: '2026-10-06', timeZone: 'Asia/Shanghai' };
  // S001: the REVISED revision 1 is published BEFORE the FINAL revision 0; latest is by revision, not offset.
  const s001Final = card({ appraisalId: 'ap-s001-r0', status: 'FINAL', revision: 0, composite: 87.3, teamRank: 3, computedAt: '2026-11-01T00:00:05.000Z' });
  const s001Revised = card({ appraisalId: 'ap-s001-r1', status: 'REVISED', revision: 1, composite: 90.1, grade: 'A', teamRank: 2, computedAt: '2026-11-03T00:00:05.000Z' });
  const s002 = card({ appraisalId: 'ap-s002', staffId: 'S002', status: 'FINAL', composite: 93.4, grade: 'A', teamRank: 1 });
  // Same revision: FINAL supersedes PROVISIONAL.
  const s003Prov = card({ appraisalId: 'ap-s003-p', staffId: 'S003', teamId: 'T00', role: 'METER_READER', status: 'PROVISIONAL', composite: 70, grade: 'C', teamRank: 1, teamSize: 1, dimensions: { ...SCORECARD.dimensions, accuracy: 61.25 } });
  const s003Final = { ...s003Prov, appraisalId: 'ap-s003-f', status: 'FINAL' as const, composite: 71.5, computedAt: '2026-11-01T00:00:09.000Z' };
  const s004 = card({ appraisalId: 'ap-s004', staffId: 'S004', teamId: 'T02', status: 'PROVISIONAL', composite: null, grade: 'INSUFFICIENT_DATA', teamRank: null, teamSize: 0 });
  const s001Sep = card({ appraisalId: 'ap-s001-sep', period: sep, composite: 11.1 });
  const s001Day = card({ appraisalId: 'ap-s001-day', period: day, status: 'PROVISIONAL', composite: 55.5 });

  const el = (over: Partial<Eligibility>): Eligibility => ({ ...ELIGIBILITY, ...over });
  const e001Old = el({ eligibilityId: 'el-s001-r0', appraisalId: 'ap-s001-r0', eligible: false, bonusCoefficient: 0, vetoReasons: ['SUBSTANTIATED_COMPLAINT'], awards: [] });
  const e001New = el({ eligibilityId: 'el-s001-r1', appraisalId: 'ap-s001-r1', grade: 'A', bonusCoefficient: 1.2, awards: ['SERVICE_STAR', 'TEAM_HONOUR'] });
  const e002 = el({ eligibilityId: 'el-s002', appraisalId: 'ap-s002', staffId: 'S002', teamId: 'T00', grade: 'C', eligible: true, bonusCoefficient: 0.9, awards: [], trainingRecommendations: [], improvementPlanRequired: true });
  const e001Sep = el({ eligibilityId: 'el-s001-sep', period: sep });

  beforeAll(async () => {
    [appraisal, eligibility] = (await createTopics(['cs.appraisal', 'cs.incentive-eligibility'], 3)) as [string, string];
    const a = (c: Scorecard) => ({ key: outputKeyOf(c), value: codecs.encode('appraisal', c) });
    // S002 as appraisal v1 wrote it (kpis a map): the command reads both versions.
    const v1 = codecs.catalogue.subjects.appraisal.versions[0]!;
    const v1Type = avsc.Type.forSchema(v1.schema as never, { wrapUnions: 'auto' });
    const a1 = (c: Scorecard) => ({ key: outputKeyOf(c), value: Buffer.concat([Buffer.from([0, 0, 0, 0, v1.id]), v1Type.toBuffer(c)]) });
    await publish(appraisal!, [a(s001Revised), a1(s002), a(s003Prov), a(s001Final), a(s003Final), a(s004), a(s001Sep), a(s001Day)]);
    // Not a scorecard: skipped with a warning, the rest still shown.
    await publish(appraisal!, [{ key: 'S009', value: Buffer.from('not avro') }]);
    const e = (x: Eligibility) => ({ key: outputKeyOf(x), value: codecs.encode('eligibility', x) });
    await publish(eligibility!, [e(e001Old), e(e002), e(e001New), e(e001Sep)]);
  });

  it('--json prints the latest scorecard per staff member, sorted by team then rank', async () => {
    const r = await cli(['scorecards', '--period', 'MONTH:2026-10', '--json'], env({ appraisal }));
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual([s003Final, s002, s001Revised, s004]);
    expect(r.stderr).toMatch(/skipped 1 undecodable message/);
  });

  it('the table shows the same, one row per staff member', async () => {
    const r = await cli(['scorecards', '--period', 'MONTH:2026-10'], env({ appraisal }));
    expect(r.code, r.stderr).toBe(0);
    const rows = r.stdout.trim().split('\n');
    expect(rows[0]).toMatch(/^STAFF\s+TEAM\s+ROLE\s+STATUS\s+REV\s+GRADE\s+COMPOSITE\s+WORKLOAD\s+TIMELINESS\s+ACCURACY\s+STANDARD\s+SATISFACTION\s+TASKS\s+CONDUCT\s+RANK$/);
    expect(rows.slice(1, 5).map((l) => l.split(/\s+/).slice(0, 7))).toEqual([
      ['S003', 'T00', 'METER_READER', 'FINAL', '0', 'C', '71.5'],
      ['S002', 'T01', 'HOTLINE_AGENT', 'FINAL', '0', 'A', '93.4'],
      ['S001', 'T01', 'HOTLINE_AGENT', 'REVISED', '1', 'A', '90.1'],
      ['S004', 'T02', 'HOTLINE_AGENT', 'PROVISIONAL', '0', 'INSUFFICIENT_DATA', '-'],
    ]);
    expect(rows[1]).toMatch(/\s61\.3\s/); // accuracy 61.25, one decimal
    expect(rows[1]!.trimEnd()).toMatch(/1\/1$/);
    expect(rows[3]!.trimEnd()).toMatch(/2\/12$/);
    expect(rows[4]!.trimEnd()).toMatch(/\s-$/);
    expect(r.stdout).not.toContain('87.3');
    expect(r.stdout).not.toContain('11.1');
    expect(rows[5]).toContain('4 staff; MONTH:2026-10 = 2026-10-01 to 2026-11-01');
  });

  it('--staff, --status and DAY periods filter', async () => {
    const staff = await cli(['scorecards', '--period', 'MONTH:2026-10', '--staff', 'S001', '--json'], env({ appraisal }));
    expect(staff.stdout.trim().split('\n').map((l) => JSON.parse(l))).toEqual([s001Revised]);
    // --status applies to the latest scorecard: S003's PROVISIONAL one is superseded.
    const prov = await cli(['scorecards', '--period', 'MONTH:2026-10', '--status', 'provisional', '--json'], env({ appraisal }));
    expect(prov.stdout.trim().split('\n').map((l) => JSON.parse(l))).toEqual([s004]);
    const d = await cli(['scorecards', '--period', 'DAY:2026-10-05', '--json'], env({ appraisal }));
    expect(d.stdout.trim().split('\n').map((l) => JSON.parse(l))).toEqual([s001Day]);
    const sepR = await cli(['scorecards', '--period', 'MONTH:2026-09', '--json'], env({ appraisal }));
    expect(sepR.stdout.trim().split('\n').map((l) => JSON.parse(l))).toEqual([s001Sep]);
  });

  it('an empty period says so on stderr and exits 0; --json prints nothing', async () => {
    const r = await cli(['scorecards', '--period', 'MONTH:2030-01'], env({ appraisal }));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('no scorecards for MONTH:2030-01 yet');
    const j = await cli(['scorecards', '--period', 'MONTH:2030-01', '--json'], env({ appraisal }));
    expect(j.code).toBe(0);
    expect(j.stdout).toBe('');
    // An empty topic, too.
    const [empty] = await createTopics(['cs.appraisal.empty'], 2);
    const e = await cli(['scorecards', '--period', 'MONTH:2026-10'], env({ appraisal: empty! }));
    expect(e.code, e.stderr).toBe(0);
    expect(e.stderr.trim()).toBe('no scorecards for MONTH:2026-10 yet');
  });

  it('eligibility: the latest record per staff member, as JSON lines and as a table', async () => {
    const j = await cli(['eligibility', '--period', 'MONTH:2026-10', '--json'], env({ eligibility }));
    expect(j.code, j.stderr).toBe(0);
    expect(j.stdout.trim().split('\n').map((l) => JSON.parse(l))).toEqual([e002, e001New]);

    const t = await cli(['eligibility', '--period', 'MONTH:2026-10'], env({ eligibility }));
    expect(t.code, t.stderr).toBe(0);
    const rows = t.stdout.trim().split('\n');
    expect(rows[0]).toMatch(/^STAFF\s+TEAM\s+GRADE\s+ELIGIBLE\s+BONUS\s+AWARDS\s+VETOES\s+TRAINING\s+IMPROVEMENT-PLAN$/);
    expect(rows[1]!.split(/\s+/)).toEqual(['S002', 'T00', 'C', 'yes', '0.90', '-', '-', '-', 'yes']);
    expect(rows[2]!.split(/\s+/)).toEqual(['S001', 'T01', 'A', 'yes', '1.20', 'SERVICE_STAR,TEAM_HONOUR', '-', 'COMMUNICATION', 'no']);
    expect(t.stdout).not.toContain('SUBSTANTIATED_COMPLAINT');

    const none = await cli(['eligibility', '--period', 'MONTH:2030-01'], env({ eligibility }));
    expect(none.code).toBe(0);
    expect(none.stdout).toBe('');
    expect(none.stderr).toContain('no eligibility records for MONTH:2030-01 yet');
  });
});
