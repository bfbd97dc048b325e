// The effective-dated roster topic through the aggregator: keys <staffId> and <staffId>|<date>,
// tombstones of a dated entry and of a whole staff member, and keys that disagree with their value.
import { afterAll, describe, expect, it } from 'vitest';
import { addDays, periodOf } from '@cs/appraisal';
import { messageKey, type StaffProfile } from '@cs/contracts';
import { TEST_CLOCK } from '../../../test/harness/clock.ts';
import { waitFor } from '../../../test/harness/index.ts';
import { codecs, produce, readDeadLetters, sandbox, withAggregator, type Sandbox } from './support.ts';

describe('the roster topic, effective-dated', () => {
  let sb: Sandbox;
  afterAll(async () => sb?.close());

  it('keeps one entry per key, applies tombstones per key, and dead-letters keys that do not match their value', async () => {
    sb = await sandbox(1); // one partition: the messages apply in the order sent
    const now = TEST_CLOCK.clock.now();
    const month = periodOf('MONTH', now, 'Asia/Shanghai');
    const d11 = addDays(month.start, 10);
    const p = (staffId: string, teamId: string, effectiveFrom: string | null = null, active = true): StaffProfile => ({ staffId, teamId, role: 'HALL_CLERK', active, updatedAt: month.startMs, effectiveFrom });
    const msg = (v: StaffProfile, key = messageKey(v)) => ({ topic: 'roster' as const, key, value: codecs.encode('roster', v) });
    const tombstone = (key: string) => ({ topic: 'roster' as const, key, value: null as unknown as Buffer });
    const mismatched = [msg(p('S1', 'T9', d11), 'S1'), msg(p('S2', 'T1'), 'S1'), tombstone('S 1|x')];

    await produce(sb, [
      msg(p('S1', 'T1')),
      msg(p('S1', 'T2', d11)), // key S1|<d11>
      msg(p('S2', 'T1')),
      msg(p('S2', 'T1', d11, false)),
      msg(p('S3', 'T1')),
      msg(p('S3', 'T3', d11)),
      ...mismatched,
      tombstone(`S2|${d11}`), // S2's leave withdrawn
      tombstone('S3'), // S3 removed with every dated entry
    ]);
    await withAggregator(sb, async () => {
      await waitFor(async () => (await sb.store.readRosterOffset(0)) === 11, 30_000, 'the roster applied');
      const t = await sb.store.rosterTimelines();
      expect([...t.keys()].sort()).toEqual(['S1', 'S2']);
      expect(t.get('S1')!.entries.map((e) => [e.effectiveFrom, e.teamId])).toEqual([[null, 'T1'], [d11, 'T2']]);
      expect(t.get('S2')!.entries.map((e) => [e.effectiveFrom, e.active])).toEqual([[null, true]]);
      const dl = await readDeadLetters(sb, mismatched.length);
      expect(dl.map((d) => d.code)).toEqual(mismatched.map(() => 'CS_VALIDATION_ROSTER_KEY_MISMATCH'));
      expect(dl.map((d) => d.value?.toString('latin1') ?? null)).toEqual(mismatched.map((m) => m.value?.toString('latin1') ?? null));
    });
  });
});
