import { spawnSync } from 'node:child_process';
import { StackError } from './errors.ts';
import { hasCommand } from './processes.ts';

/** Runs one Maven goal that downloads from Maven Central; `what` names the download in errors. */
export function runMaven(args: string[], what: string, target: string): void {
  if (!hasCommand('mvn')) {
    throw new StackError('MAVEN_MISSING', `mvn is not on PATH (needed once to fetch ${what})`, `install Maven (apt-get install maven) or put ${what} in ${target}`);
  }
  const res = spawnSync('mvn', ['-q', '-B', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (res.status !== 0) {
    const out = `${res.stdout ?? ''}${res.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
    throw new StackError('MAVEN_FETCH_FAILED', `could not fetch ${what} from Maven Central`, 'check that Maven Central is reachable (mvn -v, proxy settings) and retry', out);
  }
}
