import { recordsToPrune, STATIC_RECORDS_KEPT, type RulesBook, type SlaObservation } from '@cs/appraisal';
import type { Codecs, SourceTopicKey } from '@cs/contracts';
import { correctionError, deadLetterReason, unknownStaffOverCapError } from '@cs/contracts';
import type { CounterStore, EventEffect } from '@cs/counter-store';
import type { ServiceConfig } from '@cs/runtime';
import { Buckets } from './buckets.ts';
import { prepareCorrections } from './corrections.ts';
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
  /** A source topic, or the corrections topic (issue #16 item 3). */
  topicKey: SourceTopicKey | 'corrections';
  topic: string;
  partition: number;
  firstOffset: number;
  nextOffset: number;
  now: number;
  values: (Buffer | null)[];
  /**
   * Indices (into values) of the messages whose dead letters the caller has sent. A batch is
   * applied only once every rejected message is among them, and never counts one of them.
   */
  deadLettered: number[];
}

export type BatchResult =
  /** Send these to the dead-letter topic, then run the job again with their indices added to deadLettered. */
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
      /** (period, staff id) pairs of staff not on the roster newly admitted to the quarantine */
      unknownAdmitted: number;
    };

export interface BatchProcessor {
  run(job: BatchJob): Promise<BatchResult>;
  close(): Promise<void>;
}

export interface ApplierDeps {
  store: CounterStore;
  codecs: Codecs;
  rules: RulesBook;
  buckets: Buckets;
  maxLatenessMs: number;
  /** Distinct staff ids not on the roster one shard keeps counters for per period (CS_UNKNOWN_STAFF_CAP). */
  unknownStaffCap: number;
}

/** The applier under this configuration (a batch worker's, or the aggregator's own with CS_AGGREGATOR_WORKERS=0). */
export function batchApplier(store: CounterStore, codecs: Codecs, config: ServiceConfig, rules: RulesBook): BatchApplier {
  return new BatchApplier({ store, codecs, rules, buckets: new Buckets(config.CS_TIMEZONE), maxLatenessMs: config.CS_MAX_LATENESS_DAYS * 86_400_000, unknownStaffCap: config.CS_UNKNOWN_STAFF_CAP });
}

/** Runs jobs in this thread: what each batch worker does, and the aggregator with CS_AGGREGATOR_WORKERS=0. */
export class BatchApplier implements BatchProcessor {
  /** Prepared batches waiting for their dead letters to be sent, or for a retried apply. */
  private readonly prepared = new Map<number, PreparedBatch>();
  /**
   * Staff ids the roster in Redis names (asked once each; an id stays named for this applier's
   * life). Ids not named are asked again in every batch that has them, so a roster entry that
   * arrives after the first events of a new hire takes effect with the next batch.
   */
  private readonly named = new Set<string>();
  /** "<period>|<rulesVersion>" -> when this applier last recorded it (re-recorded hourly, which renews its TTL) */
  private readonly recorded = new Map<string, number>();

  constructor(private readonly deps: ApplierDeps) {}

