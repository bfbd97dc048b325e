// The services as child processes (`node --import tsx services/<name>/src/main.ts`), their
// output in a log file: what end-to-end and fault tests start, SIGKILL and read the logs of.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NODE_FLAGS } from '@cs/runtime/node-flags';

const ROOT = path.resolve(import.meta.dirname, '../..');

export function logsDir(): string {
  const d = process.env.CS_FAULT_LOGS ?? path.join(os.tmpdir(), 'cs-fault-logs');
  mkdirSync(d, { recursive: true });
  return d;
}

export interface Service {
  child: ChildProcess;
  logFile: string;
  /** log lines so far (pino JSON, LOG_LEVEL of the env) */
  lines(): string[];
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** `node --import tsx services/<name>/src/main.ts` with the sandbox env; stdout+stderr to a log file. */
export function spawnService(name: 'aggregator' | 'scorer' | 'console', env: Record<string, string>, _dir?: string, extra: Record<string, string> = {}): Service {
  const logDir = logsDir();
  const main = path.join(ROOT, 'services', name, 'src', 'main.ts');
  const logFile = path.join(logDir, `${name}-${Date.now()}-${Math.random().toString(36).slice(2, 6)}.log`);
  const out = createWriteStream(logFile);
  const child = spawn(process.execPath, [...NODE_FLAGS, '--import', 'tsx', main], { cwd: ROOT, env: { ...process.env, ...env, ...extra }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.pipe(out, { end: false });
  child.stderr!.pipe(out, { end: false });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    child,
    logFile,
    lines: () => {
      try {
        return readFileSync(logFile, 'utf8').split('\n').filter(Boolean);
      } catch {
        return [];
      }
    },
    kill: async (signal = 'SIGKILL') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
      out.end();
    },
  };
}
