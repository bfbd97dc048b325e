import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, periodRef } from '@cs/appraisal';
import { outputKeyOf, type Eligibility, type Scorecard } from '@cs/contracts';
import { ELIGIBILITY, SCORECARD, SCORECARD_WITH_REASONS } from '../../packages/contracts/test/fixtures.ts';
import { TEST_CLOCK } from '../harness/clock.ts';
import { keepLatestCard, keepLatestEligibility, type Published } from '@cs/contracts/latest-records';
import { csvField, defaultCutoffMs, payrollExport, reasonsText, sha256Hex, toCsv } from '../../packages/cli/src/payroll-csv.ts';

const HOUR = 3_600_000;
// Every date derives from the test clock: last month is closed, whatever day this runs.
const month = TEST_CLOCK.lastMonth();
const period = periodRef(month);
const cutoff = defaultCutoffMs(month, DEFAULT_RULES, 24);
const iso = (ms: number) => new Date(ms).toISOString();

let offset = 0n;
const at = <T>(record: T, timestamp: number, partition = 0): Published<T> => ({ record, partition, offset: offset++, timestamp });
const card = (over: Partial<Scorecard>): Scorecard => ({ ...SCORECARD, period, computedAt: iso(cutoff - 10 * HOUR), ...over });
const elig = (over: Partial<Eligibility>): Eligibility => ({ ...ELIGIBILITY, period, ...over });

describe('payroll CSV: fields and records (RFC 4180)', () => {
  it('quotes a field only when it holds a comma, a quote or a line break, doubling quotes', () => {
    expect(csvField('S001')).toBe('S001');
    expect(csvField('')).toBe('');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
    expect(toCsv([['a', 'b,c'], ['', 'd']])).toBe('a,"b,c"\r\n,d\r\n');
  });

  it('checksums the bytes (SHA-256, hex), UTF-8 included', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('班组')).toBe(createHash('sha256').update(Buffer.from('班组', 'utf8')).digest('hex'));
  });
});

