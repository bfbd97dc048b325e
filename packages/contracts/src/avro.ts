import avsc from 'avsc';
import type { Type } from 'avsc';

export type AvroType = Type;
export type AvroResolver = ReturnType<Type['createResolver']>;
export type AvroSchema = Parameters<typeof Type.forSchema>[0];

/**
 * Parses a schema the way every codec in the project does: unions of records stay wrapped (the
 * topic-level union), `["null", X]` unions are unwrapped so optional fields read as `X | null`.
 * Hostile array/map bytes are refused before decoding (avro-guard.ts).
 */
export function parseSchema(schema: AvroSchema): Type {
  return avsc.Type.forSchema(schema, { wrapUnions: 'auto', omitRecordMethods: true });
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
    logicalTypes: { 'timestamp-millis': TimestampMillis as never },
  });
}
