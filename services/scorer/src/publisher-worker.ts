// A sending thread of the Publisher: one idempotent kafkajs producer that turns blocks of records
// into produce requests, for its share of the output partitions. kafkajs allocates several buffers per record while encoding;
// here that garbage is collected in a small heap of its own, not in the scorer's heap of scorecards.
// Loaded by Node itself (type stripping): erasable TypeScript only, imports with their extension.
import { parentPort, workerData } from 'node:worker_threads';
import { Kafka, type Producer } from 'kafkajs';
import { KeyPartitioner } from './key-partition.ts';
import { unpackBlock } from './outbox-format.ts';
import { produceRequests } from './produce-requests.ts';
import { toWireError, type FromWorker, type PublisherWorkerData, type ToWorker } from './publisher-protocol.ts';

const port = parentPort!;
const data = workerData as PublisherWorkerData;
const post = (m: FromWorker) => port.postMessage(m);

const kafka = new Kafka({
  ...data.kafka,
  logCreator: () => (entry) => {
    const { message, ...fields } = entry.log;
    try {
      post({ kind: 'log', level: entry.level, namespace: entry.namespace, message, fields });
    } catch {
      post({ kind: 'log', level: entry.level, namespace: entry.namespace, message, fields: {} }); // a field that cannot be cloned
    }
  },
});
let producer: Producer;

/** Partition count per output topic (for the size of produce requests); 1 when unknown. */
async function partitionCounts(): Promise<Map<string, number>> {
  const m = new Map<string, number>();
  const admin = kafka.admin();
  try {
    await admin.connect();
    const md = await admin.fetchTopicMetadata({ topics: [data.topics.appraisal, data.topics.eligibility, data.topics.teamScorecard] });
    for (const t of md.topics) m.set(t.name, Math.max(1, t.partitions.length));
  } catch (err) {
    post({ kind: 'log', level: 2, namespace: 'Publisher', message: "could not read the output topics' partition counts; sending small requests", fields: { err: (err as Error).message } });
  } finally {
    await admin.disconnect().catch(() => {});
  }
  return m;
}

/** Per topic, how many of its partitions this thread sends to (the size of its requests). */
function owned(counts: ReadonlyMap<string, number>): Map<string, number> {
  const m = new Map<string, number>();
  for (const [topic, n] of counts) m.set(topic, Math.max(1, Math.floor(n / data.threads) + (data.thread < n % data.threads ? 1 : 0)));
  return m;
}

let counts = new Map<string, number>();

async function send(block: Uint8Array, partitionOf: Int32Array | undefined): Promise<void> {
  const messages = unpackBlock(Buffer.from(block.buffer, block.byteOffset, block.byteLength));
  const share = partitionOf === undefined ? counts : owned(counts);
  for (const topicMessages of produceRequests(messages, data.topics, share, partitionOf)) await producer.sendBatch({ topicMessages });
}

// One send at a time, in arrival order: the Publisher awaits each, and order per key matters.
let queue: Promise<void> = Promise.resolve();
port.on('message', (m: ToWorker) => {
  queue = queue.then(async () => {
    if (m.kind === 'close') {
      await producer.disconnect().catch(() => {});
      post({ kind: 'closed' });
      port.close();
      return;
    }
    try {
      await send(m.block, m.partitions);
      post({ kind: 'sent', id: m.id });
    } catch (err) {
      post({ kind: 'failed', id: m.id, error: toWireError(err) });
    }
  });
});

try {
  // maxInFlightRequests 1: the records of a key stay in order across retries. The default
  // (murmur2, Java-compatible) partition of a key, as the Publisher computes it (key-partition.ts).
  producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: KeyPartitioner });
  await producer.connect();
  counts = await partitionCounts();
  post({ kind: 'ready', partitions: [...counts] });
} catch (err) {
  post({ kind: 'connect-failed', error: toWireError(err) });
}
