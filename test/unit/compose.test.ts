import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ENV_KEYS } from '@cs/runtime';

// Keys the one-shot topic creator reads (not a service): see scripts/create-topics.ts.
const TOOL_KEYS = new Set(['KAFKA_BROKERS', 'CS_SOURCE_PARTITIONS']);
// Containers that are not ours: they have their own variables.
const THIRD_PARTY = new Set(['kafka', 'redis', 'prometheus', 'grafana']);

describe('docker-compose.yml', () => {
  const compose = parse(readFileSync(new URL('../../docker-compose.yml', import.meta.url), 'utf8'), { merge: true }) as {
    services: Record<string, { environment?: Record<string, unknown>; ports?: string[] }>;
  };

  it('names only environment variables the service config schema knows', () => {
    const known = new Set(ENV_KEYS);
    for (const [name, svc] of Object.entries(compose.services)) {
      if (THIRD_PARTY.has(name)) continue;
      for (const key of Object.keys(svc.environment ?? {})) {
        expect(known.has(key) || (name === 'topics' && TOOL_KEYS.has(key)), `${name}: ${key}`).toBe(true);
      }
    }
  });

  it('runs the aggregator and the scorer against Kafka and a Redis with AOF', () => {
    expect(compose.services.aggregator?.environment?.KAFKA_BROKERS).toBe('kafka:9092');
    expect(compose.services.scorer?.environment?.REDIS_URL).toBe('redis://redis:6379');
    expect(JSON.stringify(compose.services.redis)).toContain('appendonly');
  });

  it('publishes every port on the host loopback only (Redis has no password, Kafka is PLAINTEXT)', () => {
    const published = Object.entries(compose.services).flatMap(([name, svc]) => (svc.ports ?? []).map((p) => [name, String(p)] as const));
    expect(published.map(([name]) => name).sort()).toEqual(['grafana', 'kafka', 'prometheus', 'redis']);
    for (const [name, port] of published) expect(port, name).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
  });

  it('has the services listen for Prometheus on the compose network (METRICS_HOST 0.0.0.0 inside their containers)', () => {
    for (const name of ['aggregator', 'scorer']) {
      expect(compose.services[name]?.environment?.METRICS_HOST, name).toBe('0.0.0.0');
      expect(compose.services[name]?.ports, `${name} publishes no port`).toBeUndefined();
    }
  });
});
