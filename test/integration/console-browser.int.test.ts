// The console (issue #19) in a real browser against the real stack: Kafka, Redis, the aggregator,
// the scorer and the console as processes, Debian's Chromium driven headless by playwright-core.
// The wallboard follows new events without a reload, a staff page shows the numbers of the card
// the scorer published, a bad staff id gets a 404 page, and a request without the token is refused.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { Consumer, Producer } from 'kafkajs';
import { DEFAULT_RULES, nextPeriod, periodOf, trendDirection, type Period } from '@cs/appraisal';
import { CounterStore, queueFigures } from '@cs/counter-store';
import { counterStoreOptions, loadConfig } from '@cs/runtime';
import { createCodecs, KIND_TOPIC, messageKey, periodIdOfRecord, type Scorecard, type SourceEvent, type StaffProfile } from '@cs/contracts';
import { withoutFaketime } from '@cs/stack';
import { TEST_CLOCK } from '../harness/clock.ts';
import { createPipelineTopics, pipelineEnv, type PipelineTopics } from '../harness/pipeline.ts';
import { kafkaFor, redisFor, uniqueName, waitFor } from '../harness/index.ts';
import { spawnService, type Service } from '../harness/services.ts';

const codecs = createCodecs();
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const month: Period = TEST_CLOCK.lastMonth();
const at = (day: number, hour: number) => month.startMs + (day - 1) * DAY_MS + hour * HOUR_MS;
const TOKEN = 'console-test-token-0123456789';
const ARTIFACTS = path.resolve(import.meta.dirname, '../../test-artifacts/console');
const QUEUE = '95598-general';

const ROSTER: StaffProfile[] = ['A1', 'A2', 'A3'].map((staffId) => ({ staffId, teamId: 'T1', role: 'HOTLINE_AGENT', active: true, updatedAt: month.startMs - DAY_MS, effectiveFrom: null }));
let n = 0;
const eventId = () => `console-${(n++).toString().padStart(5, '0')}`;
const contacts = (staffId: string, count: number): SourceEvent[] =>
  Array.from({ length: count }, (_, i) => ({ kind: 'ContactCompleted', eventId: eventId(), occurredAt: at(2 + (i % 4), 10) + i * 60_000, callId: `C-${staffId}-${i}`, staffId, channel: 'HOTLINE', category: 'BILLING', talkSeconds: 200, holdSeconds: 10, wrapSeconds: 30, resolution: i % 3 === 0 ? 'ESCALATED' : 'RESOLVED' }));
const shift = (staffId: string): SourceEvent => ({ kind: 'ShiftAttended', eventId: eventId(), occurredAt: at(3, 9), staffId, shiftId: `SH-${staffId}`, scheduledMinutes: 480, attendedMinutes: 480, late: false });
const rated = (staffId: string, score: number): SourceEvent => ({ kind: 'SupervisorRated', eventId: eventId(), occurredAt: at(5, 16), staffId, raterId: 'MGR-1', score });
/** Calls of today on the test clock: answered in 10 s, or abandoned. */
const callsNow = (count: number, abandoned = false): SourceEvent[] =>
  Array.from({ length: count }, (_, i) => {
    const base = { eventId: eventId(), occurredAt: TEST_CLOCK.clock.now() - 60_000 + i, callId: `CALL-${n}-${i}`, queue: QUEUE, waitSeconds: 10 };
    return abandoned ? { kind: 'CallAbandoned', ...base } : { kind: 'CallAnswered', ...base, staffId: 'A1' };
  });
/** Work orders accepted now, due in two hours (noon + 2 h on the test clock: still today). */
const ordersDueToday = (count: number): SourceEvent[] =>
  Array.from({ length: count }, () => ({ kind: 'WorkOrderAccepted', eventId: eventId(), occurredAt: TEST_CLOCK.clock.now() - 60_000, orderId: `WO-${n}`, staffId: 'A2', type: 'METER_TEST', customerClass: 'RESIDENTIAL', dueAt: TEST_CLOCK.clock.now() + 2 * HOUR_MS }));
const EVENTS: SourceEvent[] = [...contacts('A1', 12), shift('A1'), rated('A1', 95), ...contacts('A2', 10), shift('A2'), rated('A2', 80), ...contacts('A3', 8), shift('A3'), rated('A3', 70)];

let topics: PipelineTopics;
const services: Service[] = [];
const cards: Scorecard[] = [];
let consumer: Consumer;
let producer: Producer;
let browser: BrowserContext;
let userDataDir: string;
let baseUrl: string;
let store: CounterStore;
let redis: ReturnType<typeof redisFor>;

async function produce(values: (SourceEvent | StaffProfile)[]): Promise<void> {
  for (const v of values) {
    const key = 'kind' in v ? KIND_TOPIC[v.kind] : 'roster';
    await producer.send({ topic: topics[key], messages: [{ key: messageKey(v), value: codecs.encode(key, v) }], acks: -1 });
  }
}

