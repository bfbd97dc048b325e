import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { KafkaBroker, RedisServer, dockerEngineAnswers, freePort, selectBackend } from '@cs/stack';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string;
    redisUrl: string;
    backend: string;
  }
}

/**
 * One Kafka broker and one Redis for the whole integration run; tests isolate by unique
 * topic, group and key prefix (see ./index.ts). Reuses KAFKA_BROKERS / REDIS_URL when set.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const backend = selectBackend({ env: process.env, dockerEngineAnswers });
  project.provide('backend', backend);
  if (backend === 'external') {
    project.provide('kafkaBrokers', process.env.KAFKA_BROKERS!);
    project.provide('redisUrl', process.env.REDIS_URL!);
    return async () => {};
  }
  if (backend === 'testcontainers') return startContainers(project);

  const dir = mkdtempSync(path.join(os.tmpdir(), 'cs-test-stack-'));
  const kafka = new KafkaBroker({ dir: path.join(dir, 'kafka'), port: await freePort(), controllerPort: await freePort() });
  const redis = new RedisServer({ dir: path.join(dir, 'redis'), port: await freePort() });
  const t0 = Date.now();
  await Promise.all([kafka.start({ log: (l) => console.log(l) }), redis.start()]);
  console.log(`[harness] local-process backend: kafka ${kafka.brokers}, redis ${redis.url} up in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  project.provide('kafkaBrokers', kafka.brokers);
  project.provide('redisUrl', redis.url);
  return async () => {
    // Throwaway data: no need for a controlled shutdown, which can outlast vitest's close timeout.
    await Promise.all([kafka.stop('SIGKILL'), redis.stop('SIGKILL')]);
    rmSync(dir, { recursive: true, force: true });
  };
}

async function startContainers(project: TestProject): Promise<() => Promise<void>> {
  const { KafkaContainer } = await import('@testcontainers/kafka');
  const { RedisContainer } = await import('@testcontainers/redis');
  const [kafka, redis] = await Promise.all([
    new KafkaContainer('confluentinc/cp-kafka:7.9.0').withKraft().start(),
    new RedisContainer('redis:7.4').withCommand(['redis-server', '--appendonly', 'yes', '--appendfsync', 'everysec']).start(),
  ]);
  project.provide('kafkaBrokers', `${kafka.getHost()}:${kafka.getMappedPort(9093)}`);
  project.provide('redisUrl', redis.getConnectionUrl());
  return async () => {
    await Promise.all([kafka.stop(), redis.stop()]);
  };
}
