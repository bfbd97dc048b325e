import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Redis, Cluster } from 'ioredis';

const LUA_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'lua');
const INCLUDE = /^--- @include "([A-Za-z0-9_-]+)"\s*$/gm;

/** Reads `<name>-<numKeys>.lua` with its `--- @include "x"` lines replaced by includes/x.lua. */
export function loadScript(file: string): { name: string; numberOfKeys: number; lua: string } {
  const m = /^([A-Za-z0-9]+)-(\d+)\.lua$/.exec(file);
  if (!m) throw new Error(`script file name must be <name>-<numKeys>.lua: ${file}`);
  const lua = readFileSync(path.join(LUA_DIR, file), 'utf8').replace(INCLUDE, (_, inc: string) =>
    readFileSync(path.join(LUA_DIR, 'includes', `${inc}.lua`), 'utf8'),
  );
  return { name: m[1]!, numberOfKeys: Number(m[2]), lua };
}

export type ScriptReply = (string | number)[];

export interface CounterScripts {
  /** ARGV as one array: ioredis flattens it (a spread of that many arguments would overflow the stack). */
  applyBatch(offsetsKey: string, argv: (string | number)[]): Promise<ScriptReply>;
  advanceOffset(offsetsKey: string, field: string, firstOffset: number, nextOffset: number): Promise<ScriptReply>;
  applyRoster(rosterKey: string, offsetsKey: string, argv: (string | number)[]): Promise<ScriptReply>;
  readCounters(staffIndexKey: string, argv: string[]): Promise<string[]>;
}

/** Registers every script of lua/ on the client (EVALSHA with a transparent EVAL fallback). */
export function defineScripts(client: Redis | Cluster): CounterScripts {
  for (const file of readdirSync(LUA_DIR).filter((f) => f.endsWith('.lua'))) {
    const { name, numberOfKeys, lua } = loadScript(file);
    client.defineCommand(name, { numberOfKeys, lua });
  }
  return client as unknown as CounterScripts;
}
