// Issue #18 done-when: a simulated month through the real stack with the registry in the path —
// `simulate`, the aggregator and the scorer as processes, all with SCHEMA_REGISTRY_URL (Apicurio,
// ids from its Confluent-compatible API) — and the Java payroll example's file equals
// `cs-appraisal export` of the same month, byte for byte. The month is last month on the test clock.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_CLOCK } from '../harness/clock.ts';
import { runCli } from '../harness/cli.ts';
import { createTopics, testStack, uniqueName, waitFor } from '../harness/index.ts';
import { buildPayrollConsumer, runPayrollConsumer } from '../harness/payroll-consumer.ts';
import { startTestRegistry, type TestRegistry } from '../harness/registry.ts';
import { spawnService, type Service } from '../harness/services.ts';

const month = TEST_CLOCK.lastMonth();
const STAFF = 8; // 2 teams of 4
const SIMULATION = ['--teams', '2', '--staff-per-team', '4', '--seed', '18', '--intensity', '0.5', '--month', month.start.slice(0, 7)];

let registry: TestRegistry;
let env: Record<string, string>;
let dir: string;
const services: Service[] = [];
const logs = () => services.flatMap((s) => s.lines().slice(-30)).join('\n');
const exportCsv = (out: string) => runCli(['export', '--period', month.id, '--format', 'csv', '--out', out], { ...env, LOG_LEVEL: 'warn' }, undefined, 90_000);

beforeAll(async () => {
  const jar = buildPayrollConsumer();
  registry = await startTestRegistry();
  const [callcenter, billing, outageRepair, workforce, roster, corrections, dlq] = await createTopics(['cc', 'bill', 'rep', 'wf', 'roster', 'corr', 'dlq'], 3);
  const [appraisal, eligibility, teamScorecard] = await createTopics(['appraisal', 'elig', 'team'], 3, undefined, { configEntries: [{ name: 'cleanup.policy', value: 'compact' }] });
  const prefix = uniqueName('payroll-month');
  env = {
    KAFKA_BROKERS: testStack().brokers, REDIS_URL: testStack().redisUrl, CS_KEY_PREFIX: prefix, CS_GROUP_ID: `${prefix}-g`,
    CS_TOPIC_CALLCENTER: callcenter!, CS_TOPIC_BILLING: billing!, CS_TOPIC_OUTAGE_REPAIR: outageRepair!, CS_TOPIC_WORKFORCE: workforce!,
    CS_TOPIC_ROSTER: roster!, CS_TOPIC_CORRECTIONS: corrections!, CS_TOPIC_DLQ: dlq!, CS_TOPIC_APPRAISAL: appraisal!, CS_TOPIC_ELIGIBILITY: eligibility!, CS_TOPIC_TEAM_SCORECARD: teamScorecard!,
    SCHEMA_REGISTRY_URL: registry.url, CS_TICK_SECONDS: '1', METRICS_PORT: '0', LOG_LEVEL: 'info', ...TEST_CLOCK.env,
  };
  dir = mkdtempSync(path.join(os.tmpdir(), 'cs-payroll-month-'));
  const sim = await runCli(['simulate', ...SIMULATION], { ...env, LOG_LEVEL: 'warn' }, undefined, 180_000);
  if (sim.code !== 0) throw new Error(`simulate failed (exit ${sim.code}):\n${sim.stderr}`);
  services.push(spawnService('aggregator', env), spawnService('scorer', env));
  await jar;
}, 600_000);

