import { randomBytes } from 'node:crypto';
import { afterEach, inject } from 'vitest';
import { Kafka, logLevel, type Admin, type ITopicConfig } from 'kafkajs';
import { Redis } from 'ioredis';

/** The run's shared broker and Redis (from the global setup). */
export function testStack(): { brokers: string; redisUrl: string } {
  return { brokers: inject('kafkaBrokers'), redisUrl: inject('redisUrl') };
}

/** A name no other test (or earlier run) uses: isolation on a shared broker. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

export function kafkaFor(brokers = testStack().brokers, clientId = uniqueName('test')): Kafka {
  return new Kafka({ brokers: brokers.split(','), clientId, logLevel: logLevel.NOTHING });
}

/**
 * A topic's partition offsets. Just after a topic is created, a loaded broker can still answer
 * "not the leader for that topic-partition" to ListOffsets (kafkajs marks it retriable and does not
 * retry it here): retried for a few seconds.
 */
export async function topicOffsets(admin: Admin, topic: string): Promise<Awaited<ReturnType<Admin['fetchTopicOffsets']>>> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await admin.fetchTopicOffsets(topic);
    } catch (err) {
      if (!(err as { retriable?: boolean }).retriable || attempt >= 20) throw err;
      await new Promise((r) => setTimeout(r, 250 * Math.min(attempt, 8)));
    }
  }
}

/**
 * Creates topics with unique names; returns them in the order of `bases`. A broker that has just
 * started may still answer "does not host this topic-partition" while its metadata settles: such
 * errors are retried, and the call returns only once every partition has a leader.
 */
export async function createTopics(bases: string[], partitions = 3, brokers = testStack().brokers, extra: Partial<ITopicConfig> = {}): Promise<string[]> {
  const names = bases.map((b) => uniqueName(b));
  const admin = kafkaFor(brokers).admin();
  await admin.connect();
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        const existing = new Set(await admin.listTopics());
        const missing = names.filter((n) => !existing.has(n));
        if (missing.length) await admin.createTopics({ topics: missing.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1, ...extra })), waitForLeaders: true });
        const meta = await admin.fetchTopicMetadata({ topics: names });
        if (meta.topics.every((t) => t.partitions.length === partitions && t.partitions.every((p) => p.leader >= 0))) break;
      } catch (err) {
        if (attempt >= 20) throw err;
      }
      await new Promise((r) => setTimeout(r, 250 * Math.min(attempt, 8)));
    }
  } finally {
    await admin.disconnect();
  }
  return names;
}

/** A Redis client; pair it with `uniqueName('k')` as the key prefix of the test. */
export function redisFor(url = testStack().redisUrl): Redis {
  return new Redis(url, { maxRetriesPerRequest: 3 });
}

export async function waitFor<T>(probe: () => Promise<T | undefined | false>, timeoutMs = 30_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v as T;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Closes what a test started. */
export type Cleanups = (() => Promise<void>)[];

/**
 * The teardown list of each test of the calling file: a test pushes a cleanup for each thing it
 * starts; after the test they run last-pushed first, and one that fails does not stop the rest.
 */
export function cleanupsAfterEach(): Cleanups {
  const cleanups: Cleanups = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
  });
  return cleanups;
}

/**
 * A decoded scorecard in the engine's shape, for comparing the two: Avro gives every card
 * `reasons` (appraisal v3, default []) and `trend` (v6, null on DAY cards); the engine leaves the
 * keys out of a card without corrections and of a DAY card.
 */
export function asEngineCard<T extends { reasons?: readonly unknown[]; trend?: unknown }>(card: T): T {
  const noReasons = card.reasons !== undefined && card.reasons.length === 0;
  const noTrend = card.trend === null;
  if (!noReasons && !noTrend) return card;
  const rest: Record<string, unknown> = { ...card };
  if (noReasons) delete rest.reasons;
  if (noTrend) delete rest.trend;
  return rest as T;
}
