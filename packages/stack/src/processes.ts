import { readFileSync, existsSync, rmSync, writeFileSync, openSync, closeSync, chmodSync, mkdirSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import net from 'node:net';
import { StackError } from './errors.ts';

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The process's command line, to make sure a recycled pid is not mistaken for ours. */
export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

export function readPid(pidFile: string, mustContain: string): number | null {
  if (!existsSync(pidFile)) return null;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid) || !commandLine(pid).includes(mustContain)) return null;
  return pid;
}

/** Starts a process that outlives the caller (stdout/stderr to a log file) and records its pid. */
export function spawnDetached(cmd: string, args: string[], logFile: string, pidFile: string, cwd?: string, env: NodeJS.ProcessEnv = process.env): number {
  const out = openSync(logFile, 'a');
  const child = spawn(cmd, args, { detached: true, stdio: ['ignore', out, out], cwd, env });
  closeSync(out);
  if (child.pid === undefined) throw new Error(`could not start ${cmd}`);
  child.unref();
  writeFileSync(pidFile, String(child.pid));
  return child.pid;
}

export async function stopProcess(pid: number, signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 20_000): Promise<void> {
  try {
    process.kill(pid, signal);
  } catch {
    return;
  }
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(100);
  if (isAlive(pid)) {
    process.kill(pid, 'SIGKILL');
    while (isAlive(pid)) await sleep(50);
  }
}

/** Stops the process its pid file names (if it runs) and removes the file; false when none ran. */
export async function stopByPidFile(pid: number | null, pidFile: string, signal: NodeJS.Signals, timeoutMs: number): Promise<boolean> {
  if (pid === null) return false;
  await stopProcess(pid, signal, timeoutMs);
  removeFile(pidFile);
  return true;
}

export function removeFile(file: string): void {
  rmSync(file, { force: true });
}

export function portInUse(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** A local server of the stack: its live pid (null when not running) and its readiness wait. */
export interface LocalServer {
  pid(): number | null;
  waitReady(timeoutMs: number): Promise<void>;
}

/** Makes the server's folder; when our server already runs from it, waits until it answers and says so. */
export async function alreadyRunning(dir: string, server: LocalServer, timeoutMs: number): Promise<boolean> {
  mkdirSync(dir, { recursive: true });
  if (server.pid() === null) return false;
  await server.waitReady(timeoutMs);
  return true;
}

/** PORT_TAKEN, naming the setting that moves the port, when another process holds one of `ports`. */
export async function refuseTakenPorts(ports: readonly number[], setting: string): Promise<void> {
  for (const p of ports) {
    if (await portInUse(p)) throw new StackError('PORT_TAKEN', `port ${p} is taken by another process`, `stop it (ss -ltnp | grep ${p}) or set ${setting}`);
  }
}

export function hasCommand(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function tailFile(file: string, lines = 20): string {
  if (!existsSync(file)) return '(no log)';
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

/** A port the OS says is free right now (tests start private brokers on such ports). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address();
      server.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Writes a file that holds a secret (a password, a config with one) readable by its owner only:
 * created 0600, and set to 0600 when it existed already with a wider mode.
 */
export function writeSecretFile(file: string, content: string): void {
  writeFileSync(file, content, { mode: 0o600 });
  chmodSync(file, 0o600);
}

/**
 * A Java launcher argument file (`java @file`): each argument quoted, `\` and `"` escaped. Lets
 * a JVM get arguments that hold a secret without showing them in `ps` (argv is world-readable).
 */
export function javaArgFile(args: readonly string[]): string {
  return args.map((a) => `"${a.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join('\n') + '\n';
}

/**
 * The environment without libfaketime (LD_PRELOAD of libfaketime, FAKETIME*), for the servers the
 * suite runs on when it runs under a shifted clock (CI does): redis-server's jemalloc calls
 * clock_gettime() before libfaketime is ready and the server never starts (libfaketime issue
 * #130), and the Kafka JVM under it is not ready within 90 s. Both keep the machine's clock: what
 * is under test (the services, the CLI, the tests) reads the shifted one.
 */
export function underFaketime(env: NodeJS.ProcessEnv): boolean {
  return (env.LD_PRELOAD ?? '').includes('libfaketime');
}

export function withoutFaketime(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(env)) if (!k.startsWith('FAKETIME')) out[k] = v;
  const preload = (env.LD_PRELOAD ?? '').split(/[: ]/).filter((lib) => lib && !lib.includes('libfaketime'));
  if (preload.length) out.LD_PRELOAD = preload.join(':');
  else delete out.LD_PRELOAD;
  return out;
}

export type Readiness = { ready: true } | { ready: false; exited: boolean; why: string };

/**
 * Probes a starting process every `everyMs` until `probe` says ready (true) or the deadline
 * passes; `probe` otherwise says why not yet. Stops early once `exited()` (its pid is gone).
 */
export async function pollReady(timeoutMs: number, everyMs: number, probe: () => Promise<true | string>, exited: () => boolean): Promise<Readiness> {
  // A duration: the monotonic clock, not the wall clock a shifted-time run (faketime) moves.
  // One probe always starts after the deadline: a start beside it that blocks the event loop (the
  // broker's storage format is a spawnSync) can use up the whole wait before one probe has run, and
  // a server that has been ready all along must not be reported as not ready.
  const deadline = performance.now() + timeoutMs;
  let why = 'not probed yet';
  for (;;) {
    if (exited()) return { ready: false, exited: true, why };
    const last = performance.now() >= deadline;
    const r = await probe();
    if (r === true) return { ready: true };
    why = r;
    if (last) return { ready: false, exited: false, why };
    await sleep(everyMs);
  }
}