/** Saves a full-page screenshot under test-artifacts/console/ and prints its path. */
async function screenshot(page: Page, name: string): Promise<void> {
  const file = path.join(ARTIFACTS, name);
  await page.screenshot({ path: file, fullPage: true });
  console.log(`screenshot: ${file}`);
}

async function openPage(url: string): Promise<{ page: Page; status: number }> {
  const page = await browser.newPage();
  const res = await page.goto(url);
  return { page, status: res!.status() };
}

beforeAll(async () => {
  topics = await createPipelineTopics();
  const env = pipelineEnv(topics, 'console');
  redis = redisFor();
  store = new CounterStore(redis, counterStoreOptions(loadConfig(env)));
  consumer = kafkaFor().consumer({ groupId: uniqueName('console-read'), maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topics.appraisal], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      if (!message.value) return;
      const r = codecs.decode('appraisal', message.value);
      if (!r.ok) throw r.error;
      cards.push(r.event);
    },
  });
  producer = kafkaFor().producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  await produce([...ROSTER, ...EVENTS, ...callsNow(4), ...ordersDueToday(2)]);
  const consoleSvc = spawnService('console', env, undefined, { CS_CONSOLE_PORT: '0', CS_CONSOLE_TOKEN: TOKEN });
  services.push(spawnService('aggregator', env), spawnService('scorer', env), consoleSvc);
  const line = await waitFor(async () => consoleSvc.lines().find((l) => l.includes('"console listening"')), 60_000, `the console's "listening" line\n${consoleSvc.lines().join('\n')}`);
  baseUrl = (JSON.parse(line) as { url: string }).url.replace(/\/$/, '');

  userDataDir = mkdtempSync(path.join(os.tmpdir(), 'cs-console-chromium-'));
  browser = await chromium.launchPersistentContext(userDataDir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    env: withoutFaketime(process.env) as Record<string, string>,
  });
  mkdirSync(ARTIFACTS, { recursive: true });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  for (const s of services) await s.kill('SIGTERM');
  await producer?.disconnect();
  await consumer?.disconnect();
  redis?.disconnect();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
});

const logs = () => services.flatMap((s) => s.lines().slice(-30)).join('\n');

