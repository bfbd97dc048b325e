// #16 "Kept for payroll": scorecards and eligibility of two months (one REVISED after the payroll
// cut-off) on compacted output topics keyed <staffId>|<periodId>; `export` and `scorecards
// --period` read a past month back. Every date derives from the test clock.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RULES, closeAtMs, periodRef, previousPeriod } from '@cs/appraisal';
import { createCodecs, outputKeyOf, type Eligibility, type Scorecard } from '@cs/contracts';
import { ELIGIBILITY, SCORECARD } from '../../packages/contracts/test/fixtures.ts';
import { TEST_CLOCK } from '../harness/clock.ts';
import { runCli } from '../harness/cli.ts';
import { createTopics, kafkaFor, testStack } from '../harness/index.ts';

const codecs = createCodecs();
const HOUR = 3_600_000;
const lastMonth = TEST_CLOCK.lastMonth();
const monthBefore = previousPeriod(lastMonth);
const cutoffOf = (p: typeof lastMonth) => closeAtMs(p, DEFAULT_RULES) + 24 * HOUR; // the documented default
const iso = (ms: number) => new Date(ms).toISOString();

const card = (p: typeof lastMonth, over: Partial<Scorecard>): Scorecard => ({ ...SCORECARD, period: periodRef(p), status: 'FINAL', revision: 0, computedAt: iso(closeAtMs(p, DEFAULT_RULES) + 60_000), ...over });
const elig = (p: typeof lastMonth, over: Partial<Eligibility>): Eligibility => ({ ...ELIGIBILITY, period: periodRef(p), ...over });

// The month before last: S001 FINAL, S002 FINAL then REVISED after the cut-off (an adjustment).
const old = {
  s001: card(monthBefore, { appraisalId: 'old-s001', staffId: 'S001', grade: 'B' }),
  s002: card(monthBefore, { appraisalId: 'old-s002', staffId: 'S002', teamId: 'T00', grade: 'C' }),
  s002Rev: card(monthBefore, { appraisalId: 'old-s002-r1', staffId: 'S002', teamId: 'T00', grade: 'B', status: 'REVISED', revision: 1, computedAt: iso(cutoffOf(monthBefore) + HOUR) }),
};
const oldElig = {
  s001: elig(monthBefore, { eligibilityId: 'oe-s001', appraisalId: 'old-s001', staffId: 'S001', bonusCoefficient: 1.05, awards: ['TEAM_HONOUR', 'SERVICE_STAR'] }),
  s002: elig(monthBefore, { eligibilityId: 'oe-s002', appraisalId: 'old-s002', staffId: 'S002', teamId: 'T00', grade: 'C', bonusCoefficient: 0, awards: [], vetoReasons: ['SERIOUS_COMPLAINT'] }),
  s002Rev: elig(monthBefore, { eligibilityId: 'oe-s002-r1', appraisalId: 'old-s002-r1', staffId: 'S002', teamId: 'T00', grade: 'B', bonusCoefficient: 1, awards: [], vetoReasons: [] }),
};
// Last month: S001 only.
const last = { s001: card(lastMonth, { appraisalId: 'last-s001', staffId: 'S001', grade: 'A' }) };
const lastElig = { s001: elig(lastMonth, { eligibilityId: 'le-s001', appraisalId: 'last-s001', staffId: 'S001', grade: 'A', bonusCoefficient: 1.2, awards: [] }) };

let appraisal: string;
let eligibility: string;
let dir: string;
const env = () => ({ KAFKA_BROKERS: testStack().brokers, CS_TOPIC_APPRAISAL: appraisal, CS_TOPIC_ELIGIBILITY: eligibility });
const cli = (args: string[], extra: Record<string, string> = {}) => runCli(args, { ...env(), ...TEST_CLOCK.env, ...extra }, undefined, 90_000);
const label = (p: typeof lastMonth) => p.id;

/** Published at `atMs` on the test clock (Kafka timestamps are wall-clock: the offset comes off). */
const at = (atMs: number) => String(atMs - TEST_CLOCK.offsetSeconds * 1000);

async function publish(topic: string, records: { key: string; value: Buffer; timestamp: string }[]): Promise<void> {
  const producer = kafkaFor().producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  for (const r of records) await producer.send({ topic, messages: [r], acks: -1 }); // in order
  await producer.disconnect();
}

