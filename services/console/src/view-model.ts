// What each page shows, built from the published cards and the SLA counters (pure: no I/O, no
// clock; the caller passes the periods).
import { areaFigures, queueFigures, type AreaFigures, type QueueFigures } from '@cs/counter-store';
import { teamTrendSummaries, type PlanAfter, type TeamTrendSummary } from '@cs/appraisal';
import { periodIdOfRecord, type Scorecard, type TeamScorecard } from '@cs/contracts';

export const GRADES = ['A', 'B', 'C', 'D'] as const;

export interface TeamRow {
  teamId: string;
  members: number;
  mean: number | null;
  grades: Record<(typeof GRADES)[number], number>;
  /** the best graded members, rank order */
  top: { staffId: string; grade: string; composite: number }[];
}

/** Work orders by due date (the aggregator's cohort counters, bucketed by the due date). */
export interface DueFigures {
  /** accepted work orders due on the day */
  due: number;
  /** of those, completed by their deadline */
  onTime: number;
  /** due − on time: still open, or completed late */
  open: number;
}

export interface Wallboard {
  dayId: string;
  monthId: string;
  workOrders: { today: DueFigures; tomorrow: DueFigures };
  queues: { queue: string; day: QueueFigures; month: QueueFigures }[];
  areas: { area: string; day: AreaFigures; month: AreaFigures }[];
  teamsDay: TeamRow[];
  teamsMonth: TeamRow[];
  /** per team, the trends of this month's cards (trend-view.ts) */
  trendsMonth: TeamTrendSummary[];
}

const mean = (xs: number[]): number | null => (xs.length ? Math.round((10 * xs.reduce((a, b) => a + b, 0)) / xs.length) / 10 : null);
const byRank = (a: Scorecard, b: Scorecard) => (a.teamRank ?? 1e9) - (b.teamRank ?? 1e9) || a.staffId.localeCompare(b.staffId);

export function teamRows(cards: readonly Scorecard[], top = 3): TeamRow[] {
  const teams = new Map<string, Scorecard[]>();
  for (const c of cards) (teams.get(c.teamId) ?? teams.set(c.teamId, []).get(c.teamId)!).push(c);
  return [...teams.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([teamId, members]) => {
      const graded = members.filter((m) => m.composite !== null).sort(byRank);
      const grades = { A: 0, B: 0, C: 0, D: 0 };
      for (const m of members) if (m.grade in grades) grades[m.grade as keyof typeof grades]++;
      return { teamId, members: members.length, mean: mean(graded.map((m) => m.composite!)), grades, top: graded.slice(0, top).map((m) => ({ staffId: m.staffId, grade: m.grade, composite: m.composite! })) };
    });
}

/** Sums the work-order cohort counters of one DAY over its staff. */
export function dueFigures(counters: ReadonlyMap<string, Record<string, number>>): DueFigures {
  let due = 0;
  let onTime = 0;
  for (const c of counters.values()) {
    due += c.work_orders_due ?? 0;
    onTime += c.work_orders_due_on_time ?? 0;
  }
  return { due, onTime, open: Math.max(0, due - onTime) };
}

export function wallboardModel(o: { dayId: string; monthId: string; workOrders: Wallboard['workOrders']; daySla: Record<string, number>; monthSla: Record<string, number>; queues: readonly string[]; dayCards: readonly Scorecard[]; monthCards: readonly Scorecard[]; planAfter: PlanAfter }): Wallboard {
  // Every configured queue, and any other the counters name, in both periods, in the same order.
  const names = [...o.queues, ...queueFigures(o.daySla), ...queueFigures(o.monthSla)].map((q) => (typeof q === 'string' ? q : q.queue));
  const day = queueFigures(o.daySla, names);
  const month = queueFigures(o.monthSla, names);
  const dayAreas = areaFigures(o.daySla);
  const monthAreas = areaFigures(o.monthSla);
  return {
    dayId: o.dayId,
    monthId: o.monthId,
    workOrders: o.workOrders,
    queues: day.map((d, i) => ({ queue: d.queue, day: d, month: month[i]! })),
    areas: dayAreas.map((d, i) => ({ area: d.area, day: d, month: monthAreas[i]! })),
    teamsDay: teamRows(o.dayCards, 1),
    teamsMonth: teamRows(o.monthCards),
    trendsMonth: teamTrendSummaries(o.monthCards, o.planAfter),
  };
}

