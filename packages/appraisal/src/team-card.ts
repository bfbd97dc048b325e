// Team scorecards (docs/team-scorecards.md): the team's own KPIs, workload per head, composite
// mean and spread, grade distribution, score and rank in the centre, from the members' MONTH
// cards and counters and the calls of the queues the team answered. Pure: the caller supplies
// everything; nothing here is published yet.

import type { Counters } from './counters.ts';
import { clamp01, roundTo } from './numbers.ts';
import { midRankPercentiles, toCountersMap, type StaffCountersInput } from './population.ts';
import { TEAM_KPI_IDS, type Rules } from './rules/schema.ts';
import type { Scorecard } from './scorecard.ts';

export interface TeamKpiScale {
  better: 'higher' | 'lower';
  floor: number;
  target: number;
  /** below this denominator the KPI does not apply (null) */
  minSample: number;
}

export { TEAM_KPI_IDS };
export type TeamKpiId = (typeof TEAM_KPI_IDS)[number];

export interface TeamSettings {
  kpis: Record<TeamKpiId, TeamKpiScale>;
  /** percent of the team score taken from the team KPIs; 0 = the mean composite (rules 2026.1) */
  teamKpiWeight: number;
}

/** The defaults of docs/team-scorecards.md: what the rules' optional `teams` settings fall back to. */
export const TEAM_DEFAULTS: TeamSettings = {
  kpis: {
    service_level: { better: 'higher', floor: 0.6, target: 0.8, minSample: 20 },
    repair_commitment_rate: { better: 'higher', floor: 0.85, target: 1, minSample: 1 },
    fee_collection_rate: { better: 'higher', floor: 0.9, target: 1, minSample: 1 },
    meter_reading_rate: { better: 'higher', floor: 0.95, target: 1, minSample: 1 },
    complaints_per_1000_contacts: { better: 'lower', floor: 2, target: 0.5, minSample: 100 },
  },
  teamKpiWeight: 0,
};

/** The team settings of `rules`: its `teams` section over TEAM_DEFAULTS, KPI by KPI. */
export function teamSettingsOf(rules: Rules): TeamSettings {
  const t = rules.teams;
  if (t === undefined) return TEAM_DEFAULTS;
  return { kpis: { ...TEAM_DEFAULTS.kpis, ...(t.kpis as Partial<Record<TeamKpiId, TeamKpiScale>>) }, teamKpiWeight: t.teamKpiWeight ?? TEAM_DEFAULTS.teamKpiWeight };
}

/** One queue's calls in the period: centre-wide, and how many of them this team answered. */
export interface QueueCalls {
  queue: string;
  answeredByTeam: number;
  answered: number;
  answeredWithin: number;
  abandoned: number;
}

/**
 * Per team, the calls of each queue its members answered on, with the queue's centre-wide counts:
 * `queueStaff` is the aggregator's `qs:<MONTH>` ("<queue>|<staffId>" -> calls answered), `sla` its
 * `q:<MONTH>` (`answered|Q`, `answered_within|Q`, `abandoned|Q`), both summed over the shards;
 * members go to the team the period's roster gives them (staff not on it count for no team).
 */
export function queueCallsByTeam(roster: readonly { staffId: string; teamId: string }[], queueStaff: Readonly<Record<string, number>>, sla: Readonly<Record<string, number>>): Map<string, QueueCalls[]> {
  const teamOf = new Map(roster.map((r) => [r.staffId, r.teamId]));
  const byTeam = new Map<string, Map<string, number>>();
  for (const [field, n] of Object.entries(queueStaff)) {
    const bar = field.lastIndexOf('|');
    const teamId = teamOf.get(field.slice(bar + 1));
    if (bar <= 0 || teamId === undefined) continue;
    let queues = byTeam.get(teamId);
    if (!queues) byTeam.set(teamId, (queues = new Map()));
    const queue = field.slice(0, bar);
    queues.set(queue, (queues.get(queue) ?? 0) + n);
  }
  const out = new Map<string, QueueCalls[]>();
  for (const [teamId, queues] of byTeam) {
    out.set(
      teamId,
      [...queues.keys()].sort().map((queue) => ({ queue, answeredByTeam: queues.get(queue)!, answered: sla[`answered|${queue}`] ?? 0, answeredWithin: sla[`answered_within|${queue}`] ?? 0, abandoned: sla[`abandoned|${queue}`] ?? 0 })),
    );
  }
  return out;
}

