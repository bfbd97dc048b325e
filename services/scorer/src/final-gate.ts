import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import type { CounterStore } from '@cs/counter-store';

/**
 * Holds a period's FINAL back until the aggregator has applied what the source topics held when
 * the period came due: a FINAL computed while the aggregator lags (a backlog after an outage, a
 * Redis that lost its state and is healing from Kafka) would carry partial counts to payroll.
 * The marks are the source partitions' high watermarks at the first tick the period is due,
 * compared with the offsets the aggregator stores in Redis with its counters (shard = partition).
 * Events produced after that are late events: they REVISE the FINAL as usual.
 */
export class FinalGate {
  /** period id -> "topic\u0000partition" -> high watermark when it came due */
  private readonly marks = new Map<string, Map<string, number>>();

  constructor(
    private readonly kafka: Kafka,
    private readonly store: CounterStore,
    private readonly sourceTopics: readonly string[],
    private readonly log: Logger,
  ) {}

  /** Whether the aggregator has caught up with the marks of this period (taken now if first asked). */
  async caughtUp(periodId: string): Promise<boolean> {
    let marks = this.marks.get(periodId);
    try {
      if (!marks) this.marks.set(periodId, (marks = await this.highWatermarks()));
      const behind: { topic: string; partition: number; applied: number; needed: number }[] = [];
      for (const [tp, needed] of marks) {
        const [topic, p] = tp.split('\u0000') as [string, string];
        const partition = Number(p);
        const applied = (await this.store.readOffset(partition, topic, partition)) ?? 0;
        if (applied < needed) behind.push({ topic, partition, applied, needed });
      }
      if (behind.length > 0) {
        this.log.warn({ period: periodId, behind: behind.slice(0, 5), partitionsBehind: behind.length }, 'FINAL waits: the aggregator has not applied what the source topics held when the period came due');
        return false;
      }
    } catch (err) {
      this.log.warn({ period: periodId, err: (err as Error).message }, 'FINAL waits: cannot check the aggregator\'s progress');
      return false;
    }
    this.marks.delete(periodId);
    return true;
  }

  private async highWatermarks(): Promise<Map<string, number>> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      // Only topics that exist: asking for another one could create it.
      const existing = new Set(await admin.listTopics());
      const out = new Map<string, number>();
      for (const topic of this.sourceTopics) {
        if (!existing.has(topic)) continue;
        for (const o of await admin.fetchTopicOffsets(topic)) out.set(`${topic}\u0000${o.partition}`, Number(o.high));
      }
      return out;
    } finally {
      await admin.disconnect().catch(() => {});
    }
  }
}
