import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, mergeRules, periodOf, RulesBook } from '@cs/appraisal';
import { createCodecs, ERROR_CODES, type SourceEvent } from '@cs/contracts';
import { EVENT_FIXTURES, NOW } from '@cs/contracts/testing';
import { Buckets } from '../src/buckets.ts';
import { prepareBatch } from '../src/prepare.ts';

const codecs = createCodecs();
const ctx = { codecs, rules: new RulesBook([DEFAULT_RULES]), buckets: new Buckets('Asia/Shanghai'), topicKey: 'callcenter' as const, maxLatenessMs: 62 * 86_400_000, now: NOW };
const contact = EVENT_FIXTURES.ContactCompleted;
const encode = (over: Partial<typeof contact>) => codecs.encode('callcenter', { ...contact, ...over });

describe('prepareBatch: increments that cannot be stored exactly', () => {
  it('dead-letters a contact whose durations are each finite but sum to Infinity, and keeps the events around it', () => {
    const values = [
      encode({ eventId: 'ok-1', staffId: 'S1' }),
      encode({ eventId: 'poison', staffId: 'S2', talkSeconds: 1e308, holdSeconds: 1e308 }),
      encode({ eventId: 'ok-2', staffId: 'S3' }),
    ];
    const prepared = prepareBatch(values, ctx);
    expect(prepared.effects.map((e) => e.eventId)).toEqual(['ok-1', 'ok-2']);
    expect(prepared.rejected).toHaveLength(1);
    expect(prepared.rejected[0]!.index).toBe(1);
    expect(prepared.rejected[0]!.error.code).toBe('CS_VALIDATION_INCREMENT_OUT_OF_RANGE');
    expect(prepared.rejected[0]!.error.errorClass).toBe('VALIDATION');
    expect(prepared.rejected[0]!.error.message).toMatch(/handle_seconds/);
    expect(ERROR_CODES.CS_VALIDATION_INCREMENT_OUT_OF_RANGE.errorClass).toBe('VALIDATION');
  });

  it('dead-letters a finite but absurd increment (beyond the bound) and accepts one at the bound', () => {
    const values = [encode({ eventId: 'huge', talkSeconds: 5e12, holdSeconds: 0, wrapSeconds: 0 }), encode({ eventId: 'edge', talkSeconds: 1e12, holdSeconds: 0, wrapSeconds: 0 })];
    const prepared = prepareBatch(values, ctx);
    expect(prepared.rejected.map((r) => [r.index, r.error.code])).toEqual([[0, 'CS_VALIDATION_INCREMENT_OUT_OF_RANGE']]);
    expect(prepared.effects.map((e) => e.eventId)).toEqual(['edge']);
  });
});

describe('prepareBatch: a task due further ahead than periods.maxDueAheadDays', () => {
  const DAY = 86_400_000;
  const callback = (id: string, dueInDays: number): SourceEvent => {
    const occurredAt = NOW - DAY;
    return { kind: 'CallbackAssigned', eventId: id, occurredAt, ticketId: `T-${id}`, staffId: 'S001', dueAt: occurredAt + dueInDays * DAY };
  };

  it('is dead-lettered CS_VALIDATION_DUE_TOO_FAR on its own; the other events of the batch are counted', () => {
    const limit = DEFAULT_RULES.periods.maxDueAheadDays;
    const farFuture: SourceEvent = { ...callback('far', 0), dueAt: Date.parse('2099-12-31T23:59:00+08:00') } as SourceEvent;
    const values = [callback('a', 2), farFuture, callback('b', limit), callback('c', limit + 1)].map((e) => codecs.encode('callcenter', e));
    const out = prepareBatch(values, ctx);
    expect(out.rejected.map((r) => [r.index, r.error.code])).toEqual([
      [1, 'CS_VALIDATION_DUE_TOO_FAR'],
      [3, 'CS_VALIDATION_DUE_TOO_FAR'],
    ]);
    expect(out.rejected[0]!.error.message).toMatch(/dueAt 2099-12-31T15:59:00.000Z is more than 92 days after occurredAt/);
    expect(out.effects.map((e) => e.eventId)).toEqual(['a', 'b']);
  });
});

