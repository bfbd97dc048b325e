// Issue 16.2, rules in force: a period is scored with the rules version in force for it; a closed
// period's REVISED rounds keep the version it was FINALed under; a version the book no longer
// holds, or counters attributed under another version, stop the round (log + metric), publishing nothing.
import { describe, expect, it } from 'vitest';
import { DAY_MS, mergeRules, nextPeriod, RulesBook, scorePopulation, type Rules } from '@cs/appraisal';
import { periodsKey } from '../src/keys.ts';
import type { Scorer } from '../src/service.ts';
import { DEFAULT_RULES, DAY, MONTH, cleanupsAfterEach, ROSTER, TICK_SECONDS, TZ, applyEffects, parsePeriodId, periodIdOfCard, scriptedSandbox, sleep, started, startScorer, waitFor, type Sandbox } from './support.ts';

const cleanups = cleanupsAfterEach();
const month = parsePeriodId(MONTH, TZ);
const V1 = DEFAULT_RULES;
/** Next month's rules: grade bars nobody in the scripted month reaches (any use of them shows). */
const NEXT = mergeRules(DEFAULT_RULES, { rulesVersion: 'next', effectiveFrom: nextPeriod(month).start, grades: { A: 99, B: 98, C: 97 } });
const settle = () => sleep(TICK_SECONDS * 1000 * 4);

/** What the aggregator notes beside the counters: the version that attributed them. */
const attributedWith = (sb: Sandbox, ...versions: string[]) => sb.store.recordRulesVersions(0, new Map([MONTH, DAY].map((p) => [p, new Set(versions)])));

const monthCards = (out: { cards: { value: { status: string } & Parameters<typeof periodIdOfCard>[0] }[] }, status: string) =>
  out.cards.map((c) => c.value).filter((c) => periodIdOfCard(c) === MONTH && c.status === status) as unknown as { staffId: string; grade: string; rulesVersion: string; composite: number | null }[];

async function refusals(scorer: Scorer, reason: string): Promise<number> {
  const m = await scorer.metrics.periodsRefused.get();
  return m.values.find((v) => v.labels.reason === reason)?.value ?? 0;
}

/** A late event for the closed month: S03's quality lifted (a REVISED round follows). */
const lateEvent = (sb: Sandbox) =>
  applyEffects(sb, [
    {
      eventId: 'late-s03',
      occurredAt: month.startMs + 20 * DAY_MS,
      counters: Object.entries({ quality_inspections: 4, quality_score_sum: 400, quality_passed: 4 }).map(([counter, by]) => ({ staffId: 'S03', periods: [MONTH], counter, by })),
      sla: [],
    },
  ]);

const gradesUnder = async (sb: Sandbox, rules: Rules) => new Map(scorePopulation(await sb.store.periodCounters(MONTH), ROSTER, rules, month, 'FINAL', { computedAt: 0 }).map((c) => [c.staffId, c.grade]));

describe('rules in force', () => {
  it("a version effective next month leaves this month's FINAL as it was, and a late event's REVISED keeps the FINAL's version", async () => {
    const { sb, out } = await scriptedSandbox(cleanups);
    await attributedWith(sb, V1.rulesVersion);
    const book = RulesBook.withDefaults(DEFAULT_RULES, [NEXT]);
    expect(book.inForce(month)).toBe(V1);
    const scorer = await started(startScorer(sb, { rules: book }), cleanups);

    await waitFor(async () => monthCards(out, 'FINAL').length === ROSTER.length, 30_000, 'FINAL cards');
    const final = monthCards(out, 'FINAL');
    const v1Grades = await gradesUnder(sb, V1);
    const nextGrades = await gradesUnder(sb, NEXT);
    expect([...v1Grades].filter(([s, g]) => nextGrades.get(s) !== g).length).toBeGreaterThan(0); // next month's rules would show
    for (const c of final) {
      expect(c.rulesVersion).toBe(V1.rulesVersion);
      expect(c.grade, c.staffId).toBe(v1Grades.get(c.staffId));
    }
    expect(JSON.parse((await sb.redis.hget(periodsKey(sb.prefix), MONTH))!)).toEqual({ state: 'final', revision: 0, rulesVersion: V1.rulesVersion });

    await lateEvent(sb);
    await attributedWith(sb, V1.rulesVersion); // the event's day is in this month: the version in force then
    await waitFor(async () => monthCards(out, 'REVISED').length > 0, 20_000, 'REVISED cards');
    const revised = monthCards(out, 'REVISED');
    const revisedGrades = await gradesUnder(sb, V1);
    expect(revised.map((c) => c.staffId)).toContain('S03');
    for (const c of revised) {
      expect(c.rulesVersion).toBe(V1.rulesVersion);
      expect(c.grade, c.staffId).toBe(revisedGrades.get(c.staffId));
    }
    expect(JSON.parse((await sb.redis.hget(periodsKey(sb.prefix), MONTH))!)).toEqual({ state: 'final', revision: 1, rulesVersion: V1.rulesVersion });
    expect(await refusals(scorer, 'rules_version_gone')).toBe(0);
    expect(await refusals(scorer, 'rules_version_mixed')).toBe(0);
  });

  it('does not re-score a closed period whose FINAL version the book no longer holds', async () => {
    const { sb, out } = await scriptedSandbox(cleanups);
    await attributedWith(sb, V1.rulesVersion);
    const first = await started(startScorer(sb, { rules: V1 }), cleanups);
    await waitFor(async () => monthCards(out, 'FINAL').length === ROSTER.length, 30_000, 'FINAL cards');
    await first.stop();

    // The operator replaced the version (same date, other name): the closed month's version is gone.
    const replaced = mergeRules(DEFAULT_RULES, { rulesVersion: 'replaced', grades: { A: 85 } });
    const scorer = await started(startScorer(sb, { rules: RulesBook.withDefaults(DEFAULT_RULES, [replaced]) }), cleanups);
    const before = out.cards.length + out.elig.length;
    await lateEvent(sb);
    await waitFor(async () => (await refusals(scorer, 'rules_version_gone')) > 0, 20_000, 'refusal (version gone)');
    await settle();
    expect(out.cards.length + out.elig.length).toBe(before);
    expect(JSON.parse((await sb.redis.hget(periodsKey(sb.prefix), MONTH))!)).toEqual({ state: 'final', revision: 0, rulesVersion: V1.rulesVersion });
  });

  it('refuses to FINAL a period whose counters were attributed under another version than its own', async () => {
    const { sb, out } = await scriptedSandbox(cleanups);
    await attributedWith(sb, V1.rulesVersion, NEXT.rulesVersion); // an aggregator ran with other rules
    const scorer = await started(startScorer(sb, { rules: RulesBook.withDefaults(DEFAULT_RULES, [NEXT]) }), cleanups);
    await waitFor(async () => (await refusals(scorer, 'rules_version_mixed')) > 0, 20_000, 'refusal (mixed versions)');
    await settle();
    expect(monthCards(out, 'FINAL')).toEqual([]);
    expect(out.elig).toEqual([]);
    expect(JSON.parse((await sb.redis.hget(periodsKey(sb.prefix), MONTH))!).state).toBe('open');
  });
});
