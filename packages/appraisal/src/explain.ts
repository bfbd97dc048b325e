// `cs-appraisal explain` (issue #16 item 3): one member's card taken apart, from the counters and
// corrections to the coefficient. The numbers are the engine's own: the population is scored by
// scorePopulation (ranks and the A quota need the whole team) and the member's adjustments are
// replayed through the same kernel with a trace; nothing here recomputes the model a second way.
// Pure: the caller reads Redis and the rules.

import { memberNotes, type CorrectionNote } from './corrections.ts';
import type { Counters } from './counters.ts';
import { DIMENSIONS, type Dimension, type Grade, type KpiId } from './domain.ts';
import { eligibility } from './eligibility.ts';
import type { StaticProfile } from './static-profile.ts';
import { LINEAR_KPIS, ROW, compileRules, gradeFrom, loadCounters, scoreRow, type AdjustmentStep, type KernelResult } from './kernel.ts';
import { memberCorrections, scorePopulation, toCountersMap, type PreviousFinalsInput, type RosterEntry, type ScoreOptions, type StaffCountersInput } from './population.ts';
import type { Period } from './periods.ts';
import { aQuota, forcedDistributionApplies } from './ranking.ts';
import type { QueueCalls } from './team-card.ts';
import type { Rules } from './rules/schema.ts';
import type { Eligibility, Reason, Scorecard } from './scorecard.ts';

export interface KpiExplanation {
  id: KpiId;
  dimension: Dimension;
  better: 'higher' | 'lower';
  floor: number;
  target: number;
  minSample: number;
  weight: number;
  numerator: number | null;
  denominator: number | null;
  /** as scored (after KPI adjustments) */
  value: number | null;
  score: number | null;
  /** the value before the KPI adjustments, when one applied */
  unadjustedValue?: number | null;
}

export interface DimensionExplanation {
  id: Dimension;
  /** the scored KPIs of the dimension and their weights (workload: none, its score is the workload ratio) */
  kpis: { id: KpiId; weight: number; score: number }[];
  /** satisfaction: points taken off per substantiated general complaint × their count */
  penalty?: number;
  /** the score before the DIMENSION adjustments, when one applied */
  unadjusted?: number | null;
  score: number | null;
  /** the role's weight of the dimension in the composite */
  roleWeight: number;
}

export interface MemberExplanation {
  staffId: string;
  teamId: string;
  role: string;
  period: Scorecard['period'];
  status: Scorecard['status'];
  revision: number;
  rulesVersion: string;
  appraisalId: string;
  /** every counter of the member's period as stored (name -> value), sorted by name */
  counters: Record<string, number>;
  /** every correction note of the staff-period, in the order they apply (as on the card) */
  corrections: Reason[];
  /** what each adjustment did, in the order they applied */
  adjustments: AdjustmentStep[];
  kpis: KpiExplanation[];
  workload: { units: number; reference: number | null; referenceFactor: number; score: number | null };
  dimensions: DimensionExplanation[];
  composite: { value: number | null; minDimensions: number; weightSum: number; weightedSum: number; counted: number };
  grade: { thresholds: { A: number; B: number; C: number }; beforeQuota: Grade; final: Grade };
  ranking: {
    teamRank: number | null;
    teamSize: number;
    /** whether the forced distribution applies (MONTH FINAL/REVISED) */
    applies: boolean;
    /** at most this many A grades in the team (null when it does not apply) */
    aQuota: number | null;
    /** graded A before the quota by members ranked above */
    aAbove: number;
    /** an A turned into a B by the quota */
    capped: boolean;
  };
  /** MONTH FINAL/REVISED: the member's eligibility (coefficient, awards, vetoes); else null */
  eligibility: Eligibility | null;
  /** the card's static profile (docs/static-appraisal.md) when static state was given; else null */
  staticProfile: StaticProfile | null;
}

export interface ExplainInput {
  staffId: string;
  counters: StaffCountersInput;
  roster: readonly RosterEntry[];
  rules: Rules;
  period: Period;
  status: Scorecard['status'];
  /** the member's revision (the scorer's published one); default 0 */
  revision?: number;
  computedAt: string | number;
  corrections?: ReadonlyMap<string, readonly CorrectionNote[]>;
  previousFinals?: PreviousFinalsInput;
  /** MONTH: the members' kept months (ScoreOptions.history) */
  history?: ScoreOptions['history'];
  /** MONTH: per team, the calls of the queues it answered (team cards, TEAM_HONOUR) */
  queueCalls?: ReadonlyMap<string, readonly QueueCalls[]>;
  /** the members' static records (ScoreOptions.staticState, docs/static-appraisal.md) */
  staticState?: ScoreOptions['staticState'];
}

