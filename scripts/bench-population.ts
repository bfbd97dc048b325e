// The synthetic population of the engine benchmarks (bench-engine.ts, bench-rescore.ts): STAFF
// members in TEAMS teams, a month of counters each (1 % joined late: none), 0.5 % inactive, and
// the previous month's FINAL composites, the counters parsed as the scorer gets them from Redis;
// for bench-rescore also what the scorer reads beside them: static records and queue calls.
import { ROLES, SKILLS, STATIC_DEFAULTS, queueCallsByTeam, type QueueCalls, type RosterEntry, type Role, type StaticRecord } from '@cs/appraisal';
import { Rng, monthCounters } from '@cs/appraisal/testing';
import { encodeStaticRecord, parseCounterObjects, staticRecordsOf } from '@cs/counter-store';

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
  const recs = parseCounterObjects(ids.map((id) => JSON.stringify(counters.get(id)!)))!;
  ids.forEach((id, i) => counters.set(id, recs[i]!));
  return { roster, counters, prevFinals };
}

/**
 * What the simulator reports for one member (docs/static-appraisal.md): most of the role's
 * certificates (some expiring), two assessments; decoded from their stored form, as the scorer's
 * engine gets them (strings from JSON.parse, not the template strings made here).
 */
export function benchStaticRecords(rng: Rng, staffId: string, role: Role, monthStart: number): StaticRecord[] {
  const recs = madeStaticRecords(rng, staffId, role, monthStart);
  return staticRecordsOf(Object.fromEntries(recs.map((r, k) => [`e${k}`, encodeStaticRecord(r)])));
}

function madeStaticRecords(rng: Rng, staffId: string, role: Role, monthStart: number): StaticRecord[] {
  const recs: StaticRecord[] = [];
  for (const q of STATIC_DEFAULTS.requiredByRole[role] ?? []) {
    if (rng.next() < 0.9) recs.push({ kind: 'grant', qualificationId: q, at: monthStart - rng.intIn(30, 1500) * 86_400_000, expiresAt: monthStart + rng.intIn(-30, 1500) * 86_400_000, certificateId: `C-${staffId}-${q}` });
  }
  for (let k = 0; k < 2; k++) recs.push({ kind: 'assessment', skill: SKILLS[rng.intIn(0, SKILLS.length - 1)]!, score: rng.intIn(40, 100), at: monthStart - rng.intIn(1, 400) * 86_400_000, assessmentId: `A-${staffId}-${k}` });
  return recs;
}

/**
 * Every member's static records, and the hotline queue calls of each team (docs/team-scorecards.md):
 * each contact handled answered on one queue, 80 % within the threshold, 5 % of calls abandoned.
 */
export function benchScorerReads(p: BenchPopulation, monthStart: number): { staticState: Map<string, StaticRecord[]>; queueCalls: Map<string, QueueCalls[]> } {
  const rng = new Rng(20261204);
  const staticState = new Map(p.roster.map((r) => [r.staffId, benchStaticRecords(rng, r.staffId, r.role, monthStart)]));
  const queueStaff: Record<string, number> = {};
  let answered = 0;
  for (const r of p.roster) {
    const n = r.role === 'HOTLINE_AGENT' ? (p.counters.get(r.staffId)?.contacts_handled ?? 0) : 0;
    if (n > 0) (queueStaff[`95598-general|${r.staffId}`] = n), (answered += n);
  }
  const sla = { 'answered|95598-general': answered, 'answered_within|95598-general': Math.round(0.8 * answered), 'abandoned|95598-general': Math.round(0.05 * answered) };
  return { staticState, queueCalls: queueCallsByTeam(p.roster, queueStaff, sla) };
}
