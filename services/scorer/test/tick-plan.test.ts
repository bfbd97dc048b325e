import { describe, expect, it } from 'vitest';
import { closeAtMs, DEFAULT_RULES, mergeRules, RulesBook, nextPeriod, periodOf, previousPeriod, type Period } from '@cs/appraisal';
import type { PeriodState } from '../src/model.ts';
import { planTick, type TickInput } from '../src/tick-plan.ts';
import { TEST_CLOCK } from '../../../test/harness/clock.ts';

const DAY = 86_400_000;
const TZ = DEFAULT_RULES.timeZone;
const now = TEST_CLOCK.clock.now();
const today = periodOf('DAY', now, TZ);
const thisMonth = periodOf('MONTH', now, TZ);
const lastMonth = TEST_CLOCK.lastMonth(); // closed, inside the lateness horizon
const open: PeriodState = { state: 'open', revision: 0 };
const final: PeriodState = { state: 'final', revision: 0 };

function plan(over: Partial<TickInput>) {
  return planTick({ now, rules: new RulesBook([DEFAULT_RULES]), timeZone: TZ, maxLatenessDays: 62, states: new Map(), changed: [], rosterChanged: false, ...over });
}

const steps = (p: ReturnType<typeof planTick>) => p.steps.map((s) => `${s.do} ${s.period.id}`);

