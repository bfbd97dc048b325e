import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, mergeRules, nextPeriod, parsePeriodId, previousPeriod, RulesBook, type Period } from '../src/index.ts';
import { rulesRefusal } from './rules-refusal.ts';
import { FEB_LEAP, MAR_AFTER_LEAP, OCT, SEP, SH } from './fixture-periods.ts';

/** A version effective from the first day of `month`, differing from the defaults in grade A. */
const version = (name: string, month: Period, gradeA: number) => mergeRules(DEFAULT_RULES, { rulesVersion: name, effectiveFrom: month.start, grades: { A: gradeA } });

/** The last local day of a period ('YYYY-MM-DD'). */
const lastDay = (p: Period) => previousPeriod(parsePeriodId(`DAY:${p.end}`, SH)).start;

const refusal = rulesRefusal;

describe('RulesBook', () => {
  it('picks the version in force on a day, switching exactly on the first of the month', () => {
    const v2 = version('2026.2', OCT, 92);
    const book = RulesBook.withDefaults(DEFAULT_RULES, [v2]);
    expect(book.versions.map((r) => r.rulesVersion)).toEqual(['2026.1', '2026.2']);
    expect(book.at(lastDay(SEP)).rulesVersion).toBe('2026.1');
    expect(book.at(OCT.start).rulesVersion).toBe('2026.2');
    expect(book.inForce(SEP)).toBe(DEFAULT_RULES);
    expect(book.inForce(OCT)).toBe(v2);
    expect(book.inForce(parsePeriodId(`DAY:${lastDay(OCT)}`, SH))).toBe(v2);
    expect(book.atMonth(OCT.id.slice('MONTH:'.length))).toBe(v2);
    expect(book.latest).toBe(v2);
  });

  it('handles a leap-year February: its 29th is in the February version, 1 March in the next', () => {
    expect(lastDay(FEB_LEAP).endsWith('-29')).toBe(true);
    const feb = version('2028.2', FEB_LEAP, 91);
    const mar = version('2028.3', MAR_AFTER_LEAP, 93);
    const book = RulesBook.withDefaults(DEFAULT_RULES, [mar, feb]); // any order
    expect(book.at(lastDay(previousPeriod(FEB_LEAP)))).toBe(DEFAULT_RULES);
    expect(book.at(FEB_LEAP.start)).toBe(feb);
    expect(book.at(lastDay(FEB_LEAP))).toBe(feb);
    expect(book.inForce(parsePeriodId(`DAY:${lastDay(FEB_LEAP)}`, SH))).toBe(feb);
    expect(book.at(MAR_AFTER_LEAP.start)).toBe(mar);
    expect(book.inForce(nextPeriod(MAR_AFTER_LEAP))).toBe(mar);
  });

  it('finds versions by name, and nothing for one it does not hold', () => {
    const v2 = version('2026.2', OCT, 92);
    const book = RulesBook.withDefaults(DEFAULT_RULES, [v2]);
    expect(book.byVersion('2026.1')).toBe(DEFAULT_RULES);
    expect(book.byVersion('2026.2')).toBe(v2);
    expect(book.byVersion('2025.9')).toBeUndefined();
  });

  it('scores a period with the version it was FINALed under once it has one, else the one in force', () => {
    const v2 = version('2026.2', OCT, 92);
    const book = RulesBook.withDefaults(DEFAULT_RULES, [v2]);
    expect(book.forScoring(OCT, undefined)).toEqual({ rulesVersion: '2026.2', rules: v2, adopted: false });
    expect(book.forScoring(OCT, '2026.1')).toEqual({ rulesVersion: '2026.1', rules: DEFAULT_RULES, adopted: false });
    expect(book.forScoring(SEP, '2025.9')).toEqual({ rulesVersion: '2025.9', rules: undefined, adopted: false });
  });

  it('keeps the defaults in force before the earliest operator version, and drops them when one starts as early', () => {
    expect(RulesBook.withDefaults(DEFAULT_RULES, []).versions).toEqual([DEFAULT_RULES]);
    const whole = mergeRules(DEFAULT_RULES, { grades: { A: 95 } }); // a single file without effectiveFrom: today's behaviour
    expect(whole.effectiveFrom).toBe(DEFAULT_RULES.effectiveFrom);
    const book = RulesBook.withDefaults(DEFAULT_RULES, [whole]);
    expect(book.versions).toEqual([whole]);
    expect(book.inForce(SEP)).toBe(whole);
  });

  it('refuses two versions with one rulesVersion or one effectiveFrom, naming them', () => {
    const a = version('2026.2', OCT, 92);
    const b = version('2026.2', nextPeriod(OCT), 93);
    expect(refusal(() => new RulesBook([DEFAULT_RULES, a, b]))).toMatch(/rulesVersion: "2026\.2" is stated by more than one version/);
    const c = version('2026.3', OCT, 93);
    expect(refusal(() => new RulesBook([DEFAULT_RULES, a, c]))).toContain(`effectiveFrom: ${OCT.start} is stated by versions "2026.2" and "2026.3"`);
    expect(refusal(() => new RulesBook([]))).toMatch(/at least one rules version/);
  });

  it('refuses versions in different time zones', () => {
    const utc = mergeRules(DEFAULT_RULES, { rulesVersion: 'utc', effectiveFrom: OCT.start, timeZone: 'UTC' });
    expect(refusal(() => new RulesBook([DEFAULT_RULES, utc]))).toMatch(/timeZone: version "utc" has UTC, not Asia\/Shanghai/);
  });
});

describe('effectiveFrom', () => {
  it('must be the first day of a month, a calendar date', () => {
    const second = parsePeriodId(`DAY:${OCT.start}`, SH);
    const notFirst = nextPeriod(second).start;
    expect(refusal(() => mergeRules(DEFAULT_RULES, { effectiveFrom: notFirst }))).toMatch(/effectiveFrom: must be the first day of a month/);
    expect(refusal(() => mergeRules(DEFAULT_RULES, { effectiveFrom: `${FEB_LEAP.start.slice(0, 4)}-13-01` }))).toMatch(/effectiveFrom: not a calendar date/);
    expect(refusal(() => mergeRules(DEFAULT_RULES, { effectiveFrom: 'next month' }))).toMatch(/effectiveFrom: expected a date YYYY-MM-DD/);
    expect(mergeRules(DEFAULT_RULES, { rulesVersion: 'x', effectiveFrom: OCT.start }).effectiveFrom).toBe(OCT.start);
  });

  it('the removed settings are refused as unknown (their owners are elsewhere, README)', () => {
    expect(refusal(() => mergeRules(DEFAULT_RULES, { periods: { maxLatenessDays: 30 } }))).toMatch(/periods\.maxLatenessDays: unknown setting/);
    expect(refusal(() => mergeRules(DEFAULT_RULES, { periods: { scoringTickSeconds: 30 } }))).toMatch(/periods\.scoringTickSeconds: unknown setting/);
    expect(refusal(() => mergeRules(DEFAULT_RULES, { sla: { serviceLevelTarget: 0.9 } }))).toMatch(/sla\.serviceLevelTarget: unknown setting/);
  });
});
