// A population (the whole roster, or any set of teams) for one period -> full Scorecards:
// workload reference, per-staff scoring, team ranking, forced distribution, ids.

import type { Counters } from './counters.ts';
import type { Grade, PeriodKind, Role, ScorecardStatus } from './domain.ts';
import { appraisalIdOf, appraisalPrefix } from './ids.ts';
import { workloadUnits } from './kpis.ts';
import { medianInPlace } from './numbers.ts';
import { periodRef, type Period } from './periods.ts';
import { forcedDistributionApplies, rankTeam, type Rankable } from './ranking.ts';
import type { Rules } from './rules/schema.ts';
import type { Scorecard } from './scorecard.ts';
import { scoreStaff, type StaffScore } from './score.ts';

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
 * Scorecards for every active roster member (staff with counters but not on the roster, or
 * inactive, are not scored). Ranking and team size are per team; the A quota applies to MONTH
 * FINAL/REVISED only. Output sorted by teamId, then rank (ungraded last, by staffId).
 */
export function scorePopulation(
  staffCounters: StaffCountersInput,
  roster: readonly RosterEntry[],
  rules: Rules,
  period: Period,
  status: ScorecardStatus,
  options: ScoreOptions,
): Scorecard[] {
  const counters = toCountersMap(staffCounters);
  const previous = toPreviousMap(options.previousFinals, period.kind);
  const members = activeRoster(roster);
  const n = members.length;

  const units = new Float64Array(n);
  for (let i = 0; i < n; i++) units[i] = workloadUnits(counters.get(members[i]!.staffId) ?? EMPTY, rules);
  const refs = workloadReferences(members, units, rules);

  const scores: StaffScore[] = new Array(n);
  const teams = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    const m = members[i]!;
    scores[i] = scoreStaff(
      {
        counters: counters.get(m.staffId) ?? EMPTY,
        role: m.role,
        workloadReference: refs[i]!,
        workloadUnits: units[i]!,
        previousComposite: previous.get(m.staffId)?.composite ?? null,
      },
      rules,
    );
    let t = teams.get(m.teamId);
    if (!t) teams.set(m.teamId, (t = []));
    t.push(i);
  }

  const applyQuota = forcedDistributionApplies(period.kind, status);
  const ref = periodRef(period);
  const computedAt =
    typeof options.computedAt === 'number' ? new Date(options.computedAt).toISOString() : options.computedAt;
  const rev = options.revision;
  const prefix = appraisalPrefix({ period: ref, status, rulesVersion: rules.rulesVersion });
  const out: Scorecard[] = [];
  const teamIds = [...teams.keys()].sort();
  for (const teamId of teamIds) {
    const idx = teams.get(teamId)!;
    const rankables: Rankable[] = idx.map((i) => ({
      staffId: members[i]!.staffId,
      composite: scores[i]!.composite,
      workloadUnits: scores[i]!.workloadUnits,
      grade: scores[i]!.grade,
    }));
    const ranked = rankTeam(rankables, applyQuota, rules);
    const cards: Scorecard[] = [];
    for (let j = 0; j < idx.length; j++) {
      const i = idx[j]!;
      const m = members[i]!;
      const s = scores[i]!;
      const r = ranked[j]!;
      const card: Scorecard = {
        appraisalId: '',
        staffId: m.staffId,
        teamId: m.teamId,
        role: m.role,
        period: ref,
        status,
        revision: rev === undefined ? 0 : typeof rev === 'number' ? rev : (rev.get(m.staffId) ?? 0),
        rulesVersion: rules.rulesVersion,
        kpis: s.kpis,
        dimensions: s.dimensions,
        composite: s.composite,
        grade: r.grade,
        teamRank: r.teamRank,
        teamSize: r.teamSize,
        computedAt,
      };
      card.appraisalId = appraisalIdOf(card, prefix);
      cards.push(card);
    }
    cards.sort(
      (a, b) =>
        (a.teamRank ?? Infinity) - (b.teamRank ?? Infinity) || (a.staffId < b.staffId ? -1 : a.staffId > b.staffId ? 1 : 0),
    );
    for (const c of cards) out.push(c);
  }
  return out;
}