afterAll(async () => {
  for (const s of services) await s.kill('SIGTERM');
  await registry?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const shaOf = (stderr: string) => /sha256=([0-9a-f]{64})/.exec(stderr)?.[1];

/** Stops the services (nothing more is published, both read the same records), then runs the export and the example. */
async function bothFiles(): Promise<{ exported: string; paid: string }> {
  for (const s of services.splice(0)) await s.kill('SIGTERM');
  const exported = path.join(dir, 'export.csv');
  const r = await exportCsv(exported);
  expect(r.code, r.stderr).toBe(0);
  const paid = path.join(dir, 'payroll.csv');
  const java = await runPayrollConsumer(['--period', month.id, '--out', paid], { ...env });
  expect(java.code, java.stderr).toBe(0);
  expect(shaOf(java.stderr)).toBe(shaOf(r.stderr));
  return { exported: readFileSync(exported, 'utf8'), paid: readFileSync(paid, 'utf8') };
}

/** The export's rows (header and trailing CRLF off) once `done` holds for them. */
async function exportWhen(done: (rows: string[][], stderr: string) => boolean, what: string): Promise<void> {
  const out = path.join(dir, 'poll.csv');
  await waitFor(
    async () => {
      const r = await exportCsv(out);
      return r.code === 0 && done(readFileSync(out, 'utf8').split('\r\n').slice(1, -1).map((row) => row.split(',')), r.stderr);
    },
    240_000,
    `${what}\n${logs()}`,
  );
}

describe('payroll example after a simulated month, registry in the path', () => {
  it('its pay file equals cs-appraisal export of the month', async () => {
    // Every member with a FINAL card and its eligibility record: no PROVISIONAL left, no empty coefficient.
    await exportWhen((rows, stderr) => rows.length === STAFF && stderr.includes(' provisional=0 ') && rows.every((r) => r[4] !== ''), `${STAFF} FINAL cards with eligibility of ${month.id}`);
    const subjects = (await (await fetch(`${registry.url}/subjects`)).json()) as string[];
    expect(subjects).toEqual(expect.arrayContaining([`${env.CS_TOPIC_APPRAISAL}-value`, `${env.CS_TOPIC_ELIGIBILITY}-value`, `${env.CS_TOPIC_TEAM_SCORECARD}-value`]));
    // The team cards carry the registry's id too (the scorer once framed them with id 0: unreadable).
    const teams = await runCli(['teams', '--period', month.id, '--json'], { ...env, LOG_LEVEL: 'warn' }, undefined, 90_000);
    expect(teams.code, teams.stderr).toBe(0);
    expect(teams.stderr).not.toMatch(/undecodable/);
    expect(teams.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { status: string }).status)).toEqual(['FINAL', 'FINAL']);
    const { exported, paid } = await bothFiles();
    expect(paid).toBe(exported);
    expect(paid.split('\r\n')).toHaveLength(STAFF + 2); // header, rows, the empty string after the last CRLF
    console.log(`--- ${month.id}: the payroll example's file = cs-appraisal export\n${paid}`);
  }, 360_000);

  it('after a correction made with the CLI: the REVISED card replaces the FINAL in both files', async () => {
    services.push(spawnService('aggregator', env), spawnService('scorer', env));
    const staff = 'S00003';
    const r = await runCli(['correct', 'adjust', '--id', 'COR-PAY-1', '--staff', staff, '--period', month.id, '--kpi', 'supervisor_rating', '--value', '100', '--reason', 'rating entered against the wrong shift', '--requested-by', 'SUP-7', '--approved-by', 'MGR-2'], { ...env, LOG_LEVEL: 'warn' }, undefined, 90_000);
    expect(r.code, r.stderr).toBe(0);
    await exportWhen((rows) => rows.find((x) => x[0] === staff)?.[7] === 'REVISED', `${staff}'s REVISED card of ${month.id}`);
    const { exported, paid } = await bothFiles();
    expect(paid).toBe(exported);
    expect(paid.split('\r\n').find((row) => row.startsWith(`${staff},`))).toMatch(/,REVISED,\d+,"COR-PAY-1 ADJUSTMENT: rating entered against the wrong shift \(requested SUP-7, approved MGR-2\)",yes$/);
    console.log(`--- ${month.id} after COR-PAY-1\n${paid}`);
  }, 360_000);
});
