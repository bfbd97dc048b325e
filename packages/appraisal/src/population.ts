// A population (the whole roster, or any set of teams) for one period -> full Scorecards:
// workload reference, per-staff scoring, team ranking, forced distribution, ids.

import { memberNotes, orderNotes, type Adjustment, type CorrectionNote } from './corrections.ts';
import type { Counters } from './counters.ts';
import type { Grade, PeriodKind, Role, ScorecardStatus } from './domain.ts';
import { appraisalIdOf, appraisalPrefix, canonicalJson } from './ids.ts';
import { ROW, compileRules, loadCounters, scoreRow, unitsOfRow, type DimensionScores, type KernelResult, type KpiMap } from './kernel.ts';
import { medianInPlace } from './numbers.ts';
import { periodRef, type Period } from './periods.ts';
import { aQuota, forcedDistributionApplies } from './ranking.ts';
import type { Rules } from './rules/schema.ts';
import type { Reason, Scorecard } from './scorecard.ts';
import { staticProfileOf, type StaticProfile, type StaticRecord } from './static-profile.ts';
import { historyOfPrevious, monthRecordOf, trendOf, type MonthRecord } from './trend.ts';

const NO_RECORDS: readonly StaticRecord[] = Object.freeze([]);

export interface RosterEntry {
  staffId: string;
  teamId: string;
  role: Role;
  active: boolean;
  /**
   * Fraction of the period's calendar days the member was active (0 < presence <= 1;
   * rosterForPeriod); absent = 1. Pro-rates the workload reference (referencesByTeam).
   */
  presence?: number;
}

/** Counters per staff member for the period: a Map, a plain record, or a list. */
export type StaffCountersInput =
  | ReadonlyMap<string, Counters>
  | Readonly<Record<string, Counters>>
  | readonly { staffId: string; counters: Counters }[];

/** What improvement and the improvement plan need of a previous FINAL. */
export interface PreviousFinal {
  composite: number | null;
  grade: Grade;
  period?: { kind: PeriodKind };
  status?: ScorecardStatus;
}

export type PreviousFinalsInput =
  | ReadonlyMap<string, PreviousFinal>
  | Readonly<Record<string, PreviousFinal>>
  | readonly (PreviousFinal & { staffId: string })[];

export interface ScoreOptions {
  /** ISO-8601 string, or epoch ms (formatted as ISO); passed in, never read from a clock */
  computedAt: string | number;
  /** revision of every card, or per staff member (default 0) */
  revision?: number | ReadonlyMap<string, number>;
  /**
   * status of a member's card where it is not the run's: in a REVISED run, FINAL (revision 0) for
   * a member who has no FINAL yet. The forced distribution follows the run's status.
   */
  memberStatus?: ReadonlyMap<string, ScorecardStatus>;
  /** previous FINAL (or REVISED) scorecards of the same kind, per staff member */
  previousFinals?: PreviousFinalsInput;
  /**
   * correction notes of the period per staff member (CounterStore.periodCorrections): every note
   * is listed on the card (`reasons`, in orderNotes order); ADJUSTMENT notes apply in that order,
   * KPI ones before the dimensions, DIMENSION ones before the composite (kernel.ts scoreRow).
   */
  corrections?: ReadonlyMap<string, readonly CorrectionNote[]>;
  /**
   * MONTH: each member's earlier months as kept (docs/dynamic-appraisal.md); every MONTH card gets
   * a `trend`. Absent: the history is the previous FINAL alone (previousFinals).
   */
  history?: ReadonlyMap<string, readonly MonthRecord[]>;
  /**
   * each member's static records (docs/static-appraisal.md); given, every card gets a
   * `staticProfile` as of the period's end (a member without records: the role's requirements
   * all missing), and the id of a member with records hashes their profile
   */
  staticState?: ReadonlyMap<string, readonly StaticRecord[]>;
}

/** A member's notes in the order they apply, as the card lists them, and the adjustments among them. */
export interface MemberCorrections {
  reasons: Reason[];
  adjustments: Adjustment[] | undefined;
  /** canonical JSON of the ordered notes (the card id hashes it) */
  key: string;
}

