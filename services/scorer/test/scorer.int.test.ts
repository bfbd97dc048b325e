import { describe, expect, it } from 'vitest';
import { eligibility, scorePopulation, type Scorecard as EngineCard } from '@cs/appraisal';
import { leaseKey, outboxKey, periodsKey } from '../src/keys.ts';
import { contentHash } from '../src/model.ts';
import { outboxRecords } from '../src/outbox-format.ts';
import type { Scorer } from '../src/service.ts';
import {
  DAY,
  DEFAULT_RULES,
  MONTH,
  MONTH_COUNTERS,
  ROSTER,
  TICK_SECONDS,
  TZ,
  applyEffects,
  cleanupsAfterEach,
  createTopics,
  kafkaFor,
  parsePeriodId,
  periodIdOfCard,
  scriptedSandbox,
  sleep,
  startScorer,
  started,
  waitFor,
  type Got,
  type Sandbox, NO_STATIC } from './support.ts';
import { outputKey, type Scorecard } from '@cs/contracts';

const cleanups = cleanupsAfterEach();

const setup = () => scriptedSandbox(cleanups);
const run = (scorer: Scorer) => started(scorer, cleanups);

const finals = (cards: Got<Scorecard>[], period: string) => cards.filter((c) => c.value.status === 'FINAL' && periodIdOfCard(c.value) === period);
const byStaff = <T extends { staffId: string }>(a: T[]) => [...a].sort((x, y) => (x.staffId < y.staffId ? -1 : 1));

/** Every staff-period has FINAL messages that are all byte-identical (re-sends allowed, never different content). */
function assertOneFinalPerStaffPeriod(cards: Got<Scorecard>[]): Map<string, Got<Scorecard>> {
  const seen = new Map<string, Got<Scorecard>>();
  for (const c of cards.filter((x) => x.value.status === 'FINAL')) {
    const k = `${periodIdOfCard(c.value)}|${c.value.staffId}`;
    const first = seen.get(k);
    if (first) expect(c.bytes.equals(first.bytes), `second FINAL for ${k} differs`).toBe(true);
    else seen.set(k, c);
  }
  return seen;
}

/** What the engine says, from the same counters and roster. */
async function expected(sb: Sandbox, periodId: string, status: 'FINAL' | 'REVISED', computedAt: string, revision?: ReadonlyMap<string, number>) {
  const counters = await sb.store.periodCounters(periodId);
  const period = parsePeriodId(periodId, TZ);
  const cards = scorePopulation(counters, ROSTER, DEFAULT_RULES, period, status, { computedAt, ...(revision ? { revision } : {}), staticState: NO_STATIC });
  const elig = period.kind === 'MONTH' ? eligibility(cards, counters, undefined, DEFAULT_RULES) : [];
  return { cards, elig };
}

