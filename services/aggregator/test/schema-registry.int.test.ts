// The aggregator with SCHEMA_REGISTRY_URL: it registers its topics' schemas at start-up, counts
// records framed with the registry's ids (its batch worker learns them from the registry), keeps
// counting after the registry goes away, and does not start when the registry is down.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KIND_TOPIC, codecsFor, messageKey, valueSubject, type SourceEvent } from '@cs/contracts';
import { EVENT_FIXTURES, NOW } from '@cs/contracts/testing';
import { NODE_FLAGS } from '@cs/runtime/node-flags';
import { freePort } from '@cs/stack';
import { startTestRegistry, type TestRegistry } from '../../../test/harness/registry.ts';
import { runAggregator } from '../src/main.ts';
import { diffAgainstTruth, drained, groundTruth, produce, sandbox, type Sandbox } from './support.ts';

let registry: TestRegistry;
let sb: Sandbox;
beforeAll(async () => {
  [registry, sb] = await Promise.all([startTestRegistry(), sandbox(1)]);
}, 600_000);
afterAll(async () => {
  await registry?.stop();
  await sb?.close();
});

/** The fixtures' events with fresh ids (`tag`): new events to count, not duplicates. */
const eventsTagged = (tag: string): SourceEvent[] => (Object.values(EVENT_FIXTURES) as SourceEvent[]).map((e) => ({ ...e, eventId: `${e.eventId}-${tag}` }));

describe('aggregator with a schema registry', () => {
  it('registers its subjects, counts registry-framed records, and keeps counting while the registry is down', async () => {
    // The fixtures are one October day's events: the aggregator's clock stands at their "now".
    const env = { ...sb.env, SCHEMA_REGISTRY_URL: registry.url, CS_CLOCK_OFFSET_SECONDS: String(Math.round((NOW - Date.now()) / 1000)), CS_AGGREGATOR_WORKERS: '1' };
    const agg = await runAggregator(env);
    try {
      const subjects = (await (await fetch(`${registry.url}/subjects`)).json()) as string[];
      for (const t of [sb.topics.callcenter, sb.topics.roster, sb.topics.dlq, sb.topics.corrections]) expect(subjects).toContain(valueSubject(t));

      // An upstream producer that frames with the registry's ids (its own registration returns the same ids).
      const upstream = await codecsFor(registry.url, { keys: ['callcenter', 'billing', 'outageRepair', 'workforce'], names: sb.topics });
      const encode = (events: SourceEvent[]) => events.map((e) => ({ topic: KIND_TOPIC[e.kind], key: messageKey(e), value: upstream.encode(KIND_TOPIC[e.kind], e) }));
      const first = eventsTagged('a');
      await produce(sb, encode(first));
      await drained(sb);
      expect(await diffAgainstTruth(sb, groundTruth(first))).toEqual([]);

      await registry.stop();
      const second = eventsTagged('b');
      await produce(sb, encode(second));
      await drained(sb);
      expect(await diffAgainstTruth(sb, groundTruth([...first, ...second]))).toEqual([]);
    } finally {
      await agg.stop();
    }
  });

  it('exits non-zero with SCHEMA_REGISTRY_UNAVAILABLE naming SCHEMA_REGISTRY_URL when the registry is down at start-up', async () => {
    const url = `http://127.0.0.1:${await freePort()}/apis/ccompat/v7`;
    const main = path.resolve(import.meta.dirname, '../src/main.ts');
    const r = spawnSync(process.execPath, [...NODE_FLAGS, '--import', 'tsx', main], { env: { ...process.env, ...sb.env, SCHEMA_REGISTRY_URL: url }, encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`aggregator: SCHEMA_REGISTRY_UNAVAILABLE: schema registry at SCHEMA_REGISTRY_URL=${url} is not reachable`);
  });
});
