// The stored hashes: a 128-bit streaming hash (cyrb128 mixing, four 32-bit lanes) of strings and
// the exact bits of numbers, for the scorer's content and roster hashes and the rulesVersion of
// merged rules. Their values are stored and compared with new ones (a changed content hash would
// REVISE every finalized card; a changed rulesVersion changes every card), so this hash must not
// change; services/scorer/test/model.test.ts pins it. Ids are SHA-256 (ids.ts).

// Typed arrays use platform byte order; every platform Node runs on is little-endian.
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const NULL_WORD = Uint32Array.of(0x2e0000);
let units = new Uint32Array(256);

export class Hasher {
  constructor(
    private h1 = 1779033703,
    private h2 = 3144134277,
    private h3 = 1013904242,
    private h4 = 2773480762,
  ) {}

  /** Mixes the first n 32-bit words of `w`. */
  words(w: Uint32Array, n: number): this {
    let h1 = this.h1;
    let h2 = this.h2;
    let h3 = this.h3;
    let h4 = this.h4;
    for (let i = 0; i < n; i++) {
      const k = w[i]!;
      const a = h2 ^ Math.imul(h1 ^ k, 597399067);
      const b = h3 ^ Math.imul(h2 ^ k, 2869860233);
      const c = h4 ^ Math.imul(h3 ^ k, 951274213);
      h4 = a ^ Math.imul(h4 ^ k, 2716044179);
      h1 = a;
      h2 = b;
      h3 = c;
    }
    this.h1 = h1;
    this.h2 = h2;
    this.h3 = h3;
    this.h4 = h4;
    return this;
  }

  /** Each UTF-16 unit as a word, then a terminator: "ab"+"c" differs from "a"+"bc". */
  str(s: string): this {
    const n = s.length;
    if (units.length <= n) units = new Uint32Array(2 * (n + 1));
    for (let i = 0; i < n; i++) units[i] = s.charCodeAt(i);
    units[n] = 0x1f0000 | (n & 0xffff);
    return this.words(units, n + 1);
  }

  /** The float64 bits of n (-0 as 0), or one word for null. */
  num(n: number | null | undefined): this {
    if (n === null || n === undefined) return this.words(NULL_WORD, 1);
    f64[0] = n === 0 ? 0 : n;
    return this.words(u32, 2);
  }

  /** 32 hex digits */
  hex(): string {
    let h1 = Math.imul(this.h3 ^ (this.h1 >>> 18), 597399067);
    let h2 = Math.imul(this.h4 ^ (this.h2 >>> 22), 2869860233);
    let h3 = Math.imul(h1 ^ (this.h3 >>> 17), 951274213);
    let h4 = Math.imul(h2 ^ (this.h4 >>> 19), 2716044179);
    h1 ^= h2 ^ h3 ^ h4;
    h2 ^= h1;
    h3 ^= h1;
    h4 ^= h1;
    return hex8(h1) + hex8(h2) + hex8(h3) + hex8(h4);
  }
}

function hex8(h: number): string {
  return (h >>> 0).toString(16).padStart(8, '0');
}

export function hashString(s: string): string {
  return new Hasher().str(s).hex();
}
