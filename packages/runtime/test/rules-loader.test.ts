import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, nextPeriod, periodOf } from '@cs/appraisal';
import { loadRules } from '../src/rules.ts';
import { TEST_CLOCK } from '../../../test/harness/clock.ts';

const TZ = DEFAULT_RULES.timeZone;
const THIS_MONTH = periodOf('MONTH', TEST_CLOCK.clock.now(), TZ);
const NEXT_MONTH = nextPeriod(THIS_MONTH);

function dir(files: Record<string, unknown>): string {
  const d = mkdtempSync(join(tmpdir(), 'cs-rules-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(d, name), typeof content === 'string' ? content : JSON.stringify(content));
  return d;
}

const load = (path?: string, tz = TZ) => loadRules({ CS_RULES_FILE: path, CS_TIMEZONE: tz });

function refusal(path: string): string {
  try {
    load(path);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('accepted');
}

describe('loadRules', () => {
  it('without CS_RULES_FILE: the defaults alone', () => {
    const book = load(undefined);
    expect(book.versions).toEqual([DEFAULT_RULES]);
  });

  it('one file without effectiveFrom replaces the defaults (as before)', () => {
    const d = dir({ 'rules.json': { rulesVersion: 'site.1', grades: { A: 95 } } });
    const book = load(join(d, 'rules.json'));
    expect(book.versions.map((r) => r.rulesVersion)).toEqual(['site.1']);
    expect(book.inForce(THIS_MONTH).grades.A).toBe(95);
  });

  it('one file with effectiveFrom: the defaults before it, the file from it on', () => {
    const d = dir({ 'rules.json': { rulesVersion: 'site.2', effectiveFrom: NEXT_MONTH.start, grades: { A: 95 } } });
    const book = load(join(d, 'rules.json'));
    expect(book.inForce(THIS_MONTH)).toBe(DEFAULT_RULES);
    expect(book.inForce(NEXT_MONTH).rulesVersion).toBe('site.2');
  });

  it('a directory: every *.json a version, each merged over the defaults; other files ignored', () => {
    const d = dir({
      'a.json': { rulesVersion: 'site.1', grades: { A: 95 } },
      'b.json': { rulesVersion: 'site.2', effectiveFrom: NEXT_MONTH.start, thresholds: { surveySatisfiedMinScore: 5 } },
      'README.txt': 'not a version',
    });
    const book = load(d);
    expect(book.versions.map((r) => `${r.rulesVersion}@${r.effectiveFrom}`)).toEqual([`site.1@${DEFAULT_RULES.effectiveFrom}`, `site.2@${NEXT_MONTH.start}`]);
    expect(book.inForce(THIS_MONTH).grades.A).toBe(95);
    // each version is merged over the defaults, not over the version before it
    expect(book.inForce(NEXT_MONTH).grades.A).toBe(DEFAULT_RULES.grades.A);
    expect(book.inForce(NEXT_MONTH).thresholds.surveySatisfiedMinScore).toBe(5);
  });

  it('applies CS_TIMEZONE to every version', () => {
    const d = dir({ 'b.json': { rulesVersion: 'site.2', effectiveFrom: NEXT_MONTH.start } });
    const book = load(d, 'UTC');
    expect(book.versions.map((r) => r.timeZone)).toEqual(['UTC', 'UTC']);
  });

  it('refuses an effectiveFrom that is not a first of the month, naming the setting and the file', () => {
    const notFirst = `${NEXT_MONTH.start.slice(0, 8)}02`;
    const d = dir({ 'b.json': { rulesVersion: 'site.2', effectiveFrom: notFirst } });
    const msg = refusal(d);
    expect(msg).toContain('effectiveFrom: must be the first day of a month');
    expect(msg).toContain(join(d, 'b.json'));
  });

  it('refuses two versions with one rulesVersion or one effectiveFrom, naming CS_RULES_FILE', () => {
    const sameName = dir({ 'a.json': { rulesVersion: 'site.2', effectiveFrom: THIS_MONTH.start }, 'b.json': { rulesVersion: 'site.2', effectiveFrom: NEXT_MONTH.start, grades: { A: 95 } } });
    expect(refusal(sameName)).toMatch(new RegExp(`rulesVersion: "site\\.2" is stated by more than one version \\(CS_RULES_FILE ${sameName}\\)`));
    const sameDate = dir({ 'a.json': { rulesVersion: 'site.2', effectiveFrom: NEXT_MONTH.start }, 'b.json': { rulesVersion: 'site.3', effectiveFrom: NEXT_MONTH.start } });
    expect(refusal(sameDate)).toContain(`effectiveFrom: ${NEXT_MONTH.start} is stated by versions "site.2" and "site.3"`);
  });

  it('refuses unreadable files, bad JSON and an empty directory, naming the setting', () => {
    expect(refusal(join(tmpdir(), 'cs-no-such-rules.json'))).toMatch(/^invalid setting CS_RULES_FILE: cannot read/);
    const bad = dir({ 'a.json': '{ not json' });
    expect(refusal(bad)).toContain(`invalid setting CS_RULES_FILE: cannot read ${join(bad, 'a.json')} as JSON`);
    const empty = mkdtempSync(join(tmpdir(), 'cs-rules-'));
    mkdirSync(join(empty, 'sub.json')); // a directory named *.json is refused, not skipped
    expect(refusal(empty)).toMatch(/CS_RULES_FILE/);
    const none = mkdtempSync(join(tmpdir(), 'cs-rules-'));
    expect(refusal(none)).toMatch(/holds no \*\.json rules version/);
  });

  it('keeps the zod messages of a bad setting', () => {
    const d = dir({ 'a.json': { rulesVersion: 'x', thresholds: { qualityPassMinScore: 120 } } });
    expect(refusal(d)).toMatch(/thresholds\.qualityPassMinScore: Too big/);
  });
});
