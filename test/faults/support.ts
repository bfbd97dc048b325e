// Shared pieces of the fault tests: private Kafka brokers and Redis servers that a test may kill,
// isolated topics and key prefix on them, the services as child processes (SIGKILL-able),
// a producer that keeps going through outages, and the ground truth computed from the input.
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Cluster, Redis } from 'ioredis';
import { DEFAULT_RULES, parsePeriodId, rosterForPeriod, scorePopulation, type RosterEntry } from '@cs/appraisal';
import { createCodecs, type Scorecard, type SourceEvent, type StaffProfile, type TopicKey } from '@cs/contracts';
import { CounterStore } from '@cs/counter-store';
import { KafkaBroker, RedisServer, freePort } from '@cs/stack';
import { createSimulation, encodeItem } from '@cs/simulator';
import { Buckets } from '../../services/aggregator/src/buckets.ts';
import { effectOf } from '../../services/aggregator/src/effects.ts';
import { asEngineCard, uniqueName, waitFor } from '../harness/index.ts';
import { TEST_CLOCK } from '../harness/clock.ts';
import { diffAgainstTruth, drained as drainedOn } from '../../services/aggregator/test/support.ts';
import { counterStoreOptions, loadConfig } from '@cs/runtime';

export const codecs = createCodecs();
export const SOURCE_KEYS = ['callcenter', 'billing', 'outageRepair', 'workforce'] as const;
export const TZ = 'Asia/Shanghai';
const ROOT = path.resolve(import.meta.dirname, '../..');
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export { waitFor };

/** One summary line per test: printed, and appended to $CS_FAULT_SUMMARY (default <tmp>/cs-fault-summary.log). */
export function summary(line: string): void {
  const l = `[fault] ${line}`;
  console.log(l);
  appendFileSync(process.env.CS_FAULT_SUMMARY ?? path.join(os.tmpdir(), 'cs-fault-summary.log'), `${new Date().toISOString()} ${l}\n`);
}

