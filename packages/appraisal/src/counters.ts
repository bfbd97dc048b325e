// The counter vocabulary: one flat map of integer counters per staff member per period bucket.
// The aggregator keeps them as Redis hash fields, so the names are snake_case and stable.
// ⏱ = cohort counter: bucketed by the task's dueAt, not by occurredAt (see attribution.ts).

import type { Skill } from './domain.ts';

export const COUNTER_NAMES = [
  // contacts
  'contacts_handled',
  'handle_seconds', // Σ talk + hold + wrap
  'contacts_resolved',
  'inquiries_resolved',
  // surveys
  'surveys',
  'surveys_satisfied', // score >= rules thresholds.surveySatisfiedMinScore (4 by default)
  // quality
  'quality_inspections',
  'quality_score_sum',
  'quality_passed', // score >= rules thresholds.qualityPassMinScore (85 by default)
  'violations',
  // callbacks
  'callbacks_due', // ⏱ CallbackAssigned
  'callbacks_due_on_time', // ⏱ CallbackCompleted with occurredAt <= dueAt
  'callbacks_due_completed', // ⏱ any CallbackCompleted
  'callbacks_made', // by occurredAt
  // complaints
  'complaints_general',
  'complaints_serious',
  'complaints_general_substantiated',
  'complaints_serious_substantiated',
  // meter reading
  'readings_due', // ⏱
  'readings_due_on_time', // ⏱
  'meter_readings', // by occurredAt
  'reading_errors', // BillCorrected READING_ERROR
  // billing and collection
  'bills_issued', // by occurredAt
  'billing_errors', // BillCorrected, other reasons
  'bills_due', // ⏱ BillIssued (min sample of fee collection)
  'amount_due_cents', // ⏱
  'amount_paid_on_time_cents', // ⏱ PaymentReceived with occurredAt <= dueAt
  // work orders
  'work_orders_due', // ⏱
  'work_orders_due_on_time', // ⏱
  'work_orders_completed', // by occurredAt
  'work_orders_reworked',
  // repair
  'repair_arrivals',
  'repair_arrivals_within',
  'repairs_restored',
  'restorations_within',
  'repair_ratings',
  'repair_ratings_satisfied',
  // outage notices
  'outage_notices',
  'outage_notices_on_time',
  // workforce
  'shifts',
  'late_shifts',
  'scheduled_minutes',
  'attended_minutes',
  'supervisor_ratings',
  'supervisor_score_sum',
  'feedback_ratings',
  'feedback_score_sum',
  'training_completed',
  'training_gain_sum',
  'trained_ok_SERVICE_ETIQUETTE',
  'trained_ok_BUSINESS_KNOWLEDGE',
  'trained_ok_PROCESS_EFFICIENCY',
  'trained_ok_COMMUNICATION',
  'trained_ok_SAFETY',
  'trained_ok_TECHNICAL',
] as const;

export type CounterName = (typeof COUNTER_NAMES)[number];
export type Counters = Partial<Record<CounterName, number>>;

const COUNTER_SET: ReadonlySet<string> = new Set(COUNTER_NAMES);

export function isCounterName(name: string): name is CounterName {
  return COUNTER_SET.has(name);
}

const TRAINED_OK: Readonly<Record<Skill, CounterName>> = {
  SERVICE_ETIQUETTE: 'trained_ok_SERVICE_ETIQUETTE',
  BUSINESS_KNOWLEDGE: 'trained_ok_BUSINESS_KNOWLEDGE',
  PROCESS_EFFICIENCY: 'trained_ok_PROCESS_EFFICIENCY',
  COMMUNICATION: 'trained_ok_COMMUNICATION',
  SAFETY: 'trained_ok_SAFETY',
  TECHNICAL: 'trained_ok_TECHNICAL',
};

/** The per-skill counter: a course for that skill completed with postScore >= rules thresholds.trainingPassPostScore (80 by default). */
export function trainedOkCounter(skill: Skill): CounterName {
  return TRAINED_OK[skill];
}

// Compile-time check that every skill has its trained_ok_ counter.
const _everySkillHasCounter: `trained_ok_${Skill}` extends CounterName ? true : never = true;
void _everySkillHasCounter;

/** Reads a counter, 0 when absent. */
export function get(c: Counters, name: CounterName): number {
  return c[name] ?? 0;
}

/** Adds b into a copy of a (used by tests and callers that merge buckets). */
export function addCounters(a: Counters, b: Counters): Counters {
  const out: Counters = { ...a };
  for (const k in b) {
    const name = k as CounterName;
    out[name] = (out[name] ?? 0) + (b[name] ?? 0);
  }
  return out;
}
