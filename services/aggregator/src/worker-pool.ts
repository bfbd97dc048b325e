import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { Rules } from '@cs/appraisal';
import type { ServiceConfig } from '@cs/runtime';
import type { BatchJob, BatchProcessor, BatchResult } from './batch-job.ts';

/** What a batch worker is started with (structured-cloned). */
export interface WorkerInit {
  config: ServiceConfig;
  /** the RulesBook's versions (a class does not survive the structured clone) */
  rules: readonly Rules[];
}

/** A job on the wire: the values packed into one transferable buffer (see packValues). */
export type PackedJob = Omit<BatchJob, 'values'> & { bytes: ArrayBuffer; ends: Int32Array };

export type WorkerReply = { seq: number; result: BatchResult } | { seq: number; error: string };

/**
 * The message values back to back in one fresh ArrayBuffer, and where each ends (-1: null
 * value). Transferring that is one memcpy; posting kafkajs' Buffers would clone the whole
 * fetch response behind each of them.
 */
export function packValues(values: readonly (Buffer | null)[]): { bytes: ArrayBuffer; ends: Int32Array } {
  let total = 0;
  for (const v of values) if (v) total += v.length;
  const bytes = new ArrayBuffer(total);
  const view = new Uint8Array(bytes);
  const ends = new Int32Array(values.length);
  let pos = 0;
  values.forEach((v, i) => {
    if (v === null) {
      ends[i] = -1;
      return;
    }
    view.set(v, pos);
    ends[i] = pos += v.length;
  });
  return { bytes, ends };
}

export function unpackValues(bytes: ArrayBuffer, ends: Int32Array): (Buffer | null)[] {
  const out: (Buffer | null)[] = new Array(ends.length);
  let pos = 0;
  for (let i = 0; i < ends.length; i++) {
    const end = ends[i]!;
    if (end < 0) {
      out[i] = null;
      continue;
    }
    out[i] = Buffer.from(bytes, pos, end - pos);
    pos = end;
  }
  return out;
}

const BOOTSTRAP = new URL('./worker-bootstrap.mjs', import.meta.url);

interface Slot {
  worker: Worker;
  pending: Map<number, { resolve: (r: BatchResult) => void; reject: (e: Error) => void }>;
}

/**
 * Batch workers: jobs of one partition always go to the same worker (its prepared batches stay
 * where the retry finds them). A worker that dies fails its pending jobs — the caller retries
 * them like a Redis error — and is replaced.
 */
export class WorkerPool implements BatchProcessor {
  private readonly slots: Slot[] = [];
  private seq = 0;
  private closing = false;
  /** Workers that exited before they ever started, in a row: a broken install, not a bad batch. */
  private failedStarts = 0;
  /** Set when workers keep failing to start: liveness reports it so that the process is restarted. */
  broken = false;

  constructor(
    size: number,
    private readonly init: WorkerInit,
    private readonly log: Logger,
  ) {
    for (let i = 0; i < size; i++) this.slots.push(this.spawn(i));
  }

  run(job: BatchJob): Promise<BatchResult> {
    if (this.broken) return Promise.reject(new Error('batch workers cannot start (see the fatal log line)'));
    const slot = this.slots[job.partition % this.slots.length]!;
    const seq = ++this.seq;
    const { values, ...rest } = job;
    const packed: PackedJob = { ...rest, ...packValues(values) };
    return new Promise<BatchResult>((resolve, reject) => {
      slot.pending.set(seq, { resolve, reject });
      slot.worker.postMessage({ seq, job: packed }, [packed.bytes, packed.ends.buffer as ArrayBuffer]);
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private spawn(i: number): Slot {
    // execArgv []: the bootstrap registers the TypeScript loader itself (the same under tsx and vitest).
    const worker = new Worker(BOOTSTRAP, { workerData: this.init, execArgv: [], name: `batch-worker-${i}` });
    const slot: Slot = { worker, pending: new Map() };
    let started = false;
    worker.on('message', (reply: WorkerReply | { ready: true }) => {
      if ('ready' in reply) {
        started = true;
        this.failedStarts = 0;
        return;
      }
      const p = slot.pending.get(reply.seq);
      if (!p) return;
      slot.pending.delete(reply.seq);
      if ('error' in reply) p.reject(new Error(reply.error));
      else p.resolve(reply.result);
    });
    const fail = (why: string) => {
      for (const p of slot.pending.values()) p.reject(new Error(`batch worker ${i} ${why}`));
      slot.pending.clear();
    };
    worker.on('error', (err) => {
      this.log.error({ err: err.message, worker: i }, 'batch worker failed');
      fail(`failed: ${err.message}`);
    });
    worker.on('exit', (code) => {
      fail(`exited (${code})`);
      if (this.closing) return;
      if (!started && ++this.failedStarts >= 3) {
        this.broken = true;
        this.log.fatal({ worker: i, code }, 'batch workers keep failing to start; giving up (liveness fails)');
        return;
      }
      this.log.error({ worker: i, code }, 'batch worker exited; starting a new one');
      this.slots[i] = this.spawn(i);
    });
    return slot;
  }
}
