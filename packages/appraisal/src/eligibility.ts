// MONTH FINAL/REVISED scorecards -> incentive eligibility: bonus coefficient, vetoes (一票否決),
// awards, training recommendations (dynamic appraisal) and the improvement-plan flag.
//
// Readings of the spec where it is silent (documented here so payroll can rely on them):
// - a vetoed member gets no awards and is not a candidate for them, so SERVICE_STAR and
//   MOST_IMPROVED pass to the best non-vetoed candidate;
// - MOST_IMPROVED ties go to the better team rank, then the smaller staffId;
// - TEAM_HONOUR goes to every team tied at the highest mean composite;
// - INSUFFICIENT_DATA without a veto: not eligible, coefficient `bonusCoefficients.INSUFFICIENT_DATA`
//   (default null: payroll decides);
// - training recommendations are made whether or not a veto applies.

import { trainedOkCounter, type Counters } from './counters.ts';
import { DIMENSIONS, type Award, type Skill, type VetoReason } from './domain.ts';
import { eligibilityIdOf } from './ids.ts';
import { roundTo } from './numbers.ts';
import {
  toCountersMap,
  toPreviousMap,
  type PreviousFinalsInput,
  type StaffCountersInput,
} from './population.ts';
import { forcedDistributionApplies } from './ranking.ts';
import type { Rules } from './rules/schema.ts';
import type { Eligibility, Scorecard } from './scorecard.ts';

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
  const skills = new Set<Skill>();
  for (const d of DIMENSIONS) {
    const skill = inc.trainingSkills[d];
    const score = card.dimensions[d];
    if (skill === undefined || score === null || !(score < inc.trainingBelowScore)) continue;
    if ((counters[trainedOkCounter(skill)] ?? 0) > 0) continue;
    skills.add(skill);
  }
  return [...skills].sort();
}

interface Work {
  card: Scorecard;
  vetoes: VetoReason[];
  improvement: number | null;
  awards: Award[];
}

function byRank(a: Scorecard, b: Scorecard): number {
  return (
    (a.teamRank ?? Infinity) - (b.teamRank ?? Infinity) ||
    (a.staffId < b.staffId ? -1 : a.staffId > b.staffId ? 1 : 0)
  );
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
): Eligibility[] {
  const inc = rules.incentives;
  const counters = toCountersMap(staffCounters);
  const previous = toPreviousMap(previousFinals, 'MONTH');
  const work: Work[] = [];
  const teams = new Map<string, Work[]>();
  for (const card of scorecards) {
    if (!forcedDistributionApplies(card.period.kind, card.status)) continue;
    const c = counters.get(card.staffId) ?? EMPTY;
    const prev = previous.get(card.staffId);
    const improvement =
      prev === undefined
        ? card.kpis.improvement.value
        : card.composite !== null && prev.composite !== null
          ? roundTo(card.composite - prev.composite, rules.scoring.decimals)
          : null;
    const w: Work = { card, vetoes: vetoReasons(card, c, rules), improvement, awards: [] };
    work.push(w);
    let t = teams.get(card.teamId);
    if (!t) teams.set(card.teamId, (t = []));
    t.push(w);
  }

  // Per-team awards.
  let bestMean = -Infinity;
  const honoured: string[] = [];
  for (const [teamId, members] of teams) {
    const candidates = members.filter((w) => w.vetoes.length === 0);
    const star = candidates
      .filter(
        (w) =>
          w.card.grade === 'A' &&
          w.card.dimensions.workload !== null &&
          w.card.dimensions.workload >= inc.serviceStarMinWorkloadScore,
      )
      .sort((a, b) => byRank(a.card, b.card))[0];
    star?.awards.push('SERVICE_STAR');

    const improved = candidates
      .filter(
        (w) =>
          w.improvement !== null &&
          w.improvement >= inc.mostImprovedMinPoints &&
          (inc.mostImprovedGrades as readonly string[]).includes(w.card.grade),
      )
      .sort((a, b) => (b.improvement as number) - (a.improvement as number) || byRank(a.card, b.card))[0];
    improved?.awards.push('MOST_IMPROVED');

    const graded = members.filter((w) => w.card.composite !== null);
    if (graded.length >= inc.teamHonourMinGraded) {
      const mean = roundTo(graded.reduce((s, w) => s + (w.card.composite as number), 0) / graded.length, 6);
      if (mean > bestMean) {
        bestMean = mean;
        honoured.length = 0;
      }
      if (mean === bestMean) honoured.push(teamId);
    }
  }

  const out: Eligibility[] = [];
  const honouredSet = new Set(honoured);
  for (const w of work) {
    const { card, vetoes } = w;
    const vetoed = vetoes.length > 0;
    const graded = card.grade !== 'INSUFFICIENT_DATA';
    const eligible = !vetoed && (card.grade === 'A' || card.grade === 'B' || card.grade === 'C');
    if (eligible && honouredSet.has(card.teamId)) w.awards.push('TEAM_HONOUR');
    const c = counters.get(card.staffId) ?? EMPTY;
    const prev = previous.get(card.staffId);
    const record: Omit<Eligibility, 'eligibilityId'> = {
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
      awards: vetoed ? [] : [...w.awards].sort(),
      vetoReasons: vetoes,
      trainingRecommendations: trainingRecommendations(card, c, rules),
      improvementPlanRequired:
        card.grade === inc.improvementPlanGrade && prev !== undefined && prev.grade === inc.improvementPlanGrade,
    };
    out.push({ eligibilityId: eligibilityIdOf(record), ...record });
  }
  return out;
}
