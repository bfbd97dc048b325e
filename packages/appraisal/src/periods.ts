// Appraisal periods: calendar DAY and MONTH in the configured zone; end exclusive.

import { addDays, formatDate, localDate, startOfLocalDay } from './calendar.ts';
import type { PeriodKind } from './domain.ts';

export interface Period {
  kind: PeriodKind;
  /** first local day, 'YYYY-MM-DD' */
  start: string;
  /** first local day after the period, 'YYYY-MM-DD' (exclusive) */
  end: string;
  timeZone: string;
  startMs: number;
  endMs: number;
  /** 'DAY:2026-10-05' | 'MONTH:2026-10' */
  id: string;
}

/** The period as it appears on scorecards and eligibility records (interfaces.md). */
export interface PeriodRef {
  kind: PeriodKind;
  start: string;
  end: string;
  timeZone: string;
}

export function periodRef(p: Period): PeriodRef {
  return { kind: p.kind, start: p.start, end: p.end, timeZone: p.timeZone };
}

function firstOfNextMonth(start: string): string {
  const y = Number(start.slice(0, 4));
  const m = Number(start.slice(5, 7));
  return m === 12 ? formatDate(y + 1, 1, 1) : formatDate(y, m + 1, 1);
}

/** The period of `kind` starting on local day `start` (for MONTH, the 1st). */
export function periodStartingOn(kind: PeriodKind, start: string, timeZone: string): Period {
  if (kind === 'MONTH' && start.slice(8) !== '01') {
    throw new RangeError(`a MONTH period starts on the 1st, got ${start}`);
  }
  const end = kind === 'DAY' ? addDays(start, 1) : firstOfNextMonth(start);
  return {
    kind,
    start,
    end,
    timeZone,
    startMs: startOfLocalDay(start, timeZone),
    endMs: startOfLocalDay(end, timeZone),
    id: kind === 'DAY' ? `DAY:${start}` : `MONTH:${start.slice(0, 7)}`,
  };
}

export function periodOf(kind: PeriodKind, epochMs: number, timeZone: string): Period {
  const day = localDate(epochMs, timeZone);
  return periodStartingOn(kind, kind === 'DAY' ? day : `${day.slice(0, 8)}01`, timeZone);
}

/** The id alone, cheaper than periodOf when only the bucket key is needed. */
export function periodIdOf(kind: PeriodKind, epochMs: number, timeZone: string): string {
  const day = localDate(epochMs, timeZone);
  return kind === 'DAY' ? `DAY:${day}` : `MONTH:${day.slice(0, 7)}`;
}

const ID_RE = /^(DAY|MONTH):(\d{4})-(\d{2})(?:-(\d{2}))?$/;

/** Parses 'DAY:2026-10-05', 'MONTH:2026-10' (or 'MONTH:2026-10-01'); throws RangeError. */
export function parsePeriodId(id: string, timeZone: string): Period {
  const m = ID_RE.exec(id.trim());
  if (!m) throw new RangeError(`bad period "${id}": expected DAY:YYYY-MM-DD or MONTH:YYYY-MM`);
  const kind = m[1] as PeriodKind;
  const year = Number(m[2]);
  const month = Number(m[3]);
  const day = m[4] === undefined ? undefined : Number(m[4]);
  if (month < 1 || month > 12) throw new RangeError(`bad period "${id}": month out of range`);
  if (kind === 'DAY') {
    if (day === undefined) throw new RangeError(`bad period "${id}": a DAY needs YYYY-MM-DD`);
    const date = formatDate(year, month, day);
    if (addDays(date, 0) !== date) throw new RangeError(`bad period "${id}": no such day`);
    return periodStartingOn('DAY', date, timeZone);
  }
  if (day !== undefined && day !== 1) {
    throw new RangeError(`bad period "${id}": a MONTH starts on the 1st`);
  }
  return periodStartingOn('MONTH', formatDate(year, month, 1), timeZone);
}

/** The period right before `p` (for "previous FINAL of the same kind"). */
export function previousPeriod(p: Period): Period {
  if (p.kind === 'DAY') return periodStartingOn('DAY', addDays(p.start, -1), p.timeZone);
  const y = Number(p.start.slice(0, 4));
  const m = Number(p.start.slice(5, 7));
  const start = m === 1 ? formatDate(y - 1, 12, 1) : formatDate(y, m - 1, 1);
  return periodStartingOn('MONTH', start, p.timeZone);
}

export function nextPeriod(p: Period): Period {
  return periodStartingOn(p.kind, p.end, p.timeZone);
}

/** The close grace of each kind (rules.periods): how long after its end a period's FINAL waits for late events. */
export interface CloseGrace {
  periods: { closeGraceMinutes: Record<PeriodKind, number> };
}

/** When a period closes (its FINAL is due): its end plus the close grace of its kind. */
export function closeAtMs(period: Pick<Period, 'kind' | 'endMs'>, rules: CloseGrace): number {
  return period.endMs + rules.periods.closeGraceMinutes[period.kind] * 60_000;
}

/**
 * The latest MONTH closed at `nowMs`: last month once its close grace is over, else the month
 * before it (on the first days of a month, last month is still open for late events).
 */
export function latestClosedMonth(nowMs: number, timeZone: string, rules: CloseGrace): Period {
  const last = previousPeriod(periodOf('MONTH', nowMs, timeZone));
  return closeAtMs(last, rules) <= nowMs ? last : previousPeriod(last);
}
