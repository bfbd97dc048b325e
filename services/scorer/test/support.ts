// Shared pieces of the scorer's integration tests: an isolated sandbox (topics, key prefix), a
// scripted month of counters written through the real CounterStore scripts, the scorer
// in-process, and a consumer that collects what it published.
import { DEFAULT_RULES, parsePeriodId, type RosterEntry, type Role, type Rules, type RulesBook, type StaticRecord } from '@cs/appraisal';
import { createCodecs, periodIdOfRecord, type Eligibility, type Scorecard } from '@cs/contracts';
import { CounterStore, type EventEffect } from '@cs/counter-store';
import { createLogger, loadConfig } from '@cs/runtime';
import type { Consumer } from 'kafkajs';
import { Scorer, type CrashStep, type ScorerDeps } from '../src/service.ts';
import { asEngineCard, cleanupsAfterEach, createTopics, kafkaFor, redisFor, testStack, uniqueName, waitFor, type Cleanups } from '../../../test/harness/index.ts';

export const codecs = createCodecs();
export const TZ = 'Asia/Shanghai';
export const MONTH = 'MONTH:2026-09';
export const DAY = 'DAY:2026-09-15';
/** "Now" for the scorer: 2026-10-10, well past MONTH:2026-09's end + 3 days. */
export const NOW = Date.UTC(2026, 9, 10, 4);
/** The static state the scorer reads (docs/static-appraisal.md): these tests send no static events, so no member has a record. */
export const NO_STATIC: ReadonlyMap<string, readonly StaticRecord[]> = new Map();
export const TICK_SECONDS = 1;

export const ROSTER: RosterEntry[] = [
  { staffId: 'S01', teamId: 'T1', role: 'HOTLINE_AGENT', active: true },
  { staffId: 'S02', teamId: 'T1', role: 'HOTLINE_AGENT', active: true },
  { staffId: 'S03', teamId: 'T1', role: 'HOTLINE_AGENT', active: true },
  { staffId: 'S04', teamId: 'T1', role: 'HOTLINE_AGENT', active: true },
  { staffId: 'S05', teamId: 'T2', role: 'METER_READER', active: true },
  { staffId: 'S06', teamId: 'T2', role: 'METER_READER', active: true },
  { staffId: 'S07', teamId: 'T2', role: 'METER_READER', active: true },
  { staffId: 'S08', teamId: 'T2', role: 'HOTLINE_AGENT', active: true },
];

type C = Record<string, number>;
const hotline = (contacts: number, aht: number, fcr: number, surveys: number, sat: number, quality: number): C => ({
  contacts_handled: contacts,
  handle_seconds: contacts * aht,
  contacts_resolved: Math.round(contacts * fcr),
  surveys,
  surveys_satisfied: sat,
  quality_inspections: 4,
  quality_score_sum: 4 * quality,
  quality_passed: quality >= 85 ? 4 : 2,
});
const reader = (readings: number, due: number, onTime: number, errors: number): C => ({
  meter_readings: readings,
  readings_due: due,
  readings_due_on_time: onTime,
  reading_errors: errors,
});
const attendance = (shifts: number, scheduled: number, attended: number, late = 0, rating = 80): C => ({
  shifts,
  late_shifts: late,
  scheduled_minutes: scheduled,
  attended_minutes: attended,
  supervisor_ratings: 1,
  supervisor_score_sum: rating,
});

/** The month's counters per staff member (a staff member off the roster, S99, has some too). */
export const MONTH_COUNTERS: Record<string, C> = {
  S01: { ...hotline(420, 280, 0.92, 40, 39, 96), ...attendance(22, 10560, 10560, 0, 95) },
  S02: { ...hotline(380, 330, 0.8, 35, 31, 88), ...attendance(22, 10560, 10400, 1, 85) },
  S03: { ...hotline(300, 420, 0.7, 20, 16, 75), ...attendance(21, 10080, 9800, 2, 70) },
  S04: { ...hotline(250, 520, 0.62, 18, 13, 65), ...attendance(20, 9600, 7000, 4, 60), complaints_serious_substantiated: 1 },
  S05: { ...reader(900, 900, 890, 3), ...attendance(22, 10560, 10560, 0, 90) },
  S06: { ...reader(800, 820, 790, 10), ...attendance(22, 10560, 10300, 1, 80) },
  S07: { ...reader(600, 700, 640, 15), ...attendance(20, 9600, 9000, 3, 65) },
  S08: { ...hotline(200, 380, 0.75, 12, 10, 82), ...attendance(22, 10560, 10500, 0, 78) },
  S99: { ...hotline(10, 300, 0.9, 0, 0, 90) },
};

export interface Sandbox {
  env: Record<string, string>;
  prefix: string;
  appraisalTopic: string;
  eligibilityTopic: string;
  store: CounterStore;
  redis: ReturnType<typeof redisFor>;
  /** next offset of the scripted input partition */
  offset: number;
  close(): Promise<void>;
}

