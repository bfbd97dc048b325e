// The one loader of Lua scripts. A directory holds `<name>-<numKeys>.lua` files, each with a
// KEYS/ARGV header; `--- @include "x"` lines take in includes/x.lua, and `--- @include "codes"`
// takes in the caller's table of named return codes, so Lua and TypeScript share one table.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Redis, Cluster } from 'ioredis';

const INCLUDE = /^--- @include "([A-Za-z0-9_-]+)"\s*$/gm;
const FILE = /^([A-Za-z0-9]+)-(\d+)\.lua$/;

/** Named return codes of a directory's scripts: `CODE.NAME` in Lua, `codes.NAME` in TypeScript. */
export type ReturnCodes = Readonly<Record<string, number>>;

export interface LuaScript {
  name: string;
  numberOfKeys: number;
  lua: string;
}

/** `local CODE = { ... }`: the codes table as Lua source. */
export function luaCodesTable(codes: ReturnCodes): string {
  const fields = Object.entries(codes).map(([name, value]) => `  ${name} = ${value},`);
  return `local CODE = {\n${fields.join('\n')}\n}\n`;
}

/** Reads one `<name>-<numKeys>.lua` of `dir` with its includes resolved. */
export function loadScript(dir: string, file: string, codes: ReturnCodes = {}): LuaScript {
  const m = FILE.exec(file);
  if (!m) throw new Error(`script file name must be <name>-<numKeys>.lua: ${file}`);
  const lua = readFileSync(path.join(dir, file), 'utf8').replace(INCLUDE, (_, inc: string) =>
    inc === 'codes' ? luaCodesTable(codes) : readFileSync(path.join(dir, 'includes', `${inc}.lua`), 'utf8'),
  );
  return { name: m[1]!, numberOfKeys: Number(m[2]), lua };
}

/** Registers every script of `dir` on the client as a command of its name (EVALSHA with a transparent EVAL fallback). */
export function defineScripts<T>(client: Redis | Cluster, dir: string, codes: ReturnCodes = {}): T {
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.lua'))) {
    const { name, numberOfKeys, lua } = loadScript(dir, file, codes);
    client.defineCommand(name, { numberOfKeys, lua });
  }
  return client as unknown as T;
}
