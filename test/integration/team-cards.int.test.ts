// Team scorecards end to end (issue #17 item 1, docs/team-scorecards.md): the aggregator and the
// scorer as processes on the real broker and Redis, one closed month (the month before the test
// clock's, on any day), two teams of three hotline agents who also answer calls. Checked against
// figures worked out here from the events sent: each team's service level (the calls its members
// answered per queue, weighted by the queue's centre-wide service level), its composite mean and
// rank, TEAM_HONOUR on the members' eligibility, and, after a late supervisor rating lifts a T2
// member, REVISED team cards and the honour moved to T2.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RULES, roundTo, type Period } from '@cs/appraisal';
import type { SourceEvent, StaffProfile, TeamScorecard } from '@cs/contracts';
import { TEST_CLOCK } from '../harness/clock.ts';
import { runCli } from '../harness/cli.ts';
import { waitFor } from '../harness/index.ts';
import { latestOf } from '../harness/outputs.ts';
import { sendSources, startPipeline, type Pipeline } from '../harness/pipeline.ts';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const month: Period = TEST_CLOCK.lastMonth();
const at = (day: number, hour: number, k = 0) => month.startMs + (day - 1) * DAY_MS + hour * HOUR_MS + k * 1000;

const TEAMS: Record<string, string> = { A1: 'T1', A2: 'T1', A3: 'T1', B1: 'T2', B2: 'T2', B3: 'T2' };
/** Each member: 6 ESCALATED contacts (workload and conduct are the dimensions with data) and one supervisor rating. */
const RATING: Record<string, number> = { A1: 95, A2: 95, A3: 81, B1: 95, B2: 88, B3: 88 };
/** Calls answered: [queue, calls, wait seconds] per member; the threshold is 20 s. */
const ANSWERED: Record<string, [string, number, number][]> = {
  A1: [['q-general', 12, 5]],
  A2: [['q-general', 8, 40]],
  A3: [['q-general', 5, 20]],
  B1: [['q-general', 5, 3], ['q-billing', 10, 8]],
  B2: [['q-billing', 10, 15]],
  B3: [['q-billing', 5, 60]],
};
const ABANDONED: [string, number][] = [['q-general', 5]];

// ---- Worked out by hand (appraisal-model.md, docs/team-scorecards.md) ----
// Workload: every member 6 units against the team median 6: W = min(100, 100 × 6 / (1.2 × 6)) = 83.3.
// Conduct: (attendance 100 + supervisor 100 × (rating − 60) / 35) / 2: 95 -> 100, 88 -> 90, 81 -> 80.
// Composite (20 × W + 10 × D) / 30: D 100 -> 88.9, D 90 -> 85.5, D 80 -> 82.2; all B.
const COMPOSITE: Record<string, number> = { A1: 88.9, A2: 88.9, A3: 82.2, B1: 88.9, B2: 85.5, B3: 85.5 };
// T1 (88.9 + 88.9 + 82.2) / 3 = 86.67 -> 86.7; T2 (88.9 + 85.5 + 85.5) / 3 = 86.63 -> 86.6: T1 ranks 1.
// q-general: answered 12 + 8 + 5 + 5 = 30, within 20 s 12 + 5 + 5 = 22, abandoned 5 -> SL 22 / 35 = 0.628571
// q-billing: answered 25, within 20, abandoned 0 -> SL 20 / 25 = 0.8
// T1 answered 25 on q-general: 0.6286, score 100 × 0.028571 / 0.2 = 14.3
// T2 answered 5 on q-general and 25 on q-billing: (5 × 0.628571 + 25 × 0.8) / 30 = 0.771429 -> 0.7714, score 85.7
const FINAL = {
  T1: { compositeMean: 86.7, rank: 1, serviceLevel: 0.6286, serviceLevelScore: 14.3, answered: 25 },
  T2: { compositeMean: 86.6, rank: 2, serviceLevel: 0.7714, serviceLevelScore: 85.7, answered: 30 },
};
// The late rating: B2 rated 95 as well -> mean 91.5 -> supervisor 90, D 95, composite (1666 + 950) / 30 = 87.2;
// T2 (88.9 + 87.2 + 85.5) / 3 = 87.2 > 86.7: T2 ranks 1 and takes TEAM_HONOUR.
const REVISED = { T1: { compositeMean: 86.7, rank: 2 }, T2: { compositeMean: 87.2, rank: 1 } };

