/**
 * Redis key layout. Every key an apply script touches carries the hash tag of one shard
 * (`{s<partition>}`), so each script runs on one slot of a Redis Cluster. A shard is a Kafka
 * partition number: the source topics share a partition count and kafkajs partitions by
 * murmur2(key), so a staff member's staff-keyed events of every topic meet in one shard; crew
 * events (keyed by ticket) may add a few more shards for a crew member.
 *
 *   <p>:{s<n>}:offsets                   hash  "<topic>:<partition>" -> next offset to apply
 *   <p>:{s<n>}:c:<period>:<staffId>      hash  counter -> value          (one per staff and bucket)
 *   <p>:{s<n>}:i:<period>                set   staff ids with counters in that bucket
 *   <p>:{s<n>}:u:<period>                set   staff ids NOT on the roster admitted to that bucket
 *                                              (at most CS_UNKNOWN_STAFF_CAP; same TTL as the bucket)
 *   <p>:{s<n>}:q:<period>                hash  SLA measure|label -> value (queues, area classes)
 *   <p>:{s<n>}:qs:<MONTH>                hash  "<queue>|<staffId>" -> calls the staff member answered on the queue
 *                                              (the service_level team KPI, docs/team-scorecards.md); same TTL as the bucket
 *   <p>:{s<n>}:seen:<generation>         set   event ids, by occurredAt generation (dedupe horizon)
 *   <p>:{s<n>}:changed                   set   "<period>|<staffId>" touched since the scorer last looked
 *   <p>:{s<n>}:corr:<period>             hash  "<correctionId>|<staffId>" -> CorrectionNote JSON (@cs/appraisal);
 *                                              written by the aggregator with the correction's effect, same TTL as the bucket
 *   <p>:{s<n>}:rv:<period>              hash  rulesVersion -> "1": the rules versions the aggregator attributed
 *                                              that bucket's counters with (DAY, MONTH; the scorer refuses a mix)
 *   <p>:{s<n>}:fx:<MONTH>                hash  eventId -> the event's recorded effect (effect-record.ts), in the event's
 *                                              shard, MONTH of its occurredAt; same TTL as the MONTH bucket
 *   <p>:{s<n>}:rev:<MONTH>               hash  targetEventId -> correctionId that reversed it (once only), in the
 *                                              correction's shard (corrections are keyed by targetEventId)
 *   <p>:{s<n>}:st:<staffId>              hash  eventId -> a static record (static-record.ts: a skill assessment, a
 *                                              qualification granted or revoked; docs/static-appraisal.md); no TTL
 *   <p>:{s<n>}:sts                       set   staff ids with a st:<staffId> hash in the shard; no TTL
 *   <p>:shards                           set   shard numbers in use (written on partition assignment)
 *   <p>:{roster}:staff                   hash  staffId -> timeline JSON: effective date ("" = base entry) -> profile
 *   <p>:{roster}:offsets                 hash  roster partition -> next offset
 * Periods: DAY:2026-10-05, MONTH:2026-10, HOUR:2026-10-05T13 (local time of the configured zone).
 * staffId is validated (^[A-Za-z0-9_-]{1,64}$) before it ever becomes part of a key.
 */
export function shardPrefix(prefix: string, shard: number): string {
  return `${prefix}:{s${shard}}:`;
}
export const offsetsKey = (prefix: string, shard: number) => `${shardPrefix(prefix, shard)}offsets`;
export const changedKey = (prefix: string, shard: number) => `${shardPrefix(prefix, shard)}changed`;
export const shardsKey = (prefix: string) => `${prefix}:shards`;
export const rosterKey = (prefix: string) => `${prefix}:{roster}:staff`;
export const rosterOffsetsKey = (prefix: string) => `${prefix}:{roster}:offsets`;

// Suffixes below are appended to shardPrefix() inside the scripts.
export const counterSuffix = (period: string, staffId: string) => `c:${period}:${staffId}`;
export const staffIndexSuffix = (period: string) => `i:${period}`;
export const unknownStaffSuffix = (period: string) => `u:${period}`;
export const slaSuffix = (period: string) => `q:${period}`;
export const queueStaffSuffix = (month: string) => `qs:${month}`;
/** "<queue>|<staffId>": a staff id has no "|", so the last one splits (a queue may hold one). */
export const queueStaffField = (queue: string, staffId: string) => `${queue}|${staffId}`;
export const rulesVersionsSuffix = (period: string) => `rv:${period}`;
export const correctionsSuffix = (period: string) => `corr:${period}`;
export const effectSuffix = (month: string) => `fx:${month}`;
export const reversedSuffix = (month: string) => `rev:${month}`;
export const staticSuffix = (staffId: string) => `st:${staffId}`;
export const STATIC_INDEX_SUFFIX = 'sts';
export const correctionField = (correctionId: string, staffId: string) => `${correctionId}|${staffId}`;
export const seenSuffix = (generation: number) => `seen:${generation}`;
export const offsetField = (topic: string, partition: number) => `${topic}:${partition}`;

const DAY_S = 86_400;
/**
 * Bucket retention, from the period kind and the configured maxLateness (CS_MAX_LATENESS_DAYS).
 * DAY and MONTH buckets outlive their period (1 or up to 31 days), maxLateness and a week for the
 * close grace (3 days at most) and the scorer's last read, so that a late event still finds its
 * bucket; every write renews the TTL. HOUR serves the rolling 24 h view only.
 */
export function bucketTtlSeconds(period: string, maxLatenessDays: number): number {
  if (period.startsWith('HOUR:')) return 26 * 3600;
  const periodDays = period.startsWith('DAY:') ? 1 : 31;
  return (periodDays + maxLatenessDays + 7) * DAY_S;
}
