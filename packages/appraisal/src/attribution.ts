// Events -> counter increments per staff member (and queue/area-level SLA observations).
// Cohort counters (⏱) are bucketed by the task's dueAt; everything else by occurredAt.
// Pure: the aggregator maps `at` to period buckets and applies the increments.

import {
  outageNoticeLeadMs,
  repairArrivalCommitmentMs,
  restorationTargetMs,
  serviceLevelThresholdSeconds,
  workOrderDeadline,
} from './calendar.ts';
import type { CounterName } from './counters.ts';
import { trainedOkCounter } from './counters.ts';
import type { AreaClass, CustomerClass, NoticeType, WorkOrderType } from './domain.ts';
import type { AttributableEvent } from './events.ts';
import type { Rules } from './rules/schema.ts';

export interface Increment {
  staffId: string;
  /** epoch ms that picks the bucket: occurredAt, or dueAt for cohort counters */
  at: number;
  counter: CounterName;
  by: number;
}

export type SlaObservation =
  | { measure: 'call_answered'; queue: string; waitSeconds: number; withinThreshold: boolean }
  | { measure: 'call_abandoned'; queue: string; waitSeconds: number; withinThreshold: boolean }
  | { measure: 'repair_arrival'; areaClass: AreaClass; minutes: number; within: boolean }
  | { measure: 'restoration'; areaClass: AreaClass; minutes: number; within: boolean }
  | { measure: 'work_order_late'; type: WorkOrderType; lateMinutes: number }
  | { measure: 'callback_late'; lateMinutes: number }
  | { measure: 'outage_notice'; noticeType: NoticeType; onTime: boolean };

/** Anything with a `kind`; kinds this engine does not count (e.g. StaffProfile) give nothing. */
type AnyEvent = AttributableEvent | { kind: string };

function isKnown(e: AnyEvent): e is AttributableEvent {
  return KNOWN_KINDS.has(e.kind);
}

const KNOWN_KINDS: ReadonlySet<string> = new Set<AttributableEvent['kind']>([
  'CallAnswered',
  'CallAbandoned',
  'ContactCompleted',
  'SurveyAnswered',
  'QualityInspected',
  'CallbackAssigned',
  'CallbackCompleted',
  'ComplaintAgainstStaff',
  'MeterReadingAssigned',
  'MeterReadingCompleted',
  'BillIssued',
  'PaymentReceived',
  'BillCorrected',
  'WorkOrderAccepted',
  'WorkOrderCompleted',
  'RepairArrived',
  'RepairRestored',
  'RepairFeedback',
  'OutageNoticePublished',
  'ShiftAttended',
  'SupervisorRated',
  'FeedbackGiven',
  'TrainingCompleted',
]);

/** dueAt of a work order: as carried, else derived from the commitment table. */
export function workOrderDueAt(
  e: { type: WorkOrderType; customerClass: CustomerClass; dueAt?: number | null },
  acceptedAt: number,
  rules: Rules,
): number {
  return e.dueAt ?? workOrderDeadline(e.type, e.customerClass, acceptedAt, rules);
}

function crew(ids: readonly string[]): string[] {
  return ids.length < 2 ? [...ids] : [...new Set(ids)];
}

/** A crew's task: each member (once) counts `counter`, and `metCounter` too when the target was met. */
function addForCrew(out: Increment[], ids: readonly string[], at: number, counter: CounterName, metCounter: CounterName, met: boolean): void {
  for (const s of crew(ids)) {
    add(out, s, at, counter);
    if (met) add(out, s, at, metCounter);
  }
}

