// Issue #17 end to end: two months driven through the real stack — Kafka, Redis, the aggregator and
// the scorer as processes, `rescore` through the CLI — and checked against figures this file works
// out on its own from the events it sends (the model's arithmetic for the two dimensions the data
// touches, written again here, not imported): each month's cards, the trend on the second month's
// cards, the improvement plan after a second D, MOST_IMPROVED, TEAM_HONOUR, each month's team cards
// (service level of the queues answered on, composite mean and spread, grades, rank), and the what-if diff
// of the second month under a proposal that raises the A threshold to 92. Every date derives from
// the test clock: the months are the two before the current one, both closed, on any day.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RULES, previousPeriod, roundTo, type Period, type WhatIfDiff } from '@cs/appraisal';
import { periodIdOfRecord, type SourceEvent, type StaffProfile } from '@cs/contracts';
import { TEST_CLOCK } from '../harness/clock.ts';
import { runCli } from '../harness/cli.ts';
import { waitFor } from '../harness/index.ts';
import { latestOf } from '../harness/outputs.ts';
import { startPipeline, type Pipeline } from '../harness/pipeline.ts';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const second: Period = TEST_CLOCK.lastMonth();
const first: Period = previousPeriod(second);
const MONTHS = [first, second] as const;

// Two teams of three hotline agents, all present the whole of both months. Each month a member
// handles `units` ESCALATED contacts (fewer than 10: only workload W and conduct D have data),
// attends one full shift and gets one supervisor rating.
const TEAMS: Record<string, string> = { A1: 'T1', A2: 'T1', A3: 'T1', B1: 'T2', B2: 'T2', B3: 'T2' };
interface Month { units: number; rating: number }
const PLAN: Record<string, [Month, Month]> = {
  A1: [{ units: 6, rating: 95 }, { units: 6, rating: 95 }],
  A2: [{ units: 6, rating: 81 }, { units: 6, rating: 95 }],
  A3: [{ units: 6, rating: 60 }, { units: 6, rating: 95 }], // climbs 16.7 points: MOST_IMPROVED (one-month rule)
  B1: [{ units: 8, rating: 95 }, { units: 6, rating: 95 }],
  B2: [{ units: 6, rating: 88 }, { units: 8, rating: 77 }], // an A at 91.4 in the second month: a B under A ≥ 92
  B3: [{ units: 2, rating: 60 }, { units: 2, rating: 60 }], // D twice: an improvement plan
};

// ---- The model's arithmetic for this data (appraisal-model.md), written out independently ----
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const r1 = (x: number) => roundTo(x, DEFAULT_RULES.scoring.decimals);
const RW = DEFAULT_RULES.roleWeights.HOTLINE_AGENT;
/** W, D and composite of each member in month i (0 or 1); the card's scores are rounded to
 * scoring.decimals (1) at each level, and the composite weighs the rounded dimension scores. */
function scores(i: 0 | 1): Record<string, { W: number; D: number; composite: number }> {
  const out: Record<string, { W: number; D: number; composite: number }> = {};
  for (const [staffId, plan] of Object.entries(PLAN)) {
    const peers = Object.keys(PLAN).filter((s) => TEAMS[s] === TEAMS[staffId]);
    const reference = median(peers.map((s) => PLAN[s]![i].units)); // presence 1 for everyone
    const W = r1(Math.min(100, (100 * plan[i].units) / (1.2 * reference)));
    const supervisor = r1(100 * Math.min(1, Math.max(0, (plan[i].rating - 60) / 35)));
    const D = r1((100 + supervisor) / 2); // attendance 1 → 100
    out[staffId] = { W, D, composite: r1((RW.workload * W + RW.conduct * D) / (RW.workload + RW.conduct)) };
  }
  return out;
}
/** Grades with the A quota of each team: max(minAQuota, ⌊maxAShare × graded⌋), best composites first. */
function grades(composites: Record<string, number>, aFrom: number): Record<string, string> {
  const g = DEFAULT_RULES.grades;
  const out: Record<string, string> = {};
  for (const team of new Set(Object.values(TEAMS))) {
    const members = Object.keys(composites).filter((s) => TEAMS[s] === team).sort((a, b) => composites[b]! - composites[a]!);
    const quota = Math.max(DEFAULT_RULES.forcedDistribution.minAQuota, Math.floor(DEFAULT_RULES.forcedDistribution.maxAShare * members.length));
    let as = 0;
    for (const s of members) {
      const c = composites[s]!;
      const raw = c >= aFrom ? 'A' : c >= g.B ? 'B' : c >= g.C ? 'C' : 'D';
      out[s] = raw === 'A' && as++ >= quota ? 'B' : raw;
    }
  }
  return out;
}
const rounded = (i: 0 | 1) => Object.fromEntries(Object.entries(scores(i)).map(([s, x]) => [s, x.composite]));
const EXPECTED = MONTHS.map((_, i) => {
  const c = rounded(i as 0 | 1);
  return { composite: c, grade: grades(c, DEFAULT_RULES.grades.A) };
});
const teamMean = (i: number, team: string) => {
  const xs = Object.keys(TEAMS).filter((s) => TEAMS[s] === team).map((s) => EXPECTED[i]!.composite[s]!);
  return xs.reduce((a, b) => a + b, 0) / xs.length;
};