describe('payroll CSV: the export of one month', () => {
  it('the default cut-off is the close (end + MONTH close grace) plus the hours given', () => {
    expect(cutoff).toBe(month.endMs + DEFAULT_RULES.periods.closeGraceMinutes.MONTH * 60_000 + 24 * HOUR);
    expect(defaultCutoffMs(month, DEFAULT_RULES, 0)).toBe(month.endMs + 3 * 24 * HOUR);
  });

  it('one row per staff member from the latest records; PROVISIONAL left out; lists joined with ;', () => {
    const cards = new Map<string, Published<Scorecard>>();
    const els = new Map<string, Published<Eligibility>>();
    // S001: REVISED 1 read before its FINAL: the revision decides, not the order.
    keepLatestCard(cards, at(card({ staffId: 'S001', status: 'REVISED', revision: 1, grade: 'A', computedAt: iso(cutoff - HOUR) }), cutoff - HOUR));
    keepLatestCard(cards, at(card({ staffId: 'S001', status: 'FINAL', revision: 0, grade: 'B' }), cutoff - 10 * HOUR));
    keepLatestCard(cards, at(card({ staffId: 'S002', teamId: 'T00', status: 'FINAL', grade: 'C' }), cutoff - 10 * HOUR));
    keepLatestCard(cards, at(card({ staffId: 'S003', status: 'PROVISIONAL' }), cutoff - 10 * HOUR));
    // Eligibility: the later published in the partition wins.
    keepLatestEligibility(els, at(elig({ staffId: 'S001', bonusCoefficient: 0, awards: [], vetoReasons: ['SERIOUS_COMPLAINT', 'ABSENCE'] }), cutoff - 10 * HOUR));
    keepLatestEligibility(els, at(elig({ staffId: 'S001', bonusCoefficient: 1.2, awards: ['SERVICE_STAR', 'TEAM_HONOUR'], vetoReasons: [] }), cutoff - HOUR));
    keepLatestEligibility(els, at(elig({ staffId: 'S002', teamId: 'T00', bonusCoefficient: 0.9, awards: [], vetoReasons: ['SERIOUS_COMPLAINT', 'ABSENCE'] }), cutoff - 10 * HOUR));
    expect([...cards.keys()].sort()).toEqual(['S001', 'S002', 'S003'].map((s) => outputKeyOf({ staffId: s, period })));

    const out = payrollExport([...cards.values()], [...els.values()], cutoff);
    expect(out.csv.split('\r\n')).toEqual([
      'staff,team,role,grade,coefficient,awards,veto,status,revision,reasons,adjustment',
      'S002,T00,HOTLINE_AGENT,C,0.9,,SERIOUS_COMPLAINT;ABSENCE,FINAL,0,,no',
      'S001,T01,HOTLINE_AGENT,A,1.2,SERVICE_STAR;TEAM_HONOUR,,REVISED,1,,no',
      '',
    ]);
    expect(out).toMatchObject({ rows: 2, adjustments: 0, provisional: 1 });
    expect(out.sha256).toBe(createHash('sha256').update(Buffer.from(out.csv, 'utf8')).digest('hex'));
  });

  it('fills reasons from the card\'s corrections, in their order, CSV-escaped (the reason holds a comma)', () => {
    expect(reasonsText(SCORECARD.reasons)).toBe('');
    const withReasons = card({ ...SCORECARD_WITH_REASONS, staffId: 'S020', status: 'REVISED', revision: 1 });
    withReasons.reasons = withReasons.reasons.map((r, i) => (i === 1 ? { ...r, reason: 'system outage, 12th' } : r));
    const out = payrollExport([at(withReasons, cutoff - HOUR)], [], cutoff);
    expect(out.csv.split('\r\n')[1]).toBe(
      'S020,T01,HOTLINE_AGENT,B,,,,REVISED,1,"COR-1 COMPLAINT_RULING: appeal upheld (requested S001, approved M01); COR-2 ADJUSTMENT: system outage, 12th (requested M01, approved D01)",no',
    );
  });

  it('marks records computed or published after the cut-off as adjustments; exactly at the cut-off is not', () => {
    const rows = [
      at(card({ staffId: 'S010', status: 'FINAL', computedAt: iso(cutoff) }), cutoff),
      at(card({ staffId: 'S011', status: 'REVISED', revision: 1, computedAt: iso(cutoff + 1) }), cutoff + 1),
      at(card({ staffId: 'S012', status: 'FINAL', computedAt: iso(cutoff - HOUR) }), cutoff - HOUR),
    ];
    // S012's card is on time, but an award moved to them afterwards: a new eligibility record only.
    const els = [at(elig({ staffId: 'S012', awards: ['MOST_IMPROVED'] }), cutoff + 2 * HOUR)];
    const out = payrollExport(rows, els, cutoff);
    const adjustment = Object.fromEntries(out.csv.trim().split('\r\n').slice(1).map((l) => [l.split(',')[0], l.split(',').at(-1)]));
    expect(adjustment).toEqual({ S010: 'no', S011: 'yes', S012: 'yes' });
    expect(out.adjustments).toBe(2);
    // No eligibility record yet: coefficient, awards and veto stay empty, nothing invented.
    expect(out.csv).toContain('S010,T01,HOTLINE_AGENT,B,,,,FINAL,0,,no\r\n');
  });

  it('quotes a team id holding a comma or quotes; an empty month is the header alone', () => {
    const out = payrollExport([at(card({ staffId: 'S020', status: 'FINAL', teamId: 'Ops "North", 2' }), cutoff - HOUR)], [], cutoff);
    expect(out.csv.split('\r\n')[1]).toBe('S020,"Ops ""North"", 2",HOTLINE_AGENT,B,,,,FINAL,0,,no');
    const empty = payrollExport([], [], cutoff);
    expect(empty).toMatchObject({ rows: 0, adjustments: 0, csv: 'staff,team,role,grade,coefficient,awards,veto,status,revision,reasons,adjustment\r\n' });
  });
});
