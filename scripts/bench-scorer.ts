// npm run bench:scorer — 100,000 staff in 2,000 teams with a month of counters in Redis (synthesised
// with a seeded PRNG, every KPI covered, spread over 6 shards in the counter-store key layout) and
// a previous month of published FINALs. Measures in one run:
//   (a) the engine alone: scorePopulation on in-memory counters, parsed as the counter store parses
//       Redis replies, and checked to equal what (c) reads (best of BENCH_REPEAT runs);
//   (b) eligibility on those scorecards;
//   (c) the Redis read path alone: CounterStore.periodCounters of the month;
//   (d) the scorer's real path: one Scorer tick (lease, roster, takeChanged, periodCounters,
//       scorePopulation, eligibility, Avro, Redis outbox, Kafka sendBatch, fenced commit) that
//       FINALizes the past month, checked against the topics' end offsets. Not a test.
import { Kafka, logLevel } from 'kafkajs';
import { Redis } from 'ioredis';
import { DEFAULT_RULES, eligibility, parsePeriodId, scorePopulation, type RosterEntry, type Role, type StaticRecord } from '@cs/appraisal';
import { CounterStore, parseCounterObjects, counterSuffix, rosterKey, shardPrefix, shardsKey, staffIndexSuffix, changedKey, encodeStaticRecord, staticSuffix, STATIC_INDEX_SUFFIX } from '@cs/counter-store';
import { createLogger, loadConfig } from '@cs/runtime';
import { Scorer } from '@cs/scorer';
import { createScorerMetrics } from '@cs/scorer/metrics';
import { periodsKey, publishedKey } from '@cs/scorer/keys';
import { benchStaticRecords } from './bench-population.ts';
import { printTable, withBenchStack } from './bench-stack.ts';
import { Rng, monthCounters as monthCountersOf, rosterSeat } from '@cs/appraisal/testing';

const STAFF = Number(process.env.BENCH_STAFF ?? 100_000);
const TEAMS = Number(process.env.BENCH_TEAMS ?? 2_000);
const SHARDS = 6;
const REPEAT = Number(process.env.BENCH_REPEAT ?? 5);
/** Share of staff with static records (docs/static-appraisal.md): their certificates and two assessments. */
const STATIC_SHARE = Number(process.env.BENCH_STATIC_SHARE ?? 1);
const TZ = 'Asia/Shanghai';
const MONTH = 'MONTH:2026-09';
const PREV = 'MONTH:2026-08';
/** "now" of the scorer: past MONTH:2026-09's end + close grace, so its first tick FINALizes it. */
const NOW = Date.UTC(2026, 9, 10, 4);
const run = `bench-scorer-${Date.now().toString(36)}`;
const RULES = DEFAULT_RULES;

// ---- synthetic population --------------------------------------------------------------------

const rng = new Rng(20260901);
const rnd = () => rng.next();
const int = (lo: number, hi: number) => rng.intIn(lo, hi);
const frac = (lo: number, hi: number) => rng.range(lo, hi);
const monthCounters = (role: Role) => monthCountersOf(rng, role);

function population() {
  const roster: RosterEntry[] = [];
  const counters = new Map<string, Record<string, number>>();
  const previous = new Map<string, { composite: number; grade: string }>();
  const statics = new Map<string, StaticRecord[]>();
  const perTeam = Math.ceil(STAFF / TEAMS);
  const monthStart = Date.UTC(2026, 7, 31, 16);
  for (let i = 0; i < STAFF; i++) {
    const { staffId, teamId, role } = rosterSeat(i, perTeam, 5);
    const active = rnd() > 0.005;
    roster.push({ staffId, teamId, role, active });
    if (rnd() > 0.01) counters.set(staffId, monthCounters(role)); // 1 % joined late: no counters
    if (rnd() > 0.05) {
      const composite = Math.round(frac(55, 97) * 100) / 100;
      previous.set(staffId, { composite, grade: composite >= 90 ? 'A' : composite >= 80 ? 'B' : composite >= 60 ? 'C' : 'D' });
    }
    if (rnd() < STATIC_SHARE) statics.set(staffId, benchStaticRecords(rng, staffId, role, monthStart));
  }
  return { roster, counters, previous, statics };
}

const ms = (t: number) => performance.now() - t;
const secs = (x: number) => (x / 1000).toFixed(2);
const perSec = (n: number, xMs: number) => Math.round((n * 1000) / xMs).toLocaleString('en-US');

// ---- the population ------------------------------------------------------------------------------

