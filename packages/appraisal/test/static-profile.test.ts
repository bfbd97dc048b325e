// The definitions of docs/static-appraisal.md, each on a hand-computed case (the arithmetic is in
// the comments). Instants are offsets from the card's period end (asOf), in days and hours.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RULES as R,
  STATIC_DEFAULTS,
  canonicalJson,
  combinedRecommendations,
  mergeRules,
  recordsToPrune,
  staticProfileOf,
  staticRecordOf,
  staticRecommendations,
  staticRules,
  validateRules,
  eligibility,
  scorePopulation,
  type Counters,
  type RosterEntry,
  type Scorecard,
  type Skill,
  type StaticRecord,
} from '../src/index.ts';
import { FEB_LEAP, OCT } from './fixture-periods.ts';

const DAY = 86_400_000;
const END = OCT.endMs; // 2026-11-01 00:00 +08:00
/** The instant `days` days (and `ms` milliseconds) after OCT's end; negative = before. */
const at = (days: number, ms = 0) => END + days * DAY + ms;

const assessed = (skill: Skill, score: number, t: number, assessmentId = `a-${skill}-${t}`): StaticRecord => ({ kind: 'assessment', skill, score, at: t, assessmentId });
const granted = (qualificationId: string, t: number, expiresAt: number | null, certificateId = `c-${qualificationId}-${t}`): StaticRecord => ({ kind: 'grant', qualificationId, at: t, expiresAt, certificateId });
const revoked = (qualificationId: string, t: number): StaticRecord => ({ kind: 'revocation', qualificationId, at: t });

describe('the worked example of the docs (M07, METER_READER, MONTH 2026-10)', () => {
  const sh = (d: string) => Date.parse(`${d}T00:00:00+08:00`);
  const records: StaticRecord[] = [
    assessed('SAFETY', 82, sh('2026-03-10'), 'a1'),
    assessed('SAFETY', 64, sh('2026-10-12'), 'a2'),
    assessed('BUSINESS_KNOWLEDGE', 75, sh('2026-09-20'), 'a3'),
    assessed('COMMUNICATION', 68, sh('2026-11-03'), 'a4'),
    granted('LV_ELECTRICIAN', sh('2020-12-15'), sh('2026-12-15'), 'c1'),
    granted('METER_BILLING', sh('2024-05-01'), null, 'c2'),
    revoked('METER_BILLING', sh('2026-10-20')),
    granted('FIRST_AID', sh('2024-06-30'), sh('2027-06-30'), 'c3'),
  ];
  const p = staticProfileOf(records, 'METER_READER', OCT.endMs, R);

  it('asOf is the period end, 2026-11-01 00:00 +08:00', () => {
    expect(p.asOf).toBe(sh('2026-11-01'));
  });

  it('skills: SAFETY the later of 82 and 64 -> 64; BUSINESS_KNOWLEDGE 75; COMMUNICATION (after asOf) absent', () => {
    expect(p.skills).toEqual([
      { skill: 'BUSINESS_KNOWLEDGE', score: 75, assessedAt: sh('2026-09-20') },
      { skill: 'SAFETY', score: 64, assessedAt: sh('2026-10-12') },
    ]);
  });

  it('held: FIRST_AID and LV_ELECTRICIAN; METER_BILLING revoked', () => {
    expect(p.qualifications).toEqual([
      { qualificationId: 'FIRST_AID', grantedAt: sh('2024-06-30'), expiresAt: sh('2027-06-30'), certificateId: 'c3' },
      { qualificationId: 'LV_ELECTRICIAN', grantedAt: sh('2020-12-15'), expiresAt: sh('2026-12-15'), certificateId: 'c1' },
    ]);
  });

  it('missing METER_BILLING; LV_ELECTRICIAN expiring in 30 + 14 = 44 days; SAFETY below 70', () => {
    expect(p.missing).toEqual(['METER_BILLING']);
    expect(p.expiring).toEqual([{ qualificationId: 'LV_ELECTRICIAN', expiresAt: sh('2026-12-15'), daysLeft: 44 }]);
    expect(p.belowScore).toEqual(['SAFETY']);
  });

  it('recommendations: dynamic BUSINESS_KNOWLEDGE (accuracy 65) with static SAFETY and BUSINESS_KNOWLEDGE -> [BUSINESS_KNOWLEDGE, SAFETY]', () => {
    const fromStatic = staticRecommendations(p, {}, R);
    expect(fromStatic).toEqual(['BUSINESS_KNOWLEDGE', 'SAFETY']);
    expect(combinedRecommendations(['BUSINESS_KNOWLEDGE'], fromStatic)).toEqual(['BUSINESS_KNOWLEDGE', 'SAFETY']);
  });

  it('a SAFETY course passed in the period exempts the low assessment, not the expiring certificate', () => {
    expect(staticRecommendations(p, { trained_ok_SAFETY: 1 }, R)).toEqual(['BUSINESS_KNOWLEDGE', 'SAFETY']);
    const noCertificateGap = staticProfileOf([assessed('SAFETY', 64, at(-10))], 'HOTLINE_AGENT', END, R);
    // HOTLINE_AGENT requires CUSTOMER_SERVICE (-> SERVICE_ETIQUETTE), missing; SAFETY 64 exempted by the course
    expect(staticRecommendations(noCertificateGap, { trained_ok_SAFETY: 1 }, R)).toEqual(['SERVICE_ETIQUETTE']);
    expect(staticRecommendations(noCertificateGap, {}, R)).toEqual(['SAFETY', 'SERVICE_ETIQUETTE']);
  });

  it('no static events: every required qualification is missing', () => {
    const empty = staticProfileOf([], 'METER_READER', END, R);
    expect(empty).toEqual({ asOf: END, skills: [], qualifications: [], missing: ['LV_ELECTRICIAN', 'METER_BILLING'], expiring: [], belowScore: [] });
    expect(staticRecommendations(empty, {}, R)).toEqual(['BUSINESS_KNOWLEDGE', 'SAFETY']);
  });
});