describe('the console in Chromium', () => {
  it('refuses a request without the token (401 page), and exchanges ?token= for a cookie', async () => {
    const { page, status } = await openPage(`${baseUrl}/wallboard?lang=en`);
    expect(status).toBe(401);
    expect(await page.locator('h1').textContent()).toBe('Sign-in required');
    await page.close();
    const wrong = await fetch(`${baseUrl}/staff/A1`, { headers: { authorization: 'Bearer not-the-token-at-all' } });
    expect(wrong.status).toBe(401);
    const bearer = await fetch(`${baseUrl}/wallboard`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(bearer.status).toBe(200);
    // The browser's sign-in: the link with the token, then a cookie; the token leaves the address.
    const signIn = await browser.newPage();
    await signIn.goto(`${baseUrl}/wallboard?lang=en&token=${TOKEN}`);
    expect(signIn.url()).toBe(`${baseUrl}/wallboard?lang=en`);
    await signIn.close();
  });

  it('the wallboard updates by server-sent events after events are produced, without a reload', async () => {
    const page = await browser.newPage();
    await page.goto(`${baseUrl}/wallboard?lang=en&token=${TOKEN}`);
    const offered = page.locator(`[data-queue="${QUEUE}"][data-field="offered-day"]`);
    await waitFor(async () => (await offered.textContent()) === '4', 60_000, `4 calls offered today on the wallboard\n${logs()}`);
    // Work orders due today (none completed yet), read by the console every 5 s.
    await waitFor(async () => (await page.locator('[data-due="today"][data-field="due"]').textContent()) === '2', 30_000, `2 work orders due today on the wallboard\n${logs()}`);
    expect(await page.locator('[data-due="today"][data-field="open"]').textContent()).toBe('2');
    // A marker on the page object: a reload would lose it.
    await page.evaluate(() => ((globalThis as unknown as { marker: number }).marker = 42));
    await produce([...callsNow(3), ...callsNow(3, true)]);
    // When the aggregator's counters in Redis say 10, and when the page does: within 2 s.
    const today = periodOf('DAY', TEST_CLOCK.clock.now(), DEFAULT_RULES.timeZone).id;
    let inRedis = 0;
    let onPage = 0;
    await waitFor(async () => {
      if (!inRedis && queueFigures(await store.periodSla(today)).find((q) => q.queue === QUEUE)?.offered === 10) inRedis = performance.now();
      if (!onPage && (await offered.textContent()) === '10') onPage = performance.now();
      return inRedis > 0 && onPage > 0;
    }, 30_000, `10 calls offered after the new events, in Redis and on the page\n${logs()}`);
    console.log(`wallboard: on the page ${Math.round(onPage - inRedis)} ms after the aggregator's counters`);
    expect(onPage - inRedis).toBeLessThan(2000);
    expect(await page.evaluate(() => (globalThis as unknown as { marker?: number }).marker)).toBe(42);
    // 7 answered within 20 s of 10 offered; 3 of 10 abandoned
    expect(await page.locator(`[data-queue="${QUEUE}"][data-field="sl-day"]`).textContent()).toContain('70.0%');
    await screenshot(page, 'wallboard.png');
    await page.goto(`${baseUrl}/wallboard?lang=zh`);
    expect(await page.locator('#h-hotline').textContent()).toBe('热线队列');
    await screenshot(page, 'wallboard-zh.png');
    await page.close();
  }, 120_000);

  it('a staff page shows the numbers of the scorecard published for that member', async () => {
    const final = await waitFor(async () => cards.filter((c) => c.staffId === 'A1' && periodIdOfRecord(c.period) === month.id && c.status === 'FINAL').at(-1), 120_000, `A1's FINAL card of ${month.id}\n${logs()}`);
    const page = await browser.newPage();
    await page.goto(`${baseUrl}/staff/A1?period=${encodeURIComponent(month.id)}&lang=en&token=${TOKEN}`);
    await waitFor(async () => {
      await page.reload();
      return (await page.locator('[data-field="status"]').textContent())?.startsWith('FINAL');
    }, 30_000, 'the console has the FINAL card');
    expect(await page.locator('[data-field="grade"]').textContent()).toBe(final.grade);
    expect(await page.locator('[data-field="composite"]').textContent()).toBe(String(final.composite));
    const kpis = final.kpis as Record<string, { numerator: number | null; denominator: number | null; value: number | null }>;
    const withData = Object.entries(kpis).filter(([, k]) => k.value !== null || (k.denominator ?? 0) > 0);
    expect(withData.length).toBeGreaterThan(0);
    for (const [id, k] of withData) {
      expect(await page.locator(`[data-kpi="${id}"][data-field="numerator"]`).textContent(), `${id} numerator`).toBe(String(k.numerator ?? '–'));
      expect(await page.locator(`[data-kpi="${id}"][data-field="denominator"]`).textContent(), `${id} denominator`).toBe(String(k.denominator ?? '–'));
    }
    // The trend on the card (docs/dynamic-appraisal.md): its figures, and the sparkline of the long window.
    const trend = final.trend!;
    expect(trend).not.toBeNull();
    expect(await page.locator('[data-field="shortMean"]').textContent()).toBe(String(Number(trend.shortMean!.toFixed(1))));
    expect(await page.locator('[data-field="consecutiveD"]').textContent()).toBe(String(trend.consecutiveD));
    expect(await page.locator('svg.sparkline circle').count()).toBeGreaterThan(0);
    // The arithmetic to the grade (explain's), in Chinese too.
    expect(await page.locator('#h-a').textContent()).toBe('From KPIs to the grade');
    await screenshot(page, 'staff.png');
    await page.goto(`${baseUrl}/staff/A1?period=${encodeURIComponent(month.id)}&lang=zh`);
    expect(await page.locator('#h-a').textContent()).toBe('从指标到等级的计算过程');
    await screenshot(page, 'staff-zh.png');
    await page.close();
  }, 180_000);

  it('the team page ranks the members of the month', async () => {
    const page = await browser.newPage();
    const res = await page.goto(`${baseUrl}/team/T1?period=${encodeURIComponent(month.id)}&lang=en`);
    expect(res!.status()).toBe(200);
    const finals = new Map(cards.filter((c) => periodIdOfRecord(c.period) === month.id && c.status === 'FINAL').map((c) => [c.staffId, c]));
    const ranked = [...finals.values()].sort((a, b) => (a.teamRank ?? 99) - (b.teamRank ?? 99)).map((c) => c.staffId);
    expect(ranked).toHaveLength(3);
    expect(await page.locator('section:has(#h-m) tbody th[scope=row]').allTextContents()).toEqual(ranked);
    // The team's trends: members improving and declining, as the cards' short slopes say.
    const directions = [...finals.values()].map((c) => trendDirection(c.trend));
    expect(await page.locator('[data-team="T1"][data-field="improving"]').textContent()).toBe(String(directions.filter((d) => d === 'IMPROVING').length));
    expect(await page.locator('[data-team="T1"][data-field="declining"]').textContent()).toBe(String(directions.filter((d) => d === 'DECLINING').length));
    await page.close();
  });

  it('a bad staff id gets a clear 404 page', async () => {
    const page = await browser.newPage();
    await page.goto(`${baseUrl}/wallboard?token=${TOKEN}`);
    const res = await page.goto(`${baseUrl}/staff/NOBODY-${nextPeriod(month).start}?lang=en`);
    expect(res!.status()).toBe(404);
    expect(await page.locator('h1').textContent()).toBe('404 · Not found');
    expect(await page.locator('.message').textContent()).toBe(`No scorecard of staff member NOBODY-${nextPeriod(month).start} has been published.`);
    await page.close();
  });
});