// ---- Team cards (docs/team-scorecards.md), worked out from the same plan ----
// Calls answered per member and month: [queue, calls, wait seconds]; within the service level when
// the wait is ≤ 20 s. Abandoned calls are queue-level. The team's service level weighs each queue's
// centre-wide level (within / (answered + abandoned)) by the calls the team answered there; it
// scores linearly from 0.60 to 0.80 and applies from 20 calls answered by the team.
//   month 1: q-general 16 of 24 within, 4 abandoned: 0.5714 (T1, score 0); q-billing 16 of 24: 0.6667 (T2, 33.3)
//   month 2: q-general 28 of 28, 4 abandoned: 0.875 (T1, 100); q-billing 4 of 20: 0.2;
//            T2 (4 × 0.875 + 20 × 0.2) / 24 = 0.3125 (score 0)
// The other team KPIs have no data (no repairs, bills or readings; under 100 contacts), so the
// team's KPI score is its service level's; with the team-KPI weight 0 (rules 2026.1) the score
// that ranks teams is the mean composite.
type Calls = [queue: string, calls: number, waitSeconds: number][];
const CALLS: [Record<string, Calls>, Record<string, Calls>] = [
  { A1: [['q-general', 8, 10]], A2: [['q-general', 8, 25]], A3: [['q-general', 8, 15]], B1: [['q-billing', 8, 5]], B2: [['q-billing', 8, 5]], B3: [['q-billing', 8, 30]] },
  { A1: [['q-general', 8, 10]], A2: [['q-general', 8, 10]], A3: [['q-general', 8, 15]], B1: [['q-general', 4, 5], ['q-billing', 4, 5]], B2: [['q-billing', 8, 30]], B3: [['q-billing', 8, 30]] },
];
const ABANDONED: [queue: string, calls: number][] = [['q-general', 4]];
const SL = { thresholdSeconds: 20, floor: 0.6, target: 0.8, minCalls: 20 };

function serviceLevel(i: 0 | 1, team: string): { value: number; score: number; answered: number } {
  const q = new Map<string, { answered: number; within: number; abandoned: number }>();
  const at = (name: string) => q.get(name) ?? (q.set(name, { answered: 0, within: 0, abandoned: 0 }), q.get(name)!);
  for (const calls of Object.values(CALLS[i])) for (const [name, n, wait] of calls) (at(name).answered += n), (at(name).within += wait <= SL.thresholdSeconds ? n : 0);
  for (const [name, n] of ABANDONED) at(name).abandoned += n;
  const byTeam = Object.entries(CALLS[i]).filter(([s]) => TEAMS[s] === team).flatMap(([, c]) => c);
  const answered = byTeam.reduce((a, [, n]) => a + n, 0);
  const value = byTeam.reduce((a, [name, n]) => a + (n * at(name).within) / (at(name).answered + at(name).abandoned), 0) / answered;
  return { value, score: 100 * Math.min(1, Math.max(0, (value - SL.floor) / (SL.target - SL.floor))), answered };
}

