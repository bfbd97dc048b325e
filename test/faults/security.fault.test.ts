// Issue 8, security: Kafka SASL (SCRAM-SHA-512) over TLS and Redis with an ACL user over TLS, set
// through the environment only. A private broker and Redis that require them (the shared harness
// ones are plaintext); certificates are made at test time in a temp dir. The aggregator runs as a
// child process (main.ts, as in production), so its whole stdout/stderr is what we inspect.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { Worker } from 'node:worker_threads';
import net from 'node:net';
import os from 'node:os';
import tls from 'node:tls';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import { Redis } from 'ioredis';
import { createCodecs, type SourceEvent } from '@cs/contracts';
import { CounterStore } from '@cs/counter-store';
import { loadConfig, verifyConnections, StartupError } from '@cs/runtime';
import { KafkaBroker, RedisServer, createTestCertificates, freePort, type TestCertificates } from '@cs/stack';
import { diffAgainstTruth, groundTruth, mixedStream, type Sandbox, type Stream } from '../../services/aggregator/test/support.ts';
import { uniqueName, waitFor } from '../harness/index.ts';
import { NODE_FLAGS } from '@cs/runtime/node-flags';

const codecs = createCodecs();
const MAIN = process.env.CS_SECURITY_AGGREGATOR_MAIN ?? path.resolve(import.meta.dirname, '../../services/aggregator/src/main.ts');
const KAFKA_USER = 'alice';
const KAFKA_PASSWORD = `kafka-${randomBytes(9).toString('hex')}`;
const REDIS_USER = 'aggregator';
const REDIS_PASSWORD = `redis-${randomBytes(9).toString('hex')}`;
const WRONG_PASSWORD = `wrong-${randomBytes(9).toString('hex')}`;
const SECRETS = [KAFKA_PASSWORD, REDIS_PASSWORD, WRONG_PASSWORD];
const HOSTILE_STAFF_ID = 'a{b}:*\n';

// Every command line this process starts (the stack's openssl, java and redis-server among
// them) is recorded: `ps` shows argv to every user of the host, so no secret may be in one.
const spawnedArgv: string[] = [];
{
  const cp = createRequire(import.meta.url)('node:child_process') as Record<string, (...a: unknown[]) => unknown>;
  for (const fn of ['spawn', 'spawnSync', 'execFile', 'execFileSync', 'exec', 'execSync', 'fork']) {
    const original = cp[fn]!;
    cp[fn] = function (this: unknown, ...args: unknown[]) {
      spawnedArgv.push([args[0], ...(Array.isArray(args[1]) ? args[1] : [])].map(String).join(' '));
      return original.apply(this, args);
    };
  }
  syncBuiltinESMExports();
}
// And every command line on the host while the stack starts, short-lived ones included (the
// KRaft format step runs a JVM for seconds). Sampled from a worker thread: the stack's spawnSync
// calls block this thread's event loop.
const SAMPLER = `
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const seen = new Set();
const sample = () => {
  for (const pid of fs.readdirSync('/proc')) {
    if (!/^\\d+$/.test(pid)) continue;
    try { seen.add(fs.readFileSync('/proc/' + pid + '/cmdline', 'utf8').split('\\0').join(' ')); } catch {}
  }
};
const timer = setInterval(sample, 20);
parentPort.once('message', () => { clearInterval(timer); sample(); parentPort.postMessage([...seen]); });
`;
const seenCmdlines = new Set<string>();
function sampleCmdlines(): () => Promise<void> {
  const worker = new Worker(SAMPLER, { eval: true });
  return async () => {
    const seen = new Promise<string[]>((resolve) => worker.once('message', resolve));
    worker.postMessage('stop');
    for (const c of await seen) seenCmdlines.add(c);
    await worker.terminate();
  };
}

let dir: string;
let certs: TestCertificates;
let kafka: KafkaBroker;
let redis: RedisServer;
let plainKafka: Kafka;
let redisClient: Redis;

