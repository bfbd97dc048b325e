// Rules adopted for a closed period (docs/what-if.md "Publishing"): the latest adoption scores the
// period, every adoption is a reason on every card, and a what-if against the adopted rules
// shows no change. The population is what-if.test.ts's (A >= 92 moves S03 from A to B).
import { describe, expect, it } from 'vitest';
import { adoptedRules, DEFAULT_RULES, memberNotes, mergeRules, outcomeOf, PERIOD_WIDE, RulesBook, RulesError, whatIfDiff, type CorrectionNote, type Rules } from '../src/index.ts';
import { OCT } from './fixture-periods.ts';
import { AT, COUNTERS, rated, ROSTER } from './fixture-what-if.ts';


const A92 = mergeRules(DEFAULT_RULES, { rulesVersion: `${DEFAULT_RULES.rulesVersion}+COR-A`, grades: { A: 92 } });
const A95 = mergeRules(DEFAULT_RULES, { rulesVersion: `${DEFAULT_RULES.rulesVersion}+COR-B`, grades: { A: 95 } });
const adoption = (id: string, rules: Rules, at: number): CorrectionNote => ({
  correctionId: id,
  kind: 'RULES_ADOPTED',
  staffId: PERIOD_WIDE,
  periodId: OCT.id,
  reason: `adopt ${rules.rulesVersion}`,
  requestedBy: 'M01',
  approvedBy: 'D01',
  at,
  detail: `rules ${rules.rulesVersion} adopted`,
  rules: JSON.stringify(rules),
});
const notes = (...list: CorrectionNote[]) => new Map([[PERIOD_WIDE, list]]);

describe('adoptedRules', () => {
  it('none without RULES_ADOPTED notes', () => {
    expect(adoptedRules(undefined)).toBeUndefined();
    expect(adoptedRules(new Map())).toBeUndefined();
  });

  it('the carried rules, validated, equal to what was adopted', () => {
    expect(adoptedRules(notes(adoption('COR-A', A92, AT)))).toEqual(A92);
  });

  it('the later adoption wins (by time, then correctionId), whatever order the notes come in', () => {
    expect(adoptedRules(notes(adoption('COR-B', A95, AT + 1), adoption('COR-A', A92, AT)))?.rulesVersion).toBe(A95.rulesVersion);
    expect(adoptedRules(notes(adoption('COR-B', A95, AT), adoption('COR-A', A92, AT)))?.rulesVersion).toBe(A95.rulesVersion);
  });

  it('rules the model refuses throw RulesError', () => {
    expect(() => adoptedRules(notes({ ...adoption('COR-A', A92, AT), rules: JSON.stringify({ ...A92, grades: { A: 'high' } }) }))).toThrow(RulesError);
  });
});

describe('RulesBook.forScoring with an adoption', () => {
  const book = RulesBook.of(DEFAULT_RULES);
  it('returns the adopted rules, also when the FINAL version is gone from the book', () => {
    expect(book.forScoring(OCT, DEFAULT_RULES.rulesVersion, A92)).toEqual({ rulesVersion: A92.rulesVersion, rules: A92, adopted: true });
    expect(book.forScoring(OCT, 'gone', A92).rules).toBe(A92);
  });
  it('without one: the FINAL version, else the one in force', () => {
    expect(book.forScoring(OCT, undefined)).toEqual({ rulesVersion: DEFAULT_RULES.rulesVersion, rules: DEFAULT_RULES, adopted: false });
    expect(book.forScoring(OCT, 'gone').rules).toBeUndefined();
  });
});

describe('scoring a period with its adoptions', () => {
  const first = adoption('COR-A', A92, AT);
  const second = adoption('COR-B', A95, AT + 60_000);
  const own: CorrectionNote = { correctionId: 'COR-0', kind: 'ADJUSTMENT', staffId: 'S02', periodId: OCT.id, reason: 'outage', requestedBy: 'M01', approvedBy: 'D01', at: AT - 1, detail: 'conduct +0', adjustment: { target: 'DIMENSION', id: 'conduct', mode: 'DELTA', amount: 0 } };

  it('memberNotes: a member\'s own notes and the period-wide ones', () => {
    const corrections = new Map([[PERIOD_WIDE, [first]], ['S02', [own]]]);
    expect(memberNotes(corrections, 'S02')).toEqual([own, first]);
    expect(memberNotes(corrections, 'S01')).toEqual([first]);
    expect(memberNotes(new Map([['S02', [own]]]), 'S01')).toBeUndefined();
  });

  it('every card lists every adoption (in order) with its reason and actors; the grades are the adopted rules\' = the dry run\'s proposal', () => {
    const corrections = new Map([[PERIOD_WIDE, [second, first]], ['S02', [own]]]);
    const rules = RulesBook.of(DEFAULT_RULES).forScoring(OCT, DEFAULT_RULES.rulesVersion, adoptedRules(corrections)).rules!;
    const adopted = outcomeOf({ period: OCT, counters: COUNTERS, roster: ROSTER, corrections }, rules, 'REVISED', AT);
    const dryRun = outcomeOf({ period: OCT, counters: COUNTERS, roster: ROSTER }, A95, 'FINAL', AT);
    expect(adopted.cards.map((c) => [c.staffId, c.grade, c.rulesVersion])).toEqual(dryRun.cards.map((c) => [c.staffId, c.grade, A95.rulesVersion]));
    // A >= 95: S01 (93.3) and S03 (91.6) are B now
    expect(adopted.cards.map((c) => c.grade)).toEqual(['B', 'C', 'B']);
    for (const card of adopted.cards) {
      const listed = card.reasons!.filter((r) => r.kind === 'RULES_ADOPTED');
      expect(listed.map((r) => [r.correctionId, r.reason, r.requestedBy, r.approvedBy, r.adjustment])).toEqual([
        ['COR-A', `adopt ${A92.rulesVersion}`, 'M01', 'D01', null],
        ['COR-B', `adopt ${A95.rulesVersion}`, 'M01', 'D01', null],
      ]);
    }
    expect(adopted.cards.find((c) => c.staffId === 'S02')!.reasons!.map((r) => r.correctionId)).toEqual(['COR-0', 'COR-A', 'COR-B']);
  });

  it('a what-if of the same proposal against the adopted rules shows no change', () => {
    const corrections = notes(first);
    const current = adoptedRules(corrections)!;
    const proposed = mergeRules(current, { rulesVersion: `${current.rulesVersion}+what-if`, grades: { A: 92 } });
    const d = whatIfDiff(outcomeOf({ period: OCT, counters: COUNTERS, roster: ROSTER, corrections }, current, 'FINAL', AT), outcomeOf({ period: OCT, counters: COUNTERS, roster: ROSTER, corrections }, proposed, 'FINAL', AT));
    expect([d.gradesMoved, d.awards, d.coefficients.delta]).toEqual([0, { gained: [], lost: [] }, 0]);
  });
});
