import { randomBytes } from 'node:crypto';
import type { Consumer } from 'kafkajs';
import { periodOf, type PlanAfter, type Rules } from '@cs/appraisal';
import { SOURCE_TOPIC_KEYS, type Codecs, type Scorecard, type TeamScorecard } from '@cs/contracts';
import { keepLatestTeam, type Published } from '@cs/contracts/latest-records';
import { areaFigures, queueFigures, type CounterStore, type QueueFigures } from '@cs/counter-store';
import { highWatermarks } from '@cs/runtime';
import type { CliKafka } from './kafka-client.ts';
import { trendBoard, trendTag } from './live-trends.ts';
import { formatTable, num } from './table.ts';
import { teamBoard } from './team-board.ts';

const STATUS_ORDER = { PROVISIONAL: 0, FINAL: 1, REVISED: 2 } as const;
const SL_TARGET = 0.8;

/** The demo's terminal view: the latest scorecards from the appraisal topic, SLA counters from Redis. */
export class LiveView {
  liveEvents = 0;
  /** Which month is replayed and why (shown above the leaderboards). */
  note = '';
  private consumer?: Consumer;
  private readonly cards = new Map<string, Map<string, Scorecard>>();
  /** team cards by "<teamId>|<periodId>", the latest of each */
  private readonly teams = new Map<string, Published<TeamScorecard>>();
  private readonly published: Record<string, number> = {};
  private readonly deadLetters: Record<string, number> = {};
  private month = '';

  constructor(
    private readonly c: CliKafka,
    private readonly store: CounterStore,
    private readonly codecs: Codecs,
    private readonly timeZone: Rules['timeZone'],
    /** trend.improvementPlanAfter of a rules version (the trends' improvement plans) */
    private readonly planAfter: PlanAfter,
  ) {}

