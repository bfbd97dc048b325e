// A compiled Avro writer: from an avsc Type tree, one generated function that writes a value's
// binary encoding straight into a Buffer, byte for byte what avsc's Type.encode writes. avsc spends
// most of a scorecard's time on its KPI map (Object.keys, Buffer.byteLength and a varint call per
// key, a union lookup per value); the generated code inlines all of it.
//
// Supported: null, boolean, int, long, double, string (ASCII in the fast path), enum, record,
// map, array, and unions with a null branch plus one other branch. Anything else (or a big-endian
// host) gives no writer, and the caller keeps avsc. At run time any value the fast path does not
// handle the same way as avsc (wrong type, unknown enum symbol, non-ASCII string, a missing field
// with a default) makes the writer throw FALLBACK; the caller then encodes that value with avsc,
// which writes the same bytes or throws the contract error.
import os from 'node:os';
import type { Type } from 'avsc';

/** Thrown by a compiled writer when avsc must encode the value instead. */
export const FALLBACK = new Error('avro fast path: use avsc for this value');

/**
 * Writes `value` at `pos` and returns the end position. A result beyond `buf.length` means the
 * buffer was too small (nothing past its end was written; retry with a larger one), like avsc's
 * Type.encode returning a negative number.
 */
export type CompiledWriter = (value: unknown, buf: Buffer, pos: number) => number;

interface Field {
  name: string;
  type: Type;
}

export function compileWriter(type: Type): CompiledWriter | undefined {
  if (os.endianness() !== 'LE') return undefined;
  const consts: unknown[] = [];
  let vars = 0;
  const constant = (v: unknown) => {
    consts.push(v);
    return `c${consts.length - 1}`;
  };
  const fresh = (p: string) => `${p}${vars++}`;

  // Code that writes the value held in the variable `v` (and advances `p`).
  const gen = (t: Type, v: string): string | undefined => {
    const any = t as unknown as Record<string, unknown>;
    switch (t.typeName) {
      case 'null':
        return `if (${v} !== null) throw F;\n`;
      case 'boolean':
        return `if (typeof ${v} !== 'boolean') throw F;\nb[p++] = ${v} ? 1 : 0;\n`;
      case 'int':
        return `if (${v} !== (${v} | 0)) throw F;\np = wl(b, p, ${v});\n`;
      case 'long':
        return `if (typeof ${v} !== 'number' || ${v} % 1 || ${v} > 9007199254740991 || ${v} < -9007199254740991) throw F;\np = wl(b, p, ${v});\n`;
      case 'double':
        return `if (typeof ${v} !== 'number') throw F;\np = wd(b, p, ${v});\n`;
      case 'string':
        return `if (typeof ${v} !== 'string') throw F;\np = ws(b, p, ${v});\n`;
      case 'enum': {
        const idx: Record<string, number> = Object.create(null);
        (any.symbols as string[]).forEach((s, i) => (idx[s] = i));
        const c = constant(idx);
        const i = fresh('i');
        return `const ${i} = typeof ${v} === 'string' ? ${c}[${v}] : undefined;\nif (${i} === undefined) throw F;\np = wl(b, p, ${i});\n`;
      }
      case 'record': {
        const r = fresh('r');
        let body = `const ${r} = ${v};\nif (${r} === null || typeof ${r} !== 'object') throw F;\n`;
        for (const f of any.fields as Field[]) {
          if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(f.name)) return undefined;
          const fv = fresh('f');
          const inner = gen(f.type, fv);
          if (inner === undefined) return undefined;
          // A missing field with a default: avsc writes the default; leave that to avsc.
          body += `const ${fv} = ${r}.${f.name};\nif (${fv} === undefined) throw F;\n${inner}`;
        }
        return body;
      }
      case 'map': {
        const m = fresh('m');
        const ks = fresh('k');
        const n = fresh('n');
        const j = fresh('j');
        const x = fresh('x');
        const inner = gen(any.valuesType as Type, x);
        if (inner === undefined) return undefined;
        // Map keys repeat from record to record (KPI ids): their encoded bytes are cached.
        const kc = constant(new Map<string, Uint8Array>());
        return (
          `const ${m} = ${v};\nif (!${m} || typeof ${m} !== 'object' || Array.isArray(${m})) throw F;\n` +
          `const ${ks} = Object.keys(${m});\nconst ${n} = ${ks}.length;\n` +
          block(n, j, `p = wk(b, p, ${ks}[${j}], ${kc});\nconst ${x} = ${m}[${ks}[${j}]];\n${inner}`)
        );
      }
      case 'array': {
        const a = fresh('a');
        const n = fresh('n');
        const j = fresh('j');
        const x = fresh('x');
        const inner = gen(any.itemsType as Type, x);
        if (inner === undefined) return undefined;
        return `const ${a} = ${v};\nif (!Array.isArray(${a})) throw F;\nconst ${n} = ${a}.length;\n` + block(n, j, `const ${x} = ${a}[${j}];\n${inner}`);
      }
      case 'union:unwrapped': {
        const types = any.types as Type[];
        const nul = types.findIndex((u) => u.typeName === 'null');
        if (types.length !== 2 || nul < 0) return undefined;
        const other = types[1 - nul]!;
        // One non-null branch: avsc picks it for every non-null value it can write.
        if (other.typeName.startsWith('union') || other.typeName.startsWith('logical')) return undefined;
        const inner = gen(other, v);
        if (inner === undefined) return undefined;
        return `if (${v} === null) {\nb[p++] = ${nul === 0 ? 0 : 2};\n} else {\nb[p++] = ${nul === 0 ? 2 : 0};\n${inner}}\n`;
      }
      default:
        return undefined;
    }
  };

  const body = gen(type, 'value');
  if (body === undefined) return undefined;
  const names = consts.map((_, i) => `c${i}`);
  const src = `'use strict';\nreturn function write(value, b, p) {\n${body}return p;\n};`;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const make = new Function('F', 'wl', 'wd', 'ws', 'wk', ...names, src) as (...a: unknown[]) => CompiledWriter;
  return make(FALLBACK, writeLong, writeDouble, writeString, writeKey, ...consts);
}

