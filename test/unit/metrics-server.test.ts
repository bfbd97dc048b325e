import { describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { loadConfig, startMetricsServer } from '@cs/runtime';

const health = { live: () => true, ready: () => true };

describe('metrics server bind address', () => {
  it('listens on the configured METRICS_HOST, by default loopback only', async () => {
    const config = loadConfig({ KAFKA_BROKERS: '127.0.0.1:19092', REDIS_URL: 'redis://127.0.0.1:6390', METRICS_PORT: '0' });
    const server = await startMetricsServer(new Registry(), config.METRICS_PORT, health, config.METRICS_HOST);
    try {
      expect(server.address).toBe('127.0.0.1');
      expect((await fetch(`http://127.0.0.1:${server.port}/healthz`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
