// The roster as the engine takes it: each staff member's timeline (effective-dated), and its hash
// (a changed roster revisits open and final periods). Which entries count in a period is the
// engine's rule (rosterForPeriod in @cs/appraisal).
import { Hasher, rosterForPeriod, type Period, type RosterEntry, type Role, type StaffTimeline } from '@cs/appraisal';
import type { StoredTimeline } from '@cs/counter-store';

/** Stored timelines -> the engine's, in staffId order. */
export function rosterTimelines(stored: ReadonlyMap<string, StoredTimeline>): StaffTimeline[] {
  return [...stored.values()]
    .map((t) => ({ staffId: t.staffId, entries: t.entries.map((p) => ({ from: p.effectiveFrom ?? null, teamId: p.teamId, role: p.role as Role, active: p.active })) }))
    .sort((a, b) => (a.staffId < b.staffId ? -1 : a.staffId > b.staffId ? 1 : 0));
}

/**
 * Covers every entry of every timeline. A base-only timeline hashes as the roster did before
 * effective dates, so upgrading the scorer does not count as a roster change.
 */
export function rosterHash(timelines: readonly StaffTimeline[]): string {
  const h = new Hasher().str('roster/2');
  for (const t of timelines) {
    h.str(t.staffId);
    for (const e of t.entries) {
      if (e.from !== null) h.str(`@${e.from}`);
      h.str(e.teamId).str(e.role).num(e.active ? 1 : 0);
    }
  }
  return h.hex();
}

export interface PeriodRosters {
  /** The period's roster (rosterForPeriod), computed once per tick and period. */
  of(period: Period): RosterEntry[];
  /**
   * Whether the period's roster differs from the one the previous timelines gave (a dated change
   * reaching back into it, e.g. a transfer recorded late); true when the previous are unknown.
   */
  changedIn(period: Period): boolean;
}

export function periodRosters(timelines: readonly StaffTimeline[], timeZone: string, previous?: readonly StaffTimeline[]): PeriodRosters {
  const memo = new Map<string, RosterEntry[]>();
  const of = (period: Period) => {
    let r = memo.get(period.id);
    if (r === undefined) memo.set(period.id, (r = rosterForPeriod(timelines, period, timeZone)));
    return r;
  };
  return {
    of,
    changedIn: (period) => previous === undefined || entriesHash(of(period)) !== entriesHash(rosterForPeriod(previous, period, timeZone)),
  };
}

function entriesHash(roster: readonly RosterEntry[]): string {
  const h = new Hasher().str('period-roster/1');
  for (const r of roster) h.str(r.staffId).str(r.teamId).str(r.role).num(r.presence ?? 1);
  return h.hex();
}
