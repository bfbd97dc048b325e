// The project's one hash: SHA-256 (node:crypto), truncated to 128 bits (32 hex digits), over
// fields framed into bytes so that different field lists never give the same bytes: a string as
// its length then its UTF-16 units, a number as its float64 bits (the platform's byte order: every
// platform Node runs on is little-endian; -0 as 0, null as NaN). Ids (ids.ts), the scorer's content and roster hashes and the
// rulesVersion of merged rules all go through it; each feeds a scheme tag first ("appraisal/4",
// "scorecard-content/3", …), so a change of inputs is a new scheme, never a silent one.
//
// Framing writes into one reused buffer and hashes it in one call: a card's id costs one
// crypto.hash call (about 1 µs) plus a copy of its ~60 inputs, not one update() per field.
import { hash } from 'node:crypto';

export class Hasher {
  private bytes = new Uint8Array(1024);
  private u16 = new Uint16Array(this.bytes.buffer);
  private u32 = new Uint32Array(this.bytes.buffer);
  private f64 = new Float64Array(this.bytes.buffer);
  /** bytes fed so far */
  private n = 0;

  /** Forgets what was fed, keeping the buffer (one Hasher serves a loop). */
  reset(): this {
    this.n = 0;
    return this;
  }

  /**
   * Pads with zero bytes to a multiple of `align`, then makes room for `more` bytes. (Typed-array
   * views of the buffer need aligned offsets; the padding follows from what came before, so equal
   * field lists still give equal bytes and different ones different bytes.)
   */
  private room(align: number, more: number): void {
    const at = (this.n + align - 1) & -align;
    if (at + more > this.bytes.length) {
      const grown = new Uint8Array(Math.max(2 * this.bytes.length, (at + more + 7) & -8));
      grown.set(this.bytes.subarray(0, this.n));
      this.bytes = grown;
      this.u16 = new Uint16Array(grown.buffer);
      this.u32 = new Uint32Array(grown.buffer);
      this.f64 = new Float64Array(grown.buffer);
    }
    if (at > this.n) {
      this.bytes.fill(0, this.n, at);
      this.n = at;
    }
  }

  /** Its length, then its UTF-16 units: "ab"+"c" differs from "a"+"bc". */
  str(s: string): this {
    const len = s.length;
    this.room(4, 4 + 2 * len);
    this.u32[this.n >> 2] = len;
    const at = (this.n + 4) >> 1;
    const u16 = this.u16;
    for (let k = 0; k < len; k++) u16[at + k] = s.charCodeAt(k);
    this.n += 4 + 2 * len;
    return this;
  }

  /** The float64 bits of n (-0 as 0; null as NaN: no hashed number is NaN where null can be). */
  num(n: number | null | undefined): this {
    this.room(8, 8);
    this.f64[this.n >> 3] = n === null || n === undefined ? NaN : n === 0 ? 0 : n;
    this.n += 8;
    return this;
  }

  /** num() of xs[off .. off + count) (NaN in xs stands for null, as cardNumbers writes it). */
  nums(xs: Float64Array, off: number, count: number): this {
    this.room(8, 8 * count);
    const f64 = this.f64;
    const at = this.n >> 3;
    for (let j = 0; j < count; j++) {
      const x = xs[off + j]!;
      f64[at + j] = x !== x ? NaN : x === 0 ? 0 : x;
    }
    this.n += 8 * count;
    return this;
  }

  /** Raw bytes as they are (a digest computed earlier). */
  raw(b: Uint8Array): this {
    this.room(1, b.length);
    this.bytes.set(b, this.n);
    this.n += b.length;
    return this;
  }

  /** 32 hex digits: the first 128 bits of the SHA-256 of what was fed. */
  hex(): string {
    return hash('sha256', this.bytes.subarray(0, this.n), 'hex').slice(0, 32);
  }

  /** The same 128 bits as bytes. */
  digest(): Uint8Array {
    return new Uint8Array(hash('sha256', this.bytes.subarray(0, this.n), 'buffer').subarray(0, 16));
  }
}

/** hex() of one string. */
export function hashString(s: string): string {
  return new Hasher().str(s).hex();
}