export interface TeamKpi {
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  score: number | null;
}

export interface TeamCard {
  teamId: string;
  members: number;
  graded: number;
  grades: Record<'A' | 'B' | 'C' | 'D' | 'INSUFFICIENT_DATA', number>;
  workloadPerHead: number;
  compositeMean: number | null;
  compositeSpread: number | null;
  kpis: Record<TeamKpiId, TeamKpi>;
  kpiScore: number | null;
  score: number | null;
  /** competition rank among teams with ≥ teamHonourMinGraded graded members; null for smaller teams */
  rank: number | null;
}

const EMPTY: Counters = Object.freeze({}) as Counters;

/** floor → 0, target → 100, linear between, clamped (appraisal-model.md "Scoring a KPI"). */
export function linearScore(value: number, s: TeamKpiScale): number {
  const r = s.better === 'higher' ? (value - s.floor) / (s.target - s.floor) : (s.floor - value) / (s.floor - s.target);
  return 100 * clamp01(r);
}

function kpi(numerator: number, denominator: number, sample: number, scale: TeamKpiScale, perUnit = 1, cap = Infinity): TeamKpi {
  if (sample < scale.minSample || denominator === 0) return { value: null, numerator, denominator, score: null };
  const value = Math.min(cap, (perUnit * numerator) / denominator);
  return { value, numerator, denominator, score: linearScore(value, scale) };
}

/** The member counters the team KPIs sum. */
const SUMMED = [
  'repair_arrivals',
  'repair_arrivals_within',
  'amount_paid_on_time_cents',
  'amount_due_cents',
  'bills_due',
  'readings_due_on_time',
  'readings_due',
  'complaints_general_substantiated',
  'complaints_serious_substantiated',
  'contacts_handled',
] as const satisfies readonly (keyof Counters)[];

/** The team KPIs of docs/team-scorecards.md from the members' counters and the team's queue calls. */
export function teamKpis(counters: readonly Counters[], queues: readonly QueueCalls[], s: TeamSettings): Record<TeamKpiId, TeamKpi> {
  // One pass over the members (teamCards runs this for every member of the centre, per round).
  const sums = new Float64Array(SUMMED.length);
  for (const c of counters) for (let k = 0; k < SUMMED.length; k++) sums[k]! += c[SUMMED[k]!] ?? 0;
  const sum = (name: (typeof SUMMED)[number]) => sums[SUMMED.indexOf(name)]!;
  // Σ a(t,q) × SL(q) / Σ a(t,q): the numerator is the team's share of the queues' service level.
  let weighted = 0;
  let answeredByTeam = 0;
  for (const q of queues) {
    const offered = q.answered + q.abandoned;
    if (q.answeredByTeam === 0 || offered === 0) continue;
    weighted += (q.answeredByTeam * q.answeredWithin) / offered;
    answeredByTeam += q.answeredByTeam;
  }
  const complaints = sum('complaints_general_substantiated') + sum('complaints_serious_substantiated');
  const contacts = sum('contacts_handled');
  return {
    service_level: kpi(weighted, answeredByTeam, answeredByTeam, s.kpis.service_level),
    repair_commitment_rate: kpi(sum('repair_arrivals_within'), sum('repair_arrivals'), sum('repair_arrivals'), s.kpis.repair_commitment_rate),
    fee_collection_rate: kpi(sum('amount_paid_on_time_cents'), sum('amount_due_cents'), sum('bills_due'), s.kpis.fee_collection_rate, 1, 1),
    meter_reading_rate: kpi(sum('readings_due_on_time'), sum('readings_due'), sum('readings_due'), s.kpis.meter_reading_rate),
    complaints_per_1000_contacts: kpi(complaints, contacts, contacts, s.kpis.complaints_per_1000_contacts, 1000),
  };
}

function meanAndSpread(xs: readonly number[]): { mean: number | null; spread: number | null } {
  if (xs.length === 0) return { mean: null, spread: null };
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const variance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / xs.length;
  return { mean, spread: Math.sqrt(variance) };
}

/**
 * Team cards of one MONTH period, ranked. `cards`: the members' scorecards (the whole centre, for
 * the rank); `queueCalls`: per team, the queues its members answered on. Numbers are rounded to
 * the rules' decimals at the end; scores and ranks use the unrounded values.
 */
