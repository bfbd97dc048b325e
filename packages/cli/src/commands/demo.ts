import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { periodOf, previousPeriod } from '@cs/appraisal';
import type { Scorecard } from '@cs/contracts';
import { INPUT_TOPICS, cliCodecs } from '../cli-codecs.ts';
import { CounterStore } from '@cs/counter-store';
import { counterStoreOptions, loadRules } from '@cs/runtime';
import { createSimulation } from '@cs/simulator';
import { stackDown, stackUp, stateDir, StackError } from '@cs/stack';
import { parseCommandArgs } from '../args.ts';
import { RuntimeFailure } from '../cli-errors.ts';
import { cliKafka } from '../kafka-client.ts';
import { demoPlan } from '../demo-plan.ts';
import { publishItems } from '../sim-publisher.ts';
import { LiveView } from '../live-view.ts';
import { replay } from './simulate.ts';
import { NODE_FLAGS } from '@cs/runtime/node-flags';

/** How long --duration waits for the month's FINAL scorecards before it starts counting anyway. */
const FINAL_WAIT_MS = 120_000;

export const demoHelp = `Usage: cs-appraisal demo [--teams N] [--staff-per-team N] [--seed N] [--duration S]

The main job, from nothing: brings up the local Kafka and Redis (stack up), starts the aggregator
and the scorer, replays last month of a simulated province (with a progress bar), lets the scorer
close it (FINAL scorecards and incentive eligibility), then runs live traffic and refreshes a
terminal view — per team the leaderboard with grades and the month's trends (3-month slope,
improvement plans), hotline service level and abandonment against target, repair arrivals against
the commitment, dead letters — until Ctrl-C, which stops everything it started and says where the
FINAL scorecards can be read.

  --teams N            teams (default 12)
  --staff-per-team N   staff per team (default 25)
  --seed N             simulation seed (default 42)
  --duration S         stop by itself S seconds after the month's FINAL scorecards are shown
                       (default: until Ctrl-C)
  --live-intensity X   volume of the live traffic relative to real life (default 600)
On the 1st-3rd of a month last month is still open for late events (its close grace): the demo
then runs its services' clock ahead to just past the close (CS_CLOCK_OFFSET_SECONDS) and says so.
It also starts the web console (CS_CONSOLE_PORT, default 8088, on 127.0.0.1) and prints its URL.
Service logs: .stack/logs/aggregator.log, scorer.log and console.log (an aggregator or scorer that
stops by itself stops the demo, exit code 1, naming its log). Metrics: METRICS_PORT (9464) and the
next two ports.`;

const bin = fileURLToPath(new URL('../../bin/cs-appraisal.js', import.meta.url));

