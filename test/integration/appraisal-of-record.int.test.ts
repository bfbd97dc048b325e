// Issue #16 end to end: one month driven through the real stack — Kafka, Redis, the aggregator
// and the scorer as processes, the CLI for corrections, `explain` and the payroll export — with a
// mid-month transfer, a leaver, a rules version effective the next month, an overturned serious
// complaint, an excused absence and a supervisor's adjustment. Every expected number below is
// worked out by hand from appraisal-model.md (comments show the arithmetic); every date derives
// from the test clock (the month appraised is last month, closed, on whatever day this runs).
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, DEFAULT_RULES, nextPeriod, roundTo, type Period } from '@cs/appraisal';
import type { Eligibility, SourceEvent, StaffProfile } from '@cs/contracts';
import type { Redis } from 'ioredis';
import { CounterStore } from '@cs/counter-store';
import { counterStoreOptions, loadConfig } from '@cs/runtime';
import { TEST_CLOCK } from '../harness/clock.ts';
import { runCli } from '../harness/cli.ts';
import { redisFor, waitFor } from '../harness/index.ts';
import { latestOf } from '../harness/outputs.ts';
import { startPipeline, type Pipeline } from '../harness/pipeline.ts';
import { spawnService } from '../harness/services.ts';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const month: Period = TEST_CLOCK.lastMonth();
const thisMonth = nextPeriod(month);
/** Days in the appraised month (28–31): the leaver's presence depends on it. */
const D = Math.round((month.endMs - month.startMs) / DAY_MS);
const at = (day: number, hour: number) => month.startMs + (day - 1) * DAY_MS + hour * HOUR_MS; // local (Shanghai) time of day `day`

// The roster: every one a hotline agent. M1 moves from T1 to T2 on day 11; L1 leaves on day 21
// (inactive from then on: present on days 1–20, presence 20/D).
const moveDay = addDays(month.start, 10);
const leaveDay = addDays(month.start, 20);
const base = (staffId: string, teamId: string): StaffProfile => ({ staffId, teamId, role: 'HOTLINE_AGENT', active: true, updatedAt: month.startMs - DAY_MS, effectiveFrom: null });
const ROSTER: StaffProfile[] = [
  base('A1', 'T1'), base('A2', 'T1'), base('A3', 'T1'), base('M1', 'T1'),
  base('B1', 'T2'), base('B2', 'T2'), base('L1', 'T2'),
  { ...base('M1', 'T2'), effectiveFrom: moveDay, updatedAt: at(11, 0) },
  { ...base('L1', 'T2'), active: false, effectiveFrom: leaveDay, updatedAt: at(21, 0) },
];

// The month's events, all on days 2–5 (before the move and the leaving). Fewer than 10 contacts
// each, so only two dimensions have data: workload (W, weight 20) and conduct (D, weight 10:
// attendance and supervisor rating). Contacts are ESCALATED: workload units = contacts.
let n = 0;
const eventId = () => `e2e-${(n++).toString().padStart(4, '0')}`;
const contacts = (staffId: string, count: number): SourceEvent[] =>
  Array.from({ length: count }, (_, i) => ({ kind: 'ContactCompleted', eventId: eventId(), occurredAt: at(2 + (i % 4), 10) + i * 60_000, callId: `C-${staffId}-${i}`, staffId, channel: 'HOTLINE', category: 'BILLING', talkSeconds: 200, holdSeconds: 10, wrapSeconds: 30, resolution: 'ESCALATED' }));
const shift = (staffId: string, attendedMinutes = 480, late = false): SourceEvent => ({ kind: 'ShiftAttended', eventId: eventId(), occurredAt: at(3, 9), staffId, shiftId: `SH-${staffId}`, scheduledMinutes: 480, attendedMinutes, late });
const rated = (staffId: string, score: number): SourceEvent => ({ kind: 'SupervisorRated', eventId: eventId(), occurredAt: at(5, 16), staffId, raterId: 'MGR-1', score });

const A2_SHIFT = shift('A2', 240, true); // half a shift, late: attendance 0.5 (a veto), excused later
const B1_COMPLAINT: SourceEvent = { kind: 'ComplaintAgainstStaff', eventId: eventId(), occurredAt: at(4, 11), complaintId: 'CMP-1', staffId: 'B1', severity: 'SERIOUS', substantiated: true }; // veto, overturned later
const EVENTS: SourceEvent[] = [
  ...contacts('A1', 6), shift('A1'), rated('A1', 95),
  ...contacts('A2', 6), A2_SHIFT, rated('A2', 95),
  ...contacts('A3', 6), shift('A3'), rated('A3', 74),
  ...contacts('M1', 4), shift('M1'), rated('M1', 95),
  ...contacts('B1', 8), shift('B1'), rated('B1', 95), B1_COMPLAINT,
  ...contacts('B2', 6), shift('B2'), rated('B2', 88),
  ...contacts('L1', 2), shift('L1'), rated('L1', 95),
];

