// Redis retention follows the configured lateness (CS_MAX_LATENESS_DAYS): a late event must still
// find its counter bucket, and a revision the published record of its period.
import { describe, expect, it } from 'vitest';
import { bucketTtlSeconds } from '@cs/counter-store';
import { counterStoreOptions, loadConfig } from '@cs/runtime';
import { publishedTtlSeconds } from '@cs/scorer/keys';

const DAY_S = 86_400;
const base = { KAFKA_BROKERS: '127.0.0.1:19092', REDIS_URL: 'redis://127.0.0.1:6390' };
const CLOSE_GRACE_DAYS = 3; // the longest close grace of the spec (MONTH)

describe('retention from the configured lateness', () => {
  it('hands CS_MAX_LATENESS_DAYS to the counter store', () => {
    expect(counterStoreOptions(loadConfig(base)).maxLatenessDays).toBe(62);
    expect(counterStoreOptions(loadConfig({ ...base, CS_MAX_LATENESS_DAYS: '120' })).maxLatenessDays).toBe(120);
  });

  it('keeps the retention of the default 62 days (DAY 70 d, MONTH 100 d; published 75 d and 130 d)', () => {
    expect(bucketTtlSeconds('DAY:2026-10-05', 62)).toBe(70 * DAY_S);
    expect(bucketTtlSeconds('MONTH:2026-10', 62)).toBe(100 * DAY_S);
    expect(publishedTtlSeconds('DAY:2026-10-05', 62)).toBe(75 * DAY_S);
    expect(publishedTtlSeconds('MONTH:2026-10', 62)).toBe(130 * DAY_S);
  });

  it.each([1, 7, 62, 120, 365])('with %i days of lateness a bucket outlives its period, the lateness and the grace; the published record outlives the bucket', (days) => {
    for (const [period, periodDays] of [['DAY:2026-10-05', 1], ['MONTH:2026-10', 31]] as const) {
      expect(bucketTtlSeconds(period, days)).toBeGreaterThanOrEqual((periodDays + days + CLOSE_GRACE_DAYS) * DAY_S);
      expect(publishedTtlSeconds(period, days)).toBeGreaterThan(bucketTtlSeconds(period, days));
    }
  });

  it('keeps HOUR buckets for the rolling 24 h view whatever the lateness', () => {
    expect(bucketTtlSeconds('HOUR:2026-10-05T13', 7)).toBe(26 * 3600);
    expect(bucketTtlSeconds('HOUR:2026-10-05T13', 365)).toBe(26 * 3600);
  });
});
