// The payroll export of one month (pure): one row per staff member from the latest scorecard and
// eligibility record of that month, as RFC 4180 CSV, with the row count and a SHA-256 of the bytes.
import { createHash } from 'node:crypto';
import { closeAtMs, type Period, type Rules } from '@cs/appraisal';
import type { Eligibility, Scorecard } from '@cs/contracts';
import type { Published } from '@cs/contracts/latest-records';

export const PAYROLL_COLUMNS = ['staff', 'team', 'role', 'grade', 'coefficient', 'awards', 'veto', 'status', 'revision', 'reasons', 'adjustment'] as const;

const HOUR = 3_600_000;

/**
 * The default payroll cut-off of a month: its close (end + the rules' MONTH close grace, when
 * the FINAL is published) plus `hoursAfterClose` for payroll to take the file in. A record
 * computed or published after it is an adjustment for the next pay run.
 */
export function defaultCutoffMs(period: Pick<Period, 'kind' | 'endMs'>, rules: Pick<Rules, 'periods'>, hoursAfterClose: number): number {
  return closeAtMs(period, rules) + hoursAfterClose * HOUR;
}

export interface PayrollExport {
  csv: string;
  rows: number;
  adjustments: number;
  /** staff whose latest card is still PROVISIONAL: not payroll's yet, left out */
  provisional: number;
  /** lower-case hex SHA-256 of the UTF-8 bytes of `csv` */
  sha256: string;
}

/** One CSV field (RFC 4180): quoted when it holds a comma, a quote, CR or LF; quotes doubled. */
export function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

/** Records (RFC 4180): fields joined by commas, every line ended by CRLF. */
export function toCsv(rows: readonly (readonly string[])[]): string {
  return rows.map((r) => `${r.map(csvField).join(',')}\r\n`).join('');
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

const joined = (v: readonly string[] | undefined) => (v ?? []).join(';');

/** The card's reasons (appraisal v3), in the order they apply: "<correctionId> <kind>: <reason> (requested <a>, approved <b>)" joined with "; ". */
export function reasonsText(reasons: Scorecard['reasons'] | undefined): string {
  return (reasons ?? []).map((r) => `${r.correctionId} ${r.kind}: ${r.reason} (requested ${r.requestedBy}, approved ${r.approvedBy})`).join('; ');
}
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The export from the latest card and eligibility record of each staff member of the month
 * (latest-records.ts picks them). Only FINAL and REVISED cards are payroll's. `adjustment` is
 * `yes` when the card was computed, or its eligibility published, after the cut-off. `reasons`
 * lists the card's corrections (reasonsText; empty for a card without any, and for v1/v2 records).
 */
export function payrollExport(cards: readonly Published<Scorecard>[], eligibility: readonly Published<Eligibility>[], cutoffMs: number): PayrollExport {
  const eligibilityOf = new Map(eligibility.map((e) => [e.record.staffId, e]));
  const payable = cards.filter((c) => c.record.status !== 'PROVISIONAL').sort((a, b) => cmp(a.record.teamId, b.record.teamId) || cmp(a.record.staffId, b.record.staffId));
  let adjustments = 0;
  const rows = payable.map(({ record: c }) => {
    const e = eligibilityOf.get(c.staffId);
    const late = Date.parse(c.computedAt) > cutoffMs || (e !== undefined && e.timestamp > cutoffMs);
    if (late) adjustments++;
    return [
      c.staffId, c.teamId, c.role, c.grade, e === undefined ? '' : String(e.record.bonusCoefficient), joined(e?.record.awards), joined(e?.record.vetoReasons),
      c.status, String(c.revision), reasonsText(c.reasons), late ? 'yes' : 'no',
    ];
  });
  const csv = toCsv([PAYROLL_COLUMNS, ...rows]);
  return { csv, rows: rows.length, adjustments, provisional: cards.length - payable.length, sha256: sha256Hex(csv) };
}
