// The clock of tests that run the services at the wall clock's pace (as processes or in-process).
// It stands at noon on the 15th of the current month in the appraisal zone when the test process
// starts, and advances in real time: last month is closed (past its grace) and inside the lateness
// horizon, whatever day the suite runs on (the 1st at 00:30, 29 February...). Services get the
// same clock as CS_CLOCK_OFFSET_SECONDS; test data is dated from `clock.now()`.
import { DEFAULT_RULES, periodOf, previousPeriod, type Period } from '@cs/appraisal';
import { offsetClock, systemClock, type Clock } from '@cs/runtime';

const DAY = 86_400_000;

export interface TestClock {
  clock: Clock;
  offsetSeconds: number;
  /** For the environment of a service that must share the clock. */
  env: { CS_CLOCK_OFFSET_SECONDS: string };
  /** Last month on this clock: closed and with every day inside the lateness horizon. */
  lastMonth(): Period;
}

export function midMonthClock(wall: Clock = systemClock, timeZone = DEFAULT_RULES.timeZone): TestClock {
  const nowMs = wall.now();
  const target = periodOf('MONTH', nowMs, timeZone).startMs + 14 * DAY + DAY / 2;
  const offsetSeconds = Math.round((target - nowMs) / 1000);
  const clock = offsetClock(offsetSeconds * 1000, wall);
  return {
    clock,
    offsetSeconds,
    env: { CS_CLOCK_OFFSET_SECONDS: String(offsetSeconds) },
    lastMonth: () => previousPeriod(periodOf('MONTH', clock.now(), timeZone)),
  };
}

/** One per test process: every test of a file, and the services it starts, agree on "now". */
export const TEST_CLOCK = midMonthClock();
