import { describe, expect, it } from 'vitest';
import { closeAtMs, DEFAULT_RULES, parsePeriodId, scorePopulation, type RosterEntry } from '@cs/appraisal';
import { contentHash, gradeCounts, groupPairs, previousFinalsOf, publishedOf } from '../src/model.ts';
import { leaseKey, outboxKey, periodsKey, publishedKey } from '../src/keys.ts';

const TZ = 'Asia/Shanghai';
const roster: RosterEntry[] = [
  { staffId: 'S1', teamId: 'T1', role: 'HOTLINE_AGENT', active: true },
  { staffId: 'S2', teamId: 'T1', role: 'HOTLINE_AGENT', active: true },
];
const counters = {
  S1: { contacts_handled: 40, handle_seconds: 40 * 350, contacts_resolved: 30, surveys: 10, surveys_satisfied: 9 },
  S2: { contacts_handled: 20, handle_seconds: 20 * 500, contacts_resolved: 12, surveys: 6, surveys_satisfied: 5 },
};

describe('contentHash', () => {
  const period = parsePeriodId('MONTH:2026-09', TZ);
  const at = (status: 'FINAL' | 'REVISED', computedAt: number, revision = 0) =>
    scorePopulation(counters, roster, DEFAULT_RULES, period, status, { computedAt, revision });

  it('ignores computedAt, appraisalId, status and revision', () => {
    const a = at('FINAL', 1);
    const b = at('REVISED', 2, 3);
    expect(a[0]!.appraisalId).not.toBe(b[0]!.appraisalId);
    expect(a.map(contentHash)).toEqual(b.map(contentHash));
  });

  it('keeps its values across versions (stored hashes are compared with new ones: a change would REVISE every finalized card)', () => {
    // A card without a trend (DAY, or read back from before appraisal v4) hashes as before v4; a
    // MONTH card's trend is content, so MONTH cards hash anew from v4 on (a re-scored final period
    // is REVISED once for everyone after the upgrade, the records gaining their trend).
    const cards = at('FINAL', 1);
    expect(cards.map((c) => contentHash({ ...c, trend: undefined }))).toEqual(['f8b30211f09e044b84d14e65ec15f057', 'c5f8b4bf29f2678fe4f8c91d0332ff2a']);
    expect(cards.map(contentHash)).toEqual(['f5f40f48c3ad6e12490d9bc4da30dea4', '494a4fe0d68a4839698ff5fbcf5c9461']);
  });

  it('changes with any number on the card', () => {
    const a = at('FINAL', 1);
    const more = scorePopulation({ ...counters, S2: { ...counters.S2, surveys: 7 } }, roster, DEFAULT_RULES, period, 'FINAL', { computedAt: 1 });
    const s2 = (cards: typeof a) => contentHash(cards.find((c) => c.staffId === 'S2')!);
    expect(s2(more)).not.toBe(s2(a));
  });

  it('includes the reasons: a new note-only correction changes it with no number moved; no reasons hash as before v3', () => {
    const note = { correctionId: 'COR-1', kind: 'COMPLAINT_RULING', staffId: 'S2', periodId: period.id, reason: 'upheld', requestedBy: 'QA', approvedBy: 'MGR', at: period.startMs, detail: 'complaint UPHELD' } as const;
    const plain = at('FINAL', 1);
    const noted = scorePopulation(counters, roster, DEFAULT_RULES, period, 'FINAL', { computedAt: 1, corrections: new Map([['S2', [note]]]) });
    expect(noted[1]!.composite).toBe(plain[1]!.composite);
    expect(contentHash(noted[0]!)).toBe(contentHash(plain[0]!));
    expect(contentHash(noted[1]!)).not.toBe(contentHash(plain[1]!));
    expect(contentHash({ ...plain[1]!, reasons: [] })).toBe(contentHash(plain[1]!)); // a v3 record read back with [] compares equal
    const second = scorePopulation(counters, roster, DEFAULT_RULES, period, 'FINAL', { computedAt: 1, corrections: new Map([['S2', [note, { ...note, correctionId: 'COR-2' }]]]) });
    expect(contentHash(second[1]!)).not.toBe(contentHash(noted[1]!));
  });

  it('publishedOf keeps what improvement needs', () => {
    const [c] = at('FINAL', 1);
    const p = publishedOf(c!);
    expect(p).toMatchObject({ status: 'FINAL', revision: 0, composite: c!.composite, grade: c!.grade });
    expect(previousFinalsOf(new Map([['S1', p], ['S9', { ...p, status: 'PROVISIONAL' as const }]]))).toEqual(
      new Map([['S1', { composite: c!.composite, grade: c!.grade, status: 'FINAL' }]]),
    );
  });
});

describe('period helpers', () => {
  it('closes at end + closeGrace (DAY 2 h, MONTH 3 days)', () => {
    const day = parsePeriodId('DAY:2026-10-05', TZ);
    const month = parsePeriodId('MONTH:2026-10', TZ);
    expect(closeAtMs(day, DEFAULT_RULES)).toBe(Date.parse('2026-10-06T02:00:00+08:00'));
    expect(closeAtMs(month, DEFAULT_RULES)).toBe(Date.parse('2026-11-04T00:00:00+08:00'));
  });

  it('groups changed pairs by DAY/MONTH period', () => {
    const g = groupPairs(['DAY:2026-10-05|S1', 'MONTH:2026-10|S1', 'MONTH:2026-10|S2', 'HOUR:2026-10-05T13|S1', 'junk']);
    expect([...g.keys()].sort()).toEqual(['DAY:2026-10-05', 'MONTH:2026-10']);
    expect([...g.get('MONTH:2026-10')!].sort()).toEqual(['S1', 'S2']);
  });

  it('counts grades per team', () => {
    const cards = scorePopulation(counters, roster, DEFAULT_RULES, parsePeriodId('MONTH:2026-09', TZ), 'FINAL', { computedAt: 0 });
    const total = [...gradeCounts(cards).get('T1')!.values()].reduce((a, b) => a + b, 0);
    expect(total).toBe(2);
  });

  it('puts every scorer key under one hash tag', () => {
    const keys = [leaseKey('cs'), periodsKey('cs'), publishedKey('cs', 'MONTH:2026-10'), outboxKey('cs', 'MONTH:2026-10')];
    for (const k of keys) expect(k.match(/\{[^}]*\}/)?.[0]).toBe('{scorer}');
  });
});