export function memberCorrections(notes: readonly CorrectionNote[] | undefined): MemberCorrections | undefined {
  if (notes === undefined || notes.length === 0) return undefined;
  const ordered = orderNotes([...notes]);
  const reasons: Reason[] = ordered.map((n) => ({
    correctionId: n.correctionId,
    kind: n.kind,
    reason: n.reason,
    requestedBy: n.requestedBy,
    approvedBy: n.approvedBy,
    at: n.at,
    detail: n.detail,
    adjustment: n.kind === 'ADJUSTMENT' && n.adjustment ? { target: n.adjustment.target, id: n.adjustment.id, mode: n.adjustment.mode, amount: n.adjustment.amount } : null,
  }));
  const adjustments = reasons.flatMap((r) => (r.adjustment === null ? [] : [r.adjustment]));
  return { reasons, adjustments: adjustments.length > 0 ? adjustments : undefined, key: canonicalJson(reasons) };
}

const EMPTY: Counters = Object.freeze({}) as Counters;

export function toCountersMap(input: StaffCountersInput): ReadonlyMap<string, Counters> {
  if (input instanceof Map) return input;
  if (Array.isArray(input)) {
    const m = new Map<string, Counters>();
    for (const { staffId, counters } of input as readonly { staffId: string; counters: Counters }[]) {
      m.set(staffId, counters);
    }
    return m;
  }
  return new Map(Object.entries(input as Record<string, Counters>));
}

export function toPreviousMap(
  input: PreviousFinalsInput | undefined,
  kind: PeriodKind,
): ReadonlyMap<string, PreviousFinal> {
  const m = new Map<string, PreviousFinal>();
  if (!input) return m;
  const entries: Iterable<[string, PreviousFinal]> =
    input instanceof Map
      ? input.entries()
      : Array.isArray(input)
        ? (input as readonly (PreviousFinal & { staffId: string })[]).map((p) => [p.staffId, p] as [string, PreviousFinal])
        : Object.entries(input as Record<string, PreviousFinal>);
  for (const [staffId, p] of entries) {
    // Only a FINAL (or REVISED) card of the same kind counts; plain objects without period or
    // status are trusted to be that.
    if (p.period && p.period.kind !== kind) continue;
    if (p.status === 'PROVISIONAL') continue;
    m.set(staffId, p);
  }
  return m;
}

/** Active roster members, last entry per staffId winning. */
export function activeRoster(roster: readonly RosterEntry[]): RosterEntry[] {
  // Usually every staffId is there once: in a roster sorted by staffId (the scorer's) one pass of
  // comparisons tells, else a Set does; both are cheaper than the Map below.
  let sorted = true;
  for (let i = 1; i < roster.length && sorted; i++) sorted = roster[i - 1]!.staffId < roster[i]!.staffId;
  if (sorted) return roster.filter((r) => r.active);
  const ids = new Set<string>();
  for (const r of roster) ids.add(r.staffId);
  if (ids.size === roster.length) return roster.filter((r) => r.active);
  const byId = new Map<string, RosterEntry>();
  for (const r of roster) byId.set(r.staffId, r);
  const out: RosterEntry[] = [];
  for (const r of byId.values()) if (r.active) out.push(r);
  return out;
}

/**
 * Workload reference per active member: the median units of active same-role same-team staff
 * when there are ≥ minTeamPeers of them, else of the same role company-wide (members without
 * counters count with 0 units). With part-time presence the median is taken over full-time-
 * equivalent units (units / presence) and scaled by the member's own presence.
 */
export function workloadReferences(
  members: readonly RosterEntry[],
  units: Float64Array,
  rules: Rules,
): Float64Array {
  return referencesByTeam(members, teamsOf(members), units, rules);
}

/** Member indices per teamId, in member order. */
function teamsOf(members: readonly RosterEntry[]): Map<string, number[]> {
  return groupIndices(members, members.keys(), 'teamId', new Map());
}

/** Adds each index of `idx` to `into` under its member's `key` (in order); returns `into`. */
function groupIndices(
  members: readonly RosterEntry[],
  idx: Iterable<number>,
  key: 'teamId' | 'role',
  into: Map<string, number[]>,
): Map<string, number[]> {
  for (const i of idx) {
    const k = members[i]![key];
    let a = into.get(k);
    if (!a) into.set(k, (a = []));
    a.push(i);
  }
  return into;
}

