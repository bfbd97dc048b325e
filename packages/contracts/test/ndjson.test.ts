import { describe, expect, it } from 'vitest';
import { createCodecs, parseNdjson, toNdjson, KIND_TOPIC, type TopicKey } from '../src/index.ts';
import { DEAD_LETTER, ELIGIBILITY, EVENT_FIXTURES, NOW, SCORECARD, STAFF_PROFILE } from './fixtures.ts';

const codecs = createCodecs();

describe('NDJSON <-> events', () => {
  it('every fixture survives toNdjson -> parseNdjson -> encode -> decode', () => {
    const values = [...Object.values(EVENT_FIXTURES), STAFF_PROFILE];
    const text = values.map((v) => toNdjson('kind' in v ? KIND_TOPIC[v.kind] : 'roster', v)).join('\n');
    const r = parseNdjson(`${text}\n`, { now: NOW });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.records.map((x) => x.value)).toEqual(values);
    expect(r.records.map((x) => x.line)).toEqual(values.map((_, i) => i + 1));
    for (const rec of r.records) {
      const d = codecs.decodeAndValidate(rec.topic as 'roster', codecs.encode(rec.topic, rec.value), { now: NOW });
      expect(d.ok && d.event).toEqual(rec.value);
    }
  });

  it('renders times as ISO-8601 and the roster with kind StaffProfile', () => {
    expect(JSON.parse(toNdjson('callcenter', EVENT_FIXTURES.CallbackAssigned))).toMatchObject({ kind: 'CallbackAssigned', occurredAt: '2026-10-05T09:00:00.000Z', dueAt: '2026-10-06T18:00:00.000Z' });
    expect(JSON.parse(toNdjson('roster', STAFF_PROFILE))).toEqual({ kind: 'StaffProfile', ...STAFF_PROFILE, updatedAt: '2026-10-01T09:00:00.000Z' });
    expect(JSON.parse(toNdjson('appraisal', SCORECARD))).toEqual(SCORECARD);
    expect(JSON.parse(toNdjson('eligibility', ELIGIBILITY))).toEqual(ELIGIBILITY);
    expect(JSON.parse(toNdjson('dlq', DEAD_LETTER))).toMatchObject({ key: 'UzAwMQ==', at: '2026-10-05T09:00:00.000Z' });
  });

  it('accepts ISO times with offsets, epoch ms, optional topic (key or name) and omitted defaults', () => {
    const r = parseNdjson(
      [
        '{"kind":"WorkOrderAccepted","topic":"cs.billing.v1","eventId":"e1","occurredAt":"2026-10-05T08:00:00+08:00","orderId":"WO-9","staffId":"S1","type":"METER_TEST","customerClass":"RESIDENTIAL"}',
        '',
        '{"kind":"StaffProfile","topic":"roster","staffId":"S1","teamId":"T1","role":"REPAIR_CREW","active":false,"updatedAt":1791158400000}',
      ].join('\r\n'),
      { now: NOW },
    );
    expect(r).toEqual({
      ok: true,
      records: [
        { line: 1, topic: 'billing', value: { kind: 'WorkOrderAccepted', eventId: 'e1', occurredAt: Date.UTC(2026, 9, 5, 0), orderId: 'WO-9', staffId: 'S1', type: 'METER_TEST', customerClass: 'RESIDENTIAL', dueAt: null } },
        { line: 3, topic: 'roster', value: { staffId: 'S1', teamId: 'T1', role: 'REPAIR_CREW', active: false, updatedAt: 1791158400000, effectiveFrom: null } },
      ],
    });
  });

  it('honours configured topic names', () => {
    const line = toNdjson('workforce', EVENT_FIXTURES.ShiftAttended).replace('{', '{"topic":"prod.workforce",');
    expect(parseNdjson(line, { now: NOW, topicNames: { workforce: 'prod.workforce' } }).ok).toBe(true);
  });

  it('reports every bad line with its number and returns nothing', () => {
    const good = toNdjson('callcenter', EVENT_FIXTURES.CallAnswered);
    const lines = [
      good,
      '{not json',
      '[1,2]',
      '{"eventId":"x"}',
      '{"kind":"CallTeleported"}',
      good.replace('{', '{"topic":"cs.billing.v1",'),
      good.replace('"occurredAt":"2026-10-05T09:00:00.000Z"', '"occurredAt":"2026-10-05 09:00"'),
      good.replace('"occurredAt":"2026-10-05T09:00:00.000Z"', '"occurredAt":"2026-10-05T09:00:00"'),
      good.replace('"queue":"95598-general",', ''),
      good.replace('"queue":"95598-general"', '"queue":"q","agentName":"Wang"'),
      toNdjson('callcenter', { ...EVENT_FIXTURES.ContactCompleted, channel: 'FAX' } as never),
      toNdjson('callcenter', { ...EVENT_FIXTURES.SurveyAnswered, score: 4.5 }),
      toNdjson('outageRepair', { ...EVENT_FIXTURES.RepairArrived, crewStaffIds: [] }),
      good,
    ];
    const r = parseNdjson(lines.join('\n'), { now: NOW });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.line)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    const msg = (line: number) => r.errors.find((e) => e.line === line)!.message;
    expect(msg(2)).toMatch(/not valid JSON/);
    expect(msg(4)).toMatch(/"kind" is required/);
    expect(msg(5)).toMatch(/unknown kind "CallTeleported"/);
    expect(msg(6)).toMatch(/goes to cs\.callcenter\.v1/);
    expect(msg(7)).toMatch(/occurredAt: .*ISO-8601/);
    expect(msg(8)).toMatch(/occurredAt/);
    expect(msg(9)).toMatch(/queue/);
    expect(msg(10)).toMatch(/unknown field\(s\) "agentName"/);
    expect(msg(11)).toMatch(/channel/);
    expect(msg(12)).toMatch(/score/);
    expect(msg(13)).toMatch(/crewStaffIds: must name at least one crew member/);
  });

  it('routes every kind to its topic', () => {
    for (const [kind, topic] of Object.entries(KIND_TOPIC) as [string, TopicKey][]) {
      const v = kind === 'StaffProfile' ? STAFF_PROFILE : (EVENT_FIXTURES as Record<string, object>)[kind]!;
      const r = parseNdjson(toNdjson(topic, v), { now: NOW });
      expect(r.ok && r.records[0]!.topic).toBe(topic);
    }
  });
});
