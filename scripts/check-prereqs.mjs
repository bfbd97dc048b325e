#!/usr/bin/env node
// `npm test` runs this first: it names, in one line, every system package the tests need that this
// machine lacks, and how to install them, before anything is started. Plain Node, no dependencies.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function run(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 20_000 });
  return r.error ? null : `${r.stdout ?? ''}${r.stderr ?? ''}`;
}

/** The major version of `java -version` ("17.0.13", "1.8.0_402" -> 8), or null without java. */
function javaMajor(bin = 'java') {
  const out = run(bin, ['-version']);
  const m = out && /version "(\d+)(?:\.(\d+))?/.exec(out);
  if (!m) return null;
  return m[1] === '1' ? Number(m[2]) : Number(m[1]);
}

/** A Java 21+ for the schema registry where the stack looks (packages/stack/src/java.ts): JAVA_HOME, PATH, /usr/lib/jvm. */
function java21Somewhere() {
  const jvm = '/usr/lib/jvm';
  const bins = [process.env.JAVA_HOME && path.join(process.env.JAVA_HOME, 'bin', 'java'), 'java'];
  if (existsSync(jvm)) for (const d of readdirSync(jvm)) bins.push(path.join(jvm, d, 'bin', 'java'));
  return bins.some((b) => b && (javaMajor(b) ?? 0) >= 21);
}

function kafkaJarsCached() {
  const cache = process.env.CS_CACHE_DIR ?? path.join(root, '.cache');
  try {
    return readdirSync(cache).some((d) => d.startsWith('kafka-') && existsSync(path.join(cache, d, 'libs', '.complete')));
  } catch {
    return false;
  }
}

const missing = []; // [what, Debian package]
const nodeMajor = Number(process.versions.node.split('.')[0]);
if (nodeMajor < 24) missing.push([`Node.js 24+ (this is ${process.versions.node}; eval "$(scripts/use-node24.sh)" puts it first on PATH)`, null]);
// An external Kafka and Redis (KAFKA_BROKERS + REDIS_URL, or CS_TEST_BACKEND=external) need no local broker.
const external = process.env.CS_TEST_BACKEND === 'external' || (process.env.KAFKA_BROKERS && process.env.REDIS_URL);
if (!external) {
  const java = javaMajor();
  if (java === null) missing.push(['Java 17+ (java)', 'openjdk-17-jre-headless']);
  else if (java < 17) missing.push([`Java 17+ (java is ${java})`, 'openjdk-17-jre-headless']);
  if (java !== null && !java21Somewhere()) missing.push(['Java 21+ for the schema registry (JAVA_HOME, PATH and /usr/lib/jvm have only older ones)', 'openjdk-21-jre-headless']);
  if (!kafkaJarsCached() && run('mvn', ['-v']) === null) missing.push(['Maven (mvn, fetches the Kafka jars once)', 'maven']);
  if (run('redis-server', ['--version']) === null) missing.push(['redis-server', 'redis-server']);
}
if (run('prometheus', ['--version']) === null || run('promtool', ['--version']) === null) missing.push(['Prometheus (prometheus, promtool)', 'prometheus']);
// The console's browser test drives Debian's Chromium headless (playwright-core, no bundled browser).
if (run('chromium', ['--version']) === null) missing.push(['Chromium (chromium, for the console\'s browser test)', 'chromium']);

if (missing.length > 0) {
  const pkgs = missing.map(([, p]) => p).filter(Boolean);
  const how = pkgs.length ? ` — install: sudo apt-get update && sudo apt-get install -y --no-install-recommends ${pkgs.join(' ')}` : '';
  console.error(`npm test: missing prerequisites: ${missing.map(([w]) => w).join(', ')}${how}`);
  process.exit(1);
}
