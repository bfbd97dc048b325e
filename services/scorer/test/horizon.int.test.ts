// A period that starts beyond now + rules periods.maxDueAheadDays is refused: not scored, not
// published, not remembered (a hostile dueAt must not keep a period PROVISIONAL for decades).
import { describe, expect, it } from 'vitest';
import { nextPeriod, periodOf } from '@cs/appraisal';
import { periodsKey } from '../src/keys.ts';
import { DEFAULT_RULES, MONTH, NOW, ROSTER, TICK_SECONDS, TZ, applyEffects, cleanupsAfterEach, periodIdOfCard, scriptedSandbox, sleep, startScorer, started, waitFor } from './support.ts';

const cleanups = cleanupsAfterEach();

describe('scorer: the period horizon', () => {
  it('scores the month in reach and refuses periods beyond now + maxDueAheadDays', async () => {
    const { sb, out } = await scriptedSandbox(cleanups);
    // Cohort counters bucketed by dueAt: one due next month (in reach), one due in 2099 (as a
    // counter written before the aggregator bounded dueAt would be).
    const inReach = nextPeriod(periodOf('MONTH', NOW, TZ));
    let far = periodOf('MONTH', NOW + (DEFAULT_RULES.periods.maxDueAheadDays + 1) * 86_400_000, TZ);
    far = nextPeriod(far);
    const farDay = `DAY:${far.start}`;
    await applyEffects(sb, [
      { eventId: 'due-soon', occurredAt: NOW - 3_600_000, counters: [{ staffId: 'S01', periods: [inReach.id], counter: 'callbacks_due', by: 1 }], sla: [] },
      { eventId: 'due-far', occurredAt: NOW - 3_600_000, counters: [{ staffId: 'S01', periods: [far.id, farDay], counter: 'callbacks_due', by: 1 }], sla: [] },
    ]);
    const scorer = await started(startScorer(sb), cleanups);

    await waitFor(async () => out.cards.filter((c) => periodIdOfCard(c.value) === MONTH && c.value.status === 'FINAL').length === ROSTER.length, 20_000, 'FINAL of the scripted month');
    await waitFor(async () => out.cards.some((c) => periodIdOfCard(c.value) === inReach.id), 20_000, 'PROVISIONAL of the month in reach');
    await sleep(TICK_SECONDS * 1000 * 3);
    const periods = new Set(out.cards.map((c) => periodIdOfCard(c.value)));
    expect(periods.has(far.id)).toBe(false);
    expect(periods.has(farDay)).toBe(false);
    const states = await sb.redis.hgetall(periodsKey(sb.prefix));
    expect(Object.keys(states)).not.toContain(far.id);
    expect(Object.keys(states)).not.toContain(farDay);
    expect(await scorer.metrics.registry.getSingleMetricAsString('cs_scorer_periods_refused_total')).toMatch(/cs_scorer_periods_refused_total{reason="beyond_horizon"} 2$/m);
  });
});
