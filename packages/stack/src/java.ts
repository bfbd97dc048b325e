import { existsSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { StackError } from './errors.ts';
import { withoutFaketime } from './processes.ts';

export interface JavaRuntime {
  bin: string;
  major: number;
}

const JVM_ROOT = '/usr/lib/jvm';

/** The feature release `java -version` reports ("17.0.13" → 17, "1.8.0_412" → 8), or null when it does not run. */
export function javaMajor(bin: string, env: NodeJS.ProcessEnv = process.env): number | null {
  const res = spawnSync(bin, ['-version'], { encoding: 'utf8', env: withoutFaketime(env), timeout: 15_000 });
  if (res.status !== 0) return null;
  const m = /version "(\d+)(?:\.(\d+))?/.exec(`${res.stderr ?? ''}${res.stdout ?? ''}`);
  if (!m) return null;
  const first = Number(m[1]);
  return first === 1 && m[2] ? Number(m[2]) : first;
}

/** Where a Java may be, in the order an operator expects: JAVA_HOME, then PATH, then the distribution's JDKs. */
function candidates(env: NodeJS.ProcessEnv, jvmRoot: string): string[] {
  const out: string[] = [];
  if (env.JAVA_HOME) out.push(path.join(env.JAVA_HOME, 'bin', 'java'));
  out.push('java');
  if (existsSync(jvmRoot)) {
    for (const d of readdirSync(jvmRoot).sort().reverse()) {
      const bin = path.join(jvmRoot, d, 'bin', 'java');
      if (existsSync(bin)) out.push(bin);
    }
  }
  return out;
}

const found = new Map<string, JavaRuntime>();

/**
 * A Java runtime of at least `minMajor` (Apicurio Registry 3 needs 21 while the machine default
 * may be 17). Found once per process: probing a JVM costs a process start.
 */
export function findJava(minMajor: number, env: NodeJS.ProcessEnv = process.env, jvmRoot = JVM_ROOT): JavaRuntime {
  const key = [minMajor, env.JAVA_HOME, env.PATH, jvmRoot].join('|');
  const cached = found.get(key);
  if (cached) return cached;
  const seen: string[] = [];
  for (const bin of candidates(env, jvmRoot)) {
    const major = javaMajor(bin, env);
    if (major === null) continue;
    seen.push(`${bin} (${major})`);
    if (major >= minMajor) {
      const runtime = { bin, major };
      found.set(key, runtime);
      return runtime;
    }
  }
  const hint = `install a Java ${minMajor}+ runtime (apt-get install openjdk-${minMajor}-jre-headless, or a Temurin JDK under ${jvmRoot}) or point JAVA_HOME at one`;
  if (seen.length === 0) throw new StackError('JAVA_MISSING', `no Java found (JAVA_HOME, PATH, ${jvmRoot})`, hint);
  throw new StackError('JAVA_TOO_OLD', `Java ${minMajor}+ is needed; found only ${seen.join(', ')}`, hint);
}
