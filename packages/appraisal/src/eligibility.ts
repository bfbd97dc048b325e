// MONTH FINAL/REVISED scorecards -> incentive eligibility: bonus coefficient, vetoes (一票否決),
// awards, training recommendations (dynamic appraisal) and the improvement-plan flag.
//
// Readings of the spec where it is silent (documented here so payroll can rely on them):
// - a vetoed member gets no awards and is not a candidate for them, so SERVICE_STAR and
//   MOST_IMPROVED pass to the best non-vetoed candidate;
// - MOST_IMPROVED is judged on the one-month improvement, or, where the rules say
//   `trend.mostImprovedOn: trend`, on the card's trend (the fitted rise over the short window,
//   docs/dynamic-appraisal.md; a card without one, made by hand or read back from before v6, on
//   its one-month improvement); ties go to the better team rank, then the smaller staffId;
// - the improvement plan follows the trend's consecutive D months (the previous FINAL without one);
// - TEAM_HONOUR goes to every team whose team card ranks 1 (team-card.ts): under the default
//   teams.teamKpiWeight 0 every team tied at the highest mean composite;
// - INSUFFICIENT_DATA without a veto: not eligible, coefficient `bonusCoefficients.INSUFFICIENT_DATA`
//   (default null: payroll decides);
// - training recommendations are made whether or not a veto applies.

import { trainedOkCounter, type Counters } from './counters.ts';
import { DIMENSIONS, type Award, type Skill, type VetoReason } from './domain.ts';
import { eligibilityIdOf } from './ids.ts';
import { roundTo } from './numbers.ts';
import {
  previousLookup,
  toCountersMap,
  type PreviousFinal,
  type PreviousFinalsInput,
  type StaffCountersInput,
} from './population.ts';
import { forcedDistributionApplies } from './ranking.ts';
import type { Rules } from './rules/schema.ts';
import type { Eligibility, Scorecard } from './scorecard.ts';
import { honouredTeams, teamCards, type QueueCalls, type TeamCard } from './team-card.ts';
import { combinedRecommendations, staticRecommendations } from './static-profile.ts';
import { improvementPlanDue, mostImprovedRise } from './trend.ts';

const EMPTY: Counters = Object.freeze({}) as Counters;

export function vetoReasons(card: Scorecard, counters: Counters, rules: Rules): VetoReason[] {
  const v = rules.incentives.veto;
  const out: VetoReason[] = [];
  const serious = counters.complaints_serious_substantiated ?? card.kpis.complaints_serious_substantiated.value ?? 0;
  if (v.substantiatedSeriousComplaint && serious > 0) out.push('SERIOUS_COMPLAINT');
  const attendance = card.kpis.attendance_rate.value;
  if (attendance !== null && attendance < v.minAttendanceRate) out.push('LOW_ATTENDANCE');
  return out;
}

export function trainingRecommendations(card: Scorecard, counters: Counters, rules: Rules): Skill[] {
  const inc = rules.incentives;
  // A plain array, not a Set: at most one skill per dimension, and usually none.
  const skills: Skill[] = [];
  for (const d of DIMENSIONS) {
    const skill = inc.trainingSkills[d];
    const score = card.dimensions[d];
    if (skill === undefined || score === null || !(score < inc.trainingBelowScore)) continue;
    if (skills.includes(skill) || (counters[trainedOkCounter(skill)] ?? 0) > 0) continue;
    skills.push(skill);
  }
  if (skills.length > 1) skills.sort();
  // The static profile's skills too (docs/static-appraisal.md §4), when the card carries one.
  return card.staticProfile ? combinedRecommendations(skills, staticRecommendations(card.staticProfile, counters, rules)) : skills;
}

/**
 * One card's per-member results, all worked out in one visit to the card and its counters (at
 * 100k members each visit to them is a round of cache misses).
 */
interface Work {
  card: Scorecard;
  prev: PreviousFinal | undefined;
  vetoes: VetoReason[];
  training: Skill[];
  improvement: number | null;
  /** MOST_IMPROVED's measure when a candidate: the fitted rise of the card's trend, else (no trend) its one-month improvement */
  rise: number | null;
  awards: Award[];
}

function byRank(a: Scorecard, b: Scorecard): number {
  return (
    (a.teamRank ?? Infinity) - (b.teamRank ?? Infinity) ||
    (a.staffId < b.staffId ? -1 : a.staffId > b.staffId ? 1 : 0)
  );
}

/** The first of `ws` by `cmp` among those `ok` accepts (what a stable sort would put first). */
function firstBy(ws: readonly Work[], ok: (w: Work) => boolean, cmp: (a: Work, b: Work) => number): Work | undefined {
  let best: Work | undefined;
  for (const w of ws) if (ok(w) && (best === undefined || cmp(w, best) < 0)) best = w;
  return best;
}

