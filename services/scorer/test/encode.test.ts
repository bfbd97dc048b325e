import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, eligibility, mergeRules, parsePeriodId, scorePopulation, type CorrectionNote, type RosterEntry } from '@cs/appraisal';
import { createCodecs, SchemaRegistryClient } from '@cs/contracts';
import { DEFAULT_RULES as RULES, ROLES, type Role } from '@cs/appraisal';
import { OutboxBlockWriter, outputEncoder } from '../src/encode.ts';
import { compressBlock, decompressBlock, outboxRecords, packBlock, packMessage, unpackBlock } from '../src/outbox-format.ts';
import { Rng, monthCounters } from '@cs/appraisal/testing';

const codecs = createCodecs();
const rules = mergeRules(DEFAULT_RULES, { incentives: { bonusCoefficients: { INSUFFICIENT_DATA: 0 } } });
const roster: RosterEntry[] = ['S1', 'S2', 'S3', 'S4'].map((staffId) => ({ staffId, teamId: 'T1', role: 'HOTLINE_AGENT', active: true }));
const counters = {
  S1: { contacts_handled: 400, handle_seconds: 400 * 350, contacts_resolved: 330, surveys: 40, surveys_satisfied: 37, quality_inspections: 4, quality_score_sum: 360, shifts: 22, scheduled_minutes: 10560, attended_minutes: 10400, late_shifts: 1 },
  S2: { contacts_handled: 20, handle_seconds: 20 * 500, contacts_resolved: 12, surveys: 6, surveys_satisfied: 5, complaints_serious_substantiated: 1 },
  S3: { contacts_handled: 300, handle_seconds: 300 * 420, contacts_resolved: 210, training_completed: 1, training_gain_sum: 12 },
};

describe('outputEncoder', () => {
  it('gives the bytes of Codecs.encode for scorecards and eligibility', () => {
    const cards = scorePopulation(counters, roster, rules, parsePeriodId('MONTH:2026-09', 'Asia/Shanghai'), 'FINAL', { computedAt: 1 });
    const elig = eligibility(cards, counters, undefined, rules);
    const card = outputEncoder(codecs, 'appraisal');
    const el = outputEncoder(codecs, 'eligibility');
    for (const c of cards) expect(card(c).equals(codecs.encode('appraisal', c))).toBe(true);
    for (const e of elig) expect(el(e).equals(codecs.encode('eligibility', e))).toBe(true);
  });

  it('refuses a topic whose schema a registry has not given an id, instead of framing its records with id 0', () => {
    const unregistered = createCodecs({ registry: new SchemaRegistryClient('http://127.0.0.1:9') });
    const [card] = scorePopulation(counters, roster, rules, parsePeriodId('MONTH:2026-09', 'Asia/Shanghai'), 'FINAL', { computedAt: 1 });
    expect(() => outputEncoder(unregistered, 'appraisal')(card!)).toThrow(/appraisal: its schema is not registered yet/);
    expect(() => new OutboxBlockWriter(unregistered, 1024).add('appraisal', 'S1|MONTH:2026-09', card!)).toThrow(/appraisal: its schema is not registered yet/);
  });

  it('throws the contract error for an invalid value', () => {
    const el = outputEncoder(codecs, 'eligibility');
    expect(() => el({ nope: 1 })).toThrow(/eligib|valid/i);
  });
});