/** Counter increments for one event (zero increments are left out). */
export function attribute(event: AnyEvent, rules: Rules): Increment[] {
  if (!isKnown(event)) return [];
  const out: Increment[] = [];
  const e = event;
  const t = e.occurredAt;
  switch (e.kind) {
    case 'CallAnswered':
    case 'CallAbandoned':
      break; // SLA only; a handled contact counts on ContactCompleted
    case 'ContactCompleted': {
      add(out, e.staffId, t, 'contacts_handled');
      add(out, e.staffId, t, 'handle_seconds', e.talkSeconds + e.holdSeconds + e.wrapSeconds);
      if (e.resolution === 'RESOLVED') {
        add(out, e.staffId, t, 'contacts_resolved');
        if (e.category === 'INQUIRY') add(out, e.staffId, t, 'inquiries_resolved');
      }
      break;
    }
    case 'SurveyAnswered':
      add(out, e.staffId, t, 'surveys');
      if (e.score >= rules.thresholds.surveySatisfiedMinScore) add(out, e.staffId, t, 'surveys_satisfied');
      break;
    case 'QualityInspected':
      add(out, e.staffId, t, 'quality_inspections');
      add(out, e.staffId, t, 'quality_score_sum', e.score);
      if (e.score >= rules.thresholds.qualityPassMinScore) add(out, e.staffId, t, 'quality_passed');
      add(out, e.staffId, t, 'violations', e.violations.length);
      break;
    case 'CallbackAssigned':
      add(out, e.staffId, e.dueAt, 'callbacks_due');
      break;
    case 'CallbackCompleted':
      add(out, e.staffId, e.dueAt, 'callbacks_due_completed');
      if (t <= e.dueAt) add(out, e.staffId, e.dueAt, 'callbacks_due_on_time');
      add(out, e.staffId, t, 'callbacks_made');
      break;
    case 'ComplaintAgainstStaff':
      if (e.severity === 'SERIOUS') {
        add(out, e.staffId, t, 'complaints_serious');
        if (e.substantiated) add(out, e.staffId, t, 'complaints_serious_substantiated');
      } else {
        add(out, e.staffId, t, 'complaints_general');
        if (e.substantiated) add(out, e.staffId, t, 'complaints_general_substantiated');
      }
      break;
    case 'MeterReadingAssigned':
      add(out, e.staffId, e.dueAt, 'readings_due');
      break;
    case 'MeterReadingCompleted':
      add(out, e.staffId, t, 'meter_readings');
      if (t <= e.dueAt) add(out, e.staffId, e.dueAt, 'readings_due_on_time');
      break;
    case 'BillIssued':
      add(out, e.staffId, t, 'bills_issued');
      add(out, e.staffId, e.dueAt, 'bills_due');
      add(out, e.staffId, e.dueAt, 'amount_due_cents', e.amountDueCents);
      break;
    case 'PaymentReceived':
      if (t <= e.dueAt) add(out, e.staffId, e.dueAt, 'amount_paid_on_time_cents', e.amountCents);
      break;
    case 'BillCorrected':
      add(out, e.staffId, t, e.reason === 'READING_ERROR' ? 'reading_errors' : 'billing_errors');
      break;
    case 'WorkOrderAccepted':
      add(out, e.staffId, workOrderDueAt(e, t, rules), 'work_orders_due');
      break;
    case 'WorkOrderCompleted': {
      const due = workOrderDueAt(e, e.acceptedAt, rules);
      add(out, e.staffId, t, 'work_orders_completed');
      if (t <= due) add(out, e.staffId, due, 'work_orders_due_on_time');
      if (e.reworked) add(out, e.staffId, t, 'work_orders_reworked');
      break;
    }
    case 'RepairArrived':
      addForCrew(out, e.crewStaffIds, t, 'repair_arrivals', 'repair_arrivals_within', t - e.reportedAt <= repairArrivalCommitmentMs(e.areaClass, rules));
      break;
    case 'RepairRestored':
      addForCrew(out, e.crewStaffIds, t, 'repairs_restored', 'restorations_within', t - e.arrivedAt <= restorationTargetMs(e.areaClass, rules));
      break;
    case 'RepairFeedback':
      addForCrew(out, e.crewStaffIds, t, 'repair_ratings', 'repair_ratings_satisfied', e.score >= rules.thresholds.repairSatisfiedMinScore);
      break;
    case 'OutageNoticePublished':
      add(out, e.staffId, t, 'outage_notices');
      if (e.outageStartsAt - t >= outageNoticeLeadMs(e.noticeType, rules)) {
        add(out, e.staffId, t, 'outage_notices_on_time');
      }
      break;
    case 'ShiftAttended':
      add(out, e.staffId, t, 'shifts');
      add(out, e.staffId, t, 'scheduled_minutes', e.scheduledMinutes);
      add(out, e.staffId, t, 'attended_minutes', e.attendedMinutes);
      if (e.late) add(out, e.staffId, t, 'late_shifts');
      break;
    case 'SupervisorRated':
      add(out, e.staffId, t, 'supervisor_ratings');
      add(out, e.staffId, t, 'supervisor_score_sum', e.score);
      break;
    case 'FeedbackGiven':
      add(out, e.staffId, t, 'feedback_ratings');
      add(out, e.staffId, t, 'feedback_score_sum', e.score);
      break;
    case 'TrainingCompleted':
      add(out, e.staffId, t, 'training_completed');
      add(out, e.staffId, t, 'training_gain_sum', e.postScore - e.preScore);
      if (e.postScore >= rules.thresholds.trainingPassPostScore) {
        add(out, e.staffId, t, trainedOkCounter(e.skill));
      }
      break;
    case 'SkillAssessed':
    case 'QualificationGranted':
    case 'QualificationRevoked':
      // Static appraisal (docs/static-appraisal.md): no counters; the member's static records
      // make the card's profile as of its period's end.
      break;
    default: {
      const never: never = e;
      void never;
    }
  }
  return out;
}

