// Reads a topic from its beginning to the high watermark of each partition as it was when the read
// started, then stops. Nothing is committed: the consumer group is a throwaway (unique id, no offset
// commits, deleted afterwards), so repeated reads see the same data and disturb no service.
import { randomUUID } from 'node:crypto';
import type { Admin } from 'kafkajs';
import { RuntimeFailure } from './cli-errors.ts';
import type { TopicKey } from '@cs/contracts';
import { connectAdmin, errorText, requireTopics, type CliKafka } from './kafka-client.ts';

export interface TopicMessage {
  partition: number;
  offset: bigint;
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
}

export interface ReadOptions {
  /** Give up (exit 1) when no progress is made for this long. Default 30 s. */
  stallMs?: number;
}

/** Calls `onMessage` for every message up to the starting high watermarks; returns how many. */
export async function readTopicToEnd(c: CliKafka, admin: Admin, topic: string, onMessage: (m: TopicMessage) => void, opts: ReadOptions = {}): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topic);
  // Partition -> first offset NOT to read. Partitions that are empty (or emptied by retention) are done.
  const target = new Map<number, bigint>();
  for (const o of offsets) if (BigInt(o.high) > BigInt(o.low)) target.set(o.partition, BigInt(o.high));
  if (target.size === 0) return 0;

  const groupId = `cs-appraisal-cli-${randomUUID()}`;
  const consumer = c.kafka.consumer({ groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 250, sessionTimeout: 10_000, heartbeatInterval: 1_000 });
  const position = new Map<number, bigint>();
  let count = 0;
  let lastProgress = Date.now();
  let finish!: (err?: Error) => void;
  const finished = new Promise<void>((resolve, reject) => {
    finish = (err) => (err ? reject(err) : resolve());
  });
  finished.catch(() => {}); // awaited below; this only keeps an early failure from being "unhandled"
  const advance = (partition: number, next: bigint) => {
    if (next > (position.get(partition) ?? -1n)) {
      position.set(partition, next);
      lastProgress = Date.now();
    }
    if ([...target].every(([p, high]) => (position.get(p) ?? -1n) >= high)) finish();
  };
  // Fires for every processed batch, including batches that hold only control records.
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
    if (payload.topic === topic && payload.lastOffset != null) advance(payload.partition, BigInt(payload.lastOffset) + 1n);
  });
  // A retriable crash (e.g. "the coordinator is loading" on a fresh broker) is restarted by kafkajs;
  // the stall watchdog still bounds it.
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    if (!payload.restart) finish(new RuntimeFailure(`reading ${topic} failed: ${errorText(payload.error)}`));
  });
  const stallMs = opts.stallMs ?? 30_000;
  const watchdog = setInterval(() => {
    if (Date.now() - lastProgress > stallMs) finish(new RuntimeFailure(`reading ${topic} made no progress for ${stallMs / 1000} s: check the broker (npx cs-appraisal stack status) and retry`));
  }, 500);
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const high = target.get(batch.partition);
        if (high === undefined) return;
        for (const m of batch.messages) {
          const offset = BigInt(m.offset);
          if (offset >= high) break; // published after the read started
          count++;
          onMessage({ partition: batch.partition, offset, timestamp: Number(m.timestamp), key: m.key ?? null, value: m.value ?? null });
        }
      },
    });
    await finished;
    return count;
  } finally {
    clearInterval(watchdog);
    await consumer.disconnect().catch(() => {});
    // The group never committed anything; remove it so it does not linger in listings.
    await admin.deleteGroups([groupId]).catch(() => {});
  }
}

/**
 * Reads one of our topics to its end (connecting, checking it exists), handing each non-null value
 * to `take`, which returns an error text for a message it cannot decode, else null. Undecodable
 * messages are counted and reported on stderr, not fatal: the rest of the topic is still good.
 * Returns the number skipped.
 */
export async function readValues(c: CliKafka, key: TopicKey, take: (value: Buffer, m: TopicMessage) => string | null): Promise<number> {
  const admin = await connectAdmin(c);
  let skipped = 0;
  let first = '';
  try {
    await requireTopics(c, admin, [key]);
    await readTopicToEnd(c, admin, c.topics[key], (m) => {
      if (m.value === null) return; // tombstone
      const err = take(m.value, m);
      if (err !== null) {
        skipped++;
        first ||= `partition ${m.partition} offset ${m.offset}: ${err}`;
      }
    });
  } catch (err) {
    if (err instanceof RuntimeFailure) throw err;
    throw new RuntimeFailure(`reading ${c.topics[key]} from Kafka at ${c.brokers} failed: ${errorText(err)}; check the broker (npx cs-appraisal stack status) and retry`);
  } finally {
    await admin.disconnect().catch(() => {});
  }
  if (skipped) console.error(`cs-appraisal: skipped ${skipped} undecodable message${skipped === 1 ? '' : 's'} on ${c.topics[key]} (first at ${first})`);
  return skipped;
}
