// The scorer's own Redis state besides the lease and the outboxes: period states, what was
// published per period, the roster hash; and the fenced commit that records a publication.
import { previousPeriod, type MonthRecord, type Period, type PreviousFinal } from '@cs/appraisal';
import type { RedisClient } from '@cs/runtime';
import { leaseKey, outboxKey, periodsKey, publishedKey, publishedTtlSeconds, rosterHashKey } from './keys.ts';
import { LostLease } from './lease.ts';
import type { TeamPublished } from './team-records.ts';
import { parsePublished, parsePublishedTeams, parseState, previousFinalsOf, previousMonthsOf, type PeriodState, type Published } from './model.ts';
import { SCRIPT_CODES, type ScorerScripts } from './scripts.ts';

export interface Commit {
  /** period state to move to, if any */
  state?: PeriodState;
  /** staffId, Published JSON, … to record */
  published?: readonly string[];
  deleteOutbox?: boolean;
}

export class PeriodStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly scripts: ScorerScripts,
    private readonly prefix: string,
    private readonly ownerId: string,
    /** CS_MAX_LATENESS_DAYS: how long a closed period's published record must outlive its close */
    private readonly maxLatenessDays: number,
  ) {}

  async states(): Promise<Map<string, PeriodState>> {
    const states = new Map<string, PeriodState>();
    for (const [id, json] of Object.entries(await this.redis.hgetall(periodsKey(this.prefix)))) {
      const s = parseState(json);
      if (s) states.set(id, s);
    }
    return states;
  }

  /** A period seen for the first time starts open (unless another writer got there first). */
  async open(periodId: string): Promise<PeriodState> {
    const st: PeriodState = { state: 'open', revision: 0 };
    await this.redis.hsetnx(periodsKey(this.prefix), periodId, JSON.stringify(st));
    return st;
  }

  /** Back to open: a period left finalizing without an outbox. */
  async reopen(periodId: string): Promise<void> {
    await this.redis.hset(periodsKey(this.prefix), periodId, JSON.stringify({ state: 'open', revision: 0 } satisfies PeriodState));
  }

  async forget(periodIds: readonly string[]): Promise<void> {
    if (periodIds.length) await this.redis.hdel(periodsKey(this.prefix), ...periodIds);
  }

  async published(periodId: string): Promise<Map<string, Published>> {
    return parsePublished(await this.redis.hgetall(publishedKey(this.prefix, periodId)));
  }

  /** The staff members' and the teams' published records of a period, from one read. */
  async publishedWithTeams(periodId: string): Promise<{ staff: Map<string, Published>; teams: Map<string, TeamPublished> }> {
    const hash = await this.redis.hgetall(publishedKey(this.prefix, periodId));
    return { staff: parsePublished(hash), teams: parsePublishedTeams(hash) };
  }

  /** The previous period's FINAL/REVISED records: as previousFinals, and (MONTH) as each member's trend history. */
  async previous(period: Period): Promise<{ finals: Map<string, PreviousFinal>; months: Map<string, MonthRecord[]> | undefined }> {
    const prev = previousPeriod(period);
    const published = await this.published(prev.id);
    return { finals: previousFinalsOf(published), months: period.kind === 'MONTH' ? previousMonthsOf(published, prev.start.slice(0, 7)) : undefined };
  }

  /** Hash of the roster last scored, kept in Redis so a restart is not mistaken for a roster change. */
  async rosterHash(): Promise<string | undefined> {
    return (await this.redis.get(rosterHashKey(this.prefix))) ?? undefined;
  }

  async setRosterHash(hash: string): Promise<void> {
    await this.redis.set(rosterHashKey(this.prefix), hash);
  }

  /** Records published content, moves the period state, deletes the outbox: atomically, fenced by the lease. */
  async commit(periodId: string, what: string, c: Commit): Promise<void> {
    const code = await this.scripts.scorerCommit(
      leaseKey(this.prefix),
      periodsKey(this.prefix),
      publishedKey(this.prefix, periodId),
      outboxKey(this.prefix, periodId),
      this.ownerId,
      periodId,
      c.state ? JSON.stringify(c.state) : '',
      publishedTtlSeconds(periodId, this.maxLatenessDays),
      c.deleteOutbox ? '1' : '0',
      c.published ?? [], // one array argument (ioredis flattens it): a spread of 200,000 arguments overflows the stack
    );
    if (code !== SCRIPT_CODES.OK) throw new LostLease(`${what} ${periodId}`);
  }
}
