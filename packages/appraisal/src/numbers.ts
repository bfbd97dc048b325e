// Small numeric helpers shared by the scorer.

/**
 * Rounds half away from zero to `decimals`, nudged by a relative epsilon so that values like
 * 78.95 that binary floating point stores as 78.94999… still round up, as a person would.
 */
export function roundTo(x: number, decimals: number): number {
  const f = POW10[decimals] ?? 10 ** decimals;
  const a = Math.abs(x) * f * (1 + 4 * Number.EPSILON);
  const r = Math.round(a) / f;
  return x < 0 ? -r : r;
}
const POW10 = [1, 10, 100, 1000, 10000, 100000, 1000000];

export function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}

/** Median of the numbers (sorts the array in place; typed arrays sort numerically); 0 for an empty array. */
export function medianInPlace(xs: Float64Array): number {
  const n = xs.length;
  if (n === 0) return 0;
  xs.sort();
  const mid = n >> 1;
  return n % 2 === 1 ? xs[mid]! : (xs[mid - 1]! + xs[mid]!) / 2;
}