/** Team cards of month i: the members' card composites (as published), their units and the queues. */
function teamCardsOf(i: 0 | 1) {
  const teams = [...new Set(Object.values(TEAMS))];
  const worked = teams.map((team) => {
    const ids = Object.keys(TEAMS).filter((s) => TEAMS[s] === team);
    const cs = ids.map((s) => EXPECTED[i]!.composite[s]!);
    const mean = cs.reduce((a, b) => a + b, 0) / cs.length;
    const spread = Math.sqrt(cs.reduce((a, c) => a + (c - mean) ** 2, 0) / cs.length);
    const grades = { A: 0, B: 0, C: 0, D: 0, INSUFFICIENT_DATA: 0 };
    for (const s of ids) grades[EXPECTED[i]!.grade[s] as keyof typeof grades]++;
    const units = ids.reduce((a, s) => a + PLAN[s]![i].units, 0) / ids.length; // ESCALATED contacts: 1 unit each
    const sl = serviceLevel(i, team);
    expect(sl.answered).toBeGreaterThanOrEqual(SL.minCalls);
    return { teamId: team, members: ids.length, graded: ids.length, grades, mean, spread, units, sl };
  });
  // Ranked by score (= mean composite), then workload per head, then team id.
  const order = [...worked].sort((a, b) => b.mean - a.mean || b.units - a.units || (a.teamId < b.teamId ? -1 : 1));
  return new Map(worked.map((t) => [t.teamId, {
    teamId: t.teamId, members: t.members, graded: t.graded, grades: t.grades, workloadPerHead: r1(t.units), compositeMean: r1(t.mean), compositeSpread: r1(t.spread),
    serviceLevel: roundTo(t.sl.value, 4), serviceLevelScore: r1(t.sl.score), answered: t.sl.answered, kpiScore: r1(t.sl.score), score: r1(t.mean), rank: order.indexOf(t) + 1,
  }]));
}

// ---- The events ----
let n = 0;
const eventId = () => `tm-${(n++).toString().padStart(4, '0')}`;
function monthEvents(p: Period, i: 0 | 1): SourceEvent[] {
  const at = (day: number, hour: number) => p.startMs + (day - 1) * DAY_MS + hour * HOUR_MS;
  return Object.entries(PLAN).flatMap(([staffId, plan]): SourceEvent[] => [
    ...Array.from({ length: plan[i].units }, (_, k): SourceEvent => ({ kind: 'ContactCompleted', eventId: eventId(), occurredAt: at(2 + (k % 4), 10) + k * 60_000, callId: `C-${p.id}-${staffId}-${k}`, staffId, channel: 'HOTLINE', category: 'BILLING', talkSeconds: 200, holdSeconds: 10, wrapSeconds: 30, resolution: 'ESCALATED' })),
    { kind: 'ShiftAttended', eventId: eventId(), occurredAt: at(3, 9), staffId, shiftId: `SH-${p.id}-${staffId}`, scheduledMinutes: 480, attendedMinutes: 480, late: false },
    { kind: 'SupervisorRated', eventId: eventId(), occurredAt: at(5, 16), staffId, raterId: 'MGR-1', score: plan[i].rating },
    ...CALLS[i][staffId]!.flatMap(([queue, calls, waitSeconds]) => Array.from({ length: calls }, (_, k): SourceEvent => ({ kind: 'CallAnswered', eventId: eventId(), occurredAt: at(4, 11) + k * 60_000, callId: `Q-${p.id}-${staffId}-${queue}-${k}`, staffId, queue, waitSeconds }))),
  ]).concat(ABANDONED.flatMap(([queue, calls]) => Array.from({ length: calls }, (_, k): SourceEvent => ({ kind: 'CallAbandoned', eventId: eventId(), occurredAt: at(4, 12) + k * 60_000, callId: `AB-${p.id}-${queue}-${k}`, queue, waitSeconds: 90 }))));
}
const ROSTER: StaffProfile[] = Object.entries(TEAMS).map(([staffId, teamId]) => ({ staffId, teamId, role: 'HOTLINE_AGENT', active: true, updatedAt: first.startMs - DAY_MS, effectiveFrom: null }));

