import { describe, expect, it } from 'vitest';
import type { StaticRecord } from '@cs/appraisal';
import { decodeStaticRecord, encodeStaticRecord, staticRecordsOf } from '../src/index.ts';

const AT = 1_790_000_000_000;
const RECORDS: StaticRecord[] = [
  { kind: 'assessment', skill: 'SAFETY', score: 64.5, at: AT, assessmentId: 'ASM.1' },
  { kind: 'grant', qualificationId: 'LV_ELECTRICIAN', at: AT - 1, expiresAt: AT + 86_400_000, certificateId: 'C:1' },
  { kind: 'grant', qualificationId: 'FIRST_AID', at: AT - 2, expiresAt: null, certificateId: 'C-2' },
  { kind: 'revocation', qualificationId: 'FIRST_AID', at: AT + 5 },
];

describe('static records in st:<staffId>', () => {
  it('each kind round-trips through its compact text', () => {
    expect(encodeStaticRecord(RECORDS[0]!)).toBe(`["a","SAFETY",64.5,${AT},"ASM.1"]`);
    expect(encodeStaticRecord(RECORDS[3]!)).toBe(`["r","FIRST_AID",${AT + 5}]`);
    for (const r of RECORDS) expect(decodeStaticRecord(encodeStaticRecord(r))).toEqual(r);
  });

  it('a value that is not a record reads as none: bad JSON, unknown tag or skill, wrong types', () => {
    for (const bad of ['', '{', '{}', '["x",1]', `["a","JUGGLING",60,${AT},"a"]`, `["a","SAFETY","60",${AT},"a"]`, `["g","Q",${AT},"soon","c"]`, '["r","Q"]']) {
      expect(decodeStaticRecord(bad)).toBeNull();
    }
  });

  it('a hash reads as its records in field order, the bad ones left out', () => {
    const hash = { e2: encodeStaticRecord(RECORDS[1]!), e1: encodeStaticRecord(RECORDS[0]!), e3: 'garbage' };
    expect(staticRecordsOf(hash)).toEqual([RECORDS[0], RECORDS[1]]);
  });
});
