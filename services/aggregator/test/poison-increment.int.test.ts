// Issue 14.1: one event whose derived increment cannot be stored (durations each finite, summing to
// Infinity) must not cost the other events of its batch their count.
import { afterAll, describe, expect, it } from 'vitest';
import { messageKey, type SourceEvent } from '@cs/contracts';
import { codecs, diffAgainstTruth, drained, groundTruth, withAggregator, produce, readDeadLetters, sandbox, type Sandbox } from './support.ts';
import { TEST_CLOCK } from '../../../test/harness/clock.ts';

describe('a poisonous increment in a batch of several staff members', () => {
  let sb: Sandbox;
  afterAll(async () => sb?.close());

  it('counts every normal event exactly once and dead-letters the poisonous one with its own code', async () => {
    sb = await sandbox(1); // one partition: everything below is one batch
    const day = 86_400_000;
    const t = Math.floor(TEST_CLOCK.clock.now() / day) * day - 2 * day + 3 * 3_600_000;
    const normal: SourceEvent[] = [];
    for (let i = 0; i < 6; i++) {
      const staffId = `S${i + 1}`;
      normal.push(
        { kind: 'ContactCompleted', eventId: `cc-${i}`, occurredAt: t + i * 60_000, callId: `C${i}`, staffId, channel: 'HOTLINE', category: 'INQUIRY', talkSeconds: 200 + i, holdSeconds: 10, wrapSeconds: 20, resolution: 'RESOLVED' },
        { kind: 'SurveyAnswered', eventId: `sv-${i}`, occurredAt: t + i * 60_000 + 1000, callId: `C${i}`, staffId, score: 5 },
        { kind: 'CallAnswered', eventId: `ca-${i}`, occurredAt: t + i * 60_000 - 1000, callId: `C${i}`, staffId, queue: '95598-general', waitSeconds: 5 },
      );
    }
    const poison: SourceEvent = { kind: 'ContactCompleted', eventId: 'poison', occurredAt: t + 90_000, callId: 'CX', staffId: 'S3', channel: 'HOTLINE', category: 'BILLING', talkSeconds: 1e308, holdSeconds: 1e308, wrapSeconds: 0, resolution: 'RESOLVED' };
    const messages = [...normal.slice(0, 9), poison, ...normal.slice(9)].map((e) => ({ topic: 'callcenter' as const, key: messageKey(e), value: codecs.encode('callcenter', e) }));
    await produce(sb, messages);
    await withAggregator(sb, () => drained(sb, 60_000));
    expect(await diffAgainstTruth(sb, groundTruth(normal))).toEqual([]);
    const dl = await readDeadLetters(sb, 1);
    expect(dl.map((d) => `${d.errorClass}:${d.code}`)).toEqual(['VALIDATION:CS_VALIDATION_INCREMENT_OUT_OF_RANGE']);
    expect(dl[0]!.value!.equals(messages[9]!.value)).toBe(true);
  });
});
