// Message keys of the two output topics (cs.appraisal.v1, cs.incentive-eligibility.v1). Both are
// compacted, so the key decides what stays: one key per staff-period keeps the latest record of
// every period (a key of staffId alone would keep only the staff member's newest period), and
// keeps the records of one staff-period in one partition, in order. Consumers that grouped by
// key = staffId read the record's staffId field instead.

/** The period id the project writes: `MONTH:YYYY-MM` or `DAY:YYYY-MM-DD` (as @cs/appraisal's Period.id). */
export function periodIdOfRecord(period: { kind: string; start: string }): string {
  return period.kind === 'DAY' ? `DAY:${period.start}` : `MONTH:${period.start.slice(0, 7)}`;
}

/**
 * `<staffId>|<periodId>`, e.g. `S001|MONTH:2026-09`. A staff id never holds `|`
 * (STAFF_ID_PATTERN), so the key splits back unambiguously at its first `|`.
 */
export function outputKey(staffId: string, periodId: string): string {
  return `${staffId}|${periodId}`;
}

/** The key of a published scorecard or eligibility record. */
export function outputKeyOf(record: { staffId: string; period: { kind: string; start: string } }): string {
  return outputKey(record.staffId, periodIdOfRecord(record.period));
}
