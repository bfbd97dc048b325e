// The scorer's Lua scripts (lua/<name>-<numKeys>.lua, shared pieces in lua/includes/), registered
// by the one loader of @cs/runtime.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Redis, Cluster } from 'ioredis';
import { defineScripts } from '@cs/runtime';

const LUA_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'lua');

/** Replies of the scorer's scripts: `CODE.<name>` in lua/ (see each script's header). */
export const SCRIPT_CODES = {
  OK: 1,
  /** The lease is gone or someone else's: nothing written, stop publishing. */
  NOT_LEASE_HOLDER: 0,
  /** The period's outbox is sealed (state 'finalizing'): send that one first. */
  OUTBOX_SEALED: -1,
  /** The outbox is no longer this write's (another write of the period started), or incomplete. */
  OUTBOX_REPLACED: -3,
} as const;

export type ScriptCode = (typeof SCRIPT_CODES)[keyof typeof SCRIPT_CODES];

type Arg = string | number | Buffer | readonly (string | number | Buffer)[];

export interface ScorerScripts {
  scorerLeaseAcquire(lease: string, owner: string, ttlMs: number): Promise<ScriptCode>;
  scorerLeaseRenew(lease: string, owner: string, ttlMs: number): Promise<ScriptCode>;
  scorerLeaseRelease(lease: string, owner: string): Promise<ScriptCode>;
  scorerOutboxChunk(lease: string, periods: string, outbox: string, ...args: Arg[]): Promise<ScriptCode>;
  scorerOutboxSeal(lease: string, periods: string, outbox: string, ...args: Arg[]): Promise<ScriptCode>;
  scorerCommit(lease: string, periods: string, published: string, outbox: string, ...args: Arg[]): Promise<ScriptCode>;
}

export function defineScorerScripts(client: Redis | Cluster): ScorerScripts {
  return defineScripts<ScorerScripts>(client, LUA_DIR, SCRIPT_CODES);
}
