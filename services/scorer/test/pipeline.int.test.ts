// End to end: real events -> the real aggregator (in-process) -> Redis -> the scorer as
// `runScorer(env)` runs it (metrics server included) -> FINAL scorecards and eligibility on Kafka.
import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, eligibility, scorePopulation, type RosterEntry } from '@cs/appraisal';
import { Aggregator } from '@cs/aggregator';
import { KIND_TOPIC, messageKey, type SourceEvent, type StaffProfile } from '@cs/contracts';
import { counterStoreOptions, createLogger, loadConfig } from '@cs/runtime';
import { runScorer } from '../src/main.ts';
import { codecs, collect, periodIdOfCard, sleep, type Sandbox, NO_STATIC } from './support.ts';
import { cleanupsAfterEach, createTopics, kafkaFor, redisFor, testStack, uniqueName, waitFor } from '../../../test/harness/index.ts';
import { TEST_CLOCK } from '../../../test/harness/clock.ts';
import { CounterStore } from '@cs/counter-store';

const cleanups = cleanupsAfterEach();

const ROSTER: RosterEntry[] = [
  { staffId: 'A1', teamId: 'T1', role: 'HOTLINE_AGENT', active: true },
  { staffId: 'A2', teamId: 'T1', role: 'HOTLINE_AGENT', active: true },
  { staffId: 'A3', teamId: 'T1', role: 'HOTLINE_AGENT', active: true },
  { staffId: 'B1', teamId: 'T2', role: 'HOTLINE_AGENT', active: true },
  { staffId: 'B2', teamId: 'T2', role: 'HOTLINE_AGENT', active: true },
];

/** Last month's events (the demo replays last month), a few per staff member and day. */
function lastMonthEvents(monthStartMs: number): SourceEvent[] {
  const events: SourceEvent[] = [];
  let n = 0;
  const id = () => `evt-${(n++).toString().padStart(5, '0')}`;
  ROSTER.forEach((r, i) => {
    for (let d = 0; d < 4; d++) {
      const day = monthStartMs + (19 + d) * 86_400_000 + 2 * 3_600_000; // days 20-23, 10:00 Shanghai
      for (let c = 0; c < 4 + i; c++) {
        const t = day + c * 600_000;
        const callId = `C-${r.staffId}-${d}-${c}`;
        events.push({ kind: 'ContactCompleted', eventId: id(), occurredAt: t, callId, staffId: r.staffId, channel: 'HOTLINE', category: 'BILLING', talkSeconds: 200 + 40 * i + 10 * c, holdSeconds: 10, wrapSeconds: 30, resolution: (c + i) % 3 === 0 ? 'ESCALATED' : 'RESOLVED' });
        if (c < 2) events.push({ kind: 'SurveyAnswered', eventId: id(), occurredAt: t + 60_000, callId, staffId: r.staffId, score: (c + d + i) % 4 === 0 ? 3 : 5 });
      }
      events.push({ kind: 'ShiftAttended', eventId: id(), occurredAt: day + 8 * 3_600_000, staffId: r.staffId, shiftId: `SH-${r.staffId}-${d}`, scheduledMinutes: 480, attendedMinutes: 480 - 10 * i, late: i === 4 && d === 0 });
      events.push({ kind: 'QualityInspected', eventId: id(), occurredAt: day + 9 * 3_600_000, callId: `C-${r.staffId}-${d}-0`, staffId: r.staffId, score: 70 + 5 * i + d, violations: [] });
    }
    events.push({ kind: 'SupervisorRated', eventId: id(), occurredAt: monthStartMs + 24 * 86_400_000, staffId: r.staffId, raterId: 'M1', score: 95 - 6 * i });
  });
  return events;
}

