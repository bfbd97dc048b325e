// The scorer's Lua scripts (lua/<name>-<numKeys>.lua), registered with ioredis defineCommand
// (EVALSHA with a transparent EVAL fallback). Same file convention as @cs/counter-store, whose
// loadScript reads only its own lua/ directory, hence this small local loader.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Redis, Cluster } from 'ioredis';

const LUA_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'lua');

export function loadScript(file: string, dir = LUA_DIR): { name: string; numberOfKeys: number; lua: string } {
  const m = /^([A-Za-z0-9]+)-(\d+)\.lua$/.exec(file);
  if (!m) throw new Error(`script file name must be <name>-<numKeys>.lua: ${file}`);
  return { name: m[1]!, numberOfKeys: Number(m[2]), lua: readFileSync(path.join(dir, file), 'utf8') };
}

type Arg = string | number | Buffer | readonly (string | number | Buffer)[];

export interface ScorerScripts {
  scorerLeaseAcquire(lease: string, owner: string, ttlMs: number): Promise<number>;
  scorerLeaseRenew(lease: string, owner: string, ttlMs: number): Promise<number>;
  scorerLeaseRelease(lease: string, owner: string): Promise<number>;
  scorerOutboxChunk(lease: string, periods: string, outbox: string, ...args: Arg[]): Promise<number>;
  scorerOutboxSeal(lease: string, periods: string, outbox: string, ...args: Arg[]): Promise<number>;
  scorerCommit(lease: string, periods: string, published: string, outbox: string, ...args: Arg[]): Promise<number>;
}

export function defineScorerScripts(client: Redis | Cluster): ScorerScripts {
  for (const file of readdirSync(LUA_DIR).filter((f) => f.endsWith('.lua'))) {
    const { name, numberOfKeys, lua } = loadScript(file);
    client.defineCommand(name, { numberOfKeys, lua });
  }
  return client as unknown as ScorerScripts;
}
