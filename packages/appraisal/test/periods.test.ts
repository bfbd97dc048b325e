import { describe, expect, it } from 'vitest';
import { closeAtMs, DEFAULT_RULES, latestClosedMonth, nextPeriod, parsePeriodId, periodIdOf, periodOf, periodStartingOn, previousPeriod } from '../src/index.ts';

const SH = 'Asia/Shanghai';

describe('periods', () => {
  it('cuts a DAY in the zone', () => {
    const p = periodOf('DAY', Date.parse('2026-10-04T16:30:00Z'), SH); // 00:30 Oct 5 local
    expect(p).toEqual({
      kind: 'DAY',
      start: '2026-10-05',
      end: '2026-10-06',
      timeZone: SH,
      startMs: Date.parse('2026-10-04T16:00:00Z'),
      endMs: Date.parse('2026-10-05T16:00:00Z'),
      id: 'DAY:2026-10-05',
    });
  });

  it('cuts a MONTH in the zone, end exclusive', () => {
    const p = periodOf('MONTH', Date.parse('2026-10-31T16:00:00Z'), SH); // Nov 1 00:00 local
    expect(p.id).toBe('MONTH:2026-11');
    expect(periodOf('MONTH', Date.parse('2026-10-31T15:59:59.999Z'), SH).id).toBe('MONTH:2026-10');
    const dec = periodOf('MONTH', Date.parse('2026-12-15T00:00:00Z'), SH);
    expect([dec.start, dec.end]).toEqual(['2026-12-01', '2027-01-01']);
    expect(periodIdOf('MONTH', Date.parse('2026-12-15T00:00:00Z'), SH)).toBe('MONTH:2026-12');
  });

  it('parses ids', () => {
    const m = parsePeriodId('MONTH:2026-10', SH);
    expect(m).toMatchObject({ kind: 'MONTH', start: '2026-10-01', end: '2026-11-01', id: 'MONTH:2026-10' });
    expect(m.endMs - m.startMs).toBe(31 * 86_400_000);
    expect(parsePeriodId('MONTH:2026-10-01', SH).id).toBe('MONTH:2026-10');
    expect(parsePeriodId('DAY:2026-10-05', SH)).toEqual(periodOf('DAY', Date.parse('2026-10-05T04:00:00Z'), SH));
    expect(() => parsePeriodId('DAY:2026-02-30', SH)).toThrow(/no such day/);
    expect(() => parsePeriodId('WEEK:2026-10', SH)).toThrow(/expected/);
    expect(() => parsePeriodId('MONTH:2026-13', SH)).toThrow(/month/);
    expect(() => parsePeriodId('MONTH:2026-10-02', SH)).toThrow(/1st/);
  });

  it('steps to neighbours', () => {
    expect(previousPeriod(parsePeriodId('MONTH:2026-01', SH)).id).toBe('MONTH:2025-12');
    expect(previousPeriod(parsePeriodId('DAY:2026-03-01', SH)).id).toBe('DAY:2026-02-28');
    expect(nextPeriod(parsePeriodId('MONTH:2026-12', SH)).id).toBe('MONTH:2027-01');
  });

  it('has 23-hour days across DST in zones that have it', () => {
    const p = parsePeriodId('DAY:2026-03-08', 'America/New_York');
    expect(p.endMs - p.startMs).toBe(23 * 3600_000);
  });
});

describe('closeAtMs and latestClosedMonth', () => {
  const TZ = 'Asia/Shanghai';
  const at = (iso: string) => Date.parse(iso);
  it('a month closes its grace after its end; before that the latest closed month is the one before', () => {
    const feb = periodStartingOn('MONTH', '2028-02-01', TZ);
    expect(closeAtMs(feb, DEFAULT_RULES)).toBe(feb.endMs + DEFAULT_RULES.periods.closeGraceMinutes.MONTH * 60_000);
    // 00:30 on the 1st and the 3rd of March: February is still open, January is the latest closed.
    expect(latestClosedMonth(at('2028-03-01T00:30:00+08:00'), TZ, DEFAULT_RULES).id).toBe('MONTH:2028-01');
    expect(latestClosedMonth(at('2028-03-03T23:59:00+08:00'), TZ, DEFAULT_RULES).id).toBe('MONTH:2028-01');
    expect(latestClosedMonth(closeAtMs(feb, DEFAULT_RULES), TZ, DEFAULT_RULES).id).toBe('MONTH:2028-02');
    // 29 February: January closed on 4 February.
    expect(latestClosedMonth(at('2028-02-29T00:30:00+08:00'), TZ, DEFAULT_RULES).id).toBe('MONTH:2028-01');
  });
});
