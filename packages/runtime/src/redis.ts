import { readFileSync } from 'node:fs';
import { Redis, Cluster, type RedisOptions } from 'ioredis';
import type { ServiceConfig } from './config.ts';

export type RedisClient = Redis | Cluster;

/** A single Redis (REDIS_URL) or a Redis Cluster (REDIS_CLUSTER_NODES), with ACL user/password and TLS. */
export function createRedis(config: ServiceConfig, extra: RedisOptions = {}): RedisClient {
  const tls = config.REDIS_TLS_CA_FILE ? { ca: [readFileSync(config.REDIS_TLS_CA_FILE, 'utf8')] } : undefined;
  const options: RedisOptions = {
    ...(config.REDIS_USERNAME ? { username: config.REDIS_USERNAME } : {}),
    ...(config.REDIS_PASSWORD ? { password: config.REDIS_PASSWORD } : {}),
    ...(tls ? { tls } : {}),
    // Commands wait for a reconnect instead of failing fast: an outage is retried, never skipped.
    maxRetriesPerRequest: null,
    retryStrategy: (times) => Math.min(200 * times, 5_000),
    ...extra,
  };
  if (config.REDIS_CLUSTER_NODES) {
    const nodes = config.REDIS_CLUSTER_NODES.map((n) => {
      const [host, port] = n.split(':');
      return { host: host!, port: Number(port) };
    });
    return new Cluster(nodes, { redisOptions: options, scaleReads: 'master' });
  }
  return new Redis(config.REDIS_URL!, options);
}
