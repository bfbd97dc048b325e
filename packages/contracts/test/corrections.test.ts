import { describe, expect, it } from 'vitest';
import { buildKindSchemas, createCodecs, type Correction } from '../src/index.ts';
import { NOW } from './fixtures.ts';

const codecs = createCodecs();
const zod = buildKindSchemas(codecs.catalogue, () => NOW).get('Correction')!.schema;

const base = { correctionId: 'COR-1', occurredAt: NOW - 3_600_000, staffId: 'S1', reason: 'appeal upheld by HR', requestedBy: 'SUP-1', approvedBy: 'HR-2' };
const VALID: Correction[] = [
  { ...base, kind: 'COMPLAINT_RULING', targetEventId: 'E-7', targetPeriod: 'MONTH:2026-10', ruling: 'OVERTURNED', periodId: null, adjustment: null, rules: null },
  { ...base, kind: 'ABSENCE_EXCUSED', targetEventId: 'E-8', targetPeriod: 'MONTH:2026-10', ruling: null, periodId: null, adjustment: null, rules: null },
  { ...base, kind: 'EVENT_VOIDED', targetEventId: 'E-9', targetPeriod: 'MONTH:2026-10', ruling: null, periodId: null, adjustment: null, rules: null },
  { ...base, kind: 'ADJUSTMENT', targetEventId: null, targetPeriod: null, ruling: null, periodId: 'MONTH:2026-10', adjustment: { target: 'KPI', id: 'attendance_rate', mode: 'VALUE', amount: 0.95 }, rules: null },
  { ...base, kind: 'RULES_ADOPTED', staffId: '*', targetEventId: null, targetPeriod: null, ruling: null, periodId: 'MONTH:2026-10', adjustment: null, rules: '{"rulesVersion":"2026.1+COR-1"}' },
];
const [ruling, , voided, adjust, adopt] = VALID as [Correction, Correction, Correction, Correction, Correction];

// One rejecting case per rule of a Correction: [name, value, blamed field].
const CASES: [string, Correction, string][] = [
  ['approvedBy = requestedBy', { ...voided, approvedBy: 'SUP-1' }, 'approvedBy'],
  ['reason blank', { ...voided, reason: '   ' }, 'reason'],
  ['requestedBy empty', { ...voided, requestedBy: '' }, 'requestedBy'],
  ['staffId bad', { ...voided, staffId: 'S 1' }, 'staffId'],
  ['occurredAt in the future', { ...voided, occurredAt: NOW + 2 * 86_400_000 }, 'occurredAt'],
  ['void without target', { ...voided, targetEventId: null }, 'targetEventId'],
  ['void with a DAY as target period', { ...voided, targetPeriod: 'DAY:2026-10-05' }, 'targetPeriod'],
  ['void with a ruling', { ...voided, ruling: 'UPHELD' }, 'ruling'],
  ['ruling missing', { ...ruling, ruling: null }, 'ruling'],
  ['adjustment on a void', { ...voided, adjustment: adjust.adjustment }, 'adjustment'],
  ['adjustment without period', { ...adjust, periodId: null }, 'periodId'],
  ['adjustment with a bad period', { ...adjust, periodId: 'MONTH:2026-13' }, 'periodId'],
  ['adjustment with a target event', { ...adjust, targetEventId: 'E-1' }, 'targetEventId'],
  ['adjustment missing', { ...adjust, adjustment: null }, 'adjustment'],
  ['adoption for one staff member', { ...adopt, staffId: 'S1' }, 'staffId'],
  ['"*" as the staff of a void', { ...voided, staffId: '*' }, 'staffId'],
  ['adoption without period', { ...adopt, periodId: null }, 'periodId'],
  ['adoption without rules', { ...adopt, rules: null }, 'rules'],
  ['adoption with rules that are no JSON object', { ...adopt, rules: '[1]' }, 'rules'],
  ['rules on an adjustment', { ...adjust, rules: '{}' }, 'rules'],
  ['adjustment amount not finite', { ...adjust, adjustment: { ...adjust.adjustment!, amount: Number.NaN } }, 'adjustment'],
];

describe('Correction contract', () => {
  it('round-trips every kind through the corrections topic and passes its rules', () => {
    for (const c of VALID) {
      const r = codecs.decodeAndValidate('corrections', codecs.encode('corrections', c), { now: NOW });
      expect(r.ok ? r.event : r.error.message).toEqual(c);
      expect(zod.safeParse(c).success).toBe(true);
    }
  });

  it.each(CASES)('refuses %s: CS_VALIDATION_CORRECTION_INVALID naming the field, in Avro and zod alike', (_name, value, path) => {
    const r = codecs.decodeAndValidate('corrections', codecs.encode('corrections', value), { now: NOW });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('CS_VALIDATION_CORRECTION_INVALID');
    expect(r.error.issues.map((i) => i.path)).toContain(path);
    const z = zod.safeParse(value);
    expect(z.success).toBe(false);
    expect(z.error?.issues.map((i) => String(i.path[0]))).toContain(path);
  });
});
