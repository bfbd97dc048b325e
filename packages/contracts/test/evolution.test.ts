import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import avsc from 'avsc';
import { afterAll, describe, expect, it } from 'vitest';
import { canRead, checkEvolution, checkVersionChain, createCodecs, DEFAULT_SCHEMAS_DIR, loadCatalogue, TOPIC_KEYS } from '../src/index.ts';
import { CORRECTION, DEAD_LETTER, EVENT_FIXTURES, KPI_IDS, SCORECARD, SCORECARD_NO_STATIC, SCORECARD_NO_TREND, SCORECARD_V1, SCORECARD_V2, SCORECARD_WITH_REASONS, SCORECARD_WITH_STATIC, SCORECARD_WITH_TREND } from './fixtures.ts';

const codecs = createCodecs();
const catalogue = loadCatalogue();
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
type Rec = { name: string; fields: { name: string; type: unknown; default?: unknown }[] };
const callcenter = () => clone(catalogue.subjects.callcenter.currentSchema) as Rec[];
const branch = (s: Rec[], name: string) => s.find((r) => r.name === name)!;
type Key = (typeof TOPIC_KEYS)[number];
/** The Avro type of `key`'s published version `i` (0-based). */
const typeOf = (key: Key, i: number) => avsc.Type.forSchema(catalogue.subjects[key].versions[i]!.schema as never, { wrapUnions: 'auto' });
/** `value` as a producer of `key`'s published version `i` wrote it: that version's bytes behind its schema id. */
const writtenBy = (key: Key, i: number, value: unknown) => Buffer.concat([Buffer.from([0, 0, 0, 0, catalogue.subjects[key].versions[i]!.id]), typeOf(key, i).toBuffer(value)]);
/** What a reader of `key`'s version `reader` makes of `value` written with version `writer`, by Avro resolution. */
const readBack = <T = Record<string, unknown>>(key: Key, reader: number, writer: number, value: unknown): T => {
  const [r, w] = [typeOf(key, reader), typeOf(key, writer)];
  return r.fromBuffer(w.toBuffer(value), r.createResolver(w)) as T;
};