/** Avro's one block of n items (the whole map or array), then the 0 that ends it: `item` at index j. */
function block(n: string, j: string, item: string): string {
  return `if (${n}) {\np = wl(b, p, ${n});\nfor (let ${j} = 0; ${j} < ${n}; ${j}++) {\n${item}}\n}\nb[p++] = 0;\n`;
}

/** Zig-zag varint, the same bytes as avsc's Tap.writeLong. Writes past the end are dropped (typed array). */
function writeLong(b: Buffer, p: number, n: number): number {
  if (n >= -1073741824 && n < 1073741824) {
    let m = n >= 0 ? n << 1 : (~n << 1) | 1;
    while (m > 0x7f) {
      b[p++] = (m & 0x7f) | 0x80;
      m >>= 7;
    }
    b[p++] = m;
    return p;
  }
  let f = n >= 0 ? n * 2 : -n * 2 - 1;
  while (f >= 128) {
    b[p++] = (f & 0x7f) | 0x80;
    f /= 128;
  }
  b[p++] = f & 0x7f;
  return p;
}

const f64 = new Float64Array(1);
const f64b = new Uint8Array(f64.buffer);

/** IEEE 754 little-endian, as Buffer.writeDoubleLE. */
function writeDouble(b: Buffer, p: number, d: number): number {
  f64[0] = d;
  b[p] = f64b[0]!;
  b[p + 1] = f64b[1]!;
  b[p + 2] = f64b[2]!;
  b[p + 3] = f64b[3]!;
  b[p + 4] = f64b[4]!;
  b[p + 5] = f64b[5]!;
  b[p + 6] = f64b[6]!;
  b[p + 7] = f64b[7]!;
  return p + 8;
}

/**
 * Length-prefixed string; ASCII only (anything else: FALLBACK, avsc writes it). Short strings
 * byte by byte, longer ones by Buffer#latin1Write (the same bytes for ASCII).
 */
function writeString(b: Buffer, p: number, s: string): number {
  const n = s.length;
  if (n < 64) b[p++] = n << 1;
  else p = writeLong(b, p, n);
  if (n > 24 && p + n <= b.length) {
    if (!ASCII.test(s)) throw FALLBACK;
    b.write(s, p, n, 'latin1');
    return p + n;
  }
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x7f) throw FALLBACK;
    b[p + i] = c;
  }
  return p + n;
}

const ASCII = /^[\x00-\x7f]*$/;

/** A map key: its encoding (length + bytes) from the cache, else as writeString (and cached). */
function writeKey(b: Buffer, p: number, s: string, cache: Map<string, Uint8Array>): number {
  let e = cache.get(s);
  if (e === undefined) {
    const scratch = Buffer.alloc(s.length + 10);
    const end = writeString(scratch, 0, s); // throws FALLBACK for non-ASCII (not cached)
    e = new Uint8Array(scratch.subarray(0, end));
    if (cache.size < 4096) cache.set(s, e);
  }
  const n = e.length;
  for (let i = 0; i < n; i++) b[p + i] = e[i]!;
  return p + n;
}
