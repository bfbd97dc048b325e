import type { Type } from 'avsc';
import { asRecord } from './avro.ts';

export type Converter = (v: any) => any;

/**
 * Builds a converter from avsc's decoded value (record-class instances) to plain objects with a
 * fixed key order (`kind` first for events). Compiled per record type once: one object literal per
 * record keeps V8 shapes monomorphic on the hot path. `null` means the value is already plain.
 */
export function plainConverter(type: Type, kind?: string): Converter | null {
  const t = type as unknown as { typeName: string; itemsType?: Type; valuesType?: Type; types?: Type[] };
  switch (t.typeName) {
    case 'record':
      return compileRecord(type, kind);
    case 'array': {
      const c = plainConverter(t.itemsType!);
      return c && ((v: unknown[]) => v.map(c));
    }
    case 'map': {
      const c = plainConverter(t.valuesType!);
      return (
        c &&
        ((v: Record<string, unknown>) => {
          const out: Record<string, unknown> = {};
          for (const k of Object.keys(v)) out[k] = c(v[k]);
          return out;
        })
      );
    }
    case 'union:unwrapped': {
      const cs = t.types!.map((b) => plainConverter(b));
      const nonNull = t.types!.filter((b) => b.typeName !== 'null');
      if (cs.every((c) => c === null)) return null;
      if (nonNull.length !== 1) throw new Error('plainConverter: only ["null", X] unions may contain records');
      const c = cs.find((x) => x !== null)!;
      return (v: unknown) => (v === null ? null : c(v));
    }
    default:
      return null;
  }
}

function compileRecord(type: Type, kind: string | undefined): Converter {
  const r = asRecord(type);
  const convs: Converter[] = [];
  const parts: string[] = [];
  if (kind !== undefined) parts.push(`kind: ${JSON.stringify(kind)}`);
  for (const f of r.fields) {
    // Avro field names are [A-Za-z_][A-Za-z0-9_]*, safe as identifiers.
    const c = plainConverter(f.type);
    if (c) {
      parts.push(`${f.name}: c[${convs.length}](v.${f.name})`);
      convs.push(c);
    } else {
      parts.push(`${f.name}: v.${f.name}`);
    }
  }
  return new Function('c', `return function toPlain(v) { return { ${parts.join(', ')} }; };`)(convs) as Converter;
}