describe('published versions', () => {
  const upgradedAt = (key: (typeof TOPIC_KEYS)[number]) => new Set(catalogue.subjects[key].versions.flatMap((v, i) => (v.upgrade ? [i] : [])));

  it.each(TOPIC_KEYS)('%s: every published version chain obeys the evolution rules (across upgrades: from the latest upgrade on)', (key) => {
    const report = checkVersionChain(catalogue.subjects[key].versions.map((v) => v.schema as never), upgradedAt(key));
    expect(report.problems).toEqual([]);
  });

  it.each(TOPIC_KEYS)('%s: the current schema reads every published version since the latest upgrade', (key) => {
    const from = Math.max(0, ...upgradedAt(key));
    for (const v of catalogue.subjects[key].versions.slice(from)) expect(canRead(catalogue.subjects[key].currentSchema as never, v.schema as never)).toEqual({ compatible: true });
  });

  it('appraisal v2 (kpis a record) is published with an upgrade, because Avro cannot read the v1 map as a record', () => {
    const [v1, v2, v3, v4, v5, v6] = catalogue.subjects.appraisal.versions;
    expect([v1!.upgrade, v2!.upgrade, v3!.upgrade, v4!.upgrade, v5!.upgrade, v6!.upgrade, codecs.schemaId('appraisal')]).toEqual([undefined, 'appraisalKpisRecord', undefined, undefined, undefined, undefined, catalogue.subjects.appraisal.versions.at(-1)!.id]);
    expect(canRead(v2!.schema as never, v1!.schema as never).compatible).toBe(false);
    expect(checkVersionChain([v1!.schema, v2!.schema] as never[]).ok).toBe(false);
  });

  it('appraisal v1-written bytes decode under v2: every KPI a field, those v1 did not write not applicable', () => {
    const v1 = catalogue.subjects.appraisal.versions[0]!;
    const r = codecs.decode('appraisal', writtenBy('appraisal', 0, SCORECARD_V1));
    expect(r).toEqual({ ok: true, event: SCORECARD, schemaId: v1.id });
    expect(r.ok && Object.keys(r.event.kpis)).toEqual(KPI_IDS);
    expect(codecs.type('appraisal').isValid(r.ok && r.event)).toBe(true);
  });

  it('appraisal v1 map entries without a v2 field are kept, not dropped', () => {
    const extra = { ...SCORECARD_V1, kpis: { ...SCORECARD_V1.kpis, retired_kpi: { value: 1, numerator: null, denominator: null, score: null } } };
    const r = codecs.decode('appraisal', writtenBy('appraisal', 0, extra));
    expect(r.ok && (r.event.kpis as unknown as Record<string, unknown>).retired_kpi).toEqual({ value: 1, numerator: null, denominator: null, score: null });
  });

  it('v6-written appraisal bytes round-trip, with and without reasons and trend', () => {
    expect(codecs.decode('appraisal', codecs.encode('appraisal', SCORECARD))).toEqual({ ok: true, event: SCORECARD, schemaId: codecs.schemaId('appraisal') });
    expect(codecs.decode('appraisal', codecs.encode('appraisal', SCORECARD_WITH_REASONS))).toEqual({ ok: true, event: SCORECARD_WITH_REASONS, schemaId: codecs.schemaId('appraisal') });
    expect(codecs.decode('appraisal', codecs.encode('appraisal', SCORECARD_WITH_TREND))).toEqual({ ok: true, event: SCORECARD_WITH_TREND, schemaId: codecs.schemaId('appraisal') });
  });

  // Each appraisal field added since v2 has a default: bytes of the version before it read under
  // the current schema with the field at its default (backward), bytes with the field stay
  // readable by the version before it (forward), and a card without the field encodes with the default.
  it.each([
    ['appraisal v3 adds reasons with a default: v2-written bytes read under v3 by Avro resolution alone, with no reasons', 1, SCORECARD_V2],
    ['appraisal v6 adds trend with the default null: v5-written bytes read under v6 by Avro resolution, trend null', 4, SCORECARD_NO_TREND],
    ['appraisal v6-written bytes read under v7 by Avro resolution, staticProfile null', 5, SCORECARD_NO_STATIC],
  ] as const)('%s', (_title, writer, value) => {
    const v = catalogue.subjects.appraisal.versions[writer]!;
    expect(canRead(catalogue.subjects.appraisal.currentSchema as never, v.schema as never)).toEqual({ compatible: true });
    expect(codecs.decode('appraisal', writtenBy('appraisal', writer, value))).toEqual({ ok: true, event: SCORECARD, schemaId: v.id });
  });

  // `writer` is `reader` + 1; `dropped` is the field the reader does not know, `kept` checks the rest.
  it.each<[title: string, key: Key, reader: number, value: unknown, dropped: string, kept: (back: Record<string, unknown>) => void]>([
    // (SCORECARD_WITH_REASONS has trend null, which a v3 writer of this test skips)
    ['appraisal v3-written bytes (reasons included) stay readable by a v2 reader (forward)', 'appraisal', 1, SCORECARD_WITH_REASONS, 'reasons', (back) => expect(back.composite).toBe(SCORECARD.composite)],
    ['appraisal v6-written bytes (trend included) stay readable by a v5 reader (forward)', 'appraisal', 4, SCORECARD_WITH_TREND, 'trend', (back) => expect(back).toEqual(SCORECARD_NO_TREND)],
    ['appraisal v7-written bytes (static profile included) stay readable by a v6 reader (forward)', 'appraisal', 5, SCORECARD_WITH_STATIC, 'staticProfile', (back) => expect(back).toEqual(SCORECARD_NO_STATIC)],
    ['dlq v2-written bytes are readable by a v1 reader (forward) as well', 'dlq', 0, DEAD_LETTER, 'code', (back) => expect(back.message).toBe(DEAD_LETTER.message)],
  ])('%s', (_title, key, reader, value, dropped, kept) => {
    const back = readBack(key, reader, reader + 1, value);
    expect(back[dropped]).toBeUndefined();
    kept(back);
  });

  it.each([
    ['a card without a trend field (a DAY card of the engine) encodes as v6 with trend null', SCORECARD_NO_TREND, codecs.schemaId('appraisal')],
    ['a card without a reasons field encodes as v3 with the default []', (({ reasons: _r, ...noReasons }) => noReasons)(SCORECARD), codecs.schemaId('appraisal')],
    ['appraisal v7: a card without the staticProfile field encodes with null', SCORECARD_NO_STATIC, 22],
  ] as const)('%s', (_title, card, schemaId) => {
    expect(codecs.decode('appraisal', codecs.encode('appraisal', card as never))).toEqual({ ok: true, event: SCORECARD, schemaId });
  });

  // Issue #17 item 3 (docs/static-appraisal.md): appraisal v7 (id 22) adds staticProfile, default null.
  it('appraisal v7 is schema id 22 and v7-written bytes with a static profile round-trip', () => {
    const v7 = catalogue.subjects.appraisal.versions[6]!;
    expect([v7.id, v7.version, v7.file]).toEqual([22, 7, 'published/appraisal/v7.avsc']);
    expect(codecs.schemaId('appraisal')).toBe(22);
    expect(codecs.decode('appraisal', codecs.encode('appraisal', SCORECARD_WITH_STATIC))).toEqual({ ok: true, event: SCORECARD_WITH_STATIC, schemaId: 22 });
  });

  it('workforce v2 is schema id 21 and adds the static kinds; v1-written bytes still decode', () => {
    const [v1, v2] = catalogue.subjects.workforce.versions;
    expect([v1!.id, v2!.id, codecs.schemaId('workforce')]).toEqual([4, 21, 21]);
    const names = (v: typeof v2) => (v!.schema as { name: string }[]).map((r) => r.name);
    expect(names(v2).filter((n) => !names(v1).includes(n))).toEqual(['SkillAssessed', 'QualificationGranted', 'QualificationRevoked']);
    const { kind: _k, ...e } = EVENT_FIXTURES.TrainingCompleted;
    const r = codecs.decode('workforce', writtenBy('workforce', 0, { 'cs.workforce.TrainingCompleted': e }));
    expect(r.ok && r.event).toEqual(EVENT_FIXTURES.TrainingCompleted);
    for (const k of ['SkillAssessed', 'QualificationGranted', 'QualificationRevoked'] as const) {
      expect(codecs.decode('workforce', codecs.encode('workforce', EVENT_FIXTURES[k]))).toMatchObject({ ok: true, event: EVENT_FIXTURES[k], schemaId: 21 });
    }
  });

  it('schema ids are unique across topics and writers use the latest', () => {
    const ids = TOPIC_KEYS.flatMap((k) => catalogue.subjects[k].versions.map((v) => v.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(codecs.schemaId('dlq')).toBe(9);
  });

  it('dlq v1-written bytes decode under v2 (code takes its default)', () => {
    const v1 = catalogue.subjects.dlq.versions[0]!;
    const { code: _c, ...v1Value } = DEAD_LETTER;
    const r = codecs.decode('dlq', writtenBy('dlq', 0, v1Value));
    expect(r).toEqual({ ok: true, event: { ...v1Value, code: '' }, schemaId: v1.id });
  });

  // Issue #17 item 4: RULES_ADOPTED. v2 of corrections / v4 of appraisal give CorrectionKind its
  // default (ADJUSTMENT) and nothing else; v3 / v5 add the symbol, which readers from v2 / v4 on
  // read as the default (an old aggregator then dead-letters it: an ADJUSTMENT without adjustment).
  const ADOPTION = { correctionId: 'COR-9', kind: 'RULES_ADOPTED', reason: 'A needs 92 from November', requestedBy: 'M01', approvedBy: 'D01', at: 1_790_000_120_000, detail: 'rules 2026.1+COR-9 adopted for the period (the version in force for it: 2026.1)', adjustment: null } as const;

  it('appraisal v5-written bytes with a RULES_ADOPTED reason round-trip, and a v4 reader reads the kind as its default', () => {
    const card = { ...SCORECARD_WITH_REASONS, reasons: [...SCORECARD_WITH_REASONS.reasons, ADOPTION] };
    expect(codecs.decode('appraisal', codecs.encode('appraisal', card))).toEqual({ ok: true, event: card, schemaId: codecs.schemaId('appraisal') });
    const back = readBack<{ reasons: { kind: string; correctionId: string }[] }>('appraisal', 3, 4, card);
    expect(back.reasons.map((r) => [r.correctionId, r.kind])).toEqual([['COR-1', 'COMPLAINT_RULING'], ['COR-2', 'ADJUSTMENT'], ['COR-9', 'ADJUSTMENT']]);
  });

  it('corrections v1-written bytes decode under v3 (rules null), and a v2 reader reads a RULES_ADOPTED kind as ADJUSTMENT', () => {
    const v1 = catalogue.subjects.corrections.versions[0]!;
    const { rules: _r, ...v1Value } = CORRECTION;
    expect(codecs.decode('corrections', writtenBy('corrections', 0, v1Value))).toEqual({ ok: true, event: CORRECTION, schemaId: v1.id });
    const adoption = { ...CORRECTION, kind: 'RULES_ADOPTED', staffId: '*', targetEventId: null, targetPeriod: null, ruling: null, periodId: 'MONTH:2026-10', rules: '{"rulesVersion":"x"}' };
    expect(readBack<{ kind: string }>('corrections', 1, 2, adoption).kind).toBe('ADJUSTMENT');
  });

  it('an unknown writer schema id is a DECODE error, not a crash', () => {
    const good = codecs.encode('callcenter', EVENT_FIXTURES.CallAnswered);
    good.writeUInt32BE(4242, 1);
    const r = codecs.decode('callcenter', good);
    expect(!r.ok && [r.error.errorClass, r.error.code]).toEqual(['DECODE', 'CS_DECODE_UNKNOWN_SCHEMA_ID']);
  });
});

describe('the compatibility checker', () => {
  it('accepts adding an optional field with a default', () => {
    const next = callcenter();
    branch(next, 'CallAnswered').fields.push({ name: 'transferCount', type: 'int', default: 0 });
    expect(checkEvolution(callcenter() as never, next as never)).toEqual({ ok: true, problems: [] });
  });

  it('accepts adding an enum symbol when the enum declares a default', () => {
    const prev = callcenter();
    const ch = branch(prev, 'ContactCompleted').fields.find((f) => f.name === 'channel')!.type as { symbols: string[]; default?: string };
    ch.default = 'HOTLINE';
    const next = clone(prev);
    (branch(next, 'ContactCompleted').fields.find((f) => f.name === 'channel')!.type as { symbols: string[] }).symbols.push('WECHAT');
    expect(checkEvolution(prev as never, next as never).ok).toBe(true);
  });

  it('accepts a new kind (union branch)', () => {
    const next = callcenter();
    next.push({ ...clone(branch(next, 'SurveyAnswered')), name: 'ChatRated' } as Rec);
    expect(checkEvolution(callcenter() as never, next as never).ok).toBe(true);
  });

  it('rejects removing a field that has no default (old readers need it)', () => {
    const next = callcenter();
    const r = branch(next, 'CallAnswered');
    r.fields = r.fields.filter((f) => f.name !== 'queue');
    const rep = checkEvolution(callcenter() as never, next as never);
    expect(rep.ok).toBe(false);
    expect(rep.problems.join()).toMatch(/FORWARD: cs\.callcenter\.CallAnswered/);
  });

  it('rejects changing a field type', () => {
    const next = callcenter();
    branch(next, 'CallAnswered').fields.find((f) => f.name === 'waitSeconds')!.type = 'string';
    const rep = checkEvolution(callcenter() as never, next as never);
    expect(rep.ok).toBe(false);
    expect(rep.problems.join()).toMatch(/BACKWARD/);
  });

  it('rejects adding a field without a default', () => {
    const next = callcenter();
    branch(next, 'SurveyAnswered').fields.push({ name: 'comment', type: 'string' });
    expect(checkEvolution(callcenter() as never, next as never).problems.join()).toMatch(/BACKWARD/);
  });

  it('rejects adding an enum symbol when the enum has no default', () => {
    const next = callcenter();
    (branch(next, 'ContactCompleted').fields.find((f) => f.name === 'channel')!.type as { symbols: string[] }).symbols.push('WECHAT');
    expect(checkEvolution(callcenter() as never, next as never).problems.join()).toMatch(/FORWARD: cs\.callcenter\.ContactCompleted/);
  });

  it('rejects removing a kind or renaming a record', () => {
    const removed = callcenter().filter((r) => r.name !== 'CallAbandoned');
    expect(checkEvolution(callcenter() as never, removed as never).ok).toBe(false);
    const renamed = callcenter();
    branch(renamed, 'CallAbandoned').name = 'CallDropped';
    expect(checkEvolution(callcenter() as never, renamed as never).ok).toBe(false);
  });

  it('checks a chain from its latest upgrade on, and every step after it', () => {
    const a = callcenter();
    const b = callcenter();
    branch(b, 'CallAnswered').fields.find((f) => f.name === 'waitSeconds')!.type = 'string';
    const c = clone(b);
    branch(c, 'SurveyAnswered').fields.push({ name: 'comment', type: 'string' });
    expect(checkVersionChain([a, b] as never[], new Set([1])).ok).toBe(true);
    expect(checkVersionChain([a, b, c] as never[], new Set([1])).problems.join()).toMatch(/v2 -> v3: BACKWARD/);
  });

  it('reports unparsable schemas instead of throwing', () => {
    expect(checkEvolution(callcenter() as never, { type: 'record' } as never).ok).toBe(false);
  });
});

describe('the catalogue guards the published files', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const copy = () => {
    const dir = mkdtempSync(join(tmpdir(), 'cs-schemas-'));
    dirs.push(dir);
    cpSync(DEFAULT_SCHEMAS_DIR, dir, { recursive: true });
    return dir;
  };

  it('refuses a working copy that differs from its latest published version', () => {
    const dir = copy();
    const s = JSON.parse(readFileSync(join(dir, 'workforce.avsc'), 'utf8')) as Rec[];
    s[0]!.fields.push({ name: 'note', type: 'string', default: '' });
    writeFileSync(join(dir, 'workforce.avsc'), JSON.stringify(s));
    expect(() => createCodecs({ schemasDir: dir })).toThrow(/differs from its latest published version.*publish it as published\/workforce\/v3\.avsc/);
  });

  it('refuses an edited published file', () => {
    const dir = copy();
    const p = join(dir, 'published/roster/v1.avsc');
    const s = JSON.parse(readFileSync(p, 'utf8')) as Rec;
    s.fields.pop();
    writeFileSync(p, JSON.stringify(s));
    expect(() => loadCatalogue(dir)).toThrow(/edited after publication/);
  });

  it('refuses an upgrade name that upgrades.ts does not define', () => {
    const dir = copy();
    const p = join(dir, 'catalogue.json');
    const c = JSON.parse(readFileSync(p, 'utf8')) as { subjects: Record<string, { versions: { upgrade?: string }[] }> };
    c.subjects.appraisal!.versions[1]!.upgrade = 'noSuchUpgrade';
    writeFileSync(p, JSON.stringify(c));
    expect(() => loadCatalogue(dir)).toThrow(/upgrades\.ts/);
  });

  it('loads from an explicit directory', () => {
    const dir = copy();
    const c = createCodecs({ schemasDir: dir });
    const b = c.encode('workforce', EVENT_FIXTURES.ShiftAttended);
    expect(codecs.decode('workforce', b)).toMatchObject({ ok: true });
  });
});
