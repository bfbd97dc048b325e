// A past period known only to Redis, written the way the aggregator keeps it: the roster (one
// profile per member, effective from the period's start) and a month of counters per member.
import type { Period, Role } from '@cs/appraisal';
import { CounterStore } from '@cs/counter-store';
import { TEST_CLOCK } from './clock.ts';
import { runCli } from './cli.ts';
import { redisFor, testStack, uniqueName } from './index.ts';

export interface SeedMember {
  staffId: string;
  teamId: string;
  role: Role;
  active: boolean;
}

/**
 * A CLI command that reads Redis only (`explain`, `rescore`), run against a key prefix of its own
 * on the shared Redis, with the store to seed it and last month (of the test clock) to seed.
 */
export function storeOnlyCli(command: string, name: string) {
  const month = TEST_CLOCK.lastMonth();
  const prefix = uniqueName(name);
  const redis = redisFor();
  const store = new CounterStore(redis, { prefix, dedupeHorizonMs: 48 * 3_600_000, maxLatenessDays: 62 });
  const env = { REDIS_URL: testStack().redisUrl, CS_KEY_PREFIX: prefix, ...TEST_CLOCK.env };
  const cli = (args: string[]) => runCli([command, ...args], env, undefined, 60_000);
  return { month, prefix, redis, store, env, cli };
}

export async function seedPeriod(store: CounterStore, period: Period, roster: readonly SeedMember[], counters: Record<string, Record<string, number>>): Promise<void> {
  await store.registerShard(0);
  await store.applyRoster(0, 0, roster.length, roster.map((r) => ({ staffId: r.staffId, profile: { ...r, updatedAt: period.startMs } })));
  const effects = Object.entries(counters).map(([staffId, c]) => ({
    eventId: `m-${staffId}`,
    occurredAt: period.startMs + 86_400_000,
    counters: Object.entries(c).map(([counter, by]) => ({ staffId, periods: [period.id], counter, by })),
    sla: [],
  }));
  const r = await store.applyBatch({ shard: 0, topic: 'scripted', partition: 0, firstOffset: 0, nextOffset: effects.length, effects });
  if (r.status !== 'applied') throw new Error(`seeding ${period.id}: applyBatch answered ${r.status}`);
}

const rated = (v: number) => ({ callbacks_made: 20, supervisor_ratings: 1, supervisor_score_sum: v, feedback_ratings: 3, feedback_score_sum: 3 * v });

/**
 * The what-if worked example (docs/what-if.md, packages/appraisal/test/what-if.test.ts): three
 * hotline agents in two teams with composites 93.3, 67.6 and 91.6 under the default rules.
 */
export const WHAT_IF_EXAMPLE: { counters: Record<string, Record<string, number>>; roster: readonly SeedMember[] } = {
  counters: { S01: rated(95), S02: rated(80), S03: rated(94) },
  roster: [
    { staffId: 'S01', teamId: 'T1', role: 'HOTLINE_AGENT', active: true },
    { staffId: 'S02', teamId: 'T1', role: 'HOTLINE_AGENT', active: true },
    { staffId: 'S03', teamId: 'T2', role: 'HOTLINE_AGENT', active: true },
  ],
};