describe('scorer end to end (real aggregator, runScorer)', () => {
  it('replayed last month -> FINAL scorecards and eligibility equal to the engine; a late event -> one REVISED', async () => {
    const [callcenter, billing, outageRepair, workforce, roster, dlq, appraisal, elig, corrections, team] = await createTopics(['cc', 'bill', 'rep', 'wf', 'roster', 'dlq', 'appraisal', 'elig', 'corr', 'team'], 3);
    const prefix = uniqueName('e2e');
    const { brokers, redisUrl } = testStack();
    // Both services run on the test's clock (mid-month): last month is closed on any day the suite runs.
    const rules = DEFAULT_RULES;
    const env: Record<string, string> = {
      KAFKA_BROKERS: brokers, REDIS_URL: redisUrl, CS_KEY_PREFIX: prefix, CS_GROUP_ID: `${prefix}-g`,
      CS_TOPIC_CALLCENTER: callcenter!, CS_TOPIC_BILLING: billing!, CS_TOPIC_OUTAGE_REPAIR: outageRepair!, CS_TOPIC_WORKFORCE: workforce!,
      CS_TOPIC_ROSTER: roster!, CS_TOPIC_DLQ: dlq!, CS_TOPIC_APPRAISAL: appraisal!, CS_TOPIC_ELIGIBILITY: elig!, CS_TOPIC_TEAM_SCORECARD: team!, CS_TOPIC_CORRECTIONS: corrections!,
      CS_TICK_SECONDS: '1', METRICS_PORT: '0', LOG_LEVEL: 'silent', ...TEST_CLOCK.env,
    };
    const topicName: Record<string, string> = { callcenter: callcenter!, billing: billing!, outageRepair: outageRepair!, workforce: workforce!, roster: roster! };
    const redis = redisFor();
    cleanups.push(async () => void redis.disconnect());
    const store = new CounterStore(redis, counterStoreOptions(loadConfig(env)));

    const month = TEST_CLOCK.lastMonth();
    const events = lastMonthEvents(month.startMs);
    const producer = kafkaFor().producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    cleanups.push(() => producer.disconnect());
    const send = async (values: (SourceEvent | StaffProfile)[]) => {
      const byTopic = new Map<string, { key: string; value: Buffer }[]>();
      for (const v of values) {
        const key = 'kind' in v ? KIND_TOPIC[v.kind] : 'roster';
        const t = topicName[key]!;
        (byTopic.get(t) ?? byTopic.set(t, []).get(t)!).push({ key: messageKey(v), value: codecs.encode(key, v) });
      }
      await producer.sendBatch({ topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })), acks: -1 });
    };
    await send(ROSTER.map((r) => ({ ...r, updatedAt: month.startMs, effectiveFrom: null })));
    await send(events);

    const config = loadConfig(env);
    const aggregator = new Aggregator({ config, rules, log: createLogger('aggregator', 'silent') });
    await aggregator.start();
    cleanups.push(() => aggregator.stop());
    const sb = { appraisalTopic: appraisal!, eligibilityTopic: elig! } as Sandbox;
    const out = await collect(sb);
    cleanups.push(out.stop);
    // Wait for the roster and every event to be counted before the scorer starts (it would
    // otherwise finalize a half-applied month: the test is about the scorer, not the race).
    await waitFor(async () => (await store.roster()).size === ROSTER.length, 60_000, 'roster applied');
    const contacts = events.filter((e) => e.kind === 'ContactCompleted').length;
    await waitFor(async () => {
      const m = await store.periodCounters(month.id);
      return [...m.values()].reduce((s, c) => s + (c.contacts_handled ?? 0), 0) === contacts && [...m.values()].reduce((s, c) => s + (c.supervisor_ratings ?? 0), 0) === ROSTER.length;
    }, 60_000, 'events applied');

    const svc = await runScorer(env);
    cleanups.push(() => svc.stop());
    const finalMonth = () => out.cards.filter((c) => c.value.status === 'FINAL' && periodIdOfCard(c.value) === month.id);
    const dayFinals = () => out.cards.filter((c) => c.value.status === 'FINAL' && c.value.period.kind === 'DAY');
    await waitFor(async () => finalMonth().length === ROSTER.length && out.elig.length === ROSTER.length, 60_000, 'FINAL MONTH');
    // The DAY FINALs go out after the MONTH's (oldest period first, one outbox each).
    await waitFor(async () => dayFinals().length >= 5 * ROSTER.length, 60_000, 'FINAL DAYs');
    await sleep(1500); // room for a duplicate to show

    const counters = await store.periodCounters(month.id);
    const got = finalMonth().map((c) => c.value);
    const want = scorePopulation(counters, ROSTER, rules, month, 'FINAL', { computedAt: got[0]!.computedAt, staticState: NO_STATIC });
    const sort = <T extends { staffId: string }>(a: T[]) => [...a].sort((x, y) => (x.staffId < y.staffId ? -1 : 1));
    expect(sort(got)).toEqual(sort(want));
    expect(sort(out.elig.map((e) => e.value))).toEqual(sort(eligibility(want, counters, undefined, rules)));
    expect(finalMonth().length).toBe(ROSTER.length); // exactly one FINAL per staff member
    // DAY periods of the replayed month are final too (days 20-23 and 25), one card per staff member and day.
    const days = dayFinals();
    expect(new Set(days.map((c) => `${c.value.period.start}|${c.value.staffId}`)).size).toBe(days.length);
    expect(days.length).toBe(5 * ROSTER.length);

    // Health and metrics over HTTP.
    const base = `http://127.0.0.1:${svc.metricsPort}`;
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    // The counters move at each publication's fenced commit, after the broker has its records.
    const metrics = await waitFor(async () => {
      const text = await (await fetch(`${base}/metrics`)).text();
      return text.includes('cs_scorer_scorecards_published_total{status="FINAL"} 30') && text;
    }, 10_000, 'FINALs counted');
    expect(metrics).toContain('cs_scorer_eligibility_published_total 5');
    expect(metrics).toContain('cs_scorer_is_leader 1');
    expect(metrics).toMatch(/cs_scorer_grade_count\{team="T1",grade="[A-D]",period_kind="MONTH"\} \d/);
    expect(metrics).toMatch(/cs_scorer_last_successful_tick_timestamp_seconds \d{10}/);

    // A late survey for A2 in the closed month: one REVISED (revision 1) with the new numbers.
    const before = got.find((c) => c.staffId === 'A2')!;
    await send([{ kind: 'SurveyAnswered', eventId: 'evt-late-1', occurredAt: month.startMs + 25 * 86_400_000, callId: 'C-A2-late', staffId: 'A2', score: 1 }]);
    await waitFor(async () => out.cards.some((c) => c.value.status === 'REVISED' && c.value.staffId === 'A2'), 30_000, 'REVISED');
    await sleep(1500);
    const revisedA2 = out.cards.filter((c) => c.value.status === 'REVISED' && c.value.staffId === 'A2').map((c) => c.value);
    expect(revisedA2).toHaveLength(1);
    expect(revisedA2[0]!.revision).toBe(1);
    expect(revisedA2[0]!.kpis.customer_satisfaction!.denominator).toBe(before.kpis.customer_satisfaction!.denominator! + 1);
    expect(out.elig.filter((e) => e.value.staffId === 'A2').at(-1)!.value.appraisalId).toBe(revisedA2[0]!.appraisalId);
    // SIGTERM path: stop releases the lease.
    await svc.stop();
    expect(await redis.exists(`${prefix}:{scorer}:lease`)).toBe(0);
  });
});
