// The wallboard's live source: every second it reads the SLA counters of today and this month
// from Redis (what the aggregator writes, the same the demo's live view reads) and the cached
// cards, and tells the subscribers only when the board changed. The aggregator applies a batch
// in well under a second, so a change reaches the browser within 2 s.
import { nextPeriod, periodOf, type PlanAfter } from '@cs/appraisal';
import type { CounterStore } from '@cs/counter-store';
import type { Clock } from '@cs/runtime';
import type { CardCache } from './card-cache.ts';
import { dueFigures, wallboardModel, type Wallboard } from './view-model.ts';

// The work-order counters are per staff member: read them less often than the queue figures.
const DUE_EVERY_MS = 5_000;

export interface BoardState {
  board: Wallboard;
  /** when it last changed (clock ms) */
  at: number;
}

export class WallboardFeed {
  private state?: BoardState;
  private last = '';
  private timer?: NodeJS.Timeout;
  private readonly listeners = new Set<(s: BoardState) => void>();
  private polling?: Promise<void>;
  private due?: { day: string; at: number; figures: Wallboard['workOrders'] };

  constructor(
    private readonly store: CounterStore,
    private readonly cards: CardCache,
    private readonly clock: Clock,
    private readonly timeZone: string,
    private readonly queues: readonly string[],
    private readonly onError: (err: Error) => void,
    /** trend.improvementPlanAfter of a rules version (the trends' improvement plans) */
    private readonly planAfter: PlanAfter,
    private readonly intervalMs = 1000,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.poll(), this.intervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.polling;
  }

  /** The current board (read now when none has been read yet). */
  async current(): Promise<BoardState> {
    if (!this.state) await this.poll();
    return this.state!;
  }

  subscribe(fn: (s: BoardState) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  get subscribers(): number {
    return this.listeners.size;
  }

  poll(): Promise<void> {
    // One read at a time: a slow Redis must not pile reads up.
    return (this.polling ??= this.read()
      .catch((err: Error) => this.onError(err))
      .finally(() => (this.polling = undefined)));
  }

  private async read(): Promise<void> {
    const now = this.clock.now();
    const dayPeriod = periodOf('DAY', now, this.timeZone);
    const day = dayPeriod.id;
    const month = periodOf('MONTH', now, this.timeZone).id;
    const [daySla, monthSla] = await Promise.all([this.store.periodSla(day), this.store.periodSla(month)]);
    if (!this.due || this.due.day !== day || now - this.due.at >= DUE_EVERY_MS) {
      const [today, tomorrow] = await Promise.all([this.store.periodCounters(day), this.store.periodCounters(nextPeriod(dayPeriod).id)]);
      this.due = { day, at: now, figures: { today: dueFigures(today), tomorrow: dueFigures(tomorrow) } };
    }
    const board = wallboardModel({ dayId: day, monthId: month, workOrders: this.due.figures, daySla, monthSla, queues: this.queues, dayCards: this.cards.ofPeriod(day), monthCards: this.cards.ofPeriod(month), planAfter: this.planAfter });
    const json = JSON.stringify(board);
    if (json === this.last) return;
    this.last = json;
    this.state = { board, at: now };
    for (const fn of this.listeners) fn(this.state);
  }
}
