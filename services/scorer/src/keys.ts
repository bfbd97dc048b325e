/**
 * Redis keys of the scorer. Every key carries the hash tag `{scorer}`, so the multi-key scripts
 * (outbox write, commit) run on one slot of a Redis Cluster.
 *
 *   <p>:{scorer}:lease                 string  owner id of the publishing replica (PX = 1.5 x tick)
 *   <p>:{scorer}:periods               hash    periodId -> PeriodState JSON {state, revision}
 *   <p>:{scorer}:pub:<periodId>        hash    staffId -> Published JSON {h, status, revision, composite, grade, a, e,
 *                                              t: MONTH FINAL/REVISED, the months kept for the next month's trend}
 *   <p>:{scorer}:outbox:<periodId>     hash    "w" -> write token, "b:<j>" -> the records of chunk j (Brotli of back-to-back
 *                                              uint32 length + packMessage record; see unpackBlock), "p:<j>" -> published
 *                                              records of chunk j, "meta" -> OutboxMeta JSON (written last, when sealed);
 *                                              outboxes of earlier versions hold one "m:<i>" record per field instead of "b:<j>"
 */
export const SCORER_TAG = '{scorer}';

export const scorerPrefix = (prefix: string) => `${prefix}:${SCORER_TAG}:`;
export const leaseKey = (prefix: string) => `${scorerPrefix(prefix)}lease`;
export const periodsKey = (prefix: string) => `${scorerPrefix(prefix)}periods`;
export const publishedKey = (prefix: string, periodId: string) => `${scorerPrefix(prefix)}pub:${periodId}`;
export const outboxKey = (prefix: string, periodId: string) => `${scorerPrefix(prefix)}outbox:${periodId}`;
/** Hash of the active roster last scored: a changed roster revisits open and final periods. */
export const rosterHashKey = (prefix: string) => `${scorerPrefix(prefix)}roster-hash`;

/**
 * How long the published-content record of a period lives: past maxLateness (CS_MAX_LATENESS_DAYS)
 * by more than the counter buckets (bucketTtlSeconds), so a late revision still finds what was published.
 */
export function publishedTtlSeconds(periodId: string, maxLatenessDays: number): number {
  return (maxLatenessDays + (periodId.startsWith('DAY:') ? 13 : 68)) * 86_400;
}
