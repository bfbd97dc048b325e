// Which month the demo replays, and the clock its services run on, so that the month is FINAL
// when it is shown on any day: on the 1st-3rd last month is still inside its close grace.
import { closeAtMs, periodOf, previousPeriod, type CloseGrace, type Period } from '@cs/appraisal';

export interface DemoPlan {
  month: Period;
  /** Seconds the demo's clock runs ahead of the caller's (0 once the month is closed). */
  aheadSeconds: number;
  /** Says on screen which month and why. */
  why: string;
}

/** A minute past the close, so the scorer's first tick already finds the month due. */
const PAST_CLOSE_MS = 60_000;

export function demoPlan(nowMs: number, timeZone: string, rules: CloseGrace): DemoPlan {
  const month = previousPeriod(periodOf('MONTH', nowMs, timeZone));
  const closeAt = closeAtMs(month, rules);
  const at = (ms: number) => `${new Date(ms).toLocaleString('sv-SE', { timeZone }).slice(0, 16)} ${timeZone}`;
  if (nowMs >= closeAt) return { month, aheadSeconds: 0, why: `${month.id}, last month, closed since ${at(closeAt)}` };
  const aheadSeconds = Math.ceil((closeAt + PAST_CLOSE_MS - nowMs) / 1000);
  return {
    month,
    aheadSeconds,
    why:
      `${month.id}, last month: its close grace for late events runs to ${at(closeAt)}, so the demo runs its ` +
      `clock ${duration(aheadSeconds)} ahead (CS_CLOCK_OFFSET_SECONDS) to show it FINAL`,
  };
}

function duration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.ceil((seconds % 3600) / 60);
  return h >= 24 ? `${Math.floor(h / 24)} d ${h % 24} h ${m} min` : `${h} h ${m} min`;
}
