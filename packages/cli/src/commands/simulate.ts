import { DEFAULT_RULES, periodStartingOn, previousPeriod, periodOf } from '@cs/appraisal';
import { toNdjson } from '@cs/contracts';
import { createSimulation, isMalformed, type Simulation } from '@cs/simulator';
import { parseCommandArgs } from '../args.ts';
import { RuntimeFailure, UsageError } from '../cli-errors.ts';
import { cliKafka, connectAdmin, errorText, requireTopics } from '../kafka-client.ts';
import { INPUT_TOPICS, cliCodecs } from '../cli-codecs.ts';
import { progressBar, publishItems } from '../sim-publisher.ts';

export const simulateHelp = `Usage: cs-appraisal simulate [options]

Realistic synthetic traffic of a province's customer service, deterministic from --seed: a roster
of teams and roles, 95598 calls with diurnal arrivals, surveys, quality inspections, callbacks,
meter reading, bills and payments, work orders, repair crews (with a storm), outage notices,
attendance, ratings, 360° feedback and training. Higher-skill staff perform better.

Modes:
  --month YYYY-MM        replay that month (events stamped in the past; default: last month)
  --live                 run live from now on: events stamped with the current time, until Ctrl-C

Options:
  --seed N               PRNG seed (default 42)
  --teams N              teams (default 12)
  --staff-per-team N     staff per team (default 25)
  --intensity X          event volume multiplier (default 1: ~190k events per month for 300 staff)
  --malformed-rate R     share of malformed messages, shows the dead-letter path (default 0.001)
  --duplicate-rate R     share of re-sent duplicates, as upstream retries make (default 0.002)
  --storm-days D,D       days of the month with a storm: more repair tickets, slower arrivals (default 18)
  --transfer-day D       with --month: one staff member (a hotline agent if two teams have them) moves
                         to another team from that day of the month (2-28), an effective-dated
                         roster profile (default: no transfer)
  --ndjson               print valid events as NDJSON on stdout instead of publishing (no malformed)
  -h, --help

Publishes to KAFKA_BROKERS (default the local stack, 127.0.0.1:19092): the roster first, then events.`;

export interface SimulateOptions {
  seed: number;
  teams: number;
  staffPerTeam: number;
  intensity: number;
  malformedRate: number;
  duplicateRate: number;
  stormDays: number[];
}

function number(name: string, v: string | undefined, def: number, min: number, max: number, integer = false): number {
  if (v === undefined) return def;
  const n = Number(v);
  if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    throw new UsageError(`--${name} must be ${integer ? 'an integer' : 'a number'} between ${min} and ${max}, got "${v}"`);
  }
  return n;
}

