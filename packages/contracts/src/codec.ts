import type { Type } from 'avsc';
import { parseSchema, asRecord, shortName, unionBranches, type AvroResolver } from './avro.ts';
import { hostileCheckFor, type HostileCheck } from './avro-guard.ts';
import { loadCatalogue, stableStringify, type LoadedCatalogue, type LoadedVersion } from './catalogue.ts';
import { ContractError, decodeError, unknownKindError, validationError, type Issue } from './errors.ts';
import { frameHeader, readSchemaId, readVarint, varintBytes, HEADER_BYTES } from './framing.ts';
import { plainConverter, type Converter } from './plain.ts';
import type { SchemaRegistryClient } from './registry-client.ts';
import { TOPICS, TOPIC_KEYS, type InputTopicKey, type TopicKey } from './topics.ts';
import { UPGRADES } from './upgrades.ts';
import { validateValue } from './validation.ts';
import type { TopicValues } from './generated/types.ts';

export type DecodeResult<E> = { ok: true; event: E; schemaId: number } | { ok: false; error: ContractError };

export interface ValidateOptions {
  /** Reference time for "not in the future" checks: the caller's clock, never the machine's by default. */
  now: number;
}

export interface Codecs {
  readonly catalogue: LoadedCatalogue;
  /** Schema id that `encode` frames messages of this topic with. */
  schemaId(topic: TopicKey): number;
  /** Event kinds of a union topic in branch order; `[]` for record topics. */
  kinds(topic: TopicKey): readonly string[];
  /** Current (reader = writer) Avro type of a topic. */
  type(topic: TopicKey): Type;
  /** Framed with the current schema id. Throws ContractError on a value the schema rejects (a programming error). */
  encode(topic: TopicKey, value: object): Buffer;
  /** Never throws on bad bytes: DECODE or UNKNOWN_KIND errors come back as values (an unknown topic key is a programming error and throws). */
  decode<T extends TopicKey>(topic: T, bytes: Buffer): DecodeResult<TopicValues[T]>;
  /** decode + the semantic rules of events.md (VALIDATION errors). Never throws. */
  decodeAndValidate<T extends InputTopicKey>(topic: T, bytes: Buffer, opts: ValidateOptions): DecodeResult<TopicValues[T]>;
  /** Set when ids are the registry's (SCHEMA_REGISTRY_URL) instead of the frozen catalogue's. */
  readonly registry: SchemaRegistryClient | undefined;
  /**
   * Registry mode: reads messages framed with `id` as the writer schema `schema` (resolved to the
   * current reader, with the catalogue's upgrades when it is a catalogue version); `write` makes
   * `id` the one `encode` frames with (it must be the current schema).
   */
  adopt(topic: TopicKey, id: number, schema: unknown, opts?: { write?: boolean }): void;
  /**
   * Registry mode: fetches once the writer schemas of ids among `values` this codec has not seen
   * (ids never change, so the cache is never invalidated); a no-op for the catalogue. An id the
   * registry does not have stays unknown (decode: CS_DECODE_UNKNOWN_SCHEMA_ID). Throws a retriable
   * RegistryError when the registry does not answer: the batch waits, it is not dead-lettered.
   */
  resolveIds(topic: TopicKey, values: readonly (Buffer | null | undefined)[]): Promise<void>;
}

interface BranchReader {
  kind: string;
  type: Type;
  /** hostile block counts and map keys of the writer type, checked before decoding (none without arrays or maps) */
  hostile: HostileCheck | null;
  resolver: AvroResolver | undefined;
  toPlain: Converter;
  /** Set when this writer branch cannot be read (kind removed from the reader, or incompatible). */
  error?: ContractError;
}

interface WriterReader {
  id: number;
  /** Union topics: indexed by the writer's branch index. */
  branches: BranchReader[] | null;
  /** Record topics. */
  record: BranchReader | null;
}

interface WriteFrames {
  /** 0 in registry mode until the current schema is registered: encode refuses then. */
  currentId: number;
  /** Union topics: header + branch index, prepended to the branch body. */
  writeBranches: Map<string, { prefix: Buffer; type: Type }>;
  writeHeader: Buffer;
}