describe('Avro into reused buffers', () => {
  // A synthetic population (every KPI covered, nulls, teams of mixed roles, eligibility with awards and vetoes).
  const d = new Rng(20261127);
  const bigRoster: RosterEntry[] = [];
  const bigCounters = new Map<string, Record<string, number>>();
  for (let i = 0; i < 3000; i++) {
    const role = ROLES[(Math.floor(i / 30) + (i % 30 < 26 ? 0 : 1)) % ROLES.length] as Role;
    bigRoster.push({ staffId: `S${String(i).padStart(6, '0')}`, teamId: `T${Math.floor(i / 30)}`, role, active: d.next() > 0.01 });
    if (d.next() > 0.02) bigCounters.set(`S${String(i).padStart(6, '0')}`, monthCounters(d, role));
  }
  const previousFinals = new Map(bigRoster.filter((_, i) => i % 3 === 0).map((r) => [r.staffId, { composite: 70, grade: 'C' as const, status: 'FINAL' as const }]));
  const periods = [parsePeriodId('MONTH:2026-09', 'Asia/Shanghai'), parsePeriodId('DAY:2026-09-14', 'Asia/Shanghai')];
  // Every 97th member has correction notes (appraisal v3 reasons): an adjustment and a ruling.
  const corrections = new Map<string, CorrectionNote[]>(
    bigRoster.filter((_, i) => i % 97 === 0).map((r, k) => [r.staffId, [
      { correctionId: `COR-${k}`, kind: 'ADJUSTMENT', staffId: r.staffId, periodId: 'MONTH:2026-09', reason: 'réexamen, agreed', requestedBy: 'SUP', approvedBy: 'MGR', at: 1_789_000_000_000 + k, detail: 'conduct +5', adjustment: { target: 'DIMENSION', id: 'conduct', mode: 'DELTA', amount: 5 } },
      { correctionId: `RUL-${k}`, kind: 'COMPLAINT_RULING', staffId: r.staffId, periodId: 'MONTH:2026-09', reason: 'upheld', requestedBy: 'QA', approvedBy: 'MGR', at: 1_789_000_000_001 + k, detail: 'complaint UPHELD' },
    ]]),
  );

  it('gives the bytes of Codecs.encode for thousands of scorecards and eligibility records, which decode back to them', () => {
    const card = outputEncoder(codecs, 'appraisal');
    const elig = outputEncoder(codecs, 'eligibility');
    let n = 0;
    for (const period of periods) {
      for (const status of ['FINAL', 'REVISED', 'PROVISIONAL'] as const) {
        const cards = scorePopulation(bigCounters, bigRoster, RULES, period, status, { computedAt: 1_790_000_000_000 + n, previousFinals, corrections });
        for (const c of cards) {
          const bytes = card(c);
          expect(bytes.equals(codecs.encode('appraisal', c))).toBe(true);
          // a card without corrections has no reasons key (a DAY card no trend): Avro writes the defaults, which decode back
          if (n++ % 500 === 0 || c.reasons) expect(codecs.decode('appraisal', bytes)).toEqual({ ok: true, event: { reasons: [], trend: null, staticProfile: null, ...c }, schemaId: codecs.schemaId('appraisal') });
        }
        if (period.kind !== 'MONTH' || status === 'PROVISIONAL') continue;
        for (const e of eligibility(cards, bigCounters, previousFinals, RULES)) expect(elig(e).equals(codecs.encode('eligibility', e))).toBe(true);
      }
    }
    expect(n).toBeGreaterThan(15_000);
  });

  it('grows its buffer for long values and throws the contract error for invalid ones', () => {
    const c = scorePopulation(bigCounters, bigRoster, RULES, periods[0]!, 'FINAL', { computedAt: 1 })[0]!;
    const enc = outputEncoder(codecs, 'appraisal');
    const odd = { ...c, teamId: 'Équipe-1', rulesVersion: 'ü'.repeat(70) };
    expect(enc(odd).equals(codecs.encode('appraisal', odd))).toBe(true);
    const long = { ...c, teamId: 'T'.repeat(100_000) };
    expect(enc(long).equals(codecs.encode('appraisal', long))).toBe(true);
    expect(enc(c).equals(codecs.encode('appraisal', c))).toBe(true);
    expect(() => enc({ ...c, revision: 1.5 })).toThrow(/valid/i);
    expect(() => enc({ ...c, grade: 'Z' })).toThrow(/valid/i);
  });

  it('OutboxBlockWriter: framed records that unpack to the bytes of packMessage(outputEncoder(...)), across growth', async () => {
    const cards = scorePopulation(bigCounters, bigRoster, RULES, periods[0]!, 'FINAL', { computedAt: 1 }).slice(0, 300);
    const elig = eligibility(cards, bigCounters, undefined, RULES);
    const card = outputEncoder(codecs, 'appraisal');
    const el = outputEncoder(codecs, 'eligibility');
    const w = new OutboxBlockWriter(codecs, 1000);
    const hash: Record<string, Buffer> = {};
    const want: Buffer[] = [];
    const views: Buffer[] = [];
    for (let chunk = 0; chunk < 3; chunk++) {
      for (const c of cards.slice(chunk * 100, chunk * 100 + 100)) {
        views.push(w.add('appraisal', c.staffId, c));
        want.push(packMessage({ t: 'a', k: c.staffId, v: card(c) }));
      }
      for (const e of elig.slice(chunk * 100, chunk * 100 + 100)) {
        views.push(w.add('eligibility', e.staffId, e));
        want.push(packMessage({ t: 'e', k: e.staffId, v: el(e) }));
      }
      hash[`b:${chunk}`] = w.take();
      expect(unpackBlock(hash[`b:${chunk}`]!)).toHaveLength(200);
    }
    const got = [0, 1, 2].flatMap((j) => unpackBlock(hash[`b:${j}`]!));
    expect(got).toHaveLength(want.length);
    got.forEach((m, i) => {
      expect(packMessage(m).equals(want[i]!)).toBe(true);
      expect(views[i]!.equals(m.v)).toBe(true);
    });
    expect(() => unpackBlock(hash['b:0']!.subarray(0, 50))).toThrow(/truncated/);
    // Stored compressed: the same records.
    const stored: Record<string, Buffer> = {};
    for (let j = 0; j < 3; j++) {
      stored[`b:${j}`] = await compressBlock(hash[`b:${j}`]!);
      expect(stored[`b:${j}`]!.length).toBeLessThan(hash[`b:${j}`]!.length / 3);
      expect((await decompressBlock(stored[`b:${j}`]!)).equals(hash[`b:${j}`]!)).toBe(true);
    }
    expect((await outboxRecords(stored)).map((m) => packMessage(m))).toEqual(want);
    // What the Publisher hands its sending thread: the same layout, in one buffer of its own.
    const packed = packBlock(got);
    expect(packed.equals(Buffer.concat([0, 1, 2].map((j) => hash[`b:${j}`]!)))).toBe(true);
    expect(() => w.add('eligibility', 'S1', { nope: 1 })).toThrow(/eligib|valid/i);
  });
});
