// The worked example of docs/team-scorecards.md, computed by hand there and in the comments here.
import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, TEAM_DEFAULTS, honouredTeams, linearScore, mergeRules, queueCallsByTeam, RulesError, teamKpis, teamSettingsOf, rolePercentiles, teamCards, type Counters, type QueueCalls, type Scorecard } from '../src/index.ts';

/** The fields a team card reads of a member's scorecard. */
const card = (staffId: string, teamId: string, role: Scorecard['role'], composite: number | null, grade: Scorecard['grade'], units: number): Scorecard =>
  ({ staffId, teamId, role, composite, grade, kpis: { workload_units: { value: units, numerator: null, denominator: null, score: null } } }) as unknown as Scorecard;

const T1 = [card('H1', 'T1', 'HOTLINE_AGENT', 92, 'A', 120), card('H2', 'T1', 'HOTLINE_AGENT', 85, 'B', 100), card('H3', 'T1', 'HOTLINE_AGENT', 70, 'C', 80)];
const T2 = [card('M1', 'T2', 'METER_READER', 88, 'B', 90), card('M2', 'T2', 'METER_READER', 81, 'B', 90), card('B1', 'T2', 'BILLING_CLERK', 93, 'A', 120)];
const COUNTERS: Record<string, Counters> = {
  H1: { contacts_handled: 400, complaints_general_substantiated: 1 },
  H2: { contacts_handled: 350 },
  H3: { contacts_handled: 250 },
  M1: { readings_due: 1000, readings_due_on_time: 980 },
  M2: { readings_due: 1000, readings_due_on_time: 960 },
  B1: { bills_due: 40, amount_due_cents: 50_000_000, amount_paid_on_time_cents: 46_000_000 },
};
const QUEUES = new Map<string, QueueCalls[]>([['T1', [{ queue: '95598-general', answeredByTeam: 300, answered: 1000, answeredWithin: 850, abandoned: 100 }]]]);

