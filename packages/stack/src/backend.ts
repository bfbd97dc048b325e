import { spawnSync } from 'node:child_process';

/**
 * Where the test run's Kafka and Redis come from:
 * - `external`: KAFKA_BROKERS and REDIS_URL are set — use them as they are;
 * - `testcontainers`: a Docker engine answers — containers via @testcontainers/kafka and /redis;
 * - `local-process`: the Maven-jar broker and redis-server as child processes (this machine).
 * CS_TEST_BACKEND forces a choice.
 */
export type Backend = 'external' | 'testcontainers' | 'local-process';

export interface BackendFacts {
  env: Record<string, string | undefined>;
  dockerEngineAnswers: () => boolean;
}

export function selectBackend(facts: BackendFacts): Backend {
  const forced = facts.env.CS_TEST_BACKEND;
  if (forced !== undefined && forced !== '') {
    if (forced === 'external' || forced === 'testcontainers' || forced === 'local-process') return forced;
    throw new Error(`invalid setting CS_TEST_BACKEND: expected external, testcontainers or local-process, got "${forced}"`);
  }
  if (facts.env.KAFKA_BROKERS && facts.env.REDIS_URL) return 'external';
  // Only ask Docker when needed: the probe costs a process spawn.
  return facts.dockerEngineAnswers() ? 'testcontainers' : 'local-process';
}

/** A Docker client without an engine (this machine) fails `docker info` quickly. */
export function dockerEngineAnswers(): boolean {
  const res = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], { stdio: 'ignore', timeout: 5000 });
  return res.status === 0;
}
