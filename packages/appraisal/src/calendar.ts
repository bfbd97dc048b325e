// Zone arithmetic with Intl only (no tz library), the working-day calendar and the
// service-commitment table. Written for zones with DST too, although Asia/Shanghai has none.

import type { AreaClass, CustomerClass, NoticeType, WorkOrderType } from './domain.ts';
import type { Rules } from './rules/schema.ts';

// Units of elapsed time in ms, shared by the services and the simulator. A DAY_MS is 24 h of
// elapsed time; a local day across a DST change is not (see zonedTimeToEpoch).
export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** The wall-clock fields read from Intl, each a formatToParts part type of the same name. */
const ZONED_FIELDS = ['year', 'month', 'day', 'hour', 'minute', 'second'] as const satisfies readonly Intl.DateTimeFormatPartTypes[];
const IS_ZONED_FIELD: ReadonlySet<string> = new Set(ZONED_FIELDS);

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    const numeric = Object.fromEntries(ZONED_FIELDS.map((field) => [field, 'numeric']));
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', ...numeric });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Local wall-clock time in a zone (month 1-12). */
export type ZonedParts = Record<(typeof ZONED_FIELDS)[number], number>;

export function zonedParts(epochMs: number, timeZone: string): ZonedParts {
  const p: ZonedParts = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of formatter(timeZone).formatToParts(epochMs)) {
    if (IS_ZONED_FIELD.has(part.type)) p[part.type as keyof ZonedParts] = Number(part.value);
  }
  return p;
}

