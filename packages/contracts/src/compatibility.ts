// Schema evolution checks (see schemas/README.md for the rules these enforce).
import type { Type } from 'avsc';
import { asRecord, parseSchema, unionBranches, type AvroSchema } from './avro.ts';

export type CompatResult = { compatible: true } | { compatible: false; reason: string };

/** Can data written with `writer` be read with `reader`? avsc's createResolver throws when not. */
export function canRead(reader: AvroSchema | Type, writer: AvroSchema | Type): CompatResult {
  try {
    const r = toType(reader);
    const w = toType(writer);
    r.createResolver(w);
    return { compatible: true };
  } catch (err) {
    return { compatible: false, reason: err instanceof Error ? err.message : String(err) };
  }
}

export interface EvolutionReport {
  ok: boolean;
  problems: string[];
}

/**
 * The project rule for a new version `next` of a topic schema published after `previous`:
 * - BACKWARD: the new schema reads everything the old one wrote (new readers, old data).
 * - FORWARD per record: every record (event kind) in both versions is also readable by the old
 *   schema (old readers, new data), i.e. fields change only by adding/removing fields that have
 *   defaults, enums grow only if they declare a default.
 * - Kinds (union branches) may be added but never removed (removal breaks BACKWARD).
 */
export function checkEvolution(previous: AvroSchema, next: AvroSchema): EvolutionReport {
  const problems: string[] = [];
  let prevT: Type;
  let nextT: Type;
  try {
    prevT = toType(previous);
    nextT = toType(next);
  } catch (err) {
    return { ok: false, problems: [`schema does not parse: ${err instanceof Error ? err.message : String(err)}`] };
  }
  const back = canRead(nextT, prevT);
  if (!back.compatible) problems.push(`BACKWARD: the new schema cannot read data written with the previous one: ${back.reason}`);
  const prevRecords = records(prevT);
  for (const [name, nextRec] of records(nextT)) {
    const prevRec = prevRecords.get(name);
    if (!prevRec) continue; // a new kind: nothing old to compare with
    const fwd = canRead(prevRec, nextRec);
    if (!fwd.compatible) problems.push(`FORWARD: ${name} written with the new schema cannot be read with the previous one: ${fwd.reason}`);
  }
  return { ok: problems.length === 0, problems };
}

/**
 * Checks a chain of versions, oldest first: each step, and the newest against every older one.
 * `upgraded` holds the indexes of versions published with an upgrade (upgrades.ts): Avro does not
 * carry data across that step, the upgrade does, so the rules apply from the latest one on.
 */
export function checkVersionChain(versions: AvroSchema[], upgraded: ReadonlySet<number> = new Set()): EvolutionReport {
  const problems: string[] = [];
  for (let i = 1; i < versions.length; i++) {
    if (upgraded.has(i)) continue;
    for (const p of checkEvolution(versions[i - 1]!, versions[i]!).problems) problems.push(`v${i} -> v${i + 1}: ${p}`);
  }
  const newest = versions[versions.length - 1]!;
  const from = Math.max(0, ...upgraded);
  for (let i = from; i < versions.length - 2; i++) {
    const r = canRead(newest, versions[i]!);
    if (!r.compatible) problems.push(`v${versions.length} cannot read v${i + 1}: ${r.reason}`);
  }
  return { ok: problems.length === 0, problems };
}

function toType(s: AvroSchema | Type): Type {
  return typeof (s as Type).createResolver === 'function' ? (s as Type) : parseSchema(s);
}

function records(t: Type): Map<string, Type> {
  const list = unionBranches(t).length ? unionBranches(t) : t.typeName === 'record' ? [t] : [];
  return new Map(list.map((r) => [asRecord(r).name, r] as const));
}