  /** Waits until the aggregator has applied everything on the source topics (progress on stderr). */
  async waitForAggregator(stopping: () => boolean, write: (s: string) => void): Promise<void> {
    const admin = this.c.kafka.admin();
    await admin.connect();
    try {
      const targets = await highWatermarks(admin, SOURCE_TOPIC_KEYS.map((k) => this.c.topics[k]));
      const total = targets.reduce((a, t) => a + t.high, 0);
      for (;;) {
        const offsets = await Promise.all(targets.map((t) => this.store.appliedOffset(t.topic, t.partition)));
        const applied = targets.reduce((a, t, i) => a + Math.min(t.high, offsets[i]!), 0);
        write(`\r    aggregator: ${applied.toLocaleString('en-US')}/${total.toLocaleString('en-US')} messages applied to Redis`);
        if (applied >= total || stopping()) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      write('\n');
    } finally {
      await admin.disconnect();
    }
  }

  async start(month: string): Promise<void> {
    this.month = month;
    this.consumer = this.c.kafka.consumer({ groupId: `cs-demo-view-${process.pid}-${randomBytes(4).toString('hex')}` });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [this.c.topics.appraisal, this.c.topics.dlq, this.c.topics.teamScorecard], fromBeginning: true });
    await this.consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        if (!message.value) return;
        if (topic === this.c.topics.teamScorecard) {
          const r = this.codecs.decode('teamScorecard', message.value);
          if (r.ok) keepLatestTeam(this.teams, { record: r.event as TeamScorecard, partition, offset: BigInt(message.offset), timestamp: Number(message.timestamp) });
          return;
        }
        if (topic === this.c.topics.dlq) {
          const r = this.codecs.decode('dlq', message.value);
          const cls = r.ok ? (r.event as { errorClass: string }).errorClass : 'UNREADABLE';
          this.deadLetters[cls] = (this.deadLetters[cls] ?? 0) + 1;
          return;
        }
        const r = this.codecs.decode('appraisal', message.value);
        if (!r.ok) return;
        const card = r.event as Scorecard;
        this.published[card.status] = (this.published[card.status] ?? 0) + 1;
        const id = `${card.period.kind}:${card.period.kind === 'MONTH' ? card.period.start.slice(0, 7) : card.period.start}`;
        const byStaff = this.cards.get(id) ?? this.cards.set(id, new Map()).get(id)!;
        const prev = byStaff.get(card.staffId);
        if (!prev || card.revision > prev.revision || (card.revision === prev.revision && STATUS_ORDER[card.status] >= STATUS_ORDER[prev.status])) byStaff.set(card.staffId, card);
      },
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }

  /** Whether the view has received FINAL (or REVISED) scorecards of `period` (e.g. MONTH:2026-10). */
  hasFinal(period: string): boolean {
    for (const c of this.cards.get(period)?.values() ?? []) if (c.status !== 'PROVISIONAL') return true;
    return false;
  }

  async render(): Promise<void> {
    const now = this.c.clock.now();
    const today = periodOf('DAY', now, this.timeZone).id;
    const lines: string[] = [];
    lines.push(`cs-appraisal demo · ${new Date(now).toISOString().slice(0, 19)}Z · ${this.liveEvents.toLocaleString('en-US')} live events · Ctrl-C to stop`);
    if (this.note) lines.push(`Replaying ${this.note}`);
    lines.push('');
    lines.push(...this.leaderboard(this.month, `Team leaderboards — ${this.month}`));
    lines.push('');
    lines.push(...this.teamBoard(this.month));
    lines.push('');
    lines.push(...trendBoard([...(this.cards.get(this.month)?.values() ?? [])], this.planAfter, `Trends — ${this.month} (short-window slope: ↑ improving, → steady, ↓ declining, ? under two graded months; PLAN = improvement plan)`));
    lines.push('');
    lines.push(...this.leaderboard(today, `Today, ${today}`, 1));
    lines.push('');
    lines.push(...(await this.sla(today)));
    const dl = Object.entries(this.deadLetters).map(([k, v]) => `${k} ${v}`).join(', ') || 'none';
    const pub = Object.entries(this.published).map(([k, v]) => `${k} ${v.toLocaleString('en-US')}`).join(', ') || 'none yet';
    lines.push('');
    lines.push(`Dead letters: ${dl}`);
    lines.push(`Scorecards published: ${pub}`);
    process.stdout.write(`\x1b[2J\x1b[H${lines.join('\n')}\n`);
  }

  /** The month's team board (docs/team-scorecards.md): the team cards by rank, as `cs-appraisal teams` prints them. */
  private teamBoard(month: string): string[] {
    const title = `Team board — ${month} (rank 1 = TEAM_HONOUR)`;
    const cards = [...this.teams.values()].map((p) => p.record).filter((t) => t.period.kind === 'MONTH' && `MONTH:${t.period.start.slice(0, 7)}` === month);
    if (cards.length === 0) return [`${title}: no team cards yet`];
    const { headers, rows } = teamBoard(cards);
    return [title, formatTable(headers, rows)];
  }

  private leaderboard(period: string, title: string, top = 3): string[] {
    const cards = [...(this.cards.get(period)?.values() ?? [])];
    if (cards.length === 0) return [`${title}: no scorecards yet`];
    const status = cards.some((c) => c.status !== 'PROVISIONAL') ? 'FINAL/REVISED' : 'PROVISIONAL';
    const teams = new Map<string, Scorecard[]>();
    for (const c of cards) (teams.get(c.teamId) ?? teams.set(c.teamId, []).get(c.teamId)!).push(c);
    const rows = [...teams.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([team, members]) => {
        const graded = members.filter((m) => m.composite !== null).sort((a, b) => (a.teamRank ?? 1e9) - (b.teamRank ?? 1e9));
        const count = (g: string) => String(members.filter((m) => m.grade === g).length);
        const mean = graded.length ? graded.reduce((a, m) => a + m.composite!, 0) / graded.length : null;
        const fmt = (m: Scorecard) => `${m.staffId} ${m.grade} ${num(m.composite)}${trendTag(m, this.planAfter)}`;
        return [team, String(members.length), count('A'), count('B'), count('C'), count('D'), num(mean), graded.slice(0, top).map(fmt).join(' · '), graded.length > top ? fmt(graded[graded.length - 1]!) : ''];
      });
    return [`${title} (${status})`, formatTable(['team', 'staff', 'A', 'B', 'C', 'D', 'mean', `top ${top}`, 'bottom'], rows)];
  }

  private async sla(today: string): Promise<string[]> {
    const [day, month] = await Promise.all([this.store.periodSla(today), this.store.periodSla(this.month)]);
    const pct = (r: number | null) => (r === null ? '-' : `${(100 * r).toFixed(1)}%`);
    // Both lists name every queue of either period, in the same order.
    const names = [...queueFigures(day), ...queueFigures(month)].map((q) => q.queue);
    const monthFigures = queueFigures(month, names);
    const row = (f: QueueFigures) => [pct(f.serviceLevel) + (f.serviceLevel !== null && f.serviceLevel < SL_TARGET ? ' !' : ''), pct(f.abandonRate), String(f.offered)];
    const queueRows = queueFigures(day, names).map((d, i) => [d.queue, ...row(d), ...row(monthFigures[i]!)]);
    const monthAreas = areaFigures(month);
    const areaRows = areaFigures(day).map((d, i) => [d.area, pct(d.rate), String(d.arrivals), pct(monthAreas[i]!.rate), String(monthAreas[i]!.arrivals)]);
    return [
      `Hotline queues — service level (answered ≤ 20 s / offered; target ${SL_TARGET * 100}%, "!" = below) and abandonment`,
      formatTable(['queue', 'SL today', 'aband. today', 'offered today', `SL ${this.month}`, 'aband.', 'offered'], queueRows),
      '',
      'Repair crews on site within the commitment (URBAN 45 / RURAL 90 / REMOTE 120 min)',
      formatTable(['area', 'today', 'arrivals', this.month, 'arrivals'], areaRows),
    ];
  }
}
