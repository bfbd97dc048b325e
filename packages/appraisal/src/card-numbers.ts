// A scorecard's numbers in one fixed order, for hashing its content (the scorer's change detection).

import { DIMENSIONS, REPORTED_MEASURE_IDS, SCORED_KPI_IDS } from './domain.ts';
import type { KpiResult } from './kernel.ts';
import type { Scorecard } from './scorecard.ts';

/** How many numbers cardNumbers writes. */
export const CARD_NUMBERS = (SCORED_KPI_IDS.length + REPORTED_MEASURE_IDS.length) * 4 + DIMENSIONS.length + 3;

/**
 * Writes into out[0 .. CARD_NUMBERS): value, numerator, denominator and score of every KPI and
 * reported measure (SCORED_KPI_IDS then REPORTED_MEASURE_IDS order), the dimensions (DIMENSIONS
 * order), composite, teamRank and teamSize; null as NaN (no card number is NaN), -0 as 0.
 * Unrolled into named loads: the cards share one object shape, where a loop over the KPI ids
 * would make a megamorphic keyed load per KPI (~2x slower over 100k cards).
 */
export function cardNumbers(card: Pick<Scorecard, 'kpis' | 'dimensions' | 'composite' | 'teamRank' | 'teamSize'>, out: Float64Array): void {
  const k = card.kpis;
  putKpi(out, 0, k.workload_units);
  putKpi(out, 4, k.avg_handle_seconds);
  putKpi(out, 8, k.callback_on_time_rate);
  putKpi(out, 12, k.work_order_on_time_rate);
  putKpi(out, 16, k.restoration_on_time_rate);
  putKpi(out, 20, k.outage_notice_on_time_rate);
  putKpi(out, 24, k.first_contact_resolution);
  putKpi(out, 28, k.meter_reading_accuracy);
  putKpi(out, 32, k.billing_accuracy);
  putKpi(out, 36, k.work_order_right_first_time);
  putKpi(out, 40, k.quality_score);
  putKpi(out, 44, k.customer_satisfaction);
  putKpi(out, 48, k.repair_satisfaction);
  putKpi(out, 52, k.feedback_360);
  putKpi(out, 56, k.meter_reading_rate);
  putKpi(out, 60, k.fee_collection_rate);
  putKpi(out, 64, k.repair_commitment_rate);
  putKpi(out, 68, k.callback_rate);
  putKpi(out, 72, k.attendance_rate);
  putKpi(out, 76, k.supervisor_rating);
  putKpi(out, 80, k.contacts_handled);
  putKpi(out, 84, k.problems_solved);
  putKpi(out, 88, k.questions_answered);
  putKpi(out, 92, k.meter_readings);
  putKpi(out, 96, k.work_orders_completed);
  putKpi(out, 100, k.repairs_restored);
  putKpi(out, 104, k.callbacks_made);
  putKpi(out, 108, k.quality_pass_rate);
  putKpi(out, 112, k.violations);
  putKpi(out, 116, k.complaints_general);
  putKpi(out, 120, k.complaints_serious);
  putKpi(out, 124, k.complaints_general_substantiated);
  putKpi(out, 128, k.complaints_serious_substantiated);
  putKpi(out, 132, k.training_completed);
  putKpi(out, 136, k.training_gain);
  putKpi(out, 140, k.improvement);
  const d = card.dimensions;
  out[144] = num(d.workload);
  out[145] = num(d.timeliness);
  out[146] = num(d.accuracy);
  out[147] = num(d.standardisation);
  out[148] = num(d.satisfaction);
  out[149] = num(d.taskCompletion);
  out[150] = num(d.conduct);
  out[151] = num(card.composite);
  out[152] = num(card.teamRank);
  out[153] = num(card.teamSize);
}

function num(v: number | null): number {
  return v === null ? NaN : v === 0 ? 0 : v;
}

function putKpi(out: Float64Array, i: number, k: KpiResult): void {
  out[i] = num(k.value);
  out[i + 1] = num(k.numerator);
  out[i + 2] = num(k.denominator);
  out[i + 3] = num(k.score);
}

const UNROLLED_KPI_ORDER = 'workload_units,avg_handle_seconds,callback_on_time_rate,work_order_on_time_rate,restoration_on_time_rate,outage_notice_on_time_rate,first_contact_resolution,meter_reading_accuracy,billing_accuracy,work_order_right_first_time,quality_score,customer_satisfaction,repair_satisfaction,feedback_360,meter_reading_rate,fee_collection_rate,repair_commitment_rate,callback_rate,attendance_rate,supervisor_rating,contacts_handled,problems_solved,questions_answered,meter_readings,work_orders_completed,repairs_restored,callbacks_made,quality_pass_rate,violations,complaints_general,complaints_serious,complaints_general_substantiated,complaints_serious_substantiated,training_completed,training_gain,improvement';
const UNROLLED_DIMENSION_ORDER = 'workload,timeliness,accuracy,standardisation,satisfaction,taskCompletion,conduct';
if (
  [...SCORED_KPI_IDS, ...REPORTED_MEASURE_IDS].join(',') !== UNROLLED_KPI_ORDER ||
  DIMENSIONS.join(',') !== UNROLLED_DIMENSION_ORDER ||
  CARD_NUMBERS !== 154
) {
  throw new Error('card-numbers.ts: cardNumbers is unrolled for another KPI/dimension order; update it');
}
