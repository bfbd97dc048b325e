// Team cards as records: which a round publishes (status, revision, content changes), their
// framing in an outbox block beside staff cards, and the team gauges of the latest MONTH begun.
import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, parsePeriodId, teamCards, type Scorecard, type TeamCard } from '@cs/appraisal';
import { createCodecs } from '@cs/contracts';
import { OutboxBlockWriter } from '../src/encode.ts';
import { createScorerMetrics } from '../src/metrics.ts';
import { parsePublished, parsePublishedTeams } from '../src/model.ts';
import { unpackBlock } from '../src/outbox-format.ts';
import { teamContentHash, teamField, teamsToPublish, type TeamPublished } from '../src/team-records.ts';

const card = (staffId: string, teamId: string, composite: number, grade: Scorecard['grade']): Scorecard =>
  ({ staffId, teamId, role: 'HOTLINE_AGENT', composite, grade, kpis: { workload_units: { value: 10, numerator: null, denominator: null, score: null } } }) as unknown as Scorecard;
const OCT = parsePeriodId('MONTH:2000-10', 'Asia/Shanghai');
const REF = { kind: OCT.kind, start: OCT.start, end: OCT.end, timeZone: OCT.timeZone };
const AT = '2000-11-04T00:00:00.000Z';
// T1: 92, 85, 70 -> mean 82.3, rank 2; T2: 95, 90, 88 -> mean 91, rank 1.
const cards = [card('A1', 'T1', 92, 'A'), card('A2', 'T1', 85, 'B'), card('A3', 'T1', 70, 'C'), card('B1', 'T2', 95, 'A'), card('B2', 'T2', 90, 'B'), card('B3', 'T2', 88, 'B')];
const teams = (): TeamCard[] => teamCards(cards, {}, new Map(), DEFAULT_RULES);

describe('teamsToPublish', () => {
  it('PROVISIONAL: every team first, then only those whose content changed', () => {
    const first = teamsToPublish(teams(), REF, 'PROVISIONAL', '2026.1', AT, new Map());
    expect(first.map((t) => [t.teamId, t.record.status, t.record.revision, t.record.compositeMean, t.record.rank])).toEqual([['T1', 'PROVISIONAL', 0, 82.3, 2], ['T2', 'PROVISIONAL', 0, 91, 1]]);
    expect(first[0]!.record.kpis.map((k) => k.kpiId)).toEqual(['service_level', 'repair_commitment_rate', 'fee_collection_rate', 'meter_reading_rate', 'complaints_per_1000_contacts']);
    const published = new Map(first.map((t) => [t.teamId, t.published]));
    // Recomputed later with the same numbers: nothing (computedAt is no content).
    expect(teamsToPublish(teams(), REF, 'PROVISIONAL', '2026.1', '2000-11-05T00:00:00.000Z', published)).toEqual([]);
  });

  it('FINAL: every team at revision 0; REVISED: revision n + 1 of the teams whose content moved, FINAL 0 for a team without one', () => {
    const finals = teamsToPublish(teams(), REF, 'FINAL', '2026.1', AT, new Map());
    expect(finals.map((t) => [t.teamId, t.record.status, t.record.revision])).toEqual([['T1', 'FINAL', 0], ['T2', 'FINAL', 0]]);
    const published = new Map<string, TeamPublished>(finals.map((t) => [t.teamId, t.published]));
    // A correction lifts A3 from 70 to 100: T1's mean (92 + 85 + 100) / 3 = 92.3 > 91, so T1 ranks 1 and T2 2: both move.
    cards[2] = card('A3', 'T1', 100, 'A');
    cards.push(card('C1', 'T3', 60, 'C'));
    const revised = teamsToPublish(teams(), REF, 'REVISED', '2026.1', AT, published);
    expect(revised.map((t) => [t.teamId, t.record.status, t.record.revision, t.record.rank])).toEqual([['T1', 'REVISED', 1, 1], ['T2', 'REVISED', 1, 2], ['T3', 'FINAL', 0, null]]);
    for (const t of revised) expect(t.published).toEqual({ h: teamContentHash(t.record), status: t.record.status, revision: t.record.revision });
    cards.pop();
    cards[2] = card('A3', 'T1', 70, 'C');
  });
});

