import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RULES as R,
  mergeRules,
  scorePopulation,
  type Counters,
  type RosterEntry,
  type Scorecard,
} from '../src/index.ts';
import { DAY, OCT, SH } from './fixture-periods.ts';

const AT = '2026-11-04T00:00:00.000Z';

const member = (staffId: string, teamId: string, role: RosterEntry['role'] = 'HOTLINE_AGENT', active = true): RosterEntry => ({
  staffId,
  teamId,
  role,
  active,
});

/** conduct = supervisor score, satisfaction = feedback score, both from a mean rating v; workload from callbacks made (0.5 unit each) */
function rated(v: number, units = 0): Counters {
  return {
    callbacks_made: 2 * units,
    supervisor_ratings: 1,
    supervisor_score_sum: v,
    feedback_ratings: 3,
    feedback_score_sum: 3 * v,
  };
}
const byId = (cards: Scorecard[]) => new Map(cards.map((c) => [c.staffId, c]));

describe('workload reference', () => {
  it('is the team median of the same role with ≥ 3 active members', () => {
    const roster = [member('A', 'T1'), member('B', 'T1'), member('C', 'T1')];
    const counters = { A: { contacts_handled: 100 }, B: { contacts_handled: 200 }, C: { contacts_handled: 300 } };
    const cards = byId(scorePopulation(counters, roster, R, OCT, 'PROVISIONAL', { computedAt: AT }));
    // reference 200: 100/240 = 41.7, 200/240 = 83.3, 300/240 -> capped 100
    expect(cards.get('A')!.kpis.workload_units).toEqual({ value: 100, numerator: 100, denominator: 200, score: 41.7 });
    expect(cards.get('B')!.dimensions.workload).toBe(83.3);
    expect(cards.get('C')!.dimensions.workload).toBe(100);
  });

  it('falls back to the role company-wide for small teams, counting silent members as 0', () => {
    const roster = [
      member('A', 'T1'),
      member('B', 'T1'),
      member('C', 'T1'),
      member('D', 'T2'),
      member('E', 'T2'),
      member('Z', 'T2', 'HOTLINE_AGENT', false), // inactive: neither scored nor counted
      member('M', 'T2', 'METER_READER'), // other role: own reference
    ];
    const counters = {
      A: { contacts_handled: 100 },
      B: { contacts_handled: 200 },
      C: { contacts_handled: 300 },
      D: { contacts_handled: 50 },
      // E has no events: 0 units
      Z: { contacts_handled: 10_000 },
      M: { meter_readings: 400 },
      X: { contacts_handled: 999 }, // not on the roster
    };
    const cards = scorePopulation(counters, roster, R, OCT, 'PROVISIONAL', { computedAt: AT });
    const m = byId(cards);
    expect([...m.keys()].sort()).toEqual(['A', 'B', 'C', 'D', 'E', 'M']);
    // T2 has 2 active hotline agents -> company-wide median of [0, 50, 100, 200, 300] = 100
    expect(m.get('D')!.kpis.workload_units).toEqual({ value: 50, numerator: 50, denominator: 100, score: 41.7 });
    expect(m.get('E')!.kpis.workload_units).toEqual({ value: 0, numerator: 0, denominator: 100, score: 0 });
    // the only meter reader is their own reference: 100/120
    expect(m.get('M')!.dimensions.workload).toBe(83.3);
  });

  it('counts silent members in a team median and scores null when the reference is 0', () => {
    const roster = [member('A', 'T1'), member('B', 'T1'), member('C', 'T1')];
    const m = byId(scorePopulation({ A: { contacts_handled: 60 }, B: { contacts_handled: 120 } }, roster, R, OCT, 'PROVISIONAL', { computedAt: AT }));
    expect(m.get('A')!.dimensions.workload).toBe(83.3); // median [0, 60, 120] = 60 -> 60/72
    const z = byId(scorePopulation({ A: { contacts_handled: 60 } }, roster, R, OCT, 'PROVISIONAL', { computedAt: AT }));
    expect(z.get('A')!.kpis.workload_units.score).toBeNull(); // median [0, 0, 60] = 0
  });
});

