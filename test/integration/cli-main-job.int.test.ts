// The README's main job and the commands behind it, driven as a newcomer would: `demo` on a private
// stack, `simulate` (determinism, NDJSON into `produce`, publishing), and `run` stopping cleanly.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_RULES, nextPeriod, periodOf, previousPeriod } from '@cs/appraisal';
import { systemClock } from '@cs/runtime';
import { freePort } from '@cs/stack';
import { createTopics, kafkaFor, testStack, topicOffsets, uniqueName } from '../harness/index.ts';
import { CLI_BIN, runCli } from '../harness/cli.ts';
import { TEST_CLOCK } from '../harness/clock.ts';
import { NODE_FLAGS } from '@cs/runtime/node-flags';

const DAY = 86_400_000;
/** A month to replay with `simulate --month`, from the test's clock: YYYY-MM. */
const LAST_MONTH = TEST_CLOCK.lastMonth().start.slice(0, 7);

/**
 * Runs `cs-appraisal <args>` in its own process group until its stdout satisfies `ready`, then
 * sends SIGINT to the group, as Ctrl-C in a terminal does; stopMs is from the signal to its exit.
 * `onStderr` sees its stderr so far after each piece.
 */
function runUntil(
  args: string[],
  env: Record<string, string | undefined>,
  ready: (stdout: string) => boolean,
  timeoutMs: number,
  onStderr: (stderr: string) => void = () => {},
): Promise<{ code: number; stdout: string; stderr: string; stopMs: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...NODE_FLAGS, CLI_BIN, ...args], { env: { ...process.env, LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    let signalledAt = 0;
    const interrupt = () => {
      if (signalledAt) return;
      signalledAt = performance.now();
      process.kill(-child.pid!, 'SIGINT');
    };
    child.stdout.on('data', (d) => {
      stdout += d;
      if (ready(stdout)) interrupt();
    });
    child.stderr.on('data', (d) => {
      stderr += d;
      onStderr(stderr);
    });
    const timer = setTimeout(interrupt, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr, stopMs: signalledAt ? performance.now() - signalledAt : Infinity });
    });
  });
}

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

/** The environment of a demo on a stack of its own in `dir`: free ports, no shared broker or Redis. */
async function privateStack(dir: string) {
  return {
    CS_STACK_DIR: dir,
    CS_KAFKA_PORT: String(await freePort()),
    CS_KAFKA_CONTROLLER_PORT: String(await freePort()),
    CS_REDIS_PORT: String(await freePort()),
    CS_REGISTRY_PORT: String(await freePort()),
    METRICS_PORT: String(await freePort()),
    CS_CONSOLE_PORT: String(await freePort()),
    KAFKA_BROKERS: undefined,
    REDIS_URL: undefined,
  };
}

/** The last lines of each service log the demo wrote under `logsDir`. */
function serviceLogTails(logsDir: string): string {
  let names: string[];
  try {
    names = readdirSync(logsDir).filter((n) => n.endsWith('.log'));
  } catch {
    return `(no ${logsDir})`;
  }
  return names.map((n) => `--- ${n}\n${readFileSync(path.join(logsDir, n), 'utf8').split('\n').slice(-25).join('\n')}`).join('\n');
}

