// `npm test` starts with scripts/check-prereqs.mjs: one line naming what is missing and how to install it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const SCRIPT = path.resolve(import.meta.dirname, '../../scripts/check-prereqs.mjs');
const bin = mkdtempSync(path.join(os.tmpdir(), 'cs-prereqs-'));
afterAll(() => rmSync(bin, { recursive: true, force: true }));

/** Runs the check with a PATH holding only node and the given commands. */
function check(commands: string[], env: Record<string, string> = {}) {
  const dir = mkdtempSync(path.join(bin, 'path-'));
  symlinkSync(process.execPath, path.join(dir, 'node'));
  for (const c of commands) {
    const found = spawnSync('sh', ['-c', `command -v ${c}`], { encoding: 'utf8' }).stdout.trim();
    if (found) symlinkSync(found, path.join(dir, c));
  }
  return spawnSync(process.execPath, [SCRIPT], { encoding: 'utf8', env: { PATH: dir, CS_CACHE_DIR: path.join(dir, 'no-cache'), ...env } });
}

// The check also asks for Node.js 24+: on an older node (a machine before `scripts/use-node24.sh`)
// that clause leads the line, and the check fails for it alone.
const NODE_24 = Number(process.versions.node.split('.')[0]) >= 24;
const nodeClause = (rest: string) => (NODE_24 ? rest : `Node.js 24+ (this is ${process.versions.node}; eval "$(scripts/use-node24.sh)" puts it first on PATH)${rest ? `, ${rest}` : ''}`);

// Each case runs the script, which starts `java -version` for every JVM it finds (a few seconds on a
// loaded 2-core machine): a timeout above vitest's 5 s default.
describe('npm test prerequisites check', { timeout: 30_000 }, () => {
  it('names every missing system package in one line with the command that installs them', () => {
    const r = check([]);
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]!.startsWith(`npm test: missing prerequisites: ${nodeClause('Java 17+ (java), Maven')}`), lines[0]).toBe(true);
    expect(lines[0]).toMatch(/, redis-server, Prometheus \(prometheus, promtool\), Chromium \(chromium, for the console's browser test\) — install: .*apt-get install -y --no-install-recommends openjdk-17-jre-headless maven redis-server prometheus chromium$/);
  });

  it('asks only for Prometheus and Chromium when Kafka and Redis are external', () => {
    const r = check([], { CS_TEST_BACKEND: 'external' });
    expect(r.stderr.trim()).toBe(`npm test: missing prerequisites: ${nodeClause("Prometheus (prometheus, promtool), Chromium (chromium, for the console's browser test)")} — install: sudo apt-get update && sudo apt-get install -y --no-install-recommends prometheus chromium`);
  });

  it('says nothing and passes when everything is there', () => {
    const r = check(['java', 'mvn', 'redis-server', 'prometheus', 'promtool', 'chromium']);
    expect(r.stderr).toBe(NODE_24 ? '' : `npm test: missing prerequisites: ${nodeClause('')}\n`);
    expect(r.status).toBe(NODE_24 ? 0 : 1);
  });
});