describe('ranking and forced distribution', () => {
  // One team of hotline agents with the given composites (null: no data) and workload units, as
  // scorePopulation ranks it (FINAL: with the quota; PROVISIONAL: without). Workload weighs 0, so
  // the composite is rated()'s conduct and satisfaction score: a mean rating of 60 + 0.35 × composite.
  const NO_WORKLOAD = mergeRules(R, { roleWeights: { HOTLINE_AGENT: { workload: 0 } } });
  const rk = (staffId: string, composite: number | null, workloadUnits = 0) => ({ staffId, composite, workloadUnits });
  const rankTeam = (team: ReturnType<typeof rk>[], applyQuota: boolean) => {
    const counters = Object.fromEntries(
      team.map((m) => [m.staffId, m.composite === null ? { callbacks_made: 2 * m.workloadUnits } : rated(60 + 0.35 * m.composite, m.workloadUnits)]),
    );
    const roster = team.map((m) => member(m.staffId, 'T1'));
    const cards = byId(scorePopulation(counters, roster, NO_WORKLOAD, OCT, applyQuota ? 'FINAL' : 'PROVISIONAL', { computedAt: AT }));
    return team.map((m) => {
      const c = cards.get(m.staffId)!;
      expect([c.composite, c.kpis.workload_units.value]).toEqual([m.composite, m.workloadUnits]);
      return c;
    });
  };

  it('ranks by composite, then workload units, then staffId; team size = graded members', () => {
    const res = rankTeam([rk('S3', 85, 100), rk('S2', 85, 120), rk('S1', 85, 100), rk('S9', 95), rk('S0', null)], false);
    expect(res.map((r) => r.teamRank)).toEqual([4, 2, 3, 1, null]);
    expect(res.every((r) => r.teamSize === 4)).toBe(true);
  });

  it('quota max(1, floor(0.2 × graded)): 10 graded -> 2 A', () => {
    const team = Array.from({ length: 10 }, (_, i) => rk(`S${i}`, 99 - i)); // all A
    const res = rankTeam(team, true);
    expect(res.map((r) => r.grade)).toEqual(['A', 'A', 'B', 'B', 'B', 'B', 'B', 'B', 'B', 'B']);
  });

  it('small teams keep one A', () => {
    expect(rankTeam([rk('S1', 91), rk('S2', 95), rk('S3', 93), rk('S4', 70)], true).map((r) => r.grade)).toEqual(['B', 'A', 'B', 'C']);
    expect(rankTeam([rk('S1', 91)], true).map((r) => r.grade)).toEqual(['A']);
  });

  it('a tie at the quota goes by workload units, then staffId', () => {
    const res = rankTeam([rk('S1', 92, 100), rk('S2', 92, 150), rk('S3', 92, 150), rk('S4', 50), rk('S5', 50)], true);
    expect(res.map((r) => [r.teamRank, r.grade])).toEqual([[3, 'B'], [1, 'A'], [2, 'B'], [4, 'D'], [5, 'D']]);
  });

  it('rankBy rolePercentile: the A quota goes to the member highest among the centre\'s peers of the same role (docs/team-scorecards.md)', () => {
    // HOTLINE_AGENT and HALL_CLERK weigh the dimensions alike, so rated() gives both the composite asked for.
    const rules = mergeRules(R, { roleWeights: { HOTLINE_AGENT: { workload: 0 }, HALL_CLERK: { workload: 0 } } });
    const roster = [member('H94', 'T1'), member('H91', 'T1'), member('C92', 'T1', 'HALL_CLERK'), member('H96', 'T9'), member('H97', 'T9'), member('H95', 'T9'), member('C85', 'T9', 'HALL_CLERK'), member('C70', 'T9', 'HALL_CLERK')];
    const counters = Object.fromEntries(roster.map((m) => [m.staffId, rated(60 + 0.35 * Number(m.staffId.slice(1)))]));
    const t1 = (r: typeof rules) => scorePopulation(counters, roster, r, OCT, 'FINAL', { computedAt: AT }).filter((c) => c.teamId === 'T1').map((c) => `${c.staffId}:${c.grade}:${c.teamRank}`);
    // By composite: 94 > 92 > 91, quota max(1, ⌊0.2 × 3⌋) = 1 -> the A is H94's.
    expect(t1(rules)).toEqual(['H94:A:1', 'C92:B:2', 'H91:B:3']);
    // Agents 91 94 95 96 97: H94 (1 + ½) / 5 = 30, H91 ½ / 5 = 10; clerks 70 85 92: C92 (2 + ½) / 3 = 83.3 -> the A is C92's.
    expect(t1(mergeRules(rules, { forcedDistribution: { rankBy: 'rolePercentile' } }))).toEqual(['C92:A:1', 'H94:B:2', 'H91:B:3']);
  });

  it('ungraded members do not count toward the quota base', () => {
    const team = [...Array.from({ length: 5 }, (_, i) => rk(`A${i}`, 95 - i)), ...Array.from({ length: 5 }, (_, i) => rk(`N${i}`, null))];
    expect(rankTeam(team, true).filter((r) => r.grade === 'A')).toHaveLength(1); // floor(0.2 × 5) = 1
  });

  it('applies to MONTH FINAL/REVISED only, per team', () => {
    const roster = [member('S1', 'T1'), member('S2', 'T1'), member('S3', 'T1'), member('S4', 'T2'), member('S5', 'T2')];
    // everyone: conduct and satisfaction 100, workload 10/12 = 83.3 -> composite 93.3 (A); ties rank by staffId
    const counters = { S1: rated(99, 10), S2: rated(98, 10), S3: rated(97, 10), S4: rated(99, 10), S5: rated(98, 10) };
    const grades = (status: 'PROVISIONAL' | 'FINAL' | 'REVISED', period = OCT) =>
      scorePopulation(counters, roster, R, period, status, { computedAt: AT }).map((c) => `${c.staffId}:${c.grade}:${c.teamRank}/${c.teamSize}`);
    expect(grades('FINAL')).toEqual(['S1:A:1/3', 'S2:B:2/3', 'S3:B:3/3', 'S4:A:1/2', 'S5:B:2/2']);
    expect(grades('REVISED')).toEqual(grades('FINAL'));
    expect(grades('PROVISIONAL')).toEqual(['S1:A:1/3', 'S2:A:2/3', 'S3:A:3/3', 'S4:A:1/2', 'S5:A:2/2']);
    expect(grades('FINAL', DAY)).toEqual(grades('PROVISIONAL'));
  });
});