export async function demoCommand(argv: string[]): Promise<number> {
  const v = parseCommandArgs('demo', demoHelp, argv, {
    teams: { type: 'string' },
    'staff-per-team': { type: 'string' },
    seed: { type: 'string' },
    duration: { type: 'string' },
    'live-intensity': { type: 'string' },
  });
  if (!v) return 0; // --help
  const teams = Number(v.teams ?? 12);
  const staffPerTeam = Number(v['staff-per-team'] ?? 25);
  const seed = Number(v.seed ?? 42);
  const duration = v.duration === undefined ? Infinity : Number(v.duration);
  const liveIntensity = Number(v['live-intensity'] ?? 600);
  for (const [name, n] of [['teams', teams], ['staff-per-team', staffPerTeam], ['seed', seed], ['duration', duration], ['live-intensity', liveIntensity]] as const) {
    if (!Number.isFinite(n) && !(name === 'duration' && n === Infinity)) throw new RuntimeFailure(`--${name} must be a number`);
  }
  const say = (s: string) => process.stderr.write(`${s}\n`);
  const t0 = performance.now();
  // The month to show, and how far the services' clock must run ahead for it to be FINAL.
  const base = cliKafka(process.env);
  const timeZone = base.config.CS_TIMEZONE;
  // The close grace of the version in force for the month shown (last month).
  const shown = previousPeriod(periodOf('MONTH', base.clock.now(), timeZone));
  const book = loadRules(base.config);
  const plan = demoPlan(base.clock.now(), timeZone, book.inForce(shown));
  const window = plan.month;

  let stopping = false;
  let wake: () => void = () => {};
  const onSignal = () => {
    stopping = true;
    wake();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  say('1/4 bringing up Kafka and Redis (stack up)…');
  let up;
  try {
    up = await stackUp((line) => say(`    ${line}`));
  } catch (err) {
    throw new RuntimeFailure(err instanceof StackError ? err.describe() : String(err));
  }
  const startedStack = !up.kafkaReused || !up.redisReused || up.registryReused === false;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    KAFKA_BROKERS: up.env.KAFKA_BROKERS,
    REDIS_URL: up.env.REDIS_URL,
    ...(up.env.SCHEMA_REGISTRY_URL ? { SCHEMA_REGISTRY_URL: up.env.SCHEMA_REGISTRY_URL } : {}),
    CS_TICK_SECONDS: '2',
    LOG_LEVEL: 'info',
    CS_CLOCK_OFFSET_SECONDS: String(base.config.CS_CLOCK_OFFSET_SECONDS + plan.aheadSeconds),
  };
  const logs = path.join(stateDir(), 'logs');
  mkdirSync(logs, { recursive: true });
  const children: ChildProcess[] = [];
  /** The aggregator or the scorer exited by itself: the demo stops and names it, instead of waiting on it. */
  let died: string | undefined;
  const startService = (name: 'aggregator' | 'scorer' | 'console', port: number) => {
    const out = openSync(path.join(logs, `${name}.log`), 'a');
    const child = spawn(process.execPath, [...NODE_FLAGS, bin, 'run', name], { env: { ...env, METRICS_PORT: String(port) }, stdio: ['ignore', out, out] });
    closeSync(out);
    children.push(child);
    child.once('exit', (code, signal) => {
      if (stopping || name === 'console') return; // the console says so in its log; the demo goes on without it
      died ??= `the ${name} exited (${signal ?? `exit code ${code}`}) while the demo ran: see ${path.join(logs, `${name}.log`)}`;
      onSignal();
    });
    return child;
  };
  /** Whether to stop here: Ctrl-C (true), or a service that died (throws, naming it). */
  const stopped = () => {
    if (died) throw new RuntimeFailure(died);
    return stopping;
  };

  const redis = new Redis(up.env.REDIS_URL, { maxRetriesPerRequest: 3 });
  const store = new CounterStore(redis, counterStoreOptions(base.config));
  const c = cliKafka(env);
  const codecs = await cliCodecs(c, [...INPUT_TOPICS, 'appraisal', 'teamScorecard', 'dlq']);
  const view = new LiveView(c, store, codecs, timeZone, (v) => book.byVersion(v)?.trend.improvementPlanAfter);
  try {
    const metricsPort = Number(process.env.METRICS_PORT ?? 9464);
    say(`2/4 starting the aggregator (metrics :${metricsPort}) — logs in ${logs}`);
    startService('aggregator', metricsPort);

    const sim = createSimulation({ seed, teams, staffPerTeam, timeZone, startMs: window.startMs, endMs: window.endMs, malformedRate: 0.001, duplicateRate: 0.002, stormDays: [18] });
    say(`3/4 replaying ${window.id} for ${sim.roster.length} staff in ${teams} teams`);
    say(`    ${plan.why}`);
    view.note = plan.why;
    await replay(sim, `    ${window.id}`, (s) => process.stderr.write(s), env);
    if (stopped()) return 0;
    await view.waitForAggregator(() => stopping, (s) => process.stderr.write(s));
    if (stopped()) return 0;

    say(`4/4 starting the scorer (tick 2 s, metrics :${metricsPort + 1}) and the web console (metrics :${metricsPort + 2}); live traffic from now on`);
    startService('scorer', metricsPort + 1);
    const consoleLog = path.join(logs, 'console.log');
    const consoleLogFrom = existsSync(consoleLog) ? statSync(consoleLog).size : 0; // the log is appended to
    startService('console', metricsPort + 2);
    await view.start(window.id);
    say(`    ${await consoleUrl(consoleLog, consoleLogFrom, () => stopping)}`);

    // Live traffic: the same organisation, events stamped with the current time.
    // Real time is slow (a month of 300 staff is ~0.07 events/s): live runs at a higher intensity.
    const live = createSimulation({ seed: seed + 1, teams, staffPerTeam, timeZone, startMs: c.clock.now(), intensity: liveIntensity, planIntensity: 1, malformedRate: 0.001, duplicateRate: 0.002 });
    const producer = c.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    let from = c.clock.now();
    // --duration counts from the month's FINAL scorecards on screen: the scorer's start and first
    // tick take longer on a busy machine. A scorer that has published none after FINAL_WAIT_MS
    // (its log says why) does not keep the demo from ending.
    const scorerStarted = performance.now();
    let liveUntil = Infinity;
    let counting = false;
    say(`    ready ${((performance.now() - t0) / 1000).toFixed(0)} s after start; the live view follows (Ctrl-C to stop)`);
    while (!stopping && performance.now() < liveUntil) {
      if (!counting && (view.hasFinal(window.id) || performance.now() - scorerStarted > FINAL_WAIT_MS)) {
        if (!view.hasFinal(window.id)) say(`    no FINAL scorecards of ${window.id} after ${FINAL_WAIT_MS / 1000} s: see ${logs}/scorer.log`);
        counting = true;
        liveUntil = performance.now() + duration * 1000;
      }
      // The screen first: a slow send of live traffic must not keep the view from showing.
      await view.render();
      await new Promise<void>((r) => {
        wake = r;
        setTimeout(r, 2000);
      });
      const to = c.clock.now();
      view.liveEvents += (await publishItems(producer, codecs, c.topics, live.liveWindow(from, to))).sent;
      from = to;
    }
    await producer.disconnect();
    stopped(); // throws when a service died (the loop ended on it)
    return 0;
  } finally {
    stopping = true; // from here on the services exit because they are told to
    process.stderr.write('\nstopping: services finish their batch / tick…\n');
    await view.stop().catch(() => {});
    await Promise.all(children.map((ch) => stopChild(ch)));
    redis.disconnect();
    if (startedStack) {
      await stackDown();
      say('stopped the aggregator, the scorer, the console, Kafka and Redis (data kept in .stack/)');
    } else {
      say('stopped the aggregator, the scorer and the console; Kafka and Redis were already running and still are');
    }
    const month = window.id.slice('MONTH:'.length);
    say(`FINAL scorecards and incentive eligibility of ${month} are on Kafka (cs.appraisal.v1, cs.incentive-eligibility.v1):`);
    say(`  ${startedStack ? 'npx cs-appraisal stack up && ' : ''}npx cs-appraisal scorecards --period MONTH:${month} --status FINAL`);
    say(`  npx cs-appraisal eligibility --period MONTH:${month}`);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** The wallboard's address from the line `run console` prints once it listens (CS_CONSOLE_PORT). */
async function consoleUrl(logFile: string, fromByte: number, stopping: () => boolean): Promise<string> {
  const deadline = performance.now() + 30_000;
  while (performance.now() < deadline && !stopping()) {
    const text = existsSync(logFile) ? readFileSync(logFile).subarray(fromByte).toString('utf8') : '';
    const url = /^console: (http:\S+)/m.exec(text)?.[1];
    if (url) return `console: ${url}wallboard (team and staff pages link from it)`;
    await new Promise((r) => setTimeout(r, 250));
  }
  return `the web console did not start: see ${logFile}`;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}

export type { Scorecard };