export function tempDir(name: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), `cs-fault-${name}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function privateKafka(dir: string): Promise<KafkaBroker> {
  const broker = new KafkaBroker({ dir: path.join(dir, 'kafka'), port: await freePort(), controllerPort: await freePort(), heapMb: 512 });
  await broker.start();
  return broker;
}

export async function privateRedis(dir: string, opts: { appendOnly: boolean; port?: number }): Promise<RedisServer> {
  const server = new RedisServer({ dir: path.join(dir, 'redis'), port: opts.port ?? (await freePort()), appendOnly: opts.appendOnly });
  await server.start();
  return server;
}

/** A local Redis Cluster of `n` masters (no replicas), AOF on, on free loopback ports. */
export async function redisCluster(dir: string, n = 3): Promise<{ nodes: string[]; pids: number[]; stop(): Promise<void> }> {
  const children: ChildProcess[] = [];
  const nodes: string[] = [];
  for (let i = 0; i < n; i++) {
    const port = await freePort();
    const d = path.join(dir, `node-${port}`);
    mkdirSync(d, { recursive: true });
    const child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--dir', d, '--cluster-enabled', 'yes', '--cluster-config-file', path.join(d, 'nodes.conf'), '--appendonly', 'yes', '--appendfsync', 'everysec', '--save', '', '--logfile', path.join(d, 'redis.log')],
      { stdio: 'ignore' },
    );
    children.push(child);
    nodes.push(`127.0.0.1:${port}`);
  }
  for (const node of nodes) {
    const [host, port] = node.split(':');
    await waitFor(async () => {
      const c = new Redis({ host, port: Number(port), lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      c.on('error', () => {});
      try {
        await c.connect();
        return (await c.ping()) === 'PONG';
      } catch {
        return false;
      } finally {
        c.disconnect();
      }
    }, 15_000, `redis cluster node ${node}`);
  }
  const create = spawn('redis-cli', ['--cluster', 'create', ...nodes, '--cluster-replicas', '0', '--cluster-yes'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  create.stdout!.on('data', (d) => (out += d));
  create.stderr!.on('data', (d) => (out += d));
  const code = await new Promise<number | null>((r) => create.once('exit', r));
  if (code !== 0) throw new Error(`redis-cli --cluster create failed: ${out}`);
  // Every node must agree that all 16384 slots are served before clients use it.
  await waitFor(async () => {
    const [host, port] = nodes[0]!.split(':');
    const c = new Redis({ host, port: Number(port), maxRetriesPerRequest: 0 });
    c.on('error', () => {});
    try {
      const info = (await c.call('CLUSTER', 'INFO')) as string;
      return /cluster_state:ok/.test(info) && /cluster_slots_ok:16384/.test(info);
    } finally {
      c.disconnect();
    }
  }, 30_000, 'cluster_state:ok');
  return {
    nodes,
    pids: children.map((c) => c.pid!),
    stop: async () => {
      for (const c of children) c.kill('SIGKILL');
      await Promise.all(children.map((c) => (c.exitCode === null && c.signalCode === null ? new Promise((r) => c.once('exit', r)) : undefined)));
    },
  };
}

export function kafkaAt(brokers: string): Kafka {
  return new Kafka({ brokers: brokers.split(','), clientId: uniqueName('fault'), logLevel: logLevel.NOTHING, retry: { retries: 20, maxRetryTime: 5_000 } });
}

export interface FaultSandbox {
  brokers: string;
  env: Record<string, string>;
  topics: Record<(typeof SOURCE_KEYS)[number] | 'roster' | 'dlq' | 'appraisal' | 'eligibility' | 'teamScorecard' | 'corrections', string>;
  prefix: string;
  redis: Redis | Cluster;
  store: CounterStore;
  close(): Promise<void>;
}

/** Unique topics (6 source partitions like production), group and key prefix on the given stack. */
export async function faultSandbox(opts: { brokers: string; redisUrl?: string; clusterNodes?: string[]; partitions?: number; tickSeconds?: number }): Promise<FaultSandbox> {
  const partitions = opts.partitions ?? 6;
  const names = Object.fromEntries(['callcenter', 'billing', 'outageRepair', 'workforce', 'roster', 'dlq', 'appraisal', 'eligibility', 'teamScorecard', 'corrections'].map((k) => [k, uniqueName(k.toLowerCase())])) as FaultSandbox['topics'];
  const admin = kafkaAt(opts.brokers).admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: Object.entries(names).map(([k, topic]) => ({
        topic,
        numPartitions: k === 'appraisal' || k === 'eligibility' || k === 'teamScorecard' ? 3 : partitions,
        replicationFactor: 1,
        ...(k === 'roster' ? { configEntries: [{ name: 'cleanup.policy', value: 'compact' }] } : {}),
      })),
    });
  } finally {
    await admin.disconnect();
  }
  const prefix = uniqueName('flt');
  const env: Record<string, string> = {
    KAFKA_BROKERS: opts.brokers,
    ...(opts.clusterNodes ? { REDIS_CLUSTER_NODES: opts.clusterNodes.join(',') } : { REDIS_URL: opts.redisUrl! }),
    CS_KEY_PREFIX: prefix,
    CS_GROUP_ID: `${prefix}-g`,
    CS_TOPIC_CALLCENTER: names.callcenter,
    CS_TOPIC_BILLING: names.billing,
    CS_TOPIC_OUTAGE_REPAIR: names.outageRepair,
    CS_TOPIC_WORKFORCE: names.workforce,
    CS_TOPIC_ROSTER: names.roster,
    CS_TOPIC_DLQ: names.dlq,
    CS_TOPIC_APPRAISAL: names.appraisal,
    CS_TOPIC_ELIGIBILITY: names.eligibility,
    CS_TOPIC_TEAM_SCORECARD: names.teamScorecard,
    CS_TOPIC_CORRECTIONS: names.corrections,
    CS_TICK_SECONDS: String(opts.tickSeconds ?? 1),
    METRICS_PORT: '0',
    LOG_LEVEL: process.env.CS_FAULT_LOG_LEVEL ?? 'warn',
    ...TEST_CLOCK.env,
  };
  const redis = opts.clusterNodes
    ? new Cluster(
        opts.clusterNodes.map((n) => ({ host: n.split(':')[0]!, port: Number(n.split(':')[1]) })),
        { redisOptions: { maxRetriesPerRequest: null }, scaleReads: 'master' },
      )
    : new Redis(opts.redisUrl!, { maxRetriesPerRequest: null, retryStrategy: (t) => Math.min(100 * t, 1000) });
  redis.on('error', () => {});
  const store = new CounterStore(redis, counterStoreOptions(loadConfig(env)));
  return { brokers: opts.brokers, env, topics: names, prefix, redis, store, close: async () => void redis.disconnect() };
}

// ---- input and ground truth ----

export interface Msg {
  topic: TopicKey;
  key: string;
  value: Buffer | null;
}

/** Counters computed straight from the input, incrementally: each eventId once, the same rules and buckets. */
export class Truth {
  private readonly buckets = new Buckets(TZ);
  private readonly seen = new Set<string>();
  readonly periods = new Map<string, Map<string, Record<string, number>>>();
  events = 0;
  duplicates = 0;
  add(e: SourceEvent): void {
    if (this.seen.has(e.eventId)) {
      this.duplicates++;
      return;
    }
    this.seen.add(e.eventId);
    this.events++;
    for (const c of effectOf(e, DEFAULT_RULES, this.buckets).effect.counters) {
      for (const p of c.periods) {
        if (p.startsWith('HOUR:')) continue;
        const staff = this.periods.get(p) ?? this.periods.set(p, new Map()).get(p)!;
        const counters = staff.get(c.staffId) ?? staff.set(c.staffId, {}).get(c.staffId)!;
        counters[c.counter] = (counters[c.counter] ?? 0) + c.by;
      }
    }
  }

  /** Every DAY and MONTH bucket of the truth against Redis; a list of differences (empty = exact). */
  diff(store: CounterStore): Promise<string[]> {
    return diffAgainstTruth({ store }, this.periods);
  }
}

export interface Input {
  messages: Msg[];
  truth: Truth;
  /** Latest roster profile per staff member (when the roster is included). */
  roster: Map<string, StaffProfile>;
  malformed: number;
}

/**
 * Simulated traffic (valid events, producer-retry duplicates, malformed bytes; optionally the
 * roster) from `startMs` to `endMs`, or until `maxEvents` valid events.
 */
export function simulate(opts: { seed: number; startMs: number; endMs: number; teams?: number; staffPerTeam?: number; maxEvents?: number; roster?: boolean; intensity?: number; duplicateRate?: number }): Input {
  const sim = createSimulation({
    seed: opts.seed,
    teams: opts.teams ?? 10,
    staffPerTeam: opts.staffPerTeam ?? 30,
    startMs: opts.startMs,
    endMs: opts.endMs,
    intensity: opts.intensity ?? 1,
    malformedRate: 0.001,
    duplicateRate: opts.duplicateRate ?? 0.01,
  });
  const input: Input = { messages: [], truth: new Truth(), roster: new Map(), malformed: 0 };
  if (opts.roster) {
    for (const item of sim.rosterItems()) {
      input.roster.set(item.key, item.event as StaffProfile);
      input.messages.push(encodeItem(codecs, item));
    }
  }
  for (const item of sim.items()) {
    if (item.topic === 'roster') {
      if (!opts.roster) continue;
      const p = (item as { event: StaffProfile }).event;
      input.roster.set(p.staffId, p);
    }
    input.messages.push(encodeItem(codecs, item));
    if ('bytes' in item) input.malformed++;
    else if (item.topic !== 'roster') {
      input.truth.add(item.event as SourceEvent);
      if (opts.maxEvents && input.truth.events >= opts.maxEvents) break;
    }
  }
  return input;
}

/** Local midnight (Asia/Shanghai = UTC+8) of a date, as epoch ms. */

/**
 * Produces the messages in order, in chunks, like an upstream with retries: a failed chunk is sent
 * again (duplicates at other offsets — the aggregator must count each event once), so the
 * producer gets through a broker outage. `onProgress` sees the count after each chunk.
 */
export async function produceAll(sb: FaultSandbox, messages: readonly Msg[], opts: { chunk?: number; onProgress?: (sent: number) => void; paceMs?: number; log?: string[] } = {}): Promise<{ resent: number }> {
  const chunk = opts.chunk ?? 5000;
  let producer = kafkaAt(sb.brokers).producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  let resent = 0;
  try {
    for (let i = 0; i < messages.length; i += chunk) {
      const byTopic = new Map<string, { key: string; value: Buffer | null }[]>();
      for (const m of messages.slice(i, i + chunk)) {
        const t = sb.topics[m.topic as keyof FaultSandbox['topics']];
        (byTopic.get(t) ?? byTopic.set(t, []).get(t)!).push({ key: m.key, value: m.value });
      }
      for (let attempt = 1; ; attempt++) {
        try {
          await producer.sendBatch({ topicMessages: [...byTopic].map(([topic, msgs]) => ({ topic, messages: msgs })), acks: -1, timeout: 10_000 });
          break;
        } catch (err) {
          if (attempt > 200) throw err;
          resent++;
          opts.log?.push(`produce chunk ${i / chunk} attempt ${attempt}: ${(err as Error).message}`);
          await sleep(1000);
          await producer.disconnect().catch(() => {});
          producer = kafkaAt(sb.brokers).producer({ idempotent: true, maxInFlightRequests: 1 });
          await producer.connect().catch(() => {});
        }
      }
      opts.onProgress?.(Math.min(i + chunk, messages.length));
      if (opts.paceMs) await sleep(opts.paceMs);
    }
  } finally {
    await producer.disconnect().catch(() => {});
  }
  return { resent };
}

/** Messages applied so far: the sum of the offsets Redis holds over the source partitions. */
export async function appliedMessages(sb: FaultSandbox, partitions = 6): Promise<number> {
  let sum = 0;
  for (const k of SOURCE_KEYS) for (let p = 0; p < partitions; p++) sum += (await sb.store.readOffset(p, sb.topics[k], p)) ?? 0;
  return sum;
}

/** Waits until Redis's stored offsets reach every source partition's high watermark. */
export function drained(sb: FaultSandbox, timeoutMs = 300_000): Promise<void> {
  return drainedOn(sb, timeoutMs);
}

/** Total messages on the source topics (high watermarks). */
export async function sourceHighWatermarks(sb: FaultSandbox): Promise<number> {
  const admin = kafkaAt(sb.brokers).admin();
  await admin.connect();
  try {
    let sum = 0;
    for (const k of SOURCE_KEYS) for (const o of await admin.fetchTopicOffsets(sb.topics[k])) sum += Number(o.high);
    return sum;
  } finally {
    await admin.disconnect();
  }
}

// ---- services as child processes ----

/** Service logs outlive the test's temp dir: $CS_FAULT_LOGS or <tmp>/cs-fault-logs. */
export { logsDir, spawnService, type Service } from '../harness/services.ts';

// ---- scorer output ----

export interface Card {
  value: Scorecard;
  bytes: Buffer;
}

export const periodIdOfCard = (c: { period: { kind: string; start: string } }) => (c.period.kind === 'DAY' ? `DAY:${c.period.start}` : `MONTH:${c.period.start.slice(0, 7)}`);

/** Reads a topic from the beginning to its current end. */
export async function readAll(brokers: string, topic: string): Promise<Buffer[]> {
  const kafka = kafkaAt(brokers);
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map((await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, Number(o.high)]));
  await admin.disconnect();
  const remaining = new Map([...ends].filter(([, h]) => h > 0));
  const out: Buffer[] = [];
  if (remaining.size === 0) return out;
  const consumer = kafka.consumer({ groupId: uniqueName('read'), maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      if (message.value) out.push(message.value);
      if (Number(message.offset) + 1 >= (ends.get(partition) ?? 0)) {
        remaining.delete(partition);
        if (remaining.size === 0) done();
      }
    },
  });
  try {
    await Promise.race([finished, sleep(120_000).then(() => Promise.reject(new Error(`reading ${topic}: timed out`)))]);
  } finally {
    await consumer.disconnect();
  }
  return out;
}

export async function readCards(sb: FaultSandbox): Promise<Card[]> {
  return (await readAll(sb.brokers, sb.topics.appraisal)).map((bytes) => {
    const r = codecs.decode('appraisal', bytes);
    if (!r.ok) throw r.error;
    return { value: asEngineCard(r.event) as Scorecard, bytes };
  });
}

export interface FinalCheck {
  finals: number;
  /** staff-periods with more than one FINAL message */
  resent: number;
  /** FINAL duplicates whose bytes differ (must be none) */
  conflicting: string[];
  /** active staff x closed period with data that have no FINAL (must be none) */
  missing: string[];
  byKey: Map<string, Card>;
}

/** One FINAL per staff-period (byte-identical re-sends allowed and counted), none missing. */
export function checkFinals(cards: Card[], activeStaff: readonly string[], closedPeriods: readonly string[]): FinalCheck {
  const byKey = new Map<string, Card>();
  const conflicting: string[] = [];
  let resent = 0;
  let finals = 0;
  for (const c of cards) {
    if (c.value.status !== 'FINAL') continue;
    finals++;
    const k = `${periodIdOfCard(c.value)}|${c.value.staffId}`;
    const first = byKey.get(k);
    if (!first) byKey.set(k, c);
    else {
      resent++;
      if (!first.bytes.equals(c.bytes)) conflicting.push(k);
    }
  }
  const missing: string[] = [];
  for (const p of closedPeriods) for (const s of activeStaff) if (!byKey.has(`${p}|${s}`)) missing.push(`${p}|${s}`);
  return { finals, resent, conflicting, missing, byKey };
}

/** DAY and MONTH periods with data in the truth, closed (end + grace) before now. */
export function closedPeriodsWithData(truth: Truth, now = TEST_CLOCK.clock.now()): string[] {
  const grace = DEFAULT_RULES.periods.closeGraceMinutes as Record<string, number>;
  return [...truth.periods.keys()].filter((id) => {
    const p = parsePeriodId(id, TZ);
    return p.endMs + (grace[p.kind] ?? 0) * 60_000 <= now;
  });
}

/** What the engine says for a period from the counters and roster in Redis (FINAL, no previous finals). */
export async function engineCards(sb: FaultSandbox, periodId: string, computedAt: number | string): Promise<Scorecard[]> {
  const counters = await sb.store.periodCounters(periodId);
  // The period's roster from the stored timelines (README "Effective-dated roster"), as the scorer takes it.
  const timelines = [...(await sb.store.rosterTimelines()).values()].map((t) => ({
    staffId: t.staffId,
    entries: t.entries.map((p) => ({ from: p.effectiveFrom ?? null, teamId: p.teamId, role: p.role as RosterEntry['role'], active: p.active })),
  }));
  const period = parsePeriodId(periodId, TZ);
  // The static records too, read as the scorer reads them (docs/static-appraisal.md): every card carries a profile.
  const staticState = await sb.store.staticState();
  return scorePopulation(counters, rosterForPeriod(timelines, period, TZ), DEFAULT_RULES, period, 'FINAL', { computedAt: computedAt as never, staticState }) as unknown as Scorecard[];
}