describe('prepareBatch: the rules version in force on the event\'s local date', () => {
  // The fixtures' month, in the zone; a version effective from its first day.
  const month = periodOf('MONTH', NOW, 'Asia/Shanghai');
  const strict = mergeRules(DEFAULT_RULES, { rulesVersion: 'strict', effectiveFrom: month.start, thresholds: { surveySatisfiedMinScore: 5 } });
  const book = RulesBook.withDefaults(DEFAULT_RULES, [strict]);
  const survey = (eventId: string, occurredAt: number) => codecs.encode('callcenter', { kind: 'SurveyAnswered', eventId, occurredAt, callId: 'C1', staffId: 'S001', score: 4 } as SourceEvent);

  it('switches at local midnight of the first (not UTC midnight), and attributes with that version', () => {
    const values = [survey('last-minute', month.startMs - 60_000), survey('first-minute', month.startMs), survey('utc-still-before', month.startMs + 60 * 60_000)];
    const out = prepareBatch(values, { ...ctx, rules: book });
    expect(new Date(month.startMs).getUTCDate()).not.toBe(1); // local midnight of the 1st is still the previous UTC day
    expect(out.versions).toEqual([DEFAULT_RULES.rulesVersion, 'strict', 'strict']);
    const satisfied = out.effects.map((e) => e.counters.some((c) => c.counter === 'surveys_satisfied'));
    expect(satisfied).toEqual([true, false, false]); // 4 >= 4 before, 4 < 5 from the first
  });
});

describe('prepareBatch: calls answered per queue and staff member (qs:<MONTH>)', () => {
  it('an answered call counts for its agent on its queue in the MONTH of occurredAt (zone of the rules); an abandoned one for nobody', () => {
    const answered = { ...EVENT_FIXTURES.CallAnswered, eventId: 'ans', staffId: 'S7', queue: '95598-billing' };
    const abandoned = { ...EVENT_FIXTURES.CallAbandoned, eventId: 'abn' };
    const out = prepareBatch([codecs.encode('callcenter', answered), codecs.encode('callcenter', abandoned)], ctx);
    const ym = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).format(answered.occurredAt);
    expect(out.effects.map((e) => [e.eventId, e.queueStaff])).toEqual([
      ['ans', [{ month: `MONTH:${ym}`, queue: '95598-billing', staffId: 'S7' }]],
      ['abn', undefined],
    ]);
  });
});

describe('prepareBatch: the static appraisal events (docs/static-appraisal.md)', () => {
  const DAY = 86_400_000;
  const wctx = { ...ctx, topicKey: 'workforce' as const };
  const { SkillAssessed: skill, QualificationGranted: grant } = EVENT_FIXTURES;

  it('keeps each as a record in st:<staffId> (no TTL, field = eventId), indexes the member and re-scores the periods of its instant and of occurredAt', () => {
    const values = [codecs.encode('workforce', skill), codecs.encode('workforce', grant)];
    const prepared = prepareBatch(values, wctx);
    expect(prepared.rejected).toEqual([]);
    const [a, g] = prepared.effects;
    expect(a!.counters).toEqual([]);
    expect(a!.records).toEqual([{ hash: 'st:S010', period: '', field: skill.eventId, value: JSON.stringify(['a', 'SAFETY', 64, skill.assessedAt, skill.assessmentId]), persistent: true }]);
    expect(a!.indexed).toEqual([{ set: 'sts', member: 'S010' }]);
    // assessedAt and occurredAt are the same local day (2026-10-12, 08:00 and 09:00 UTC): two pairs
    expect(a!.touched).toEqual(['DAY:2026-10-12|S010', 'MONTH:2026-10|S010']);
    expect(g!.records![0]!.value).toBe(JSON.stringify(['g', 'LV_ELECTRICIAN', grant.grantedAt, grant.expiresAt, grant.certificateId]));
    // granted on the 1st, reported on the 12th: both days, one month
    expect(g!.touched).toEqual(['DAY:2026-10-01|S010', 'MONTH:2026-10|S010', 'DAY:2026-10-12|S010']);
  });

  it('dead-letters an invalid one as CS_VALIDATION_STATIC_INVALID before anything is written', () => {
    const values = [codecs.encode('workforce', { ...grant, expiresAt: grant.grantedAt - DAY }), codecs.encode('workforce', { ...skill, score: 101 })];
    const prepared = prepareBatch(values, wctx);
    expect(prepared.effects).toEqual([]);
    expect(prepared.rejected.map((r) => [r.index, r.error.code])).toEqual([[0, 'CS_VALIDATION_STATIC_INVALID'], [1, 'CS_VALIDATION_STATIC_INVALID']]);
  });
});
