import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, parsePeriodId, scorePopulation, type RosterEntry } from '@cs/appraisal';
import { eligibilityOf, finalsToPublish } from '../src/card-selection.ts';
import { eligibilityHash, type Published } from '../src/model.ts';

const period = parsePeriodId('MONTH:2026-09', 'Asia/Shanghai');
const roster: RosterEntry[] = ['S1', 'S2', 'S3'].map((staffId) => ({ staffId, teamId: 'T1', role: 'HOTLINE_AGENT', active: true }));
const counters = Object.fromEntries(roster.map((r, i) => [r.staffId, { contacts_handled: 40 + i, handle_seconds: 40 * 350, contacts_resolved: 30, surveys: 10, surveys_satisfied: 9 - i }]));

function round(status: 'FINAL' | 'REVISED', published: ReadonlyMap<string, Published>) {
  const cards = scorePopulation(counters, roster, DEFAULT_RULES, period, status, { computedAt: 0, revision: status === 'REVISED' ? 1 : 0 });
  return finalsToPublish(cards, eligibilityOf(period, cards, counters, undefined, DEFAULT_RULES), published, status);
}

describe('finalsToPublish', () => {
  const final = round('FINAL', new Map());
  const recorded = new Map(final.map((m) => [m.staffId, m.published]));

  it('FINAL: every card with its eligibility, recording the appraisalId and the eligibility hash', () => {
    expect(final.map((m) => [m.staffId, !!m.card, !!m.eligibility])).toEqual([['S1', true, true], ['S2', true, true], ['S3', true, true]]);
    for (const m of final) expect(m.published).toMatchObject({ a: m.card!.appraisalId, e: eligibilityHash(m.eligibility!) });
  });

  it('REVISED: nothing when no card and no eligibility changed', () => {
    expect(round('REVISED', recorded)).toEqual([]);
  });

  it('REVISED: an eligibility-only record, derived from the card already published, where only the eligibility moved', () => {
    const stale = new Map(recorded);
    stale.set('S2', { ...recorded.get('S2')!, e: 'an award ago' });
    const [m, ...rest] = round('REVISED', stale);
    expect(rest).toEqual([]);
    expect(m!.card).toBeUndefined();
    expect(m!.eligibility!.appraisalId).toBe(recorded.get('S2')!.a);
    expect(m!.eligibility!.eligibilityId).toBe(final.find((f) => f.staffId === 'S2')!.eligibility!.eligibilityId); // same content, same card: same id
    expect(m!.published).toEqual(recorded.get('S2'));
  });

  it('REVISED: a record stored without an appraisalId re-publishes the card with the eligibility', () => {
    const { a: _a, e: _e, ...old } = recorded.get('S3')!;
    const out = round('REVISED', new Map([...recorded, ['S3', old]]));
    expect(out.map((m) => [m.staffId, m.card?.revision, !!m.eligibility])).toEqual([['S3', 1, true]]);
  });
});
