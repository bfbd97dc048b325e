// The effective-dated roster through the real scorer, Kafka and Redis: a mid-month transfer and a
// leaver. Months come from the test clock (last month P, this month C), never literal dates.
import { describe, expect, it } from 'vitest';
import { addDays, nextPeriod, roundTo, scorePopulation, rosterForPeriod, type Period } from '@cs/appraisal';
import type { Scorecard } from '@cs/contracts';
import type { EventEffect, Profile } from '@cs/counter-store';
import { rosterTimelines } from '../src/roster.ts';
import { TEST_CLOCK } from '../../../test/harness/clock.ts';
import { DEFAULT_RULES, TICK_SECONDS, TZ, applyEffects, cleanupsAfterEach, collect, periodIdOfCard, sandbox, sleep, startScorer, started, waitFor, type Got, type Sandbox, NO_STATIC } from './support.ts';

const cleanups = cleanupsAfterEach();
const DAY_MS = 86_400_000;

const P: Period = TEST_CLOCK.lastMonth();
const C: Period = nextPeriod(P);
const daysOfC = Math.round((C.endMs - C.startMs) / DAY_MS); // 28..31, whatever month the suite runs in
const TRANSFER_ON = addDays(C.start, 10); // the 11th of C
const LEAVES_ON = addDays(C.start, 15); // inactive from the 16th: present 15 days of C

const profile = (staffId: string, teamId: string, effectiveFrom: string | null = null, active = true): Profile => ({ staffId, teamId, role: 'HOTLINE_AGENT', active, updatedAt: P.startMs, effectiveFrom });

/** A graded hotline agent whose workload units are exactly `contacts` (contacts_handled weighs 1, nothing else counts). */
const agent = (contacts: number): Record<string, number> => ({
  contacts_handled: contacts,
  handle_seconds: contacts * 300,
  surveys: 10,
  surveys_satisfied: 9,
  quality_inspections: 4,
  quality_score_sum: 360,
  quality_passed: 4,
  shifts: 20,
  scheduled_minutes: 9600,
  attended_minutes: 9600,
  supervisor_ratings: 1,
  supervisor_score_sum: 85,
});

// Units per month. P: MOVER and LEAVER are in T1 all month. C: MOVER in T2 from the 11th, LEAVER gone from the 16th.
const UNITS: Record<string, { P: number; C: number }> = {
  A1: { P: 300, C: 300 },
  A2: { P: 200, C: 200 },
  A3: { P: 100, C: 100 },
  MOVER: { P: 250, C: 250 },
  LEAVER: { P: 150, C: 30 },
  B1: { P: 200, C: 200 },
  B2: { P: 300, C: 300 },
  B3: { P: 400, C: 400 },
};

function monthEffects(period: Period, which: 'P' | 'C'): EventEffect[] {
  return Object.entries(UNITS).map(([staffId, u]) => ({
    eventId: `${which}-${staffId}`,
    occurredAt: period.startMs + 5 * DAY_MS,
    counters: Object.entries(agent(u[which])).map(([counter, by]) => ({ staffId, periods: [period.id], counter, by })),
    sla: [],
  }));
}

const of = (cards: Got<Scorecard>[], period: Period, status: Scorecard['status']) =>
  new Map(cards.filter((c) => c.value.status === status && periodIdOfCard(c.value) === period.id).map((c) => [c.value.staffId, c.value]));

/** What the engine makes of the stored counters and the period's roster from the stored timelines. */
async function engineCards(sb: Sandbox, period: Period, computedAt: string, previousFinals?: Scorecard[]) {
  const roster = rosterForPeriod(rosterTimelines(await sb.store.rosterTimelines()), period, TZ);
  return scorePopulation(await sb.store.periodCounters(period.id), roster, DEFAULT_RULES, period, 'FINAL', { computedAt, ...(previousFinals ? { previousFinals } : {}), staticState: NO_STATIC });
}

