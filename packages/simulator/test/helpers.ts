import { createHash } from 'node:crypto';
import { periodStartingOn } from '@cs/appraisal';
import { isMalformed, type SimItem } from '../src/index.ts';

export const OCT = periodStartingOn('MONTH', '2026-10-01', 'Asia/Shanghai');
export const WEEK_MS = 7 * 86_400_000;

/** Stable JSON line of an item (bytes as hex). */
export function itemLine(item: SimItem): string {
  if (isMalformed(item)) return JSON.stringify({ ...item, bytes: item.bytes.toString('hex') });
  return JSON.stringify(item);
}

/** sha256 of the first `limit` items and how many there were. */
export function digest(items: Iterable<SimItem>, limit = Infinity): { hash: string; count: number } {
  const h = createHash('sha256');
  let count = 0;
  for (const item of items) {
    if (count >= limit) break;
    h.update(itemLine(item));
    h.update('\n');
    count++;
  }
  return { hash: h.digest('hex'), count };
}
