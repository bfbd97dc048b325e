import { describe, expect, it } from 'vitest';
import { clockFromConfig, loadConfig, manualClock, offsetClock, systemClock } from '@cs/runtime';

const base = { KAFKA_BROKERS: '127.0.0.1:19092', REDIS_URL: 'redis://127.0.0.1:6390' };

describe('service configuration', () => {
  it('takes SCHEMA_REGISTRY_URL as an optional http(s) base, without a trailing slash', () => {
    expect(loadConfig(base).SCHEMA_REGISTRY_URL).toBeUndefined();
    expect(loadConfig({ ...base, SCHEMA_REGISTRY_URL: 'http://127.0.0.1:8081/apis/ccompat/v7/' }).SCHEMA_REGISTRY_URL).toBe('http://127.0.0.1:8081/apis/ccompat/v7');
  });

  it('applies the defaults of interfaces.md', () => {
    const c = loadConfig(base);
    expect(c.CS_TIMEZONE).toBe('Asia/Shanghai');
    expect(c.KAFKA_BROKERS).toEqual(['127.0.0.1:19092']);
    expect(c.CS_DEDUPE_HOURS).toBe(48);
    expect(c.CS_MAX_LATENESS_DAYS).toBe(62);
  });

  it.each([
    [{ KAFKA_BROKERS: 'no-port' }, 'KAFKA_BROKERS'],
    [{ REDIS_URL: 'http://x' }, 'REDIS_URL'],
    [{ REDIS_URL: undefined }, 'REDIS_URL'],
    [{ CS_TIMEZONE: 'Mars/Olympus' }, 'CS_TIMEZONE'],
    [{ METRICS_PORT: '70000' }, 'METRICS_PORT'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ KAFKA_SASL_MECHANISM: 'scram-sha-512' }, 'KAFKA_SASL_USERNAME'],
    [{ METRICS_HOST: 'bad host!' }, 'METRICS_HOST'],
    [{ METRICS_HOST: '999.1.1.1' }, 'METRICS_HOST'],
    [{ CS_QUEUES: '95598-general,,online' }, 'CS_QUEUES'],
    [{ SCHEMA_REGISTRY_URL: '127.0.0.1:8081' }, 'SCHEMA_REGISTRY_URL'],
    [{ SCHEMA_REGISTRY_URL: 'ftp://registry/apis/ccompat/v7' }, 'SCHEMA_REGISTRY_URL'],
    [{ CS_QUEUES: '95598-general,bad queue' }, 'CS_QUEUES'],
    [{ CS_QUEUES: '95598-general,other' }, 'CS_QUEUES'],
    [{ CS_QUEUES: Array.from({ length: 101 }, (_, i) => `q${i}`).join(',') }, 'CS_QUEUES'],
  ])('refuses %o naming %s', (override, variable) => {
    expect(() => loadConfig({ ...base, ...override })).toThrow(new RegExp(`^invalid setting ${variable}:`));
  });

  it('never echoes a secret in its error', () => {
    try {
      loadConfig({ ...base, KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'u', REDIS_URL: 'redis://:hunter2@x', METRICS_PORT: 'hunter2' });
      expect.fail('should throw');
    } catch (err) {
      expect((err as Error).message).not.toContain('hunter2');
    }
  });

  it('CS_QUEUES: the queues that get their own metric label; by default the 95598 queues of the simulator and the alert rules', () => {
    expect(loadConfig(base).CS_QUEUES).toEqual(['95598-general', '95598-billing', '95598-repair', 'online']);
    expect(loadConfig({ ...base, CS_QUEUES: ' 95598-general , hall-east ' }).CS_QUEUES).toEqual(['95598-general', 'hall-east']);
  });

  it('CS_UNKNOWN_STAFF_CAP: distinct staff ids not on the roster per shard and period, 500 by default, 1-100000', () => {
    expect(loadConfig(base).CS_UNKNOWN_STAFF_CAP).toBe(500);
    expect(loadConfig({ ...base, CS_UNKNOWN_STAFF_CAP: '5' }).CS_UNKNOWN_STAFF_CAP).toBe(5);
    for (const bad of ['0', '-1', '1.5', 'many', '100001']) expect(() => loadConfig({ ...base, CS_UNKNOWN_STAFF_CAP: bad }), bad).toThrow(/invalid setting CS_UNKNOWN_STAFF_CAP/);
  });

  it('METRICS_HOST: /metrics listens on loopback unless told otherwise (containers set 0.0.0.0)', () => {
    expect(loadConfig(base).METRICS_HOST).toBe('127.0.0.1');
    for (const host of ['0.0.0.0', '::', '::1', '10.1.2.3', 'localhost', 'metrics.internal']) expect(loadConfig({ ...base, METRICS_HOST: host }).METRICS_HOST).toBe(host);
  });
});

describe('the services clock (CS_CLOCK_OFFSET_SECONDS)', () => {
  const base = { KAFKA_BROKERS: '127.0.0.1:9092', REDIS_URL: 'redis://127.0.0.1:6379' };
  it('is the wall clock by default, shifted by the offset when set, and rejects a bad offset naming it', () => {
    const wall = manualClock(1_000_000);
    expect(offsetClock(loadConfig(base).CS_CLOCK_OFFSET_SECONDS * 1000, wall).now()).toBe(1_000_000);
    const ahead = offsetClock(loadConfig({ ...base, CS_CLOCK_OFFSET_SECONDS: '-86400' }).CS_CLOCK_OFFSET_SECONDS * 1000, wall);
    expect(ahead.now()).toBe(1_000_000 - 86_400_000);
    wall.advance(5);
    expect(ahead.now()).toBe(1_000_000 - 86_400_000 + 5);
    expect(Math.abs(clockFromConfig(loadConfig(base)).now() - systemClock.now())).toBeLessThan(1000);
    expect(() => loadConfig({ ...base, CS_CLOCK_OFFSET_SECONDS: '1.5' })).toThrow(/CS_CLOCK_OFFSET_SECONDS/);
    expect(() => loadConfig({ ...base, CS_CLOCK_OFFSET_SECONDS: 'tomorrow' })).toThrow(/CS_CLOCK_OFFSET_SECONDS/);
  });
});
