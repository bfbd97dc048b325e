// The defaults of appraisal-model.md (rules version 1 of the spec), as data.

import type { Rules } from './schema.ts';

const lin = (better: 'higher' | 'lower', floor: number, target: number, minSample: number) => ({
  better,
  floor,
  target,
  minSample,
  weight: 1,
});

const MINUTES_PER_DAY = 24 * 60;

export const DEFAULT_RULES: Rules = {
  rulesVersion: '2026.1',
  // In force from before any operator version: the earliest first-of-month the book needs.
  effectiveFrom: '2000-01-01',
  timeZone: 'Asia/Shanghai',
  periods: {
    closeGraceMinutes: { DAY: 120, MONTH: 3 * MINUTES_PER_DAY },
    maxDueAheadDays: 92,
  },
  scoring: { decimals: 1, minDimensions: 2 },
  kpis: {
    avg_handle_seconds: lin('lower', 600, 300, 10),
    callback_on_time_rate: lin('higher', 0.8, 1, 1),
    work_order_on_time_rate: lin('higher', 0.85, 1, 1),
    restoration_on_time_rate: lin('higher', 0.8, 1, 1),
    outage_notice_on_time_rate: lin('higher', 0.9, 1, 1),
    first_contact_resolution: lin('higher', 0.6, 0.9, 10),
    meter_reading_accuracy: lin('higher', 0.98, 0.999, 20),
    billing_accuracy: lin('higher', 0.98, 0.999, 20),
    work_order_right_first_time: lin('higher', 0.85, 0.98, 1),
    quality_score: lin('higher', 60, 95, 3),
    customer_satisfaction: lin('higher', 0.8, 0.99, 5),
    repair_satisfaction: lin('higher', 0.8, 0.99, 5),
    feedback_360: lin('higher', 60, 95, 3),
    meter_reading_rate: lin('higher', 0.95, 1, 1),
    fee_collection_rate: lin('higher', 0.9, 1, 1),
    repair_commitment_rate: lin('higher', 0.85, 1, 1),
    callback_rate: lin('higher', 0.9, 1, 1),
    attendance_rate: lin('higher', 0.9, 1, 1),
    supervisor_rating: lin('higher', 60, 95, 1),
  },
  workload: {
    unitWeights: {
      contacts_handled: 1,
      contacts_resolved: 0.5,
      meter_readings: 0.25,
      bills_issued: 0.2,
      work_orders_completed: 2,
      repairs_restored: 4,
      callbacks_made: 0.5,
      outage_notices: 0.5,
    },
    referenceFactor: 1.2,
    minTeamPeers: 3,
  },
  thresholds: {
    surveySatisfiedMinScore: 4,
    repairSatisfiedMinScore: 4,
    qualityPassMinScore: 85,
    trainingPassPostScore: 80,
  },
  penalties: {
    satisfactionPerSubstantiatedGeneralComplaint: 10,
    attendancePerLateShift: 5,
  },
  roleWeights: {
    HOTLINE_AGENT: { workload: 20, timeliness: 15, accuracy: 15, standardisation: 15, satisfaction: 20, taskCompletion: 5, conduct: 10 },
    HALL_CLERK: { workload: 20, timeliness: 15, accuracy: 15, standardisation: 15, satisfaction: 20, taskCompletion: 5, conduct: 10 },
    METER_READER: { workload: 20, timeliness: 10, accuracy: 25, standardisation: 5, satisfaction: 10, taskCompletion: 20, conduct: 10 },
    BILLING_CLERK: { workload: 15, timeliness: 10, accuracy: 30, standardisation: 5, satisfaction: 10, taskCompletion: 20, conduct: 10 },
    REPAIR_CREW: { workload: 20, timeliness: 20, accuracy: 10, standardisation: 5, satisfaction: 15, taskCompletion: 20, conduct: 10 },
    WORK_ORDER_CLERK: { workload: 20, timeliness: 25, accuracy: 20, standardisation: 5, satisfaction: 10, taskCompletion: 10, conduct: 10 },
  },
  grades: { A: 90, B: 80, C: 60 },
  forcedDistribution: { maxAShare: 0.2, minAQuota: 1 },
  incentives: {
    bonusCoefficients: { A: 1.2, B: 1.05, C: 0.95, D: 0.88, INSUFFICIENT_DATA: 1.0 },
    veto: { substantiatedSeriousComplaint: true, minAttendanceRate: 0.8 },
    serviceStarMinWorkloadScore: 80,
    mostImprovedMinPoints: 10,
    mostImprovedGrades: ['A', 'B'],
    teamHonourMinGraded: 3,
    trainingBelowScore: 70,
    trainingSkills: {
      timeliness: 'PROCESS_EFFICIENCY',
      accuracy: 'BUSINESS_KNOWLEDGE',
      standardisation: 'SERVICE_ETIQUETTE',
      satisfaction: 'COMMUNICATION',
      taskCompletion: 'PROCESS_EFFICIENCY',
    },
    improvementPlanGrade: 'D',
  },
  trend: {
    shortMonths: 3,
    mostImprovedOn: 'month',
    longMonths: 6,
    improvementPlanAfter: 2,
    trainingGainMonths: 3,
    trainingGainTargetPoints: 10,
  },
  calendar: {
    workingWeekdays: [1, 2, 3, 4, 5],
    // The official holiday / 调休 calendar is published yearly; operators supply it in the
    // rules override (CS_RULES_FILE). Defaults: plain Monday–Friday.
    holidays: [],
    makeUpWorkingDays: [],
  },
  commitments: {
    repairArrivalMinutes: { URBAN: 45, RURAL: 90, REMOTE: 120 },
    restorationMinutes: { URBAN: 180, RURAL: 240, REMOTE: 360 },
    outageNoticeLeadMinutes: { PLANNED: 7 * MINUTES_PER_DAY, TEMPORARY: MINUTES_PER_DAY },
    workOrderWorkingDays: {
      default: 5,
      byType: {
        SUPPLY_SCHEME_REPLY: {
          RESIDENTIAL: 3,
          LOW_VOLTAGE_NON_RESIDENTIAL: 7,
          HIGH_VOLTAGE_SINGLE: 15,
          HIGH_VOLTAGE_DUAL: 30,
        },
        NEW_CONNECTION: {
          RESIDENTIAL: 5,
          LOW_VOLTAGE_NON_RESIDENTIAL: 6,
          HIGH_VOLTAGE_SINGLE: 22,
          HIGH_VOLTAGE_DUAL: 32,
        },
        METER_TEST: 5,
        COMPLAINT_REPLY: 5,
      },
    },
  },
  sla: {
    serviceLevelThresholdSeconds: 20,
  },
};