describe('cs-appraisal demo (the main job)', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cs-demo-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('started on the 2nd of a month: brings up its own stack, replays last month, shows it FINAL, and Ctrl-C leaves no process within 10 s', async () => {
    // The clock the demo starts on: 00:30 on the 2nd of next month, when last month is still inside
    // its close grace. The demo runs its services' clock past the close, and says so.
    const tz = DEFAULT_RULES.timeZone;
    const second = nextPeriod(periodOf('MONTH', TEST_CLOCK.clock.now(), tz)).startMs + DAY + 30 * 60_000;
    const replayed = previousPeriod(periodOf('MONTH', second, tz));
    const env = { ...(await privateStack(dir)), CS_CLOCK_OFFSET_SECONDS: String(Math.round((second - systemClock.now()) / 1000)) };
    // The scorer's publisher threads send a period's cards side by side, so the first screen with a
    // FINAL may show part of a team: ready once one screen shows both teams, T01 whole.
    const whole = (out: string) => {
      const screen = out.slice(out.lastIndexOf('\x1b[2J'));
      return /Team leaderboards — MONTH:\d{4}-\d{2} \(FINAL\/REVISED\)/.test(screen) && /T01 +4 /.test(screen) && /T02 +\d/.test(screen);
    };
    const r = await runUntil(['demo', ...SMALL], env, whole, 240_000);
    // On a miss, what the demo said and the tail of each service's log say which step it was at.
    const said = `demo stderr:\n${r.stderr.slice(-4000)}\n${serviceLogTails(path.join(dir, 'logs'))}`;
    expect(r.code, said).toBe(0);
    expect(r.stopMs, 'Ctrl-C to exit').toBeLessThan(10_000);
    expect(r.stderr).toContain(`replaying ${replayed.id} for 8 staff in 2 teams`);
    expect(r.stderr).toMatch(/close grace .* runs its clock .* ahead \(CS_CLOCK_OFFSET_SECONDS\) to show it FINAL/);
    expect(r.stderr).toMatch(/100% [\d,]+\/[\d,]+ in/);
    expect(whole(r.stdout), said).toBe(true);
    expect(r.stdout).toContain(`Team leaderboards — ${replayed.id} (FINAL/REVISED)`);
    expect(r.stdout).toContain(`Replaying ${replayed.id}`);
    expect(r.stdout).toMatch(/T01 +4 /);
    expect(r.stdout).toContain('Hotline queues');
    expect(r.stdout).toMatch(/Dead letters: .*DECODE|Dead letters: none/);
    expect(r.stderr).toContain(`console: http://127.0.0.1:${env.CS_CONSOLE_PORT}/wallboard`);
    expect(r.stderr).toMatch(/stopped the aggregator, the scorer, the console, Kafka and Redis/);
    expect(r.stderr).toMatch(/npx cs-appraisal scorecards --period MONTH:\d{4}-\d{2} --status FINAL/);
    // Nothing of the private stack, nor the services, still runs (the demo waited for them).
    expect(processesMentioning(dir)).toEqual([]);
    expect(processesMentioning(`METRICS_PORT=${env.METRICS_PORT}`)).toEqual([]);
  }, 300_000);

  it('a service that dies: the demo stops, exits 1 naming it and its log, and leaves no process', async () => {
    const own = mkdtempSync(path.join(os.tmpdir(), 'cs-demo-died-'));
    try {
      let killed = false;
      const { code, stderr } = await runUntil(['demo', ...SMALL], await privateStack(own), () => false, 240_000, (stderr) => {
        if (killed || !stderr.includes('3/4 replaying')) return;
        // The aggregator the demo started (its command line says `run aggregator`, its environment our stack).
        const pid = processesMentioning(own).find((p) => readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('run\0aggregator'));
        if (pid === undefined) return;
        killed = true;
        process.kill(pid, 'SIGKILL');
      });
      expect(killed, stderr).toBe(true);
      expect(code, stderr).toBe(1);
      expect(stderr).toMatch(/the aggregator exited \(SIGKILL\) while the demo ran: see .*aggregator\.log/);
      expect(stderr).toMatch(/stopped the aggregator, the scorer, the console, Kafka and Redis/);
      expect(processesMentioning(own)).toEqual([]);
    } finally {
      rmSync(own, { recursive: true, force: true });
    }
  }, 300_000);

  it('exits 2 on a bad argument', async () => {
    expect((await runCli(['demo', '--teams'])).code).toBe(2);
    expect((await runCli(['demo', '--colour', 'red'])).code).toBe(2);
  });
});

describe('cs-appraisal simulate', () => {
  it('is deterministic from its seed, and its NDJSON is accepted by produce', async () => {
    const args = ['simulate', ...SMALL, '--month', LAST_MONTH, '--ndjson'];
    const [a, b] = await Promise.all([runCli(args), runCli(args)]);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout.length).toBeGreaterThan(1000);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).toContain('"kind":"StaffProfile"');
    const other = await runCli(['simulate', '--teams', '2', '--staff-per-team', '4', '--seed', '8', '--month', LAST_MONTH, '--ndjson']);
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
    const r = await runCli(['simulate', ...SMALL, '--month', LAST_MONTH, '--malformed-rate', '0.01'], env);
    expect(r.code, r.stderr).toBe(0);
    const sent = Number(/100% [\d,]+\/([\d,]+)/.exec(r.stderr)?.[1]?.replaceAll(',', ''));
    expect(sent).toBeGreaterThan(1000);
    expect(r.stderr).toMatch(/\((\d+) malformed on purpose\)/);
    const admin = kafkaFor().admin();
    await admin.connect();
    let total = 0;
    for (const t of topics.slice(0, 5)) for (const o of await topicOffsets(admin, t!)) total += Number(o.high);
    await admin.disconnect();
    expect(total).toBe(sent);
  });

  it('refuses bad options with exit 2', async () => {
    for (const args of [['--teams', '0'], ['--month', '2026-13'], ['--live', '--month', LAST_MONTH], ['--intensity', 'lots'], ['--frobnicate']]) {
      const r = await runCli(['simulate', ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});

describe('cs-appraisal run', () => {
  it('runs the aggregator in the foreground and stops cleanly on SIGTERM', async () => {
    const [cc, bill, rep, wf, roster, corrections, dlq] = await createTopics(['cc', 'bill', 'rep', 'wf', 'roster', 'corr', 'dlq'], 2);
    const child = spawn(process.execPath, [...NODE_FLAGS, CLI_BIN, 'run', 'aggregator'], {
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
        CS_TOPIC_CORRECTIONS: corrections,
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
