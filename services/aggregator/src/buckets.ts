import { zonedParts } from '@cs/appraisal';

const HOUR = 3_600_000;
const pad = (n: number) => String(n).padStart(2, '0');

/**
 * The buckets an instant falls in, in the zone: DAY and MONTH for staff counters (what the
 * scorer reads); DAY, MONTH and HOUR for queue- and area-level SLA counters (HOUR gives the
 * operations view its rolling 24 h). Memoised per UTC hour: zone offsets change on hour
 * boundaries at most, and Intl is slow.
 */
export class Buckets {
  private readonly memo = new Map<number, readonly string[]>();
  private readonly staffMemo = new Map<number, readonly string[]>();
  constructor(readonly timeZone: string) {}

  /** DAY and MONTH. */
  staff(epochMs: number): readonly string[] {
    const h = Math.floor(epochMs / HOUR);
    let ids = this.staffMemo.get(h);
    if (!ids) {
      ids = this.of(epochMs).slice(0, 2);
      if (this.staffMemo.size > 50_000) this.staffMemo.clear();
      this.staffMemo.set(h, ids);
    }
    return ids;
  }

  /** DAY, MONTH and HOUR. */
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
