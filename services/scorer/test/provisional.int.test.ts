import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, scorePopulation } from '@cs/appraisal';
import { periodsKey } from '../src/keys.ts';
import { DAY, MONTH, ROSTER, TICK_SECONDS, TZ, applyEffects, cleanupsAfterEach, parsePeriodId, periodIdOfCard, scriptedSandbox, sleep, startScorer, started, waitFor, NO_STATIC } from './support.ts';

const cleanups = cleanupsAfterEach();

describe('scorer: PROVISIONAL while open', () => {
  it('publishes PROVISIONAL cards only when their content changes, follows the roster, then FINAL at end + closeGrace', async () => {
    const { sb, out } = await scriptedSandbox(cleanups);
    // 2026-09-15 15:00 Shanghai: the MONTH and the DAY are both open.
    let now = Date.parse('2026-09-15T15:00:00+08:00');
    const scorer = await started(startScorer(sb, { clock: () => now }), cleanups);

    const prov = (period: string) => out.cards.filter((c) => c.value.status === 'PROVISIONAL' && periodIdOfCard(c.value) === period);
    await waitFor(async () => prov(MONTH).length === ROSTER.length && prov(DAY).length === ROSTER.length, 20_000, 'PROVISIONAL cards');
    await sleep(TICK_SECONDS * 1000 * 4);
    expect(out.cards.length).toBe(2 * ROSTER.length); // unchanged content is not re-sent
    const first = prov(MONTH).map((c) => c.value);
    const counters = await sb.store.periodCounters(MONTH);
    const want = scorePopulation(counters, ROSTER, DEFAULT_RULES, parsePeriodId(MONTH, TZ), 'PROVISIONAL', { computedAt: first[0]!.computedAt, staticState: NO_STATIC });
    const sort = <T extends { staffId: string }>(a: T[]) => [...a].sort((x, y) => (x.staffId < y.staffId ? -1 : 1));
    expect(sort(first)).toEqual(sort(want));
    expect(prov(MONTH).map((c) => c.key).sort()).toEqual(ROSTER.map((r) => `${r.staffId}|${MONTH}`).sort()); // key per staff-period
    expect(JSON.parse((await sb.redis.hget(periodsKey(sb.prefix), MONTH))!)).toEqual({ state: 'open', revision: 0 });

    // A new event for S07 (team T2, alone at the bottom): only cards whose content changed go out.
    const n0 = out.cards.length;
    await applyEffects(sb, [{ eventId: 'e-more', occurredAt: Date.UTC(2026, 8, 15, 5), counters: [{ staffId: 'S07', periods: [MONTH], counter: 'supervisor_score_sum', by: 1 }], sla: [] }]);
    await waitFor(async () => out.cards.length > n0, 10_000, 'a changed PROVISIONAL');
    await sleep(TICK_SECONDS * 1000 * 3);
    const fresh = out.cards.slice(n0).map((c) => c.value);
    expect(fresh.map((c) => c.staffId)).toContain('S07');
    expect(fresh.length).toBeLessThan(ROSTER.length);
    expect(fresh.every((c) => c.status === 'PROVISIONAL' && c.period.kind === 'MONTH')).toBe(true);

    // S99 has counters but was not on the roster; once the roster names them, they get a card.
    const n1 = out.cards.length;
    await sb.store.applyRoster(0, ROSTER.length, ROSTER.length + 1, [{ staffId: 'S99', profile: { staffId: 'S99', teamId: 'T1', role: 'HOTLINE_AGENT', active: true, updatedAt: Date.UTC(2026, 8, 15) } }]);
    await waitFor(async () => out.cards.slice(n1).some((c) => c.value.staffId === 'S99' && periodIdOfCard(c.value) === MONTH), 10_000, 'S99 card');

    // The DAY closes at its end + 2 h; the MONTH stays open.
    now = Date.parse('2026-09-16T02:00:00+08:00');
    await waitFor(async () => out.cards.filter((c) => c.value.status === 'FINAL' && periodIdOfCard(c.value) === DAY).length === ROSTER.length + 1, 10_000, 'DAY FINAL');
    expect(out.cards.some((c) => c.value.status === 'FINAL' && c.value.period.kind === 'MONTH')).toBe(false);
    expect(out.elig.length).toBe(0);
    // The MONTH closes at its end + 3 days.
    now = Date.parse('2026-10-04T00:00:00+08:00');
    // Two topics, read by one consumer: wait for both, they arrive in either order.
    const monthFinals = () => out.cards.filter((c) => c.value.status === 'FINAL' && c.value.period.kind === 'MONTH').length;
    await waitFor(async () => out.elig.length === ROSTER.length + 1 && monthFinals() === ROSTER.length + 1, 10_000, 'MONTH FINAL + eligibility');
    expect(out.cards.filter((c) => c.value.status === 'FINAL' && c.value.period.kind === 'MONTH').length).toBe(ROSTER.length + 1);
    // Metrics of the latest MONTH: grade counts per team add up to the roster.
    const grades = (await scorer.metrics.gradeCount.get()).values.filter((v) => v.labels.period_kind === 'MONTH');
    expect(grades.reduce((s, v) => s + v.value, 0)).toBe(ROSTER.length + 1);
    // The counter moves at the fenced commit, after the broker has the records (which a consumer may read first).
    const finalsCounted = async () => (await scorer.metrics.scorecardsPublished.get()).values.find((v) => v.labels.status === 'FINAL')?.value;
    await waitFor(async () => (await finalsCounted()) === 2 * (ROSTER.length + 1), 10_000, 'FINALs counted');
    await sleep(TICK_SECONDS * 1000 * 2);
    expect(await finalsCounted()).toBe(2 * (ROSTER.length + 1)); // and no more
  });
});
