import avsc from 'avsc';
import { describe, expect, it } from 'vitest';
import { createCodecs, isCalendarDate, loadCatalogue, messageKey, parseNdjson, parseRosterKey, rosterKeyMismatchError, rosterKeyOf, validateEvent, type StaffProfile } from '../src/index.ts';
import { STAFF_PROFILE } from './fixtures.ts';

const codecs = createCodecs();
const catalogue = loadCatalogue();
const [V1, V2] = catalogue.subjects.roster.versions;
const typeOf = (v: typeof V1) => avsc.Type.forSchema(v!.schema as never, { wrapUnions: 'auto' });
const DATED: StaffProfile = { ...STAFF_PROFILE, teamId: 'T02', effectiveFrom: '2026-10-11' };
const NOW = STAFF_PROFILE.updatedAt;

describe('roster v2 (effectiveFrom)', () => {
  it('writers use v2; v1 stays published and readable', () => {
    expect(codecs.schemaId('roster')).toBe(V2!.id);
    expect(V1!.upgrade).toBeUndefined();
    expect(V2!.upgrade).toBeUndefined();
  });

  it('v1-written bytes decode under v2 as the base entry (effectiveFrom null)', () => {
    const { effectiveFrom: _e, ...v1Value } = STAFF_PROFILE;
    const bytes = Buffer.concat([Buffer.from([0, 0, 0, 0, V1!.id]), typeOf(V1).toBuffer(v1Value)]);
    expect(codecs.decode('roster', bytes)).toEqual({ ok: true, event: { ...v1Value, effectiveFrom: null }, schemaId: V1!.id });
  });

  it('v2-written dated bytes round-trip, and a v1 reader still reads them (forward)', () => {
    const bytes = codecs.encode('roster', DATED);
    expect(codecs.decode('roster', bytes)).toEqual({ ok: true, event: DATED, schemaId: V2!.id });
    const v1 = typeOf(V1);
    const back = v1.fromBuffer(bytes.subarray(5), v1.createResolver(typeOf(V2))) as Record<string, unknown>;
    expect(back).toEqual({ staffId: 'S001', teamId: 'T02', role: 'HOTLINE_AGENT', active: true, updatedAt: STAFF_PROFILE.updatedAt });
  });

  it('effectiveFrom must be a calendar date', () => {
    expect(validateEvent(DATED, { now: NOW })).toBeNull();
    for (const bad of ['2026-02-30', '2026-13-01', '2026-1-05', '26-10-11', '2026-10-11T00:00', '1999-12-31', '']) {
      const e = validateEvent({ ...DATED, effectiveFrom: bad }, { now: NOW });
      expect(e?.code, bad).toBe('CS_VALIDATION_FAILED');
      expect(e?.message, bad).toMatch(/effectiveFrom/);
    }
    expect(isCalendarDate('2028-02-29')).toBe(true);
    expect(isCalendarDate('2026-02-29')).toBe(false);
    const r = codecs.decodeAndValidate('roster', codecs.encode('roster', { ...DATED, effectiveFrom: '2026-04-31' }), { now: NOW });
    expect(!r.ok && r.error.code).toBe('CS_VALIDATION_FAILED');
  });

  it('NDJSON input (zod) checks the date too, and may omit it', () => {
    const line = (extra: string) => `{"kind":"StaffProfile","staffId":"S1","teamId":"T1","role":"HALL_CLERK","active":true,"updatedAt":${NOW}${extra}}`;
    expect(parseNdjson(line(''), { now: NOW })).toMatchObject({ ok: true, records: [{ value: { effectiveFrom: null } }] });
    expect(parseNdjson(line(',"effectiveFrom":"2026-11-01"'), { now: NOW })).toMatchObject({ ok: true, records: [{ value: { effectiveFrom: '2026-11-01' } }] });
    expect(parseNdjson(line(',"effectiveFrom":"2026-11-31"'), { now: NOW }).ok).toBe(false);
  });

  it('keys a dated profile <staffId>|<effectiveFrom>, the base profile by staffId', () => {
    expect(messageKey(STAFF_PROFILE)).toBe('S001');
    expect(messageKey(DATED)).toBe('S001|2026-10-11');
    expect(rosterKeyOf(DATED)).toBe('S001|2026-10-11');
    expect(parseRosterKey('S001|2026-10-11')).toEqual({ staffId: 'S001', effectiveFrom: '2026-10-11' });
    expect(parseRosterKey('S001')).toEqual({ staffId: 'S001', effectiveFrom: null });
    for (const bad of ['S 1', 'S001|', 'S001|2026-10-32', 'S001|2026-10-11|x', '']) expect(parseRosterKey(bad), bad).toBeNull();
    expect(rosterKeyMismatchError('S002', 'S001')).toMatchObject({ code: 'CS_VALIDATION_ROSTER_KEY_MISMATCH', retriable: false, errorClass: 'VALIDATION' });
  });
});