interface Run {
  child: ChildProcess;
  output: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>;
}

/** main.ts as its own process; stdout (pino) and stderr are captured together. */
function runAggregator(env: Record<string, string>): Run {
  const t0 = Date.now();
  const child = spawn(process.execPath, [...NODE_FLAGS, '--import', 'tsx', MAIN], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const chunks: Buffer[] = [];
  child.stdout!.on('data', (b: Buffer) => chunks.push(b));
  child.stderr!.on('data', (b: Buffer) => chunks.push(b));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, ms: Date.now() - t0 })),
  );
  return { child, output: () => Buffer.concat(chunks).toString('utf8'), exit };
}

async function stopRun(run: Run): Promise<void> {
  if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGTERM');
  const timer = setTimeout(() => run.child.kill('SIGKILL'), 30_000);
  await run.exit;
  clearTimeout(timer);
}

function expectNoSecret(text: string): void {
  for (const s of SECRETS) expect(text, 'a password leaked into the output').not.toContain(s);
}

async function createTopics(n: number): Promise<Sandbox['topics']> {
  const names = ['cc', 'bill', 'rep', 'wf', 'roster', 'dlq', 'corr'].map((b) => uniqueName(`sec-${b}`));
  const admin = plainKafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: names.map((topic) => ({ topic, numPartitions: n, replicationFactor: 1 })), waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
  const [callcenter, billing, outageRepair, workforce, roster, dlq, corrections] = names as [string, string, string, string, string, string, string];
  return { callcenter, billing, outageRepair, workforce, roster, dlq, corrections };
}

function secureEnv(topics: Sandbox['topics'], prefix: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    KAFKA_BROKERS: kafka.listenerAddress('SECURE'),
    KAFKA_SASL_MECHANISM: 'scram-sha-512',
    KAFKA_SASL_USERNAME: KAFKA_USER,
    KAFKA_SASL_PASSWORD: KAFKA_PASSWORD,
    KAFKA_TLS: 'true',
    KAFKA_TLS_CA_FILE: certs.caFile,
    REDIS_URL: redis.url, // rediss://
    REDIS_USERNAME: REDIS_USER,
    REDIS_PASSWORD: REDIS_PASSWORD,
    REDIS_TLS_CA_FILE: certs.caFile,
    CS_KEY_PREFIX: prefix,
    CS_GROUP_ID: `${prefix}-g`,
    CS_TOPIC_CALLCENTER: topics.callcenter,
    CS_TOPIC_BILLING: topics.billing,
    CS_TOPIC_OUTAGE_REPAIR: topics.outageRepair,
    CS_TOPIC_WORKFORCE: topics.workforce,
    CS_TOPIC_ROSTER: topics.roster,
    CS_TOPIC_DLQ: topics.dlq,
    CS_TOPIC_CORRECTIONS: topics.corrections,
    // Everything the service can say: a secret would show up here first.
    LOG_LEVEL: 'debug',
    METRICS_PORT: '0',
    ...overrides,
  };
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'cs-security-'));
  const stopSampling = sampleCmdlines();
  certs = createTestCertificates(path.join(dir, 'certs'));
  kafka = new KafkaBroker({
    dir: path.join(dir, 'kafka'),
    port: await freePort(),
    controllerPort: await freePort(),
    heapMb: 512,
    extraListeners: [{ name: 'SECURE', port: await freePort(), protocol: 'SASL_SSL' }],
    scramUsers: [{ name: KAFKA_USER, password: KAFKA_PASSWORD, mechanism: 'SCRAM-SHA-512' }],
    ssl: { keystoreFile: certs.keystoreFile, keystorePassword: certs.keystorePassword },
  });
  redis = new RedisServer({
    dir: path.join(dir, 'redis'),
    port: await freePort(),
    appendOnly: false,
    tls: { certFile: certs.certFile, keyFile: certs.keyFile, caFile: certs.caFile },
    users: [{ name: REDIS_USER, password: REDIS_PASSWORD }],
  });
  await Promise.all([kafka.start(), redis.start()]).finally(stopSampling);
  // Topic set-up and test input go through the broker's PLAINTEXT listener (the operator's side).
  plainKafka = new Kafka({ brokers: [kafka.brokers], clientId: 'security-test', logLevel: logLevel.NOTHING });
  redisClient = new Redis(redis.url, { username: REDIS_USER, password: REDIS_PASSWORD, tls: { ca: [readFile(certs.caFile)] }, maxRetriesPerRequest: 3 });
}, 240_000);

