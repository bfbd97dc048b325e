// NDJSON <-> events for the CLI (`produce`, `scorecards --json`). Every line is checked against
// the schema and the rules before anything is returned, so a bad file publishes nothing.
import { loadCatalogue, DEFAULT_SCHEMAS_DIR, type LoadedCatalogue } from './catalogue.ts';
import { KIND_TOPIC } from './kinds.ts';
import { resolveTopicKey, TOPICS, type TopicKey } from './topics.ts';
import { buildKindSchemas, timeFieldsByRecord, type KindSchema } from './zod-schemas.ts';

export interface NdjsonRecord {
  line: number;
  topic: TopicKey;
  value: object;
}
export interface NdjsonError {
  line: number;
  message: string;
}
export type NdjsonResult = { ok: true; records: NdjsonRecord[] } | { ok: false; errors: NdjsonError[] };

export interface NdjsonOptions {
  /** Reference time for the "occurredAt not in the future" rule (the caller's clock). */
  now: number;
  schemasDir?: string;
  /** Configured topic names, so a `topic` field may use them as well as the keys and default names. */
  topicNames?: Partial<Record<TopicKey, string>>;
}

interface Cache {
  catalogue: LoadedCatalogue;
  schemas: Map<string, KindSchema>;
  timeFields: Map<string, string[]>;
  nowRef: { now: number | undefined };
}
const caches = new Map<string, Cache>();

function cacheFor(dir: string): Cache {
  let c = caches.get(dir);
  if (!c) {
    const catalogue = loadCatalogue(dir);
    const nowRef: Cache['nowRef'] = { now: undefined };
    c = { catalogue, nowRef, schemas: buildKindSchemas(catalogue, () => nowRef.now!), timeFields: timeFieldsByRecord(catalogue) };
    caches.set(dir, c);
  }
  return c;
}

export function parseNdjson(text: string, opts: NdjsonOptions): NdjsonResult {
  const cache = cacheFor(opts.schemasDir ?? DEFAULT_SCHEMAS_DIR);
  cache.nowRef.now = opts.now;
  try {
    const records: NdjsonRecord[] = [];
    const errors: NdjsonError[] = [];
    const lines = text.split(/\r?\n/);
    for (let i = 0; i < lines.length; i++) {
      const src = lines[i]!.trim();
      if (src === '') continue;
      const res = parseLine(src, i + 1, cache, opts);
      if ('message' in res) errors.push(res);
      else records.push(res);
    }
    return errors.length ? { ok: false, errors } : { ok: true, records };
  } finally {
    cache.nowRef.now = undefined;
  }
}

function parseLine(src: string, line: number, cache: Cache, opts: NdjsonOptions): NdjsonRecord | NdjsonError {
  let obj: unknown;
  try {
    obj = JSON.parse(src);
  } catch (err) {
    return { line, message: `not valid JSON (${err instanceof Error ? err.message : String(err)})` };
  }
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return { line, message: 'must be a JSON object with a "kind" field' };
  const { kind, topic, ...fields } = obj as Record<string, unknown>;
  if (typeof kind !== 'string') return { line, message: '"kind" is required (e.g. "CallAnswered", "StaffProfile")' };
  // A Correction has a `kind` field of its own (CorrectionKind), so it cannot be an NDJSON line.
  if (kind === 'Correction') return { line, message: 'corrections are made with `cs-appraisal correct`, not as NDJSON events' };
  const ks = cache.schemas.get(kind);
  if (!ks) return { line, message: `unknown kind "${kind}"; known kinds: ${Object.keys(KIND_TOPIC).join(', ')}` };
  if (topic !== undefined) {
    const named = typeof topic === 'string' ? topicFromName(topic, opts.topicNames) : undefined;
    if (named !== ks.topic) {
      return { line, message: `"topic": ${JSON.stringify(topic)} does not carry ${kind}; it goes to ${opts.topicNames?.[ks.topic] ?? TOPICS[ks.topic]} (or omit "topic")` };
    }
  }
  const parsed = ks.schema.safeParse(fields);
  if (!parsed.success) {
    const msgs = parsed.error.issues.map((iss) => {
      const path = iss.path.map(String).join('.');
      if (iss.code === 'unrecognized_keys') return `unknown field(s) ${iss.keys.map((k) => `"${k}"`).join(', ')} for ${kind}`;
      return `${path || kind}: ${iss.message}`;
    });
    return { line, message: `${kind}: ${msgs.join('; ')}` };
  }
  const value = ks.topic === 'roster' ? parsed.data : { kind, ...parsed.data };
  return { line, topic: ks.topic, value };
}

function topicFromName(name: string, names: NdjsonOptions['topicNames']): TopicKey | undefined {
  if (names) for (const [k, v] of Object.entries(names)) if (v === name) return k as TopicKey;
  return resolveTopicKey(name);
}

/**
 * One NDJSON line (no newline) for a decoded value: events and roster profiles get `kind` first and
 * ISO-8601 UTC times, so `parseNdjson(toNdjson(t, v))` gives `v` back; scorecards and eligibility
 * records are their plain JSON (interfaces.md); DLQ bytes are base64.
 */
export function toNdjson(topic: TopicKey, value: object, opts: { schemasDir?: string } = {}): string {
  const cache = cacheFor(opts.schemasDir ?? DEFAULT_SCHEMAS_DIR);
  const v = value as Record<string, unknown>;
  const record = topic === 'roster' ? 'StaffProfile' : topic === 'appraisal' || topic === 'eligibility' || topic === 'teamScorecard' ? null : topic === 'dlq' ? 'DeadLetter' : String(v.kind);
  const times = record ? cache.timeFields.get(record) ?? [] : [];
  const out: Record<string, unknown> = topic === 'roster' ? { kind: 'StaffProfile' } : {};
  for (const [k, x] of Object.entries(v)) {
    if (times.includes(k) && typeof x === 'number' && Number.isSafeInteger(x) && Math.abs(x) <= 8.64e15) out[k] = new Date(x).toISOString();
    else if (Buffer.isBuffer(x)) out[k] = x.toString('base64');
    else out[k] = x;
  }
  return JSON.stringify(out);
}
