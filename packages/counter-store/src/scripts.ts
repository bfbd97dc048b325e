import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Redis, Cluster } from 'ioredis';
import { defineScripts } from '@cs/runtime';

const LUA_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'lua');

/** First element of every apply script's reply: `CODE.<name>` in lua/ (see each script's header). */
export const APPLY_CODES = {
  /** Part of the batch (or range) is applied already, or lies past a hole; nothing changed. */
  STALE: 0,
  /** Some events were seen already; nothing changed. */
  DUPLICATES: 1,
  APPLIED: 2,
  /** Some unknown staff ids do not fit their quarantine; nothing changed. */
  OVER_CAP: 3,
  /** A roster triple is malformed (applyRoster-2.lua); nothing changed. */
  INVALID: 4,
  /** Some once-only events (a correction's reversal) were done already; nothing changed. */
  GUARDED: 5,
} as const;

/**
 * What readHashes-1.lua reads: "object", a counter hash as JSON object text {"field":value,…};
 * "pairs", the same flattened to "field,value,…" (the reader's fallback); "values", a
 * static-record hash's values as one JSON array text "[record,…]".
 */
export type ReadHashesMode = 'object' | 'pairs' | 'values';

export type ScriptReply = (string | number)[];

export interface CounterScripts {
  /** ARGV as one array: ioredis flattens it (a spread of that many arguments would overflow the stack). */
  applyBatch(offsetsKey: string, argv: (string | number)[]): Promise<ScriptReply>;
  advanceOffset(offsetsKey: string, field: string, firstOffset: number, nextOffset: number): Promise<ScriptReply>;
  applyRoster(rosterKey: string, offsetsKey: string, argv: (string | number)[]): Promise<ScriptReply>;
  /** ARGV: [mode, hash key prefix, ...staff ids] (readHashes-1.lua); one string per staff id, in order. */
  readHashes(indexKey: string, argv: [ReadHashesMode, string, ...string[]]): Promise<string[]>;
}

/** Registers every script of lua/ on the client. */
export function defineCounterScripts(client: Redis | Cluster): CounterScripts {
  return defineScripts<CounterScripts>(client, LUA_DIR, APPLY_CODES);
}
