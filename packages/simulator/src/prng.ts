// Seeded PRNG (sfc32, seeded through splitmix32). No Math.random anywhere in the simulator:
// a fixed seed gives the same stream on every machine and Node version.

/** splitmix32 step: a well-mixed 32-bit value from any 32-bit state. */
export function mix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** A 32-bit hash of a list of numbers (seed derivation; not cryptographic). */
export function hashNumbers(...xs: number[]): number {
  let h = 0x811c9dc5;
  for (const x of xs) {
    // Split doubles (epoch ms exceed 32 bits) into two words.
    const hi = Math.floor(x / 4294967296);
    h = mix32(h ^ (x >>> 0));
    h = mix32(h ^ (hi >>> 0));
  }
  return h;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare: number | null = null;

  constructor(seed: number, stream = 0) {
    const s = hashNumbers(seed, stream);
    this.a = mix32(s);
    this.b = mix32(s ^ 0x6a09e667);
    this.c = mix32(s ^ 0xbb67ae85);
    this.d = 1;
    for (let i = 0; i < 15; i++) this.u32();
  }

  /** Uniform 32-bit unsigned integer. */
  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.u32() / 4294967296;
  }

  /** Uniform in [lo, hi). */
  range(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Uniform integer in [lo, hi] (inclusive). */
  intIn(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }

  /** Pick by weight from a precomputed table. */
  weighted<T>(table: WeightTable<T>): T {
    const r = this.next() * table.total;
    const cum = table.cum;
    // Tables are small (≤ a few hundred): binary search.
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cum[mid]! > r) hi = mid;
      else lo = mid + 1;
    }
    return table.items[lo]!;
  }

  /** Standard normal (Box-Muller, caching the spare). */
  gauss(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  normal(mean: number, sd: number): number {
    return mean + sd * this.gauss();
  }

  /** Log-normal with the given mean (not median) and log-sd. */
  lognormalMean(mean: number, sigma: number): number {
    return mean * Math.exp(sigma * this.gauss() - (sigma * sigma) / 2);
  }

  exponential(mean: number): number {
    let u = 0;
    while (u === 0) u = this.next();
    return -mean * Math.log(u);
  }

  /** Poisson count (Knuth below 30, rounded normal above). */
  poisson(lambda: number): number {
    if (lambda <= 0) return 0;
    if (lambda > 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * this.gauss()));
    const l = Math.exp(-lambda);
    let k = 0;
    let p = 1;
    do {
      k++;
      p *= this.next();
    } while (p > l);
    return k - 1;
  }

  /** RFC 4122 version-4 UUID from this stream. */
  uuid(): string {
    const w0 = this.u32();
    const w1 = this.u32();
    const w2 = this.u32();
    const w3 = this.u32();
    const b = (w: number, i: number): number => (w >>> (24 - 8 * i)) & 0xff;
    const b6 = (b(w1, 2) & 0x0f) | 0x40;
    const b8 = (b(w2, 0) & 0x3f) | 0x80;
    return (
      HEX[b(w0, 0)]! + HEX[b(w0, 1)]! + HEX[b(w0, 2)]! + HEX[b(w0, 3)]! + '-' +
      HEX[b(w1, 0)]! + HEX[b(w1, 1)]! + '-' +
      HEX[b6]! + HEX[b(w1, 3)]! + '-' +
      HEX[b8]! + HEX[b(w2, 1)]! + '-' +
      HEX[b(w2, 2)]! + HEX[b(w2, 3)]! + HEX[b(w3, 0)]! + HEX[b(w3, 1)]! + HEX[b(w3, 2)]! + HEX[b(w3, 3)]!
    );
  }
}

export interface WeightTable<T> {
  items: T[];
  cum: Float64Array;
  total: number;
}

export function weightTable<T>(entries: readonly (readonly [T, number])[]): WeightTable<T> {
  const items: T[] = [];
  const cum = new Float64Array(entries.length);
  let total = 0;
  entries.forEach(([item, w], i) => {
    total += Math.max(0, w);
    items.push(item);
    cum[i] = total;
  });
  return { items, cum, total };
}
