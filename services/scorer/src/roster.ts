// The roster as the engine takes it, and its hash (a changed roster revisits open and final periods).
import { Hasher, type RosterEntry, type Role } from '@cs/appraisal';
import type { Profile } from '@cs/counter-store';

/** Profiles -> roster entries, in staffId order. */
export function rosterEntries(profiles: ReadonlyMap<string, Pick<Profile, 'staffId' | 'teamId' | 'role' | 'active'>>): RosterEntry[] {
  return [...profiles.values()]
    .map((p) => ({ staffId: p.staffId, teamId: p.teamId, role: p.role as Role, active: p.active }))
    .sort((a, b) => (a.staffId < b.staffId ? -1 : a.staffId > b.staffId ? 1 : 0));
}

export function rosterHash(roster: readonly RosterEntry[]): string {
  const h = new Hasher().str('roster/2');
  for (const r of roster) h.str(r.staffId).str(r.teamId).str(r.role).num(r.active ? 1 : 0);
  return h.hex();
}
