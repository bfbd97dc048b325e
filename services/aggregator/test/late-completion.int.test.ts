// Issue 16.5: a recent completion of a task due before the lateness horizon counts at its due
// instant, in a period the scorer has already forgotten. It is dead-lettered with its own code
// (CS_TOO_LATE_DUE_PERIOD) and its original bytes, and counted in the dead-letter metric, while a
// completion due just inside the horizon is counted as before.
import { afterAll, describe, expect, it } from 'vitest';
import { messageKey, type SourceEvent } from '@cs/contracts';
import { Buckets } from '../src/buckets.ts';
import { TEST_CLOCK } from '../../../test/harness/clock.ts';
import { codecs, diffAgainstTruth, drained, groundTruth, produce, readDeadLetters, sandbox, withAggregator, type Sandbox } from './support.ts';

const DAY = 86_400_000;
const MAX_LATENESS_DAYS = 62; // the sandbox's CS_MAX_LATENESS_DAYS (the default)

function metricValue(body: string, line: string): number {
  const hit = body.split('\n').find((l) => l.startsWith(line));
  return hit === undefined ? 0 : Number(hit.slice(hit.lastIndexOf(' ') + 1));
}

describe('a completion whose due period is past the lateness limit', () => {
  let sb: Sandbox;
  afterAll(async () => sb?.close());

  it('is dead-lettered CS_TOO_LATE_DUE_PERIOD with its bytes and counted in the dead-letter metric; one due inside the horizon is counted', async () => {
    sb = await sandbox(1);
    const now = TEST_CLOCK.clock.now();
    const done = now - DAY; // the completions themselves are recent
    const callback = (eventId: string, dueAt: number): SourceEvent => ({ kind: 'CallbackCompleted', eventId, occurredAt: done, ticketId: `T-${eventId}`, staffId: 'S1', dueAt, outcome: 'SATISFIED' });
    const beyond = callback('beyond', now - (MAX_LATENESS_DAYS + 10) * DAY);
    const inside = callback('inside', now - (MAX_LATENESS_DAYS - 10) * DAY);
    const messages = [beyond, inside].map((e) => ({ topic: 'callcenter' as const, key: messageKey(e), value: codecs.encode('callcenter', e) }));

    await withAggregator(sb, async (agg) => {
      await produce(sb, messages);
      await drained(sb, 60_000);
      const dl = await readDeadLetters(sb, 1);
      expect(dl.map((d) => `${d.errorClass}:${d.code}`)).toEqual(['TOO_LATE:CS_TOO_LATE_DUE_PERIOD']);
      expect(dl[0]!.value!.equals(messages[0]!.value)).toBe(true);
      const body = await agg.metrics.registry.metrics();
      expect(metricValue(body, `cs_aggregator_dead_letters_total{topic="${sb.topics.callcenter}",class="TOO_LATE"}`)).toBe(1);
    });
    // Nothing of the refused completion is counted, neither at its due date nor at its completion.
    expect(await diffAgainstTruth(sb, groundTruth([inside]))).toEqual([]);
    const [dueDay] = new Buckets('Asia/Shanghai').staff(now - (MAX_LATENESS_DAYS + 10) * DAY);
    expect(await sb.store.periodCounters(dueDay!)).toEqual(new Map());
  });
});
