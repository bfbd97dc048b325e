// Corrections and appeals (issue #16 item 3): what one correction did to one staff member's
// period, as the scorer lists it on the card (`reasons`) and `cs-appraisal explain` prints it.
// The aggregator writes these notes (one per correction, staff member and period it touched); the
// engine applies the ADJUSTMENT ones after the KPIs/dimensions are computed. Pure data, no I/O.

export const CORRECTION_KINDS = ['COMPLAINT_RULING', 'ABSENCE_EXCUSED', 'EVENT_VOIDED', 'ADJUSTMENT', 'RULES_ADOPTED'] as const;
export type CorrectionKind = (typeof CORRECTION_KINDS)[number];

/** A supervisor's adjustment: a KPI value (0..1 ratio or its own unit) or a dimension score (0..100). */
export interface Adjustment {
  target: 'KPI' | 'DIMENSION';
  /** a KPI id (LINEAR_KPI_IDS / KPI ids) or a dimension id (DIMENSIONS) */
  id: string;
  /** VALUE replaces the computed value; DELTA adds to it (then clamped where the model clamps) */
  mode: 'VALUE' | 'DELTA';
  amount: number;
}

export interface CorrectionNote {
  correctionId: string;
  kind: CorrectionKind;
  staffId: string;
  /** the period the note belongs to (DAY:… or MONTH:…) */
  periodId: string;
  reason: string;
  requestedBy: string;
  approvedBy: string;
  /** when the correction was made (its occurredAt, epoch ms) */
  at: number;
  /** what it did, for people: e.g. "complaint CMP-7 OVERTURNED: complaints_serious_substantiated -1" */
  detail: string;
  /** ADJUSTMENT only */
  adjustment?: Adjustment;
  /** RULES_ADOPTED only: the adopted rules, a complete rules object as JSON (adoption.ts) */
  rules?: string;
}

/**
 * The staffId of a period-wide note (RULES_ADOPTED): it belongs to every card of its period.
 * The same value as @cs/contracts' PERIOD_WIDE, the correction's staffId.
 */
export const PERIOD_WIDE = '*';

/** A member's notes: their own and the period-wide ones (unordered; memberCorrections orders them). */
export function memberNotes(corrections: ReadonlyMap<string, readonly CorrectionNote[]> | undefined, staffId: string): readonly CorrectionNote[] | undefined {
  const own = corrections?.get(staffId);
  const all = corrections?.get(PERIOD_WIDE);
  if (all === undefined || all.length === 0) return own;
  return own === undefined ? all : [...own, ...all];
}

/** Notes in the order they apply: by time, then correctionId. */
export function orderNotes<T extends Pick<CorrectionNote, 'at' | 'correctionId'>>(notes: T[]): T[] {
  return notes.sort((a, b) => a.at - b.at || (a.correctionId < b.correctionId ? -1 : a.correctionId > b.correctionId ? 1 : 0));
}