describe('expiry boundaries', () => {
  const profile = (expiresAt: number | null) => staticProfileOf([granted('CUSTOMER_SERVICE', at(-400), expiresAt)], 'HOTLINE_AGENT', END, R);

  it('a certificate expiring exactly at asOf is no longer held (missing); 1 ms later it is held and expiring, 0 days left', () => {
    expect(profile(at(0)).missing).toEqual(['CUSTOMER_SERVICE']);
    expect(profile(at(0)).qualifications).toEqual([]);
    const p = profile(at(0, 1));
    expect(p.missing).toEqual([]);
    expect(p.expiring).toEqual([{ qualificationId: 'CUSTOMER_SERVICE', expiresAt: at(0, 1), daysLeft: 0 }]);
  });

  it('the window is inclusive: exactly 60 days is expiring, 60 days + 1 ms is not', () => {
    expect(profile(at(60)).expiring).toEqual([{ qualificationId: 'CUSTOMER_SERVICE', expiresAt: at(60), daysLeft: 60 }]);
    expect(profile(at(60, 1)).expiring).toEqual([]);
    expect(profile(at(60, 1)).missing).toEqual([]);
  });

  it('a certificate that does not expire is never expiring', () => {
    expect(profile(null).expiring).toEqual([]);
  });

  it('expiringWithinDays from a rules version: 30 days -> 44 days left is no longer expiring', () => {
    const rules = mergeRules(R, { static: { expiringWithinDays: 30 } });
    const p = staticProfileOf([granted('CUSTOMER_SERVICE', at(-400), at(44))], 'HOTLINE_AGENT', END, rules);
    expect(p.expiring).toEqual([]);
    expect(staticProfileOf([granted('CUSTOMER_SERVICE', at(-400), at(30))], 'HOTLINE_AGENT', END, rules).expiring).toHaveLength(1);
  });

  it('an expiring qualification not required for the role is held but not listed as expiring', () => {
    const p = staticProfileOf([granted('FIRST_AID', at(-10), at(5))], 'HOTLINE_AGENT', END, R);
    expect(p.qualifications.map((q) => q.qualificationId)).toEqual(['FIRST_AID']);
    expect(p.expiring).toEqual([]);
    expect(p.missing).toEqual(['CUSTOMER_SERVICE']);
  });
});