describe('planTick', () => {
  it('opens periods seen for the first time and scores open ones PROVISIONAL before their close', () => {
    const p = plan({ changed: [today.id, thisMonth.id] });
    expect(p.newPeriods.sort()).toEqual([today.id, thisMonth.id].sort());
    expect(steps(p)).toEqual([`provisional ${thisMonth.id}`, `provisional ${today.id}`]); // the month starts first
    expect(p.open).toBe(2);
  });

  it('leaves an unchanged open period alone, unless the roster changed', () => {
    const states = new Map([[thisMonth.id, open]]);
    expect(steps(plan({ states }))).toEqual([]);
    expect(steps(plan({ states, rosterChanged: true }))).toEqual([`provisional ${thisMonth.id}`]);
    expect(plan({ states }).open).toBe(1);
  });

  it('puts periods in time order, DAY before MONTH on the same start (a FINAL is in place before the next period needs it)', () => {
    const firstDay = periodOf('DAY', thisMonth.startMs, TZ);
    const states = new Map<string, PeriodState>([
      [thisMonth.id, open],
      [firstDay.id, open],
      [lastMonth.id, open],
    ]);
    expect(plan({ states, rosterChanged: true }).steps.map((s) => s.period.id)).toEqual([lastMonth.id, firstDay.id, thisMonth.id]);
  });

  it('makes an open period past its close a FINAL step, counted open by the tick only while it waits', () => {
    expect(now).toBeGreaterThanOrEqual(closeAtMs(lastMonth, DEFAULT_RULES));
    const p = plan({ states: new Map([[lastMonth.id, open]]) });
    expect(p.steps).toEqual([{ do: 'final', period: lastMonth, state: open }]);
    expect(p.open).toBe(0);
  });

  it('revises a final period with changed counters; on a roster change only if it names newcomers', () => {
    const st: PeriodState = { state: 'final', revision: 2 };
    const states = new Map([[lastMonth.id, st]]);
    expect(plan({ states, changed: [lastMonth.id] }).steps).toEqual([{ do: 'revised', period: lastMonth, state: st }]);
    expect(plan({ states, rosterChanged: true }).steps).toEqual([{ do: 'revisedIfNewcomers', period: lastMonth, state: st, expired: false }]);
    expect(plan({ states }).steps).toEqual([]);
  });

  it('follows a period that may publish FINAL/REVISED with the next period of its kind (its improvement and trend read it), through final followers up to the first open one', () => {
    const twoBack = previousPeriod(lastMonth);
    const threeBack = previousPeriod(twoBack);
    // Two months back is revised: last month (final, unchanged) follows, and this month (open) follows
    // it, since last month's REVISED records keep the months its trend read.
    const states = new Map<string, PeriodState>([
      [threeBack.id, final],
      [twoBack.id, final],
      [lastMonth.id, final],
      [thisMonth.id, open],
    ]);
    expect(steps(plan({ states, changed: [twoBack.id] }))).toEqual([`revised ${twoBack.id}`, `followPrevious ${lastMonth.id}`, `followPrevious ${thisMonth.id}`]);
    // an open follower publishes PROVISIONAL only: nothing follows it
    const openTail = new Map<string, PeriodState>([[twoBack.id, final], [lastMonth.id, final], [thisMonth.id, open], [nextPeriod(thisMonth).id, open]]);
    expect(steps(plan({ states: openTail, changed: [twoBack.id] }))).toEqual([`revised ${twoBack.id}`, `followPrevious ${lastMonth.id}`, `followPrevious ${thisMonth.id}`]);
    // Last month revised: this month (open, unchanged) follows.
    expect(steps(plan({ states, changed: [lastMonth.id] }))).toEqual([`revised ${lastMonth.id}`, `followPrevious ${thisMonth.id}`]);
    // Last month's FINAL is due: this month follows it; nothing follows a PROVISIONAL step.
    const due = new Map<string, PeriodState>([[lastMonth.id, open], [thisMonth.id, open]]);
    expect(plan({ states: due }).steps).toEqual([{ do: 'final', period: lastMonth, state: open }, { do: 'followPrevious', period: thisMonth, state: open }]);
    expect(steps(plan({ states: new Map([[thisMonth.id, open], [nextPeriod(thisMonth).id, open]]), changed: [thisMonth.id] }))).toEqual([`provisional ${thisMonth.id}`]);
  });

  it('counts a finalizing period as open (its outbox is retried) and plans nothing for it', () => {
    const p = plan({ states: new Map([[lastMonth.id, { state: 'finalizing', revision: 0 } as PeriodState]]), changed: [lastMonth.id] });
    expect(p.steps).toEqual([]);
    expect(p.open).toBe(1);
  });

  it('forgets final periods beyond maxLateness + 7 days, and refuses changes to such periods when unknown', () => {
    let old: Period = lastMonth;
    while (closeAtMs(old, DEFAULT_RULES) + 69 * DAY >= now) old = previousPeriod(old);
    const p = plan({ states: new Map([[old.id, final]]) });
    expect(p.forget).toEqual([old.id]);
    expect(plan({ states: new Map([[old.id, final]]), rosterChanged: true }).steps).toEqual([{ do: 'revisedIfNewcomers', period: old, state: final, expired: true }]);
    const unknown = plan({ changed: [previousPeriod(old).id] });
    expect(unknown.refused).toEqual([{ periodId: previousPeriod(old).id, why: 'beyondMaxLateness' }]);
    expect(unknown.newPeriods).toEqual([]);
  });

  it('refuses periods starting beyond now + maxDueAheadDays and forgets known ones there', () => {
    let far: Period = thisMonth;
    while (far.startMs <= now + DEFAULT_RULES.periods.maxDueAheadDays * DAY) far = nextPeriod(far);
    expect(plan({ changed: [far.id] }).refused).toEqual([{ periodId: far.id, why: 'beyondHorizon' }]);
    const known = plan({ states: new Map([[far.id, open]]), changed: [far.id] });
    expect(known.forget).toEqual([far.id]);
    expect(known.steps).toEqual([]);
  });

  it('refuses a bad period id', () => {
    expect(plan({ changed: ['MONTH:not-a-month'] }).refused).toEqual([{ periodId: 'MONTH:not-a-month', why: 'badId' }]);
  });

  it('closes each period by the close grace of the rules version in force for it', () => {
    // Last month under the defaults (3 days' grace, long past); from this month a grace so long
    // that nothing of this month is due, even a day already over.
    const slow = mergeRules(DEFAULT_RULES, { rulesVersion: 'slow-close', effectiveFrom: thisMonth.start, periods: { closeGraceMinutes: { DAY: 60 * 24 * 40, MONTH: 60 * 24 * 40 } } });
    const rules = RulesBook.withDefaults(DEFAULT_RULES, [slow]);
    const yesterday = previousPeriod(today);
    expect(yesterday.startMs).toBeGreaterThanOrEqual(thisMonth.startMs); // the test clock stands on the 15th
    const lastDayOfLastMonth = previousPeriod(periodOf('DAY', thisMonth.startMs, TZ));
    const states = new Map<string, PeriodState>([[lastMonth.id, open], [lastDayOfLastMonth.id, open], [yesterday.id, open]]);
    const p = plan({ rules, states, changed: [yesterday.id] });
    expect(steps(p)).toEqual([`final ${lastMonth.id}`, `final ${lastDayOfLastMonth.id}`, `provisional ${yesterday.id}`]);
    // With the defaults alone, yesterday is past its 2 h grace: FINAL.
    expect(steps(plan({ states, changed: [yesterday.id] }))).toContain(`final ${yesterday.id}`);
  });
});
