// `cs-appraisal explain` through the bin against the real Redis: a past month known only to Redis
// (no topic at all), its counters, roster and correction notes written as the aggregator keeps
// them; the text and the JSON are checked against values worked out by hand (see
// packages/appraisal/test/corrections.test.ts for the same team).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RULES, explainMember, type CorrectionNote, type MemberExplanation } from '@cs/appraisal';
import { correctionField, correctionsSuffix, shardPrefix } from '@cs/counter-store';
import { seedPeriod, storeOnlyCli } from '../harness/period-seed.ts';

const { month, prefix, redis, store, cli } = storeOnlyCli('explain', 'ex');

/** conduct from the supervisor's score v, satisfaction from three 360° ratings of v, 10 workload units (20 callbacks × 0.5) */
const rated = (v: number) => ({ callbacks_made: 20, supervisor_ratings: 1, supervisor_score_sum: v, feedback_ratings: 3, feedback_score_sum: 3 * v });
const COUNTERS: Record<string, Record<string, number>> = { S01: rated(95), S02: rated(88) };
const ROSTER = [
  { staffId: 'S01', teamId: 'T1', role: 'HOTLINE_AGENT', active: true },
  { staffId: 'S02', teamId: 'T1', role: 'HOTLINE_AGENT', active: true },
] as const;
const at = month.startMs + 10 * 86_400_000;
const note = (correctionId: string, offset: number, over: Partial<CorrectionNote>): CorrectionNote => ({
  correctionId, kind: 'ADJUSTMENT', staffId: 'S02', periodId: month.id, reason: `reason ${correctionId}`, requestedBy: 'SUP-7', approvedBy: 'MGR-2', at: at + offset, detail: '', ...over,
});
const NOTES = [
  note('COR-1', 0, { reason: 'rating entered against the wrong shift', detail: 'supervisor_rating set to 95', adjustment: { target: 'KPI', id: 'supervisor_rating', mode: 'VALUE', amount: 95 } }),
  note('COR-2', 1000, { reason: 'survey outage, agreed uplift', detail: 'satisfaction +20', adjustment: { target: 'DIMENSION', id: 'satisfaction', mode: 'DELTA', amount: 20 } }),
  note('COR-3', 2000, { kind: 'COMPLAINT_RULING', reason: 'complaint reviewed', requestedBy: 'QA-1', detail: 'complaint CMP-4 UPHELD: no counter changed' }),
];

beforeAll(async () => {
  await seedPeriod(store, month, ROSTER, COUNTERS);
  const key = shardPrefix(prefix, 0) + correctionsSuffix(month.id);
  for (const n of NOTES) await redis.hset(key, correctionField(n.correctionId, n.staffId), JSON.stringify(n));
});

afterAll(() => void redis.disconnect());

describe('cs-appraisal explain', () => {
  it('prints the inputs, the corrections and the arithmetic down to the quota cut and the coefficient', async () => {
    const r = await cli(['--staff', 'S02', '--period', month.id]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const text = r.stdout;
    expect(text).toContain(`S02  team T1  HOTLINE_AGENT  MONTH ${month.start}..${month.end}`);
    expect(text).toContain('FINAL revision 0');
    // every input counter
    for (const [k, v] of Object.entries(COUNTERS.S02!)) expect(text).toMatch(new RegExp(`\\n  ${k}\\s+${v}\\n`));
    // every correction with reason and actors, and what each adjustment did
    expect(text).toContain(`COR-1 ADJUSTMENT at ${new Date(at).toISOString()}, requested by SUP-7, approved by MGR-2: rating entered against the wrong shift`);
    expect(text).toContain('KPI supervisor_rating VALUE 95: 88 -> 95');
    expect(text).toContain('DIMENSION satisfaction DELTA 20: 80 -> 100');
    expect(text).toContain('COR-3 COMPLAINT_RULING');
    expect(text).toContain('complaint CMP-4 UPHELD: no counter changed');
    // KPIs: (95 − 60) / 35 -> 100 after the adjustment; 360°: (88 − 60) / 35 = 0.8 -> 80
    expect(text).toMatch(/supervisor_rating\s+conduct\s+88\/1\s+95 \(adjusted from 88\)\s+higher 60 -> 95\s+1\s+1\s+100\n/);
    expect(text).toMatch(/feedback_360\s+satisfaction\s+264\/3\s+88\s+higher 60 -> 95\s+3\s+1\s+80\n/);
    // workload 100 × 10 / (1.2 × 10) = 83.3; composite (20 × 83.3 + 20 × 100 + 10 × 100) / 50 = 93.3
    expect(text).toContain('min(100, 100 × units 10 / (1.2 × reference 10)) = 83.3');
    expect(text).toMatch(/satisfaction\s+100\s+\[weight 20\]\s+\(1 × 80 feedback_360\) \/ 1 = 80, adjusted/);
    expect(text).toContain('Σ weight × dimension / Σ weight = 4666 / 50 = 93.3 (3 dimensions counted, at least 2 needed)');
    expect(text).toContain('thresholds A ≥ 90, B ≥ 80, C ≥ 60, else D: A before the team\'s quota');
    // S01 scores 93.3 too with the same units: the staffId ranks S01 first; quota max(1, floor(0.2 × 2)) = 1
    expect(text).toContain('rank 2 of 2 graded members of team T1');
    expect(text).toContain('A quota 1; 1 A grade(s) ranked above; A capped to B: grade B');
    expect(text).toContain('coefficient 1.05; eligible yes; awards none; veto none');
  });

  it('--json is the engine\'s explanation of the same inputs', async () => {
    const r = await cli(['--staff', 'S02', '--period', month.id, '--json']);
    expect(r.code).toBe(0);
    const got = JSON.parse(r.stdout) as MemberExplanation;
    const want = explainMember({
      staffId: 'S02', counters: COUNTERS, roster: [...ROSTER], rules: DEFAULT_RULES, period: month, status: 'FINAL', computedAt: 0,
      corrections: new Map([['S02', NOTES]]),
      // no static records (docs/static-appraisal.md): the profile lists the role's certificates as missing
      staticState: new Map(),
    });
    expect(got).toEqual(JSON.parse(JSON.stringify(want)));
    expect(got.staticProfile).toEqual({ asOf: month.endMs, skills: [], qualifications: [], missing: ['CUSTOMER_SERVICE'], expiring: [], belowScore: [] });
    expect(got.ranking).toEqual({ teamRank: 2, teamSize: 2, applies: true, aQuota: 1, aAbove: 1, capped: true });
  });

  it('a member not on the roster exits 1 naming them; a missing --staff exits 2', async () => {
    const r = await cli(['--staff', 'S77', '--period', month.id]);
    expect([r.code, r.stdout]).toEqual([1, '']);
    expect(r.stderr).toContain('S77 is not scored in');
    const u = await cli(['--period', month.id]);
    expect(u.code).toBe(2);
    expect(u.stderr).toContain('missing --staff');
  });
});
