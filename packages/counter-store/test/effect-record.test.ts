import { describe, expect, it } from 'vitest';
import { decodeEffectRecord, encodeEffectRecord } from '../src/index.ts';

describe('recorded effect encoding (fx)', () => {
  it('is compact and reads back to the increments, grouped by staff member and day', () => {
    const d1 = ['DAY:2026-10-05', 'MONTH:2026-10'];
    const d2 = ['DAY:2026-10-07', 'MONTH:2026-10'];
    const counters = [
      { staffId: 'S1', periods: d1, counter: 'shifts', by: 1 },
      { staffId: 'S1', periods: d1, counter: 'scheduled_minutes', by: 480 },
      { staffId: 'S1', periods: d2, counter: 'callbacks_due', by: 1 },
      { staffId: 'S-2', periods: d2, counter: 'handle_seconds', by: 12.5 },
      { staffId: 'S-2', periods: d2, counter: 'complaints_serious', by: -1 },
    ];
    const text = encodeEffectRecord('ShiftAttended', counters);
    expect(text).toBe('ShiftAttended;S1@2026-10-05,shifts,scheduled_minutes=480;S1@2026-10-07,callbacks_due;S-2@2026-10-07,handle_seconds=12.5,complaints_serious=-1');
    expect(decodeEffectRecord(text)).toEqual({
      eventKind: 'ShiftAttended',
      increments: counters.map((c) => ({ staffId: c.staffId, day: c.periods[0], counter: c.counter, by: c.by })),
    });
  });

  it('refuses text it did not write', () => {
    expect(() => decodeEffectRecord('X;nogroup,shifts')).toThrow(/bad group/);
    expect(() => decodeEffectRecord('X;S1@2026-10-05,shifts=abc')).toThrow(/bad increment/);
  });
});
