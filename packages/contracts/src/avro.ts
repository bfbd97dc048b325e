import avsc from 'avsc';
import type { Type } from 'avsc';

export type AvroType = Type;
export type AvroResolver = ReturnType<Type['createResolver']>;
export type AvroSchema = Parameters<typeof Type.forSchema>[0];

// Loosely typed view of avsc internals we rely on.
interface Internal {
  _read: (tap: TapLike) => unknown;
  itemsType?: Internal;
  valuesType?: Internal;
}
interface TapLike {
  buf: Buffer;
  pos: number;
  readLong(): number;
  readString(): string;
  skipLong(): void;
}

/**
 * Parses a schema the way every codec in the project does: unions of records stay wrapped (the
 * topic-level union), `["null", X]` unions are unwrapped so optional fields read as `X | null`.
 * Arrays and maps are hardened against hostile bytes (see `GuardedArrayType`).
 */
export function parseSchema(schema: AvroSchema): Type {
  return avsc.Type.forSchema(schema, { wrapUnions: 'auto', omitRecordMethods: true, typeHook: guardHook });
}

function guardHook(schema: unknown, opts: unknown): Type | undefined {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return undefined;
  const t = (schema as { type?: unknown }).type;
  if (t === 'array') return new GuardedArrayType(schema as never, opts as never) as unknown as Type;
  if (t === 'map') return new GuardedMapType(schema as never, opts as never) as unknown as Type;
  return undefined;
}

/*
 * avsc trusts array/map block counts: a flipped bit can announce 2^31 items, and reading past the
 * end of the buffer yields zeros instead of failing, so the decoder would spin for minutes. Every
 * item takes at least one byte in our schemas, so a count larger than the bytes left is corrupt.
 * (avsc freezes type instances, hence subclasses; resolvers copy `_read` from the reader type.)
 */
class GuardedArrayType extends avsc.types.ArrayType {
  _read(tap: TapLike): unknown[] {
    const items = (this as unknown as Internal).itemsType!;
    const out: unknown[] = [];
    let n: number;
    while ((n = readBlockCount(tap))) {
      while (n--) out.push(items._read(tap));
    }
    return out;
  }
}

class GuardedMapType extends avsc.types.MapType {
  _read(tap: TapLike): Record<string, unknown> {
    const values = (this as unknown as Internal).valuesType!;
    const out: Record<string, unknown> = {};
    let n: number;
    while ((n = readBlockCount(tap))) {
      while (n--) {
        const key = tap.readString();
        // A `__proto__` key would swap the object's prototype instead of adding an entry.
        if (key === '__proto__') throw new Error('map key "__proto__" is not allowed');
        out[key] = values._read(tap);
      }
    }
    return out;
  }
}

function readBlockCount(tap: TapLike): number {
  let n = tap.readLong();
  if (n < 0) {
    n = -n;
    tap.skipLong(); // block size in bytes, unused
  }
  if (n > tap.buf.length - tap.pos) throw new Error(`block count ${n} exceeds the ${Math.max(0, tap.buf.length - tap.pos)} bytes left`);
  return n;
}

/** Short (unqualified) Avro name: `cs.billing.BillIssued` -> `BillIssued`. */
export function shortName(fullName: string): string {
  const i = fullName.lastIndexOf('.');
  return i < 0 ? fullName : fullName.slice(i + 1);
}

export interface RecordTypeView {
  name: string;
  doc?: string;
  fields: { name: string; type: Type; doc?: string; defaultValue(): unknown }[];
}

export function asRecord(t: Type): RecordTypeView {
  if (t.typeName !== 'record') throw new Error(`expected a record type, got ${t.typeName}`);
  return t as unknown as RecordTypeView;
}

/** Branches of a topic-level (wrapped) union; empty for a plain record topic. */
export function unionBranches(t: Type): Type[] {
  return t.typeName === 'union:wrapped' ? ((t as unknown as { types: Type[] }).types) : [];
}

// Identity logical type: only marks timestamp-millis fields in the type tree (for NDJSON time
// parsing and zod schemas). The codecs do not register it: epoch numbers need no conversion.
class TimestampMillis extends avsc.types.LogicalType {
  protected override _fromValue(v: unknown): unknown {
    return v;
  }
  protected override _toValue(v: unknown): unknown {
    return v;
  }
  protected override _resolve(type: Type): unknown {
    return avsc.Type.isType(type, 'long', 'logical:timestamp-millis') ? (v: unknown) => v : undefined;
  }
}

export const TIMESTAMP_TYPE_NAME = 'logical:timestamp-millis';

/** Like parseSchema, but timestamp-millis fields show up as `logical:timestamp-millis`. */
export function parseSchemaForMetadata(schema: AvroSchema): Type {
  return avsc.Type.forSchema(schema, {
    wrapUnions: 'auto',
    omitRecordMethods: true,
    typeHook: guardHook,
    logicalTypes: { 'timestamp-millis': TimestampMillis as never },
  });
}
