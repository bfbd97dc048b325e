// What the applyBatch integration tests share: the run's Redis (one client per file) and one
// bucket's worth of fixed coordinates (the store is given the time; it reads no clock).
import { afterAll } from 'vitest';
import { redisFor } from '../../../test/harness/index.ts';

export function fileRedis(): ReturnType<typeof redisFor> {
  const redis = redisFor();
  afterAll(() => redis.disconnect());
  return redis;
}

export const HORIZON = 48 * 3600_000;
export const AT = Date.UTC(2026, 9, 5, 3);
export const DAY = 'DAY:2026-10-05';
export const MONTH = 'MONTH:2026-10';

/** Every key under the prefix with its content: what "nothing left behind" is checked against. */
export async function keysUnder(redis: ReturnType<typeof redisFor>, prefix: string): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const k of (await redis.keys(`${prefix}:*`)).sort()) {
    const type = await redis.type(k);
    out[k] = type === 'hash' ? await redis.hgetall(k) : type === 'set' ? (await redis.smembers(k)).sort() : type;
  }
  return out;
}
