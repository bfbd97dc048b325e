// The Redis side of the commands that score from stored inputs (explain, rescore): the services'
// configuration with the local stack's defaults, a connection, and the period's inputs as the
// scorer reads them (`@cs/scorer/period-inputs`).
import { ConfigError, createRedis, loadConfig, type RedisClient, type ServiceConfig } from '@cs/runtime';
import { PeriodRulesProblem, readPeriodInputs as readInputs, type PeriodInputs } from '@cs/scorer/period-inputs';
import { RuntimeFailure, UsageError } from './cli-errors.ts';

export type { PeriodInputs };

const LOCAL_REDIS = 'redis://127.0.0.1:6390';

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

/** The period's inputs (`@cs/scorer/period-inputs`); a rules version gone or adopted rules that do not validate are runtime failures. */
export async function readPeriodInputs(redis: RedisClient, config: ServiceConfig, periodLabel: string): Promise<PeriodInputs> {
  try {
    return await readInputs(redis, config, periodLabel);
  } catch (err) {
    if (err instanceof PeriodRulesProblem) throw new RuntimeFailure(err.message);
    throw err;
  }
}
