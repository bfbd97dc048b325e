// Fencing: a leader that stalls in the middle of sending a FINAL outbox (a GC pause, a frozen VM)
// longer than its lease must not send anything more once it wakes up. Meanwhile the standby took
// over, re-sent the outbox whole and published a REVISED card; a late FINAL chunk of the old
// leader after that REVISED would hand payroll an older card as the latest.
import { afterEach, describe, expect, it } from 'vitest';
import { MONTH, NOW, TICK_SECONDS, applyEffects, collect, periodIdOfCard, sandbox, sleep, startScorer, waitFor } from '../../services/scorer/test/support.ts';
import { summary } from './support.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
});

const STAFF = 12_000; // three chunks of a publication: cards and eligibility

describe('two scorers and a stalled leader', () => {
  it('the stalled leader stops at its next chunk; per staff-period the records never go back to an older revision', async () => {
    const sb = await sandbox();
    cleanups.push(sb.close);
    const ids = Array.from({ length: STAFF }, (_, i) => `F${String(i).padStart(5, '0')}`);
    await sb.store.registerShard(0);
    await sb.store.applyRoster(0, 0, ids.length, ids.map((staffId, i) => ({ staffId, profile: { staffId, teamId: `T${i % 40}`, role: 'HOTLINE_AGENT', active: true, updatedAt: NOW - 40 * 86_400_000 } })));
    await applyEffects(sb, ids.map((staffId, i) => ({
      eventId: `m-${staffId}`,
      occurredAt: NOW - 30 * 86_400_000,
      counters: [
        { staffId, periods: [MONTH], counter: 'supervisor_ratings', by: 1 },
        { staffId, periods: [MONTH], counter: 'supervisor_score_sum', by: 60 + (i % 40) },
        { staffId, periods: [MONTH], counter: 'contacts_handled', by: 100 + (i % 97) },
        { staffId, periods: [MONTH], counter: 'handle_seconds', by: (100 + (i % 97)) * 300 },
      ],
      sla: [],
    })));
    const out = await collect(sb);
    cleanups.push(out.stop);

    // A leads, sends the first chunk of MONTH's FINAL outbox, then stalls until told to go on.
    let release: () => void = () => {};
    const stalled = new Promise<void>((r) => (release = r));
    let aChunks = 0;
    const a = startScorer(sb, {
      ownerId: 'scorer-a',
      afterChunkSent: async (period, chunk) => {
        aChunks = chunk + 1;
        if (period === MONTH && chunk === 0) await stalled;
      },
    });
    await a.start();
    cleanups.push(async () => {
      release();
      await a.kill();
    });
    await waitFor(async () => aChunks >= 1, 60_000, 'A to send its first chunk');
    const b = startScorer(sb, { ownerId: 'scorer-b' });
    await b.start();
    cleanups.push(() => b.kill());

    // B takes over (A's lease runs out), re-sends the outbox and commits; then a late event -> REVISED.
    const finals = () => out.cards.filter((c) => c.value.status === 'FINAL' && periodIdOfCard(c.value) === MONTH);
    await waitFor(async () => new Set(finals().map((c) => c.value.staffId)).size === STAFF, 120_000, 'every FINAL, re-sent by B');
    await applyEffects(sb, [{ eventId: 'late-1', occurredAt: NOW - 29 * 86_400_000, counters: [{ staffId: ids[STAFF - 1]!, periods: [MONTH], counter: 'supervisor_score_sum', by: 30 }], sla: [] }]);
    await waitFor(async () => out.cards.some((c) => c.value.status === 'REVISED' && c.value.staffId === ids[STAFF - 1]), 60_000, "B's REVISED");

    // A wakes up: its next chunk must not go out. It steps down (how soon depends on the machine's
    // load: the wait is a bound on the test, not on A), and a few more ticks pass for anything late.
    const before = out.cards.length;
    release();
    const leaderGauge = () => a.metrics.registry.getSingleMetricAsString('cs_scorer_is_leader');
    await waitFor(async () => /cs_scorer_is_leader 0$/m.test(await leaderGauge()), 60_000, 'A to step down after it woke');
    await sleep(TICK_SECONDS * 1000 * 4);
    const aChunksAfter = aChunks;
    const late = out.cards.slice(before).filter((c) => c.value.status === 'FINAL');

    // Per key, in partition order, revisions never decrease and no FINAL follows a REVISED.
    const byKey = new Map<string, { status: string; revision: number }[]>();
    for (const c of [...out.cards].sort((x, y) => Number(x.offset) - Number(y.offset))) {
      const k = `${periodIdOfCard(c.value)}|${c.value.staffId}`;
      (byKey.get(k) ?? byKey.set(k, []).get(k)!).push({ status: c.value.status, revision: c.value.revision });
    }
    const backwards = [...byKey].filter(([, seq]) => seq.some((r, i) => i > 0 && (r.revision < seq[i - 1]!.revision || (r.status === 'FINAL' && seq[i - 1]!.status === 'REVISED'))));
    summary(`[fencing] ${STAFF} staff; A sent ${aChunksAfter} chunk(s) in all; FINAL records after A woke: ${late.length}; keys going backwards: ${backwards.length}`);
    expect(aChunksAfter).toBe(1);
    expect(late).toEqual([]);
    expect(backwards.map(([k]) => k)).toEqual([]);
    expect(await leaderGauge()).toMatch(/cs_scorer_is_leader 0$/m);
  });
});
