// The synthetic population of the engine benchmarks (bench-engine.ts, bench-rescore.ts): STAFF
// members in TEAMS teams, a month of counters each (1 % joined late: none), 0.5 % inactive, and
// the previous month's FINAL composites, the counters parsed as the scorer gets them from Redis.
import { ROLES, type RosterEntry, type Role } from '@cs/appraisal';
import { Rng, monthCounters } from '@cs/appraisal/testing';
import { parseFlatHashes } from '@cs/counter-store';

export interface BenchPopulation {
  roster: RosterEntry[];
  counters: Map<string, Record<string, number>>;
  prevFinals: Map<string, { composite: number; grade: 'A'; status: 'FINAL' }>;
}

export function benchPopulation(staff: number, teams: number): BenchPopulation {
  const rng = new Rng(20260901);
  const roster: RosterEntry[] = [];
  const counters = new Map<string, Record<string, number>>();
  const prevFinals = new Map<string, { composite: number; grade: 'A'; status: 'FINAL' }>();
  const perTeam = Math.ceil(staff / teams);
  for (let i = 0; i < staff; i++) {
    const t = Math.floor(i / perTeam);
    const role: Role = ROLES[(t + (i % perTeam < perTeam - 5 ? 0 : 1)) % ROLES.length]!;
    const staffId = `S${String(i).padStart(6, '0')}`;
    roster.push({ staffId, teamId: `T${String(t).padStart(4, '0')}`, role, active: rng.next() > 0.005 });
    if (rng.next() > 0.01) counters.set(staffId, monthCounters(rng, role));
    if (rng.next() > 0.05) {
      const composite = Math.round(rng.range(55, 97) * 100) / 100;
      const grade = (composite >= 90 ? 'A' : composite >= 80 ? 'B' : composite >= 60 ? 'C' : 'D') as 'A';
      prevFinals.set(staffId, { composite, grade, status: 'FINAL' });
    }
  }
  const ids = [...counters.keys()];
  const recs = parseFlatHashes(ids.map((id) => Object.entries(counters.get(id)!).flat().join(',')));
  ids.forEach((id, i) => counters.set(id, recs[i]!));
  return { roster, counters, prevFinals };
}
