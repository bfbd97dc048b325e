// @cs/appraisal — the appraisal engine: counters in, scorecards and incentive eligibility out.
// Pure: no I/O, no clock (time is passed in).

export * from './domain.ts';
export * from './rules/index.ts';
export {
  COUNTER_NAMES,
  isCounterName,
  trainedOkCounter,
  addCounters,
  type CounterName,
  type Counters,
} from './counters.ts';
export type * from './events.ts';
export {
  MINUTE_MS,
  HOUR_MS,
  DAY_MS,
  localDate,
  addDays,
  isoWeekday,
  zonedParts,
  zoneOffsetMs,
  zonedTimeToEpoch,
  startOfLocalDay,
  isWorkingDay,
  addWorkingDays,
  workOrderWorkingDays,
  workOrderDeadline,
  repairArrivalCommitmentMs,
  restorationTargetMs,
  outageNoticeLeadMs,
  serviceLevelThresholdSeconds,
  type ZonedParts,
} from './calendar.ts';
export {
  periodOf,
  periodIdOf,
  periodStartingOn,
  parsePeriodId,
  previousPeriod,
  nextPeriod,
  periodRef,
  closeAtMs,
  latestClosedMonth,
  type CloseGrace,
  type Period,
  type PeriodRef,
} from './periods.ts';
export { attribute, slaObservations, workOrderDueAt, type Increment, type SlaObservation } from './attribution.ts';
export { LINEAR_KPIS, type KpiResult, type KpiMap, type DimensionScores } from './kernel.ts';
export { scoreStaff, type StaffScore, type StaffScoreInput } from './score.ts';
export { aQuota, forcedDistributionApplies } from './ranking.ts';
export {
  scorePopulation,
  workloadReferences,
  activeRoster,
  type RosterEntry,
  type StaffCountersInput,
  type PreviousFinal,
  type PreviousFinalsInput,
  type ScoreOptions,
} from './population.ts';
export { rosterForPeriod, sortTimeline, type StaffTimeline, type TimelineEntry } from './roster-timeline.ts';
export { eligibility, vetoReasons, trainingRecommendations } from './eligibility.ts';
export type { Scorecard, Eligibility, Reason } from './scorecard.ts';
export { appraisalIdOf, appraisalPrefix, eligibilityIdOf, canonicalJson, type AppraisalPrefix, type CardIdFields } from './ids.ts';
export { Hasher, hashString } from './hasher.ts';
export { roundTo } from './numbers.ts';
export { CARD_NUMBERS, cardNumbers } from './card-numbers.ts';
export { explainMember, type ExplainInput, type MemberExplanation, type KpiExplanation, type DimensionExplanation } from './explain.ts';
export type { AdjustmentStep } from './kernel.ts';
export { CORRECTION_KINDS, PERIOD_WIDE, memberNotes, orderNotes, type Adjustment, type CorrectionKind, type CorrectionNote } from './corrections.ts';
export { adoptedRules, rulesOfAdoption, adoptionDetail } from './adoption.ts';
export { reversalOf, adjustmentProblem, adjustmentDetail, monthOfDay, type RecordedEffect, type RecordedIncrement, type Reversal, type ReversalRefusal, type CorrectionInput } from './reversal.ts';
export { whatIfDiff, outcomeOf, WHAT_IF_GRADES, type Outcome, type PeriodScoringInputs, type WhatIfDiff, type TeamWhatIf, type GradeMove, type ListChange, type CoefficientChange } from './what-if.ts';
export { teamCards, teamKpis, rolePercentiles, honouredTeams, queueCallsByTeam, teamSettingsOf, linearScore, TEAM_DEFAULTS, TEAM_KPI_IDS, type TeamCard, type TeamKpi, type TeamKpiId, type TeamSettings, type TeamKpiScale, type QueueCalls } from './team-card.ts';
export { trendOf, monthRecordOf, historyToKeep, historyOfPrevious, hashTrend, monthIndex, meanAndSlope, mostImprovedRise, improvementPlanDue, type MonthRecord, type Trend } from './trend.ts';
export { trendDirection, teamTrendSummaries, onImprovementPlan, TREND_DIRECTIONS, STEADY_BAND_POINTS_PER_MONTH, type TrendDirection, type TrendCard, type TrendFigures, type PlanAfter, type TeamTrendSummary } from './trend-summary.ts';
export {
  staticProfileOf,
  staticRecordOf,
  hashStaticProfile,
  staticRecommendations,
  combinedRecommendations,
  recordsToPrune,
  STATIC_RECORDS_KEPT,
  staticRules,
  type StaticProfile,
  type StaticRecord,
  type AssessmentRecord,
  type GrantRecord,
  type RevocationRecord,
  type SkillScore,
  type HeldQualification,
  type ExpiringQualification,
} from './static-profile.ts';
export { STATIC_DEFAULTS, type StaticSettings } from './rules/static-defaults.ts';