describe('scorer: FINAL at close', () => {
  it('publishes FINAL MONTH and DAY scorecards and eligibility equal to the engine, once per staff-period; a late event yields one REVISED', async () => {
    const { sb, out } = await setup();
    const a = await run(startScorer(sb, { ownerId: 'scorer-a' }));

    await waitFor(async () => finals(out.cards, MONTH).length === ROSTER.length && finals(out.cards, DAY).length === ROSTER.length && out.elig.length === ROSTER.length, 30_000, 'FINAL cards');
    // A past month closes at once: no PROVISIONAL for it, nobody off the roster (S99).
    expect(out.cards.filter((c) => c.value.status === 'PROVISIONAL')).toEqual([]);
    expect(out.cards.map((c) => c.value.staffId)).not.toContain('S99');

    const monthCards = byStaff(finals(out.cards, MONTH).map((c) => c.value));
    const want = await expected(sb, MONTH, 'FINAL', monthCards[0]!.computedAt);
    expect(monthCards).toEqual(byStaff(want.cards));
    expect(byStaff(out.elig.map((e) => e.value))).toEqual(byStaff(want.elig));
    const dayCards = byStaff(finals(out.cards, DAY).map((c) => c.value));
    expect(dayCards).toEqual(byStaff((await expected(sb, DAY, 'FINAL', dayCards[0]!.computedAt)).cards));
    // The scripted month exercises the interesting bits: a veto, and both teams graded.
    expect(want.elig.find((e) => e.staffId === 'S04')!.vetoReasons).toContain('SERIOUS_COMPLAINT');
    expect(JSON.parse((await sb.redis.hget(periodsKey(sb.prefix), MONTH))!)).toEqual({ state: 'final', revision: 0, rulesVersion: DEFAULT_RULES.rulesVersion });

    // Restart between ticks: a clean stop releases the lease; the next instance publishes nothing new.
    await a.stop();
    expect(await sb.redis.get(leaseKey(sb.prefix))).toBeNull();
    const countBefore = out.cards.length;
    const b = await run(startScorer(sb, { ownerId: 'scorer-b' }));
    await waitFor(async () => b.isLeader, 10_000, 'b leads');
    await sleep(TICK_SECONDS * 1000 * 4);
    expect(out.cards.length).toBe(countBefore);
    assertOneFinalPerStaffPeriod(out.cards);

    // A late event for S02 in the closed month: 3 more surveys, all unsatisfied.
    const finalOf = new Map(finals(out.cards, MONTH).map((c) => [c.value.staffId, c.value]));
    await applyEffects(sb, [
      { eventId: 'late-1', occurredAt: Date.UTC(2026, 8, 20, 3), counters: [{ staffId: 'S02', periods: [MONTH], counter: 'surveys', by: 3 }], sla: [] },
    ]);
    const revised = () => out.cards.filter((c) => c.value.status === 'REVISED');
    await waitFor(async () => revised().some((c) => c.value.staffId === 'S02'), 20_000, 'REVISED for S02');
    await sleep(TICK_SECONDS * 1000 * 4);

    // Expected REVISED set: exactly the staff whose content differs from their FINAL.
    const rev = revised().map((c) => c.value);
    const wantRev = await expected(sb, MONTH, 'REVISED', rev[0]!.computedAt, new Map(ROSTER.map((r) => [r.staffId, 1])));
    const changed = wantRev.cards.filter((c) => contentHash(c as EngineCard) !== contentHash(finalOf.get(c.staffId)! as EngineCard));
    expect(changed.map((c) => c.staffId)).toContain('S02');
    expect(byStaff(rev)).toEqual(byStaff(changed));
    expect(new Set(rev.map((c) => c.staffId)).size).toBe(rev.length); // exactly one REVISED each
    const s02 = rev.find((c) => c.staffId === 'S02')!;
    expect(s02.revision).toBe(1);
    expect(s02.kpis.customer_satisfaction!.denominator).toBe(finalOf.get('S02')!.kpis.customer_satisfaction!.denominator! + 3);
    // New eligibility records for exactly the revised staff, derived from the REVISED cards.
    const eligRev = out.elig.slice(ROSTER.length).map((e) => e.value);
    expect(byStaff(eligRev).map((e) => e.appraisalId)).toEqual(byStaff(rev).map((c) => c.appraisalId));
    expect(JSON.parse((await sb.redis.hget(periodsKey(sb.prefix), MONTH))!)).toEqual({ state: 'final', revision: 1, rulesVersion: DEFAULT_RULES.rulesVersion });
    // The DAY was not touched by the late event.
    expect(rev.every((c) => c.period.kind === 'MONTH')).toBe(true);
    // Every record, card or eligibility, PROVISIONAL to REVISED, is keyed per staff-period (compaction keeps each period's latest).
    for (const r of [...out.cards, ...out.elig]) expect(r.key).toBe(outputKey(r.value.staffId, periodIdOfCard(r.value)));
    expect(out.cards.find((c) => c.value.staffId === 'S02' && periodIdOfCard(c.value) === MONTH)!.key).toBe(`S02|${MONTH}`);
  });
});

