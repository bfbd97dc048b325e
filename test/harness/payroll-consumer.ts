// The payroll example (examples/payroll-consumer, Java): built once per test process with Maven
// (its dependencies are fetched from Maven Central on the first build, then come from ~/.m2), and
// run as a process like a payroll system would.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { withoutFaketime } from '@cs/stack';

export const PAYROLL_DIR = path.resolve(import.meta.dirname, '../../examples/payroll-consumer');
export const PAYROLL_JAR = path.join(PAYROLL_DIR, 'target', 'payroll-consumer.jar');

export interface ProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Maven and the JVM keep the machine's clock, as the Kafka broker does (withoutFaketime): under
 * libfaketime one run of the example took a minute instead of seconds. The program reads no
 * "now": its cut-off follows from the month, and the project's clock comes in as
 * CS_CLOCK_OFFSET_SECONDS, as for every service.
 */
function run(cmd: string, args: string[], opts: { cwd?: string; env?: Record<string, string | undefined>; timeoutMs: number }): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: withoutFaketime({ ...process.env, ...opts.env }), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs);
    child.on('error', (err) => reject(new Error(`cannot run ${cmd} (${err.message}): the payroll example needs Java 17+ and Maven on PATH`)));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

/** Newest modification time of the pom and the sources (what the jar is built from). */
function sourcesChangedMs(dir = PAYROLL_DIR): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'target') continue;
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? sourcesChangedMs(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function jarIsCurrent(): boolean {
  try {
    return statSync(PAYROLL_JAR).mtimeMs > sourcesChangedMs();
  } catch {
    return false;
  }
}

let built: Promise<string> | undefined;

/**
 * `mvn -q -B package` once per test process, skipped when the jar is newer than every source (CI
 * builds it once before the suites; the runs under faketime reuse it). Resolves to the jar.
 */
export function buildPayrollConsumer(): Promise<string> {
  if (jarIsCurrent()) return Promise.resolve(PAYROLL_JAR);
  built ??= run('mvn', ['-q', '-B', 'package'], { cwd: PAYROLL_DIR, timeoutMs: 600_000 }).then((r) => {
    if (r.code !== 0) throw new Error(`mvn package of ${PAYROLL_DIR} failed (exit ${r.code}):\n${r.stdout}${r.stderr}`);
    return PAYROLL_JAR;
  });
  return built;
}

/** `java -jar payroll-consumer.jar <args>` with extra environment (SCHEMA_REGISTRY_URL, KAFKA_BROKERS, topics...). */
export async function runPayrollConsumer(args: string[], env: Record<string, string | undefined>, timeoutMs = 120_000): Promise<ProcessResult> {
  const jar = await buildPayrollConsumer();
  return run('java', ['-jar', jar, ...args], { env, timeoutMs });
}

/** Deletes `subject` and its versions for good (soft, then permanent, as the Confluent API requires). */
export async function deleteSubject(ccompatUrl: string, subject: string): Promise<void> {
  for (const query of ['', '?permanent=true']) {
    const res = await fetch(`${ccompatUrl}/subjects/${encodeURIComponent(subject)}${query}`, { method: 'DELETE' });
    if (!res.ok) throw new Error(`deleting ${subject}${query} failed: HTTP ${res.status} ${await res.text()}`);
  }
}
