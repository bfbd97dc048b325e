// Sending records to the output topics, from a thread of their own (publisher-worker.ts): kafkajs
// encodes each record into fresh buffers, and that garbage collected in the scorer's heap (a
// whole population of scorecards) cost more than the encoding itself. Same producer semantics:
// one idempotent producer, sends in order, each awaited.
import { Worker } from 'node:worker_threads';
import { CsError } from '@cs/contracts/errors';
import { logKafkaEntry } from '@cs/runtime';
import type { Logger } from 'pino';
import { packBlock, type OutMessage } from './outbox-format.ts';
import type { OutputTopics } from './produce-requests.ts';
import type { FromWorker, PublisherWorkerData, ToWorker, WireError } from './publisher-protocol.ts';

export type { OutputTopics } from './produce-requests.ts';

/** A send or connect that failed in the sending thread: kafkajs's error name and message, and whether a retry may succeed. */
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

export class Publisher {
  private worker?: Worker;
  private starting?: Promise<Worker>;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;

  constructor(
    private readonly data: PublisherWorkerData,
    private readonly log: Logger,
  ) {}

  /** Starts the sending thread and connects its producer. */
  async connect(): Promise<void> {
    await this.ready();
  }

  async disconnect(): Promise<void> {
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

  /** Sends in order; resolves once the broker has every record (the idempotent producer retries without duplicates). */
  async send(messages: readonly OutMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const worker = await this.ready();
    const id = this.nextId++;
    const block = packBlock(messages);
    const done = new Promise<void>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    worker.postMessage({ kind: 'send', id, block } satisfies ToWorker, [block.buffer as ArrayBuffer]);
    await done;
  }

  private ready(): Promise<Worker> {
    if (this.worker) return Promise.resolve(this.worker);
    this.starting ??= this.start().finally(() => (this.starting = undefined));
    return this.starting;
  }

  private start(): Promise<Worker> {
    const worker = new Worker(new URL('./publisher-worker.ts', import.meta.url), { workerData: this.data });
    worker.unref(); // a stopped or crashed scorer never waits on it
    return new Promise<Worker>((resolve, reject) => {
      worker.on('message', (m: FromWorker) => {
        switch (m.kind) {
          case 'ready':
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
      let failure: Error | undefined;
      worker.on('error', (err) => {
        failure = err;
        this.log.error({ err: err.message }, 'the sending thread failed');
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
