import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import type { CounterStore } from '@cs/counter-store';
import { highWatermarks, type PartitionMark } from '@cs/runtime';

/**
 * Holds a period's FINAL back until the aggregator has applied what the source topics held when
 * the period came due: a FINAL computed while the aggregator lags (a backlog after an outage, a
 * Redis that lost its state and is healing from Kafka) would carry partial counts to payroll.
 * The marks are the source partitions' high watermarks at the first tick the period is due,
 * compared with the offsets the aggregator stores in Redis with its counters. Events produced
 * after that are late events: they REVISE the FINAL as usual.
 */
export class FinalGate {
  /** period id -> the marks it waits for */
  private readonly marks = new Map<string, PartitionMark[]>();
  /** This tick's readings, each made at most once per tick: high watermarks, applied offsets. */
  private current?: Promise<PartitionMark[]>;
  private readonly applied = new Map<string, Promise<number>>();

  constructor(
    private readonly kafka: Kafka,
    private readonly store: CounterStore,
    private readonly sourceTopics: readonly string[],
    private readonly log: Logger,
  ) {}

  /** Forgets the last tick's readings (call at the start of each tick). */
  newTick(): void {
    this.current = undefined;
    this.applied.clear();
  }

  /** Whether the aggregator has caught up with this period's marks (taken this tick if it is new). */
  async caughtUp(periodId: string): Promise<boolean> {
    try {
      let marks = this.marks.get(periodId);
      if (!marks) this.marks.set(periodId, (marks = await (this.current ??= this.fetchHighWatermarks())));
      const applied = await Promise.all(marks.map((m) => this.appliedOf(m)));
      const behind = marks.filter((m, i) => applied[i]! < m.high);
      if (behind.length > 0) {
        this.log.warn({ period: periodId, partitionsBehind: behind.length, behind: behind.slice(0, 5) }, 'FINAL waits: the aggregator has not applied what the source topics held when the period came due');
        return false;
      }
    } catch (err) {
      this.log.warn({ period: periodId, err: (err as Error).message }, "FINAL waits: cannot check the aggregator's progress");
      return false;
    }
    this.marks.delete(periodId);
    return true;
  }

  private async fetchHighWatermarks(): Promise<PartitionMark[]> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      return await highWatermarks(admin, this.sourceTopics);
    } finally {
      await admin.disconnect().catch(() => {});
    }
  }

  private appliedOf(m: PartitionMark): Promise<number> {
    const key = `${m.topic}\u0000${m.partition}`;
    let offset = this.applied.get(key);
    if (!offset) this.applied.set(key, (offset = this.store.appliedOffset(m.topic, m.partition)));
    return offset;
  }
}