const r1 = (x: number) => roundTo(x, DEFAULT_RULES.scoring.decimals);
it('the figures above follow from the rules (a check of the hand arithmetic)', () => {
  const W = r1(Math.min(100, (100 * 6) / (DEFAULT_RULES.workload.referenceFactor * 6)));
  const rw = DEFAULT_RULES.roleWeights.HOTLINE_AGENT;
  const composite = (rating: number) => r1((rw.workload * W + rw.conduct * r1((100 + r1((100 * Math.min(35, rating - 60)) / 35)) / 2)) / (rw.workload + rw.conduct));
  expect(Object.fromEntries(Object.entries(RATING).map(([s, r]) => [s, composite(r)]))).toEqual(COMPOSITE);
  expect(composite(91.5)).toBe(87.2);
});

// ---- The events ----
let n = 0;
const eventId = () => `tc-${(n++).toString().padStart(4, '0')}`;
const ROSTER: StaffProfile[] = Object.entries(TEAMS).map(([staffId, teamId]) => ({ staffId, teamId, role: 'HOTLINE_AGENT', active: true, updatedAt: month.startMs - DAY_MS, effectiveFrom: null }));
const rating = (staffId: string, score: number, day: number): SourceEvent => ({ kind: 'SupervisorRated', eventId: eventId(), occurredAt: at(day, 16), staffId, raterId: 'MGR-1', score });
function events(): SourceEvent[] {
  const out: SourceEvent[] = [];
  for (const staffId of Object.keys(TEAMS)) {
    for (let k = 0; k < 6; k++) out.push({ kind: 'ContactCompleted', eventId: eventId(), occurredAt: at(2 + (k % 4), 10, k), callId: `C-${staffId}-${k}`, staffId, channel: 'HOTLINE', category: 'BILLING', talkSeconds: 200, holdSeconds: 10, wrapSeconds: 30, resolution: 'ESCALATED' });
    out.push({ kind: 'ShiftAttended', eventId: eventId(), occurredAt: at(3, 9), staffId, shiftId: `SH-${staffId}`, scheduledMinutes: 480, attendedMinutes: 480, late: false });
    out.push(rating(staffId, RATING[staffId]!, 5));
    for (const [queue, calls, waitSeconds] of ANSWERED[staffId]!) {
      for (let k = 0; k < calls; k++) out.push({ kind: 'CallAnswered', eventId: eventId(), occurredAt: at(4, 11, k), callId: `Q-${staffId}-${queue}-${k}`, staffId, queue, waitSeconds });
    }
  }
  for (const [queue, calls] of ABANDONED) for (let k = 0; k < calls; k++) out.push({ kind: 'CallAbandoned', eventId: eventId(), occurredAt: at(4, 12, k), callId: `AB-${queue}-${k}`, queue, waitSeconds: 90 });
  return out;
}

let pipeline: Pipeline;

beforeAll(async () => {
  pipeline = await startPipeline('teamcards', [...ROSTER, ...events()], { CS_MAX_LATENESS_DAYS: '120' });
}, 120_000);

afterAll(() => pipeline?.stop());

/** Each team's latest card of the month once `ok` holds for both. */
async function teamsWhen(ok: (t: TeamScorecard) => boolean, what: string): Promise<Map<string, TeamScorecard>> {
  let latest = new Map<string, TeamScorecard>();
  await waitFor(async () => {
    latest = new Map(pipeline.outputs.teams.filter((t) => t.period.start === month.start && t.period.kind === 'MONTH').map((t) => [t.teamId, t]));
    return latest.size === 2 && [...latest.values()].every(ok);
  }, 180_000, `${what}\n${pipeline.logs()}`);
  return latest;
}