/**
 * Eligibility records for the MONTH FINAL/REVISED scorecards given (others are skipped), in
 * input order. Pass whole teams (TEAM_HONOUR compares teams, so pass the whole population for it).
 */
export function eligibility(
  scorecards: readonly Scorecard[],
  staffCounters: StaffCountersInput,
  previousFinals: PreviousFinalsInput | undefined,
  rules: Rules,
  /** per team, the calls of the queues it answered (the service_level team KPI); matters only when rules weigh team KPIs */
  queueCalls: ReadonlyMap<string, readonly QueueCalls[]> = new Map(),
  /** the round's team cards (teamCards of these scorecards), when the caller has them already: not worked out twice */
  roundTeams?: readonly TeamCard[],
): Eligibility[] {
  const inc = rules.incentives;
  const decimals = rules.scoring.decimals;
  const counters = toCountersMap(staffCounters);
  const previous = previousLookup(previousFinals, 'MONTH');
  const work: Work[] = [];
  const teams = new Map<string, Work[]>();
  for (const card of scorecards) {
    if (!forcedDistributionApplies(card.period.kind, card.status)) continue;
    const c = counters.get(card.staffId) ?? EMPTY;
    const prev = previous(card.staffId);
    const improvement =
      prev === undefined
        ? card.kpis.improvement.value
        : card.composite !== null && prev.composite !== null
          ? roundTo(card.composite - prev.composite, decimals)
          : null;
    const w: Work = {
      card,
      prev,
      vetoes: vetoReasons(card, c, rules),
      training: trainingRecommendations(card, c, rules),
      improvement,
      rise: rules.trend.mostImprovedOn === 'trend' && card.trend != null ? mostImprovedRise(card.trend, rules) : improvement !== null && improvement >= inc.mostImprovedMinPoints ? improvement : null,
      awards: [],
    };
    work.push(w);
    let t = teams.get(card.teamId);
    if (!t) teams.set(card.teamId, (t = []));
    t.push(w);
  }

  // Per-team awards (vetoed members are no candidates).
  const mostImprovedGrades = inc.mostImprovedGrades as readonly string[];
  const isStar = (w: Work) =>
    w.vetoes.length === 0 &&
    w.card.grade === 'A' &&
    w.card.dimensions.workload !== null &&
    w.card.dimensions.workload >= inc.serviceStarMinWorkloadScore;
  const isImproved = (w: Work) => w.vetoes.length === 0 && w.rise !== null && mostImprovedGrades.includes(w.card.grade);
  const starOrder = (a: Work, b: Work) => byRank(a.card, b.card);
  const improvedOrder = (a: Work, b: Work) => (b.rise as number) - (a.rise as number) || byRank(a.card, b.card);
  for (const members of teams.values()) {
    firstBy(members, isStar, starOrder)?.awards.push('SERVICE_STAR');
    firstBy(members, isImproved, improvedOrder)?.awards.push('MOST_IMPROVED');
  }
  // TEAM_HONOUR: the teams whose team card ranks 1 (docs/team-scorecards.md), the scorer's, explain's and rescore's one path.
  const honoured = honouredTeams(roundTeams ?? teamCards(work.map((w) => w.card), counters, queueCalls, rules));

  const out: Eligibility[] = new Array(work.length);
  for (let i = 0; i < work.length; i++) {
    const w = work[i]!;
    const { card, vetoes, prev } = w;
    const vetoed = vetoes.length > 0;
    const graded = card.grade !== 'INSUFFICIENT_DATA';
    const eligible = !vetoed && (card.grade === 'A' || card.grade === 'B' || card.grade === 'C');
    if (eligible && honoured.has(card.teamId)) w.awards.push('TEAM_HONOUR');
    const record: Eligibility = {
      eligibilityId: '',
      appraisalId: card.appraisalId,
      staffId: card.staffId,
      teamId: card.teamId,
      period: card.period,
      grade: card.grade,
      eligible,
      bonusCoefficient: vetoed
        ? inc.bonusCoefficients.D
        : graded
          ? inc.bonusCoefficients[card.grade as 'A' | 'B' | 'C' | 'D']
          : inc.bonusCoefficients.INSUFFICIENT_DATA,
      awards: vetoed ? [] : w.awards.sort(),
      vetoReasons: vetoes,
      trainingRecommendations: w.training,
      improvementPlanRequired:
        card.trend != null
          ? improvementPlanDue(card.trend, rules)
          : card.grade === inc.improvementPlanGrade && prev !== undefined && prev.grade === inc.improvementPlanGrade,
    };
    record.eligibilityId = eligibilityIdOf(record);
    out[i] = record;
  }
  return out;
}