// Hand-worked FINAL (rules 2026.1, the defaults; the version effective this month must not apply).
// Workload: score = min(100, 100 × units / (1.2 × reference)), reference = the team's median of
// full-time-equivalent units (units / presence) × the member's presence (≥ 3 peers in each team).
//   T1 (A1, A2, A3 — M1 ended the month in T2): units 6, 6, 6 → median 6 → W = 100 × 6 / 7.2 = 83.3
//   T2 (B1, B2, M1, L1): FTE 8, 6, 4, 2 / (20/D) = D/10 (2.8–3.1) → median (4 + 6) / 2 = 5
//     B1 100 × 8 / 6 → 100; B2 100 × 6 / 6 = 100; M1 100 × 4 / 6 = 66.7;
//     L1 reference 5 × 20/D → 100 × 2 / (1.2 × 100 / D) = 5D/3 (D = 30: 50.0)
// Conduct D = mean(attendance score, supervisor score); attendance 1 → 100; rating s → 100 × (s − 60) / 35:
//   95 → 100, 88 → 80, 74 → 40; A2: attendance 240/480 = 0.5 → 0 (and −5 for being late, floored at 0) → D = 50
// Composite = (20 W + 10 D) / 30.
const W_L1 = roundTo((5 * D) / 3, 1);
const C_L1 = roundTo((20 * W_L1 + 10 * 100) / 30, 1);
const FINAL: Record<string, { teamId: string; W: number; D: number; composite: number; grade: string; rank: number; teamSize: number }> = {
  A1: { teamId: 'T1', W: 83.3, D: 100, composite: 88.9, grade: 'B', rank: 1, teamSize: 3 }, // 2666 / 30
  A3: { teamId: 'T1', W: 83.3, D: 70, composite: 78.9, grade: 'C', rank: 2, teamSize: 3 }, // (1666 + 700) / 30
  A2: { teamId: 'T1', W: 83.3, D: 50, composite: 72.2, grade: 'C', rank: 3, teamSize: 3 }, // (1666 + 500) / 30
  B1: { teamId: 'T2', W: 100, D: 100, composite: 100, grade: 'A', rank: 1, teamSize: 4 },
  B2: { teamId: 'T2', W: 100, D: 90, composite: 96.7, grade: 'B', rank: 2, teamSize: 4 }, // (2000 + 900) / 30; A capped: quota max(1, floor(0.2 × 4)) = 1
  M1: { teamId: 'T2', W: 66.7, D: 100, composite: 77.8, grade: 'C', rank: 3, teamSize: 4 }, // (1334 + 1000) / 30
  L1: { teamId: 'T2', W: W_L1, D: 100, composite: C_L1, grade: C_L1 >= 60 ? 'C' : 'D', rank: 4, teamSize: 4 },
};
// Eligibility of the FINAL: team means T1 (88.9 + 78.9 + 72.2) / 3 = 80.0, T2 (100 + 96.7 + 77.8 + C_L1) / 4 ≥ 84.7 →
// TEAM_HONOUR to T2's eligible members. B1 is vetoed (serious complaint): coefficient D 0.88, no
// awards, and no SERVICE_STAR in T2 (B2 is a capped B). A2 is vetoed (attendance 0.5 < 0.8).
const FINAL_ELIG: Record<string, { eligible: boolean; bonusCoefficient: number; awards: string[]; vetoReasons: string[] }> = {
  A1: { eligible: true, bonusCoefficient: 1.05, awards: [], vetoReasons: [] },
  A2: { eligible: false, bonusCoefficient: 0.88, awards: [], vetoReasons: ['LOW_ATTENDANCE'] },
  A3: { eligible: true, bonusCoefficient: 0.95, awards: [], vetoReasons: [] },
  B1: { eligible: false, bonusCoefficient: 0.88, awards: [], vetoReasons: ['SERIOUS_COMPLAINT'] },
  B2: { eligible: true, bonusCoefficient: 1.05, awards: ['TEAM_HONOUR'], vetoReasons: [] },
  M1: { eligible: true, bonusCoefficient: 0.95, awards: ['TEAM_HONOUR'], vetoReasons: [] },
  L1: { eligible: true, bonusCoefficient: 0.95, awards: ['TEAM_HONOUR'], vetoReasons: [] },
};
// After the corrections: B1's complaint overturned (veto lifted: A, 1.20, SERVICE_STAR as the
// best A with W ≥ 80); A2's absence excused (attendance 1 → D 100 → 88.9, B); A3's supervisor
// rating set to 95 by an adjustment (D 100 → 88.9, B). T1's mean becomes 88.9 > T2's, so
// TEAM_HONOUR moves to T1: A1, A2, A3 gain it, B2, M1, L1 lose it (their cards do not change, their
// eligibility does). Cards REVISED (revision 1): A2, A3 and B1 (same numbers, the reason listed).
const REVISED: Record<string, { D: number; composite: number; grade: string }> = {
  A2: { D: 100, composite: 88.9, grade: 'B' },
  A3: { D: 100, composite: 88.9, grade: 'B' },
  B1: { D: 100, composite: 100, grade: 'A' },
};
const REVISED_ELIG: Record<string, { eligible: boolean; bonusCoefficient: number; awards: string[]; vetoReasons: string[] }> = {
  A1: { eligible: true, bonusCoefficient: 1.05, awards: ['TEAM_HONOUR'], vetoReasons: [] },
  A2: { eligible: true, bonusCoefficient: 1.05, awards: ['TEAM_HONOUR'], vetoReasons: [] },
  A3: { eligible: true, bonusCoefficient: 1.05, awards: ['TEAM_HONOUR'], vetoReasons: [] },
  B1: { eligible: true, bonusCoefficient: 1.2, awards: ['SERVICE_STAR'], vetoReasons: [] },
  B2: { eligible: true, bonusCoefficient: 1.05, awards: [], vetoReasons: [] },
  M1: { eligible: true, bonusCoefficient: 0.95, awards: [], vetoReasons: [] },
  L1: { eligible: true, bonusCoefficient: 0.95, awards: [], vetoReasons: [] },
};