export interface TeamPage {
  teamId: string;
  periodId: string;
  members: Scorecard[];
  row: TeamRow;
  /** members whose composite reached the A threshold but whose grade is not A: cut by the team's A quota */
  quotaCut: Set<string>;
  /** KPI id -> mean value over the members with a value */
  kpiMeans: { id: string; mean: number | null; members: number }[];
  /** the last six MONTH periods with cards, oldest first */
  trend: { periodId: string; mean: number | null }[];
}

/**
 * The team's page for its latest MONTH with cards (or `periodId`); undefined when it has none.
 * `aThreshold` gives the A threshold of a rules version (the quota only ever caps an A).
 */
export function teamPage(teamId: string, cards: readonly Scorecard[], aThreshold: (rulesVersion: string) => number | undefined, periodId?: string): TeamPage | undefined {
  const months = cards.filter((c) => c.teamId === teamId && c.period.kind === 'MONTH');
  const ids = [...new Set(months.map((c) => periodIdOfRecord(c.period)))].sort();
  const pid = periodId ?? ids.at(-1);
  if (!pid) return undefined;
  const members = months.filter((c) => periodIdOfRecord(c.period) === pid).sort(byRank);
  if (members.length === 0) return undefined;
  const kpiIds = Object.keys(members[0]!.kpis);
  const kpiMeans = kpiIds.map((id) => {
    const vals = members.map((m) => (m.kpis as Record<string, { value: number | null }>)[id]?.value).filter((v): v is number => v !== null && v !== undefined);
    return { id, mean: vals.length ? vals.reduce((a, b) => a + b, 0) / vals.length : null, members: vals.length };
  });
  const trend = ids.filter((id) => id <= pid).slice(-6).map((id) => ({ periodId: id, mean: teamRows(months.filter((c) => periodIdOfRecord(c.period) === id))[0]?.mean ?? null }));
  const quotaCut = new Set(members.filter((m) => m.composite !== null && m.grade !== 'A' && m.composite >= (aThreshold(m.rulesVersion) ?? Infinity)).map((m) => m.staffId));
  return { teamId, periodId: pid, members, row: teamRows(members)[0]!, quotaCut, kpiMeans, trend };
}

export interface StaffPage {
  staffId: string;
  card: Scorecard;
  /** every MONTH card of the member, newest first */
  history: Scorecard[];
  /** the member's DAY cards of the card's month, oldest first */
  days: { day: string; composite: number | null }[];
}

/** The member's page for `periodId` (default: their latest MONTH card); undefined when there is no such card. */
export function staffPage(staffId: string, cards: readonly Scorecard[], periodId?: string): StaffPage | undefined {
  const mine = cards.filter((c) => c.staffId === staffId);
  const history = mine.filter((c) => c.period.kind === 'MONTH').sort((a, b) => b.period.start.localeCompare(a.period.start));
  const card = periodId ? mine.find((c) => periodIdOfRecord(c.period) === periodId) : history[0];
  if (!card) return undefined;
  const monthStart = card.period.start.slice(0, 7);
  const days = mine
    .filter((c) => c.period.kind === 'DAY' && c.period.start.startsWith(monthStart))
    .sort((a, b) => a.period.start.localeCompare(b.period.start))
    .map((c) => ({ day: c.period.start, composite: c.composite }));
  return { staffId, card, history, days };
}

/** The KPIs of a card with data (value, or a non-zero denominator), in the card's order. */
export function kpiRows(card: Scorecard): { id: string; numerator: number | null; denominator: number | null; value: number | null; score: number | null }[] {
  return Object.entries(card.kpis as Record<string, { value: number | null; numerator: number | null; denominator: number | null; score: number | null }>)
    .filter(([, k]) => k.value !== null || (k.denominator ?? 0) > 0)
    .map(([id, k]) => ({ id, ...k }));
}

/** The /teams page: one month's team cards by rank (the latest month with any when none is asked for). */
export interface TeamsPage {
  periodId: string;
  teams: TeamScorecard[];
}

export function teamsPage(all: readonly TeamScorecard[], periodId?: string): TeamsPage | undefined {
  const months = [...new Set(all.map((t) => periodIdOfRecord(t.period)))].filter((p) => p.startsWith('MONTH:')).sort();
  const id = periodId ?? months[months.length - 1];
  if (id === undefined) return undefined;
  const rank = (t: TeamScorecard) => t.rank ?? Number.POSITIVE_INFINITY;
  const teams = all.filter((t) => periodIdOfRecord(t.period) === id).sort((a, b) => rank(a) - rank(b) || (a.teamId < b.teamId ? -1 : a.teamId > b.teamId ? 1 : 0));
  return { periodId: id, teams };
}
