import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES as R, addDays, rosterForPeriod, scorePopulation, type StaffTimeline, type TimelineEntry } from '../src/index.ts';
import { OCT, SEP, SH } from './fixture-periods.ts';

const AT = '2026-11-04T00:00:00.000Z';
const hot = (from: string | null, teamId: string, active = true): TimelineEntry => ({ from, teamId, role: 'HOTLINE_AGENT', active });
const tl = (staffId: string, ...entries: TimelineEntry[]): StaffTimeline => ({ staffId, entries });
/** Local day n (1-based) of a period. */
const day = (p: { start: string }, n: number) => addDays(p.start, n - 1);
const byId = <T extends { staffId: string }>(xs: T[]) => new Map(xs.map((x) => [x.staffId, x]));

describe('rosterForPeriod', () => {
  // OCT has 31 days, SEP 30.
  const timelines = [
    tl('STAY', hot(null, 'T1')),
    tl('MOVE', hot(null, 'T1'), hot(day(OCT, 11), 'T2')), // transfer on the 11th
    tl('LEAVE', hot(null, 'T1'), hot(day(OCT, 16), 'T1', false)), // last day the 15th
    tl('JOIN', hot(day(OCT, 22), 'T2')), // first day the 22nd
    tl('GONE', hot(null, 'T1'), hot(day(SEP, 6), 'T1', false)), // left in SEP, absent all OCT
    tl('MOVE_LEAVE', hot(null, 'T1'), hot(day(OCT, 11), 'T2'), hot(day(OCT, 21), 'T2', false)),
    tl('BREAK', hot(null, 'T1'), hot(day(OCT, 5), 'T1', false), hot(day(OCT, 25), 'T3')),
    tl('INACTIVE', hot(null, 'T1', false)),
    tl('LATER', hot(null, 'T1'), hot(OCT.end, 'T9')), // moves the day after OCT
  ];

  it('scores a transfer in the team held on the last active day, full presence', () => {
    const oct = byId(rosterForPeriod(timelines, OCT, SH));
    expect(oct.get('MOVE')).toEqual({ staffId: 'MOVE', teamId: 'T2', role: 'HOTLINE_AGENT', active: true, presence: 1 });
    // SEP, before the transfer: still T1 — the old month is not re-ranked in the new team.
    expect(byId(rosterForPeriod(timelines, SEP, SH)).get('MOVE')!.teamId).toBe('T1');
    expect(oct.get('LATER')).toEqual({ staffId: 'LATER', teamId: 'T1', role: 'HOTLINE_AGENT', active: true, presence: 1 });
  });

  it('keeps a leaver for the days present (15 of 31), in their team', () => {
    expect(byId(rosterForPeriod(timelines, OCT, SH)).get('LEAVE')).toEqual({ staffId: 'LEAVE', teamId: 'T1', role: 'HOTLINE_AGENT', active: true, presence: 15 / 31 });
    expect(byId(rosterForPeriod(timelines, SEP, SH)).get('LEAVE')!.presence).toBe(1);
  });

  it('pro-rates a joiner (10 of 31 days) and leaves them out before they join', () => {
    expect(byId(rosterForPeriod(timelines, OCT, SH)).get('JOIN')).toMatchObject({ teamId: 'T2', presence: 10 / 31 });
    expect(byId(rosterForPeriod(timelines, SEP, SH)).has('JOIN')).toBe(false);
  });

  it('leaves out whoever is absent the whole period, keeps them where they were present', () => {
    const oct = byId(rosterForPeriod(timelines, OCT, SH));
    expect(oct.has('GONE')).toBe(false);
    expect(oct.has('INACTIVE')).toBe(false);
    expect(byId(rosterForPeriod(timelines, SEP, SH)).get('GONE')!.presence).toBe(5 / 30);
  });

  it('counts only active days, and the last active day decides the team', () => {
    const oct = byId(rosterForPeriod(timelines, OCT, SH));
    // T2 from the 11th, inactive from the 21st: 20 days, last active day in T2
    expect(oct.get('MOVE_LEAVE')).toMatchObject({ teamId: 'T2', presence: 20 / 31 });
    // days 1-4 in T1, inactive 5-24, T3 from the 25th (7 days): 11 days, scored in T3
    expect(oct.get('BREAK')).toMatchObject({ teamId: 'T3', presence: 11 / 31 });
  });

  it('keeps the timelines order and refuses a period of another zone', () => {
    expect(rosterForPeriod(timelines, OCT, SH).map((r) => r.staffId)).toEqual(['STAY', 'MOVE', 'LEAVE', 'JOIN', 'MOVE_LEAVE', 'BREAK', 'LATER']);
    expect(() => rosterForPeriod(timelines, OCT, 'Europe/Paris')).toThrow(RangeError);
  });
});

describe('workload reference pro-rated by presence', () => {
  // SEP: 30 days. C leaves on the 16th: presence 15/30 = 0.5.
  const timelines = [tl('A', hot(null, 'T1')), tl('B', hot(null, 'T1')), tl('C', hot(null, 'T1'), hot(day(SEP, 16), 'T1', false))];
  // contacts_handled count 1 workload unit each
  const counters = { A: { contacts_handled: 100 }, B: { contacts_handled: 200 }, C: { contacts_handled: 50 } };

  it('takes the median of full-time-equivalent units and scales it by presence', () => {
    const roster = rosterForPeriod(timelines, SEP, SH);
    expect(roster.map((r) => r.presence)).toEqual([1, 1, 0.5]);
    const cards = byId(scorePopulation(counters, roster, R, SEP, 'PROVISIONAL', { computedAt: AT }));
    // FTE units 100, 200, 50/0.5 = 100 -> median 100; references A 100, B 100, C 100 × 0.5 = 50.
    // score = min(100, 100 × units / (1.2 × reference)): A 83.3, B 166.7 -> 100, C 5000/60 = 83.3
    expect(cards.get('A')!.kpis.workload_units).toEqual({ value: 100, numerator: 100, denominator: 100, score: 83.3 });
    expect(cards.get('B')!.kpis.workload_units).toEqual({ value: 200, numerator: 200, denominator: 100, score: 100 });
    expect(cards.get('C')!.kpis.workload_units).toEqual({ value: 50, numerator: 50, denominator: 50, score: 83.3 });
  });

  it('with presence 1 everywhere gives the same cards as a roster without presence', () => {
    const full = rosterForPeriod(timelines, SEP, SH).slice(0, 2);
    const plain = full.map(({ presence: _, ...r }) => r);
    const a = scorePopulation(counters, full, R, SEP, 'PROVISIONAL', { computedAt: AT });
    const b = scorePopulation(counters, plain, R, SEP, 'PROVISIONAL', { computedAt: AT });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });
});