describe('team records in the outbox and the published hash', () => {
  it('frame as topic t with the key <teamId>|<periodId> beside staff cards, and keep out of the staff members\' published records', () => {
    const codecs = createCodecs();
    const [t1] = teamsToPublish(teams(), REF, 'FINAL', '2026.1', AT, new Map());
    const blocks = new OutboxBlockWriter(codecs, 1024);
    blocks.add('teamScorecard', `T1|${OCT.id}`, t1!.record);
    const [m] = unpackBlock(blocks.take());
    expect([m!.t, m!.k]).toEqual(['t', 'T1|MONTH:2000-10']);
    expect(codecs.decode('teamScorecard', Buffer.from(m!.v))).toEqual({ ok: true, event: t1!.record, schemaId: 20 });
    const hash = { S1: JSON.stringify({ h: 'x', status: 'FINAL', revision: 0, composite: 80, grade: 'B' }), [teamField('T1')]: JSON.stringify(t1!.published) };
    expect([...parsePublished(hash).keys()]).toEqual(['S1']);
    expect(Object.fromEntries(parsePublishedTeams(hash))).toEqual({ T1: t1!.published });
  });
});

describe('team gauges', () => {
  async function series(m: ReturnType<typeof createScorerMetrics>, name: string): Promise<Record<string, number>> {
    const metric = (await m.registry.getMetricsAsJSON()).find((x) => x.name === name)!;
    return Object.fromEntries(metric.values.map((v) => [Object.values(v.labels).join('|'), v.value]));
  }

  it('show the latest MONTH begun: a month ahead, or an earlier month re-scored, leaves them alone', async () => {
    const m = createScorerMetrics();
    // A1: 400 contacts, 1 substantiated complaint -> T1 1000 × 1 / 400 = 2.5 per 1000 contacts.
    const withKpi = teamCards(cards, { A1: { contacts_handled: 400, complaints_general_substantiated: 1 } }, new Map(), DEFAULT_RULES);
    m.observeTeams(OCT, withKpi, OCT.startMs);
    expect(await series(m, 'cs_team_score')).toEqual({ T1: 82.3, T2: 91 });
    expect(await series(m, 'cs_team_rank')).toEqual({ T1: 2, T2: 1 });
    // T2: 95, 90, 88 around 91 -> √((16 + 1 + 9) / 3) = √8.67 = 2.9
    expect(await series(m, 'cs_team_composite_spread')).toEqual({ T1: 9.2, T2: 2.9 });
    expect(await series(m, 'cs_team_workload_units_per_head')).toEqual({ T1: 10, T2: 10 });
    expect(await series(m, 'cs_team_kpi_value')).toEqual({ 'T1|complaints_per_1000_contacts': 2.5 });
    const nov = parsePeriodId('MONTH:2000-11', 'Asia/Shanghai');
    const sep = parsePeriodId('MONTH:2000-09', 'Asia/Shanghai');
    const other = teamCards([card('X1', 'T9', 50, 'D')], {}, new Map(), DEFAULT_RULES);
    m.observeTeams(nov, other, OCT.startMs + 86_400_000); // not begun
    m.observeTeams(sep, other, nov.startMs); // earlier
    expect(await series(m, 'cs_team_score')).toEqual({ T1: 82.3, T2: 91 });
    m.observeTeams(nov, other, nov.startMs); // begun: replaces October's series
    expect(await series(m, 'cs_team_score')).toEqual({ T9: 50 });
    expect(await series(m, 'cs_team_rank')).toEqual({});
  });
});
