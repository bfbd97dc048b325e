import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { TOPIC_KEYS, type TopicKey } from './topics.ts';
import { isUpgradeName, type UpgradeName } from './upgrades.ts';

/** Resolved from this file, not the cwd, so every service finds the same schemas. */
export const DEFAULT_SCHEMAS_DIR = fileURLToPath(new URL('../../../schemas/', import.meta.url));

export type AvroSchemaJson = unknown;

const versionSchema = z.object({
  id: z.number().int().min(1).max(0x7fffffff),
  version: z.number().int().min(1),
  file: z.string().min(1),
  /** sha256 of the file's key-sorted JSON: published versions are frozen, an edit fails loading. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** A change Avro cannot resolve (e.g. a map turned into a record): the upgrades.ts entry that reads older data. */
  upgrade: z.string().refine(isUpgradeName, 'not a name in packages/contracts/src/upgrades.ts').optional(),
});
const subjectSchema = z.object({
  topic: z.string().min(1),
  current: z.string().min(1),
  versions: z.array(versionSchema).min(1),
});
const catalogueSchema = z.object({
  $comment: z.string().optional(),
  subjects: z.record(z.string(), subjectSchema),
});

export type CatalogueFile = z.infer<typeof catalogueSchema>;

export interface LoadedVersion {
  topicKey: TopicKey;
  id: number;
  version: number;
  file: string;
  schema: AvroSchemaJson;
  /** Set on a version that older versions cannot be resolved to by Avro alone (upgrades.ts). */
  upgrade?: UpgradeName;
}

export interface LoadedSubject {
  key: TopicKey;
  topic: string;
  currentFile: string;
  currentSchema: AvroSchemaJson;
  /** Ascending by version. */
  versions: LoadedVersion[];
  /** Id under which the current schema is published: what writers frame messages with. */
  currentId: number;
}

export interface LoadedCatalogue {
  dir: string;
  subjects: Record<TopicKey, LoadedSubject>;
  byId: Map<number, LoadedVersion>;
}

export function readCatalogueFile(dir: string): CatalogueFile {
  const raw: unknown = JSON.parse(readFileSync(join(dir, 'catalogue.json'), 'utf8'));
  return catalogueSchema.parse(raw);
}

export function readSchemaFile(dir: string, file: string): AvroSchemaJson {
  return JSON.parse(readFileSync(join(dir, file), 'utf8')) as AvroSchemaJson;
}

/** Reads catalogue.json and every schema it names; throws (start-up error) if the catalogue is inconsistent. */
export function loadCatalogue(dir: string = DEFAULT_SCHEMAS_DIR): LoadedCatalogue {
  const file = readCatalogueFile(dir);
  const byId = new Map<number, LoadedVersion>();
  const subjects = {} as Record<TopicKey, LoadedSubject>;
  for (const key of TOPIC_KEYS) {
    const s = file.subjects[key];
    if (!s) throw new Error(`schemas/catalogue.json: no subject for topic key "${key}"`);
    const versions: LoadedVersion[] = [];
    let last = 0;
    for (const v of s.versions) {
      if (v.version <= last) throw new Error(`schemas/catalogue.json: ${key} versions must ascend (v${v.version} after v${last})`);
      last = v.version;
      if (byId.has(v.id)) throw new Error(`schemas/catalogue.json: schema id ${v.id} used twice`);
      const schema = readSchemaFile(dir, v.file);
      if (schemaHash(schema) !== v.sha256) {
        throw new Error(`schemas/${v.file} was edited after publication (sha256 mismatch): published schemas are frozen; publish a new version instead`);
      }
      const lv: LoadedVersion = { topicKey: key, id: v.id, version: v.version, file: v.file, schema };
      if (v.upgrade) lv.upgrade = v.upgrade as UpgradeName;
      byId.set(v.id, lv);
      versions.push(lv);
    }
    const currentSchema = readSchemaFile(dir, s.current);
    const latest = versions[versions.length - 1]!;
    // Writers frame with an id; if the working copy drifted from what that id names, readers would mis-decode.
    if (stableStringify(currentSchema) !== stableStringify(latest.schema)) {
      throw new Error(
        `schemas/${s.current} differs from its latest published version ${latest.file}: ` +
          `publish it as published/${key}/v${latest.version + 1}.avsc with a new id in catalogue.json (or revert the edit)`,
      );
    }
    subjects[key] = { key, topic: s.topic, currentFile: s.current, currentSchema, versions, currentId: latest.id };
  }
  for (const extra of Object.keys(file.subjects)) {
    if (!(TOPIC_KEYS as string[]).includes(extra)) throw new Error(`schemas/catalogue.json: unknown topic key "${extra}"`);
  }
  return { dir, subjects, byId };
}

/** JSON with sorted object keys: equality of schemas regardless of key order. */
export function stableStringify(x: unknown): string {
  if (Array.isArray(x)) return `[${x.map(stableStringify).join(',')}]`;
  if (x !== null && typeof x === 'object') {
    const o = x as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .filter((k) => o[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stableStringify(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(x);
}

export function schemaHash(schema: unknown): string {
  return createHash('sha256').update(stableStringify(schema)).digest('hex');
}
