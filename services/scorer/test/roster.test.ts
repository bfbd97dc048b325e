import { describe, expect, it } from 'vitest';
import { Hasher, addDays, nextPeriod, type StaffTimeline } from '@cs/appraisal';
import { periodRosters, rosterHash, rosterTimelines } from '../src/roster.ts';
import { TEST_CLOCK } from '../../../test/harness/clock.ts';

const TZ = 'Asia/Shanghai';
const P = TEST_CLOCK.lastMonth();
const C = nextPeriod(P);
const base: StaffTimeline[] = [
  { staffId: 'A', entries: [{ from: null, teamId: 'T1', role: 'HALL_CLERK', active: true }] },
  { staffId: 'B', entries: [{ from: null, teamId: 'T1', role: 'HALL_CLERK', active: false }] },
];
const moved: StaffTimeline[] = [{ ...base[0]!, entries: [...base[0]!.entries, { from: addDays(C.start, 10), teamId: 'T2', role: 'HALL_CLERK', active: true }] }, base[1]!];

describe('the scorer\'s roster', () => {
  it('hashes a base-only roster as before effective dates (no spurious revisit on upgrade), and every dated entry', () => {
    const before = new Hasher().str('roster/2').str('A').str('T1').str('HALL_CLERK').num(1).str('B').str('T1').str('HALL_CLERK').num(0).hex();
    expect(rosterHash(base)).toBe(before);
    expect(rosterHash(moved)).not.toBe(before);
  });

  it('reads stored timelines in staffId order, a missing effectiveFrom as the base entry', () => {
    const stored = new Map([
      ['B', { staffId: 'B', entries: [{ staffId: 'B', teamId: 'T1', role: 'HALL_CLERK', active: false, updatedAt: 0 }] }],
      ['A', { staffId: 'A', entries: [{ staffId: 'A', teamId: 'T1', role: 'HALL_CLERK', active: true, updatedAt: 0, effectiveFrom: null }] }],
    ]);
    expect(rosterTimelines(stored)).toEqual(base);
  });

  it('tells which periods a roster change reaches: a transfer in C changes C, not P', () => {
    const r = periodRosters(moved, TZ, base);
    expect(r.changedIn(P)).toBe(false);
    expect(r.changedIn(C)).toBe(true);
    expect(r.of(C)).toEqual([{ staffId: 'A', teamId: 'T2', role: 'HALL_CLERK', active: true, presence: 1 }]);
    expect(r.of(C)).toBe(r.of(C)); // once per tick and period
    expect(periodRosters(moved, TZ).changedIn(P)).toBe(true); // previous unknown (after a start): revisit
  });
});