beforeAll(async () => {
  // Compacted like the stack's output topics (topicPlan).
  [appraisal, eligibility] = (await createTopics(['cs.appraisal.kept', 'cs.incentive-eligibility.kept'], 3, undefined, { configEntries: [{ name: 'cleanup.policy', value: 'compact' }] })) as [string, string];
  dir = mkdtempSync(path.join(os.tmpdir(), 'cs-export-'));
  // Each record published when its card was computed.
  const a = (c: Scorecard) => ({ key: outputKeyOf(c), value: codecs.encode('appraisal', c), timestamp: at(Date.parse(c.computedAt)) });
  const e = (x: Eligibility, c: Scorecard) => ({ key: outputKeyOf(x), value: codecs.encode('eligibility', x), timestamp: at(Date.parse(c.computedAt)) });
  await publish(appraisal, [a(old.s001), a(old.s002), a(last.s001), a(old.s002Rev)]);
  await publish(eligibility, [e(oldElig.s001, old.s001), e(oldElig.s002, old.s002), e(lastElig.s001, last.s001), e(oldElig.s002Rev, old.s002Rev)]);
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('cs-appraisal export / scorecards --period on the compacted output topics', () => {
  it('the topics are compacted and every record is keyed <staffId>|<periodId>', async () => {
    const admin = kafkaFor().admin();
    await admin.connect();
    const cfg = await admin.describeConfigs({ includeSynonyms: false, resources: [appraisal, eligibility].map((name) => ({ type: 2, name, configNames: ['cleanup.policy'] })) });
    await admin.disconnect();
    expect(cfg.resources.map((r) => r.configEntries[0]!.configValue)).toEqual(['compact', 'compact']);
    expect(outputKeyOf(old.s002Rev)).toBe(`S002|${monthBefore.id}`);
    expect(monthBefore.id).toMatch(/^MONTH:\d{4}-\d{2}$/);
  });

  it('export writes one row per staff member of a past month, REVISED after the cut-off marked as an adjustment, with count and checksum', async () => {
    const file = path.join(dir, 'payroll.csv');
    const r = await cli(['export', '--period', label(monthBefore), '--format', 'csv', '--out', file]);
    expect(r.code, r.stderr).toBe(0);
    const csv = readFileSync(file);
    expect(csv.toString('utf8').split('\r\n')).toEqual([
      'staff,team,role,grade,coefficient,awards,veto,status,revision,reasons,adjustment',
      'S002,T00,HOTLINE_AGENT,B,1,,,REVISED,1,,yes',
      'S001,T01,HOTLINE_AGENT,B,1.05,TEAM_HONOUR;SERVICE_STAR,,FINAL,0,,no',
      '',
    ]);
    const sha = createHash('sha256').update(csv).digest('hex');
    expect(r.stderr.trim()).toBe(`cs-appraisal export: ${label(monthBefore)} rows=2 adjustments=1 provisional=0 cutoff=${iso(cutoffOf(monthBefore))} sha256=${sha}`);

    // To stdout, same bytes; a later --cutoff makes the REVISED part of this pay run.
    const s = await cli(['export', '--period', label(monthBefore), '--format', 'csv', '--cutoff', iso(cutoffOf(monthBefore) + 2 * HOUR)]);
    expect(s.code, s.stderr).toBe(0);
    expect(s.stdout).toContain('S002,T00,HOTLINE_AGENT,B,1,,,REVISED,1,,no\r\n');
    expect(s.stderr).toMatch(/rows=2 adjustments=0 /);
    // The last month is there too, on its own.
    const l = await cli(['export', '--period', label(lastMonth), '--format', 'csv']);
    expect(l.stdout.split('\r\n').slice(1)).toEqual(['S001,T01,HOTLINE_AGENT,A,1.2,,,FINAL,0,,no', '']);
  });

  it('scorecards and eligibility --period read back a past month: the latest record per staff member', async () => {
    const sc = await cli(['scorecards', '--period', label(monthBefore), '--json']);
    expect(sc.code, sc.stderr).toBe(0);
    expect(sc.stdout.trim().split('\n').map((x) => JSON.parse(x))).toEqual([old.s002Rev, old.s001]);
    const el = await cli(['eligibility', '--period', label(monthBefore), '--json']);
    expect(el.stdout.trim().split('\n').map((x) => JSON.parse(x))).toEqual([oldElig.s002Rev, oldElig.s001]);
  });

  it.each([
    [['export', '--format', 'csv'], /missing --period/],
    [['export', '--period', `DAY:${lastMonth.start}`, '--format', 'csv'], /MONTH only/],
    [['export', '--period', lastMonth.id], /missing --format/],
    [['export', '--period', lastMonth.id, '--format', 'xlsx'], /only csv/],
    [['export', '--period', lastMonth.id, '--format', 'csv', '--cutoff', 'next tuesday'], /bad --cutoff/],
    [['export', '--period', lastMonth.id, '--format', 'csv', '--cutoff', iso(cutoffOf(lastMonth)).slice(0, 19)], /with its zone/],
    [['export', '--period', lastMonth.id, '--format', 'csv', '--nope'], /export --help/],
  ])('bad arguments exit 2 with a clear message: %j', async (args, message) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('a bad CS_PAYROLL_CUTOFF_HOURS exits 2 naming it', async () => {
    const r = await cli(['export', '--period', label(lastMonth), '--format', 'csv'], { CS_PAYROLL_CUTOFF_HOURS: 'soon' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/CS_PAYROLL_CUTOFF_HOURS/);
  });
});
