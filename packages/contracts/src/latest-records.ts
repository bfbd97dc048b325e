// Which record of a staff-period is the latest (pure). The output topics are compacted per
// staff-period (key `<staffId>|<periodId>`), so a read from the beginning still holds every past
// period; before compaction runs it may hold several records of one key, and these rules pick one.
import type { AppraisalStatus, Eligibility, Scorecard, TeamScorecard } from './generated/types.ts';
import { outputKeyOf } from './output-keys.ts';

/** Where and when a record was published. */
export interface Published<T> {
  record: T;
  partition: number;
  offset: bigint;
  /** the Kafka message timestamp (ms) */
  timestamp: number;
}

const STATUS_ORDER: Record<AppraisalStatus, number> = { PROVISIONAL: 0, FINAL: 1, REVISED: 2 };

export const isStatus = (s: string): s is AppraisalStatus => Object.hasOwn(STATUS_ORDER, s);

/** True when `a` supersedes `b` (ties go to `a`, the one read later). */
export function newerScorecard(a: Pick<Scorecard, 'revision' | 'status' | 'computedAt'>, b: Pick<Scorecard, 'revision' | 'status' | 'computedAt'>): boolean {
  if (a.revision !== b.revision) return a.revision > b.revision;
  if (a.status !== b.status) return STATUS_ORDER[a.status] > STATUS_ORDER[b.status];
  return Date.parse(a.computedAt) >= Date.parse(b.computedAt) || Number.isNaN(Date.parse(b.computedAt));
}

/**
 * Eligibility carries no revision: later in the same partition wins (one key, one partition);
 * across partitions (a record keyed by staffId alone, before the per-staff-period key) the newer timestamp.
 */
export function laterPublished(a: Published<unknown>, b: Published<unknown>): boolean {
  if (a.partition === b.partition) return a.offset > b.offset;
  return a.timestamp >= b.timestamp;
}

/** Keeps, per staff-period, the latest scorecard seen so far. */
export function keepLatestCard(latest: Map<string, Published<Scorecard>>, seen: Published<Scorecard>): void {
  const key = outputKeyOf(seen.record);
  const prev = latest.get(key);
  if (!prev || newerScorecard(seen.record, prev.record)) latest.set(key, seen);
}

/** Keeps, per team-period (key `<teamId>|<periodId>`), the latest team card seen so far: the staff cards' rules. */
export function keepLatestTeam(latest: Map<string, Published<TeamScorecard>>, seen: Published<TeamScorecard>): void {
  const key = outputKeyOf({ staffId: seen.record.teamId, period: seen.record.period });
  const prev = latest.get(key);
  if (!prev || newerScorecard(seen.record, prev.record)) latest.set(key, seen);
}

/** Keeps, per staff-period, the latest eligibility record seen so far. */
export function keepLatestEligibility(latest: Map<string, Published<Eligibility>>, seen: Published<Eligibility>): void {
  const key = outputKeyOf(seen.record);
  const prev = latest.get(key);
  if (!prev || laterPublished(seen, prev)) latest.set(key, seen);
}
