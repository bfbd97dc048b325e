// Issue 16.5: what a REVISED round must carry beyond the cards that changed. An award that moves
// to or from a member whose card did not change gets them a new eligibility record; and a
// revision of last month re-scores this month, whose improvement, MOST_IMPROVED and trend read it.
import { describe, expect, it } from 'vitest';
import { DAY_MS, eligibility, previousPeriod, scorePopulation, type Eligibility as EngineEligibility } from '@cs/appraisal';
import type { Eligibility, Scorecard } from '@cs/contracts';
import { periodsKey } from '../src/keys.ts';
import type { Scorer } from '../src/service.ts';
import { eligibilityHash } from '../src/model.ts';
import { DEFAULT_RULES, MONTH, cleanupsAfterEach, MONTH_COUNTERS, ROSTER, TICK_SECONDS, TZ, applyEffects, parsePeriodId, periodIdOfCard, scriptedSandbox, sleep, started, startScorer, waitFor, type Got, NO_STATIC } from './support.ts';

const cleanups = cleanupsAfterEach();
const setup = () => scriptedSandbox(cleanups);
const run = (scorer: Scorer) => started(scorer, cleanups);

const of = <T extends { period: { kind: string; start: string } }>(xs: Got<T>[], periodId: string) => xs.map((x) => x.value).filter((v) => periodIdOfCard(v) === periodId);
/** The last record per staff member (what payroll holds now). */
const latest = <T extends { staffId: string }>(xs: T[]) => new Map(xs.map((x) => [x.staffId, x]));
const content = (e: Eligibility) => eligibilityHash(e as EngineEligibility);
const settle = () => sleep(TICK_SECONDS * 1000 * 4);

describe('REVISED eligibility', () => {
  it('goes to every member whose eligibility changed, also where their card did not (TEAM_HONOUR moving between teams)', async () => {
    const { sb, out } = await setup();
    await run(startScorer(sb));
    await waitFor(async () => of(out.cards, MONTH).length === ROSTER.length && out.elig.length === ROSTER.length, 30_000, 'FINAL cards and eligibility');
    const finalCard = latest(of(out.cards, MONTH));
    const finalElig = latest(out.elig.map((e) => e.value));
    expect(finalElig.get('S01')!.awards).toContain('TEAM_HONOUR'); // T1 holds the honour at FINAL

    // A late event lifts S07 (T2) enough to give T2 the best mean; no T1 counter changes.
    const month = parsePeriodId(MONTH, TZ);
    await applyEffects(sb, [
      {
        eventId: 'late-s07',
        occurredAt: month.startMs + 20 * DAY_MS,
        counters: Object.entries({ readings_due_on_time: 60, attended_minutes: 600, supervisor_ratings: 30, supervisor_score_sum: 3000 }).map(([counter, by]) => ({ staffId: 'S07', periods: [MONTH], counter, by })),
        sla: [],
      },
    ]);
    await waitFor(async () => out.cards.some((c) => c.value.status === 'REVISED'), 20_000, 'REVISED cards');
    await settle();

    // What the engine says of the revised month, over the whole population.
    const counters = await sb.store.periodCounters(MONTH);
    const revisedCards = scorePopulation(counters, ROSTER, DEFAULT_RULES, month, 'REVISED', { computedAt: 0, staticState: NO_STATIC });
    const want = latest(eligibility(revisedCards, counters, undefined, DEFAULT_RULES));
    expect(want.get('S01')!.awards).not.toContain('TEAM_HONOUR');
    expect(want.get('S05')!.awards).toContain('TEAM_HONOUR');

    const revised = of(out.cards, MONTH).filter((c) => c.status === 'REVISED');
    const newElig = out.elig.slice(ROSTER.length).map((e) => e.value);
    const movedOnly = ROSTER.map((r) => r.staffId).filter((s) => content(finalElig.get(s)!) !== content(want.get(s)! as Eligibility) && !revised.some((c) => c.staffId === s));
    expect(movedOnly).toEqual(expect.arrayContaining(['S01', 'S02', 'S05'])); // their cards did not change
    // One new record for each member whose card or eligibility changed, and nobody else.
    expect(newElig.map((e) => e.staffId).sort()).toEqual([...new Set([...revised.map((c) => c.staffId), ...movedOnly])].sort());
    // Everyone's latest eligibility is the engine's; an eligibility-only record derives from the card already published.
    const now = latest(out.elig.map((e) => e.value));
    for (const [staffId, e] of want) expect(content(now.get(staffId)!), staffId).toBe(content(e as Eligibility));
    for (const s of movedOnly) expect(now.get(s)!.appraisalId).toBe(finalCard.get(s)!.appraisalId);
    expect(now.get('S01')!.eligibilityId).not.toBe(finalElig.get('S01')!.eligibilityId);
    expect(JSON.parse((await sb.redis.hget(periodsKey(sb.prefix), MONTH))!)).toEqual({ state: 'final', revision: 1, rulesVersion: DEFAULT_RULES.rulesVersion });

    // Nothing changes any more: no further records.
    const count = out.elig.length + out.cards.length;
    await settle();
    expect(out.elig.length + out.cards.length).toBe(count);
  });
});

