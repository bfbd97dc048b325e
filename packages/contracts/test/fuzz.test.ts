import { describe, expect, it } from 'vitest';
import { Rng } from '@cs/simulator/prng';
import { ContractError, createCodecs, ERROR_CODES, validateEvent, type DecodeResult, type SourceEvent, type TopicKey } from '../src/index.ts';
import { DEAD_LETTER, ELIGIBILITY, EVENT_FIXTURES, NOW, SCORECARD, STAFF_PROFILE } from './fixtures.ts';

// The project's one seeded PRNG (@cs/simulator/prng): failures reproduce from the seed.
const prng = (seed: number) => new Rng(seed);

const codecs = createCodecs();
const TOPICS_ALL: TopicKey[] = ['callcenter', 'billing', 'outageRepair', 'workforce', 'roster', 'appraisal', 'eligibility', 'dlq'];
const topicOf = (kind: string): TopicKey => TOPICS_ALL.find((t) => codecs.kinds(t).includes(kind))!;
const SAMPLES: [TopicKey, object][] = [
  ...Object.values(EVENT_FIXTURES).map((e) => [topicOf(e.kind), e] as [TopicKey, object]),
  ['roster', STAFF_PROFILE],
  ['appraisal', SCORECARD],
  ['eligibility', ELIGIBILITY],
  ['dlq', DEAD_LETTER],
];
const ENCODED = SAMPLES.map(([t, v]) => [t, codecs.encode(t, v)] as const);
const INPUT: ReadonlySet<TopicKey> = new Set(['callcenter', 'billing', 'outageRepair', 'workforce', 'roster']);

const stats = { ok: 0, DECODE: 0, VALIDATION: 0, UNKNOWN_KIND: 0 };

/** Exactly one outcome: a value, or one well-formed, classified, non-retriable error. */
function expectClassified(r: DecodeResult<unknown>, allowed: string[]): void {
  if (r.ok) {
    stats.ok++;
    return;
  }
  expect(r.error).toBeInstanceOf(ContractError);
  expect(allowed).toContain(r.error.errorClass);
  expect(ERROR_CODES[r.error.code].errorClass).toBe(r.error.errorClass);
  expect(r.error.retriable).toBe(false);
  expect(typeof r.error.message).toBe('string');
  stats[r.error.errorClass as 'DECODE']++;
}

function decodeBoth(topic: TopicKey, bytes: Buffer): void {
  let r!: DecodeResult<unknown>;
  expect(() => (r = codecs.decode(topic, bytes))).not.toThrow();
  expectClassified(r, ['DECODE', 'UNKNOWN_KIND']);
  if (r.ok) {
    // A value the decoder produced is schema-valid: it must re-encode, and validate cleanly.
    expect(() => codecs.encode(topic, r.ok ? (r.event as object) : {})).not.toThrow();
    if (INPUT.has(topic)) {
      let v!: DecodeResult<unknown>;
      expect(() => (v = codecs.decodeAndValidate(topic as 'roster', bytes, { now: NOW }))).not.toThrow();
      expectClassified(v, ['VALIDATION']);
    }
  }
}

