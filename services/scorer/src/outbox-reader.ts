// Reading a sealed outbox back from Redis, chunk by chunk (crash recovery: same bytes every time).
import type { RedisClient } from '@cs/runtime';
import { outboxKey } from './keys.ts';
import { blockField, decompressBlock, publishedField, publishedPairs, unpackBlock, type OutboxMeta, type OutMessage } from './outbox-format.ts';

/** The records of an outbox, one chunk per call (undefined when done), and what to record as published. */
export interface OutboxSource {
  next(): Promise<OutMessage[] | undefined>;
  published(): Promise<string[][]>;
}

/** The sealed outbox of a period, or undefined when it has none (no "meta"). */
export async function readOutbox(redis: RedisClient, prefix: string, periodId: string): Promise<{ meta: OutboxMeta; source: OutboxSource } | undefined> {
  const key = outboxKey(prefix, periodId);
  const metaBuf = await redis.hgetBuffer(key, 'meta');
  if (!metaBuf) return undefined;
  const meta = JSON.parse(metaBuf.toString('utf8')) as OutboxMeta;
  const field = async (name: string): Promise<Buffer> => {
    const b = await redis.hgetBuffer(key, name);
    if (!b) throw new Error(`outbox ${periodId} lacks ${name}`);
    return b;
  };
  let b = 0;
  return {
    meta,
    source: {
      next: async () => (b < meta.blocks ? unpackBlock(await decompressBlock(await field(blockField(b++)))) : undefined),
      published: async () => {
        const out: string[][] = [];
        for (let j = 0; j < meta.publishedChunks; j++) out.push(publishedPairs((await field(publishedField(j))).toString('utf8')));
        return out;
      },
    },
  };
}

/** An outbox still in memory (just written): its chunks are let go once handed out. */
export function memorySource(chunks: OutMessage[][], publishedChunks: string[][]): OutboxSource {
  let k = 0;
  return {
    next: async () => {
      const m = chunks[k];
      chunks[k++] = [];
      return m;
    },
    published: async () => publishedChunks.splice(0),
  };
}
