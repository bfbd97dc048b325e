import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Redis, type RedisOptions } from 'ioredis';
import { StackError } from './errors.ts';
import { alreadyRunning, hasCommand, pollReady, refuseTakenPorts, readPid, spawnDetached, stopByPidFile, tailFile, withoutFaketime, writeSecretFile } from './processes.ts';

export interface RedisServerOptions {
  dir: string;
  port: number;
  /** AOF with fsync every second: the fault tests rely on it, and production must persist. */
  appendOnly?: boolean;
  extraArgs?: string[];
  /** Serve TLS only, on `port` (the plain port is off): the server's certificate, key and CA (PEM). */
  tls?: { certFile: string; keyFile: string; caFile: string };
  /**
   * ACL users (written to an aclfile in `dir`); the `default` user is switched off, so every
   * client must authenticate. `rules` defaults to full access: `~* &* +@all`.
   */
  users?: { name: string; password: string; rules?: string }[];
}

/** The project's own redis-server, on its own port and data dir, so tests may kill it freely. */
export class RedisServer {
  constructor(readonly opts: RedisServerOptions) {}

  get url(): string {
    return `${this.opts.tls ? 'rediss' : 'redis'}://127.0.0.1:${this.opts.port}`;
  }

  /** How the readiness probe connects: TLS with our CA, as the first ACL user. */
  private probeOptions(): RedisOptions {
    const { tls, users } = this.opts;
    return {
      ...(tls ? { tls: { ca: [readFileSync(tls.caFile, 'utf8')] } } : {}),
      ...(users?.length ? { username: users[0]!.name, password: users[0]!.password } : {}),
    };
  }

  private securityArgs(): string[] {
    const args: string[] = [];
    const { tls, users } = this.opts;
    if (tls) {
      args.push('--port', '0', '--tls-port', String(this.opts.port), '--tls-cert-file', tls.certFile, '--tls-key-file', tls.keyFile, '--tls-ca-cert-file', tls.caFile, '--tls-auth-clients', 'no');
    }
    if (users?.length) {
      for (const u of users) {
        if (!/^[A-Za-z0-9_.-]+$/.test(u.name) || /\s/.test(u.password)) throw new Error(`invalid ACL user ${u.name} (name [A-Za-z0-9_.-], password without spaces)`);
      }
      const aclFile = this.file('users.acl');
      // Passwords go in the ACL file (owner-readable only), never on redis-server's command line.
      writeSecretFile(aclFile, ['user default off', ...users.map((u) => `user ${u.name} on >${u.password} ${u.rules ?? '~* &* +@all'}`)].join('\n') + '\n');
      args.push('--aclfile', aclFile);
    }
    return args;
  }
  private file(name: string): string {
    return path.join(this.opts.dir, name);
  }
  get logFile(): string {
    return this.file('redis.log');
  }

  pid(): number | null {
    // redis rewrites its process title to "redis-server 127.0.0.1:PORT"; both forms contain the port.
    return readPid(this.file('redis.pid'), String(this.opts.port));
  }

  async start(timeoutMs = 15_000): Promise<{ reused: boolean }> {
    if (await alreadyRunning(this.opts.dir, this, timeoutMs)) return { reused: true };
    if (!hasCommand('redis-server')) {
      throw new StackError('REDIS_SERVER_MISSING', 'redis-server is not on PATH', 'install it (apt-get install redis-server)');
    }
    await refuseTakenPorts([this.opts.port], 'another port (CS_REDIS_PORT)');
    const aof = this.opts.appendOnly ?? true;
    const args = [
      // With TLS, securityArgs() turns the plain port off and serves TLS on this port instead.
      '--port', String(this.opts.port),
      '--bind', '127.0.0.1',
      '--dir', this.opts.dir,
      '--appendonly', aof ? 'yes' : 'no',
      '--appendfsync', 'everysec',
      '--save', '',
      '--daemonize', 'no',
      '--logfile', this.logFile,
      ...this.securityArgs(),
      ...(this.opts.extraArgs ?? []),
    ];
    spawnDetached('redis-server', args, this.file('stdout.log'), this.file('redis.pid'), undefined, withoutFaketime(process.env));
    await this.waitReady(timeoutMs);
    return { reused: false };
  }

  async waitReady(timeoutMs: number): Promise<void> {
    const r = await pollReady(timeoutMs, 100, () => this.probe(), () => this.pid() === null);
    if (r.ready) return;
    const why = r.exited ? `its process (pid file ${this.file('redis.pid')}) is gone` : r.why;
    throw new StackError('REDIS_NOT_READY', `redis-server on port ${this.opts.port} did not answer within ${Math.round(timeoutMs / 1000)} s (${why})`, `read ${this.logFile}`, tailFile(this.logFile, 10));
  }

  /** A PING answered (LOADING while the AOF is replayed: not ready yet). */
  private async probe(): Promise<true | string> {
    const client = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, ...this.probeOptions() });
    client.on('error', () => {});
    try {
      await client.connect();
      const pong = await client.ping();
      return pong === 'PONG' ? true : `PING answered ${pong}`;
    } catch (err) {
      return (err as Error).message;
    } finally {
      client.disconnect();
    }
  }

  stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<boolean> {
    return stopByPidFile(this.pid(), this.file('redis.pid'), signal, 15_000);
  }
}