/** workloadReferences with the members already grouped by team (teamsOf). */
function referencesByTeam(
  members: readonly RosterEntry[],
  teams: ReadonlyMap<string, readonly number[]>,
  units: Float64Array,
  rules: Rules,
): Float64Array {
  // Roles are few and their strings shared, so these Maps are cheap; per-team grouping reuses
  // `teams` rather than hashing every member's teamId again.
  // Part-time presence: medians over full-time-equivalent units (units / presence), each member's
  // reference that median × their own presence. All present full time: `units` as they are.
  let fte = units;
  let presence: Float64Array | null = null;
  for (let i = 0; i < members.length; i++) {
    const p = members[i]!.presence;
    if (p === undefined || p === 1) continue;
    if (presence === null) {
      presence = new Float64Array(members.length).fill(1);
      fte = Float64Array.from(units);
    }
    presence[i] = p;
    fte[i] = units[i]! / p;
  }
  const byRole = groupIndices(members, members.keys(), 'role', new Map());
  const roleMedian = new Map<string, number>();
  for (const [role, idx] of byRole) roleMedian.set(role, medianOf(idx, fte));
  const min = rules.workload.minTeamPeers;
  const out = new Float64Array(members.length);
  const teamRole = new Map<string, number[]>();
  for (const idx of teams.values()) {
    teamRole.clear();
    for (const [role, group] of groupIndices(members, idx, 'role', teamRole)) {
      const ref = group.length >= min ? medianOf(group, fte) : (roleMedian.get(role) ?? 0);
      if (presence === null) for (let j = 0; j < group.length; j++) out[group[j]!] = ref;
      else for (let j = 0; j < group.length; j++) out[group[j]!] = ref * presence[group[j]!]!;
    }
  }
  return out;
}

/** Median of units[i] over the indices. */
function medianOf(idx: readonly number[], units: Float64Array): number {
  const xs = new Float64Array(idx.length);
  for (let j = 0; j < idx.length; j++) xs[j] = units[idx[j]!]!;
  return medianInPlace(xs);
}

/**
 * The previous FINAL (or REVISED) of the same kind per staff member, or undefined: a Map is looked
 * up as it is (same filter as toPreviousMap, without copying 100k entries), other inputs go
 * through toPreviousMap.
 */
export function previousLookup(
  input: PreviousFinalsInput | undefined,
  kind: PeriodKind,
): (staffId: string) => PreviousFinal | undefined {
  if (!input) return () => undefined;
  if (input instanceof Map) {
    const m = input as ReadonlyMap<string, PreviousFinal>;
    return (staffId) => {
      const p = m.get(staffId);
      if (p === undefined || (p.period && p.period.kind !== kind) || p.status === 'PROVISIONAL') return undefined;
      return p;
    };
  }
  const m = toPreviousMap(input, kind);
  return (staffId) => m.get(staffId);
}

/**
 * Scorecards for every active roster member (staff with counters but not on the roster, or
 * inactive, are not scored). Ranking and team size are per team; the A quota applies to MONTH
 * FINAL/REVISED only. Output sorted by teamId, then rank (ungraded last, by staffId).
 *
 * The per-member work goes through the kernel (kernel.ts) with the rules compiled once; the
 * intermediate per-member results are kept in flat arrays, so the only objects allocated per
 * member are the ones on its card. Members are scored team by team, and each team's cards are
 * made right after, while its objects are still in the CPU cache. A card's id hashes its inputs
 * (ids.ts), which are the rows loaded in pass 1.
 */