describe('revocations and re-grants', () => {
  it('revoked before asOf: not held; granted again after the revocation: held with the new certificate', () => {
    const revokedOnly = [granted('METER_BILLING', at(-300), null, 'c1'), revoked('METER_BILLING', at(-20))];
    expect(staticProfileOf(revokedOnly, 'BILLING_CLERK', END, R).missing).toEqual(['METER_BILLING']);
    const regranted = [...revokedOnly, granted('METER_BILLING', at(-5), at(700), 'c2')];
    const p = staticProfileOf(regranted, 'BILLING_CLERK', END, R);
    expect(p.missing).toEqual([]);
    expect(p.qualifications).toEqual([{ qualificationId: 'METER_BILLING', grantedAt: at(-5), expiresAt: at(700), certificateId: 'c2' }]);
  });

  it('a revocation after asOf does not touch this period; a revocation at the same instant as the grant wins', () => {
    const later = [granted('METER_BILLING', at(-300), null), revoked('METER_BILLING', at(3))];
    expect(staticProfileOf(later, 'BILLING_CLERK', END, R).missing).toEqual([]);
    const sameInstant = [granted('METER_BILLING', at(-3), null), revoked('METER_BILLING', at(-3))];
    expect(staticProfileOf(sameInstant, 'BILLING_CLERK', END, R).missing).toEqual(['METER_BILLING']);
  });
});

describe('as of the period end', () => {
  it('events after the end never change the closed period; the next period sees them', () => {
    const before: StaticRecord[] = [assessed('COMMUNICATION', 80, at(-2)), granted('CUSTOMER_SERVICE', at(-100), null)];
    const after: StaticRecord[] = [...before, assessed('COMMUNICATION', 50, at(0)), revoked('CUSTOMER_SERVICE', at(1))];
    const closed = staticProfileOf(before, 'HALL_CLERK', END, R);
    expect(staticProfileOf(after, 'HALL_CLERK', END, R)).toEqual(closed);
    // an assessment exactly at the end belongs to the next period (the end is exclusive)
    const next = staticProfileOf(after, 'HALL_CLERK', at(30), R);
    expect(next.skills).toEqual([{ skill: 'COMMUNICATION', score: 50, assessedAt: at(0) }]);
    expect(next.belowScore).toEqual(['COMMUNICATION']);
    expect(next.missing).toEqual(['CUSTOMER_SERVICE']);
  });

  it('a leap-year February ends on 1 March: an assessment on 29 February counts, one on 1 March does not', () => {
    const feb29 = FEB_LEAP.endMs - DAY; // 2028-02-29 00:00 +08:00
    const recs = [assessed('TECHNICAL', 60, feb29), assessed('TECHNICAL', 90, FEB_LEAP.endMs)];
    const p = staticProfileOf(recs, 'REPAIR_CREW', FEB_LEAP.endMs, R);
    expect(p.skills).toEqual([{ skill: 'TECHNICAL', score: 60, assessedAt: feb29 }]);
    expect(p.missing).toEqual(['FIRST_AID', 'HV_ELECTRICIAN', 'LV_ELECTRICIAN']);
  });

  it('two assessments at the same instant: the greater assessmentId decides', () => {
    const p = staticProfileOf([assessed('SAFETY', 90, at(-1), 'b'), assessed('SAFETY', 40, at(-1), 'a')], 'HALL_CLERK', END, R);
    expect(p.skills).toEqual([{ skill: 'SAFETY', score: 90, assessedAt: at(-1) }]);
  });
});

describe('skill threshold', () => {
  it('exactly 70 is not below; 69.9 is', () => {
    const p = staticProfileOf([assessed('COMMUNICATION', 70, at(-1)), assessed('TECHNICAL', 69.9, at(-1))], 'HALL_CLERK', END, R);
    expect(p.belowScore).toEqual(['TECHNICAL']);
    // TECHNICAL (69.9) + CUSTOMER_SERVICE missing -> SERVICE_ETIQUETTE
    expect(staticRecommendations(p, {}, R)).toEqual(['SERVICE_ETIQUETTE', 'TECHNICAL']);
  });

  it('a qualification the catalogue does not know is held and recommends nothing', () => {
    const rules = mergeRules(R, { static: { requiredByRole: { HALL_CLERK: ['CUSTOMER_SERVICE'] }, qualifications: { CUSTOMER_SERVICE: { skill: 'COMMUNICATION' } } } });
    const p = staticProfileOf([granted('FORKLIFT', at(-10), null)], 'HALL_CLERK', END, rules);
    expect(p.qualifications.map((q) => q.qualificationId)).toEqual(['FORKLIFT']);
    // the rules version's own catalogue: CUSTOMER_SERVICE -> COMMUNICATION
    expect(staticRecommendations(p, {}, rules)).toEqual(['COMMUNICATION']);
  });
});

