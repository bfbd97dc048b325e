import path from 'node:path';
import { StackError } from './errors.ts';
import { findJava } from './java.ts';
import { REGISTRY_MIN_JAVA, ensureRegistryApp } from './registry-app.ts';
import { alreadyRunning, freePort, pollReady, refuseTakenPorts, readPid, spawnDetached, stopByPidFile, tailFile, withoutFaketime } from './processes.ts';

export interface SchemaRegistryServerOptions {
  dir: string;
  port: number;
  /** Health and metrics (Quarkus's management interface); a free port when unset. Its default, 9000, would clash between registries. */
  managementPort?: number;
  /** Keep the schemas in an H2 file under `dir` across restarts (the ids stay those the topics' records carry); in memory otherwise. */
  persistent?: boolean;
  heapMb?: number;
}

/** Apicurio Registry on its own port (in-memory storage: a restart forgets every schema). */
export class SchemaRegistryServer {
  constructor(readonly opts: SchemaRegistryServerOptions) {}

  /** The Confluent-compatible API base: what SCHEMA_REGISTRY_URL holds. */
  get url(): string {
    return `http://127.0.0.1:${this.opts.port}/apis/ccompat/v7`;
  }

  private file(name: string): string {
    return path.join(this.opts.dir, name);
  }
  get logFile(): string {
    return this.file('registry.log');
  }

  pid(): number | null {
    // The port is on the JVM's command line, so a recycled pid or another registry is not taken for ours.
    return readPid(this.file('registry.pid'), `-Dquarkus.http.port=${this.opts.port} `);
  }

  async start(opts: { timeoutMs?: number; log?: (line: string) => void } = {}): Promise<{ reused: boolean }> {
    const timeoutMs = opts.timeoutMs ?? 90_000;
    if (await alreadyRunning(this.opts.dir, this, timeoutMs)) return { reused: true };
    await refuseTakenPorts([this.opts.port], 'another port (CS_REGISTRY_PORT)');
    const java = findJava(REGISTRY_MIN_JAVA);
    const app = ensureRegistryApp(opts.log);
    const args = [
      `-Xmx${this.opts.heapMb ?? 384}m`,
      // Start-up over peak speed: C1 only and one GC thread spend less of a shared 2-core machine.
      '-XX:TieredStopAtLevel=1',
      '-XX:+UseSerialGC',
      '-Dquarkus.http.host=127.0.0.1',
      `-Dquarkus.http.port=${this.opts.port}`,
      '-Dquarkus.management.host=127.0.0.1',
      `-Dquarkus.management.port=${this.opts.managementPort ?? (await freePort())}`,
      // A local registry needs 2 database connections, not the 20 Apicurio opens by default.
      '-Dapicurio.datasource.jdbc.initial-size=2',
      '-Dapicurio.datasource.jdbc.min-size=2',
      ...(this.opts.persistent ? [`-Dapicurio.datasource.url=jdbc:h2:file:${this.file('h2/registry')}`] : []),
      '-jar',
      path.join(app, 'quarkus-run.jar'),
    ];
    // Like Kafka and Redis, the registry keeps the machine's clock under a faketime run.
    const env = { ...withoutFaketime(process.env), QUARKUS_HTTP_HOST: '127.0.0.1', QUARKUS_HTTP_PORT: String(this.opts.port) };
    spawnDetached(java.bin, args, this.logFile, this.file('registry.pid'), this.opts.dir, env);
    await this.waitReady(timeoutMs);
    return { reused: false };
  }

  async waitReady(timeoutMs: number): Promise<void> {
    const r = await pollReady(timeoutMs, 200, () => this.probe(), () => this.pid() === null);
    if (r.ready) return;
    const why = r.exited ? 'its process exited' : r.why;
    throw new StackError('REGISTRY_NOT_READY', `the schema registry on port ${this.opts.port} did not answer within ${Math.round(timeoutMs / 1000)} s (${why})`, `read ${this.logFile}`, tailFile(this.logFile, 15));
  }

  /** Ready means the Confluent-compatible API lists subjects, not merely an open port. */
  private async probe(): Promise<true | string> {
    try {
      const res = await fetch(`${this.url}/subjects`, { signal: AbortSignal.timeout(2000) });
      return res.ok ? true : `GET /subjects answered ${res.status}`;
    } catch (err) {
      return (err as Error).message;
    }
  }

  stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<boolean> {
    return stopByPidFile(this.pid(), this.file('registry.pid'), signal, 20_000);
  }
}
