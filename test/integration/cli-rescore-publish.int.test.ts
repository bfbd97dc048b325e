// `cs-appraisal rescore --publish` end to end (issue #17 item 4, docs/what-if.md "Publishing"): a
// closed month known to Redis (the what-if worked example), FINALed by the scorer as a process;
// the proposal A >= 92 adopted with a reason through the CLI, applied by the aggregator (a
// process) and re-scored by the scorer: REVISED cards whose grades are the dry run's proposed
// ones, each listing the adoption with its reason and actors, and eligibility following. A dry
// run afterwards shows no change. Every date derives from the test clock.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RULES, nextPeriod, type WhatIfDiff } from '@cs/appraisal';
import { periodIdOfRecord, type Scorecard } from '@cs/contracts';
import { CounterStore } from '@cs/counter-store';
import { counterStoreOptions, loadConfig } from '@cs/runtime';
import { TEST_CLOCK } from '../harness/clock.ts';
import { runCli } from '../harness/cli.ts';
import { createTopics, redisFor, testStack, uniqueName, waitFor } from '../harness/index.ts';
import { seedPeriod, WHAT_IF_EXAMPLE } from '../harness/period-seed.ts';
import { collectOutputs, type Outputs } from '../harness/outputs.ts';
import { spawnService, type Service } from '../harness/services.ts';

const month = TEST_CLOCK.lastMonth();
// composites 93.3, 67.6, 91.6 (docs/what-if.md "Worked example"): A >= 92 moves S03 from A to B.
const { counters: COUNTERS, roster: ROSTER } = WHAT_IF_EXAMPLE;
const ADOPTED = `${DEFAULT_RULES.rulesVersion}+ADOPT-1`;
const REASON = 'A needs 92 from this review on (board minute 7)';

let dir: string;
let A92: string;
let env: Record<string, string>;
const services: Service[] = [];
let got: Outputs;
const redis = redisFor();