/** Offset of the zone from UTC at that instant, in ms (Shanghai: +8 h), read through Intl. */
function computeOffsetMs(epochMs: number, timeZone: string): number {
  const p = zonedParts(epochMs, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - (epochMs - (((epochMs % 1000) + 1000) % 1000));
}

// Offsets change only at transitions, which real zones place on quarter-hour boundaries, so the
// offset is cached per zone per quarter hour (bounded) to keep the hot path off formatToParts.
const QUARTER_HOUR_MS = 900_000;
const OFFSET_CACHE_LIMIT = 50_000;
const offsetCaches = new Map<string, Map<number, number>>();

export function zoneOffsetMs(epochMs: number, timeZone: string): number {
  let cache = offsetCaches.get(timeZone);
  if (!cache) {
    cache = new Map();
    offsetCaches.set(timeZone, cache);
  }
  const key = Math.floor(epochMs / QUARTER_HOUR_MS);
  let offset = cache.get(key);
  if (offset === undefined) {
    offset = computeOffsetMs(key * QUARTER_HOUR_MS, timeZone);
    if (cache.size >= OFFSET_CACHE_LIMIT) cache.clear();
    cache.set(key, offset);
  }
  return offset;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

export function formatDate(year: number, month: number, day: number): string {
  const y = String(year).padStart(4, '0');
  return `${y}-${pad2(month)}-${pad2(day)}`;
}

function parseDate(date: string): [number, number, number] {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new RangeError(`expected a date YYYY-MM-DD, got "${date}"`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** The local calendar date ('YYYY-MM-DD') of an instant in the zone. */
export function localDate(epochMs: number, timeZone: string): string {
  const t = new Date(epochMs + zoneOffsetMs(epochMs, timeZone));
  return formatDate(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

/** Calendar arithmetic on local dates (zone-free). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = parseDate(date);
  const t = new Date(Date.UTC(y, m - 1, d) + days * DAY_MS);
  return formatDate(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  const [y, m, d] = parseDate(date);
  const wd = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return wd === 0 ? 7 : wd;
}

/**
 * Epoch ms of the local wall-clock time `date hh:mm` in the zone. A repeated wall time (DST
 * fall-back) gives the earlier instant; a skipped one (spring-forward gap) gives the instant the
 * same distance after the jump, which for midnight is the real start of that local day.
 */
export function zonedTimeToEpoch(date: string, timeZone: string, hour = 0, minute = 0): number {
  const [y, m, d] = parseDate(date);
  const wall = Date.UTC(y, m - 1, d, hour, minute);
  // Offsets a day either side bracket any transition near this wall time.
  const before = wall - zoneOffsetMs(wall - DAY_MS, timeZone);
  const after = wall - zoneOffsetMs(wall + DAY_MS, timeZone);
  const beforeOk = localWall(before, timeZone) === wall;
  const afterOk = localWall(after, timeZone) === wall;
  if (beforeOk && afterOk) return Math.min(before, after);
  if (beforeOk) return before;
  if (afterOk) return after;
  return before; // gap
}

function localWall(epochMs: number, timeZone: string): number {
  return epochMs + zoneOffsetMs(epochMs, timeZone);
}

/** 00:00 local of `date`. */
export function startOfLocalDay(date: string, timeZone: string): number {
  return zonedTimeToEpoch(date, timeZone, 0, 0);
}

// ---------------------------------------------------------------------------------------------
// Working days

interface CalendarSets {
  weekdays: ReadonlySet<number>;
  holidays: ReadonlySet<string>;
  makeUp: ReadonlySet<string>;
}
const calendarCache = new WeakMap<Rules['calendar'], CalendarSets>();

function sets(rules: Rules): CalendarSets {
  let s = calendarCache.get(rules.calendar);
  if (!s) {
    s = {
      weekdays: new Set(rules.calendar.workingWeekdays),
      holidays: new Set(rules.calendar.holidays),
      makeUp: new Set(rules.calendar.makeUpWorkingDays),
    };
    calendarCache.set(rules.calendar, s);
  }
  return s;
}

/** Mon–Fri (configured), minus holidays, plus make-up working days (调休). */
export function isWorkingDay(date: string, rules: Rules): boolean {
  const s = sets(rules);
  if (s.makeUp.has(date)) return true;
  if (s.holidays.has(date)) return false;
  return s.weekdays.has(isoWeekday(date));
}

/** The n-th working day after `date` (n = 0 => `date` itself). */
export function addWorkingDays(date: string, n: number, rules: Rules): string {
  if (n <= 0) return date;
  const s = sets(rules);
  if (s.weekdays.size === 0 && s.makeUp.size === 0) {
    throw new RangeError('calendar has no working days');
  }
  let d = date;
  let left = n;
  for (let guard = 0; guard < 366 * 20; guard++) {
    d = addDays(d, 1);
    if (isWorkingDay(d, rules) && --left === 0) return d;
  }
  throw new RangeError('calendar has too few working days');
}

// ---------------------------------------------------------------------------------------------
// Service commitments

export function workOrderWorkingDays(
  type: WorkOrderType,
  customerClass: CustomerClass,
  rules: Rules,
): number {
  const table = rules.commitments.workOrderWorkingDays;
  const entry = table.byType[type];
  if (entry === undefined) return table.default;
  if (typeof entry === 'number') return entry;
  return entry[customerClass] ?? table.default;
}

/**
 * Deadline of a work order: 24:00 local (= 00:00 of the next day) of the N-th working day after
 * the local day of acceptance, as epoch ms. Completion at exactly this instant is on time.
 */
export function workOrderDeadline(
  type: WorkOrderType,
  customerClass: CustomerClass,
  acceptedAtMs: number,
  rules: Rules,
): number {
  const tz = rules.timeZone;
  const n = workOrderWorkingDays(type, customerClass, rules);
  const lastDay = addWorkingDays(localDate(acceptedAtMs, tz), n, rules);
  return startOfLocalDay(addDays(lastDay, 1), tz);
}

/** Repair crew on site after the report (inclusive). */
export function repairArrivalCommitmentMs(areaClass: AreaClass, rules: Rules): number {
  return rules.commitments.repairArrivalMinutes[areaClass] * MINUTE_MS;
}

/** Supply restored after arrival (inclusive). */
export function restorationTargetMs(areaClass: AreaClass, rules: Rules): number {
  return rules.commitments.restorationMinutes[areaClass] * MINUTE_MS;
}

/** A notice published at least this long before the outage is on time. */
export function outageNoticeLeadMs(noticeType: NoticeType, rules: Rules): number {
  return rules.commitments.outageNoticeLeadMinutes[noticeType] * MINUTE_MS;
}

/** 95598 service level: answered within this many seconds (inclusive). */
export function serviceLevelThresholdSeconds(rules: Rules): number {
  return rules.sla.serviceLevelThresholdSeconds;
}