describe('a REVISED previous month', () => {
  it("re-scores this month: improvement and the trend follow last month's revised composite", async () => {
    const { sb, out } = await setup();
    const month = parsePeriodId(MONTH, TZ);
    const prev = previousPeriod(month);
    // Last month as this one, but S05 (T2, grade B) worse: MOST_IMPROVED of T2 this month (the
    // defaults judge it on the one-month improvement; trend.mostImprovedOn: trend would need three months).
    const worse: Record<string, number> = { readings_due_on_time: -190, supervisor_score_sum: -40 };
    await applyEffects(
      sb,
      Object.entries(MONTH_COUNTERS).map(([staffId, counters]) => ({
        eventId: `prev-${staffId}`,
        occurredAt: prev.startMs + 10 * DAY_MS,
        counters: Object.entries(counters).map(([counter, by]) => ({ staffId, periods: [prev.id], counter, by: by + (staffId === 'S05' ? (worse[counter] ?? 0) : 0) })),
        sla: [],
      })),
    );
    await run(startScorer(sb));
    await waitFor(async () => of(out.cards, MONTH).length === ROSTER.length && of(out.cards, prev.id).length === ROSTER.length && out.elig.length === 2 * ROSTER.length, 30_000, 'both FINALs');
    const s05 = () => of(out.cards, MONTH).filter((c) => c.staffId === 'S05');
    const s05Elig = () => of(out.elig, MONTH).filter((e) => e.staffId === 'S05');
    expect(s05()[0]!.kpis.improvement!.value).toBeGreaterThanOrEqual(DEFAULT_RULES.incentives.mostImprovedMinPoints);
    // two points (x = -1, 0): the slope is the improvement
    expect(s05()[0]!.trend).toMatchObject({ shortGraded: 2, shortSlope: s05()[0]!.kpis.improvement!.value });
    expect(s05Elig()[0]!.awards).toContain('MOST_IMPROVED');

    // Last month is revised: S05's missing work there arrives late, making it equal to this month.
    await applyEffects(sb, [
      { eventId: 'late-prev-s05', occurredAt: prev.startMs + 20 * DAY_MS, counters: Object.entries(worse).map(([counter, by]) => ({ staffId: 'S05', periods: [prev.id], counter, by: -by })), sla: [] },
    ]);
    await waitFor(async () => s05().some((c) => c.status === 'REVISED'), 20_000, "this month's REVISED card for S05");
    await settle();

    const prevNow = latest(of(out.cards, prev.id));
    expect(prevNow.get('S05')!.status).toBe('REVISED');
    const card = s05().at(-1) as Scorecard;
    expect([card.status, card.revision]).toEqual(['REVISED', 1]);
    expect(card.kpis.improvement!.value).toBe(0); // against last month's revised composite
    expect(card.trend).toMatchObject({ shortGraded: 2, shortSlope: 0 });
    expect(s05Elig().at(-1)!.awards).not.toContain('MOST_IMPROVED');
    expect(s05Elig().at(-1)!.appraisalId).toBe(card.appraisalId);
    // This month's latest cards and eligibility are the engine's with last month's latest composites.
    const previousFinals = new Map([...prevNow].map(([s, c]) => [s, { composite: c.composite, grade: c.grade }]));
    const counters = await sb.store.periodCounters(MONTH);
    const revision = new Map(ROSTER.map((r) => [r.staffId, 1]));
    const wantCards = scorePopulation(counters, ROSTER, DEFAULT_RULES, month, 'REVISED', { computedAt: card.computedAt, revision, previousFinals, staticState: NO_STATIC });
    expect(latest(of(out.cards, MONTH)).get('S05')).toEqual(wantCards.find((c) => c.staffId === 'S05'));
    const nowElig = latest(of(out.elig, MONTH));
    for (const e of eligibility(wantCards, counters, previousFinals, DEFAULT_RULES)) expect(content(nowElig.get(e.staffId)!), e.staffId).toBe(content(e as Eligibility));
    expect(JSON.parse((await sb.redis.hget(periodsKey(sb.prefix), MONTH))!)).toEqual({ state: 'final', revision: 1, rulesVersion: DEFAULT_RULES.rulesVersion });
  });
});
