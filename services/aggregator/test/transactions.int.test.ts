// Issue 14.2: source systems that produce with Kafka transactions. Commit markers and aborted
// records take offsets the consumer (read_committed, kafkajs's default) never sees as messages;
// the offset Redis stores must still move past them, aborted events must not count, and the
// batches after them must be applied (no stall).
import { afterAll, describe, expect, it } from 'vitest';
import type { Producer } from 'kafkajs';
import { messageKey, type SourceEvent } from '@cs/contracts';
import { kafkaFor, uniqueName } from '../../../test/harness/index.ts';
import { codecs, diffAgainstTruth, drained, groundTruth, withAggregator, sandbox, type Sandbox } from './support.ts';
import { TEST_CLOCK } from '../../../test/harness/clock.ts';

const DAY = 86_400_000;
const T0 = Math.floor(TEST_CLOCK.clock.now() / DAY) * DAY - 3 * DAY + 2 * 3_600_000;
let n = 0;

/** Events of several staff members on two topics (distinct ids: nothing here is a duplicate). */
function events(count: number): SourceEvent[] {
  const out: SourceEvent[] = [];
  for (let i = 0; i < count; i++, n++) {
    const staffId = `S${n % 7}`;
    const at = T0 + n * 30_000;
    out.push(
      n % 2 === 0
        ? { kind: 'ContactCompleted', eventId: `tx-${n}`, occurredAt: at, callId: `C${n}`, staffId, channel: 'HOTLINE', category: 'INQUIRY', talkSeconds: 100 + (n % 50), holdSeconds: 5, wrapSeconds: 10, resolution: n % 3 === 0 ? 'RESOLVED' : 'ESCALATED' }
        : { kind: 'ShiftAttended', eventId: `tx-${n}`, occurredAt: at, staffId, shiftId: `SH${n}`, scheduledMinutes: 480, attendedMinutes: 470, late: n % 5 === 0 },
    );
  }
  return out;
}

async function transaction(producer: Producer, sb: Sandbox, evs: SourceEvent[], outcome: 'commit' | 'abort'): Promise<void> {
  const txn = await producer.transaction();
  const topicMessages = [
    { topic: sb.topics.callcenter, messages: evs.filter((e) => e.kind === 'ContactCompleted').map((e) => ({ key: messageKey(e), value: codecs.encode('callcenter', e) })) },
    { topic: sb.topics.workforce, messages: evs.filter((e) => e.kind === 'ShiftAttended').map((e) => ({ key: messageKey(e), value: codecs.encode('workforce', e) })) },
  ];
  await txn.sendBatch({ topicMessages });
  await (outcome === 'commit' ? txn.commit() : txn.abort());
}

describe('transactional upstream producers', () => {
  let sb: Sandbox;
  let producer: Producer;
  afterAll(async () => {
    await producer?.disconnect();
    await sb?.close();
  });

  it('counts committed events only, moves past markers and aborted records, and keeps applying later batches', async () => {
    sb = await sandbox(2);
    producer = kafkaFor().producer({ transactionalId: uniqueName('upstream-tx'), idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const committed: SourceEvent[] = [];
    const run = async (count: number, outcome: 'commit' | 'abort') => {
      const evs = events(count);
      await transaction(producer, sb, evs, outcome);
      if (outcome === 'commit') committed.push(...evs);
    };

    // Before the aggregator starts: one backlog mixing committed and aborted transactions, so
    // its first batches hold aborted records and markers between and after their messages.
    await run(40, 'commit');
    await run(30, 'abort');
    await run(40, 'commit');
    await run(20, 'abort');
    await run(30, 'commit');
    await run(25, 'abort'); // the backlog ends with an aborted transaction and its marker
    await withAggregator(sb, async (agg) => {
      await drained(sb, 60_000);
      expect(await diffAgainstTruth(sb, groundTruth(committed))).toEqual([]);

      // Live: each transaction fetched on its own, so some batches hold nothing but aborted
      // records and a marker (kafkajs never hands those to eachBatch).
      for (const outcome of ['abort', 'commit', 'abort', 'abort', 'commit', 'commit', 'abort'] as const) {
        await run(10, outcome);
        await drained(sb, 30_000);
      }
      expect(await diffAgainstTruth(sb, groundTruth(committed))).toEqual([]);
      const metrics = await agg.metrics.registry.metrics();
      expect(metrics).toMatch(/^cs_aggregator_redis_state_lost_total 0$/m);
    });
  });
});
