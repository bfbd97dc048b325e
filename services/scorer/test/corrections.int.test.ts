// Issue #16 item 3: a correction note in <p>:{s<n>}:corr:<period> (written by the aggregator with
// the changed pair) makes the next card REVISED, listing its reason; an ADJUSTMENT moves the
// composite through the engine, a note-only ruling is listed with no number moved.
import { describe, expect, it } from 'vitest';
import { DAY_MS, scorePopulation, type CorrectionNote } from '@cs/appraisal';
import { changedKey, correctionField, correctionsSuffix, shardPrefix } from '@cs/counter-store';
import type { Scorer } from '../src/service.ts';
import { DEFAULT_RULES, MONTH, ROSTER, TZ, cleanupsAfterEach, parsePeriodId, periodIdOfCard, scriptedSandbox, started, startScorer, waitFor, type Got, NO_STATIC } from './support.ts';
import type { Scorecard } from '@cs/contracts';

const cleanups = cleanupsAfterEach();
const run = (scorer: Scorer) => started(scorer, cleanups);
const of = (xs: Got<Scorecard>[], status: string) => xs.map((x) => x.value).filter((v) => periodIdOfCard(v) === MONTH && v.status === status);

describe('scorer: corrections', () => {
  it('a note plus a changed pair: REVISED cards that list the reasons; the adjustment moves the composite, the ruling moves nothing', async () => {
    const { sb, out } = await scriptedSandbox(cleanups);
    await run(startScorer(sb));
    await waitFor(async () => of(out.cards, 'FINAL').length === ROSTER.length, 30_000, 'FINAL cards');
    const final = new Map(of(out.cards, 'FINAL').map((c) => [c.staffId, c]));
    expect(final.get('S03')!.reasons ?? []).toEqual([]);

    const month = parsePeriodId(MONTH, TZ);
    const at = month.startMs + 20 * DAY_MS;
    const conductBefore = final.get('S03')!.dimensions.conduct!;
    const adjust: CorrectionNote = {
      correctionId: 'COR-ADJ-1', kind: 'ADJUSTMENT', staffId: 'S03', periodId: MONTH, reason: 'system outage on the 12th counted as absence',
      requestedBy: 'S03', approvedBy: 'M01', at, detail: 'conduct set to 100', adjustment: { target: 'DIMENSION', id: 'conduct', mode: 'VALUE', amount: 100 },
    };
    const ruling: CorrectionNote = {
      correctionId: 'COR-RUL-1', kind: 'COMPLAINT_RULING', staffId: 'S05', periodId: MONTH, reason: 'complaint reviewed: upheld',
      requestedBy: 'Q01', approvedBy: 'M02', at: at + 1000, detail: 'complaint CMP-9 UPHELD: no counter changed',
    };
    const corrKey = shardPrefix(sb.prefix, 0) + correctionsSuffix(MONTH);
    await sb.redis.hset(corrKey, correctionField(adjust.correctionId, 'S03'), JSON.stringify(adjust), correctionField(ruling.correctionId, 'S05'), JSON.stringify(ruling));
    await sb.redis.sadd(changedKey(sb.prefix, 0), `${MONTH}|S03`, `${MONTH}|S05`);

    await waitFor(async () => of(out.cards, 'REVISED').length >= 2, 20_000, 'REVISED cards');
    const revised = new Map(of(out.cards, 'REVISED').map((c) => [c.staffId, c]));
    expect([...revised.keys()].sort()).toEqual(['S03', 'S05']); // nobody else's card moved

    const s03 = revised.get('S03')!;
    expect(s03.revision).toBe(1);
    expect(s03.reasons).toEqual([{ correctionId: 'COR-ADJ-1', kind: 'ADJUSTMENT', reason: adjust.reason, requestedBy: 'S03', approvedBy: 'M01', at, detail: 'conduct set to 100', adjustment: { target: 'DIMENSION', id: 'conduct', mode: 'VALUE', amount: 100 } }]);
    expect(conductBefore).toBeLessThan(100);
    expect(s03.dimensions.conduct).toBe(100);
    // HOTLINE_AGENT weights the conduct dimension, so the composite moves: the engine, fed the same note, agrees.
    expect(s03.composite).toBeGreaterThan(final.get('S03')!.composite!);
    const counters = await sb.store.periodCounters(MONTH);
    const engine = scorePopulation(counters, ROSTER, DEFAULT_RULES, month, 'REVISED', { computedAt: s03.computedAt, corrections: new Map([['S03', [adjust]], ['S05', [ruling]]]), staticState: NO_STATIC });
    expect(s03.composite).toBe(engine.find((c) => c.staffId === 'S03')!.composite);

    const s05 = revised.get('S05')!;
    expect(s05.reasons.map((r) => [r.correctionId, r.kind, r.adjustment])).toEqual([['COR-RUL-1', 'COMPLAINT_RULING', null]]);
    const { reasons: _a, appraisalId: _b, status: _c, revision: _d, computedAt: _e, ...numbersAfter } = s05;
    const { reasons: _f, appraisalId: _g, status: _h, revision: _i, computedAt: _j, ...numbersBefore } = final.get('S05')!;
    expect(numbersAfter).toEqual(numbersBefore);
  });
});