describe('team cards (docs/team-scorecards.md, worked example)', () => {
  it('T1: grades, workload per head, composite mean and spread, the service level and complaint rate', () => {
    const t1 = teamCards([...T1, ...T2], COUNTERS, QUEUES, DEFAULT_RULES).find((t) => t.teamId === 'T1')!;
    expect({ members: t1.members, graded: t1.graded, grades: t1.grades, perHead: t1.workloadPerHead, mean: t1.compositeMean, spread: t1.compositeSpread }).toEqual({
      members: 3, graded: 3, grades: { A: 1, B: 1, C: 1, D: 0, INSUFFICIENT_DATA: 0 }, perHead: 100, mean: 82.3, spread: 9.2,
    });
    // SL = 850 / (1000 + 100) = 0.7727 -> 100 × 0.1727 / 0.2 = 86.4; complaints 1 per 1000 contacts -> 100 × 1 / 1.5 = 66.7
    expect(t1.kpis.service_level).toEqual({ value: 0.7727, numerator: (300 * 850) / 1100, denominator: 300, score: 86.4 });
    expect(t1.kpis.complaints_per_1000_contacts).toEqual({ value: 1, numerator: 1, denominator: 1000, score: 66.7 });
    for (const k of ['repair_commitment_rate', 'fee_collection_rate', 'meter_reading_rate'] as const) expect([k, t1.kpis[k].score]).toEqual([k, null]);
    expect(t1.kpiScore).toBe(76.5);
  });

  it('T2: meter reading and collection completion; no contacts, so no complaint rate', () => {
    const t2 = teamCards([...T1, ...T2], COUNTERS, QUEUES, DEFAULT_RULES).find((t) => t.teamId === 'T2')!;
    expect({ grades: t2.grades, perHead: t2.workloadPerHead, mean: t2.compositeMean, spread: t2.compositeSpread }).toEqual({ grades: { A: 1, B: 2, C: 0, D: 0, INSUFFICIENT_DATA: 0 }, perHead: 100, mean: 87.3, spread: 4.9 });
    expect(t2.kpis.meter_reading_rate).toEqual({ value: 0.97, numerator: 1940, denominator: 2000, score: 40 });
    expect(t2.kpis.fee_collection_rate).toEqual({ value: 0.92, numerator: 46_000_000, denominator: 50_000_000, score: 20 });
    expect(t2.kpis.complaints_per_1000_contacts.score).toBeNull();
    expect(t2.kpis.service_level.score).toBeNull();
    expect(t2.kpiScore).toBe(30);
  });

  it('rank: by mean composite under the default weight 0 (T2 first, as TEAM_HONOUR today); with the team KPIs at 30 %, T1 first', () => {
    const rank = (w: number) => teamCards([...T1, ...T2], COUNTERS, QUEUES, DEFAULT_RULES, { ...TEAM_DEFAULTS, teamKpiWeight: w }).map((t) => [t.teamId, t.score, t.rank]);
    expect(rank(0)).toEqual([['T1', 82.3, 2], ['T2', 87.3, 1]]);
    // 0.7 × 82.33 + 0.3 × 76.52 = 80.6; 0.7 × 87.33 + 0.3 × 30 = 70.1
    expect(rank(30)).toEqual([['T1', 80.6, 1], ['T2', 70.1, 2]]);
  });

  it('teams below teamHonourMinGraded graded members are not ranked; tied teams share a rank', () => {
    const small = [card('S1', 'T3', 'HALL_CLERK', 99, 'A', 10), card('S2', 'T3', 'HALL_CLERK', null, 'INSUFFICIENT_DATA', 0)];
    const twin = T2.map((c) => ({ ...c, staffId: `${c.staffId}x`, teamId: 'T4' }));
    const cards = teamCards([...T2, ...twin, ...small], COUNTERS, new Map(), DEFAULT_RULES);
    expect(cards.map((t) => [t.teamId, t.graded, t.rank])).toEqual([['T2', 3, 1], ['T3', 1, null], ['T4', 3, 1]]);
    expect(cards.find((t) => t.teamId === 'T3')!.grades.INSUFFICIENT_DATA).toBe(1);
  });

  it('role percentiles: mid-rank among the centre\'s graded members of the same role', () => {
    const readers = [94, 91, 80, 96, 97, 95, 70, 60, 85, 98].map((x, i) => card(`MR${i}`, i < 3 ? 'T3' : 'T9', 'METER_READER', x, x >= 90 ? 'A' : 'B', 0));
    const clerks = [92, 85, 70, 75, 60].map((x, i) => card(`BC${i}`, i < 2 ? 'T3' : 'T9', 'BILLING_CLERK', x, 'B', 0));
    const p = rolePercentiles([...readers, ...clerks, card('X', 'T9', 'HALL_CLERK', null, 'INSUFFICIENT_DATA', 0)]);
    expect(['MR0', 'MR1', 'MR2', 'BC0', 'BC1'].map((s) => p.get(s))).toEqual([55, 45, 25, 90, 70]);
    expect(p.has('X')).toBe(false);
  });

  it('role percentiles with ties and negative values: what counting every peer gives', () => {
    const xs = [50, 50, 70, -3, 70, 70, 99.5, 0, 0, 50, -3, 12.25];
    const cards = xs.map((x, i) => card(`S${i}`, 'T1', i % 3 === 0 ? 'HALL_CLERK' : 'HOTLINE_AGENT', x, 'C', 0));
    const p = rolePercentiles(cards);
    for (const c of cards) {
      const peers = cards.filter((o) => o.role === c.role).map((o) => o.composite!);
      const lower = peers.filter((y) => y < c.composite!).length;
      const equal = peers.filter((y) => y === c.composite!).length;
      expect(p.get(c.staffId)).toBe((100 * (lower + equal / 2)) / peers.length);
    }
  });

  it('rules: `teams` is optional (absent = the defaults, so the rules hash of 2026.1 stays); a version may set the weight and some scales', () => {
    expect(DEFAULT_RULES.teams).toBeUndefined();
    expect(DEFAULT_RULES.forcedDistribution.rankBy).toBeUndefined();
    expect(teamSettingsOf(DEFAULT_RULES)).toBe(TEAM_DEFAULTS);
    const r = mergeRules(DEFAULT_RULES, { teams: { teamKpiWeight: 30, kpis: { service_level: { better: 'higher', floor: 0.7, target: 0.9, minSample: 50 } } } });
    const s = teamSettingsOf(r);
    expect([s.teamKpiWeight, s.kpis.service_level.floor, s.kpis.meter_reading_rate]).toEqual([30, 0.7, TEAM_DEFAULTS.kpis.meter_reading_rate]);
    expect(r.rulesVersion).not.toBe(DEFAULT_RULES.rulesVersion);
    // The rules' weight decides: T1 ranks 1 and is honoured (80.6 against 70.1, worked example).
    const teams = teamCards([...T1, ...T2], COUNTERS, QUEUES, mergeRules(DEFAULT_RULES, { teams: { teamKpiWeight: 30 } }));
    expect([...honouredTeams(teams)]).toEqual(['T1']);
    expect(() => mergeRules(DEFAULT_RULES, { teams: { kpis: { service_level: { better: 'higher', floor: 0.8, target: 0.6, minSample: 1 } } } })).toThrow(RulesError);
    expect(() => mergeRules(DEFAULT_RULES, { teams: { teamKpiWeight: 101 } })).toThrow(/teams\.teamKpiWeight/);
  });

  it('rankBy rolePercentile: the team mean is the mean role percentile of its graded members', () => {
    const rules = mergeRules(DEFAULT_RULES, { forcedDistribution: { rankBy: 'rolePercentile' } });
    // Readers 81, 88 -> (0 + ½) / 2 = 25, (1 + ½) / 2 = 75; the one clerk 93 -> 50; agents 70, 85, 92 -> 16.7, 50, 83.3.
    const teams = teamCards([...T1, ...T2], COUNTERS, QUEUES, rules);
    expect(teams.map((t) => [t.teamId, t.compositeMean, t.rank])).toEqual([['T1', 50, 1], ['T2', 50, 1]]);
  });

  it('linear scores are clamped, for higher- and lower-is-better scales', () => {
    const sl = TEAM_DEFAULTS.kpis.service_level;
    const cr = TEAM_DEFAULTS.kpis.complaints_per_1000_contacts;
    expect([linearScore(0.5, sl), linearScore(0.9, sl)]).toEqual([0, 100]);
    expect(linearScore(0.7, sl)).toBeCloseTo(50, 9);
    expect([linearScore(3, cr), linearScore(0, cr)]).toEqual([0, 100]);
    expect(linearScore(1.25, cr)).toBeCloseTo(50, 9);
  });
});

