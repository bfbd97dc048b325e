import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SchemaRegistryServer, freePort } from '@cs/stack';

export interface TestRegistry {
  /** The Confluent-compatible base, as SCHEMA_REGISTRY_URL takes it. */
  url: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * One Apicurio Registry process per call (in-memory, so tests do not see each other's subjects);
 * the caller stops it in afterAll. `port` starts it on a given port (a restart test reuses the old one).
 */
export async function startTestRegistry(opts: { port?: number } = {}): Promise<TestRegistry> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cs-test-registry-'));
  const server = new SchemaRegistryServer({ dir, port: opts.port ?? (await freePort()) });
  await server.start({ log: (l) => console.log(`[registry] ${l}`) });
  return {
    url: server.url,
    port: server.opts.port,
    async stop() {
      // Throwaway in-memory state: no need to wait for a graceful shutdown.
      await server.stop('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