describe('scorecards', () => {
  const roster = [member('S1', 'T1'), member('S2', 'T1'), member('S3', 'T1')];
  const counters = { S1: rated(88, 30), S2: rated(81, 20), S3: { callbacks_made: 10 } };

  it('have the interfaces.md shape', () => {
    const [first] = scorePopulation(counters, roster, R, OCT, 'FINAL', { computedAt: AT, revision: 0 });
    expect(Object.keys(first!)).toEqual([
      'appraisalId', 'staffId', 'teamId', 'role', 'period', 'status', 'revision', 'rulesVersion',
      'kpis', 'dimensions', 'composite', 'grade', 'teamRank', 'teamSize', 'computedAt', 'trend',
    ]);
    expect(first).toMatchObject({
      staffId: 'S1',
      teamId: 'T1',
      role: 'HOTLINE_AGENT',
      period: { kind: 'MONTH', start: '2026-10-01', end: '2026-11-01', timeZone: SH },
      status: 'FINAL',
      revision: 0,
      rulesVersion: '2026.1',
      teamRank: 1,
      teamSize: 2,
      computedAt: AT,
    });
    expect(Object.keys(first!.dimensions)).toEqual(['workload', 'timeliness', 'accuracy', 'standardisation', 'satisfaction', 'taskCompletion', 'conduct']);
    expect(JSON.parse(JSON.stringify(first))).toEqual(first);
  });

  it('ungraded members have no rank', () => {
    const m = byId(scorePopulation(counters, roster, R, OCT, 'FINAL', { computedAt: AT }));
    // S3: callbacks made only -> only a workload dimension
    expect(m.get('S3')).toMatchObject({ composite: null, grade: 'INSUFFICIENT_DATA', teamRank: null, teamSize: 2 });
  });

  it('appraisalId: same inputs -> same id, whatever computedAt; anything else -> a new id', () => {
    const ids = (cards: Scorecard[]) => cards.map((c) => c.appraisalId);
    const a = ids(scorePopulation(counters, roster, R, OCT, 'FINAL', { computedAt: AT }));
    const b = ids(scorePopulation(counters, roster, R, OCT, 'FINAL', { computedAt: Date.parse('2026-11-05T00:00:00Z') }));
    expect(b).toEqual(a);
    expect(new Set(a).size).toBe(3);
    expect(a[0]).toMatch(/^[0-9a-f]{32}$/);
    const revised = ids(scorePopulation(counters, roster, R, OCT, 'REVISED', { computedAt: AT, revision: 1 }));
    expect(revised.some((id) => a.includes(id))).toBe(false);
    const changed = ids(scorePopulation({ ...counters, S1: rated(89, 30) }, roster, R, OCT, 'FINAL', { computedAt: AT }));
    expect(changed[0]).not.toBe(a[0]);
    const perStaff = scorePopulation(counters, roster, R, OCT, 'REVISED', { computedAt: AT, revision: new Map([['S2', 3]]) });
    expect(perStaff.map((c) => c.revision)).toEqual([0, 3, 0]);
  });

  it('appraisalId hashes every input of a card: any other input, rules content or status gives a new id', () => {
    const idOf = (cards: Scorecard[], staffId = 'S1') => cards.find((c) => c.staffId === staffId)!.appraisalId;
    const base = scorePopulation(counters, roster, R, OCT, 'FINAL', { computedAt: AT });
    const seen = new Set(base.map((c) => c.appraisalId));
    const variants = [
      // a counter the card shows, and one it only reads (the attendance sample)
      scorePopulation({ ...counters, S1: { ...counters.S1, contacts_handled: 99 } }, roster, R, OCT, 'FINAL', { computedAt: AT }),
      scorePopulation({ ...counters, S1: { ...counters.S1, shifts: 3 } }, roster, R, OCT, 'FINAL', { computedAt: AT }),
      // the previous FINAL (improvement), the rules' content under the same rulesVersion
      scorePopulation(counters, roster, R, OCT, 'FINAL', { computedAt: AT, previousFinals: { S1: { composite: 50, grade: 'D' } } }),
      scorePopulation(counters, roster, { ...R, workload: { ...R.workload, referenceFactor: 1.1 } }, OCT, 'FINAL', { computedAt: AT }),
      // another member's counters move S1's workload reference and rank
      scorePopulation({ ...counters, S2: { ...counters.S2, contacts_handled: 500 } }, roster, R, OCT, 'FINAL', { computedAt: AT }),
      scorePopulation(counters, roster, R, OCT, 'REVISED', { computedAt: AT, revision: 1 }),
      scorePopulation(counters, roster, R, OCT, 'REVISED', { computedAt: AT, revision: 0 }),
      scorePopulation(counters, roster.map((r) => (r.staffId === 'S1' ? { ...r, teamId: 'T2' } : r)), R, OCT, 'FINAL', { computedAt: AT }),
    ];
    for (const v of variants) {
      expect(seen.has(idOf(v))).toBe(false);
      seen.add(idOf(v));
    }
    // Per-member status (a REVISED run's first FINAL): FINAL revision 0 has the FINAL run's id.
    const mixed = scorePopulation(counters, roster, R, OCT, 'REVISED', { computedAt: AT, revision: new Map([['S2', 2]]), memberStatus: new Map([['S1', 'FINAL' as const]]) });
    expect(mixed.find((c) => c.staffId === 'S1')).toMatchObject({ status: 'FINAL', revision: 0, appraisalId: idOf(base) });
    expect(mixed.find((c) => c.staffId === 'S2')).toMatchObject({ status: 'REVISED', revision: 2 });
  });

  it('improvement against the previous FINAL of the same kind', () => {
    const previousFinals = {
      S1: { composite: 70, grade: 'C' as const, status: 'FINAL' as const, period: { kind: 'MONTH' as const } },
      S2: { composite: 50, grade: 'D' as const, status: 'FINAL' as const, period: { kind: 'DAY' as const } }, // other kind: ignored
    };
    const m = byId(scorePopulation(counters, roster, R, OCT, 'FINAL', { computedAt: AT, previousFinals }));
    // S1: conduct 80, satisfaction 80, workload 100 (30 units vs median [5, 20, 30] = 20, × 1.2) -> (20×100 + 20×80 + 10×80)/50 = 88
    expect(m.get('S1')!.composite).toBe(88);
    expect(m.get('S1')!.kpis.improvement.value).toBe(18);
    expect(m.get('S2')!.kpis.improvement.value).toBeNull();
  });
});
