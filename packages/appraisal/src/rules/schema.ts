// The rules file as data: a strict zod schema (unknown settings are refused, so a typo in an
// operator's override cannot be silently ignored) plus cross-field checks.

import { z } from 'zod';
import {
  AREA_CLASSES,
  CUSTOMER_CLASSES,
  DIMENSIONS,
  LINEAR_KPI_IDS,
  NOTICE_TYPES,
  ROLES,
  SKILLS,
  WORK_ORDER_TYPES,
} from '../domain.ts';
import { staticSettings } from './static-defaults.ts';

const nonNeg = z.number().finite().nonnegative();
const positive = z.number().finite().positive();
const posInt = z.number().int().positive();
const nonNegInt = z.number().int().nonnegative();

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, 'not a calendar date');

const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'unknown IANA time zone');

/** a qualification id of the static appraisal's catalogue (the events' qualificationId pattern) */
const qualificationId = z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'expected a qualification id');

function exhaustive<K extends readonly [string, ...string[]], V extends z.ZodType>(keys: K, value: V) {
  return z.record(z.enum(keys), value);
}

export const linearKpiRuleSchema = z.strictObject({
  better: z.enum(['higher', 'lower']),
  floor: z.number().finite(),
  target: z.number().finite(),
  /** minimum denominator (sample) for the KPI to apply */
  minSample: nonNeg,
  /** weight inside its dimension (equal by default) */
  weight: nonNeg,
});
export type LinearKpiRule = z.infer<typeof linearKpiRuleSchema>;

const classDays = z.partialRecord(z.enum(CUSTOMER_CLASSES), nonNegInt);

/** Team KPI ids (docs/team-scorecards.md); team-card.ts re-exports them. */
export const TEAM_KPI_IDS = ['service_level', 'repair_commitment_rate', 'fee_collection_rate', 'meter_reading_rate', 'complaints_per_1000_contacts'] as const;

export const teamKpiScaleSchema = z.strictObject({
  better: z.enum(['higher', 'lower']),
  floor: z.number().finite(),
  target: z.number().finite(),
  /** below this denominator the KPI does not apply */
  minSample: nonNeg,
});