describe('combining with the dynamic recommendations', () => {
  it('union, each once, alphabetically; no static skills leaves the dynamic list as it was', () => {
    expect(combinedRecommendations(['PROCESS_EFFICIENCY', 'COMMUNICATION'], [])).toEqual(['PROCESS_EFFICIENCY', 'COMMUNICATION']);
    expect(combinedRecommendations(['COMMUNICATION', 'PROCESS_EFFICIENCY'], ['SAFETY', 'COMMUNICATION'])).toEqual(['COMMUNICATION', 'PROCESS_EFFICIENCY', 'SAFETY']);
  });
});

describe('rules.static is optional', () => {
  it('the defaults rules have no static section (their hash is unchanged); the code applies STATIC_DEFAULTS', () => {
    expect('static' in R).toBe(false);
    expect(canonicalJson(R)).not.toContain('"static"');
    expect(staticRules(R)).toBe(STATIC_DEFAULTS);
  });

  it('a partial section keeps the other defaults and gets its own rules version', () => {
    const rules = mergeRules(R, { static: { skillBelowScore: 75 } });
    expect(rules.rulesVersion).not.toBe(R.rulesVersion);
    expect(staticRules(rules)).toEqual({ ...STATIC_DEFAULTS, skillBelowScore: 75 });
  });

  it('refuses a required qualification outside the catalogue, and unknown settings', () => {
    expect(() => validateRules({ ...R, static: { requiredByRole: { HALL_CLERK: ['NOPE'] } } })).toThrow(/static\.requiredByRole\.HALL_CLERK: NOPE is not in static\.qualifications/);
    expect(() => validateRules({ ...R, static: { expiringDays: 3 } })).toThrow(/static\.expiringDays: unknown setting/);
    expect(() => validateRules({ ...R, static: { skillBelowScore: 101 } })).toThrow(/static\.skillBelowScore/);
  });
});

describe('pruning beyond the cap', () => {
  it('drops the oldest superseded records only, never the latest of a skill or qualification', () => {
    const recs: StaticRecord[] = [
      assessed('SAFETY', 50, at(-30)), // superseded, oldest
      assessed('SAFETY', 60, at(-20)), // superseded
      assessed('SAFETY', 70, at(-10)), // latest SAFETY
      granted('FIRST_AID', at(-25), null), // superseded by the revocation
      revoked('FIRST_AID', at(-5)), // latest FIRST_AID
      assessed('TECHNICAL', 80, at(-40)), // latest TECHNICAL (the oldest record, kept)
    ];
    expect(recordsToPrune(recs, 6)).toEqual([]);
    expect(recordsToPrune(recs, 4)).toEqual([recs[0], recs[3]]);
    // at most the three superseded ones go, even under a cap of 1
    expect(recordsToPrune(recs, 1)).toEqual([recs[0], recs[3], recs[1]]);
  });
});

describe('the record a static event keeps', () => {
  it('is placed at its own instant, not at occurredAt; other kinds keep none', () => {
    const base = { eventId: 'e1', occurredAt: at(0), staffId: 'S1' };
    expect(staticRecordOf({ ...base, kind: 'SkillAssessed', skill: 'SAFETY', score: 64, assessedAt: at(-2), assessmentId: 'a2' })).toEqual(assessed('SAFETY', 64, at(-2), 'a2'));
    expect(staticRecordOf({ ...base, kind: 'QualificationGranted', qualificationId: 'FIRST_AID', grantedAt: at(-900), expiresAt: null, certificateId: 'c3' })).toEqual(granted('FIRST_AID', at(-900), null, 'c3'));
    expect(staticRecordOf({ ...base, kind: 'QualificationRevoked', qualificationId: 'FIRST_AID', revokedAt: at(-1) })).toEqual(revoked('FIRST_AID', at(-1)));
    expect(staticRecordOf({ ...base, kind: 'SupervisorRated', raterId: 'M1', score: 80 })).toBeNull();
  });
});

