// npm run bench:kafka-clients — kafkajs against @platformatic/kafka on one local broker, in one
// run: batched produce, then raw consume (no decoding), of the same records (BENCH_RECORDS,
// default 1,000,000: a staff-id key and a 300-byte value, the size of an encoded source event).
// Both produce as the services do (idempotent, acks=all, 1,000 records a send, one send at a
// time) and fetch with the same limits. BENCH_ROUNDS rounds (default 2) alternate which client
// goes first; the table shows each client's best. Not a test.
import { randomFillSync } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { Consumer, MessagesStreamModes, ProduceAcks, Producer } from '@platformatic/kafka';
import { printTable, withBenchStack } from './bench-stack.ts';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const VALUE_BYTES = 300;
const STAFF = 3_000;
const PER_SEND = 1_000;
const PARTITIONS = 6;
const FETCH = { minBytes: 1, maxBytes: 10 * 1024 * 1024, maxBytesPerPartition: 2 * 1024 * 1024, maxWaitTime: 500 };
const run = `bench-clients-${Date.now().toString(36)}`;

interface Rec {
  key: Buffer;
  value: Buffer;
}
/** Phase timings of one client in one round. */
interface Timing {
  produceMs: number;
  /** from the consumer's start to its first record (group join and first fetch) */
  firstRecordMs: number;
  /** from the consumer's start to the last record: joining the group is part of consuming */
  consumeMs: number;
}
type Client = (brokers: string[], topic: string, records: Rec[]) => Promise<Timing>;

function records(): { records: Rec[]; bytes: number } {
  const values = randomFillSync(Buffer.allocUnsafe(RECORDS * VALUE_BYTES));
  const keys = Array.from({ length: STAFF }, (_, i) => Buffer.from(`S${String(i).padStart(5, '0')}`));
  const out: Rec[] = [];
  let bytes = 0;
  for (let i = 0; i < RECORDS; i++) {
    const key = keys[(i * 7919) % STAFF]!;
    out.push({ key, value: values.subarray(i * VALUE_BYTES, (i + 1) * VALUE_BYTES) });
    bytes += key.length + VALUE_BYTES;
  }
  return { records: out, bytes };
}

const kafkajs: Client = async (brokers, topic, recs) => {
  const kafka = new Kafka({ clientId: run, brokers, logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  await producer.connect();
  let t = performance.now();
  for (let i = 0; i < recs.length; i += PER_SEND) await producer.send({ topic, acks: -1, messages: recs.slice(i, i + PER_SEND) });
  const produceMs = performance.now() - t;
  await producer.disconnect();

  const consumer = kafka.consumer({ groupId: `${topic}-g`, ...FETCH, maxWaitTimeInMs: FETCH.maxWaitTime });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  let first = 0;
  t = performance.now();
  const done = new Promise<void>((resolve) => {
    void consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        if (seen === 0) first = performance.now();
        seen += batch.messages.length;
        if (seen >= recs.length) resolve();
      },
    });
  });
  await done;
  const end = performance.now();
  await consumer.disconnect();
  return { produceMs, firstRecordMs: first - t, consumeMs: end - t };
};

const platformatic: Client = async (brokers, topic, recs) => {
  const producer = new Producer({ clientId: run, bootstrapBrokers: brokers, idempotent: true, acks: ProduceAcks.ALL, autocreateTopics: false });
  let t = performance.now();
  for (let i = 0; i < recs.length; i += PER_SEND) {
    await producer.send({ messages: recs.slice(i, i + PER_SEND).map((r) => ({ topic, key: r.key, value: r.value })) });
  }
  const produceMs = performance.now() - t;
  await producer.close();

  const consumer = new Consumer({ clientId: run, groupId: `${topic}-g`, bootstrapBrokers: brokers, ...FETCH });
  let seen = 0;
  let first = 0;
  t = performance.now();
  const stream = await consumer.consume({ topics: [topic], mode: MessagesStreamModes.EARLIEST, autocommit: false });
  await new Promise<void>((resolve, reject) => {
    stream.on('error', reject);
    stream.on('data', () => {
      if (seen++ === 0) first = performance.now();
      if (seen === recs.length) resolve();
    });
  });
  const end = performance.now();
  await stream.close();
  await consumer.close(true);
  return { produceMs, firstRecordMs: first - t, consumeMs: end - t };
};

const CLIENTS: Record<string, Client> = { kafkajs, '@platformatic/kafka': platformatic };

await withBenchStack(async ({ brokers }) => {
  const brokerList = brokers.split(',');
  const { records: recs, bytes } = records();
  console.error(`${RECORDS.toLocaleString('en')} records, ${(bytes / 1e6).toFixed(1)} MB of keys and values; ${ROUNDS} round(s) on ${brokers}, node ${process.version}`);
  const admin = new Kafka({ clientId: run, brokers: brokerList, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  const best = new Map<string, Timing>();
  // Every topic up front: a topic created right after another's deletion can miss its leader.
  const topicOf = (round: number, name: string) => `${run}-${round}-${name.replace(/\W/g, '')}`;
  const topics = Array.from({ length: ROUNDS }, (_, round) => Object.keys(CLIENTS).map((name) => topicOf(round, name))).flat();
  await admin.createTopics({ topics: topics.map((topic) => ({ topic, numPartitions: PARTITIONS, replicationFactor: 1 })), waitForLeaders: true });
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? Object.keys(CLIENTS) : Object.keys(CLIENTS).reverse();
      for (const name of order) {
        const r = await CLIENTS[name]!(brokerList, topicOf(round, name), recs);
        console.error(`round ${round + 1} ${name}: produce ${(r.produceMs / 1000).toFixed(2)} s, first record after ${r.firstRecordMs.toFixed(0)} ms, consume ${(r.consumeMs / 1000).toFixed(2)} s`);
        const b = best.get(name);
        best.set(name, b ? { produceMs: Math.min(b.produceMs, r.produceMs), firstRecordMs: Math.min(b.firstRecordMs, r.firstRecordMs), consumeMs: Math.min(b.consumeMs, r.consumeMs) } : r);
      }
    }
  } finally {
    await admin.disconnect(); // the broker and its log go with the stack
  }

  const rate = (ms: number) => RECORDS / (ms / 1000);
  const mbps = (ms: number) => bytes / 1e6 / (ms / 1000);
  const rows = [...best].map(([client, t]) => ({
    client,
    'produce rec/s': Math.round(rate(t.produceMs)).toLocaleString('en'),
    'produce MB/s': mbps(t.produceMs).toFixed(1),
    'consume rec/s': Math.round(rate(t.consumeMs)).toLocaleString('en'),
    'consume MB/s': mbps(t.consumeMs).toFixed(1),
    'first record ms': t.firstRecordMs.toFixed(0),
  }));
  const k = best.get('kafkajs')!;
  const p = best.get('@platformatic/kafka')!;
  const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;
  rows.push({
    client: 'platformatic / kafkajs',
    'produce rec/s': ratio(k.produceMs, p.produceMs),
    'produce MB/s': ratio(k.produceMs, p.produceMs),
    'consume rec/s': ratio(k.consumeMs, p.consumeMs),
    'consume MB/s': ratio(k.consumeMs, p.consumeMs),
    'first record ms': ratio(p.firstRecordMs, k.firstRecordMs),
  });
  printTable(rows);
});