export const rulesSchema = z
  .strictObject({
    rulesVersion: z.string().min(1).max(128),
    /**
     * First local day this version is in force (README "Rules in force"): the first of a month, so
     * no DAY or MONTH period straddles two versions.
     */
    effectiveFrom: isoDate.refine((s) => s.endsWith('-01'), 'must be the first day of a month (YYYY-MM-01)'),
    timeZone,
    periods: z.strictObject({
      closeGraceMinutes: z.strictObject({ DAY: nonNegInt, MONTH: nonNegInt }),
      /** a task due further than this after its event is dead-lettered, and the scorer leaves periods further than this ahead of now alone */
      maxDueAheadDays: posInt,
    }),
    scoring: z.strictObject({
      /** decimals of every displayed score (KPI, dimension, composite); grading uses the shown composite */
      decimals: z.number().int().min(0).max(6),
      /** fewer non-null (positively weighted) dimensions than this => INSUFFICIENT_DATA */
      minDimensions: posInt,
    }),
    kpis: exhaustive(LINEAR_KPI_IDS, linearKpiRuleSchema),
    workload: z.strictObject({
      unitWeights: z.strictObject({
        contacts_handled: nonNeg,
        contacts_resolved: nonNeg,
        meter_readings: nonNeg,
        bills_issued: nonNeg,
        work_orders_completed: nonNeg,
        repairs_restored: nonNeg,
        callbacks_made: nonNeg,
        outage_notices: nonNeg,
      }),
      /** score = min(100, 100 × units / (referenceFactor × reference)) */
      referenceFactor: positive,
      /** same-role same-team active staff needed for a team reference, else company-wide */
      minTeamPeers: posInt,
    }),
    thresholds: z.strictObject({
      surveySatisfiedMinScore: z.number().min(1).max(5),
      repairSatisfiedMinScore: z.number().min(1).max(5),
      qualityPassMinScore: z.number().min(0).max(100),
      trainingPassPostScore: z.number().min(0).max(100),
    }),
    penalties: z.strictObject({
      satisfactionPerSubstantiatedGeneralComplaint: nonNeg,
      attendancePerLateShift: nonNeg,
    }),
    roleWeights: exhaustive(ROLES, exhaustive(DIMENSIONS, nonNeg)),
    grades: z.strictObject({ A: z.number(), B: z.number(), C: z.number() }),
    forcedDistribution: z.strictObject({
      maxAShare: z.number().min(0).max(1),
      minAQuota: nonNegInt,
      /**
       * what orders a team for its A quota (and its team rank): the composite, or each member's
       * percentile among the centre's graded members of the same role (docs/team-scorecards.md,
       * "Teams with several roles"). Optional, absent = composite: rules versions without it keep
       * their hash and so the ids of their cards.
       */
      rankBy: z.enum(['composite', 'rolePercentile']).optional(),
    }),
    /**
     * Team scorecards (docs/team-scorecards.md). Optional, absent = the page's defaults
     * (TEAM_DEFAULTS): rules versions without it keep their hash and so the ids of their cards.
     */
    teams: z
      .strictObject({
        /** scales of the team KPIs; a KPI not named keeps its default */
        kpis: z.partialRecord(z.enum(TEAM_KPI_IDS), teamKpiScaleSchema).optional(),
        /** percent of the team score taken from the team KPIs; 0 = the mean composite */
        teamKpiWeight: z.number().min(0).max(100).optional(),
      })
      .optional(),
    incentives: z.strictObject({
      bonusCoefficients: z.strictObject({
        A: nonNeg,
        B: nonNeg,
        C: nonNeg,
        D: nonNeg,
        /**
         * no grade (INSUFFICIENT_DATA) and no veto: not eligible, pay unadjusted (1.0, project
         * default). A number, never null: the eligibility contract's bonusCoefficient is a double.
         */
        INSUFFICIENT_DATA: nonNeg,
      }),
      veto: z.strictObject({
        substantiatedSeriousComplaint: z.boolean(),
        minAttendanceRate: z.number().min(0).max(1),
      }),
      serviceStarMinWorkloadScore: z.number().min(0).max(100),
      mostImprovedMinPoints: z.number(),
      mostImprovedGrades: z.array(z.enum(['A', 'B', 'C', 'D'])),
      teamHonourMinGraded: posInt,
      trainingBelowScore: z.number().min(0).max(100),
      trainingSkills: z.partialRecord(z.enum(DIMENSIONS), z.enum(SKILLS)),
      /** consecutive MONTH FINAL grades that require an improvement plan */
      improvementPlanGrade: z.enum(['A', 'B', 'C', 'D']),
    }),
    /** dynamic appraisal (docs/dynamic-appraisal.md) */
    trend: z.strictObject({
      /** months of the short window: mean3, slope3, MOST_IMPROVED when judged on the trend */
      shortMonths: z.number().int().min(2).max(12),
      /**
       * what MOST_IMPROVED is judged on: `month`, the one-month improvement (rules 2026.1, so that
       * no closed month re-scored after an upgrade moves its award), or `trend`, the fitted rise
       * over the short window (docs/dynamic-appraisal.md); a rules version switches it on from its
       * own effectiveFrom
       */
      mostImprovedOn: z.enum(['month', 'trend']),
      /** months of the long window: mean6, slope6; the scorer keeps this many months per member */
      longMonths: z.number().int().min(2).max(24),
      /** consecutive improvementPlanGrade months that require an improvement plan */
      improvementPlanAfter: posInt,
      /** how many months before the card's a passed course is measured */
      trainingGainMonths: posInt,
      /** the training gain (points) that scores 100 */
      trainingGainTargetPoints: positive,
    }),
    /**
     * static appraisal (docs/static-appraisal.md): optional, and so is each setting; the code
     * applies STATIC_DEFAULTS (static-profile.ts) where absent, so the defaults rules carry no
     * section and their hash (and every closed month's appraisal ids) stays as it was
     */
    static: z
      .strictObject({
        /** a required qualification expiring within this many days of the period end is `expiring` */
        expiringWithinDays: nonNegInt.optional(),
        /** a latest skill assessment below this is `belowScore` and recommends its skill */
        skillBelowScore: z.number().min(0).max(100).optional(),
        /** the qualification catalogue: id -> the skill a missing or expiring one recommends */
        qualifications: z.record(qualificationId, z.strictObject({ skill: z.enum(SKILLS) })).optional(),
        /** role -> the qualifications it requires (each in the catalogue) */
        requiredByRole: z.partialRecord(z.enum(ROLES), z.array(qualificationId)).optional(),
      })
      .optional(),
    calendar: z.strictObject({
      /** ISO weekday numbers, 1 = Monday … 7 = Sunday */
      workingWeekdays: z.array(z.number().int().min(1).max(7)),
      holidays: z.array(isoDate),
      makeUpWorkingDays: z.array(isoDate),
    }),
    commitments: z.strictObject({
      repairArrivalMinutes: exhaustive(AREA_CLASSES, positive),
      restorationMinutes: exhaustive(AREA_CLASSES, positive),
      outageNoticeLeadMinutes: exhaustive(NOTICE_TYPES, nonNeg),
      workOrderWorkingDays: z.strictObject({
        default: nonNegInt,
        byType: z.partialRecord(z.enum(WORK_ORDER_TYPES), z.union([nonNegInt, classDays])),
      }),
    }),
    sla: z.strictObject({
      serviceLevelThresholdSeconds: nonNeg,
    }),
  })
  .superRefine((r, ctx) => {
    if (r.trend.shortMonths > r.trend.longMonths) {
      ctx.addIssue({ code: 'custom', path: ['trend', 'shortMonths'], message: 'must not exceed trend.longMonths' });
    }
    if (r.trend.trainingGainMonths >= r.trend.longMonths) {
      ctx.addIssue({ code: 'custom', path: ['trend', 'trainingGainMonths'], message: 'must be below trend.longMonths (the months kept)' });
    }
    if (r.static !== undefined) {
      const st = staticSettings(r.static);
      for (const [role, ids] of Object.entries(st.requiredByRole)) {
        for (const id of ids ?? []) {
          if (!Object.hasOwn(st.qualifications, id)) {
            ctx.addIssue({ code: 'custom', path: ['static', 'requiredByRole', role], message: `${id} is not in static.qualifications` });
          }
        }
      }
    }
    for (const id of LINEAR_KPI_IDS) {
      const k = r.kpis[id];
      if (k.better === 'higher' && !(k.target > k.floor)) {
        ctx.addIssue({ code: 'custom', path: ['kpis', id, 'target'], message: 'must be above floor (higher is better)' });
      }
      if (k.better === 'lower' && !(k.target < k.floor)) {
        ctx.addIssue({ code: 'custom', path: ['kpis', id, 'target'], message: 'must be below floor (lower is better)' });
      }
    }
    for (const [id, k] of Object.entries(r.teams?.kpis ?? {})) {
      if (k === undefined) continue;
      if (k.better === 'higher' ? !(k.target > k.floor) : !(k.target < k.floor)) {
        ctx.addIssue({ code: 'custom', path: ['teams', 'kpis', id, 'target'], message: `must be ${k.better === 'higher' ? 'above' : 'below'} floor (${k.better} is better)` });
      }
    }
    if (!(r.grades.A > r.grades.B && r.grades.B > r.grades.C)) {
      ctx.addIssue({ code: 'custom', path: ['grades'], message: 'expected A > B > C' });
    }
    for (const role of ROLES) {
      const w = r.roleWeights[role];
      if (!DIMENSIONS.some((d) => w[d] > 0)) {
        ctx.addIssue({ code: 'custom', path: ['roleWeights', role], message: 'needs at least one positive weight' });
      }
    }
  });

export type Rules = z.infer<typeof rulesSchema>;