let dir: string;
let pipeline: Pipeline;
let redis: Redis;

const cli = (args: string[]) => runCli(args, { ...pipeline.env, LOG_LEVEL: 'warn' }, undefined, 90_000);
const cardsOf = (periodId: string) => latestOf(pipeline.outputs.cards, periodId);
const eligOf = (periodId: string) => latestOf(pipeline.outputs.elig, periodId);

beforeAll(async () => {
  // The rules: the defaults (2026.1) and a version effective this month that would grade last month
  // differently (A from 85) if it were ever applied to it.
  dir = mkdtempSync(path.join(os.tmpdir(), 'cs-record-'));
  writeFileSync(path.join(dir, 'next.json'), JSON.stringify({ rulesVersion: 'e2e-next', effectiveFrom: thisMonth.start, grades: { A: 85, B: 75, C: 50 } }));
  redis = redisFor();
  pipeline = await startPipeline('record', [...ROSTER, ...EVENTS, { ...contacts('A1', 1)[0]!, eventId: 'e2e-this-month', occurredAt: TEST_CLOCK.clock.now() - HOUR_MS }], { CS_RULES_FILE: dir });
}, 120_000);

afterAll(() => pipeline.stop({ redis, dir }));


describe('the appraisal of record, end to end', () => {
  it('FINAL cards of the month: the period roster (transfer, leaver), the rules in force for it, numbers worked out by hand', async () => {
    await waitFor(async () => eligOf(month.id).size === 7 && cardsOf(month.id).size === 7, 150_000, `7 FINAL cards and eligibility records of ${month.id}\n${pipeline.logs()}`);
    const cards = cardsOf(month.id);
    for (const [staffId, x] of Object.entries(FINAL)) {
      const c = cards.get(staffId)!;
      expect({ staffId, status: c.status, revision: c.revision, rulesVersion: c.rulesVersion, teamId: c.teamId, W: c.dimensions.workload, D: c.dimensions.conduct, composite: c.composite, grade: c.grade, rank: c.teamRank, teamSize: c.teamSize }).toEqual({
        staffId, status: 'FINAL', revision: 0, rulesVersion: DEFAULT_RULES.rulesVersion, teamId: x.teamId, W: x.W, D: x.D, composite: x.composite, grade: x.grade, rank: x.rank, teamSize: x.teamSize,
      });
      expect(c.reasons ?? []).toEqual([]);
    }
    const elig = eligOf(month.id);
    for (const [staffId, x] of Object.entries(FINAL_ELIG)) {
      const e = elig.get(staffId)!;
      expect({ staffId, appraisalId: e.appraisalId, eligible: e.eligible, bonusCoefficient: e.bonusCoefficient, awards: e.awards, vetoReasons: e.vetoReasons }).toEqual({ staffId, appraisalId: cards.get(staffId)!.appraisalId, ...x });
    }
    // This month (one contact of A1 so far) is scored under the version in force for it.
    await waitFor(async () => cardsOf(thisMonth.id).get('A1'), 30_000, `A1's PROVISIONAL card of ${thisMonth.id}`);
    expect(cardsOf(thisMonth.id).get('A1')!.rulesVersion).toBe('e2e-next');
  });

  it('corrections made with the CLI: REVISED cards listing their reasons, the veto lifted, awards moved', async () => {
    // The scorer is stopped while the corrections go in, so that one REVISED round takes all three
    // (each alone moves T1's ranks, and with it the others' cards: revision 1 for each is exact).
    await pipeline.services.pop()!.kill('SIGTERM');
    const who = ['--requested-by', 'SUP-7', '--approved-by', 'MGR-2'];
    const runs = await Promise.all([
      cli(['correct', 'complaint', '--id', 'COR-1', '--event-id', B1_COMPLAINT.eventId, '--period', month.id, '--staff', 'B1', '--ruling', 'OVERTURNED', '--reason', 'recording shows the agent followed procedure', ...who]),
      cli(['correct', 'excuse-absence', '--id', 'COR-2', '--event-id', A2_SHIFT.eventId, '--period', month.id, '--staff', 'A2', '--reason', 'hospital appointment, certificate filed', ...who]),
      cli(['correct', 'adjust', '--id', 'COR-3', '--staff', 'A3', '--period', month.id, '--kpi', 'supervisor_rating', '--value', '95', '--reason', 'rating entered against the wrong shift', ...who]),
    ]);
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    expect(runs.map((r) => r.stdout.trim())).toEqual(['COR-1', 'COR-2', 'COR-3']);
    const store = new CounterStore(redis, counterStoreOptions(loadConfig(pipeline.env)));
    const applied = async () => {
      const notes = await store.periodCorrections(month.id);
      return ['A2', 'A3', 'B1'].every((s) => notes.has(s));
    };
    await waitFor(applied, 60_000, `the aggregator applying the three corrections\n${pipeline.logs()}`);
    pipeline.services.push(spawnService('scorer', pipeline.env));

    await waitFor(
      async () => ['A2', 'A3', 'B1'].every((s) => cardsOf(month.id).get(s)?.status === 'REVISED') && eligOf(month.id).get('A1')?.awards.includes('TEAM_HONOUR'),
      120_000,
      `REVISED cards of A2, A3, B1 and the moved TEAM_HONOUR\n${pipeline.logs()}`,
    );
    // Eligibility of everyone whose eligibility moved, published with the cards' REVISED round. The
    // records go out on several partitions side by side, so wait until each one has arrived: the
    // eligibility of each card carries that card's appraisalId.
    const settled = () => {
      const cards = cardsOf(month.id);
      const elig = eligOf(month.id);
      return Object.entries(REVISED_ELIG).every(([s, x]) => elig.get(s)?.appraisalId === cards.get(s)?.appraisalId && elig.get(s)!.awards.join() === x.awards.join());
    };
    await waitFor(async () => settled() || undefined, 30_000, `every eligibility record of the REVISED round\n${pipeline.logs()}`);

    const cards = cardsOf(month.id);
    for (const [staffId, x] of Object.entries(REVISED)) {
      const c = cards.get(staffId)!;
      expect({ staffId, status: c.status, revision: c.revision, rulesVersion: c.rulesVersion, D: c.dimensions.conduct, composite: c.composite, grade: c.grade }).toEqual({ staffId, status: 'REVISED', revision: 1, rulesVersion: DEFAULT_RULES.rulesVersion, ...x });
    }
    const reasons = (s: string) => (cards.get(s)!.reasons ?? []).map((r) => ({ correctionId: r.correctionId, kind: r.kind, reason: r.reason, requestedBy: r.requestedBy, approvedBy: r.approvedBy }));
    expect(reasons('B1')).toEqual([{ correctionId: 'COR-1', kind: 'COMPLAINT_RULING', reason: 'recording shows the agent followed procedure', requestedBy: 'SUP-7', approvedBy: 'MGR-2' }]);
    expect(reasons('A2')).toEqual([{ correctionId: 'COR-2', kind: 'ABSENCE_EXCUSED', reason: 'hospital appointment, certificate filed', requestedBy: 'SUP-7', approvedBy: 'MGR-2' }]);
    expect(reasons('A3')).toEqual([{ correctionId: 'COR-3', kind: 'ADJUSTMENT', reason: 'rating entered against the wrong shift', requestedBy: 'SUP-7', approvedBy: 'MGR-2' }]);
    // The others keep their FINAL card.
    for (const s of ['A1', 'B2', 'M1', 'L1']) expect([s, cards.get(s)!.status]).toEqual([s, 'FINAL']);

    const elig = eligOf(month.id);
    for (const [staffId, x] of Object.entries(REVISED_ELIG)) {
      const e = elig.get(staffId)!;
      expect({ staffId, appraisalId: e.appraisalId, eligible: e.eligible, bonusCoefficient: e.bonusCoefficient, awards: e.awards, vetoReasons: e.vetoReasons }).toEqual({ staffId, appraisalId: cards.get(staffId)!.appraisalId, ...x });
    }
  });

  it('explain shows the inputs, the adjustment with its reason and actors, and the arithmetic to the coefficient', async () => {
    const r = await cli(['explain', '--staff', 'A3', '--period', month.id]);
    expect(r.code, r.stderr).toBe(0);
    const text = r.stdout;
    console.log(`--- cs-appraisal explain --staff A3 --period ${month.id}\n${text}`);
    expect(text.split('\n')[0]).toMatch(new RegExp(`^A3  team T1  HOTLINE_AGENT  MONTH .*  REVISED revision 1  rules ${DEFAULT_RULES.rulesVersion.replace('.', '\\.')}$`));
    expect(text).toMatch(/supervisor_score_sum +74\n/); // the input counters
    expect(text).toContain('COR-3 ADJUSTMENT');
    expect(text).toMatch(/requested by SUP-7, approved by MGR-2: rating entered against the wrong shift/);
    expect(text).toMatch(/KPI supervisor_rating VALUE 95: 74 -> 95/);
    expect(text).toMatch(/min\(100, 100 × units 6 \/ \(1\.2 × reference 6\)\) = 83\.3/);
    expect(text).toMatch(/Σ weight × dimension \/ Σ weight = 2666 \/ 30 = 88\.9/);
    expect(text).toMatch(/conduct +100 +\[weight 10\] +\(1 × 100 attendance_rate \+ 1 × 100 supervisor_rating\) \/ 2/);
    // Three at 88.9 with the same workload units: ranked by staffId, A3 last; no A, nothing capped.
    expect(text).toMatch(/rank 3 of 3 graded members of team T1\n +A quota 1; 0 A grade\(s\) ranked above; not capped: grade B/);
    expect(text).toMatch(/coefficient 1\.05; eligible yes; awards TEAM_HONOUR; veto none/);
  });

  it('export: the CSV payroll imports, with the revised rows and their reasons', async () => {
    const r = await cli(['export', '--period', month.id, '--format', 'csv']);
    expect(r.code, r.stderr).toBe(0);
    const rows = r.stdout.trim().split('\r\n');
    expect(rows[0]).toBe('staff,team,role,grade,coefficient,awards,veto,status,revision,reasons,adjustment');
    const byStaff = new Map(rows.slice(1).map((line) => [line.split(',')[0]!, line]));
    expect(byStaff.size).toBe(7);
    expect(r.stderr).toMatch(new RegExp(`${month.id} rows=7 `));
    // Corrected now, long after the month's payroll cut-off: adjustments for the next pay run.
    expect(byStaff.get('B1')).toMatch(/^B1,T2,HOTLINE_AGENT,A,1\.2,SERVICE_STAR,,REVISED,1,"?COR-1 COMPLAINT_RULING: recording shows the agent followed procedure \(requested SUP-7, approved MGR-2\)"?,yes$/);
    expect(byStaff.get('A2')).toMatch(/^A2,T1,HOTLINE_AGENT,B,1\.05,TEAM_HONOUR,,REVISED,1,"?COR-2 ABSENCE_EXCUSED: hospital appointment, certificate filed \(requested SUP-7, approved MGR-2\)"?,yes$/);
    expect(byStaff.get('A3')).toMatch(/^A3,T1,HOTLINE_AGENT,B,1\.05,TEAM_HONOUR,,REVISED,1,"?COR-3 ADJUSTMENT: rating entered against the wrong shift \(requested SUP-7, approved MGR-2\)"?,yes$/);
    expect(byStaff.get('A1')).toMatch(/^A1,T1,HOTLINE_AGENT,B,1\.05,TEAM_HONOUR,,FINAL,0,,yes$/);
    expect(byStaff.get('M1')).toMatch(/^M1,T2,HOTLINE_AGENT,C,0\.95,,,FINAL,0,,yes$/);
    expect(byStaff.get('L1')).toBe(`L1,T2,HOTLINE_AGENT,${FINAL.L1!.grade},0.95,,,FINAL,0,,yes`);
  });
});