describe('scorer: FINAL waits for the aggregator', () => {
  it('holds a due FINAL until the aggregator has applied what the source topics held, then publishes it', async () => {
    const { sb, out } = await setup();
    // A source topic with three messages the aggregator has not applied yet (a backlog).
    const [source] = await createTopics(['callcenter'], 1);
    sb.env.CS_TOPIC_CALLCENTER = source!;
    const producer = kafkaFor().producer();
    await producer.connect();
    await producer.send({ topic: source!, messages: [{ value: Buffer.from('a') }, { value: Buffer.from('b') }, { value: Buffer.from('c') }] });
    await producer.disconnect();

    const scorer = await run(startScorer(sb, { ownerId: 'gated' }));
    await waitFor(async () => scorer.isLeader, 10_000, 'leads');
    await sleep(TICK_SECONDS * 1000 * 3);
    expect(finals(out.cards, MONTH)).toEqual([]);
    expect(JSON.parse((await sb.redis.hget(periodsKey(sb.prefix), MONTH))!)).toEqual({ state: 'open', revision: 0 });
    expect((await scorer.metrics.finalsAwaitingAggregator.get()).values[0]!.value).toBeGreaterThanOrEqual(1);

    // The aggregator catches up: its apply script records the partition's next offset.
    const r = await sb.store.applyBatch({ shard: 0, topic: source!, partition: 0, firstOffset: 0, nextOffset: 3, effects: [] });
    expect(r.status).toBe('applied');
    await waitFor(async () => finals(out.cards, MONTH).length === ROSTER.length && finals(out.cards, DAY).length === ROSTER.length, 30_000, 'FINAL once caught up');
    await waitFor(async () => (await scorer.metrics.finalsAwaitingAggregator.get()).values[0]!.value === 0, 10_000, 'nothing awaiting');
    assertOneFinalPerStaffPeriod(out.cards);
  });
});

describe('scorer: staff named by the roster after their period closed', () => {
  it('get their first FINAL (revision 0), not a REVISED, and every staff-period keeps one FINAL', async () => {
    const { sb, out } = await setup();
    await run(startScorer(sb, { ownerId: 'scorer-late-roster' }));
    await waitFor(async () => finals(out.cards, MONTH).length === ROSTER.length && out.elig.length === ROSTER.length, 30_000, 'FINAL cards');
    expect(out.cards.map((c) => c.value.staffId)).not.toContain('S99');

    // S99 had counters all along; the roster names them only now.
    await sb.store.applyRoster(0, ROSTER.length, ROSTER.length + 1, [{ staffId: 'S99', profile: { staffId: 'S99', teamId: 'T1', role: 'HOTLINE_AGENT', active: true, updatedAt: Date.UTC(2026, 9, 9) } }]);
    await waitFor(async () => finals(out.cards, MONTH).some((c) => c.value.staffId === 'S99') && finals(out.cards, DAY).some((c) => c.value.staffId === 'S99'), 20_000, 'first FINALs for S99');
    await sleep(TICK_SECONDS * 1000 * 4);
    const s99 = out.cards.filter((c) => c.value.staffId === 'S99').map((c) => c.value);
    expect(s99.map((c) => [c.period.kind, c.status, c.revision]).sort()).toEqual([['DAY', 'FINAL', 0], ['MONTH', 'FINAL', 0]]);
    expect(out.elig.filter((e) => e.value.staffId === 'S99').map((e) => e.value.appraisalId)).toEqual([s99.find((c) => c.period.kind === 'MONTH')!.appraisalId]);
    assertOneFinalPerStaffPeriod(out.cards);
  });
});