// Module-level rather than a closure in attribute(): tsx (esbuild keepNames) would name a new
// closure on every call, which costs more than the increments themselves.
function add(out: Increment[], staffId: string, at: number, counter: CounterName, by = 1): void {
  if (by !== 0) out.push({ staffId, at, counter, by });
}

const minutes = (ms: number): number => ms / 60_000;

/** A repair crew's arrival or restoration: how long it took against its target. */
function repairTiming(measure: 'repair_arrival' | 'restoration', areaClass: AreaClass, tookMs: number, targetMs: number): SlaObservation {
  return { measure, areaClass, minutes: minutes(tookMs), within: tookMs <= targetMs };
}

/** Queue / area-level observations for the SLA metrics behind alerts. */
export function slaObservations(event: AnyEvent, rules: Rules): SlaObservation[] {
  if (!isKnown(event)) return [];
  const e = event;
  switch (e.kind) {
    case 'CallAnswered':
    case 'CallAbandoned': {
      const within = e.waitSeconds <= serviceLevelThresholdSeconds(rules);
      return [
        {
          measure: e.kind === 'CallAnswered' ? 'call_answered' : 'call_abandoned',
          queue: e.queue,
          waitSeconds: e.waitSeconds,
          withinThreshold: within,
        },
      ];
    }
    case 'RepairArrived':
      return [repairTiming('repair_arrival', e.areaClass, e.occurredAt - e.reportedAt, repairArrivalCommitmentMs(e.areaClass, rules))];
    case 'RepairRestored':
      return [repairTiming('restoration', e.areaClass, e.occurredAt - e.arrivedAt, restorationTargetMs(e.areaClass, rules))];
    case 'WorkOrderCompleted': {
      const due = workOrderDueAt(e, e.acceptedAt, rules);
      return e.occurredAt > due
        ? [{ measure: 'work_order_late', type: e.type, lateMinutes: minutes(e.occurredAt - due) }]
        : [];
    }
    case 'CallbackCompleted':
      return e.occurredAt > e.dueAt
        ? [{ measure: 'callback_late', lateMinutes: minutes(e.occurredAt - e.dueAt) }]
        : [];
    case 'OutageNoticePublished':
      return [
        {
          measure: 'outage_notice',
          noticeType: e.noticeType,
          onTime: e.outageStartsAt - e.occurredAt >= outageNoticeLeadMs(e.noticeType, rules),
        },
      ];
    default:
      return [];
  }
}
