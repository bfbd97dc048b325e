// The effective-dated roster: each staff member's timeline of profiles, and the roster of one
// period drawn from it (README "Effective-dated roster"). Pure: dates are local calendar dates of
// the rules' zone, compared as strings ('YYYY-MM-DD' orders lexically).

import { addDays } from './calendar.ts';
import type { Role } from './domain.ts';
import type { Period } from './periods.ts';
import type { RosterEntry } from './population.ts';

/** One profile of a staff member, in force from `from` (a local date; null = since always). */
export interface TimelineEntry {
  from: string | null;
  teamId: string;
  role: Role;
  active: boolean;
}

export interface StaffTimeline {
  staffId: string;
  /** ordered by `from`, the null (base) entry first; at most one entry per `from` */
  entries: readonly TimelineEntry[];
}

/** Orders entries by `from`, the base entry (null) first. */
export function sortTimeline(entries: readonly TimelineEntry[]): TimelineEntry[] {
  return [...entries].sort((a, b) => (a.from === b.from ? 0 : a.from === null ? -1 : b.from === null ? 1 : a.from < b.from ? -1 : 1));
}

/** The entry in force on local day `day`: the last one whose `from` is not after it (undefined: none yet). */
function inForce(entries: readonly TimelineEntry[], day: string): TimelineEntry | undefined {
  let e: TimelineEntry | undefined;
  for (const x of entries) {
    if (x.from !== null && x.from > day) break;
    e = x;
  }
  return e;
}

/**
 * The roster of one period: every member active on at least one of its calendar days, with
 * `presence` = active days / days of the period (0 < presence <= 1) and the team and role held on
 * the LAST day they were active in it (their counters of the whole period count there). A leaver
 * (active=false from D) and a joiner (first entry from D) are scored with the days they were
 * present. Output in the timelines' order, `active: true` for every entry.
 */
export function rosterForPeriod(timelines: Iterable<StaffTimeline>, period: Period, timeZone: string): RosterEntry[] {
  // Effective dates are local dates of the rules' zone; a period of another zone has other days.
  if (timeZone !== period.timeZone) throw new RangeError(`period ${period.id} is in ${period.timeZone}, the roster's dates in ${timeZone}`);
  const days: string[] = [];
  for (let d = period.start; d < period.end; d = addDays(d, 1)) days.push(d);
  const out: RosterEntry[] = [];
  for (const t of timelines) {
    const es = t.entries;
    if (es.length === 0) continue;
    // No entry taking effect after the first day (the usual case): the same all period.
    if (!es.some((e) => e.from !== null && e.from > period.start)) {
      const e = inForce(es, period.start);
      if (e?.active) out.push({ staffId: t.staffId, teamId: e.teamId, role: e.role, active: true, presence: 1 });
      continue;
    }
    let activeDays = 0;
    let last: TimelineEntry | undefined;
    for (const d of days) {
      const e = inForce(es, d);
      if (e?.active) {
        activeDays++;
        last = e;
      }
    }
    if (last === undefined) continue;
    out.push({ staffId: t.staffId, teamId: last.teamId, role: last.role, active: true, presence: activeDays === days.length ? 1 : activeDays / days.length });
  }
  return out;
}
