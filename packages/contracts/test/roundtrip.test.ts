import { describe, expect, it } from 'vitest';
import { createCodecs, KIND_TOPIC, EVENT_KINDS, TOPICS, TOPIC_KEYS, validateEvent, messageKey, type TopicKey } from '../src/index.ts';
import { CORRECTION, DEAD_LETTER, ELIGIBILITY, EVENT_FIXTURES, TEAM_SCORECARD, NOW, SCORECARD, STAFF_PROFILE } from './fixtures.ts';

const codecs = createCodecs();
const fixtures = EVENT_FIXTURES as Record<string, object>;
const RECORD_FIXTURES: Partial<Record<TopicKey, object>> = { roster: STAFF_PROFILE, appraisal: SCORECARD, eligibility: ELIGIBILITY, dlq: DEAD_LETTER, corrections: CORRECTION, teamScorecard: TEAM_SCORECARD };

describe('every kind in the schemas round-trips', () => {
  const cases = TOPIC_KEYS.flatMap((topic) => codecs.kinds(topic).map((kind) => [topic, kind] as const));

  it('finds the 23 source kinds of events.md and the 3 of docs/static-appraisal.md in the schemas', () => {
    expect(cases.map(([, k]) => k).sort()).toEqual([...EVENT_KINDS].sort());
    expect(cases).toHaveLength(26);
  });

  it.each(cases)('%s %s has a valid fixture that round-trips unchanged', (topic, kind) => {
    const fx = fixtures[kind];
    expect(fx, `no fixture for ${kind}: add one to test/fixtures.ts`).toBeDefined();
    expect(KIND_TOPIC[kind as keyof typeof KIND_TOPIC]).toBe(topic);
    const bytes = codecs.encode(topic, fx!);
    expect(bytes[0]).toBe(0);
    expect(bytes.readUInt32BE(1)).toBe(codecs.schemaId(topic));
    const r = codecs.decodeAndValidate(topic as 'callcenter', bytes, { now: NOW });
    expect(r).toEqual({ ok: true, event: fx, schemaId: codecs.schemaId(topic) });
    if (r.ok) {
      expect(Object.getPrototypeOf(r.event)).toBe(Object.prototype);
      expect(Object.keys(r.event)[0]).toBe('kind');
      expect(validateEvent(r.event, { now: NOW })).toBeNull();
    }
  });

  it.each(TOPIC_KEYS.filter((t) => codecs.kinds(t).length === 0))('record topic %s round-trips its fixture', (topic) => {
    const fx = RECORD_FIXTURES[topic];
    expect(fx, `no fixture for topic ${topic}`).toBeDefined();
    const r = codecs.decode(topic, codecs.encode(topic, fx!));
    expect(r).toEqual({ ok: true, event: fx, schemaId: codecs.schemaId(topic) });
    if (r.ok) expect(JSON.parse(JSON.stringify(r.event))).toEqual(JSON.parse(JSON.stringify(fx)));
  });

  it('roster values validate and carry no kind', () => {
    const r = codecs.decodeAndValidate('roster', codecs.encode('roster', STAFF_PROFILE), { now: NOW });
    expect(r.ok && r.event).toEqual(STAFF_PROFILE);
  });

  it('a missing optional field takes its Avro default (dueAt null)', () => {
    const { dueAt: _omit, ...noDue } = EVENT_FIXTURES.WorkOrderAccepted;
    const r = codecs.decode('billing', codecs.encode('billing', noDue));
    expect(r.ok && r.event).toEqual({ ...noDue, dueAt: null });
  });
});

describe('topics and keys', () => {
  it('KIND_TOPIC maps every kind (and StaffProfile) to its topic', () => {
    expect(Object.keys(KIND_TOPIC).sort()).toEqual([...EVENT_KINDS, 'StaffProfile'].sort());
    expect(KIND_TOPIC.StaffProfile).toBe('roster');
    expect(KIND_TOPIC.PaymentReceived).toBe('billing');
    expect(TOPICS.outageRepair).toBe('cs.outage-repair.v1');
  });

  it('keys by staffId for single-staff kinds, else by ticket / call', () => {
    expect(messageKey(EVENT_FIXTURES.CallAnswered)).toBe('S001');
    expect(messageKey(EVENT_FIXTURES.CallAbandoned)).toBe('C1002');
    expect(messageKey(EVENT_FIXTURES.RepairArrived)).toBe('R-1');
    expect(messageKey(STAFF_PROFILE)).toBe('S001');
  });

  it('encode rejects a kind the topic does not carry and a value the schema rejects', () => {
    expect(() => codecs.encode('callcenter', EVENT_FIXTURES.BillIssued)).toThrow(expect.objectContaining({ code: 'CS_UNKNOWN_KIND_WRONG_TOPIC', errorClass: 'UNKNOWN_KIND' }));
    expect(() => codecs.encode('billing', { ...EVENT_FIXTURES.BillIssued, amountDueCents: 1.5 })).toThrow(
      expect.objectContaining({ code: 'CS_VALIDATION_SCHEMA_MISMATCH', issues: [expect.objectContaining({ path: 'amountDueCents' })] }),
    );
  });

  it('bytes of another topic decode as UNKNOWN_KIND on the wrong topic', () => {
    const r = codecs.decode('callcenter', codecs.encode('billing', EVENT_FIXTURES.BillIssued));
    expect(!r.ok && r.error.code).toBe('CS_UNKNOWN_KIND_WRONG_TOPIC');
  });
});
