// The README's main job and the commands behind it, driven as a newcomer would: `demo` on a private
// stack, `simulate` (determinism, NDJSON into `produce`, publishing), and `run` stopping cleanly.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '@cs/stack';
import { createTopics, kafkaFor, testStack, uniqueName } from '../harness/index.ts';
import { CLI_BIN, runCli } from '../harness/cli.ts';

const SMALL = ['--teams', '2', '--staff-per-team', '4', '--seed', '7'];

/** Pids of live processes whose command line or environment mentions `text`. */
function processesMentioning(text: string): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      const environ = readFileSync(`/proc/${entry}/environ`, 'utf8');
      if (cmd.includes(text) || environ.includes(text)) out.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

describe('cs-appraisal demo (the main job)', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cs-demo-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('brings up its own stack, replays a month, shows FINAL leaderboards live, and leaves no process behind', async () => {
    const env = {
      CS_STACK_DIR: dir,
      CS_KAFKA_PORT: String(await freePort()),
      CS_KAFKA_CONTROLLER_PORT: String(await freePort()),
      CS_REDIS_PORT: String(await freePort()),
      METRICS_PORT: String(await freePort()),
      KAFKA_BROKERS: undefined,
      REDIS_URL: undefined,
    };
    const r = await runCli(['demo', ...SMALL, '--duration', '8'], env, undefined, 240_000);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/replaying MONTH:\d{4}-\d{2} for 8 staff in 2 teams/);
    expect(r.stderr).toMatch(/100% [\d,]+\/[\d,]+ in/);
    expect(r.stdout).toMatch(/Team leaderboards — MONTH:\d{4}-\d{2} \(FINAL\/REVISED\)/);
    expect(r.stdout).toMatch(/T01 +4 /);
    expect(r.stdout).toContain('Hotline queues');
    expect(r.stdout).toMatch(/Dead letters: .*DECODE|Dead letters: none/);
    expect(r.stderr).toMatch(/stopped the aggregator, the scorer, Kafka and Redis/);
    expect(r.stderr).toMatch(/npx cs-appraisal scorecards --period MONTH:\d{4}-\d{2} --status FINAL/);
    // Nothing of the private stack, nor the services, still runs.
    expect(processesMentioning(dir)).toEqual([]);
    expect(processesMentioning(`METRICS_PORT=${env.METRICS_PORT}`)).toEqual([]);
  }, 300_000);

  it('exits 2 on a bad argument', async () => {
    expect((await runCli(['demo', '--teams'])).code).toBe(2);
    expect((await runCli(['demo', '--colour', 'red'])).code).toBe(2);
  });
});

describe('cs-appraisal simulate', () => {
  it('is deterministic from its seed, and its NDJSON is accepted by produce', async () => {
    const args = ['simulate', ...SMALL, '--month', '2026-10', '--ndjson'];
    const [a, b] = await Promise.all([runCli(args), runCli(args)]);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout.length).toBeGreaterThan(1000);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).toContain('"kind":"StaffProfile"');
    const other = await runCli(['simulate', '--teams', '2', '--staff-per-team', '4', '--seed', '8', '--month', '2026-10', '--ndjson']);
    expect(other.stdout).not.toBe(a.stdout);

    // produce validates every line (with "now" at the month's end, the events are not in the future).
    const topics = await createTopics(['cc', 'bill', 'rep', 'wf', 'roster'], 2);
    const env = { KAFKA_BROKERS: testStack().brokers, CS_TOPIC_CALLCENTER: topics[0], CS_TOPIC_BILLING: topics[1], CS_TOPIC_OUTAGE_REPAIR: topics[2], CS_TOPIC_WORKFORCE: topics[3], CS_TOPIC_ROSTER: topics[4] };
    const lines = a.stdout.trim().split('\n').length;
    const produced = await runCli(['produce'], env, a.stdout);
    expect(produced.code, produced.stderr).toBe(0);
    expect(produced.stdout).toContain(`published ${lines} events`);
  });

  it('publishes the roster and a month to the topics, malformed messages included', async () => {
    const topics = await createTopics(['cc', 'bill', 'rep', 'wf', 'roster', 'dlq'], 2);
    const env = { KAFKA_BROKERS: testStack().brokers, CS_TOPIC_CALLCENTER: topics[0], CS_TOPIC_BILLING: topics[1], CS_TOPIC_OUTAGE_REPAIR: topics[2], CS_TOPIC_WORKFORCE: topics[3], CS_TOPIC_ROSTER: topics[4] };
    const r = await runCli(['simulate', ...SMALL, '--month', '2026-10', '--malformed-rate', '0.01'], env);
    expect(r.code, r.stderr).toBe(0);
    const sent = Number(/100% [\d,]+\/([\d,]+)/.exec(r.stderr)?.[1]?.replaceAll(',', ''));
    expect(sent).toBeGreaterThan(1000);
    expect(r.stderr).toMatch(/\((\d+) malformed on purpose\)/);
    const admin = kafkaFor().admin();
    await admin.connect();
    let total = 0;
    for (const t of topics.slice(0, 5)) for (const o of await admin.fetchTopicOffsets(t!)) total += Number(o.high);
    await admin.disconnect();
    expect(total).toBe(sent);
  });

  it('refuses bad options with exit 2', async () => {
    for (const args of [['--teams', '0'], ['--month', '2026-13'], ['--live', '--month', '2026-10'], ['--intensity', 'lots'], ['--frobnicate']]) {
      const r = await runCli(['simulate', ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});

describe('cs-appraisal run', () => {
  it('runs the aggregator in the foreground and stops cleanly on SIGTERM', async () => {
    const [cc, bill, rep, wf, roster, dlq] = await createTopics(['cc', 'bill', 'rep', 'wf', 'roster', 'dlq'], 2);
    const child = spawn(process.execPath, [CLI_BIN, 'run', 'aggregator'], {
      env: {
        ...process.env,
        KAFKA_BROKERS: testStack().brokers,
        REDIS_URL: testStack().redisUrl,
        CS_KEY_PREFIX: uniqueName('run'),
        CS_TOPIC_CALLCENTER: cc,
        CS_TOPIC_BILLING: bill,
        CS_TOPIC_OUTAGE_REPAIR: rep,
        CS_TOPIC_WORKFORCE: wf,
        CS_TOPIC_ROSTER: roster,
        CS_TOPIC_DLQ: dlq,
        METRICS_PORT: String(await freePort()),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    const deadline = Date.now() + 60_000;
    while (!out.includes('aggregator started') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(out).toContain('aggregator started');
    const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(out).toContain('"msg":"stopped"');
  });

  it('exits 2 for an unknown service, and names a bad variable', async () => {
    expect((await runCli(['run', 'everything'])).code).toBe(2);
    const bad = await runCli(['run', 'aggregator'], { KAFKA_BROKERS: 'nohostport', REDIS_URL: 'redis://127.0.0.1:1' });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('KAFKA_BROKERS');
  });
});
