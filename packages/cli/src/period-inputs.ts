// What a period is scored from, read from Redis alone as the scorer reads it (explain, rescore):
// its counters, its own effective-dated roster, its correction notes, the previous period's
// FINAL/REVISED composites, and the rules version it is scored with (README "Rules in force").
import { parsePeriodId, previousPeriod, rosterForPeriod, type CorrectionNote, type MonthRecord, type Period, type PreviousFinal, type RosterEntry, type Rules, type StaffCountersInput } from '@cs/appraisal';
import { CounterStore } from '@cs/counter-store';
import { ConfigError, counterStoreOptions, createRedis, loadConfig, loadRules, type RedisClient, type ServiceConfig } from '@cs/runtime';
import { periodsKey, publishedKey } from '@cs/scorer/keys';
import { parsePublished, parseState, previousFinalsOf, previousMonthsOf, type PeriodState } from '@cs/scorer/model';
import { rosterTimelines } from '@cs/scorer/roster';
import { RuntimeFailure, UsageError } from './cli-errors.ts';

const LOCAL_REDIS = 'redis://127.0.0.1:6390';

export interface PeriodInputs {
  period: Period;
  counters: StaffCountersInput;
  roster: RosterEntry[];
  corrections: Map<string, CorrectionNote[]>;
  previousFinals: Map<string, PreviousFinal>;
  /** MONTH: each member's trend history, the months the previous period's records kept */
  history?: Map<string, MonthRecord[]>;
  state: PeriodState | null;
  /** the version it was FINALed under, else the one in force for it */
  rules: Rules;
}

/** The services' configuration with the local stack's Redis as default; a bad variable is a usage error. */
export function redisCommandConfig(env: NodeJS.ProcessEnv): ServiceConfig {
  const e = { ...env };
  if (!e.REDIS_URL && !e.REDIS_CLUSTER_NODES) e.REDIS_URL = LOCAL_REDIS;
  // These commands read no topic; the shared schema insists on a broker being named.
  if (!e.KAFKA_BROKERS) e.KAFKA_BROKERS = '127.0.0.1:19092';
  try {
    return loadConfig(e);
  } catch (err) {
    if (err instanceof ConfigError) throw new UsageError(`${err.message}; fix that environment variable and retry`);
    throw err;
  }
}

/** Runs `use` with a connected Redis, disconnecting after; an unreachable Redis is a retriable failure. */
export async function withRedis<T>(config: ServiceConfig, use: (redis: RedisClient) => Promise<T>): Promise<T> {
  const redis = createRedis(config, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  redis.on('error', () => {}); // reported by the failed command
  try {
    try {
      await redis.connect();
    } catch (err) {
      throw new RuntimeFailure(`cannot reach Redis (${config.REDIS_URL ?? config.REDIS_CLUSTER_NODES}): run \`npx cs-appraisal stack up\` first`, { cause: err, retriable: true });
    }
    return await use(redis);
  } finally {
    redis.disconnect();
  }
}

export async function readPeriodInputs(redis: RedisClient, config: ServiceConfig, periodLabel: string): Promise<PeriodInputs> {
  const book = loadRules(config);
  const period = parsePeriodId(periodLabel, book.latest.timeZone);
  const store = new CounterStore(redis, counterStoreOptions(config));
  const [counters, profiles, corrections, previous, stateJson] = await Promise.all([
    store.periodCounters(period.id),
    store.rosterTimelines(),
    store.periodCorrections(period.id),
    redis.hgetall(publishedKey(config.CS_KEY_PREFIX, previousPeriod(period).id)),
    redis.hget(periodsKey(config.CS_KEY_PREFIX), period.id),
  ]);
  const state = parseState(stateJson);
  const { rulesVersion, rules } = book.forScoring(period, state?.rulesVersion);
  const published = parsePublished(previous);
  const prev = previousPeriod(period);
  if (!rules) throw new RuntimeFailure(`the period was FINALed under rules version ${rulesVersion}, which CS_RULES_FILE no longer holds (README "Rules in force")`);
  return {
    period,
    counters,
    roster: rosterForPeriod(rosterTimelines(profiles), period, book.latest.timeZone),
    corrections,
    previousFinals: previousFinalsOf(published),
    ...(period.kind === 'MONTH' ? { history: previousMonthsOf(published, prev.start.slice(0, 7)) } : {}),
    state,
    rules,
  };
}