/** Whether each member's latest eligibility of the month carries TEAM_HONOUR. */
const honour = () => {
  const elig = latestOf(pipeline.outputs.elig, month.id);
  return Object.fromEntries(Object.keys(TEAMS).map((s) => [s, elig.get(s)?.awards.includes('TEAM_HONOUR') ?? false]));
};
const membersOf = (teamId: string) => Object.fromEntries(Object.keys(TEAMS).map((s) => [s, TEAMS[s] === teamId]));

describe('team cards through the real stack', () => {
  it('FINAL: service level, composite mean, rank as worked out; TEAM_HONOUR to the team ranked 1', async () => {
    const teams = await teamsWhen((t) => t.status === 'FINAL', 'two FINAL team cards');
    for (const [teamId, want] of Object.entries(FINAL)) {
      const t = teams.get(teamId)!;
      const sl = t.kpis.find((k) => k.kpiId === 'service_level')!;
      expect({ teamId, members: t.members, graded: t.graded, mean: t.compositeMean, score: t.score, rank: t.rank, sl: sl.value, slScore: sl.score, answered: sl.denominator, revision: t.revision }).toEqual({
        teamId, members: 3, graded: 3, mean: want.compositeMean, score: want.compositeMean, rank: want.rank, sl: want.serviceLevel, slScore: want.serviceLevelScore, answered: want.answered, revision: 0,
      });
      expect(t.grades).toEqual({ A: 0, B: 3, C: 0, D: 0, INSUFFICIENT_DATA: 0 });
      expect(t.workloadPerHead).toBe(6);
    }
    const cards = latestOf(pipeline.outputs.cards, month.id);
    for (const [staffId, c] of cards) expect([staffId, c.composite]).toEqual([staffId, COMPOSITE[staffId]]);
    await waitFor(async () => latestOf(pipeline.outputs.elig, month.id).size === 6, 60_000, 'eligibility');
    expect(honour()).toEqual(membersOf('T1'));
  });

  it('a late rating that lifts a T2 member: REVISED team cards, T2 ranks 1 and TEAM_HONOUR moves to it', async () => {
    await sendSources(pipeline.producer, pipeline.topics, [rating('B2', 95, 6)]);
    const teams = await teamsWhen((t) => t.status === 'REVISED', 'two REVISED team cards');
    for (const [teamId, want] of Object.entries(REVISED)) {
      const t = teams.get(teamId)!;
      expect({ teamId, mean: t.compositeMean, rank: t.rank, revision: t.revision }).toEqual({ teamId, mean: want.compositeMean, rank: want.rank, revision: 1 });
    }
    // The round's eligibility records go out on several partitions side by side: wait for all of them.
    const want = JSON.stringify(membersOf('T2'));
    await waitFor(async () => JSON.stringify(honour()) === want, 60_000, "the honour on T2's members alone");
    expect(honour()).toEqual(membersOf('T2'));
  });

  it('`cs-appraisal teams` prints the board from the team topic: the latest card of each team, by rank', async () => {
    const json = await runCli(['teams', '--period', month.id, '--json'], pipeline.env);
    expect(json.code).toBe(0);
    const lines = json.stdout.trim().split('\n').map((l) => JSON.parse(l) as TeamScorecard);
    expect(lines.map((t) => [t.teamId, t.rank, t.status, t.revision, t.compositeMean])).toEqual([['T2', 1, 'REVISED', 1, 87.2], ['T1', 2, 'REVISED', 1, 86.7]]);
    const table = await runCli(['teams', '--period', month.id], pipeline.env);
    expect(table.code).toBe(0);
    const rows = table.stdout.split('\n');
    expect(rows[0]).toMatch(/^RANK\s+TEAM\s+STATUS\s+REV\s+SCORE\s+MEAN\s+SPREAD\s+SL\s+REPAIR/);
    // T2: rank 1, SL 77.1 %, three B, workload 6.0 per head
    expect(rows[1]!.trim().split(/\s+/)).toEqual(['1', 'T2', 'REVISED', '1', '87.2', '87.2', '1.4', '77.1%', '-', '-', '-', '-', '0', '3', '0', '0', '0', '3', '6.0']);
    expect(rows[3]).toBe(`2 teams; ${month.id} = ${month.start} to ${month.end} (exclusive), ${month.timeZone}`);
  });
});
