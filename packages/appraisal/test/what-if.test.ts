// What-if diffs (docs/what-if.md) on a population worked out by hand: raising the A threshold
// from 90 to 92 moves one member, who loses an award and some coefficient.
import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, mergeRules, outcomeOf, whatIfDiff, type Outcome, type Rules } from '../src/index.ts';
import { OCT } from './fixture-periods.ts';
import { AT, COUNTERS, rated, ROSTER } from './fixture-what-if.ts';

const outcome = (rules: Rules): Outcome => outcomeOf({ period: OCT, counters: COUNTERS, roster: ROSTER }, rules, 'FINAL', AT);

describe('whatIfDiff', () => {
  it('A threshold 90 -> 92: S03 (91.6) moves A -> B, loses SERVICE_STAR, coefficient 1.20 -> 1.05', () => {
    const proposed = mergeRules(DEFAULT_RULES, { rulesVersion: 'a92', grades: { A: 92 } });
    const d = whatIfDiff(outcome(DEFAULT_RULES), outcome(proposed));
    expect(d.currentRules).toBe(DEFAULT_RULES.rulesVersion);
    expect(d.proposedRules).toBe('a92');
    expect(d.staff).toBe(3);
    expect(d.gradesMoved).toBe(1);
    // T1: S01 93.3 stays A, S02 67.6 stays C
    expect(d.teams[0]).toEqual({ teamId: 'T1', staff: 2, current: { A: 1, B: 0, C: 1, D: 0, INSUFFICIENT_DATA: 0 }, proposed: { A: 1, B: 0, C: 1, D: 0, INSUFFICIENT_DATA: 0 }, moved: [] });
    expect(d.teams[1]).toEqual({
      teamId: 'T2',
      staff: 1,
      current: { A: 1, B: 0, C: 0, D: 0, INSUFFICIENT_DATA: 0 },
      proposed: { A: 0, B: 1, C: 0, D: 0, INSUFFICIENT_DATA: 0 },
      moved: [{ staffId: 'S03', from: 'A', to: 'B', compositeFrom: 91.6, compositeTo: 91.6 }],
    });
    // SERVICE_STAR needs an A: each team's A had it; S03 no longer has one
    expect(d.awards).toEqual({ gained: [], lost: [{ staffId: 'S03', id: 'SERVICE_STAR' }] });
    expect(d.vetoes).toEqual({ gained: [], lost: [] });
    expect(d.eligible).toEqual({ current: 3, proposed: 3 });
    // 1.20 + 0.95 + 1.20 = 3.35 -> 1.20 + 0.95 + 1.05 = 3.20
    expect(d.coefficients).toEqual({ changed: [{ staffId: 'S03', from: 1.2, to: 1.05 }], currentTotal: 3.35, proposedTotal: 3.2, delta: -0.15 });
  });

  it('the same rules change nothing', () => {
    const d = whatIfDiff(outcome(DEFAULT_RULES), outcome(DEFAULT_RULES));
    expect(d.gradesMoved).toBe(0);
    expect(d.awards).toEqual({ gained: [], lost: [] });
    expect(d.coefficients.changed).toEqual([]);
    expect(d.coefficients.delta).toBe(0);
  });

  it('a veto by the proposal: minimum attendance raised above S02\'s 90% makes it ineligible at the D coefficient', () => {
    const counters = new Map(COUNTERS);
    counters.set('S02', { ...rated(80), attended_minutes: 9 * 480, scheduled_minutes: 10 * 480, shifts: 10 });
    const under = (rules: Rules): Outcome => outcomeOf({ period: OCT, counters, roster: ROSTER }, rules, 'FINAL', AT);
    const strict = mergeRules(DEFAULT_RULES, { rulesVersion: 'att95', incentives: { veto: { minAttendanceRate: 0.95 } } });
    const d = whatIfDiff(under(DEFAULT_RULES), under(strict));
    expect(d.vetoes.gained).toEqual([{ staffId: 'S02', id: 'LOW_ATTENDANCE' }]);
    expect(d.eligible).toEqual({ current: 3, proposed: 2 });
    expect(d.coefficients.changed).toEqual([{ staffId: 'S02', from: 0.95, to: 0.88 }]);
  });
});
