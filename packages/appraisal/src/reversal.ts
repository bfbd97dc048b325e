// What a correction does to the counters (issue #16 item 3). Pure: the aggregator reads the
// target's recorded effect from Redis, asks here what to change, and applies the answer.
//
//   EVENT_VOIDED                 every increment of the target, negated
//   COMPLAINT_RULING OVERTURNED  the finding goes, the complaint stays: the *_substantiated
//                                increments of a ComplaintAgainstStaff, negated (lifts a
//                                SERIOUS-complaint veto); void it to remove the complaint itself
//   COMPLAINT_RULING UPHELD      no counter; a note only
//   ABSENCE_EXCUSED              a ShiftAttended counts as fully attended and on time:
//                                attended_minutes += scheduled - attended, late_shifts -1 if late
//   ADJUSTMENT                   no counter; a note the scorer applies (see corrections.ts)

import type { CorrectionKind } from './corrections.ts';
import { DIMENSIONS, SCORED_KPI_IDS } from './domain.ts';

/** One increment the target event made, as recorded: its DAY bucket (the MONTH follows from it). */
export interface RecordedIncrement {
  staffId: string;
  /** 'DAY:YYYY-MM-DD' */
  day: string;
  counter: string;
  by: number;
}

/** A counted event's effect, as the aggregator keeps it (keyed by eventId). */
export interface RecordedEffect {
  eventKind: string;
  increments: RecordedIncrement[];
}

/** The fields of a Correction this needs (the @cs/contracts record, validated). */
export interface CorrectionInput {
  correctionId: string;
  kind: CorrectionKind;
  staffId: string;
  targetEventId?: string | null;
  ruling?: 'UPHELD' | 'OVERTURNED' | null;
  adjustment?: { target: 'KPI' | 'DIMENSION'; id: string; mode: 'VALUE' | 'DELTA'; amount: number } | null;
}

export type ReversalRefusal = { code: 'CS_VALIDATION_CORRECTION_WRONG_TARGET'; message: string };

export interface Reversal {
  /** Counter changes, each in the target increment's DAY bucket (and its MONTH). */
  increments: RecordedIncrement[];
  /** Staff member -> the DAY buckets of the target it touches (where the notes go, with their MONTHs). */
  touched: Map<string, Set<string>>;
  /** Per staff member, for people: e.g. "complaint E-7 OVERTURNED: complaints_serious_substantiated -1". */
  detail: Map<string, string>;
  /** False for a note-only ruling (UPHELD): nothing reversed, so no once-only marker. */
  reverses: boolean;
}

const SUBSTANTIATED = new Set(['complaints_serious_substantiated', 'complaints_general_substantiated']);

/** The counter change a correction of `target` makes, or why it does not apply to that target. */
export function reversalOf(c: CorrectionInput, target: RecordedEffect): Reversal | ReversalRefusal {
  const staffOf = new Set(target.increments.map((i) => i.staffId));
  if (!staffOf.has(c.staffId)) {
    return { code: 'CS_VALIDATION_CORRECTION_WRONG_TARGET', message: `target ${c.targetEventId} (${target.eventKind}) did not count for staff ${c.staffId}` };
  }
  let increments: RecordedIncrement[];
  let label: string;
  switch (c.kind) {
    case 'EVENT_VOIDED':
      increments = target.increments.map((i) => ({ ...i, by: -i.by }));
      label = `${target.eventKind} ${c.targetEventId} VOIDED`;
      break;
    case 'COMPLAINT_RULING':
      if (target.eventKind !== 'ComplaintAgainstStaff') return wrongKind(c, target, 'ComplaintAgainstStaff');
      increments = c.ruling === 'OVERTURNED' ? target.increments.filter((i) => SUBSTANTIATED.has(i.counter)).map((i) => ({ ...i, by: -i.by })) : [];
      label = `complaint ${c.targetEventId} ${c.ruling}`;
      break;
    case 'ABSENCE_EXCUSED': {
      if (target.eventKind !== 'ShiftAttended') return wrongKind(c, target, 'ShiftAttended');
      const get = (counter: string) => target.increments.find((i) => i.counter === counter);
      const scheduled = get('scheduled_minutes');
      const missing = (scheduled?.by ?? 0) - (get('attended_minutes')?.by ?? 0);
      increments = [];
      if (scheduled && missing > 0) increments.push({ staffId: scheduled.staffId, day: scheduled.day, counter: 'attended_minutes', by: missing });
      const late = get('late_shifts');
      if (late) increments.push({ ...late, by: -late.by });
      label = `shift ${c.targetEventId} ABSENCE_EXCUSED`;
      break;
    }
    case 'ADJUSTMENT':
    case 'RULES_ADOPTED':
      return { code: 'CS_VALIDATION_CORRECTION_WRONG_TARGET', message: `an ${c.kind} has no target event` };
  }
  const touched = new Map<string, Set<string>>();
  // Everyone the change reaches; a note-only ruling reaches the staff member named.
  const reach = increments.length > 0 ? increments : target.increments.filter((i) => i.staffId === c.staffId);
  for (const i of reach) {
    let days = touched.get(i.staffId);
    if (!days) touched.set(i.staffId, (days = new Set()));
    days.add(i.day);
  }
  const detail = new Map<string, string>();
  for (const staffId of touched.keys()) {
    const mine = increments.filter((i) => i.staffId === staffId);
    detail.set(staffId, `${label}: ${mine.length > 0 ? mine.map((i) => `${i.counter} ${i.by > 0 ? '+' : ''}${i.by}`).join(', ') : 'no counter change'}`);
  }
  return { increments, touched, detail, reverses: c.kind !== 'COMPLAINT_RULING' || c.ruling === 'OVERTURNED' };
}

function wrongKind(c: CorrectionInput, target: RecordedEffect, needs: string): ReversalRefusal {
  return { code: 'CS_VALIDATION_CORRECTION_WRONG_TARGET', message: `${c.kind} applies to a ${needs}; target ${c.targetEventId} is a ${target.eventKind}` };
}

const KPI_IDS: ReadonlySet<string> = new Set(SCORED_KPI_IDS);
const DIMENSION_IDS: ReadonlySet<string> = new Set(DIMENSIONS);

/** What the appraisal model says about an ADJUSTMENT's target id (the contracts check its shape): null when fine. */
export function adjustmentProblem(a: NonNullable<CorrectionInput['adjustment']>): string | null {
  if (a.target === 'KPI' && !KPI_IDS.has(a.id)) return `adjustment.id: ${JSON.stringify(a.id)} is not a scored KPI id (${[...KPI_IDS].join(', ')})`;
  if (a.target === 'DIMENSION' && !DIMENSION_IDS.has(a.id)) return `adjustment.id: ${JSON.stringify(a.id)} is not a dimension id (${[...DIMENSION_IDS].join(', ')})`;
  return null;
}

/** 'DAY:2026-10-05' -> 'MONTH:2026-10'. */
export function monthOfDay(day: string): string {
  return `MONTH:${day.slice(4, 11)}`;
}

/** Text of an adjustment, for its note: "KPI attendance_rate VALUE 0.95". */
export function adjustmentDetail(a: NonNullable<CorrectionInput['adjustment']>): string {
  return `${a.target} ${a.id} ${a.mode} ${a.mode === 'DELTA' && a.amount > 0 ? '+' : ''}${a.amount}`;
}
