import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, eligibility, mergeRules, parsePeriodId, scorePopulation, type RosterEntry } from '@cs/appraisal';
import { createCodecs } from '@cs/contracts';
import { OutboxArena, outputEncoder } from '../src/encode.ts';
import { packMessage } from '../src/model.ts';

const codecs = createCodecs();
const rules = mergeRules(DEFAULT_RULES, { incentives: { bonusCoefficients: { INSUFFICIENT_DATA: 0 } } });
const roster: RosterEntry[] = ['S1', 'S2', 'S3', 'S4'].map((staffId) => ({ staffId, teamId: 'T1', role: 'HOTLINE_AGENT', active: true }));
const counters = {
  S1: { contacts_handled: 400, handle_seconds: 400 * 350, contacts_resolved: 330, surveys: 40, surveys_satisfied: 37, quality_inspections: 4, quality_score_sum: 360, shifts: 22, scheduled_minutes: 10560, attended_minutes: 10400, late_shifts: 1 },
  S2: { contacts_handled: 20, handle_seconds: 20 * 500, contacts_resolved: 12, surveys: 6, surveys_satisfied: 5, complaints_serious_substantiated: 1 },
  S3: { contacts_handled: 300, handle_seconds: 300 * 420, contacts_resolved: 210, training_completed: 1, training_gain_sum: 12 },
};

describe('outputEncoder', () => {
  it('gives the bytes of Codecs.encode for scorecards (larger than avsc\'s 1 KiB buffer) and eligibility', () => {
    const cards = scorePopulation(counters, roster, rules, parsePeriodId('MONTH:2026-09', 'Asia/Shanghai'), 'FINAL', { computedAt: 1 });
    const elig = eligibility(cards, counters, undefined, rules);
    const card = outputEncoder(codecs, 'appraisal');
    const el = outputEncoder(codecs, 'eligibility');
    for (const c of cards) expect(card(c).equals(codecs.encode('appraisal', c))).toBe(true);
    for (const e of elig) expect(el(e).equals(codecs.encode('eligibility', e))).toBe(true);
    expect(codecs.encode('appraisal', cards[0]!).length).toBeGreaterThan(1024);
  });

  it('throws the contract error for an invalid value', () => {
    const el = outputEncoder(codecs, 'eligibility');
    expect(() => el({ nope: 1 })).toThrow(/eligib|valid/i);
  });

  it('OutboxArena gives the bytes of packMessage(outputEncoder(...)), across block boundaries', () => {
    const cards = scorePopulation(counters, roster, rules, parsePeriodId('MONTH:2026-09', 'Asia/Shanghai'), 'FINAL', { computedAt: 1 });
    const elig = eligibility(cards, counters, undefined, rules);
    const card = outputEncoder(codecs, 'appraisal');
    const el = outputEncoder(codecs, 'eligibility');
    for (const blockBytes of [8 * 1024 * 1024, 2500]) {
      const arena = new OutboxArena(codecs, blockBytes);
      const got: { packed: Buffer; value: Buffer; want: Buffer; wantPacked: Buffer }[] = [];
      for (let r = 0; r < 3; r++) {
        for (const c of cards) {
          const want = card(c);
          got.push({ ...arena.add('appraisal', c.staffId, c), want, wantPacked: packMessage({ t: 'a', k: c.staffId, v: want }) });
        }
        for (const e of elig) {
          const want = el(e);
          got.push({ ...arena.add('eligibility', e.staffId, e), want, wantPacked: packMessage({ t: 'e', k: e.staffId, v: want }) });
        }
      }
      // Checked after all adds: earlier views stay intact.
      for (const g of got) {
        expect(g.value.equals(g.want)).toBe(true);
        expect(g.packed.equals(g.wantPacked)).toBe(true);
      }
    }
    expect(() => new OutboxArena(codecs).add('eligibility', 'S1', { nope: 1 })).toThrow(/eligib|valid/i);
  });
});
