// Shared pieces of the aggregator's integration tests: isolated topics and key prefix, the
// service in-process or as a child process, and the ground truth computed from the input.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { DEFAULT_RULES } from '@cs/appraisal';
import { createCodecs, type SourceEvent, type TopicKey } from '@cs/contracts';
import { CounterStore } from '@cs/counter-store';
import { counterStoreOptions, createLogger, loadConfig, type Clock } from '@cs/runtime';
import { createSimulation, encodeItem } from '@cs/simulator';
import { Aggregator } from '../src/service.ts';
import { Buckets } from '../src/buckets.ts';
import { effectOf } from '../src/effects.ts';
import { createTopics, kafkaFor, redisFor, testStack, topicOffsets, uniqueName, waitFor } from '../../../test/harness/index.ts';
import { TEST_CLOCK } from '../../../test/harness/clock.ts';
import { NODE_FLAGS } from '@cs/runtime/node-flags';

export const codecs = createCodecs();
export const SOURCE_KEYS = ['callcenter', 'billing', 'outageRepair', 'workforce'] as const;

export interface Sandbox {
  env: Record<string, string>;
  topics: Record<(typeof SOURCE_KEYS)[number] | 'roster' | 'dlq' | 'corrections', string>;
  prefix: string;
  store: CounterStore;
  close(): Promise<void>;
}

/** Unique topics (6 partitions like production), group and key prefix for one test. */
export async function sandbox(partitions = 6): Promise<Sandbox> {
  const [callcenter, billing, outageRepair, workforce, roster, dlq, corrections] = await createTopics(['cc', 'bill', 'rep', 'wf', 'roster', 'dlq', 'corr'], partitions);
  const prefix = uniqueName('agg');
  const { brokers, redisUrl } = testStack();
  const env = {
    KAFKA_BROKERS: brokers,
    REDIS_URL: redisUrl,
    CS_KEY_PREFIX: prefix,
    CS_GROUP_ID: `${prefix}-g`,
    CS_TOPIC_CALLCENTER: callcenter!,
    CS_TOPIC_BILLING: billing!,
    CS_TOPIC_OUTAGE_REPAIR: outageRepair!,
    CS_TOPIC_WORKFORCE: workforce!,
    CS_TOPIC_ROSTER: roster!,
    CS_TOPIC_DLQ: dlq!,
    CS_TOPIC_CORRECTIONS: corrections!,
    METRICS_PORT: '0',
    LOG_LEVEL: 'silent',
    ...TEST_CLOCK.env,
  };
  const redis = redisFor();
  const store = new CounterStore(redis, counterStoreOptions(loadConfig(env)));
  return {
    env,
    topics: { callcenter: callcenter!, billing: billing!, outageRepair: outageRepair!, workforce: workforce!, roster: roster!, dlq: dlq!, corrections: corrections! },
    prefix,
    store,
    close: async () => void redis.disconnect(),
  };
}

export function topicOf(sb: Sandbox, key: TopicKey): string {
  return (sb.topics as Record<string, string>)[key]!;
}

/** Produces [topicKey, key, bytes] in order, in chunks (like an upstream producer with retries). */
export async function produce(sb: Sandbox, messages: { topic: TopicKey; key: string; value: Buffer }[]): Promise<void> {
  const producer = kafkaFor().producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    for (let i = 0; i < messages.length; i += 5000) {
      const byTopic = new Map<string, { key: string; value: Buffer }[]>();
      for (const m of messages.slice(i, i + 5000)) {
        const t = topicOf(sb, m.topic);
        (byTopic.get(t) ?? byTopic.set(t, []).get(t)!).push({ key: m.key, value: m.value });
      }
      await producer.sendBatch({ topicMessages: [...byTopic].map(([topic, msgs]) => ({ topic, messages: msgs })), acks: -1 });
    }
  } finally {
    await producer.disconnect();
  }
}

/** The aggregator in this process, on the test's clock (lateness and the future check read it). */
export function inProcess(sb: Sandbox, clock: Clock = TEST_CLOCK.clock): Aggregator {
  const config = loadConfig(sb.env);
  return new Aggregator({ config, rules: DEFAULT_RULES, log: createLogger('aggregator-test', 'silent'), clock });
}

/** Runs `body` while an in-process aggregator consumes the sandbox's topics; stops it after. */
export async function withAggregator<T>(sb: Sandbox, body: (agg: Aggregator) => Promise<T>, clock?: Clock): Promise<T> {
  const agg = inProcess(sb, clock);
  await agg.start();
  try {
    return await body(agg);
  } finally {
    await agg.stop();
  }
}

