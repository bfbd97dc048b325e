// What a rules change would do to a scored period (docs/what-if.md): the same population scored
// under the rules it is scored with now and under proposed rules, compared member by member.
// Pure: both outcomes go through the one engine path (scorePopulation, eligibility).

import type { Grade, ScorecardStatus } from './domain.ts';
import type { Eligibility, Scorecard } from './scorecard.ts';
import type { Period } from './periods.ts';
import type { Rules } from './rules/index.ts';
import { eligibility } from './eligibility.ts';
import { roundTo } from './numbers.ts';
import { scorePopulation } from './population.ts';

/** One scoring of a period: its cards and, for a MONTH, the eligibility derived from them. */
export interface Outcome {
  rulesVersion: string;
  cards: readonly Scorecard[];
  eligibility: readonly Eligibility[];
}

/** What a period is scored from (as the scorer reads it). */
export interface PeriodScoringInputs {
  period: Period;
  counters: Parameters<typeof scorePopulation>[0];
  roster: Parameters<typeof scorePopulation>[1];
  corrections?: Parameters<typeof scorePopulation>[5]['corrections'];
  previousFinals?: Parameters<typeof scorePopulation>[5]['previousFinals'];
  history?: Parameters<typeof scorePopulation>[5]['history'];
  /** MONTH: per team, the calls of the queues it answered (team cards, TEAM_HONOUR) */
  queueCalls?: Parameters<typeof eligibility>[4];
  staticState?: Parameters<typeof scorePopulation>[5]['staticState'];
}

/** The period scored under `rules`: its cards and, for a MONTH, their eligibility. */
export function outcomeOf(inputs: PeriodScoringInputs, rules: Rules, status: ScorecardStatus, computedAt: number): Outcome {
  const { period, counters, roster, corrections, previousFinals, history, queueCalls, staticState } = inputs;
  const cards = scorePopulation(counters, roster, rules, period, status, { computedAt, ...(previousFinals ? { previousFinals } : {}), ...(corrections ? { corrections } : {}), ...(history ? { history } : {}), ...(staticState ? { staticState } : {}) });
  return { rulesVersion: rules.rulesVersion, cards, eligibility: period.kind === 'MONTH' ? eligibility(cards, counters, previousFinals, rules, queueCalls) : [] };
}

export const WHAT_IF_GRADES: readonly Grade[] = ['A', 'B', 'C', 'D', 'INSUFFICIENT_DATA'];

export interface GradeMove {
  staffId: string;
  from: Grade;
  to: Grade;
  compositeFrom: number | null;
  compositeTo: number | null;
}

export interface TeamWhatIf {
  teamId: string;
  staff: number;
  /** grade -> members, under the current and the proposed rules */
  current: Record<Grade, number>;
  proposed: Record<Grade, number>;
  /** members whose grade moves, by staffId */
  moved: GradeMove[];
}

export interface ListChange {
  staffId: string;
  /** an award id or a veto reason id */
  id: string;
}

export interface CoefficientChange {
  staffId: string;
  from: number;
  to: number;
}

export interface WhatIfDiff {
  currentRules: string;
  proposedRules: string;
  staff: number;
  gradesMoved: number;
  teams: TeamWhatIf[];
  awards: { gained: ListChange[]; lost: ListChange[] };
  vetoes: { gained: ListChange[]; lost: ListChange[] };
  eligible: { current: number; proposed: number };
  coefficients: {
    changed: CoefficientChange[];
    /** Σ bonusCoefficient over the period's eligibility records: what payroll multiplies */
    currentTotal: number;
    proposedTotal: number;
    delta: number;
  };
}

const byStaff = <T extends { staffId: string }>(xs: readonly T[]): Map<string, T> => new Map(xs.map((x) => [x.staffId, x]));
const zeroGrades = (): Record<Grade, number> => ({ A: 0, B: 0, C: 0, D: 0, INSUFFICIENT_DATA: 0 });
const ordered = <T extends { staffId: string }>(xs: T[]): T[] => xs.sort((a, b) => (a.staffId < b.staffId ? -1 : a.staffId > b.staffId ? 1 : 0));

/**
 * Compares two scorings of one population. Members are matched by staffId; both outcomes come from
 * the same counters and roster, so the same members are in both (one missing from `proposed` is
 * reported under its current team with grade INSUFFICIENT_DATA, never silently dropped).
 */
export function whatIfDiff(current: Outcome, proposed: Outcome): WhatIfDiff {
  const after = byStaff(proposed.cards);
  const teams = new Map<string, TeamWhatIf>();
  for (const c of current.cards) {
    let t = teams.get(c.teamId);
    if (!t) teams.set(c.teamId, (t = { teamId: c.teamId, staff: 0, current: zeroGrades(), proposed: zeroGrades(), moved: [] }));
    const p = after.get(c.staffId);
    const to: Grade = p?.grade ?? 'INSUFFICIENT_DATA';
    t.staff++;
    t.current[c.grade]++;
    t.proposed[to]++;
    if (to !== c.grade) t.moved.push({ staffId: c.staffId, from: c.grade, to, compositeFrom: c.composite, compositeTo: p?.composite ?? null });
  }
  const teamList = [...teams.values()].sort((a, b) => (a.teamId < b.teamId ? -1 : 1));
  for (const t of teamList) ordered(t.moved);

  const before = byStaff(current.eligibility);
  const later = byStaff(proposed.eligibility);
  const staffIds = [...new Set([...before.keys(), ...later.keys()])].sort();
  const awards = { gained: [] as ListChange[], lost: [] as ListChange[] };
  const vetoes = { gained: [] as ListChange[], lost: [] as ListChange[] };
  const changed: CoefficientChange[] = [];
  let currentTotal = 0;
  let proposedTotal = 0;
  for (const staffId of staffIds) {
    const b = before.get(staffId);
    const a = later.get(staffId);
    listChanges(staffId, b?.awards ?? [], a?.awards ?? [], awards);
    listChanges(staffId, b?.vetoReasons ?? [], a?.vetoReasons ?? [], vetoes);
    const from = b?.bonusCoefficient ?? 0;
    const to = a?.bonusCoefficient ?? 0;
    currentTotal += from;
    proposedTotal += to;
    if (from !== to) changed.push({ staffId, from, to });
  }
  // Coefficients carry two decimals; the sums are rounded so that a diff prints what payroll sums.
  currentTotal = roundTo(currentTotal, 4);
  proposedTotal = roundTo(proposedTotal, 4);
  return {
    currentRules: current.rulesVersion,
    proposedRules: proposed.rulesVersion,
    staff: current.cards.length,
    gradesMoved: teamList.reduce((n, t) => n + t.moved.length, 0),
    teams: teamList,
    awards,
    vetoes,
    eligible: { current: current.eligibility.filter((e) => e.eligible).length, proposed: proposed.eligibility.filter((e) => e.eligible).length },
    coefficients: { changed, currentTotal, proposedTotal, delta: roundTo(proposedTotal - currentTotal, 4) },
  };
}

function listChanges(staffId: string, from: readonly string[], to: readonly string[], out: { gained: ListChange[]; lost: ListChange[] }): void {
  for (const id of to) if (!from.includes(id)) out.gained.push({ staffId, id });
  for (const id of from) if (!to.includes(id)) out.lost.push({ staffId, id });
}
