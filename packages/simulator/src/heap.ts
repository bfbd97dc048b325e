// Binary min-heap ordered by (at, seq): `at` is the emission time, `seq` the insertion order, so
// equal times come out in the (deterministic) order they were scheduled.

export interface HeapEntry<T> {
  at: number;
  seq: number;
  value: T;
}

export class MinHeap<T> {
  private readonly a: HeapEntry<T>[] = [];
  private seq = 0;
  /** Largest size seen (for the memory-bound check). */
  peak = 0;

  get size(): number {
    return this.a.length;
  }

  push(at: number, value: T): void {
    const a = this.a;
    const e: HeapEntry<T> = { at, seq: this.seq++, value };
    a.push(e);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(e, a[p]!)) break;
      a[i] = a[p]!;
      i = p;
    }
    a[i] = e;
    if (a.length > this.peak) this.peak = a.length;
  }

  peekAt(): number {
    return this.a.length > 0 ? this.a[0]!.at : Infinity;
  }

  pop(): HeapEntry<T> | undefined {
    const a = this.a;
    if (a.length === 0) return undefined;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length > 0) {
      let i = 0;
      const n = a.length;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && less(a[r]!, a[l]!) ? r : l;
        if (!less(a[c]!, last)) break;
        a[i] = a[c]!;
        i = c;
      }
      a[i] = last;
    }
    return top;
  }

  clear(): void {
    this.a.length = 0;
  }
}

function less<T>(x: HeapEntry<T>, y: HeapEntry<T>): boolean {
  return x.at < y.at || (x.at === y.at && x.seq < y.seq);
}