/** The aggregator as its own process, as it runs in production (SIGKILL-able). */
export function childProcess(sb: Sandbox, env: Record<string, string> = {}): ChildProcess {
  const main = path.resolve(import.meta.dirname, '../src/main.ts');
  return spawn(process.execPath, [...NODE_FLAGS, '--import', 'tsx', main], { env: { ...process.env, ...sb.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
}

/**
 * Waits until Redis's stored offsets reach every source partition's high watermark. `brokers`
 * defaults to the run's shared broker (the fault tests pass their private one).
 */
export async function drained(sb: { topics: Record<(typeof SOURCE_KEYS)[number], string>; store: CounterStore; brokers?: string }, timeoutMs = 120_000): Promise<void> {
  const admin = kafkaFor(sb.brokers ?? testStack().brokers).admin();
  await admin.connect();
  try {
    const targets: { topic: string; partition: number; high: number }[] = [];
    // The corrections topic too, where the sandbox has one.
    const corrections = (sb.topics as { corrections?: string }).corrections;
    const topics = [...SOURCE_KEYS.map((k) => sb.topics[k]), ...(corrections ? [corrections] : [])];
    for (const topic of topics) {
      for (const o of await topicOffsets(admin, topic)) targets.push({ topic, partition: o.partition, high: Number(o.high) });
    }
    await waitFor(
      async () => {
        for (const t of targets) {
          if (t.high === 0) continue;
          if (((await sb.store.readOffset(t.partition, t.topic, t.partition)) ?? 0) < t.high) return false;
        }
        return true;
      },
      timeoutMs,
      'the aggregator to apply every message',
    );
  } finally {
    await admin.disconnect();
  }
}

/** Messages applied so far: the sum of the offsets Redis holds over the source partitions. */
export async function appliedMessages(sb: Sandbox): Promise<number> {
  let sum = 0;
  for (const k of SOURCE_KEYS) for (let p = 0; p < 6; p++) sum += (await sb.store.readOffset(p, sb.topics[k], p)) ?? 0;
  return sum;
}

/** Counters computed straight from the input: each eventId once, the same rules, the same buckets. */
export function groundTruth(events: readonly SourceEvent[], timeZone = 'Asia/Shanghai'): Map<string, Map<string, Record<string, number>>> {
  const buckets = new Buckets(timeZone);
  const seen = new Set<string>();
  const out = new Map<string, Map<string, Record<string, number>>>();
  for (const e of events) {
    if (seen.has(e.eventId)) continue;
    seen.add(e.eventId);
    for (const c of effectOf(e, DEFAULT_RULES, buckets).effect.counters) {
      for (const p of c.periods) {
        const staff = out.get(p) ?? out.set(p, new Map()).get(p)!;
        const counters = staff.get(c.staffId) ?? staff.set(c.staffId, {}).get(c.staffId)!;
        counters[c.counter] = (counters[c.counter] ?? 0) + c.by;
      }
    }
  }
  return out;
}

/** Compares every DAY and MONTH bucket of the truth with Redis; returns a list of differences. */
export async function diffAgainstTruth(sb: { store: CounterStore }, truth: Map<string, Map<string, Record<string, number>>>): Promise<string[]> {
  const diffs: string[] = [];
  for (const [period, staff] of truth) {
    if (period.startsWith('HOUR:')) continue;
    const actual = await sb.store.periodCounters(period);
    if (actual.size !== staff.size) diffs.push(`${period}: ${actual.size} staff in Redis, ${staff.size} expected`);
    for (const [id, expected] of staff) {
      const got = actual.get(id) ?? {};
      for (const [k, v] of Object.entries(expected)) {
        const g = got[k] ?? 0;
        if (Math.abs(g - v) > 1e-6 * Math.max(1, Math.abs(v))) diffs.push(`${period} ${id} ${k}: ${g} != ${v}`);
      }
      for (const k of Object.keys(got)) if (!(k in expected)) diffs.push(`${period} ${id} ${k}: unexpected ${got[k]}`);
    }
    if (diffs.length > 20) break;
  }
  return diffs;
}

/** Reads the dead-letter topic from the start until `count` records arrived. */
export async function readDeadLetters(sb: Sandbox, count: number, timeoutMs = 60_000): Promise<{ errorClass: string; code: string; value: Buffer | null }[]> {
  const consumer = kafkaFor().consumer({ groupId: uniqueName('dlq-reader') });
  const out: { errorClass: string; code: string; value: Buffer | null }[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic: sb.topics.dlq, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const r = codecs.decode('dlq', message.value!);
      if (r.ok) out.push(r.event as { errorClass: string; code: string; value: Buffer | null });
    },
  });
  try {
    await waitFor(async () => out.length >= count, timeoutMs, `${count} dead letters`);
    await new Promise((r) => setTimeout(r, 500)); // and no more than that
  } finally {
    await consumer.disconnect();
  }
  return out;
}

export interface Stream {
  /** In production order: valid events, duplicates (upstream retries) and malformed bytes. */
  messages: { topic: TopicKey; key: string; value: Buffer }[];
  /** Every valid event sent, duplicates included (the truth counts each eventId once). */
  validEvents: SourceEvent[];
  bad: { expectedClass: string }[];
  duplicates: number;
}

/** A simulated stretch of the recent past (inside maxLateness) until at least `minEvents` valid events. */
export function mixedStream(opts: { seed: number; minEvents: number; malformedRate?: number; duplicateRate?: number }): Stream {
  const day = 86_400_000;
  const startMs = Math.floor(TEST_CLOCK.clock.now() / day) * day - 20 * day;
  const sim = createSimulation({
    seed: opts.seed,
    teams: 10,
    staffPerTeam: 30,
    startMs,
    endMs: startMs + 19 * day,
    malformedRate: opts.malformedRate ?? 0.002,
    duplicateRate: opts.duplicateRate ?? 0.01,
  });
  const out: Stream = { messages: [], validEvents: [], bad: [], duplicates: 0 };
  const ids = new Set<string>();
  for (const item of sim.items()) {
    const m = encodeItem(codecs, item);
    if (m.topic === 'roster') continue;
    out.messages.push(m);
    if ('bytes' in item) out.bad.push({ expectedClass: item.expectedClass });
    else {
      const e = item.event as SourceEvent;
      if (ids.has(e.eventId)) out.duplicates++;
      ids.add(e.eventId);
      out.validEvents.push(e);
      if (ids.size >= opts.minEvents) break;
    }
  }
  return out;
}
