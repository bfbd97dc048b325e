import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { buildDeadLetter, createCodecs, ContractError, ERROR_CODES, tooLateError, MAX_DLQ_MESSAGE_CHARS, MAX_DLQ_VALUE_BYTES, TOPICS } from '../src/index.ts';
import { EVENT_FIXTURES, NOW } from './fixtures.ts';

const codecs = createCodecs();

describe('dead-letter envelope', () => {
  it('wraps a decode failure with the original bytes and round-trips on the DLQ topic', () => {
    const original = Buffer.from([1, 2, 3, 4, 5, 6]);
    const r = codecs.decode('callcenter', original);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const dl = buildDeadLetter({ originalTopic: TOPICS.callcenter, partition: 2, offset: '42', key: 'S001', value: original, error: r.error, service: 'aggregator', at: NOW });
    expect(dl).toEqual({
      originalTopic: 'cs.callcenter.v1', partition: 2, offset: '42', key: Buffer.from('S001'), value: original,
      errorClass: 'DECODE', code: 'CS_DECODE_BAD_MAGIC', message: r.error.message, service: 'aggregator', at: NOW,
    });
    expect(codecs.decode('dlq', codecs.encode('dlq', dl))).toEqual({ ok: true, event: dl, schemaId: codecs.schemaId('dlq') });
  });

  it('handles tombstones, numeric offsets, non-contract errors and huge messages', () => {
    const dl = buildDeadLetter({ originalTopic: 'x', partition: 0, offset: 7n, key: null, value: null, error: new Error('x'.repeat(10_000)), service: 'scorer', at: NOW });
    expect(dl).toMatchObject({ key: null, value: null, offset: '7', errorClass: 'PROCESSING', code: 'CS_PROCESSING_FAILED' });
    expect(dl.message.length).toBe(MAX_DLQ_MESSAGE_CHARS);
    expect(dl.at).toBe(NOW);
    expect(codecs.decode('dlq', codecs.encode('dlq', dl)).ok).toBe(true);
  });

  it('carries TOO_LATE errors built by the aggregator', () => {
    const err = tooLateError(EVENT_FIXTURES.CallAnswered.occurredAt, 62 * 86_400_000, EVENT_FIXTURES.CallAnswered.occurredAt + 63 * 86_400_000);
    expect(err).toBeInstanceOf(ContractError);
    expect([err.errorClass, err.code, err.retriable]).toEqual(['TOO_LATE', 'CS_TOO_LATE', false]);
    expect(err.message).toMatch(/more than maxLateness 5356800000 ms/);
    const dl = buildDeadLetter({ originalTopic: TOPICS.callcenter, partition: 0, offset: 1, key: null, value: Buffer.alloc(1), error: err, service: 'aggregator', at: NOW });
    expect(dl.errorClass).toBe('TOO_LATE');
  });
});

describe('error catalogue', () => {
  it('every code is CS_<CLASS>_... and maps to one class', () => {
    for (const [code, def] of Object.entries(ERROR_CODES)) {
      expect(code.startsWith(`CS_${def.errorClass}`)).toBe(true);
      const e = new ContractError(code as keyof typeof ERROR_CODES, 'm');
      expect(e.errorClass).toBe(def.errorClass);
      expect(e.retriable).toBe(false);
      expect(e).toBeInstanceOf(Error);
      expect(JSON.parse(JSON.stringify(e))).toEqual({ errorClass: def.errorClass, code, message: 'm', retriable: false, issues: [] });
    }
  });

  it('classifies each header failure', () => {
    const good = codecs.encode('callcenter', EVENT_FIXTURES.CallAnswered);
    const code = (b: unknown) => {
      const r = codecs.decode('callcenter', b as Buffer);
      return r.ok ? 'ok' : r.error.code;
    };
    expect(code(null)).toBe('CS_DECODE_NOT_BUFFER');
    expect(code(Buffer.alloc(3))).toBe('CS_DECODE_TOO_SHORT');
    expect(code(Buffer.concat([Buffer.from([1]), good.subarray(1)]))).toBe('CS_DECODE_BAD_MAGIC');
    expect(code(good.subarray(0, 5))).toBe('CS_DECODE_TRUNCATED');
    expect(code(Buffer.concat([good.subarray(0, 5), Buffer.from([0x7e])]))).toBe('CS_UNKNOWN_KIND_UNION_BRANCH');
    expect(code(good)).toBe('ok');
  });
});

describe('dead letters of huge messages', () => {
  it('cut the original bytes above MAX_DLQ_VALUE_BYTES and say so, with size and sha256', () => {
    const huge = Buffer.alloc(1_000_000, 7);
    const d = buildDeadLetter({ originalTopic: 't', partition: 0, offset: 5, key: 'k', value: huge, error: { errorClass: 'DECODE', code: 'CS_DECODE_BAD_MAGIC', message: 'bad magic' }, service: 's', at: 1 });
    expect(d.value!.length).toBe(MAX_DLQ_VALUE_BYTES);
    expect(d.message).toContain(`original value of 1000000 bytes, sha256 ${createHash('sha256').update(huge).digest('hex')}`);
    expect(d.message).toContain('bad magic');
    expect(codecs.encode('dlq', d).length).toBeLessThan(600 * 1024);
  });
});
