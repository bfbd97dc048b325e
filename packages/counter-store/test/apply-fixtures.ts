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