export function scorePopulation(
  staffCounters: StaffCountersInput,
  roster: readonly RosterEntry[],
  rules: Rules,
  period: Period,
  status: ScorecardStatus,
  options: ScoreOptions,
): Scorecard[] {
  const cr = compileRules(rules);
  const counters = toCountersMap(staffCounters);
  const previous = previousLookup(options.previousFinals, period.kind);
  const members = activeRoster(roster);
  const n = members.length;

  // Pass 1: every counter the kernel reads, once per member (n × ROW numbers), and the workload
  // units, as the workload references need every member's units before anyone is scored. The
  // member's lookups in the 100k-entry Maps are all made here, in one visit (cache misses).
  const rows = rowsScratch(n);
  const units = new Float64Array(n);
  const previousComposite: (number | null)[] = new Array(n);
  // Members with correction notes (few; none without options.corrections).
  const corrections = options.corrections;
  const corr: (MemberCorrections | undefined)[] | undefined = corrections === undefined || corrections.size === 0 ? undefined : new Array(n);
  for (let i = 0; i < n; i++) {
    const m = members[i]!;
    loadCounters(counters.get(m.staffId) ?? EMPTY, rows, i * ROW);
    units[i] = unitsOfRow(cr, rows, i * ROW);
    previousComposite[i] = previous(m.staffId)?.composite ?? null;
    if (corr !== undefined) corr[i] = memberCorrections(memberNotes(corrections, m.staffId));
  }
  const teams = teamsOf(members);
  const refs = referencesByTeam(members, teams, units, rules);

  const kpis: KpiMap[] = new Array(n);
  const dims: DimensionScores[] = new Array(n);
  const composite = new Float64Array(n);
  const isGraded = new Uint8Array(n);
  const grade: Grade[] = new Array(n);
  const res = RESULT;
  const scoreMember = (i: number) => {
    const m = members[i]!;
    scoreRow(cr, rows, i * ROW, m.role, units[i]!, refs[i]!, previousComposite[i] ?? null, res, corr?.[i]?.adjustments);
    kpis[i] = res.kpis;
    dims[i] = res.dimensions;
    if (res.composite !== null) {
      composite[i] = res.composite;
      isGraded[i] = 1;
    }
    grade[i] = res.grade;
  };

  const applyQuota = forcedDistributionApplies(period.kind, status);
  const ref = periodRef(period);
  const computedAt =
    typeof options.computedAt === 'number' ? new Date(options.computedAt).toISOString() : options.computedAt;
  const rev = options.revision;
  const prefix = appraisalPrefix(ref, rules.rulesVersion, rules);
  const rulesVersion = rules.rulesVersion;
  const memberStatus = options.memberStatus;
  const history = options.history;
  // Teams with several roles (docs/team-scorecards.md): with forcedDistribution.rankBy
  // rolePercentile every member is scored first and ranked inside the team by the percentile
  // among the centre's graded members of the same role, then as below.
  const pct = rules.forcedDistribution.rankBy === 'rolePercentile' ? new Float64Array(n) : null;
  if (pct !== null) {
    for (let i = 0; i < n; i++) scoreMember(i);
    const graded: number[] = [];
    for (let i = 0; i < n; i++) if (isGraded[i] === 1) graded.push(i);
    const p = midRankPercentiles(
      graded.map((i) => members[i]!.role),
      Float64Array.from(graded, (i) => composite[i]!),
    );
    graded.forEach((i, j) => (pct[i] = p[j]!));
  }
  const staticState = options.staticState;
  // Rank order (rankTeam's): composite desc, workload units desc, staffId asc.
  const byRank = (i: number, j: number) =>
    (pct === null ? 0 : pct[j]! - pct[i]!) ||
    composite[j]! - composite[i]! ||
    units[j]! - units[i]! ||
    (members[i]!.staffId < members[j]!.staffId ? -1 : members[i]!.staffId > members[j]!.staffId ? 1 : 0);
  const byStaffId = (i: number, j: number) =>
    members[i]!.staffId < members[j]!.staffId ? -1 : members[i]!.staffId > members[j]!.staffId ? 1 : 0;
  const out: Scorecard[] = new Array(n);
  let o = 0;
  const card = (i: number, teamRank: number | null, teamSize: number, g: Grade): Scorecard => {
    const m = members[i]!;
    const c: Scorecard = {
      appraisalId: '',
      staffId: m.staffId,
      teamId: m.teamId,
      role: m.role,
      period: ref,
      status: memberStatus === undefined ? status : (memberStatus.get(m.staffId) ?? status),
      revision: rev === undefined ? 0 : typeof rev === 'number' ? rev : (rev.get(m.staffId) ?? 0),
      rulesVersion,
      kpis: kpis[i]!,
      dimensions: dims[i]!,
      composite: isGraded[i] === 1 ? composite[i]! : null,
      grade: g,
      teamRank,
      teamSize,
      computedAt,
    };
    const mc = corr?.[i];
    if (mc !== undefined) c.reasons = mc.reasons;
    if (period.kind === 'MONTH') {
      const kept = history === undefined ? historyOfPrevious(ref.start, previous(m.staffId)) : (history.get(m.staffId) ?? []);
      c.trend = trendOf(monthRecordOf(c, counters.get(m.staffId)), kept, rules);
    }
    let ownStatic: StaticProfile | undefined;
    if (staticState !== undefined) {
      const records = staticState.get(m.staffId);
      c.staticProfile = staticProfileOf(records ?? NO_RECORDS, m.role, period.endMs, rules);
      if (records !== undefined && records.length > 0) ownStatic = c.staticProfile;
    }
    c.appraisalId = appraisalIdOf(prefix, c, rows, i * ROW, ROW, refs[i]!, previousComposite[i] ?? null, mc?.key, c.trend, ownStatic);
    return c;
  };
  // Pass 2, team by team in teamId order: score, rank, grade, cards.
  const teamIds = [...teams.keys()].sort();
  for (const teamId of teamIds) {
    const idx = teams.get(teamId)!;
    if (pct === null) for (let j = 0; j < idx.length; j++) scoreMember(idx[j]!);
    const graded: number[] = [];
    const ungraded: number[] = [];
    for (let j = 0; j < idx.length; j++) (isGraded[idx[j]!] === 1 ? graded : ungraded).push(idx[j]!);
    sortSmall(graded, byRank);
    const teamSize = graded.length;
    const quota = applyQuota ? aQuota(teamSize, rules) : Infinity;
    let aCount = 0;
    for (let r = 0; r < graded.length; r++) {
      const i = graded[r]!;
      let g = grade[i]!;
      if (g === 'A' && ++aCount > quota) g = 'B';
      out[o++] = card(i, r + 1, teamSize, g);
    }
    sortSmall(ungraded, byStaffId);
    for (let r = 0; r < ungraded.length; r++) out[o++] = card(ungraded[r]!, null, teamSize, grade[ungraded[r]!]!);
  }
  return out;
}

