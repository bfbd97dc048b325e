import type { Rules, SlaObservation } from '@cs/appraisal';
import type { Codecs, SourceTopicKey } from '@cs/contracts';
import type { CounterStore } from '@cs/counter-store';
import type { ServiceConfig } from '@cs/runtime';
import { Buckets } from './buckets.ts';
import { slaMetricKey } from './metrics.ts';
import { prepareBatch, type PreparedBatch, type Rejection } from './prepare.ts';

/**
 * The CPU-heavy half of a batch — decode, validate, attribute, coalesce, apply — as a job that
 * runs in a worker thread (or in-process), so Node's main thread is left to kafkajs. The
 * orchestration (offsets, seeks, retries, dead-letter sends, commits) stays in service.ts.
 */
export interface BatchJob {
  /** Same id = same messages: a retried job reuses its prepared batch. */
  id: number;
  topicKey: SourceTopicKey;
  topic: string;
  partition: number;
  firstOffset: number;
  nextOffset: number;
  now: number;
  values: (Buffer | null)[];
  /** Until the caller has sent the dead letters, a batch with rejects is not applied. */
  deadLettersSent: boolean;
}

export type BatchResult =
  /** Send these to the dead-letter topic, then run the job again with deadLettersSent. */
  | { kind: 'rejected'; rejected: { index: number; error: Rejection }[] }
  /** Part of the batch is applied already (or Redis is behind): nothing changed. */
  | { kind: 'stale'; storedOffset: number; scriptSeconds: number }
  | {
      kind: 'applied';
      scriptSeconds: number;
      counted: number;
      duplicates: number;
      /** counted events per kind, and SLA observations (one of each label set) with their counts */
      kinds: [string, number][];
      sla: [SlaObservation, number][];
      rejected: { index: number; error: Rejection }[];
    };

export interface BatchProcessor {
  run(job: BatchJob): Promise<BatchResult>;
  close(): Promise<void>;
}

export interface ApplierDeps {
  store: CounterStore;
  codecs: Codecs;
  rules: Rules;
  buckets: Buckets;
  maxLatenessMs: number;
}

/** The applier under this configuration (a batch worker's, or the aggregator's own with CS_AGGREGATOR_WORKERS=0). */
export function batchApplier(store: CounterStore, codecs: Codecs, config: ServiceConfig, rules: Rules): BatchApplier {
  return new BatchApplier({ store, codecs, rules, buckets: new Buckets(config.CS_TIMEZONE), maxLatenessMs: config.CS_MAX_LATENESS_DAYS * 86_400_000 });
}

/** Runs jobs in this thread: what each batch worker does, and the aggregator with CS_AGGREGATOR_WORKERS=0. */
export class BatchApplier implements BatchProcessor {
  /** Prepared batches waiting for their dead letters to be sent, or for a retried apply. */
  private readonly prepared = new Map<number, PreparedBatch>();

  constructor(private readonly deps: ApplierDeps) {}

  async run(job: BatchJob): Promise<BatchResult> {
    const { deps } = this;
    let prepared = this.prepared.get(job.id);
    if (!prepared) {
      prepared = prepareBatch(job.values, { codecs: deps.codecs, rules: deps.rules, buckets: deps.buckets, topicKey: job.topicKey, maxLatenessMs: deps.maxLatenessMs, now: job.now });
      this.keep(job.id, prepared);
    }
    if (prepared.rejected.length > 0 && !job.deadLettersSent) return { kind: 'rejected', rejected: prepared.rejected };
    // A failed apply throws and leaves the batch prepared for the retry.
    const t0 = performance.now();
    const outcome = await deps.store.applyBatch({ shard: job.partition, topic: job.topic, partition: job.partition, firstOffset: job.firstOffset, nextOffset: job.nextOffset, effects: prepared.effects });
    const scriptSeconds = (performance.now() - t0) / 1000;
    this.prepared.delete(job.id);
    if (outcome.status === 'stale') return { kind: 'stale', storedOffset: outcome.storedOffset, scriptSeconds };
    return { kind: 'applied', scriptSeconds, counted: outcome.counted, duplicates: outcome.duplicates, ...tally(prepared, outcome.dropped), rejected: prepared.rejected };
  }

  async close(): Promise<void> {
    this.prepared.clear();
  }

  /** Jobs abandoned mid-way (rebalance, stop) never come back: keep only the latest few. */
  private keep(id: number, prepared: PreparedBatch): void {
    this.prepared.set(id, prepared);
    if (this.prepared.size > 8) this.prepared.delete(this.prepared.keys().next().value!);
  }
}

/** What the metrics need of an applied batch, without the duplicates Redis dropped. */
function tally(prepared: PreparedBatch, dropped: ReadonlySet<number>): { kinds: [string, number][]; sla: [SlaObservation, number][] } {
  const kinds = new Map<string, number>();
  const sla = new Map<string, [SlaObservation, number]>();
  prepared.kinds.forEach((kind, i) => {
    if (dropped.has(i)) return;
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    for (const o of prepared.sla[i]!) {
      const key = slaMetricKey(o);
      const seen = sla.get(key);
      if (seen) seen[1]++;
      else sla.set(key, [o, 1]);
    }
  });
  return { kinds: [...kinds], sla: [...sla.values()] };
}