describe('fuzzing the decoder (seeded)', () => {
  it('random bytes never throw (4000 cases, half with a valid header)', () => {
    const rnd = prng(1);
    const ids = [...codecs.catalogue.byId.keys(), 0, 77];
    for (let i = 0; i < 4000; i++) {
      const len = rnd.int(80);
      const b = Buffer.alloc(len);
      for (let j = 0; j < len; j++) b[j] = rnd.int(256);
      if (i % 2 === 0 && len >= 5) {
        b[0] = 0;
        b.writeUInt32BE(rnd.pick(ids), 1);
      }
      decodeBoth(rnd.pick(TOPICS_ALL), b);
    }
  });

  it('every truncation of every valid message is a DECODE error', () => {
    let n = 0;
    for (const [topic, bytes] of ENCODED) {
      for (let len = 0; len < bytes.length; len++) {
        const r = codecs.decode(topic, bytes.subarray(0, len));
        expect(r.ok, `${topic} truncated to ${len}/${bytes.length}`).toBe(false);
        expectClassified(r, ['DECODE']);
        n++;
      }
    }
    expect(n).toBeGreaterThan(1000);
  });

  it('trailing bytes are a DECODE error', () => {
    for (const [topic, bytes] of ENCODED) {
      const r = codecs.decode(topic, Buffer.concat([bytes, Buffer.from([0])]));
      expect(!r.ok && r.error.code).toBe('CS_DECODE_TRAILING_BYTES');
    }
  });

  it('bit-flipped messages never throw; survivors validate cleanly (6000 cases)', () => {
    const rnd = prng(2);
    for (let i = 0; i < 6000; i++) {
      const [topic, orig] = rnd.pick(ENCODED);
      const b = Buffer.from(orig);
      const flips = 1 + rnd.int(3);
      for (let f = 0; f < flips; f++) {
        const pos = rnd.int(b.length);
        b[pos]! ^= 1 << rnd.int(8);
      }
      decodeBoth(topic, b);
    }
  });

  it('hostile block counts fail fast instead of spinning', () => {
    // QualityInspected with a violations array announcing 2^30 items.
    const ok = codecs.encode('callcenter', { ...EVENT_FIXTURES.QualityInspected, violations: [] });
    const body = ok.subarray(0, ok.length - 1); // drop the terminating 0 block
    const huge = Buffer.concat([body, Buffer.from([0x80, 0x80, 0x80, 0x80, 0x08]), Buffer.alloc(4)]);
    const t0 = performance.now();
    const r = codecs.decode('callcenter', huge);
    expect(performance.now() - t0).toBeLessThan(50);
    expect(!r.ok && r.error.errorClass).toBe('DECODE');
  });

  it('mutated field values: encode refuses (schema) or the event validates cleanly (4000 cases)', () => {
    const rnd = prng(3);
    const junk: unknown[] = [
      -1, 0, 1, 6, 101, -0.5, 1e308, -1e308, NaN, Infinity, -Infinity, 2 ** 53, 2 ** 31, -(2 ** 31) - 1, 1.5,
      '', ' ', 'a b', 'x'.repeat(200), '\u0000', '\n', '張三', 'S001', null, undefined, true, [], ['S1', 'S1'], {}, 'HOTLINE', 'NOPE',
      946684799999, 4102444800001, NOW + 2 * 86_400_000,
    ];
    const events = Object.values(EVENT_FIXTURES) as SourceEvent[];
    for (let i = 0; i < 4000; i++) {
      const base = rnd.pick(events);
      const fields = Object.keys(base).filter((k) => k !== 'kind');
      const mutated: Record<string, unknown> = { ...base };
      for (let m = 0, n = 1 + rnd.int(2); m < n; m++) mutated[rnd.pick(fields)] = rnd.pick(junk);
      expect(() => validateEvent(mutated as SourceEvent, { now: NOW })).not.toThrow();
      const topic = topicOf(base.kind);
      let bytes: Buffer | undefined;
      try {
        bytes = codecs.encode(topic, mutated);
      } catch (e) {
        expect(e).toBeInstanceOf(ContractError);
        expect((e as ContractError).code).toBe('CS_VALIDATION_SCHEMA_MISMATCH');
        continue;
      }
      const r = codecs.decodeAndValidate(topic as 'callcenter', bytes, { now: NOW });
      expectClassified(r, ['VALIDATION']);
      const direct = validateEvent(mutated as SourceEvent, { now: NOW });
      expect(r.ok, JSON.stringify({ mutated, direct: direct?.message, r: r.ok ? null : r.error.message })).toBe(direct === null);
    }
  });

  it('exercised every outcome', () => {
    expect(stats.ok).toBeGreaterThan(0);
    expect(stats.DECODE).toBeGreaterThan(0);
    expect(stats.UNKNOWN_KIND).toBeGreaterThan(0);
    expect(stats.VALIDATION).toBeGreaterThan(0);
  });
});