const cli = (args: string[]) => runCli(['rescore', ...args], { ...env, LOG_LEVEL: 'warn' }, undefined, 90_000);
const latest = <T extends { staffId: string; period: Scorecard['period'] }>(records: readonly T[]) => {
  const m = new Map<string, T>();
  for (const r of records) if (periodIdOfRecord(r.period) === month.id) m.set(r.staffId, r);
  return m;
};
const logs = () => services.flatMap((s) => s.lines().slice(-40)).join('\n');
const dryRun = async () => {
  const r = await cli(['--period', month.id, '--rules', A92, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as WhatIfDiff;
};

beforeAll(async () => {
  const [corrections, dlq, callcenter, billing, outageRepair, workforce, roster] = await createTopics(['corr', 'dlq', 'cc', 'bill', 'rep', 'wf', 'roster'], 1);
  const [appraisal, eligibility, teamScorecard] = await createTopics(['appraisal', 'elig', 'team'], 1, undefined, { configEntries: [{ name: 'cleanup.policy', value: 'compact' }] });
  dir = mkdtempSync(path.join(os.tmpdir(), 'cs-adopt-'));
  A92 = path.join(dir, 'a92.json');
  writeFileSync(A92, JSON.stringify({ grades: { A: 92 } }));
  const prefix = uniqueName('adopt');
  env = {
    KAFKA_BROKERS: testStack().brokers, REDIS_URL: testStack().redisUrl, CS_KEY_PREFIX: prefix, CS_GROUP_ID: `${prefix}-g`,
    CS_TOPIC_CALLCENTER: callcenter!, CS_TOPIC_BILLING: billing!, CS_TOPIC_OUTAGE_REPAIR: outageRepair!, CS_TOPIC_WORKFORCE: workforce!,
    CS_TOPIC_ROSTER: roster!, CS_TOPIC_CORRECTIONS: corrections!, CS_TOPIC_DLQ: dlq!, CS_TOPIC_APPRAISAL: appraisal!, CS_TOPIC_ELIGIBILITY: eligibility!, CS_TOPIC_TEAM_SCORECARD: teamScorecard!,
    CS_TICK_SECONDS: '1', METRICS_PORT: '0', LOG_LEVEL: 'info', ...TEST_CLOCK.env,
  };
  got = await collectOutputs({ appraisal: appraisal!, eligibility: eligibility! }, 'adopt-read');
  await seedPeriod(new CounterStore(redis, counterStoreOptions(loadConfig(env))), month, ROSTER, COUNTERS);
  services.push(spawnService('aggregator', env), spawnService('scorer', env));
}, 120_000);

afterAll(async () => {
  for (const s of services) await s.kill('SIGTERM');
  await got?.stop();
  redis.disconnect();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('cs-appraisal rescore --publish', () => {
  it('the month is FINAL under the rules in force (S03 an A)', async () => {
    await waitFor(async () => latest(got.cards).size === 3 && latest(got.elig).size === 3, 120_000, `3 FINAL cards and eligibility records of ${month.id}\n${logs()}`);
    const cards = latest(got.cards);
    expect([...cards.values()].map((c) => [c.staffId, c.status, c.grade, c.rulesVersion]).sort()).toEqual([
      ['S01', 'FINAL', 'A', DEFAULT_RULES.rulesVersion],
      ['S02', 'FINAL', 'C', DEFAULT_RULES.rulesVersion],
      ['S03', 'FINAL', 'A', DEFAULT_RULES.rulesVersion],
    ]);
  });

  it('refuses without a reason and actors, options of --publish without it, and a period that is not closed (exit 2, nothing sent)', async () => {
    const noWho = await cli(['--period', month.id, '--rules', A92, '--publish', '--reason', REASON]);
    expect([noWho.code, noWho.stdout]).toEqual([2, '']);
    expect(noWho.stderr).toContain('rescore --publish needs --requested-by, --approved-by');
    const stray = await cli(['--period', month.id, '--rules', A92, '--reason', REASON]);
    expect(stray.code).toBe(2);
    expect(stray.stderr).toContain('--reason only apply with --publish');
    const open = nextPeriod(month).id;
    const r = await cli(['--period', open, '--rules', A92, '--publish', '--reason', REASON, '--requested-by', 'HR-1', '--approved-by', 'DIR-1']);
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toContain(`${open} is not closed (PROVISIONAL`);
    expect(r.stderr).toContain('rules are adopted for FINAL periods only');
  });

  it('publishes the adoption: REVISED cards with the dry run\'s proposed grades, the reason and actors on every card, eligibility following', async () => {
    const before = await dryRun();
    const proposed = new Map(before.teams.flatMap((t) => t.moved.map((m) => [m.staffId, m.to] as const)));
    expect(Object.fromEntries(proposed)).toEqual({ S03: 'B' });

    const r = await cli(['--period', month.id, '--rules', A92, '--publish', '--id', 'ADOPT-1', '--reason', REASON, '--requested-by', 'HR-1', '--approved-by', 'DIR-1']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`What-if ${month.id}: 3 staff scored under ${DEFAULT_RULES.rulesVersion} (current) and ${ADOPTED} (${A92}); adopting the proposal`);
    expect(r.stdout).toContain('  S03  T2  A -> B  composite 91.6 -> 91.6');
    expect(r.stdout).toContain(`Published ADOPT-1: rules ${ADOPTED} adopted for ${month.id}`);

    const revised = () => [...latest(got.cards).values()].filter((c) => c.status === 'REVISED' && c.rulesVersion === ADOPTED);
    await waitFor(async () => revised().length === 3 || undefined, 90_000, `3 REVISED cards under ${ADOPTED}\n${logs()}`);
    const cards = latest(got.cards);
    const finalGrade = { S01: 'A', S02: 'C', S03: 'A' } as Record<string, string>;
    for (const c of cards.values()) {
      expect([c.staffId, c.status, c.revision, c.rulesVersion, c.grade]).toEqual([c.staffId, 'REVISED', 1, ADOPTED, proposed.get(c.staffId) ?? finalGrade[c.staffId]]);
      expect((c.reasons ?? []).map((x) => ({ correctionId: x.correctionId, kind: x.kind, reason: x.reason, requestedBy: x.requestedBy, approvedBy: x.approvedBy, adjustment: x.adjustment }))).toEqual([
        { correctionId: 'ADOPT-1', kind: 'RULES_ADOPTED', reason: REASON, requestedBy: 'HR-1', approvedBy: 'DIR-1', adjustment: null },
      ]);
    }
    // Eligibility of every REVISED card (each carries its card's appraisalId): S03 loses SERVICE_STAR, 1.20 -> 1.05.
    await waitFor(async () => [...cards.values()].every((c) => latest(got.elig).get(c.staffId)?.appraisalId === c.appraisalId) || undefined, 30_000, `the eligibility records of the REVISED round\n${logs()}`);
    const elig = latest(got.elig);
    expect([...elig.values()].map((e) => [e.staffId, e.bonusCoefficient, e.awards]).sort()).toEqual([
      ['S01', 1.2, ['SERVICE_STAR']],
      ['S02', 0.95, []],
      ['S03', 1.05, []],
    ]);
  });

  it('afterwards the period is scored with the adopted rules: a dry run of the same proposal shows no change, explain shows the adoption', async () => {
    const d = await dryRun();
    expect(d.currentRules).toBe(ADOPTED);
    expect([d.gradesMoved, d.awards, d.coefficients.delta]).toEqual([0, { gained: [], lost: [] }, 0]);
    const x = await runCli(['explain', '--staff', 'S03', '--period', month.id], { ...env, LOG_LEVEL: 'warn' }, undefined, 60_000);
    expect(x.code, x.stderr).toBe(0);
    expect(x.stdout.split('\n')[0]).toMatch(new RegExp(`REVISED revision 1  rules ${ADOPTED.replace(/[.+]/g, '\\$&')}$`));
    expect(x.stdout).toContain(`ADOPT-1 RULES_ADOPTED at `);
    expect(x.stdout).toContain(`requested by HR-1, approved by DIR-1: ${REASON}`);
    expect(x.stdout).toMatch(/coefficient 1\.05; eligible yes/);
  });

  it('a second adoption wins (A >= 95: S01 a B too) and both stay listed on every card, in order', async () => {
    const A95 = path.join(dir, 'a95.json');
    writeFileSync(A95, JSON.stringify({ grades: { A: 95 } }));
    const r = await cli(['--period', month.id, '--rules', A95, '--publish', '--id', 'ADOPT-2', '--reason', 'A needs 95 after all', '--requested-by', 'HR-2', '--approved-by', 'DIR-1']);
    expect(r.code, r.stderr).toBe(0);
    const second = `${ADOPTED}+ADOPT-2`;
    expect(r.stdout).toContain(`under ${ADOPTED} (current) and ${second} (${A95})`);
    expect(r.stdout).toContain('  S01  T1  A -> B  composite 93.3 -> 93.3');
    await waitFor(async () => [...latest(got.cards).values()].filter((c) => c.rulesVersion === second).length === 3 || undefined, 90_000, `3 REVISED cards under ${second}\n${logs()}`);
    for (const c of latest(got.cards).values()) {
      expect([c.staffId, c.revision, c.grade]).toEqual([c.staffId, 2, { S01: 'B', S02: 'C', S03: 'B' }[c.staffId]]);
      expect((c.reasons ?? []).map((x) => [x.correctionId, x.kind, x.requestedBy])).toEqual([
        ['ADOPT-1', 'RULES_ADOPTED', 'HR-1'],
        ['ADOPT-2', 'RULES_ADOPTED', 'HR-2'],
      ]);
    }
  });
});