describe('on the card and in the recommendations (scorePopulation, eligibility)', () => {
  // S1 a meter reader whose accuracy is low (dynamic BUSINESS_KNOWLEDGE): 100 readings, 5 corrected
  // -> meter_reading_accuracy 0.95 < floor 0.98 -> score 0 -> accuracy 0 < 70.
  const roster: RosterEntry[] = [
    { staffId: 'S1', teamId: 'T1', role: 'METER_READER', active: true },
    { staffId: 'S2', teamId: 'T1', role: 'METER_READER', active: true },
  ];
  const counters = new Map<string, Counters>([
    ['S1', { meter_readings: 100, reading_errors: 5, readings_due: 100, readings_due_on_time: 100, shifts: 20, scheduled_minutes: 9600, attended_minutes: 9600 }],
    ['S2', { meter_readings: 100, readings_due: 100, readings_due_on_time: 100, shifts: 20, scheduled_minutes: 9600, attended_minutes: 9600 }],
  ]);
  const records = new Map<string, StaticRecord[]>([['S1', [assessed('SAFETY', 64, at(-20)), granted('LV_ELECTRICIAN', at(-2000), at(44)), granted('METER_BILLING', at(-900), null)]]]);
  const byStaff = (cards: Scorecard[]) => ['S1', 'S2'].map((id) => cards.find((c) => c.staffId === id)!);
  const plain = byStaff(scorePopulation(counters, roster, R, OCT, 'FINAL', { computedAt: 1 }));
  const withStatic = byStaff(scorePopulation(counters, roster, R, OCT, 'FINAL', { computedAt: 1, staticState: records }));

  it('every card gets its profile as of the period end; grades, composites and ranks are unchanged', () => {
    const [s1, s2] = withStatic;
    expect(s1!.staticProfile).toMatchObject({ asOf: END, missing: [], expiring: [{ qualificationId: 'LV_ELECTRICIAN', daysLeft: 44 }], belowScore: ['SAFETY'] });
    expect(s2!.staticProfile).toEqual({ asOf: END, skills: [], qualifications: [], missing: ['LV_ELECTRICIAN', 'METER_BILLING'], expiring: [], belowScore: [] });
    expect(withStatic.map((c) => [c.grade, c.composite, c.teamRank])).toEqual(plain.map((c) => [c.grade, c.composite, c.teamRank]));
  });

  it('the id of a member without records stays as it was; one with records hashes the profile', () => {
    expect(withStatic[1]!.appraisalId).toBe(plain[1]!.appraisalId);
    expect(withStatic[0]!.appraisalId).not.toBe(plain[0]!.appraisalId);
  });

  it('recommendations: S1 dynamic accuracy -> BUSINESS_KNOWLEDGE, static SAFETY (64, and LV_ELECTRICIAN expiring); S2 the missing certificates -> BUSINESS_KNOWLEDGE, SAFETY', () => {
    expect(withStatic[0]!.dimensions.accuracy).toBeLessThan(70);
    const dyn = eligibility(plain, counters, undefined, R).sort((a, b) => (a.staffId < b.staffId ? -1 : 1));
    const both = eligibility(withStatic, counters, undefined, R).sort((a, b) => (a.staffId < b.staffId ? -1 : 1));
    // dynamic: S1 accuracy 0 -> BUSINESS_KNOWLEDGE (every other dimension >= 70 or not applicable); S2 none
    expect(dyn.map((e) => [e.staffId, e.trainingRecommendations])).toEqual([['S1', ['BUSINESS_KNOWLEDGE']], ['S2', []]]);
    expect(both.map((e) => [e.staffId, e.trainingRecommendations])).toEqual([['S1', ['BUSINESS_KNOWLEDGE', 'SAFETY']], ['S2', ['BUSINESS_KNOWLEDGE', 'SAFETY']]]);
    expect(both.map((e) => [e.grade, e.bonusCoefficient, e.eligible])).toEqual(dyn.map((e) => [e.grade, e.bonusCoefficient, e.eligible]));
  });
});
