import { describe, expect, it } from 'vitest';
import { closeAtMs, DEFAULT_RULES, nextPeriod, periodOf, periodStartingOn, previousPeriod } from '@cs/appraisal';
import { demoPlan } from '../src/demo-plan.ts';
import { loadConfig } from '@cs/runtime';

// The aggregator's lateness horizon (CS_MAX_LATENESS_DAYS, its one owner) at its default.
const MAX_LATENESS_DAYS = loadConfig({ KAFKA_BROKERS: '127.0.0.1:9092', REDIS_URL: 'redis://127.0.0.1:6379' }).CS_MAX_LATENESS_DAYS;
import { TEST_CLOCK } from '../../../test/harness/clock.ts';

const TZ = DEFAULT_RULES.timeZone;
const MIN = 60_000;
const DAY = 86_400_000;

/** Instants the demo may be started at: every day of 49 months around now, at 00:30 and 23:59 local, and 29 February 2028. */
function startInstants(nowMs: number): number[] {
  const out: number[] = [];
  let month = periodOf('MONTH', nowMs, TZ);
  for (let i = 0; i < 24; i++) month = previousPeriod(month);
  for (let i = 0; i < 49; i++, month = nextPeriod(month)) {
    for (let day = month.startMs; day < month.endMs; day += DAY) out.push(day + 30 * MIN, day + 24 * 60 * MIN - MIN);
  }
  out.push(periodStartingOn('DAY', '2028-02-29', TZ).startMs + 30 * MIN);
  return out;
}

describe('demoPlan: the month the demo shows is FINAL on any day it is started', () => {
  const starts = startInstants(TEST_CLOCK.clock.now());

  it('replays last month, and runs the clock ahead only while that month is inside its close grace', () => {
    for (const now of starts) {
      const plan = demoPlan(now, TZ, DEFAULT_RULES);
      expect(plan.month.id).toBe(previousPeriod(periodOf('MONTH', now, TZ)).id);
      const demoNow = now + plan.aheadSeconds * 1000;
      const closeAt = closeAtMs(plan.month, DEFAULT_RULES);
      expect(demoNow, new Date(now).toISOString()).toBeGreaterThanOrEqual(closeAt);
      if (now >= closeAt) expect(plan.aheadSeconds).toBe(0);
      else expect(demoNow - closeAt).toBeLessThanOrEqual(2 * MIN); // just past the close, no further
      // The whole month stays inside the aggregator's lateness horizon on the demo's clock.
      expect(demoNow - plan.month.startMs).toBeLessThan(MAX_LATENESS_DAYS * DAY);
    }
  });

  it('says which month and why, naming the setting when the clock runs ahead', () => {
    const second = nextPeriod(periodOf('MONTH', TEST_CLOCK.clock.now(), TZ)).startMs + DAY + 30 * MIN; // the 2nd, 00:30
    const plan = demoPlan(second, TZ, DEFAULT_RULES);
    expect(plan.aheadSeconds).toBeGreaterThan(0);
    expect(plan.why).toContain(plan.month.id);
    expect(plan.why).toContain('CS_CLOCK_OFFSET_SECONDS');
    const mid = periodOf('MONTH', TEST_CLOCK.clock.now(), TZ).startMs + 14 * DAY;
    expect(demoPlan(mid, TZ, DEFAULT_RULES).why).toMatch(/closed since/);
  });
});