/**
 * Each value's mid-rank percentile among the values of its group (groups[i] names value i's):
 * 100 × (peers below it + ½ × peers equal to it, itself included) / peers (docs/team-scorecards.md).
 * Each group is sorted once and each value placed by binary search, so a centre of 100k members
 * costs n log n, not a scan of its whole role per member.
 */
export function midRankPercentiles(groups: readonly string[], values: Float64Array): Float64Array {
  const sorted = new Map<string, number[]>();
  for (let i = 0; i < groups.length; i++) {
    let peers = sorted.get(groups[i]!);
    if (!peers) sorted.set(groups[i]!, (peers = []));
    peers.push(values[i]!);
  }
  for (const peers of sorted.values()) peers.sort((a, b) => a - b);
  const out = new Float64Array(groups.length);
  for (let i = 0; i < groups.length; i++) {
    const peers = sorted.get(groups[i]!)!;
    const lower = countBelow(peers, values[i]!, false);
    const equal = countBelow(peers, values[i]!, true) - lower;
    out[i] = (100 * (lower + equal / 2)) / peers.length;
  }
  return out;
}

/** How many elements of ascending `xs` are below x (or at most x, `orEqual`): a binary search. */
function countBelow(xs: readonly number[], x: number, orEqual: boolean): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid]! < x || (orEqual && xs[mid] === x)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Sorts a team's member indices: insertion sort for teams of up to 64 (a team is usually a few
 * dozen), where sort()'s call into the comparator per comparison costs more than the sorting.
 * The comparators order totally (staffId breaks ties), so stability does not matter.
 */
function sortSmall(xs: number[], cmp: (i: number, j: number) => number): void {
  if (xs.length > 64) {
    xs.sort(cmp);
    return;
  }
  for (let a = 1; a < xs.length; a++) {
    const x = xs[a]!;
    let b = a - 1;
    while (b >= 0 && cmp(xs[b]!, x) > 0) {
      xs[b + 1] = xs[b]!;
      b--;
    }
    xs[b + 1] = x;
  }
}

// The n × ROW scratch of scorePopulation, kept between runs (scoring is synchronous): a fresh
// 36 MB buffer per 100k staff costs page faults and pushes the GC; loadCounters overwrites rows.
let rowScratch = new Float64Array(0);

function rowsScratch(n: number): Float64Array {
  if (rowScratch.length < n * ROW) rowScratch = new Float64Array(n * ROW);
  return rowScratch;
}

const RESULT: KernelResult = {
  kpis: undefined as unknown as KpiMap,
  dimensions: undefined as unknown as DimensionScores,
  composite: null,
  grade: 'INSUFFICIENT_DATA',
};
