// A population (the whole roster, or any set of teams) for one period -> full Scorecards:
// workload reference, per-staff scoring, team ranking, forced distribution, ids.

import type { Counters } from './counters.ts';
import type { Grade, PeriodKind, Role, ScorecardStatus } from './domain.ts';
import { appraisalIdOf, appraisalPrefix } from './ids.ts';
import { ROW, compileRules, loadCounters, scoreRow, unitsOfRow, type DimensionScores, type KernelResult, type KpiMap } from './kernel.ts';
import { medianInPlace } from './numbers.ts';
import { periodRef, type Period } from './periods.ts';
import { aQuota, forcedDistributionApplies } from './ranking.ts';
import type { Rules } from './rules/schema.ts';
import type { Scorecard } from './scorecard.ts';

export interface RosterEntry {
  staffId: string;
  teamId: string;
  role: Role;
  active: boolean;
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
  /** previous FINAL (or REVISED) scorecards of the same kind, per staff member */
  previousFinals?: PreviousFinalsInput;
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
  const byId = new Map<string, RosterEntry>();
  for (const r of roster) byId.set(r.staffId, r);
  const out: RosterEntry[] = [];
  for (const r of byId.values()) if (r.active) out.push(r);
  return out;
}

/**
 * Workload reference per active member: the median units of active same-role same-team staff
 * when there are ≥ minTeamPeers of them, else of the same role company-wide (members without
 * counters count with 0 units).
 */
export function workloadReferences(
  members: readonly RosterEntry[],
  units: Float64Array,
  rules: Rules,
): Float64Array {
  const teamRole = new Map<string, number[]>();
  const role = new Map<string, number[]>();
  const keys: string[] = new Array(members.length);
  for (let i = 0; i < members.length; i++) {
    const m = members[i]!;
    const key = `${m.role}\u0000${m.teamId}`;
    keys[i] = key;
    let a = teamRole.get(key);
    if (!a) teamRole.set(key, (a = []));
    a.push(units[i]!);
    let b = role.get(m.role);
    if (!b) role.set(m.role, (b = []));
    b.push(units[i]!);
  }
  const min = rules.workload.minTeamPeers;
  const teamMedian = new Map<string, number>();
  for (const [k, a] of teamRole) if (a.length >= min) teamMedian.set(k, medianInPlace(Float64Array.from(a)));
  const roleMedian = new Map<string, number>();
  for (const [k, a] of role) roleMedian.set(k, medianInPlace(Float64Array.from(a)));
  const out = new Float64Array(members.length);
  for (let i = 0; i < members.length; i++) {
    out[i] = teamMedian.get(keys[i]!) ?? roleMedian.get(members[i]!.role) ?? 0;
  }
  return out;
}

/**
 * composite of the previous FINAL (or REVISED) of the same kind per staff member, or null: a
 * Map is looked up as it is (same filter as toPreviousMap), other inputs go through toPreviousMap.
 */
function previousComposites(
  input: PreviousFinalsInput | undefined,
  kind: PeriodKind,
): (staffId: string) => number | null {
  if (!input) return () => null;
  if (input instanceof Map) {
    const m = input as ReadonlyMap<string, PreviousFinal>;
    return (staffId) => {
      const p = m.get(staffId);
      if (p === undefined || (p.period && p.period.kind !== kind) || p.status === 'PROVISIONAL') return null;
      return p.composite ?? null;
    };
  }
  const m = toPreviousMap(input, kind);
  return (staffId) => m.get(staffId)?.composite ?? null;
}

/**
 * Scorecards for every active roster member (staff with counters but not on the roster, or
 * inactive, are not scored). Ranking and team size are per team; the A quota applies to MONTH
 * FINAL/REVISED only. Output sorted by teamId, then rank (ungraded last, by staffId).
 *
 * The per-member work goes through the kernel (kernel.ts) with the rules compiled once; the
 * intermediate per-member results are kept in flat arrays, so the only objects allocated per
 * member are the ones on its card.
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
  const previousComposite = previousComposites(options.previousFinals, period.kind);
  const members = activeRoster(roster);
  const n = members.length;

  // Every counter the kernel reads, once per member (n × ROW numbers).
  const rows = new Float64Array(n * ROW);
  const units = new Float64Array(n);
  const teams = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    const m = members[i]!;
    loadCounters(counters.get(m.staffId) ?? EMPTY, rows, i * ROW);
    units[i] = unitsOfRow(cr, rows, i * ROW);
    let t = teams.get(m.teamId);
    if (!t) teams.set(m.teamId, (t = []));
    t.push(i);
  }
  const refs = workloadReferences(members, units, rules);

  const kpis: KpiMap[] = new Array(n);
  const dims: DimensionScores[] = new Array(n);
  const composite = new Float64Array(n);
  const isGraded = new Uint8Array(n);
  const grade: Grade[] = new Array(n);
  const res = RESULT;
  for (let i = 0; i < n; i++) {
    const m = members[i]!;
    scoreRow(cr, rows, i * ROW, m.role, units[i]!, refs[i]!, previousComposite(m.staffId), res);
    kpis[i] = res.kpis;
    dims[i] = res.dimensions;
    if (res.composite !== null) {
      composite[i] = res.composite;
      isGraded[i] = 1;
    }
    grade[i] = res.grade;
  }

  const applyQuota = forcedDistributionApplies(period.kind, status);
  const ref = periodRef(period);
  const computedAt =
    typeof options.computedAt === 'number' ? new Date(options.computedAt).toISOString() : options.computedAt;
  const rev = options.revision;
  const prefix = appraisalPrefix({ period: ref, status, rulesVersion: rules.rulesVersion });
  const rulesVersion = rules.rulesVersion;
  // Rank order (rankTeam's): composite desc, workload units desc, staffId asc.
  const byRank = (i: number, j: number) =>
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
      status,
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
    c.appraisalId = appraisalIdOf(c, prefix);
    return c;
  };
  const teamIds = [...teams.keys()].sort();
  for (const teamId of teamIds) {
    const idx = teams.get(teamId)!;
    const graded: number[] = [];
    const ungraded: number[] = [];
    for (let j = 0; j < idx.length; j++) (isGraded[idx[j]!] === 1 ? graded : ungraded).push(idx[j]!);
    graded.sort(byRank);
    const teamSize = graded.length;
    const quota = applyQuota ? aQuota(teamSize, rules) : Infinity;
    let aCount = 0;
    for (let r = 0; r < graded.length; r++) {
      const i = graded[r]!;
      let g = grade[i]!;
      if (g === 'A' && ++aCount > quota) g = 'B';
      out[o++] = card(i, r + 1, teamSize, g);
    }
    if (ungraded.length > 1) ungraded.sort(byStaffId);
    for (let r = 0; r < ungraded.length; r++) out[o++] = card(ungraded[r]!, null, teamSize, grade[ungraded[r]!]!);
  }
  return out;
}

const RESULT: KernelResult = {
  kpis: undefined as unknown as KpiMap,
  dimensions: undefined as unknown as DimensionScores,
  composite: null,
  grade: 'INSUFFICIENT_DATA',
};