interface TopicCodec extends WriteFrames {
  key: TopicKey;
  type: Type;
  kinds: string[];
  readers: Map<number, WriterReader>;
  /** A reader for messages framed with `id` whose writer schema is `schema`. */
  readerFor(id: number, schema: unknown): WriterReader;
}

export interface CodecOptions {
  schemasDir?: string;
  /** Frame and resolve with the registry's ids (see registry-codecs.ts) instead of the frozen catalogue's. */
  registry?: SchemaRegistryClient;
}

export function createCodecs(opts: CodecOptions = {}): Codecs {
  const catalogue = loadCatalogue(opts.schemasDir);
  const registry = opts.registry;
  const topics = new Map<TopicKey, TopicCodec>();
  for (const key of TOPIC_KEYS) {
    const tc = buildTopic(catalogue, key);
    // Registry ids and catalogue ids overlap (both count from 1): in registry mode only ids the registry named are read.
    if (registry) {
      tc.readers.clear();
      Object.assign(tc, writeFrames(0, tc.type, tc.kinds));
    }
    topics.set(key, tc);
  }

  const get = (topic: TopicKey): TopicCodec => {
    const t = topics.get(topic);
    if (!t) throw new Error(`unknown topic key "${String(topic)}" (expected one of ${TOPIC_KEYS.join(', ')})`);
    return t;
  };

  const decode = (topic: TopicKey, bytes: Buffer): DecodeResult<any> => {
    const tc = get(topic);
    try {
      const id = readSchemaId(bytes);
      if (typeof id !== 'number') return { ok: false, error: id };
      const reader = tc.readers.get(id);
      if (!reader) return { ok: false, error: registry ? decodeError('CS_DECODE_UNKNOWN_SCHEMA_ID', `id ${id} on ${TOPICS[topic]} (not in the schema registry)`) : unknownId(catalogue, topic, id) };
      let pos = HEADER_BYTES;
      let branch: BranchReader;
      if (reader.branches) {
        const idx = readVarint(bytes, pos);
        if (!idx) return { ok: false, error: decodeError('CS_DECODE_TRUNCATED', 'no union branch index') };
        const b = idx.value >= 0 ? reader.branches[idx.value] : undefined;
        if (!b) return { ok: false, error: unknownKindError('CS_UNKNOWN_KIND_UNION_BRANCH', `branch ${idx.value} of schema id ${id} on ${TOPICS[topic]}`) };
        branch = b;
        pos = idx.next;
      } else {
        branch = reader.record!;
      }
      if (branch.error) return { ok: false, error: branch.error };
      const hostile = branch.hostile === null ? null : branch.hostile(bytes, pos);
      if (hostile !== null) return { ok: false, error: decodeError('CS_DECODE_INVALID_AVRO', hostile) };
      const { value, offset } = branch.type.decode(bytes, pos, branch.resolver);
      if (offset < 0) return { ok: false, error: decodeError('CS_DECODE_TRUNCATED', `${bytes.length} bytes, schema id ${id}`) };
      if (offset !== bytes.length) return { ok: false, error: decodeError('CS_DECODE_TRAILING_BYTES', `${bytes.length - offset} of ${bytes.length} bytes unread`) };
      return { ok: true, event: branch.toPlain(value), schemaId: id };
    } catch (err) {
      return { ok: false, error: decodeError('CS_DECODE_INVALID_AVRO', err instanceof Error ? err.message : String(err)) };
    }
  };

  const adopt = (topic: TopicKey, id: number, schema: unknown, aopts: { write?: boolean } = {}): void => {
    const tc = get(topic);
    if (!tc.readers.has(id)) tc.readers.set(id, tc.readerFor(id, schema));
    if (aopts.write) {
      if (stableStringify(schema) !== stableStringify(catalogue.subjects[topic].currentSchema)) throw new Error(`schema id ${id} is not the current schema of ${topic}: encode writes the current one only`);
      Object.assign(tc, writeFrames(id, tc.type, tc.kinds));
    }
  };

  return {
    catalogue,
    registry,
    adopt,
    async resolveIds(topic, values) {
      if (!registry) return;
      const tc = get(topic);
      const unknown = new Set<number>();
      for (const v of values) {
        const id = v ? readSchemaId(v) : null;
        if (typeof id === 'number' && !tc.readers.has(id)) unknown.add(id);
      }
      for (const id of unknown) {
        const schema = await registry.schemaById(id);
        // No such id (bytes that only look framed): decode reports it and the record is dead-lettered.
        if (schema !== null) adopt(topic, id, schema);
      }
    },
    schemaId: (topic) => get(topic).currentId,
    kinds: (topic) => get(topic).kinds,
    type: (topic) => get(topic).type,
    encode(topic, value) {
      const tc = get(topic);
      if (tc.currentId === 0) throw new Error(`${topic}: its schema is not registered yet (call registerSchemas before encoding with a schema registry)`);
      if (tc.writeBranches.size > 0) {
        const kind = (value as { kind?: unknown }).kind;
        const b = typeof kind === 'string' ? tc.writeBranches.get(kind) : undefined;
        if (!b) throw unknownKindError('CS_UNKNOWN_KIND_WRONG_TOPIC', `kind ${JSON.stringify(kind)} on ${TOPICS[topic]} (carries ${tc.kinds.join(', ')})`);
        return Buffer.concat([b.prefix, toBody(b.type, value, kind as string)]);
      }
      return Buffer.concat([tc.writeHeader, toBody(tc.type, value, shortName(asRecord(tc.type).name))]);
    },
    decode: decode as Codecs['decode'],
    decodeAndValidate: ((topic: InputTopicKey, bytes: Buffer, vopts: ValidateOptions) => {
      const r = decode(topic, bytes);
      if (!r.ok) return r;
      const error = validateValue(topic, r.event, vopts.now);
      return error ? { ok: false, error } : r;
    }) as Codecs['decodeAndValidate'],
  };
}