let t = performance.now();
const { roster, counters, previous, statics } = population();
// The records as the scorer's engine gets them: through the counter store's parsing of Redis
// replies (one JSON.parse per chunk; V8 keeps these in fast mode, unlike records built key by key).
{
  const ids = [...counters.keys()];
  const recs = parseCounterObjects(ids.map((id) => JSON.stringify(counters.get(id)!)))!;
  ids.forEach((id, i) => counters.set(id, recs[i]!));
}
const genMs = ms(t);
const period = parsePeriodId(MONTH, TZ);
const prevFinals = new Map([...previous].map(([id, p]) => [id, { composite: p.composite, grade: p.grade as 'A', status: 'FINAL' as const }]));
const active = roster.filter((r) => r.active).length;
console.error(`synthesised ${STAFF} staff (${active} active, ${counters.size} with counters) in ${TEAMS} teams in ${secs(genMs)} s`);

// ---- (a), (b): the engine alone, best of REPEAT runs, before Kafka and Redis come up ------------

const engineRuns: number[] = [];
const eligRuns: number[] = [];
const gcRuns: number[] = [];
let gcMs = 0;
const gcObserver = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcMs += e.duration;
});
gcObserver.observe({ entryTypes: ['gc'] });
let cards = scorePopulation(counters, roster, RULES, period, 'FINAL', { computedAt: NOW, previousFinals: prevFinals, staticState: statics });
eligibility(cards, counters, prevFinals, RULES); // warm-up
for (let r = 0; r < REPEAT; r++) {
  t = performance.now();
  gcMs = 0;
  cards = scorePopulation(counters, roster, RULES, period, 'FINAL', { computedAt: NOW, previousFinals: prevFinals, staticState: statics });
  engineRuns.push(ms(t));
  await new Promise((r) => setTimeout(r, 0)); // GC entries arrive asynchronously
  gcRuns.push(gcMs);
  t = performance.now();
  eligibility(cards, counters, prevFinals, RULES);
  eligRuns.push(ms(t));
}
gcObserver.disconnect();
const engineMs = Math.min(...engineRuns);
const eligMs = Math.min(...eligRuns);
const grades = new Map<string, number>();
for (const c of cards) grades.set(c.grade, (grades.get(c.grade) ?? 0) + 1);
// Only the count is kept: (d) runs in a process holding what a scorer holds, not (a)'s cards too.
const cardCount = cards.length;
cards = [];
console.error(`engine: ${cardCount} cards, best ${engineMs.toFixed(0)} ms of ${engineRuns.map((x) => x.toFixed(0)).join('/')} (GC ${gcRuns.map((x) => x.toFixed(0)).join('/')} ms); grades ${JSON.stringify(Object.fromEntries([...grades].sort()))}`);

if (process.env.BENCH_ENGINE_ONLY) process.exit(0);

// ---- (c), (d): Redis + Kafka ------------------------------------------------------------------

