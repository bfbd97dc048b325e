// RULES_ADOPTED on the corrections topic (docs/what-if.md "Publishing"): one period-wide note
// carrying the validated rules, for a closed period only; nothing is written otherwise.
import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, mergeRules, periodOf, previousPeriod, RulesBook } from '@cs/appraisal';
import { createCodecs, type Correction } from '@cs/contracts';
import { CORRECTION, NOW } from '@cs/contracts/testing';
import { prepareCorrections } from '../src/corrections.ts';

const codecs = createCodecs();
const open = periodOf('MONTH', NOW, DEFAULT_RULES.timeZone);
const closed = previousPeriod(previousPeriod(open)); // past its close grace whatever day NOW is
const A92 = mergeRules(DEFAULT_RULES, { rulesVersion: `${DEFAULT_RULES.rulesVersion}+COR-9`, grades: { A: 92 } });
const adoption = (over: Partial<Correction> = {}): Correction => ({
  ...CORRECTION,
  correctionId: 'COR-9',
  kind: 'RULES_ADOPTED',
  staffId: '*',
  targetEventId: null,
  targetPeriod: null,
  ruling: null,
  periodId: closed.id,
  rules: JSON.stringify(A92),
  ...over,
});
// The adoption path never reads a recorded effect: a store that is asked for one fails the test.
const store = { findEffect: () => Promise.reject(new Error('an adoption read a recorded effect')) };
const prepare = (c: Correction) => prepareCorrections([codecs.encode('corrections', c)], { codecs, store, rules: new RulesBook([DEFAULT_RULES]), now: NOW });

describe('prepareCorrections: RULES_ADOPTED', () => {
  it('a closed period: one period-wide note with the rules, reason and actors; no counters; the period marked changed', async () => {
    const p = await prepare(adoption());
    expect(p.rejected).toEqual([]);
    const [effect] = p.effects;
    expect(effect!.counters).toEqual([]);
    expect(effect!.touched).toEqual([`${closed.id}|*`]);
    expect(effect!.records).toHaveLength(1);
    const note = JSON.parse(effect!.records![0]!.value);
    expect(note).toEqual({
      correctionId: 'COR-9', kind: 'RULES_ADOPTED', staffId: '*', periodId: closed.id, reason: CORRECTION.reason, requestedBy: CORRECTION.requestedBy, approvedBy: CORRECTION.approvedBy, at: CORRECTION.occurredAt,
      detail: `rules ${A92.rulesVersion} adopted for the period (the version in force for it: ${DEFAULT_RULES.rulesVersion})`,
      rules: JSON.stringify(A92),
    });
  });

  it('refuses a period that is not closed, and rules the model rejects (CS_VALIDATION_CORRECTION_RULES_INVALID)', async () => {
    const notClosed = await prepare(adoption({ periodId: open.id }));
    expect(notClosed.effects).toEqual([]);
    expect(notClosed.rejected.map((r) => r.error.code)).toEqual(['CS_VALIDATION_CORRECTION_RULES_INVALID']);
    expect(notClosed.rejected[0]!.error.message).toContain(`${open.id} is not closed yet`);
    const bad = await prepare(adoption({ rules: JSON.stringify({ ...A92, grades: { A: 'high' } }) }));
    expect(bad.rejected.map((r) => r.error.code)).toEqual(['CS_VALIDATION_CORRECTION_RULES_INVALID']);
    expect(bad.rejected[0]!.error.message).toContain('grades.A');
  });
});