/** The replay window of `--month YYYY-MM` in the zone (default last month). */
export function monthWindow(month: string | undefined, timeZone: string, now: number): { startMs: number; endMs: number; id: string } {
  if (month !== undefined && !/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new UsageError(`--month must look like 2026-10, got "${month}"`);
  const p = month ? periodStartingOn('MONTH', `${month}-01`, timeZone) : previousPeriod(periodOf('MONTH', now, timeZone));
  return { startMs: p.startMs, endMs: p.endMs, id: p.id };
}

export async function simulateCommand(argv: string[]): Promise<number> {
  const v = parseCommandArgs('simulate', simulateHelp, argv, {
    seed: { type: 'string' },
    teams: { type: 'string' },
    'staff-per-team': { type: 'string' },
    intensity: { type: 'string' },
    'malformed-rate': { type: 'string' },
    'duplicate-rate': { type: 'string' },
    'storm-days': { type: 'string' },
    'transfer-day': { type: 'string' },
    month: { type: 'string' },
    live: { type: 'boolean' },
    ndjson: { type: 'boolean' },
  });
  if (!v) return 0; // --help
  if (v.live && v.month) throw new UsageError('--live and --month exclude each other: pick one');
  if (v.live && v.ndjson) throw new UsageError('--ndjson works with a replayed --month only');
  if (v.live && v['transfer-day'] !== undefined) throw new UsageError('--transfer-day works with a replayed --month only');
  const opts: SimulateOptions = {
    seed: number('seed', v.seed, 42, 0, 2 ** 31, true),
    teams: number('teams', v.teams, 12, 1, 5000, true),
    staffPerTeam: number('staff-per-team', v['staff-per-team'], 25, 3, 500, true),
    intensity: number('intensity', v.intensity, 1, 0.01, 100),
    malformedRate: number('malformed-rate', v['malformed-rate'], 0.001, 0, 0.5),
    duplicateRate: number('duplicate-rate', v['duplicate-rate'], 0.002, 0, 0.5),
    stormDays: (v['storm-days'] ?? '18').split(',').filter(Boolean).map((d) => number('storm-days', d, 18, 1, 31, true)),
  };
  const timeZone = process.env.CS_TIMEZONE || DEFAULT_RULES.timeZone;
  if (v.live) return runLive(opts, timeZone);
  const window = monthWindow(v.month, timeZone, cliKafka().clock.now());
  const transferDay = v['transfer-day'] === undefined ? undefined : number('transfer-day', v['transfer-day'], 2, 2, 28, true);
  // Noon of that local day: the profile's effectiveFrom is its local date.
  const transferAt = transferDay === undefined ? {} : { transferAt: window.startMs + (transferDay - 1) * 86_400_000 + 43_200_000 };
  const sim = createSimulation({ ...opts, ...transferAt, timeZone, startMs: window.startMs, endMs: window.endMs, malformedRate: v.ndjson ? 0 : opts.malformedRate });
  if (v.ndjson) {
    for (const item of sim.rosterItems()) process.stdout.write(`${toNdjson('roster', item.event)}\n`);
    for (const item of sim.items()) if (!isMalformed(item)) process.stdout.write(`${toNdjson(item.topic, item.event)}\n`);
    return 0;
  }
  await replay(sim, window.id, (line) => process.stderr.write(line));
  return 0;
}

/** Publishes the roster and the whole window, with a progress bar; returns what was sent. */
export async function replay(sim: Simulation, label: string, write: (s: string) => void, env: NodeJS.ProcessEnv = process.env): Promise<{ sent: number; malformed: number; seconds: number }> {
  const c = cliKafka(env);
  const admin = await connectAdmin(c);
  try {
    await requireTopics(c, admin, ['callcenter', 'billing', 'outageRepair', 'workforce', 'roster']);
  } finally {
    await admin.disconnect();
  }
  // The total is known only after generation; a first pass counts (generation is fast and deterministic).
  let total = sim.rosterItems().length;
  for (const _ of sim.items()) total++;
  const producer = c.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  const codecs = await cliCodecs(c, INPUT_TOPICS);
  const t0 = Date.now();
  try {
    await producer.connect();
    const roster = await publishItems(producer, codecs, c.topics, sim.rosterItems());
    const shown = { at: 0 };
    const result = await publishItems(producer, codecs, c.topics, sim.items(), (p) => {
      if (Date.now() - shown.at < 100) return;
      shown.at = Date.now();
      write(`\r${label} ${progressBar(roster.sent + p.sent, total)}`);
    });
    write(`\r${label} ${progressBar(total, total)} in ${((Date.now() - t0) / 1000).toFixed(1)} s (${result.malformed} malformed on purpose)\n`);
    return { sent: roster.sent + result.sent, malformed: result.malformed, seconds: (Date.now() - t0) / 1000 };
  } catch (err) {
    throw new RuntimeFailure(`publishing the simulation failed: ${errorText(err)}`);
  } finally {
    await producer.disconnect();
  }
}

/** Live: every second, the events of the last second of a simulated operation that started now. */
async function runLive(opts: SimulateOptions, timeZone: string): Promise<number> {
  const c = cliKafka();
  const startMs = c.clock.now();
  const sim = createSimulation({ ...opts, timeZone, startMs });
  const producer = c.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const codecs = await cliCodecs(c, INPUT_TOPICS);
  await publishItems(producer, codecs, c.topics, sim.rosterItems());
  let stop = false;
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => (stop = true));
  let from = startMs;
  let sent = 0;
  while (!stop) {
    await new Promise((r) => setTimeout(r, 1000));
    const to = c.clock.now();
    sent += (await publishItems(producer, codecs, c.topics, sim.liveWindow(from, to))).sent;
    from = to;
    process.stderr.write(`\rlive: ${sent.toLocaleString('en-US')} events since ${new Date(startMs).toISOString()}`);
  }
  process.stderr.write('\n');
  await producer.disconnect();
  return 0;
}
