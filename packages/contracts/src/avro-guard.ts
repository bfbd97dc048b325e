// Hostile bytes against a writer schema, checked before avsc decodes them. avsc trusts array/map
// block counts: a flipped bit can announce 2^31 items, and reading past the end of the buffer
// yields zeros instead of failing, so its decoder would spin for minutes. Every item takes at
// least one byte in our schemas, so a count larger than the bytes left is corrupt. A map key
// `__proto__` would swap the decoded object's prototype instead of adding an entry.
// Walks the type tree through avsc's public accessors only (fields, itemsType, valuesType, types,
// size, underlyingType); types without an array or map get no check at all.
import type { Type } from 'avsc';

type Walker = (buf: Buffer, pos: number) => number;

class Corrupt extends Error {}

function needsGuard(type: Type, seen = new Set<Type>()): boolean {
  if (seen.has(type)) return false;
  seen.add(type);
  const t = type as unknown as { typeName: string; fields?: { type: Type }[]; itemsType?: Type; valuesType?: Type; types?: Type[]; underlyingType?: Type };
  if (t.typeName === 'array' || t.typeName === 'map') return true;
  if (t.fields) return t.fields.some((f) => needsGuard(f.type, seen));
  if (t.types) return t.types.some((b) => needsGuard(b, seen));
  if (t.underlyingType) return needsGuard(t.underlyingType, seen);
  return false;
}

function readLong(buf: Buffer, at: { pos: number }): number {
  let n = 0;
  let k = 0;
  let b: number;
  do {
    if (at.pos >= buf.length) throw new Corrupt('truncated varint');
    b = buf[at.pos++]!;
    n += (b & 0x7f) * 2 ** k;
    k += 7;
  } while (b & 0x80 && k < 70);
  return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
}

function skip(buf: Buffer, at: { pos: number }, n: number): void {
  if (n < 0 || at.pos + n > buf.length) throw new Corrupt(`${n} bytes announced, ${Math.max(0, buf.length - at.pos)} left`);
  at.pos += n;
}

function build(type: Type): Walker {
  const step = stepOf(type);
  return (buf, pos) => {
    const at = { pos };
    step(buf, at);
    return at.pos;
  };
}

type Step = (buf: Buffer, at: { pos: number }) => void;

function stepOf(type: Type): Step {
  const t = type as unknown as { typeName: string; fields?: { type: Type }[]; itemsType?: Type; valuesType?: Type; types?: Type[]; size?: number; underlyingType?: Type };
  switch (t.typeName) {
    case 'null':
      return () => {};
    case 'boolean':
      return (buf, at) => skip(buf, at, 1);
    case 'int':
    case 'long':
    case 'enum':
      return (buf, at) => void readLong(buf, at);
    case 'float':
      return (buf, at) => skip(buf, at, 4);
    case 'double':
      return (buf, at) => skip(buf, at, 8);
    case 'string':
    case 'bytes':
      return (buf, at) => skip(buf, at, readLong(buf, at));
    case 'fixed':
      return (buf, at) => skip(buf, at, t.size!);
    case 'record':
    case 'error': {
      let steps: Step[] | undefined; // lazily: a record may name itself
      return (buf, at) => {
        steps ??= t.fields!.map((f) => stepOf(f.type));
        for (const s of steps) s(buf, at);
      };
    }
    case 'array': {
      let item: Step | undefined;
      return (buf, at) => {
        item ??= stepOf(t.itemsType!);
        for (let n = blockCount(buf, at); n; n = blockCount(buf, at)) while (n--) item(buf, at);
      };
    }
    case 'map': {
      let value: Step | undefined;
      return (buf, at) => {
        value ??= stepOf(t.valuesType!);
        for (let n = blockCount(buf, at); n; n = blockCount(buf, at)) {
          while (n--) {
            const len = readLong(buf, at);
            const start = at.pos;
            skip(buf, at, len);
            if (len === 9 && buf.toString('utf8', start, at.pos) === '__proto__') throw new Corrupt('map key "__proto__" is not allowed');
            value(buf, at);
          }
        }
      };
    }
    default:
      if (t.types) {
        const branches = t.types.map((b) => stepOf(b));
        return (buf, at) => {
          const i = readLong(buf, at);
          const b = branches[i];
          if (!b) throw new Corrupt(`union branch ${i} of ${branches.length}`);
          b(buf, at);
        };
      }
      if (t.underlyingType) return stepOf(t.underlyingType);
      throw new Error(`avro guard: no walker for type ${t.typeName}`);
  }
}

function blockCount(buf: Buffer, at: { pos: number }): number {
  let n = readLong(buf, at);
  if (n < 0) {
    n = -n;
    readLong(buf, at); // block size in bytes, unused
  }
  if (n > buf.length - at.pos) throw new Corrupt(`block count ${n} exceeds the ${Math.max(0, buf.length - at.pos)} bytes left`);
  return n;
}

/** Why bytes from a position cannot be data of the writer type (as far as the guard sees), or null. */
export type HostileCheck = (buf: Buffer, pos: number) => string | null;

/**
 * The check for data of the writer type `type` (a block count beyond the bytes left, a `__proto__`
 * map key, a truncated value), or null when the type holds no array or map: avsc's own checks
 * cover those. Made once per writer type, when its reader is built.
 */
export function hostileCheckFor(type: Type): HostileCheck | null {
  if (!needsGuard(type)) return null;
  const walk = build(type);
  return (buf, pos) => {
    try {
      walk(buf, pos);
      return null;
    } catch (err) {
      if (err instanceof Corrupt) return err.message;
      throw err;
    }
  };
}
