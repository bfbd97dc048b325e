// The one clock of the services and the CLI. Lateness, close grace, finality, pruning and the
// scorer's periods all read it, so a test, a replay of an archive or the demo can move "now"
// without touching the machine's clock. Timers and durations stay on the monotonic clock.

export interface Clock {
  /** Epoch milliseconds, as Date.now(). */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** The wall clock shifted by a fixed offset: every process given the same offset agrees on "now". */
export function offsetClock(offsetMs: number, base: Clock = systemClock): Clock {
  return offsetMs === 0 ? base : { now: () => base.now() + offsetMs };
}

/** A clock that stands still until moved (unit and in-process tests). */
export interface ManualClock extends Clock {
  set(ms: number): void;
  advance(ms: number): void;
}

export function manualClock(startMs: number): ManualClock {
  let t = startMs;
  return {
    now: () => t,
    set: (ms) => void (t = ms),
    advance: (ms) => void (t += ms),
  };
}

/** The clock a service runs on under its configuration (CS_CLOCK_OFFSET_SECONDS). */
export function clockFromConfig(config: { CS_CLOCK_OFFSET_SECONDS: number }): Clock {
  return offsetClock(config.CS_CLOCK_OFFSET_SECONDS * 1000);
}