let dir: string;
let pipeline: Pipeline;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'cs-two-months-'));
  pipeline = await startPipeline('twomonths', [...ROSTER, ...monthEvents(first, 0), ...monthEvents(second, 1)], { CS_MAX_LATENESS_DAYS: '120' });
}, 120_000);

afterAll(() => pipeline.stop({ dir }));

/** The latest card and eligibility of every member in month i, once all six are FINAL. */
async function finalsOf(i: 0 | 1) {
  const id = MONTHS[i].id;
  await waitFor(async () => {
    const c = latestOf(pipeline.outputs.cards, id);
    return c.size === 6 && [...c.values()].every((x) => x.status !== 'PROVISIONAL') && latestOf(pipeline.outputs.elig, id).size === 6;
  }, 180_000, `6 FINAL cards and eligibility records of ${id}\n${pipeline.logs()}`);
  return { cards: latestOf(pipeline.outputs.cards, id), elig: latestOf(pipeline.outputs.elig, id) };
}

describe('two months through the real stack', () => {
  it('each month: cards as worked out from the events, TEAM_HONOUR to the better team mean', async () => {
    for (const i of [0, 1] as const) {
      const { cards, elig } = await finalsOf(i);
      const worked = scores(i);
      for (const staffId of Object.keys(PLAN)) {
        const c = cards.get(staffId)!;
        expect({ staffId, month: i, W: c.dimensions.workload, D: c.dimensions.conduct, composite: c.composite, grade: c.grade }).toEqual({
          staffId, month: i, W: worked[staffId]!.W, D: worked[staffId]!.D, composite: EXPECTED[i]!.composite[staffId], grade: EXPECTED[i]!.grade[staffId],
        });
      }
      const honoured = teamMean(i, 'T1') > teamMean(i, 'T2') ? 'T1' : 'T2';
      for (const [staffId, e] of elig) expect({ staffId, honour: e.awards.includes('TEAM_HONOUR') }).toEqual({ staffId, honour: TEAMS[staffId] === honoured && e.eligible });
    }
  });

  it('each month: team cards (FINAL) as worked out; TEAM_HONOUR goes to the team ranked 1', async () => {
    for (const i of [0, 1] as const) {
      const { elig } = await finalsOf(i);
      const id = MONTHS[i].id;
      const want = teamCardsOf(i);
      const got = await waitFor(async () => {
        const m = new Map(pipeline.outputs.teams.filter((t) => periodIdOfRecord(t.period) === id).map((t) => [t.teamId, t]));
        return m.size === want.size && [...m.values()].every((t) => t.status === 'FINAL') && m;
      }, 120_000, `the FINAL team cards of ${id}\n${pipeline.logs()}`);
      for (const [teamId, w] of want) {
        const t = got.get(teamId)!;
        const sl = t.kpis.find((k) => k.kpiId === 'service_level')!;
        const others = t.kpis.filter((k) => k.kpiId !== 'service_level').map((k) => [k.kpiId, k.value]);
        expect({ month: i, teamId, status: t.status, members: t.members, graded: t.graded, grades: t.grades, workloadPerHead: t.workloadPerHead, compositeMean: t.compositeMean, compositeSpread: t.compositeSpread,
          serviceLevel: sl.value, serviceLevelScore: sl.score, answered: sl.denominator, kpiScore: t.kpiScore, score: t.score, rank: t.rank, others: others.every(([, v]) => v === null) }).toEqual({
          month: i, status: 'FINAL', ...w, others: true });
      }
      const first = [...want.values()].find((t) => t.rank === 1)!.teamId;
      for (const [staffId, e] of elig) expect({ staffId, honour: e.awards.includes('TEAM_HONOUR') }).toEqual({ staffId, honour: TEAMS[staffId] === first && e.eligible });
    }
  });

  it("the second month's trend: two-month mean and slope, consecutive D, the improvement plan, MOST_IMPROVED", async () => {
    const { cards, elig } = await finalsOf(1);
    for (const staffId of Object.keys(PLAN)) {
      const [c0, c1] = [EXPECTED[0]!.composite[staffId]!, EXPECTED[1]!.composite[staffId]!];
      const t = cards.get(staffId)!.trend!;
      // Two points at x = −1 and 0: the least-squares slope is their difference.
      expect({ staffId, shortGraded: t.shortGraded, shortMean: t.shortMean, shortSlope: t.shortSlope, longMean: t.longMean, consecutiveD: t.consecutiveD }).toEqual({
        staffId, shortGraded: 2, shortMean: roundTo((c0 + c1) / 2, 1), shortSlope: roundTo(c1 - c0, 1), longMean: roundTo((c0 + c1) / 2, 1),
        consecutiveD: EXPECTED[1]!.grade[staffId] === 'D' ? (EXPECTED[0]!.grade[staffId] === 'D' ? 2 : 1) : 0,
      });
      expect({ staffId, plan: elig.get(staffId)!.improvementPlanRequired }).toEqual({ staffId, plan: t.consecutiveD >= DEFAULT_RULES.trend.improvementPlanAfter });
    }
    expect(elig.get('B3')!.improvementPlanRequired).toBe(true);
    // MOST_IMPROVED (rules 2026.1: the one-month rule): per team, the largest improvement ≥ 10
    // among eligible A/B members. T1: A3 +16.7 (A2 +6.7, A1 0); T2: none reaches 10.
    const improved = [...elig.values()].filter((e) => e.awards.includes('MOST_IMPROVED')).map((e) => e.staffId);
    const worked = [...new Set(Object.values(TEAMS))].flatMap((team) => {
      const cands = Object.keys(PLAN).filter((s) => TEAMS[s] === team && ['A', 'B'].includes(EXPECTED[1]!.grade[s]!) && EXPECTED[1]!.composite[s]! - EXPECTED[0]!.composite[s]! >= DEFAULT_RULES.incentives.mostImprovedMinPoints);
      cands.sort((a, b) => EXPECTED[1]!.composite[b]! - EXPECTED[0]!.composite[b]! - (EXPECTED[1]!.composite[a]! - EXPECTED[0]!.composite[a]!));
      return cands.slice(0, 1);
    });
    expect(improved.sort()).toEqual(worked.sort());
    expect(improved).toEqual(['A3']);
  });

  it("rescore of the second month with A from 92: the diff worked out from the month's composites", async () => {
    const { cards, elig } = await finalsOf(1);
    const a92 = path.join(dir, 'a92.json');
    writeFileSync(a92, JSON.stringify({ grades: { A: 92 } }));
    const r = await runCli(['rescore', '--period', second.id, '--rules', a92, '--json'], { ...pipeline.env, LOG_LEVEL: 'warn' }, undefined, 90_000);
    expect(r.code, r.stderr).toBe(0);
    const d = JSON.parse(r.stdout) as WhatIfDiff;
    const proposed = grades(EXPECTED[1]!.composite, 92);
    const moved = Object.keys(PLAN).filter((s) => proposed[s] !== cards.get(s)!.grade).sort();
    expect(moved).toEqual(['B2']); // 91.4: A from 90, B from 92
    expect(d.gradesMoved).toBe(moved.length);
    expect(d.teams.flatMap((t) => t.moved.map((m) => ({ staffId: m.staffId, from: m.from, to: m.to })))).toEqual(moved.map((s) => ({ staffId: s, from: cards.get(s)!.grade, to: proposed[s] })));
    // The coefficient of each moved, eligible member follows the grade; the others keep theirs.
    const coef = DEFAULT_RULES.incentives.bonusCoefficients as Record<string, number>;
    const current = [...elig.values()].reduce((a, e) => a + e.bonusCoefficient, 0);
    const delta = moved.reduce((a, s) => a + (elig.get(s)!.eligible ? coef[proposed[s]!]! - coef[cards.get(s)!.grade]! : 0), 0);
    expect(d.coefficients.currentTotal).toBeCloseTo(current, 6);
    expect(d.coefficients.delta).toBeCloseTo(delta, 6);
    // B2 loses the A, and with it any award that needs one (SERVICE_STAR) it held.
    const lost = d.awards.lost.map((a) => `${a.id} ${a.staffId}`);
    if (elig.get('B2')!.awards.includes('SERVICE_STAR')) expect(lost).toContain('SERVICE_STAR B2');
  });
});
