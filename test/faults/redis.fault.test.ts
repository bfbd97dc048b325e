// Redis faults under a running aggregator (a child process, never restarted): the project's Redis
// is SIGKILLed mid-stream and restarted on the same dir and port. Offsets live beside the
// counters, so whatever Redis lost is re-read from Kafka: the counters end equal to the truth.
// - AOF everysec, SIGKILL: nothing acknowledged is lost (the AOF is written before the reply).
// - AOF everysec, host crash (simulated: SIGKILL and the AOF tail cut off, the un-fsynced second):
//   Redis comes back behind the aggregator; the apply script refuses the hole, the aggregator
//   reports the loss and re-applies from Redis's offset.
// - AOF off: Redis comes back empty; the loss is detected and reported (log + metric), the
//   aggregator re-reads from offset 0 and the counters heal as long as retention holds.
import { readFileSync, readdirSync, truncateSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { periodOf } from '@cs/appraisal';
import { freePort } from '@cs/stack';
import { testStack } from '../harness/index.ts';
import { TEST_CLOCK } from '../harness/clock.ts';
import {
  appliedMessages,
  drained,
  faultSandbox,
  privateRedis,
  produceAll,
  simulate,
  sleep,
  spawnService,
  summary,
  TZ,
  tempDir,
  waitFor,
  type FaultSandbox,
  type Input,
} from './support.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.splice(0).reverse()) await Promise.resolve(c()).catch(() => {});
});

async function metric(port: number, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : 0;
}

/** ~150k events over the last 19 days (inside maxLateness), with duplicates and malformed bytes. */
function input(seed: number): Input {
  const end = periodOf('DAY', TEST_CLOCK.clock.now(), TZ).startMs - 86_400_000;
  return simulate({ seed, startMs: end - 19 * 86_400_000, endMs: end });
}

/**
 * Cuts the AOF back by about `bytes`: the writes a host crash loses with everysec. The cut is made
 * at the start of a MULTI block (each apply script is one), i.e. a consistent prefix — what Redis
 * itself keeps when it drops an incomplete transaction from a torn AOF tail.
 */
function cutAofTail(redisDir: string, bytes: number): number {
  const dir = path.join(redisDir, 'appendonlydir');
  const incr = readdirSync(dir).filter((f) => f.includes('.incr.aof')).sort();
  const file = path.join(dir, incr[incr.length - 1]!);
  const content = readFileSync(file);
  const at = content.lastIndexOf('*1\r\n$5\r\nMULTI\r\n', Math.max(0, content.length - bytes));
  if (at <= 0) return 0;
  truncateSync(file, at);
  return content.length - at;
}

