// The simulated organisation: teams of four kinds in rotation, each staff member with a hidden
// skill in [0, 1] that drives every measure the appraisal model scores.

import type { Role, StaffProfile } from '@cs/contracts';
import { Rng } from './prng.ts';

/** What a team does; decides the role mix. */
export type TeamKind = 'HOTLINE' | 'HALL' | 'REPAIR';

/**
 * Team kinds in rotation T01, T02, …: a 95598 hotline team, a business-hall team (counter
 * clerks, work-order clerks, meter readers, billing clerks: 营业班 + 抄核收), a repair crew team,
 * then another hall team. Three teams already cover every role.
 */
export const TEAM_ROTATION: readonly TeamKind[] = ['HOTLINE', 'HALL', 'REPAIR', 'HALL'];

const HALL_PATTERN: readonly Role[] = [
  'HALL_CLERK',
  'WORK_ORDER_CLERK',
  'METER_READER',
  'BILLING_CLERK',
  'HALL_CLERK',
  'WORK_ORDER_CLERK',
  'METER_READER',
  'BILLING_CLERK',
  'HALL_CLERK',
  'WORK_ORDER_CLERK',
];

export interface SimStaff {
  staffId: string;
  teamId: string;
  teamIndex: number;
  teamKind: TeamKind;
  role: Role;
  /** Index within the whole roster. */
  index: number;
  /** Index within the team (shift rotation). */
  slot: number;
  skill: number;
}

export interface SimTeam {
  teamId: string;
  index: number;
  kind: TeamKind;
  members: SimStaff[];
  /** Staff id of the team leader who rates members (not on the roster). */
  leaderId: string;
}

export function teamId(i: number): string {
  return `T${String(i + 1).padStart(2, '0')}`;
}

export function staffIdOf(i: number): string {
  return `S${String(i + 1).padStart(5, '0')}`;
}

/**
 * Skill: mostly mid-range with tails both ways (normal around 0.55, sd 0.2, clipped to
 * [0.02, 0.99]), which with the performance curves of the generator spreads grades A..D.
 */
export function buildOrganisation(seed: number, teams: number, staffPerTeam: number): SimTeam[] {
  if (!Number.isInteger(teams) || teams < 1) throw new RangeError(`teams must be an integer >= 1, got ${teams}`);
  if (!Number.isInteger(staffPerTeam) || staffPerTeam < 1) {
    throw new RangeError(`staffPerTeam must be an integer >= 1, got ${staffPerTeam}`);
  }
  if (teams * staffPerTeam > 99_999) throw new RangeError('at most 99,999 staff');
  const rng = new Rng(seed, 0x5f3759df);
  const out: SimTeam[] = [];
  let index = 0;
  for (let t = 0; t < teams; t++) {
    const kind = TEAM_ROTATION[t % TEAM_ROTATION.length]!;
    const tid = teamId(t);
    const members: SimStaff[] = [];
    for (let k = 0; k < staffPerTeam; k++) {
      const role: Role = kind === 'HOTLINE' ? 'HOTLINE_AGENT' : kind === 'REPAIR' ? 'REPAIR_CREW' : HALL_PATTERN[k % HALL_PATTERN.length]!;
      const skill = Math.round(Math.min(0.99, Math.max(0.02, rng.normal(0.55, 0.2))) * 1000) / 1000;
      members.push({ staffId: staffIdOf(index), teamId: tid, teamIndex: t, teamKind: kind, role, index, slot: k, skill });
      index++;
    }
    out.push({ teamId: tid, index: t, kind, members, leaderId: `LEAD-${tid}` });
  }
  return out;
}

export function profilesOf(teams: readonly SimTeam[], updatedAt: number): StaffProfile[] {
  return teams.flatMap((t) =>
    t.members.map((m) => ({ staffId: m.staffId, teamId: m.teamId, role: m.role, active: true, updatedAt, effectiveFrom: null })),
  );
}

/**
 * One effective-dated transfer: the first staff member (hotline agents first) whose role another
 * team also has moves to the first such team, from local day `effectiveFrom`; null when no role is
 * in two teams.
 */
export function transferOf(teams: readonly SimTeam[], effectiveFrom: string, updatedAt: number): StaffProfile | null {
  const all = teams.flatMap((t) => t.members);
  const ordered = [...all.filter((m) => m.role === 'HOTLINE_AGENT'), ...all.filter((m) => m.role !== 'HOTLINE_AGENT')];
  for (const m of ordered) {
    const to = teams.find((t) => t.teamId !== m.teamId && t.members.some((x) => x.role === m.role));
    if (to) return { staffId: m.staffId, teamId: to.teamId, role: m.role, active: true, updatedAt, effectiveFrom };
  }
  return null;
}