function toBody(type: Type, value: object, subject: string): Buffer {
  try {
    return type.toBuffer(value);
  } catch {
    const issues: Issue[] = [];
    type.isValid(value, { errorHook: (path: string[], v: unknown, t: Type) => issues.push({ path: path.join('.'), message: `${describe(v)} is not a valid ${t.typeName}` }) });
    throw validationError(issues.length ? issues : [{ path: '', message: 'does not match the schema' }], 'CS_VALIDATION_SCHEMA_MISMATCH', subject);
  }
}

function describe(v: unknown): string {
  if (v === undefined) return 'missing value';
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function unknownId(catalogue: LoadedCatalogue, topic: TopicKey, id: number): ContractError {
  const other = catalogue.byId.get(id);
  if (other) {
    return unknownKindError('CS_UNKNOWN_KIND_WRONG_TOPIC', `schema id ${id} is ${other.topicKey} v${other.version} (${other.file}), not carried by ${TOPICS[topic]}`);
  }
  return decodeError('CS_DECODE_UNKNOWN_SCHEMA_ID', `id ${id} on ${TOPICS[topic]}`);
}

function writeFrames(currentId: number, type: Type, kinds: string[]): WriteFrames {
  const writeHeader = frameHeader(currentId);
  const writeBranches = new Map<string, { prefix: Buffer; type: Type }>();
  unionBranches(type).forEach((b, i) => writeBranches.set(kinds[i]!, { prefix: Buffer.concat([writeHeader, varintBytes(i)]), type: b }));
  return { currentId, writeHeader, writeBranches };
}

function buildTopic(catalogue: LoadedCatalogue, key: TopicKey): TopicCodec {
  const subject = catalogue.subjects[key];
  const type = parseSchema(subject.currentSchema as never);
  const branches = unionBranches(type);
  const kinds = branches.map((b) => shortName(asRecord(b).name));

  const readers = new Map<number, WriterReader>();
  // Versions before the latest upgrade are read as the version just before it, then upgraded.
  const cut = subject.versions.findLastIndex((v) => v.upgrade !== undefined);
  const older = cut > 0 ? subject.versions[cut - 1]! : undefined;
  const olderType = older && parseSchema(older.schema as never);
  const upgrade = cut > 0 ? UPGRADES[subject.versions[cut]!.upgrade!] : undefined;
  if (upgrade && branches.length) throw new Error(`schemas/catalogue.json: ${key} is a union topic; upgrades exist for record topics only`);
  const last = subject.versions.length - 1;
  const readerOf = (v: LoadedVersion, i: number): WriterReader =>
    i < cut ? buildReader(olderType!, v, i === cut - 1, (x) => withDefaults(upgrade!(x, type), type)) : buildReader(type, v, i === last);
  subject.versions.forEach((v, i) => readers.set(v.id, readerOf(v, i)));
  const readerFor = (id: number, schema: unknown): WriterReader => {
    // A catalogue version under a registry id reads as that version (upgrades included); any other schema is resolved by Avro.
    const i = subject.versions.findIndex((v) => stableStringify(v.schema) === stableStringify(schema));
    if (i >= 0) return readerOf({ ...subject.versions[i]!, id }, i);
    return buildReader(type, { topicKey: key, id, version: 0, file: `registry schema id ${id}`, schema }, false);
  };
  return { key, type, kinds, readers, readerFor, ...writeFrames(subject.currentId, type, kinds) };
}

/**
 * An upgraded value with every field of `reader` it lacks set to the field's default: the upgrade
 * produces the version that introduced it, and later versions only add fields with defaults.
 */
function withDefaults(value: Record<string, unknown>, reader: Type): Record<string, unknown> {
  for (const f of asRecord(reader).fields) if (!Object.hasOwn(value, f.name)) value[f.name] = f.defaultValue();
  return value;
}

// Resolve each writer version to the current reader once, at start-up, not per message.
function buildReader(reader: Type, writer: LoadedVersion, same: boolean, upgrade?: (plain: Record<string, unknown>) => Record<string, unknown>): WriterReader {
  const writerType = same ? reader : parseSchema(writer.schema as never);
  const readerBranches = unionBranches(reader);
  if (readerBranches.length === 0) {
    const record = branchReader(reader, writerType, same, shortName(asRecord(reader).name), false, writer);
    if (upgrade) record.toPlain = ((toPlain) => (v: unknown) => upgrade(toPlain(v)))(record.toPlain);
    return { id: writer.id, branches: null, record };
  }
  const byName = new Map(readerBranches.map((b) => [asRecord(b).name, b] as const));
  const branches = unionBranches(writerType).map((wb) => {
    const name = asRecord(wb).name;
    const rb = byName.get(name);
    if (!rb) {
      return { kind: shortName(name), type: wb, hostile: null, resolver: undefined, toPlain: (v: unknown) => v, error: unknownKindError('CS_UNKNOWN_KIND_UNION_BRANCH', `${shortName(name)} (schema id ${writer.id}) is not a kind the reader knows`) };
    }
    return branchReader(rb, wb, same, shortName(name), true, writer);
  });
  return { id: writer.id, branches, record: null };
}

function branchReader(readerType: Type, writerType: Type, same: boolean, kind: string, withKind: boolean, writer: LoadedVersion): BranchReader {
  const toPlain = plainConverter(readerType, withKind ? kind : undefined)!;
  if (same) return { kind, type: readerType, hostile: hostileCheckFor(writerType), resolver: undefined, toPlain };
  try {
    return { kind, type: readerType, hostile: hostileCheckFor(writerType), resolver: readerType.createResolver(writerType), toPlain };
  } catch (err) {
    const error = decodeError('CS_DECODE_INCOMPATIBLE_WRITER', `${kind} from schema id ${writer.id} (${writer.file}): ${err instanceof Error ? err.message : String(err)}`);
    return { kind, type: readerType, hostile: hostileCheckFor(writerType), resolver: undefined, toPlain, error };
  }
}