export function teamCards(cards: readonly Scorecard[], staffCounters: StaffCountersInput, queueCalls: ReadonlyMap<string, readonly QueueCalls[]>, rules: Rules, settings: TeamSettings = teamSettingsOf(rules)): TeamCard[] {
  const counters = toCountersMap(staffCounters);
  // Teams with several roles (docs/team-scorecards.md): ranked by role percentile, the team's mean is theirs.
  const percentile = rules.forcedDistribution.rankBy === 'rolePercentile' ? rolePercentiles(cards) : null;
  const byTeam = new Map<string, Scorecard[]>();
  for (const c of cards) {
    const list = byTeam.get(c.teamId);
    if (list) list.push(c);
    else byTeam.set(c.teamId, [c]);
  }
  const w = settings.teamKpiWeight;
  const teams = [...byTeam.entries()].map(([teamId, members]) => {
    const grades: TeamCard['grades'] = { A: 0, B: 0, C: 0, D: 0, INSUFFICIENT_DATA: 0 };
    for (const m of members) grades[m.grade]++;
    const composites = members.flatMap((m) => (m.grade !== 'INSUFFICIENT_DATA' && m.composite !== null ? [percentile === null ? m.composite : percentile.get(m.staffId)!] : []));
    const { mean, spread } = meanAndSpread(composites);
    const kpis = teamKpis(members.map((m) => counters.get(m.staffId) ?? EMPTY), queueCalls.get(teamId) ?? [], settings);
    const scores = Object.values(kpis).flatMap((k) => (k.score === null ? [] : [k.score]));
    const kpiScore = scores.length ? scores.reduce((a, b) => a + b, 0) / scores.length : null;
    // mean + w × (kpi − mean) / 100: exactly the mean composite at w = 0, so ties stay ties.
    const score = mean === null ? null : kpiScore === null ? mean : mean + (w * (kpiScore - mean)) / 100;
    const units = members.reduce((a, m) => a + (m.kpis.workload_units.value ?? 0), 0);
    return { teamId, members: members.length, graded: composites.length, grades, workloadPerHead: units / members.length, compositeMean: mean, compositeSpread: spread, kpis, kpiScore, score, rank: null as number | null };
  });

  // Compared at 6 decimals: means of the same composites summed in another order tie, as in rules 2026.1.
  const key = (t: (typeof teams)[number]) => roundTo(t.score!, 6);
  const ranked = teams
    .filter((t) => t.graded >= rules.incentives.teamHonourMinGraded && t.score !== null)
    .sort((a, b) => key(b) - key(a) || b.workloadPerHead - a.workloadPerHead || (a.teamId < b.teamId ? -1 : a.teamId > b.teamId ? 1 : 0));
  ranked.forEach((t, i) => {
    const prev = ranked[i - 1];
    t.rank = prev && key(prev) === key(t) ? prev.rank : i + 1;
  });

  const d = rules.scoring.decimals;
  const r = (x: number | null) => (x === null ? null : roundTo(x, d));
  return teams
    .sort((a, b) => (a.teamId < b.teamId ? -1 : a.teamId > b.teamId ? 1 : 0))
    .map((t) => ({
      ...t,
      workloadPerHead: roundTo(t.workloadPerHead, d),
      compositeMean: r(t.compositeMean),
      compositeSpread: r(t.compositeSpread),
      kpiScore: r(t.kpiScore),
      score: r(t.score),
      kpis: Object.fromEntries(Object.entries(t.kpis).map(([id, k]) => [id, { ...k, value: k.value === null ? null : roundTo(k.value, 4), score: r(k.score) }])) as Record<TeamKpiId, TeamKpi>,
    }));
}

/** The teams ranked 1 (TEAM_HONOUR goes to their eligible members): the one place that decides it. */
export function honouredTeams(teams: readonly TeamCard[]): Set<string> {
  return new Set(teams.flatMap((t) => (t.rank === 1 ? [t.teamId] : [])));
}

/**
 * Each graded member's mid-rank percentile among the centre's graded members of the same role:
 * 100 × (lower + ½ × equal, the member included) / members of the role (docs/team-scorecards.md).
 */
export function rolePercentiles(cards: readonly Scorecard[]): Map<string, number> {
  const graded = cards.filter((c) => c.grade !== 'INSUFFICIENT_DATA' && c.composite !== null);
  const pct = midRankPercentiles(
    graded.map((c) => c.role),
    Float64Array.from(graded, (c) => c.composite!),
  );
  return new Map(graded.map((c, i) => [c.staffId, pct[i]!]));
}