export async function sandbox(): Promise<Sandbox> {
  const [appraisalTopic, eligibilityTopic, teamTopic] = await createTopics(['appraisal', 'eligibility', 'team'], 1);
  const prefix = uniqueName('sc');
  const { brokers, redisUrl } = testStack();
  const redis = redisFor();
  const store = new CounterStore(redis, { prefix, dedupeHorizonMs: 48 * 3_600_000, maxLatenessDays: 62 });
  return {
    env: {
      KAFKA_BROKERS: brokers,
      REDIS_URL: redisUrl,
      CS_KEY_PREFIX: prefix,
      CS_TOPIC_APPRAISAL: appraisalTopic!,
      CS_TOPIC_ELIGIBILITY: eligibilityTopic!,
      CS_TOPIC_TEAM_SCORECARD: teamTopic!,
      // Source topics of our own that do not exist (counters are scripted straight into Redis):
      // FINAL waits for the aggregator only where a source topic holds messages.
      CS_TOPIC_CALLCENTER: uniqueName('no-callcenter'),
      CS_TOPIC_BILLING: uniqueName('no-billing'),
      CS_TOPIC_OUTAGE_REPAIR: uniqueName('no-outage'),
      CS_TOPIC_WORKFORCE: uniqueName('no-workforce'),
      CS_TICK_SECONDS: String(TICK_SECONDS),
      METRICS_PORT: '0',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    },
    prefix,
    appraisalTopic: appraisalTopic!,
    eligibilityTopic: eligibilityTopic!,
    store,
    redis,
    offset: 0,
    close: async () => void redis.disconnect(),
  };
}

/** Writes the roster and the scripted month (MONTH and one DAY bucket) through the real apply scripts. */
export async function scriptMonth(sb: Sandbox): Promise<void> {
  await sb.store.registerShard(0);
  await sb.store.applyRoster(
    0,
    0,
    ROSTER.length,
    ROSTER.map((r) => ({ staffId: r.staffId, profile: { ...r, updatedAt: Date.UTC(2026, 7, 1) } })),
  );
  const effects: EventEffect[] = Object.entries(MONTH_COUNTERS).map(([staffId, counters]) => ({
    eventId: `month-${staffId}`,
    occurredAt: Date.UTC(2026, 8, 15, 3),
    counters: Object.entries(counters).map(([counter, by]) => ({ staffId, periods: [MONTH, DAY], counter, by })),
    sla: [],
  }));
  await applyEffects(sb, effects);
}

export async function applyEffects(sb: Sandbox, effects: EventEffect[]): Promise<void> {
  const r = await sb.store.applyBatch({ shard: 0, topic: 'scripted', partition: 0, firstOffset: sb.offset, nextOffset: sb.offset + effects.length, effects });
  if (r.status !== 'applied') throw new Error(`scripted batch not applied: ${JSON.stringify(r)}`);
  sb.offset += effects.length;
}

export function startScorer(sb: Sandbox, opts: { rules?: Rules | RulesBook; ownerId?: string; crashAt?: CrashStep; now?: number; clock?: () => number; afterChunkSent?: ScorerDeps['afterChunkSent'] } = {}): Scorer {
  const config = loadConfig(sb.env);
  const scorer = new Scorer({
    config,
    rules: opts.rules ?? DEFAULT_RULES,
    log: createLogger('scorer', config.LOG_LEVEL),
    clock: { now: opts.clock ?? (() => opts.now ?? NOW) },
    ...(opts.ownerId ? { ownerId: opts.ownerId } : {}),
    ...(opts.crashAt ? { crashAt: opts.crashAt } : {}),
    ...(opts.afterChunkSent ? { afterChunkSent: opts.afterChunkSent } : {}),
  });
  return scorer;
}

export interface Got<T> {
  value: T;
  bytes: Buffer;
  offset: string;
  /** the message key */
  key: string;
}

/** Collects everything on the two output topics from the beginning. */
export async function collect(sb: Sandbox): Promise<{ cards: Got<Scorecard>[]; elig: Got<Eligibility>[]; stop(): Promise<void> }> {
  const consumer: Consumer = kafkaFor().consumer({ groupId: uniqueName('collect'), maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topics: [sb.appraisalTopic, sb.eligibilityTopic], fromBeginning: true });
  const cards: Got<Scorecard>[] = [];
  const elig: Got<Eligibility>[] = [];
  await consumer.run({
    eachMessage: async ({ topic, message }) => {
      const bytes = message.value!;
      if (topic === sb.appraisalTopic) {
        const r = codecs.decode('appraisal', bytes);
        if (!r.ok) throw r.error;
        cards.push({ value: asEngineCard(r.event), bytes, offset: message.offset, key: message.key!.toString() });
      } else {
        const r = codecs.decode('eligibility', bytes);
        if (!r.ok) throw r.error;
        elig.push({ value: r.event, bytes, offset: message.offset, key: message.key!.toString() });
      }
    },
  });
  return { cards, elig, stop: () => consumer.disconnect() };
}

/** A sandbox with the roster and the scripted month written, and a collector on its outputs; `cleanups` closes both. */
export async function scriptedSandbox(cleanups: Cleanups): Promise<{ sb: Sandbox; out: Awaited<ReturnType<typeof collect>> }> {
  const sb = await sandbox();
  cleanups.push(sb.close);
  await scriptMonth(sb);
  const out = await collect(sb);
  cleanups.push(out.stop);
  return { sb, out };
}

/** Starts the scorer; `cleanups` kills it. */
export async function started(scorer: Scorer, cleanups: Cleanups): Promise<Scorer> {
  await scorer.start();
  cleanups.push(() => scorer.kill());
  return scorer;
}

export const periodIdOfCard = (c: { period: { kind: string; start: string } }) => periodIdOfRecord(c.period);

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export { waitFor, cleanupsAfterEach, parsePeriodId, DEFAULT_RULES, createTopics, kafkaFor };
export type { Role };