describe('queueCallsByTeam: the qs and q hashes of a month as the teams\' queue calls', () => {
  it('sums each team\'s members per queue and joins the queue\'s centre-wide counts; staff off the roster count for no team', () => {
    const roster = [{ staffId: 'H1', teamId: 'T1' }, { staffId: 'H2', teamId: 'T1' }, { staffId: 'H9', teamId: 'T2' }];
    const qs = { 'general|H1': 120, 'general|H2': 180, 'billing|H2': 5, 'odd|queue|H9': 7, 'general|GONE': 50 };
    const sla = { 'answered|general': 1000, 'answered_within|general': 850, 'abandoned|general': 100, 'answered|billing': 40, 'answered_within|billing': 30, 'answered|odd|queue': 7 };
    const q = queueCallsByTeam(roster, qs, sla);
    expect(Object.fromEntries(q)).toEqual({
      T1: [
        { queue: 'billing', answeredByTeam: 5, answered: 40, answeredWithin: 30, abandoned: 0 },
        { queue: 'general', answeredByTeam: 300, answered: 1000, answeredWithin: 850, abandoned: 100 },
      ],
      T2: [{ queue: 'odd|queue', answeredByTeam: 7, answered: 7, answeredWithin: 0, abandoned: 0 }],
    });
    // T1's service level: (300 × 850 / 1100 + 5 × 30 / 40) / 305 = (231.818 + 3.75) / 305 = 0.77236
    expect(teamKpis([], q.get('T1')!, TEAM_DEFAULTS).service_level.value).toBeCloseTo(0.7724, 4);
  });
});
