// Sending records to the output topics, from threads of their own (publisher-worker.ts). kafkajs
// encodes each record into fresh buffers on the thread that sends it: that work, not the broker,
// is the bulk of a FINAL's send, so it runs outside the scorer's thread (and its heap of a whole
// population's scorecards), on as many threads as CS_SCORER_SEND_THREADS. Each thread has its own
// idempotent producer and owns the partitions p with p % threads === its number, so a key's
// records keep their order; the partition is Kafka's default (murmur2) choice for the key (key-partition.ts).
import { Worker } from 'node:worker_threads';
import { CsError } from '@cs/contracts/errors';
import { logKafkaEntry } from '@cs/runtime';
import type { Logger } from 'pino';
import { keyPartition } from './key-partition.ts';
import { packBlock, type OutMessage } from './outbox-format.ts';
import type { OutputTopics } from './produce-requests.ts';
import type { FromWorker, PublisherWorkerData, ToWorker, WireError } from './publisher-protocol.ts';

export type { OutputTopics } from './produce-requests.ts';

/** A send or connect that failed in a sending thread: kafkajs's error name and message, and whether a retry may succeed. */
export class PublishError extends CsError {
  readonly kafkaError: string;
  constructor(w: WireError, context: string) {
    super('CS_PUBLISH_FAILED', `${context}: ${w.name}: ${w.message}`, { retriable: w.retriable });
    this.kafkaError = w.name;
  }
}

interface Pending {
  resolve: () => void;
  reject: (err: Error) => void;
}

/** One sending thread: started on first use (again after it died), one send at a time in order. */
class SendingThread {
  private worker?: Worker;
  private starting?: Promise<Worker>;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  /** each output topic's partition count, as the thread's producer read it at start */
  partitions = new Map<string, number>();

  constructor(
    private readonly data: PublisherWorkerData,
    private readonly log: Logger,
  ) {}

  ready(): Promise<Worker> {
    if (this.worker) return Promise.resolve(this.worker);
    this.starting ??= this.start().finally(() => (this.starting = undefined));
    return this.starting;
  }

  async send(block: Buffer, partitions?: Int32Array): Promise<void> {
    const worker = await this.ready();
    const id = this.nextId++;
    const done = new Promise<void>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    const transfer = [block.buffer as ArrayBuffer, ...(partitions ? [partitions.buffer as ArrayBuffer] : [])];
    worker.postMessage({ kind: 'send', id, block, partitions } satisfies ToWorker, transfer);
    await done;
  }

  async close(): Promise<void> {
    const worker = this.worker ?? (await this.starting?.catch(() => undefined));
    this.worker = undefined;
    this.starting = undefined;
    if (!worker) return;
    const closed = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ kind: 'close' } satisfies ToWorker);
    const timeout = setTimeout(() => void worker.terminate(), 10_000);
    await closed;
    clearTimeout(timeout);
  }

  private start(): Promise<Worker> {
    const worker = new Worker(new URL('./publisher-worker.ts', import.meta.url), { workerData: this.data });
    worker.unref(); // a stopped or crashed scorer never waits on it
    return new Promise<Worker>((resolve, reject) => {
      let failure: Error | undefined;
      worker.on('message', (m: FromWorker) => {
        switch (m.kind) {
          case 'ready':
            this.partitions = new Map(m.partitions);
            this.worker = worker;
            resolve(worker);
            break;
          case 'connect-failed':
            void worker.terminate();
            reject(new PublishError(m.error, 'connecting the producer'));
            break;
          case 'sent':
            this.settle(m.id)?.resolve();
            break;
          case 'failed':
            this.settle(m.id)?.reject(new PublishError(m.error, 'sending'));
            break;
          case 'log':
            logKafkaEntry(this.log, m.level, m.namespace, m.fields, m.message);
            break;
          case 'closed':
            break;
        }
      });
      worker.on('error', (err) => {
        failure = err;
        this.log.error({ err: err.message, thread: this.data.thread }, 'a sending thread failed');
      });
      worker.on('exit', (code) => {
        if (this.worker === worker) this.worker = undefined;
        const why = failure ? `${failure.name}: ${failure.message}` : `exit code ${code}`;
        const lost = new PublishError({ name: 'WorkerExited', message: `the sending thread stopped (${why})`, retriable: true }, 'sending');
        reject(lost); // no-op once ready
        for (const id of [...this.pending.keys()]) this.settle(id)?.reject(lost);
      });
    });
  }

  private settle(id: number): Pending | undefined {
    const p = this.pending.get(id);
    this.pending.delete(id);
    return p;
  }
}

export class Publisher {
  private readonly threads: SendingThread[];
  private readonly topics: OutputTopics;

  constructor(config: { kafka: PublisherWorkerData['kafka']; topics: OutputTopics; threads: number }, log: Logger) {
    const { kafka, topics, threads } = config;
    this.topics = { appraisal: topics.appraisal, eligibility: topics.eligibility, teamScorecard: topics.teamScorecard };
    this.threads = Array.from({ length: Math.max(1, threads) }, (_, thread) => new SendingThread({ kafka, topics, thread, threads }, log));
  }

  /** Starts the sending threads and connects their producers. */
  async connect(): Promise<void> {
    await Promise.all(this.threads.map((t) => t.ready()));
  }

  async disconnect(): Promise<void> {
    await Promise.all(this.threads.map((t) => t.close()));
  }

  /** Sends in order per key; resolves once the broker has every record (idempotent producers retry without duplicates). */
  async send(messages: readonly OutMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const [first] = this.threads;
    await first!.ready();
    const counts = first!.partitions;
    const { appraisal, eligibility, teamScorecard } = this.topics;
    const n = this.threads.length;
    if (n === 1 || !counts.has(appraisal) || !counts.has(eligibility) || !counts.has(teamScorecard)) {
      // Partition counts unknown (the broker did not say): one thread, its producer's partitioner.
      await first!.send(packBlock(messages));
      return;
    }
    const partitionsOf = { a: counts.get(appraisal)!, e: counts.get(eligibility)!, t: counts.get(teamScorecard)! };
    const lanes = this.threads.map(() => ({ messages: [] as OutMessage[], partitions: [] as number[] }));
    for (const m of messages) {
      const p = keyPartition(m.k, partitionsOf[m.t]);
      const lane = lanes[p % n]!;
      lane.messages.push(m);
      lane.partitions.push(p);
    }
    const sends = await Promise.allSettled(lanes.map((l, i) => (l.messages.length === 0 ? undefined : this.threads[i]!.send(packBlock(l.messages), Int32Array.from(l.partitions)))));
    for (const s of sends) if (s.status === 'rejected') throw s.reason;
  }
}
