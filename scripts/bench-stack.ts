// A Kafka broker and Redis for a benchmark run: the ones in KAFKA_BROKERS / REDIS_URL when set,
// else private local processes on free ports (removed afterwards), like the test harness.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KafkaBroker, RedisServer, freePort } from '@cs/stack';

export async function withBenchStack<T>(fn: (env: { brokers: string; redisUrl: string }) => Promise<T>): Promise<T> {
  if (process.env.KAFKA_BROKERS && process.env.REDIS_URL) return fn({ brokers: process.env.KAFKA_BROKERS, redisUrl: process.env.REDIS_URL });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cs-bench-'));
  const kafka = new KafkaBroker({ dir: path.join(dir, 'kafka'), port: await freePort(), controllerPort: await freePort(), heapMb: 1024 });
  const redis = new RedisServer({ dir: path.join(dir, 'redis'), port: await freePort() });
  const started = await Promise.allSettled([kafka.start(), redis.start()]);
  try {
    for (const s of started) if (s.status === 'rejected') throw s.reason; // after both settled: the finally stops whichever came up
    return await fn({ brokers: kafka.brokers, redisUrl: redis.url });
  } finally {
    await Promise.all([kafka.stop(), redis.stop()]);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Prints rows as an aligned table. */
export function printTable(rows: Record<string, string | number>[]): void {
  const cols = Object.keys(rows[0] ?? {});
  const w = cols.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)));
  const line = (vals: string[]) => vals.map((v, i) => v.padEnd(w[i]!)).join('  ');
  console.log(line(cols));
  console.log(line(w.map((n) => '-'.repeat(n))));
  for (const r of rows) console.log(line(cols.map((c) => String(r[c]))));
}
