// How the records of one send are cut into produce requests: per topic up to ~640 KiB per
// partition, a request at most 16 MiB, a member's card and eligibility in the same request.
import type { OutMessage } from './outbox-format.ts';

/**
 * Bytes of Avro per partition in one produce request: under the broker's default 1 MiB
 * message.max.bytes per record batch, with room for the uneven spread of keys over partitions.
 */
const BATCH_BYTES_PER_PARTITION = 640 * 1024;
/** Upper bound of one produce request. */
const REQUEST_BYTES = 16 * 1024 * 1024;
/** Per-record overhead counted against the budgets. */
const RECORD_OVERHEAD = 16;

export interface OutputTopics {
  appraisal: string;
  eligibility: string;
  teamScorecard: string;
}

export interface TopicRecords {
  topic: string;
  messages: { key: string; value: Buffer; partition?: number }[];
}

/**
 * The requests, in order (kafkajs groups a request's messages per partition at a cost quadratic
 * in their number, hence the per-partition budget). `partitions`: how many partitions of each
 * topic the records go to, 1 when unknown (small requests); `partitionOf`: record i's partition
 * when the caller chose it.
 */
export function* produceRequests(
  messages: readonly OutMessage[],
  topics: OutputTopics,
  partitions: ReadonlyMap<string, number>,
  partitionOf?: ArrayLike<number>,
): Generator<TopicRecords[]> {
  const batchOf = (topic: string) => ({ topic, budget: BATCH_BYTES_PER_PARTITION * (partitions.get(topic) ?? 1), messages: [] as TopicRecords['messages'], bytes: 0 });
  const batches = { a: batchOf(topics.appraisal), e: batchOf(topics.eligibility), t: batchOf(topics.teamScorecard) };
  const all = [batches.a, batches.e, batches.t];
  const take = (): TopicRecords[] => {
    const out: TopicRecords[] = [];
    for (const b of all) {
      if (b.messages.length) out.push({ topic: b.topic, messages: b.messages });
      b.messages = [];
      b.bytes = 0;
    }
    return out;
  };
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    const size = m.v.length + m.k.length + RECORD_OVERHEAD;
    const batch = batches[m.t];
    if (batch.bytes + size > batch.budget || batches.a.bytes + batches.e.bytes + batches.t.bytes + size > REQUEST_BYTES) {
      const full = take();
      if (full.length) yield full;
    }
    batch.messages.push(partitionOf === undefined ? { key: m.k, value: m.v } : { key: m.k, value: m.v, partition: partitionOf[i]! });
    batch.bytes += size;
  }
  const last = take();
  if (last.length) yield last;
}
