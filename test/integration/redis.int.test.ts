import { describe, expect, it } from 'vitest';
import { redisFor, uniqueName } from '../harness/index.ts';

describe("the project's dedicated Redis", () => {
  it('answers, is not the shared 6379 one, and persists with AOF everysec', async () => {
    const redis = redisFor();
    try {
      const prefix = uniqueName('k');
      await redis.hincrby(`${prefix}:h`, 'n', 5);
      expect(await redis.hget(`${prefix}:h`, 'n')).toBe('5');
      const port = Number((await redis.config('GET', 'port'))[1]);
      expect(port).not.toBe(6379);
      const [, appendonly] = (await redis.config('GET', 'appendonly')) as string[];
      const [, fsync] = (await redis.config('GET', 'appendfsync')) as string[];
      expect(appendonly).toBe('yes');
      expect(fsync).toBe('everysec');
    } finally {
      redis.disconnect();
    }
  });
});