describe('scorer: the effective-dated roster', () => {
  it('scores last month with last month\'s teams and this month with a transfer and a leaver, both with FINALs', async () => {
    const sb = await sandbox();
    cleanups.push(sb.close);
    const out = await collect(sb);
    cleanups.push(out.stop);
    await sb.store.registerShard(0);
    // The base roster as v1 writers send it (no effectiveFrom), and LEAVER's leave, recorded ahead.
    const { effectiveFrom: _e, ...v1Leaver } = profile('LEAVER', 'T1');
    const base = ['A1', 'A2', 'A3', 'MOVER'].map((id) => ({ staffId: id, profile: profile(id, 'T1') }));
    const t2 = ['B1', 'B2', 'B3'].map((id) => ({ staffId: id, profile: profile(id, 'T2') }));
    await sb.store.applyRoster(0, 0, 9, [...base, ...t2, { staffId: 'LEAVER', profile: v1Leaver }, { staffId: 'LEAVER', profile: profile('LEAVER', 'T1', LEAVES_ON, false) }]);
    await applyEffects(sb, [...monthEffects(P, 'P'), ...monthEffects(C, 'C')]);

    // The 20th of C: P is closed (end + 3 days), C open.
    let now = C.startMs + 19 * DAY_MS + DAY_MS / 2;
    await started(startScorer(sb, { clock: () => now }), cleanups);
    await waitFor(async () => of(out.cards, P, 'FINAL').size === 8 && of(out.cards, C, 'PROVISIONAL').size === 8, 30_000, 'FINAL of P, PROVISIONAL of C');

    // P: everyone as they were in P. T1 = A1, A2, A3, MOVER, LEAVER (5 graded); median units 200.
    const pFinal = of(out.cards, P, 'FINAL');
    expect([...pFinal.values()].every((c) => c.composite !== null)).toBe(true);
    expect(pFinal.get('MOVER')).toMatchObject({ teamId: 'T1', teamSize: 5 });
    expect(pFinal.get('LEAVER')).toMatchObject({ teamId: 'T1', teamSize: 5 });
    expect(pFinal.get('MOVER')!.kpis.workload_units!.denominator).toBe(200);
    expect(pFinal.get('LEAVER')!.kpis.workload_units!.denominator).toBe(200); // full month present: no pro-rating
    expect(pFinal.get('B1')).toMatchObject({ teamId: 'T2', teamSize: 3 });
    expect(pFinal.get('B1')!.kpis.workload_units!.denominator).toBe(300);
    const pCards = [...pFinal.values()];
    expect(sorted(pCards)).toEqual(sorted(await engineCards(sb, P, pCards[0]!.computedAt)));

    // Now the transfer is recorded, effective the 11th of C. P's roster did not change: no REVISED of P.
    const n0 = out.cards.length;
    await sb.store.applyRoster(0, 9, 10, [{ staffId: 'MOVER', profile: profile('MOVER', 'T2', TRANSFER_ON) }]);
    await waitFor(async () => out.cards.slice(n0).some((c) => c.value.staffId === 'MOVER' && c.value.teamId === 'T2' && c.value.status === 'PROVISIONAL'), 20_000, 'C follows the transfer');
    await sleep(TICK_SECONDS * 1000 * 3);
    expect(out.cards.slice(n0).filter((c) => periodIdOfCard(c.value) === P.id)).toEqual([]);

    // C closes (end + 3 days).
    now = C.endMs + 3 * DAY_MS + 3600_000;
    await waitFor(async () => of(out.cards, C, 'FINAL').size === 8, 30_000, 'FINAL of C');
    const cFinal = of(out.cards, C, 'FINAL');
    expect([...cFinal.values()].every((c) => c.composite !== null)).toBe(true);
    // The mover counts in T2 (their team on the last day active), with all their C counters.
    expect(cFinal.get('MOVER')).toMatchObject({ teamId: 'T2', teamSize: 4 });
    expect(cFinal.get('MOVER')!.kpis.workload_units).toMatchObject({ value: 250, denominator: (250 + 300) / 2 }); // T2 units 200, 250, 300, 400
    // The leaver gets a FINAL for C, in T1, with a pro-rated workload reference: T1 full-time-equivalent
    // units 300, 200, 100 and 30 × n/15 = 2n (≤ 62): median (100 + 200) / 2 = 150; × 15/n.
    expect(cFinal.get('LEAVER')).toMatchObject({ teamId: 'T1', teamSize: 4 });
    const ref = 150 * (15 / daysOfC);
    const w = cFinal.get('LEAVER')!.kpis.workload_units!;
    expect(w.denominator).toBeCloseTo(ref, 9);
    expect(w.score).toBe(roundTo(Math.min(100, (100 * 30) / (1.2 * ref)), 1)); // ~2x the 16.7 of an unprorated reference
    expect(cFinal.get('A1')!.kpis.workload_units!.denominator).toBe(150);
    const cCards = [...cFinal.values()];
    expect(sorted(cCards)).toEqual(sorted(await engineCards(sb, C, cCards[0]!.computedAt, pCards)));
    // Eligibility for both months, including the leaver.
    await waitFor(async () => out.elig.filter((e) => e.value.staffId === 'LEAVER').length === 2, 10_000, 'eligibility of the leaver');

    // A late event of P for MOVER: the REVISED card keeps them in T1, where they were in P.
    await applyEffects(sb, [{ eventId: 'late-P', occurredAt: P.startMs + 6 * DAY_MS, counters: [{ staffId: 'MOVER', periods: [P.id], counter: 'contacts_handled', by: 10 }], sla: [] }]);
    await waitFor(async () => of(out.cards, P, 'REVISED').has('MOVER'), 20_000, 'REVISED of P for MOVER');
    expect(of(out.cards, P, 'REVISED').get('MOVER')).toMatchObject({ teamId: 'T1', teamSize: 5, revision: 1 });
    expect(of(out.cards, P, 'REVISED').get('MOVER')!.kpis.workload_units!.value).toBe(260);
  });
});

const sorted = <T extends { staffId: string }>(a: T[]) => [...a].sort((x, y) => (x.staffId < y.staffId ? -1 : 1));