async function scenario(opts: { name: string; appendOnly: boolean; kills: number; idleKill?: boolean; cutAofBytes?: number; seed: number }) {
  const t0 = Date.now();
  const tmp = tempDir('redis');
  cleanups.push(tmp.remove);
  const server = await privateRedis(tmp.dir, { appendOnly: opts.appendOnly });
  cleanups.push(() => void server.stop('SIGKILL'));
  const sb: FaultSandbox = await faultSandbox({ brokers: testStack().brokers, redisUrl: server.url });
  cleanups.push(sb.close);
  const data = input(opts.seed);
  const metricsPort = await freePort();
  const agg = spawnService('aggregator', { ...sb.env, METRICS_PORT: String(metricsPort) }, tmp.dir);
  cleanups.push(() => agg.kill());

  const total = data.messages.length;
  let sent = 0;
  const producing = produceAll(sb, data.messages, { chunk: 1000, paceMs: 150, onProgress: (n) => (sent = n) });
  const kills: string[] = [];
  let cut = 0;
  for (let i = 0; i < opts.kills; i++) {
    // Kill at a point chosen by progress: between 15% and 85% of the stream, spread over the kills.
    const target = Math.floor(total * (0.15 + (0.7 * (i + 0.3 + 0.4 * Math.random())) / opts.kills));
    await waitFor(async () => (await appliedMessages(sb)) >= target, 240_000, `progress ${target} before Redis kill ${i + 1}`);
    const before = await appliedMessages(sb);
    await server.stop('SIGKILL');
    if (opts.cutAofBytes) cut += cutAofTail(path.join(tmp.dir, 'redis'), opts.cutAofBytes);
    await sleep(2000); // an outage, not a blip: the aggregator retries meanwhile
    await server.start();
    const after = await appliedMessages(sb);
    kills.push(`${before}->${after}/${total} (sent ${sent})`);
  }
  await producing;
  if (opts.idleKill) {
    // And once more with the stream fully applied and nothing new arriving: no batch will come
    // to discover the loss, the aggregator must check on reconnect.
    await drained(sb, 180_000);
    await server.stop('SIGKILL');
    if (opts.cutAofBytes) cut += cutAofTail(path.join(tmp.dir, 'redis'), opts.cutAofBytes);
    await sleep(2000);
    await server.start();
    kills.push(`idle ${total}->${await appliedMessages(sb)}/${total}`);
  }
  await drained(sb, 180_000).catch((err: Error) => {
    summary(`${opts.name}: NOT DRAINED (${err.message}); aggregator log ${agg.logFile}`);
    throw err;
  });
  const diffs = await data.truth.diff(sb.store);
  const lost = await metric(metricsPort, 'cs_aggregator_redis_state_lost_total');
  const lostLines = agg.lines().filter((l) => l.includes('REDIS STATE LOST')).length;
  const retries = await metric(metricsPort, 'cs_aggregator_retries_total');
  const alive = agg.child.exitCode === null;
  const secs = ((Date.now() - t0) / 1000).toFixed(0);
  summary(
    `${opts.name}: ${opts.kills}${opts.idleKill ? '+1 idle' : ''}× redis SIGKILL+restart (same dir/port)${opts.cutAofBytes ? `, AOF tail cut ${cut} B` : ''}; ${data.truth.events} events (+${data.truth.duplicates} dup, ${data.malformed} malformed, ${total} msgs); ` +
      `aggregator survived=${alive}, state-lost metric=${lost}, log lines=${lostLines}, retries=${retries}; counters ${diffs.length === 0 ? 'EXACT' : `DIFFER (${diffs.length})`}; kills at applied ${kills.join(', ')}; ${secs} s`,
  );
  return { diffs, lost, lostLines, alive };
}

describe('Redis SIGKILL mid-stream', () => {
  it('AOF everysec: SIGKILL and restart ×3 — the aggregator reconnects, counters equal the truth, nothing reported lost', async () => {
    const r = await scenario({ name: 'redis AOF everysec', appendOnly: true, kills: 3, seed: 21 });
    expect(r.alive).toBe(true);
    expect(r.diffs).toEqual([]);
    expect(r.lost).toBe(0);
  });

  it('AOF everysec, host crash (AOF tail lost) ×3 mid-stream + 1 idle — the hole is refused, the loss reported, counters equal the truth', async () => {
    const r = await scenario({ name: 'redis AOF everysec + lost fsync window', appendOnly: true, kills: 3, idleKill: true, cutAofBytes: 256 * 1024, seed: 22 });
    expect(r.alive).toBe(true);
    expect(r.diffs).toEqual([]);
    expect(r.lost).toBeGreaterThan(0);
    expect(r.lostLines).toBeGreaterThan(0);
  });

  it('AOF off: Redis comes back empty ×2 mid-stream + 1 idle — the loss is detected and reported, counters heal from Kafka', async () => {
    const r = await scenario({ name: 'redis AOF off', appendOnly: false, kills: 2, idleKill: true, seed: 23 });
    expect(r.alive).toBe(true);
    expect(r.diffs).toEqual([]);
    expect(r.lost).toBeGreaterThan(0);
    expect(r.lostLines).toBeGreaterThan(0);
  });
});
