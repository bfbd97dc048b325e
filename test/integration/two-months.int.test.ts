// Issue #17 end to end: two months driven through the real stack — Kafka, Redis, the aggregator and
// the scorer as processes, `rescore` through the CLI — and checked against figures this file works
// out on its own from the events it sends (the model's arithmetic for the two dimensions the data
// touches, written again here, not imported): each month's cards, the trend on the second month's
// cards, the improvement plan after a second D, MOST_IMPROVED, TEAM_HONOUR, and the what-if diff
// of the second month under a proposal that raises the A threshold to 92. Every date derives from
// the test clock: the months are the two before the current one, both closed, on any day.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RULES, previousPeriod, roundTo, type Period, type WhatIfDiff } from '@cs/appraisal';
import type { SourceEvent, StaffProfile } from '@cs/contracts';
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

// ---- The events ----
let n = 0;
const eventId = () => `tm-${(n++).toString().padStart(4, '0')}`;
function monthEvents(p: Period, i: 0 | 1): SourceEvent[] {
  const at = (day: number, hour: number) => p.startMs + (day - 1) * DAY_MS + hour * HOUR_MS;
  return Object.entries(PLAN).flatMap(([staffId, plan]): SourceEvent[] => [
    ...Array.from({ length: plan[i].units }, (_, k): SourceEvent => ({ kind: 'ContactCompleted', eventId: eventId(), occurredAt: at(2 + (k % 4), 10) + k * 60_000, callId: `C-${p.id}-${staffId}-${k}`, staffId, channel: 'HOTLINE', category: 'BILLING', talkSeconds: 200, holdSeconds: 10, wrapSeconds: 30, resolution: 'ESCALATED' })),
    { kind: 'ShiftAttended', eventId: eventId(), occurredAt: at(3, 9), staffId, shiftId: `SH-${p.id}-${staffId}`, scheduledMinutes: 480, attendedMinutes: 480, late: false },
    { kind: 'SupervisorRated', eventId: eventId(), occurredAt: at(5, 16), staffId, raterId: 'MGR-1', score: plan[i].rating },
  ]);
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
