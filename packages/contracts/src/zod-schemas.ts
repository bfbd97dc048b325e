// zod schemas for input that arrives as JSON (NDJSON for the CLI, tests, tools): built from the
// Avro types (shape) plus the rule table (semantics), so neither is written twice.
import { z } from 'zod';
import type { Type } from 'avsc';
import { asRecord, parseSchemaForMetadata, shortName, unionBranches, TIMESTAMP_TYPE_NAME } from './avro.ts';
import type { LoadedCatalogue } from './catalogue.ts';
import { CORRECTION_RULES, KIND_RULES, ROSTER_RULES, type KindRules, type RuleContext } from './rules.ts';
import { TOPIC_KEYS, type TopicKey } from './topics.ts';

const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;

// ISO-8601 with an explicit zone: a zoneless time would silently take the machine's zone.
const isoTime = z.iso.datetime({ offset: true }).transform((s) => Date.parse(s));
const epochMs = z.number().refine(Number.isSafeInteger, 'must be an integer epoch-millisecond time');

function zodFor(t: Type): z.ZodType {
  const any = t as unknown as { typeName: string; types?: Type[]; itemsType?: Type; valuesType?: Type; symbols?: string[] };
  switch (any.typeName) {
    case TIMESTAMP_TYPE_NAME:
      return z.union([epochMs, isoTime], { error: 'must be an ISO-8601 time with zone (e.g. 2026-10-05T08:30:00+08:00) or epoch milliseconds' });
    case 'null':
      return z.null();
    case 'boolean':
      return z.boolean();
    case 'int':
      return z.number().int().min(INT_MIN).max(INT_MAX);
    case 'long':
      return z.number().refine(Number.isSafeInteger, 'must be a safe integer');
    case 'float':
    case 'double':
      return z.number();
    case 'string':
      return z.string();
    case 'bytes':
      return z.instanceof(Buffer);
    case 'enum':
      return z.enum(any.symbols! as [string, ...string[]]);
    case 'array':
      return z.array(zodFor(any.itemsType!));
    case 'map':
      return z.record(z.string(), zodFor(any.valuesType!));
    case 'record':
      return recordShape(t);
    case 'union:unwrapped': {
      const nonNull = any.types!.filter((b) => (b as unknown as { typeName: string }).typeName !== 'null');
      const hasNull = nonNull.length < any.types!.length;
      const inner = nonNull.length === 1 ? zodFor(nonNull[0]!) : z.union(nonNull.map(zodFor) as [z.ZodType, z.ZodType]);
      return hasNull ? inner.nullable() : inner;
    }
    default:
      throw new Error(`zod: unsupported Avro type ${any.typeName}`);
  }
}

function recordShape(t: Type): z.ZodObject {
  const r = asRecord(t);
  const shape: Record<string, z.ZodType> = {};
  for (const f of r.fields) {
    const base = zodFor(f.type);
    const dflt = f.defaultValue();
    // Avro defaults make a field optional in JSON input too (e.g. WorkOrderAccepted.dueAt).
    shape[f.name] = dflt === undefined ? base : base.default(dflt as never);
  }
  return z.strictObject(shape);
}

function withRules(obj: z.ZodObject, rules: KindRules<any>, now: () => number): z.ZodType<Record<string, unknown>> {
  return obj.superRefine((value, ctx) => {
    const rc: RuleContext = { now: now() };
    const v = value as Record<string, unknown>;
    for (const [field, r] of Object.entries(rules.fields) as [string, NonNullable<KindRules<any>['fields'][string]>][]) {
      const res = r.check(v[field], rc);
      if (res === null) continue;
      if (typeof res === 'string') ctx.addIssue({ code: 'custom', path: [field], message: res });
      else ctx.addIssue({ code: 'custom', path: [field, res.at], message: res.message });
    }
    for (const c of rules.cross as KindRules<Record<string, unknown>>['cross']) {
      const res = c.check(v);
      if (res !== null) ctx.addIssue({ code: 'custom', path: [c.path], message: res });
    }
  }) as unknown as z.ZodType<Record<string, unknown>>;
}

export interface KindSchema {
  kind: string;
  topic: TopicKey;
  /** Fields only (no `kind`); output has times as epoch ms and defaults filled in. */
  schema: z.ZodType<Record<string, unknown>>;
}

/**
 * One zod schema per event kind and for StaffProfile (key `StaffProfile`), each enforcing the Avro
 * shape and the rule table. `now` is read per parse so long-lived schemas stay correct.
 */
export function buildKindSchemas(catalogue: LoadedCatalogue, now: () => number = Date.now): Map<string, KindSchema> {
  const out = new Map<string, KindSchema>();
  for (const topic of TOPIC_KEYS) {
    const type = parseSchemaForMetadata(catalogue.subjects[topic].currentSchema as never);
    const branches = unionBranches(type);
    if (branches.length > 0) {
      for (const b of branches) {
        const kind = shortName(asRecord(b).name);
        const rules = (KIND_RULES as Record<string, KindRules<any>>)[kind] ?? { fields: {}, cross: [] };
        out.set(kind, { kind, topic, schema: withRules(recordShape(b), rules, now) });
      }
    } else if (topic === 'roster') {
      out.set('StaffProfile', { kind: 'StaffProfile', topic, schema: withRules(recordShape(type), ROSTER_RULES, now) });
    } else if (topic === 'corrections') {
      out.set('Correction', { kind: 'Correction', topic, schema: withRules(recordShape(type), CORRECTION_RULES, now) });
    }
  }
  return out;
}

/** Names of the timestamp-millis fields of a record type (for rendering times as ISO strings). */
export function timeFieldsByRecord(catalogue: LoadedCatalogue): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const topic of TOPIC_KEYS) {
    const type = parseSchemaForMetadata(catalogue.subjects[topic].currentSchema as never);
    const records = unionBranches(type).length ? unionBranches(type) : [type];
    for (const rec of records) {
      const r = asRecord(rec);
      const fields = r.fields
        .filter((f) => {
          const ft = f.type as unknown as { typeName: string; types?: { typeName: string }[] };
          return ft.typeName === TIMESTAMP_TYPE_NAME || (ft.types ?? []).some((x) => x.typeName === TIMESTAMP_TYPE_NAME);
        })
        .map((f) => f.name);
      out.set(shortName(r.name), fields);
    }
  }
  return out;
}
