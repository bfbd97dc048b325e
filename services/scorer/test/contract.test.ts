// What the engine produces must always fit the output contract: a MONTH FINAL with an ungraded
// member (no counters: INSUFFICIENT_DATA) once failed to encode and stalled every tick.
import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, REPORTED_MEASURE_IDS, SCORED_KPI_IDS, eligibility, parsePeriodId, scorePopulation, type RosterEntry } from '@cs/appraisal';
import { createCodecs } from '@cs/contracts';

describe('scorer output fits the Avro contract', () => {
  it('encodes scorecards and eligibility of graded and ungraded members with the default rules', () => {
    const roster: RosterEntry[] = [
      { staffId: 'S1', teamId: 'T1', role: 'HOTLINE_AGENT', active: true },
      { staffId: 'S2', teamId: 'T1', role: 'HOTLINE_AGENT', active: true },
      { staffId: 'NEW', teamId: 'T1', role: 'HOTLINE_AGENT', active: true },
    ];
    const counters = {
      S1: { contacts_handled: 40, handle_seconds: 12_000, contacts_resolved: 30, surveys: 10, surveys_satisfied: 9, shifts: 20, scheduled_minutes: 9600, attended_minutes: 9500 },
      S2: { contacts_handled: 30, handle_seconds: 15_000, contacts_resolved: 20, surveys: 10, surveys_satisfied: 7, shifts: 20, scheduled_minutes: 9600, attended_minutes: 9000 },
    };
    const period = parsePeriodId('MONTH:2026-10', 'Asia/Shanghai');
    const cards = scorePopulation(counters, roster, DEFAULT_RULES, period, 'FINAL', { computedAt: '2026-11-04T00:00:00Z' });
    const records = eligibility(cards, counters, undefined, DEFAULT_RULES);
    expect(cards.find((c) => c.staffId === 'NEW')?.grade).toBe('INSUFFICIENT_DATA');
    const codecs = createCodecs();
    for (const c of cards) expect(codecs.decode('appraisal', codecs.encode('appraisal', c)).ok).toBe(true);
    for (const e of records) expect(codecs.decode('eligibility', codecs.encode('eligibility', e)).ok).toBe(true);
    expect(records.find((e) => e.staffId === 'NEW')).toMatchObject({ eligible: false, bonusCoefficient: 1 });
  });

  it('the appraisal schema has a field for every KPI of the model and no other (avsc drops keys a record lacks)', () => {
    const kpis = createCodecs().type('appraisal').schema() as { fields: { name: string; type: { fields: { name: string }[] } }[] };
    const fields = kpis.fields.find((f) => f.name === 'kpis')!.type.fields.map((f) => f.name);
    expect(fields).toEqual([...SCORED_KPI_IDS, ...REPORTED_MEASURE_IDS]);
  });
});