await withBenchStack(async ({ brokers, redisUrl }) => {
  const redis = new Redis(redisUrl);
  const kafka = new Kafka({ brokers: brokers.split(','), clientId: run, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const topics = { appraisal: `${run}-appraisal`, eligibility: `${run}-eligibility`, teamScorecard: `${run}-team` };
  await admin.createTopics({ topics: Object.values(topics).map((topic) => ({ topic, numPartitions: 3 })), waitForLeaders: true });

  // Load: counters (HSET per staff hash), staff index and changed sets per shard, shards, roster,
  // the previous month's published FINALs; pipelined.
  t = performance.now();
  const byShard: string[][] = Array.from({ length: SHARDS }, () => []);
  let pipe = redis.pipeline();
  let queued = 0;
  const flush = async (force = false) => {
    if (queued >= 5000 || (force && queued)) {
      for (const [err] of (await pipe.exec()) ?? []) if (err) throw err;
      pipe = redis.pipeline();
      queued = 0;
    }
  };
  let i = 0;
  const shardOf = new Map<string, number>();
  for (const [staffId, c] of counters) {
    const shard = i++ % SHARDS;
    shardOf.set(staffId, shard);
    byShard[shard]!.push(staffId);
    pipe.hset(shardPrefix(run, shard) + counterSuffix(MONTH, staffId), c);
    queued++;
    await flush();
  }
  // Static records (docs/static-appraisal.md): st:<staffId> in the member's shard, indexed in sts.
  for (const [staffId, recs] of statics) {
    const shard = shardOf.get(staffId) ?? i++ % SHARDS;
    pipe.hset(shardPrefix(run, shard) + staticSuffix(staffId), Object.fromEntries(recs.map((r, k) => [`e${k}`, encodeStaticRecord(r)])));
    pipe.sadd(shardPrefix(run, shard) + STATIC_INDEX_SUFFIX, staffId);
    queued += 2;
    await flush();
  }
  for (let s = 0; s < SHARDS; s++) {
    const ids = byShard[s]!;
    for (let j = 0; j < ids.length; j += 5000) {
      const part = ids.slice(j, j + 5000);
      pipe.sadd(shardPrefix(run, s) + staffIndexSuffix(MONTH), ...part);
      pipe.sadd(changedKey(run, s), ...part.map((id) => `${MONTH}|${id}`));
      queued += 2;
      await flush();
    }
    pipe.sadd(shardsKey(run), String(s));
  }
  for (let j = 0; j < roster.length; j += 5000) {
    const fields: string[] = [];
    for (const r of roster.slice(j, j + 5000)) fields.push(r.staffId, JSON.stringify({ ...r, updatedAt: Date.UTC(2026, 7, 1) }));
    pipe.hset(rosterKey(run), ...fields);
    queued++;
    await flush();
  }
  for (let j = 0; j < roster.length; j += 5000) {
    const fields: string[] = [];
    for (const r of roster.slice(j, j + 5000)) {
      const p = previous.get(r.staffId);
      if (p) fields.push(r.staffId, JSON.stringify({ h: 'x', status: 'FINAL', revision: 0, composite: p.composite, grade: p.grade }));
    }
    if (fields.length) pipe.hset(publishedKey(run, PREV), ...fields);
    queued++;
    await flush();
  }
  pipe.hset(periodsKey(run), PREV, JSON.stringify({ state: 'final', revision: 0 }));
  queued++;
  await flush(true);
  const loadMs = ms(t);
  // The synthetic records are in Redis now: drop them, so the process holds what a scorer holds
  // (the engine is measured on what (c) reads; a second copy of 100k records only slows its GC).
  const staffWithCounters = counters.size;
  let readSize = 0;
  console.error(`loaded Redis in ${secs(loadMs)} s; reading…`);

  // (c) the read path alone.
  const store = new CounterStore(redis, { prefix: run, dedupeHorizonMs: 48 * 3_600_000, maxLatenessDays: 62 });
  const readRuns: number[] = [];
  let read = new Map<string, Record<string, number>>();
  for (let r = 0; r < 3; r++) {
    t = performance.now();
    read = await store.periodCounters(MONTH);
    readRuns.push(ms(t));
  }
  const readMs = Math.min(...readRuns);
  const staticRuns: number[] = [];
  for (let r = 0; r < 3; r++) {
    t = performance.now();
    const st = await store.staticState();
    staticRuns.push(ms(t));
    if (st.size !== statics.size) throw new Error(`read static records of ${st.size} staff, expected ${statics.size}`);
  }
  const staticMs = Math.min(...staticRuns);
  if (read.size !== staffWithCounters) throw new Error(`read ${read.size} staff, expected ${staffWithCounters}`);
  // What (a) scored is what the scorer reads.
  for (const [staffId, c] of counters) {
    const r = read.get(staffId);
    if (!r || JSON.stringify(Object.entries(r).sort()) !== JSON.stringify(Object.entries(c).sort())) throw new Error(`read back other counters for ${staffId}`);
  }
  // Drop the synthetic copies, so (d) runs in a process holding what a scorer holds.
  readSize = read.size;
  counters.clear();
  previous.clear();
  read.clear();

  // (d) the scorer: one tick FINALizes the month.
  const config = loadConfig({
    KAFKA_BROKERS: brokers,
    REDIS_URL: redisUrl,
    CS_KEY_PREFIX: run,
    CS_TOPIC_APPRAISAL: topics.appraisal,
    CS_TOPIC_ELIGIBILITY: topics.eligibility,
    CS_TOPIC_TEAM_SCORECARD: topics.teamScorecard,
    CS_TICK_SECONDS: '3600',
    METRICS_PORT: '0',
    LOG_LEVEL: 'silent',
    ...(process.env.CS_SCORER_SEND_THREADS ? { CS_SCORER_SEND_THREADS: process.env.CS_SCORER_SEND_THREADS } : {}),
  });
  const metrics = createScorerMetrics();
  const ticks: number[] = [];
  const observe = metrics.tickDuration.startTimer.bind(metrics.tickDuration);
  metrics.tickDuration.startTimer = ((labels?: Record<string, string>) => {
    const t0 = performance.now();
    const end = observe(labels);
    return () => (ticks.push(performance.now() - t0), end());
  }) as typeof metrics.tickDuration.startTimer;
  let failed: unknown;
  const inc = metrics.tickErrors.inc.bind(metrics.tickErrors);
  metrics.tickErrors.inc = ((...a: Parameters<typeof inc>) => ((failed = true), inc(...a))) as typeof inc;
  let rss = 0;
  const sampler = setInterval(() => (rss = Math.max(rss, process.memoryUsage().rss)), 50);
  const scorer = new Scorer({ config, rules: RULES, log: createLogger('bench', (process.env.BENCH_LOG ?? 'silent') as 'silent'), metrics, clock: { now: () => NOW }, ownerId: `${run}-scorer` });
  t = performance.now();
  const cpu0 = process.cpuUsage();
  await scorer.start();
  const deadline = Date.now() + 300_000;
  for (;;) {
    if (ticks.length > 0) break;
    if (failed || scorer.hasCrashed || Date.now() > deadline) throw new Error('the scorer did not finish its tick (BENCH_LOG=info shows why)');
    await new Promise((r) => setTimeout(r, 10));
  }
  const wallMs = ms(t);
  const cpu = process.cpuUsage(cpu0);
  clearInterval(sampler);
  const tickMs = ticks[0]!;
  const phases = { ...scorer.lastTickPhases };
  await scorer.stop();
  const state = await redis.hget(periodsKey(run), MONTH);
  const ends = async (topic: string) => (await admin.fetchTopicOffsets(topic)).reduce((s, o) => s + Number(o.high), 0);
  const [sentCards, sentElig] = [await ends(topics.appraisal), await ends(topics.eligibility)];
  const errors = (await metrics.tickErrors.get()).values.reduce((s, v) => s + v.value, 0);
  if (errors > 0 || !state?.includes('"final"')) throw new Error(`scorer tick failed (errors ${errors}, state ${state})`);
  if (sentCards !== cardCount || sentElig !== cardCount) console.error(`WARNING: published ${sentCards} scorecards and ${sentElig} eligibility records, expected ${cardCount}`);

  console.log(
    `\nscorer benchmark: ${STAFF} staff (${cardCount} active) in ${TEAMS} teams, one month (${MONTH}) of counters over ${SHARDS} shards` +
      ` (loaded in ${secs(loadMs)} s), ${process.platform} ${process.arch}, ${(await import('node:os')).cpus().length} CPUs, Node ${process.version}\n` +
      `(d) path measured: a real Scorer (services/scorer) ticking once at a "now" past the month's close: lease, roster,\n` +
      `    takeChanged, CounterStore.periodCounters, scorePopulation, eligibility, Avro encode, Redis outbox, Kafka sendBatch\n` +
      `    (idempotent producer) to 3-partition topics, fenced commit; published counted from the topics' end offsets.\n`,
  );
  printTable([
    { run: '(a) engine alone: scorePopulation (in-memory counters)', records: cardCount, seconds: secs(engineMs), 'records/s': perSec(cardCount, engineMs), goal: '>= 200,000/s', met: cardCount * 1000 >= 200_000 * engineMs ? 'yes' : 'NO' },
    { run: '(b) eligibility (in-memory)', records: cardCount, seconds: secs(eligMs), 'records/s': perSec(cardCount, eligMs), goal: '', met: '' },
    { run: '(c) Redis read: periodCounters (6 shards)', records: readSize, seconds: secs(readMs), 'records/s': perSec(readSize, readMs), goal: '', met: '' },
    { run: '(c2) Redis read: staticState (6 shards)', records: statics.size, seconds: secs(staticMs), 'records/s': perSec(statics.size, staticMs), goal: '', met: '' },
    { run: '(d) scorer tick: score + publish FINAL (cards + eligibility)', records: `${sentCards} + ${sentElig}`, seconds: secs(tickMs), 'records/s': perSec(sentCards, tickMs), goal: '<= 10 s', met: tickMs <= 10_000 && sentCards === cardCount ? 'yes' : 'NO' },
    { run: '    same, wall clock incl. producer connect', records: '', seconds: secs(wallMs), 'records/s': '', goal: '', met: '' },
  ]);
  console.log(
    `BENCH_RESULT ${JSON.stringify({
      bench: 'scorer',
      rows: [
        { measure: 'engine alone (scorecards/s)', value: perSec(cardCount, engineMs), goal: '>= 200,000' },
        { measure: 'eligibility (records/s)', value: perSec(cardCount, eligMs), goal: '' },
        { measure: `score + publish ${cardCount} staff (s)`, value: secs(tickMs), goal: '<= 10' },
      ],
    })}`,
  );
  console.log(`\nengine runs (ms): ${engineRuns.map((x) => x.toFixed(0)).join(', ')}; eligibility runs (ms): ${eligRuns.map((x) => x.toFixed(0)).join(', ')}; read runs (ms): ${readRuns.map((x) => x.toFixed(0)).join(', ')}; peak RSS during (d): ${(rss / 2 ** 20).toFixed(0)} MiB`);
  console.log(`(d) tick phases (ms): ${Object.entries(phases).map(([k, v]) => `${k} ${v}`).join(', ')}; sum ${Object.entries(phases).reduce((a, [k, v]) => (k === 'outboxWait' ? a : a + v), 0)} of ${tickMs.toFixed(0)} (outboxWait is part of outboxWrite); CPU of this process during (d): user ${(cpu.user / 1000).toFixed(0)} ms, system ${(cpu.system / 1000).toFixed(0)} ms (the machine's load: ${(await import('node:os')).loadavg()[0]!.toFixed(1)})`);

  await admin.disconnect();
  redis.disconnect();
});