describe('scorer: crash during publication (outbox)', () => {
  it('crash after the outbox write: the restarted scorer sends the same records, no gap', async () => {
    const { sb, out } = await setup();
    const a = await run(startScorer(sb, { ownerId: 'pod-0', crashAt: 'afterOutboxWrite' }));
    await waitFor(async () => a.hasCrashed, 20_000, 'crash');
    const pending = await sb.redis.hgetallBuffer(outboxKey(sb.prefix, MONTH));
    expect(pending.meta).toBeDefined();
    expect(JSON.parse((await sb.redis.hget(periodsKey(sb.prefix), MONTH))!).state).toBe('finalizing');
    await sleep(500);
    expect(out.cards).toEqual([]);

    // Same pod id after a restart: takes the lease at once and drains the outbox first.
    await run(startScorer(sb, { ownerId: 'pod-0' }));
    await waitFor(async () => finals(out.cards, MONTH).length === ROSTER.length && finals(out.cards, DAY).length === ROSTER.length && out.elig.length === ROSTER.length, 30_000, 'FINAL cards');
    await sleep(TICK_SECONDS * 1000 * 3);
    const one = assertOneFinalPerStaffPeriod(out.cards);
    expect(one.size).toBe(2 * ROSTER.length);
    expect(out.cards.length).toBe(2 * ROSTER.length);
    // The bytes sent are the ones the outbox held (computed before the crash).
    const records = await outboxRecords(pending);
    // The MONTH's team cards went with them, one per team of the roster (team topic t).
    expect(records.filter((m) => m.t === 't').map((m) => m.k).sort()).toEqual([...new Set(ROSTER.map((r) => `${r.teamId}|${MONTH}`))].sort());
    const stored = records.filter((m) => m.t !== 't').map((m) => m.v.toString('base64'));
    expect(stored.length).toBe(2 * ROSTER.length); // the MONTH's cards and eligibility
    const sent = new Set([...out.cards, ...out.elig].map((c) => c.bytes.toString('base64')));
    for (const v of stored) expect(sent.has(v)).toBe(true);
    const monthCards = byStaff(finals(out.cards, MONTH).map((c) => c.value));
    expect(monthCards).toEqual(byStaff((await expected(sb, MONTH, 'FINAL', monthCards[0]!.computedAt)).cards));
    expect(await sb.redis.exists(outboxKey(sb.prefix, MONTH))).toBe(0);
  });

  it('crash after sending, before the commit: another replica re-sends identical bytes only', async () => {
    const { sb, out } = await setup();
    const a = await run(startScorer(sb, { ownerId: 'pod-0', crashAt: 'afterSend' }));
    await waitFor(async () => a.hasCrashed, 20_000, 'crash');
    await waitFor(async () => finals(out.cards, MONTH).length === ROSTER.length, 10_000, 'first send');
    // A different replica must wait for the dead one's lease to expire, then drains.
    const b = await run(startScorer(sb, { ownerId: 'pod-1', now: Date.UTC(2026, 9, 10, 9) }));
    await waitFor(async () => finals(out.cards, DAY).length >= ROSTER.length && out.elig.length >= 2 * ROSTER.length, 30_000, 'drain + rest');
    await sleep(TICK_SECONDS * 1000 * 3);
    expect(b.isLeader).toBe(true);
    const one = assertOneFinalPerStaffPeriod(out.cards);
    expect(one.size).toBe(2 * ROSTER.length);
    // The MONTH went out twice (at-least-once), byte-identical; the DAY once.
    expect(finals(out.cards, MONTH).length).toBe(2 * ROSTER.length);
    expect(finals(out.cards, DAY).length).toBe(ROSTER.length);
    const eligIds = new Set(out.elig.map((e) => e.value.eligibilityId));
    expect(eligIds.size).toBe(ROSTER.length);
    expect(JSON.parse((await sb.redis.hget(periodsKey(sb.prefix), MONTH))!)).toEqual({ state: 'final', revision: 0, rulesVersion: DEFAULT_RULES.rulesVersion });
  });
});