  async run(job: BatchJob): Promise<BatchResult> {
    const { deps } = this;
    let prepared = this.prepared.get(job.id);
    if (!prepared) {
      // Registry ids not seen yet: fetched once (a registry that is down makes the batch retry, not dead-letter).
      await deps.codecs.resolveIds(job.topicKey, job.values);
      prepared =
        job.topicKey === 'corrections'
          ? await prepareCorrections(job.values, { codecs: deps.codecs, store: deps.store, rules: deps.rules, now: job.now })
          : prepareBatch(job.values, { codecs: deps.codecs, rules: deps.rules, buckets: deps.buckets, topicKey: job.topicKey, maxLatenessMs: deps.maxLatenessMs, now: job.now });
      this.keep(job.id, prepared);
    }
    const sent = new Set(job.deadLettered);
    const pending = prepared.rejected.filter((r) => !sent.has(r.index));
    if (pending.length > 0) return { kind: 'rejected', rejected: pending };
    // Effects of messages already dead-lettered (over the unknown-staff cap in an earlier round) never count.
    const apply: number[] = [];
    for (let i = 0; i < prepared.effects.length; i++) if (!sent.has(prepared.at[i]!)) apply.push(i);
    const effects = apply.length === prepared.effects.length ? prepared.effects : apply.map((i) => prepared.effects[i]!);
    // A failed apply throws and leaves the batch prepared for the retry.
    const t0 = performance.now();
    await this.learnNamed(effects);
    await this.recordVersions(job, prepared, apply);
    const outcome = await deps.store.applyBatch({
      shard: job.partition,
      topic: job.topic,
      partition: job.partition,
      firstOffset: job.firstOffset,
      nextOffset: job.nextOffset,
      effects,
      unknownStaff: { cap: deps.unknownStaffCap, named: (id) => this.named.has(id) },
    });
    const scriptSeconds = (performance.now() - t0) / 1000;
    if (outcome.status === 'overCap') {
      // Nothing applied: these go to the dead-letter topic first, then the job comes back without them.
      const refused = [...outcome.refused].map((j) => {
        const i = apply[j]!;
        const unknown = [...new Set(prepared.effects[i]!.counters.map((c) => c.staffId).filter((id) => !this.named.has(id)))];
        return { index: prepared.at[i]!, error: deadLetterReason(unknownStaffOverCapError(unknown, deps.unknownStaffCap)) };
      });
      prepared.rejected.push(...refused);
      return { kind: 'rejected', rejected: refused };
    }
    if (outcome.status === 'guarded') {
      // A second reversal of the same target (corrections.ts): dead-lettered, then the job comes back without it.
      const refused = [...outcome.refused].map((j) => {
        const i = apply[j]!;
        const e = prepared.effects[i]!;
        return { index: prepared.at[i]!, error: deadLetterReason(correctionError('CS_VALIDATION_CORRECTION_ALREADY_APPLIED', `correction ${e.eventId}: target ${e.guard?.field} was reversed by an earlier correction`)) };
      });
      prepared.rejected.push(...refused);
      return { kind: 'rejected', rejected: refused };
    }
    this.prepared.delete(job.id);
    if (outcome.status === 'stale') return { kind: 'stale', storedOffset: outcome.storedOffset, scriptSeconds };
    const dropped = new Set(prepared.effects.map((_, i) => i).filter((i) => sent.has(prepared.at[i]!)));
    for (const j of outcome.dropped) dropped.add(apply[j]!);
    await this.pruneStatic(job.partition, effects);
    return { kind: 'applied', scriptSeconds, counted: outcome.counted, duplicates: outcome.duplicates, unknownAdmitted: outcome.unknownAdmitted, ...tally(prepared, dropped) };
  }

  /** Members given a static record by these effects keep at most STATIC_RECORDS_KEPT (docs/static-appraisal.md §8). */
  private async pruneStatic(shard: number, effects: readonly EventEffect[]): Promise<void> {
    const staff = new Set<string>();
    for (const e of effects) if (e.indexed) for (const x of e.indexed) staff.add(x.member);
    if (staff.size > 0) await this.deps.store.pruneStatic(shard, staff, STATIC_RECORDS_KEPT, recordsToPrune);
  }

  /** Records, per DAY/MONTH bucket these effects touch, the rules version that attributed them (new ones only). */
  private async recordVersions(job: BatchJob, prepared: PreparedBatch, apply: readonly number[]): Promise<void> {
    const byPeriod = new Map<string, Set<string>>();
    const seen = new Set<readonly string[]>(); // bucket arrays are shared per hour (Buckets memo): look at each once per version
    let lastVersion: string | undefined;
    const note = (periods: readonly string[], version: string) => {
      if (seen.has(periods)) return;
      seen.add(periods);
      for (const p of periods) {
        if (p.startsWith('HOUR:')) continue;
        const key = `${p}|${version}`;
        const at = this.recorded.get(key);
        if (at !== undefined && job.now - at < 3_600_000) continue;
        let vs = byPeriod.get(p);
        if (!vs) byPeriod.set(p, (vs = new Set()));
        vs.add(version);
      }
    };
    for (const i of apply) {
      const version = prepared.versions[i];
      if (version === undefined) continue;
      if (version !== lastVersion) seen.clear();
      lastVersion = version;
      const e = prepared.effects[i]!;
      for (const c of e.counters) note(c.periods, version);
      for (const x of e.sla) note(x.periods, version);
    }
    if (byPeriod.size === 0) return;
    await this.deps.store.recordRulesVersions(job.partition, byPeriod);
    if (this.recorded.size > 10_000) this.recorded.clear();
    for (const [p, vs] of byPeriod) for (const v of vs) this.recorded.set(`${p}|${v}`, job.now);
  }

  /** Asks the roster in Redis about the staff ids of these effects not known to be named yet. */
  private async learnNamed(effects: readonly EventEffect[]): Promise<void> {
    const ask = new Set<string>();
    for (const e of effects) for (const c of e.counters) if (!this.named.has(c.staffId)) ask.add(c.staffId);
    if (ask.size === 0) return;
    for (const id of await this.deps.store.namedStaff([...ask])) this.named.add(id);
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