afterAll(async () => {
  redisClient?.disconnect();
  await Promise.all([kafka?.stop('SIGKILL'), redis?.stop('SIGKILL')]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function readFile(file: string): string {
  return readFileSync(file, 'utf8');
}

describe('the secured broker and Redis refuse what they should', () => {
  it('refuses plaintext and unauthenticated clients (the set-up is really secured)', async () => {
    // Redis: over TLS but without credentials, a command is refused (NOAUTH: the default user is off).
    expect(await rawRedis(true, 'PING\r\n')).toMatch(/^-NOAUTH/);
    // Plain TCP to the TLS port gets no Redis answer at all.
    expect(await rawRedis(false, 'PING\r\n')).not.toMatch(/^\+PONG/);
    // Kafka: the SASL_SSL listener refuses a client that does not authenticate.
    const admin = new Kafka({ brokers: [kafka.listenerAddress('SECURE')], ssl: { ca: [readFile(certs.caFile)] }, logLevel: logLevel.NOTHING, retry: { retries: 0 }, connectionTimeout: 3000, requestTimeout: 3000 }).admin();
    await expect(admin.connect().then(() => admin.listTopics())).rejects.toThrow();
    await admin.disconnect().catch(() => {});
  });
});

describe('aggregator with SASL_SSL Kafka and ACL+TLS Redis', () => {
  let topics: Sandbox['topics'];
  let prefix: string;
  let stream: Stream;
  let store: CounterStore;

  beforeAll(async () => {
    topics = await createTopics(3);
    prefix = uniqueName('sec');
    store = new CounterStore(redisClient, { prefix, dedupeHorizonMs: 48 * 3_600_000, maxLatenessDays: 62 });
    stream = mixedStream({ seed: 81, minEvents: 5_000, malformedRate: 0, duplicateRate: 0.01 });
    // One event whose staff id carries Redis-significant characters and a newline.
    const template = stream.validEvents.find((e) => e.kind === 'ContactCompleted')!;
    const hostile = { ...template, eventId: `hostile-${randomBytes(4).toString('hex')}`, staffId: HOSTILE_STAFF_ID } as SourceEvent;
    const producer = plainKafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const topicOf = (k: string) => (topics as Record<string, string>)[k]!;
    for (let i = 0; i < stream.messages.length; i += 5000) {
      await producer.sendBatch({ topicMessages: stream.messages.slice(i, i + 5000).map((m) => ({ topic: topicOf(m.topic), messages: [{ key: m.key, value: m.value }] })) });
    }
    await producer.send({ topic: topics.callcenter, messages: [{ key: 'hostile', value: codecs.encode('callcenter', hostile) }] });
    await producer.disconnect();
  }, 120_000);

  it('right credentials: starts, counts every event exactly, dead-letters the hostile staff id, logs no secret and exposes no per-customer metric label', async () => {
    const metricsPort = await freePort();
    const t0 = Date.now();
    const run = runAggregator(secureEnv(topics, prefix, { METRICS_PORT: String(metricsPort) }));
    try {
      await waitFor(async () => run.output().includes('aggregator started') || run.child.exitCode !== null, 60_000, 'the aggregator to start');
      expect(run.child.exitCode, run.output().slice(-3000)).toBeNull();
      console.log(`[security] aggregator up over SASL_SSL + rediss:// in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

      // Every source partition applied up to its high watermark (Redis is the resume point).
      const admin = plainKafka.admin();
      await admin.connect();
      const targets: { topic: string; partition: number; high: number }[] = [];
      for (const t of [topics.callcenter, topics.billing, topics.outageRepair, topics.workforce]) {
        for (const o of await admin.fetchTopicOffsets(t)) if (Number(o.high) > 0) targets.push({ topic: t, partition: o.partition, high: Number(o.high) });
      }
      await admin.disconnect();
      await waitFor(
        async () => {
          for (const t of targets) if (((await store.readOffset(t.partition, t.topic, t.partition)) ?? 0) < t.high) return false;
          return true;
        },
        120_000,
        'every message applied',
      );
      expect(await diffAgainstTruth({ store } as Sandbox, groundTruth(stream.validEvents))).toEqual([]);

      // The hostile staff id: dead-lettered as VALIDATION, and in no Redis key, field or member.
      const dlq = await readDlq(topics.dlq, 1);
      expect(dlq.map((d) => `${d.errorClass}:${d.code}`)).toEqual(['VALIDATION:CS_VALIDATION_FAILED']);
      const dump = await dumpRedis(prefix);
      expect(dump.keys.length).toBeGreaterThan(0);
      for (const k of dump.keys) {
        expect(k).not.toContain('a{b}');
        expect(k).not.toMatch(/[\n*]/);
      }
      expect(dump.keys.every((k) => k.startsWith(`${prefix}:`))).toBe(true);
      expect(dump.strings.some((s) => s.includes(HOSTILE_STAFF_ID))).toBe(false);

      // No customer data stored: no call, ticket, bill, order... id of the input anywhere in Redis.
      const customerIds = customerIdsOf(stream.validEvents);
      const stored = new Set([...dump.keys, ...dump.strings].flatMap((s) => s.split(/[:|]/)));
      const leaked = [...customerIds].filter((id) => stored.has(id));
      expect(leaked.slice(0, 5)).toEqual([]);

      // /metrics: no label value is a staff id, an event id or a customer id from the input.
      const body = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      expect(body).toMatch(/cs_aggregator_events_total\{/);
      const labelValues = new Set([...body.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => m[2]!));
      const inputIds = new Set([...customerIds, ...staffIdsOf(stream.validEvents), ...stream.validEvents.map((e) => e.eventId), HOSTILE_STAFF_ID]);
      const exposed = [...labelValues].filter((v) => inputIds.has(v) || /^S\d{5}$/.test(v) || /^LEAD-/.test(v));
      expect(exposed).toEqual([]);
    } finally {
      await stopRun(run);
    }
    const out = run.output();
    expect(out).toContain('aggregator started');
    expectNoSecret(out);
  });

  it.each([
    { what: 'Kafka', says: 'Kafka authentication failed', prefix: 'sec-badk', env: { KAFKA_SASL_PASSWORD: WRONG_PASSWORD } as Record<string, string>, expected: /Kafka authentication failed/ },
    { what: 'Redis', says: 'WRONGPASS', prefix: 'sec-badr', env: { REDIS_PASSWORD: WRONG_PASSWORD } as Record<string, string>, expected: /Redis authentication failed.*WRONGPASS/ },
  ])('wrong $what password: exits at start-up within 30 s saying $says, with no secret in the output', async ({ what, prefix, env, expected }) => {
    const run = runAggregator(secureEnv(topics, uniqueName(prefix), env));
    const timer = setTimeout(() => run.child.kill('SIGKILL'), 45_000);
    const exit = await run.exit;
    clearTimeout(timer);
    const out = run.output();
    console.log(`[security] wrong ${what} password: exit ${exit.code} after ${(exit.ms / 1000).toFixed(1)} s: ${lastLine(out)}`);
    expect(exit.code, out.slice(-2000)).toBe(1);
    expect(exit.ms).toBeLessThan(30_000);
    expect(out).toMatch(expected);
    expectNoSecret(out);
  });

  it('verifyConnections: names the problem for bad credentials, untrusted TLS and a missing password, and never a secret', async () => {
    const base = secureEnv(topics, uniqueName('sec-v'));
    await verifyConnections(loadConfig(base)); // the right settings pass
    const cases: [Record<string, string>, RegExp][] = [
      [{ KAFKA_SASL_PASSWORD: WRONG_PASSWORD }, /^Kafka authentication failed at 127\.0\.0\.1:\d+ \(SASL SCRAM-SHA-512 as user "alice"\)/],
      [{ KAFKA_SASL_USERNAME: 'mallory' }, /^Kafka authentication failed/],
      [{ REDIS_PASSWORD: WRONG_PASSWORD }, /^Redis authentication failed at rediss:\/\/127\.0\.0\.1:\d+ \(WRONGPASS/],
      [{ REDIS_URL: `rediss://${REDIS_USER}:${WRONG_PASSWORD}@127.0.0.1:${redis.opts.port}`, REDIS_USERNAME: '', REDIS_PASSWORD: '' }, /^Redis authentication failed/],
      [{ KAFKA_TLS_CA_FILE: '' }, /^TLS with Kafka at .* failed/],
      [{ REDIS_TLS_CA_FILE: '' }, /^TLS with Redis at .* failed/],
    ];
    for (const [override, expected] of cases) {
      const t0 = Date.now();
      const err = await verifyConnections(loadConfig({ ...base, ...override })).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(err, JSON.stringify(Object.keys(override))).toBeInstanceOf(StartupError);
      expect(err!.message).toMatch(expected);
      expect(Date.now() - t0).toBeLessThan(30_000);
      for (const s of SECRETS) expect(err!.message).not.toContain(s);
    }
  });
});

describe('secrets of the local stack (issue 14)', () => {
  const secrets = () => [KAFKA_PASSWORD, REDIS_PASSWORD, certs.keystorePassword];

  it('puts no password on any command line: not in what was spawned, not in /proc while starting, not in the running broker and Redis', () => {
    const running = [kafka.pid(), redis.pid()].map((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' '));
    const mask = (a: string) => secrets().reduce((x, secret) => x.replaceAll(secret, '<SECRET>'), a).slice(0, 300);
    for (const secret of secrets()) {
      expect(spawnedArgv.filter((a) => a.includes(secret)).map(mask), 'a spawned command line holds a secret').toEqual([]);
      expect([...seenCmdlines].filter((a) => a.includes(secret)).map(mask), 'a command line on the host held a secret').toEqual([]);
      expect(running.filter((a) => a.includes(secret)).map(mask), 'the running broker or Redis shows a secret').toEqual([]);
    }
    // What was looked at: the openssl steps, the KRaft format JVM and the broker, the format JVM
    // seen on the host while it ran.
    expect(spawnedArgv.some((a) => a.startsWith('openssl')), 'the certificate steps were recorded').toBe(true);
    expect(spawnedArgv.filter((a) => a.startsWith('java ')).length, 'the KRaft format step and the broker were recorded').toBeGreaterThanOrEqual(2);
    expect([...seenCmdlines].some((a) => /StorageTool|format\.args/.test(a)), 'the sampler saw the short-lived format JVM').toBe(true);
  });

  it('writes files that hold a secret or a private key readable by their owner only (0600)', () => {
    const files: string[] = [];
    const walk = (d: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        const f = path.join(d, e.name);
        if (e.isDirectory()) walk(f);
        else if (e.isFile()) files.push(f);
      }
    };
    walk(dir);
    const secretFiles = files.filter((f) => /\.(key|p12)$/.test(f) || secrets().some((s) => readFileSync(f).includes(s)));
    // The broker's config (keystore password), Redis's ACL file and the private keys at least.
    expect(secretFiles.map((f) => path.basename(f)).sort()).toEqual(expect.arrayContaining(['ca.key', 'server.key', 'server.p12', 'server.properties', 'users.acl']));
    const open = secretFiles.filter((f) => (statSync(f).mode & 0o077) !== 0).map((f) => `${path.relative(dir, f)} ${(statSync(f).mode & 0o777).toString(8)}`);
    expect(open).toEqual([]);
  });
});

/** First reply to `command` on a raw socket (TLS trusting our CA, or plain TCP), '' if none within 3 s. */
function rawRedis(useTls: boolean, command: string): Promise<string> {
  return new Promise((resolve) => {
    const opts = { host: '127.0.0.1', port: redis.opts.port };
    const socket: net.Socket = useTls ? tls.connect({ ...opts, ca: [readFile(certs.caFile)], servername: 'localhost' }, () => socket.write(command)) : net.connect(opts, () => socket.write(command));
    let got = '';
    const done = () => {
      socket.destroy();
      resolve(got);
    };
    socket.on('data', (b: Buffer) => {
      got += b.toString('utf8');
      if (got.includes('\r\n')) done();
    });
    socket.on('error', done);
    socket.on('close', done);
    setTimeout(done, 3000).unref();
  });
}

function lastLine(out: string): string {
  return out.trimEnd().split('\n').slice(-1)[0] ?? '';
}

/** Every key of the prefix, and every hash field, set member and string value under it. */
async function dumpRedis(prefix: string): Promise<{ keys: string[]; strings: string[] }> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redisClient.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', '1000');
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  const strings: string[] = [];
  for (const k of keys) {
    const type = await redisClient.type(k);
    if (type === 'hash') {
      const h = await redisClient.hgetall(k);
      for (const [f, v] of Object.entries(h)) strings.push(f, v);
    } else if (type === 'set') strings.push(...(await redisClient.smembers(k)));
    else if (type === 'zset') strings.push(...(await redisClient.zrange(k, '0', '-1')));
    else if (type === 'string') strings.push((await redisClient.get(k)) ?? '');
    else if (type === 'list') strings.push(...(await redisClient.lrange(k, '0', '-1')));
  }
  return { keys, strings };
}

const CUSTOMER_ID_FIELDS = ['callId', 'ticketId', 'billId', 'orderId', 'complaintId', 'taskId', 'noticeId'] as const;

function customerIdsOf(events: readonly SourceEvent[]): Set<string> {
  const out = new Set<string>();
  for (const e of events) for (const f of CUSTOMER_ID_FIELDS) if (typeof (e as Record<string, unknown>)[f] === 'string') out.add((e as unknown as Record<string, string>)[f]!);
  return out;
}

function staffIdsOf(events: readonly SourceEvent[]): Set<string> {
  const out = new Set<string>();
  for (const e of events) {
    const r = e as Record<string, unknown>;
    if (typeof r.staffId === 'string') out.add(r.staffId);
    if (typeof r.raterId === 'string') out.add(r.raterId);
    if (Array.isArray(r.crewStaffIds)) for (const s of r.crewStaffIds) out.add(String(s));
  }
  return out;
}

async function readDlq(topic: string, count: number): Promise<{ errorClass: string; code: string }[]> {
  const consumer = plainKafka.consumer({ groupId: uniqueName('sec-dlq') });
  const out: { errorClass: string; code: string }[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const r = codecs.decode('dlq', message.value!);
      if (r.ok) out.push(r.event as { errorClass: string; code: string });
    },
  });
  try {
    await waitFor(async () => out.length >= count, 60_000, `${count} dead letters`);
    await new Promise((r) => setTimeout(r, 1000));
  } finally {
    await consumer.disconnect();
  }
  return out;
}
