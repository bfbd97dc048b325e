// Steps 3 and 4 of a sealed outbox: send every record (chunk after chunk, each fenced by a lease
// renewal), record what was published, then the fenced commit (period state, outbox deleted).
import type { Logger } from 'pino';
import type { Lease } from './lease.ts';
import type { ScorerMetrics } from './metrics.ts';
import type { OutboxMeta } from './outbox-format.ts';
import type { OutboxSource } from './outbox-reader.ts';
import type { PeriodStore } from './period-store.ts';
import type { PhaseTimer } from './phase-timer.ts';
import type { Publisher } from './publisher.ts';

export interface SendHooks {
  /** The crash test hook, called after the last chunk is sent. */
  afterSend(): void;
  /** Test hook: awaited after each chunk is sent. */
  afterChunkSent?: (periodId: string, chunk: number) => Promise<void>;
}

export class OutboxSender {
  constructor(
    private readonly lease: Lease,
    private readonly publisher: Publisher,
    private readonly periods: PeriodStore,
    private readonly metrics: ScorerMetrics,
    private readonly timer: PhaseTimer,
    private readonly log: Logger,
    private readonly hooks: SendHooks,
  ) {}

  /**
   * The published records are written while the sends run: the period is 'finalizing' until the
   * commit, and nothing reads a finalizing period's published hash (a crash re-sends and
   * re-records the same from the outbox).
   */
  async send(periodId: string, meta: OutboxMeta, source: OutboxSource, resent: boolean): Promise<void> {
    await this.lease.renew(`before sending outbox ${periodId}`);
    const t0 = performance.now();
    this.timer.restart();
    const recording = this.recordPublished(periodId, await source.published());
    recording.catch(() => {}); // awaited below; no unhandled rejection while the sends run
    let cards = 0;
    let teams = 0;
    let total = 0;
    for (let sent = 0; ; ) {
      const chunk = await source.next();
      if (chunk === undefined) break;
      if (chunk.length === 0) continue;
      // Fencing: no chunk goes out unless the lease is still ours, and each renewal buys a whole
      // lease for the next chunk. A standby that took over mid-send (a pause longer than the
      // lease) re-sends this outbox itself; we stop here.
      await this.lease.renew(`sending outbox ${periodId}`);
      await this.publisher.send(chunk);
      await this.hooks.afterChunkSent?.(periodId, sent++);
      for (const m of chunk) if (m.t === 'a') cards++;
      else if (m.t === 't') teams++;
      total += chunk.length;
    }
    this.timer.lapTo('send');
    const t1 = performance.now();
    this.hooks.afterSend();
    await recording;
    await this.periods.commit(periodId, 'commit', { state: meta.next, deleteOutbox: true });
    this.timer.lapTo('commit');
    this.metrics.scorecardsPublished.inc({ status: meta.status }, cards);
    this.metrics.eligibilityPublished.inc(total - cards - teams);
    this.metrics.teamCardsPublished.inc({ status: meta.status }, teams);
    if (resent) this.metrics.outboxResent.inc();
    this.log.info(
      { period: periodId, status: meta.status, revision: meta.next.revision, scorecards: cards, eligibility: total - cards - teams, teams, resent, ms: { send: Math.round(t1 - t0), commit: Math.round(performance.now() - t1) } },
      'published',
    );
  }

  /** Records published content hashes (per chunk: staffId, Published JSON, …), fenced. */
  private async recordPublished(periodId: string, chunks: string[][]): Promise<void> {
    await Promise.all(chunks.filter((pairs) => pairs.length > 0).map((pairs) => this.periods.commit(periodId, 'recording published', { published: pairs })));
  }
}
