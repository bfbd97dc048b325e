import { zonedParts } from '@cs/appraisal';

const HOUR = 3_600_000;
const pad = (n: number) => String(n).padStart(2, '0');

/**
 * The buckets an instant falls in: DAY, MONTH and HOUR (the rolling 24 h view) in the zone.
 * Memoised per UTC hour: zone offsets change on hour boundaries at most, and Intl is slow.
 */
export class Buckets {
  private readonly memo = new Map<number, readonly string[]>();
  constructor(readonly timeZone: string) {}

  of(epochMs: number): readonly string[] {
    const h = Math.floor(epochMs / HOUR);
    let ids = this.memo.get(h);
    if (!ids) {
      const p = zonedParts(h * HOUR, this.timeZone);
      const day = `${p.year}-${pad(p.month)}-${pad(p.day)}`;
      ids = [`DAY:${day}`, `MONTH:${p.year}-${pad(p.month)}`, `HOUR:${day}T${pad(p.hour)}`];
      if (this.memo.size > 50_000) this.memo.clear();
      this.memo.set(h, ids);
    }
    return ids;
  }
}
