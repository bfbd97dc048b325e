import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { crc32c, encodeProduceRequest, installFastProduceEncoding, ORIGINAL, supported, type ProduceArgs } from '../src/kafka-produce-encoding.ts';

const require = createRequire(import.meta.url);
const v3Path = require.resolve('kafkajs/src/protocol/requests/produce/v3/request.js');
const Long = require('kafkajs/src/utils/long.js') as { fromValue(v: unknown): { getHighBits(): number; getLowBits(): number } };
const kafkajsCrc = require('kafkajs/src/protocol/recordBatch/crc32C/index.js') as (b: Buffer) => number;

/** kafkajs's own v3 request factory (also when the fast path is installed in this process). */
function kafkajsV3(): (args: ProduceArgs) => { encode: () => Promise<{ buffer: Buffer }> } {
  const mod = require(v3Path);
  return mod[ORIGINAL] ?? mod;
}

async function kafkajsBytes(args: ProduceArgs, now: number): Promise<Buffer> {
  const real = Date.now;
  Date.now = () => now;
  try {
    return Buffer.from((await kafkajsV3()(args).encode()).buffer);
  } finally {
    Date.now = real;
  }
}

function rnd(seed: number) {
  return () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
}

describe('fast Produce request encoding', () => {
  it('CRC-32C equals kafkajs\'s', () => {
    const r = rnd(1);
    for (const n of [0, 1, 7, 8, 9, 63, 1000, 70_001]) {
      const b = Buffer.alloc(n);
      for (let i = 0; i < n; i++) b[i] = Math.floor(r() * 256);
      expect(crc32c(b)).toBe(kafkajsCrc(b));
      if (n > 10) expect(crc32c(b, 3, n - 2)).toBe(kafkajsCrc(b.subarray(3, n - 2)));
    }
  });

  it('writes the bytes of kafkajs\'s encoder (keys, values, nulls, strings, sizes, transactions, producer ids)', async () => {
    const r = rnd(7);
    for (let round = 0; round < 12; round++) {
      const topics = 1 + Math.floor(r() * 3);
      const args: ProduceArgs = {
        acks: round % 3 === 0 ? 1 : -1,
        timeout: 30_000,
        transactionalId: round % 4 === 1 ? `txn-é-${round}` : round % 4 === 2 ? undefined : null,
        producerId: round % 3 === 0 ? 4711 + round : round % 3 === 1 ? `${2 ** 40 + round}` : undefined,
        producerEpoch: round,
        topicData: Array.from({ length: topics }, (_, t) => ({
          topic: `topic-${round}-${t}`,
          partitions: Array.from({ length: 1 + Math.floor(r() * 3) }, (_, p) => ({
            partition: p * 2 + t,
            firstSequence: round === 0 ? undefined : Math.floor(r() * 100_000),
            messages: Array.from({ length: round === 5 ? 9000 : 1 + Math.floor(r() * 300) }, (_, i) => {
              const vlen = [0, 1, 63, 64, 200, 511, 512, 1780, 20_000][Math.floor(r() * 9)]!;
              const v = Buffer.alloc(vlen);
              for (let j = 0; j < vlen; j += 7) v[j] = Math.floor(r() * 256);
              const kind = Math.floor(r() * 10);
              return {
                key: kind === 0 ? null : kind === 1 ? undefined : kind === 2 ? Buffer.from(`kb${i}`) : kind === 3 ? `ключ-${i}` : `S${String(i).padStart(6, '0')}`,
                value: kind === 4 ? null : kind === 5 ? `value ${i} ✓` : v,
                ...(kind === 6 ? { headers: {} } : {}),
              };
            }),
          })),
        })),
      };
      expect(supported(args)).toBe(true);
      const now = 1_790_000_000_000 + round;
      const want = await kafkajsBytes(args, now);
      const got = encodeProduceRequest(args, now, Long.fromValue(args.producerId ?? -1));
      expect(got.length).toBe(want.length);
      expect(got.equals(want)).toBe(true);
    }
  });

  it('leaves compression, headers and timestamps to kafkajs', () => {
    const base = { acks: -1, timeout: 1000, topicData: [{ topic: 't', partitions: [{ partition: 0, messages: [{ key: 'k', value: Buffer.from('v') }] as never[] }] }] };
    expect(supported(base)).toBe(true);
    expect(supported({ ...base, compression: 1 })).toBe(false);
    const withMessage = (m: object) => ({ ...base, topicData: [{ topic: 't', partitions: [{ partition: 0, messages: [m as never] }] }] });
    expect(supported(withMessage({ key: 'k', value: 'v', headers: { a: 'b' } }))).toBe(false);
    expect(supported(withMessage({ key: 'k', value: 'v', timestamp: '1' }))).toBe(false);
    expect(supported(withMessage({ key: 5, value: 'v' }))).toBe(false);
  });

  it('installs over kafkajs\'s v3 request (later versions wrap it) and keeps its request fields', async () => {
    expect(installFastProduceEncoding()).toBe(true);
    const mod = require(v3Path);
    expect(mod[ORIGINAL]).toBeTypeOf('function');
    const v7 = require('kafkajs/src/protocol/requests/produce/v7/request.js');
    const args: ProduceArgs = { acks: -1, timeout: 1000, producerId: 9, producerEpoch: 1, topicData: [{ topic: 't', partitions: [{ partition: 2, firstSequence: 5, messages: [{ key: 'S1', value: Buffer.alloc(2000, 1) }] }] }] };
    const fast = v7(args);
    const slow = mod[ORIGINAL](args);
    expect(fast.apiVersion).toBe(7);
    expect(fast.apiKey).toBe(slow.apiKey);
    const real = Date.now;
    Date.now = () => 1_790_000_000_000;
    try {
      expect(Buffer.from((await fast.encode()).buffer).equals(Buffer.from((await slow.encode()).buffer))).toBe(true);
    } finally {
      Date.now = real;
    }
  });
});