describe('scorer: improvement', () => {
  it('passes the previous MONTH FINAL as previousFinals (improvement KPI, eligibility)', async () => {
    const { sb, out } = await setup();
    // August: everyone a little worse than September; S03 much worse (MOST_IMPROVED candidate).
    const AUG = 'MONTH:2026-08';
    await applyEffects(
      sb,
      Object.entries(MONTH_COUNTERS).map(([staffId, counters]) => ({
        eventId: `aug-${staffId}`,
        occurredAt: Date.UTC(2026, 7, 10, 3),
        counters: Object.entries(counters).map(([counter, by]) => ({
          staffId,
          periods: [AUG],
          counter,
          by: counter.endsWith('satisfied') || counter === 'attended_minutes' || counter === 'supervisor_score_sum' ? Math.floor(by * (staffId === 'S03' ? 0.5 : 0.9)) : by,
        })),
        sla: [],
      })),
    );
    await run(startScorer(sb));
    await waitFor(async () => finals(out.cards, MONTH).length === ROSTER.length && finals(out.cards, AUG).length === ROSTER.length, 30_000, 'both FINALs');
    await waitFor(async () => out.elig.length === 2 * ROSTER.length, 10_000, 'both eligibility sets');
    const aug = finals(out.cards, AUG).map((c) => c.value);
    const sep = byStaff(finals(out.cards, MONTH).map((c) => c.value));
    const counters = await sb.store.periodCounters(MONTH);
    const previousFinals = new Map(aug.map((c) => [c.staffId, { composite: c.composite, grade: c.grade }]));
    const want = scorePopulation(counters, ROSTER, DEFAULT_RULES, parsePeriodId(MONTH, TZ), 'FINAL', { computedAt: sep[0]!.computedAt, previousFinals, staticState: NO_STATIC });
    expect(sep).toEqual(byStaff(want));
    expect(sep.find((c) => c.staffId === 'S03')!.kpis.improvement!.value).toBeGreaterThan(0);
    const sepElig = out.elig.map((e) => e.value).filter((e) => e.period.start === '2026-09-01');
    expect(byStaff(sepElig)).toEqual(byStaff(eligibility(want, counters, previousFinals, DEFAULT_RULES)));
  });
});

describe('scorer: two replicas', () => {
  it('only one leads; when it dies without releasing, the other takes over within two ticks', async () => {
    const { sb, out } = await setup();
    const a = await run(startScorer(sb, { ownerId: 'rep-a' }));
    const b = await run(startScorer(sb, { ownerId: 'rep-b' }));
    await waitFor(async () => a.isLeader || b.isLeader, 10_000, 'a leader');
    for (let i = 0; i < 8; i++) {
      expect(Number(a.isLeader) + Number(b.isLeader)).toBe(1);
      await sleep(TICK_SECONDS * 250);
    }
    const [leader, standby] = a.isLeader ? [a, b] : [b, a];
    expect(standby.health.ready()).toBe(true);
    await waitFor(async () => finals(out.cards, MONTH).length === ROSTER.length, 20_000, 'FINAL');

    await leader.kill(); // death: the lease stays until it expires
    const t0 = Date.now();
    await waitFor(async () => standby.isLeader, 10_000, 'takeover');
    const took = Date.now() - t0;
    expect(took).toBeLessThanOrEqual(2 * TICK_SECONDS * 1000 + 250);
    expect(await sb.redis.get(leaseKey(sb.prefix))).toBe(standby.ownerId);

    // The new leader goes on: a late event gets exactly one REVISED round.
    await applyEffects(sb, [{ eventId: 'late-2', occurredAt: Date.UTC(2026, 8, 3, 3), counters: [{ staffId: 'S06', periods: [MONTH], counter: 'reading_errors', by: 5 }], sla: [] }]);
    await waitFor(async () => out.cards.some((c) => c.value.status === 'REVISED' && c.value.staffId === 'S06'), 20_000, 'REVISED');
    await sleep(TICK_SECONDS * 1000 * 3);
    assertOneFinalPerStaffPeriod(out.cards);
    expect(out.cards.filter((c) => c.value.status === 'REVISED' && c.value.staffId === 'S06').length).toBe(1);
  });

  it('a replica whose lease is taken away stops publishing', async () => {
    const { sb } = await setup();
    const a = await run(startScorer(sb, { ownerId: 'rep-a' }));
    await waitFor(async () => a.isLeader, 10_000, 'leader');
    await sb.redis.set(leaseKey(sb.prefix), 'intruder', 'PX', 60_000);
    await waitFor(async () => !a.isLeader, 5_000, 'steps down');
    expect(a.metrics.isLeader.get).toBeDefined();
    expect((await a.metrics.isLeader.get()).values[0]!.value).toBe(0);
  });
});