/** The explanation of one member's card; undefined when the member is not scored in the period (not an active roster member). */
export function explainMember(input: ExplainInput): MemberExplanation | undefined {
  const { staffId, rules, period, status } = input;
  const counters = toCountersMap(input.counters);
  const cards = scorePopulation(counters, input.roster, rules, period, status, {
    computedAt: input.computedAt,
    revision: input.revision ?? 0,
    ...(input.corrections ? { corrections: input.corrections } : {}),
    ...(input.previousFinals ? { previousFinals: input.previousFinals } : {}),
    ...(input.history ? { history: input.history } : {}),
    ...(input.staticState ? { staticState: input.staticState } : {}),
  });
  const card = cards.find((c) => c.staffId === staffId);
  if (card === undefined) return undefined;
  const cr = compileRules(rules);
  const own = counters.get(staffId) ?? ({} as Counters);

  // The member's row again through the kernel, with the same inputs the card had, to trace the adjustments.
  const mc = memberCorrections(memberNotes(input.corrections, staffId));
  const trace: AdjustmentStep[] = [];
  const units = card.kpis.workload_units.value ?? 0;
  const reference = card.kpis.workload_units.denominator;
  const row = new Float64Array(ROW);
  loadCounters(own, row, 0);
  // (improvement is left out: it does not enter the trace)
  if (mc?.adjustments) scoreRow(cr, row, 0, card.role, units, reference, null, RESULT, mc.adjustments, trace);
  // The value each adjusted KPI or dimension had before its first adjustment.
  const firstKpiBefore = new Map<string, number | null>();
  const dimBefore = new Map<string, number | null>();
  for (const s of trace) {
    const m = s.adjustment.target === 'KPI' ? firstKpiBefore : dimBefore;
    if (s.skipped === null && !m.has(s.adjustment.id)) m.set(s.adjustment.id, s.before);
  }

  const kpis: KpiExplanation[] = LINEAR_KPIS.map((d) => {
    const r = rules.kpis[d.id];
    const k = card.kpis[d.id];
    return {
      id: d.id, dimension: d.dimension, better: r.better, floor: r.floor, target: r.target, minSample: r.minSample, weight: r.weight,
      numerator: k.numerator, denominator: k.denominator, value: k.value, score: k.score,
      ...(firstKpiBefore.has(d.id) ? { unadjustedValue: firstKpiBefore.get(d.id)! } : {}),
    };
  });
  const roleWeights = rules.roleWeights[card.role as keyof Rules['roleWeights']];
  const penaltyPer = rules.penalties.satisfactionPerSubstantiatedGeneralComplaint;
  const dimensions: DimensionExplanation[] = DIMENSIONS.map((id) => ({
    id,
    kpis: kpis.filter((k) => k.dimension === id && k.score !== null).map((k) => ({ id: k.id, weight: k.weight, score: k.score! })),
    ...(id === 'satisfaction' ? { penalty: penaltyPer * (own.complaints_general_substantiated ?? 0) } : {}),
    ...(dimBefore.has(id) ? { unadjusted: dimBefore.get(id)! } : {}),
    score: card.dimensions[id],
    roleWeight: roleWeights[id],
  }));
  let weightSum = 0;
  let weightedSum = 0;
  let counted = 0;
  for (const d of dimensions) {
    if (d.score === null || !(d.roleWeight > 0)) continue;
    weightSum += d.roleWeight;
    weightedSum += d.roleWeight * d.score;
    counted++;
  }

  const beforeQuota = gradeFrom(cr, card.composite);
  const applies = forcedDistributionApplies(period.kind, status);
  const team = cards.filter((c) => c.teamId === card.teamId && c.teamRank !== null);
  const aAbove = card.teamRank === null ? 0 : team.filter((c) => c.teamRank! < card.teamRank! && gradeFrom(cr, c.composite) === 'A').length;
  const elig = applies ? eligibility(cards, counters, input.previousFinals, rules, input.queueCalls).find((e) => e.staffId === staffId) ?? null : null;

  return {
    staffId, teamId: card.teamId, role: card.role, period: card.period, status: card.status, revision: card.revision, rulesVersion: card.rulesVersion, appraisalId: card.appraisalId,
    counters: Object.fromEntries(Object.entries(own).filter(([, v]) => typeof v === 'number').sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) as Record<string, number>,
    corrections: card.reasons ?? [],
    adjustments: trace,
    kpis,
    workload: { units, reference, referenceFactor: rules.workload.referenceFactor, score: card.kpis.workload_units.score },
    dimensions,
    composite: { value: card.composite, minDimensions: rules.scoring.minDimensions, weightSum, weightedSum, counted },
    grade: { thresholds: { A: rules.grades.A, B: rules.grades.B, C: rules.grades.C }, beforeQuota, final: card.grade },
    ranking: {
      teamRank: card.teamRank, teamSize: card.teamSize, applies,
      aQuota: applies ? aQuota(card.teamSize, rules) : null,
      aAbove,
      capped: beforeQuota === 'A' && card.grade !== 'A',
    },
    eligibility: elig,
    staticProfile: card.staticProfile ?? null,
  };
}

const RESULT: KernelResult = { kpis: undefined as never, dimensions: undefined as never, composite: null, grade: 'INSUFFICIENT_DATA' };
