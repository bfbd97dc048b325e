// Issue 14.4: events for staff ids the roster never named are counted up to a cap of distinct
// unknown ids per shard and period (CS_UNKNOWN_STAFF_CAP); beyond it they are dead-lettered with
// CS_VALIDATION_UNKNOWN_STAFF_OVER_CAP and their original bytes, and counted in a metric. Named
// staff are never affected, and an unknown id that the roster names later keeps counting.
import { afterAll, describe, expect, it } from 'vitest';
import { messageKey, type SourceEvent, type StaffProfile } from '@cs/contracts';
import { Buckets } from '../src/buckets.ts';
import { TEST_CLOCK } from '../../../test/harness/clock.ts';
import { waitFor } from '../../../test/harness/index.ts';
import { codecs, diffAgainstTruth, drained, groundTruth, withAggregator, produce, readDeadLetters, sandbox, type Sandbox } from './support.ts';

const CAP = 5;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const DEDUPE_HORIZON = 48 * HOUR;

function metricValue(body: string, name: string): number {
  let sum = 0;
  for (const line of body.split('\n')) if (line.startsWith(name) && (line[name.length] === '{' || line[name.length] === ' ')) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  return sum;
}

describe('events of staff the roster never named', () => {
  let sb: Sandbox;
  afterAll(async () => sb?.close());

  it(`keeps at most ${CAP} unknown ids per shard and period, dead-letters the rest with their bytes, and counts named staff exactly`, async () => {
    sb = await sandbox(1); // one partition = one shard: the cap applies to every event below
    sb.env.CS_UNKNOWN_STAFF_CAP = String(CAP);
    // One local day, one dedupe generation: the script sees the events in offset order.
    let t0 = TEST_CLOCK.clock.now() - 3 * DAY - 3 * HOUR;
    if (Math.floor(t0 / DEDUPE_HORIZON) !== Math.floor((t0 + HOUR) / DEDUPE_HORIZON)) t0 -= 2 * HOUR;
    const [dayPeriod, monthPeriod] = new Buckets('Asia/Shanghai').staff(t0);
    const profile = (staffId: string): StaffProfile => ({ staffId, teamId: 'T01', role: 'HOTLINE_AGENT', active: true, updatedAt: t0 - DAY, effectiveFrom: null });
    const named = ['N1', 'N2', 'N3'];
    const unknown = Array.from({ length: 20 }, (_, i) => `U${String(i + 1).padStart(2, '0')}`);
    let n = 0;
    const survey = (staffId: string): SourceEvent => ({ kind: 'SurveyAnswered', eventId: `ev-${++n}`, occurredAt: t0 + n * 60_000, callId: `C${n}`, staffId, score: 4 });
    const contact = (staffId: string): SourceEvent => ({ kind: 'ContactCompleted', eventId: `ev-${++n}`, occurredAt: t0 + n * 60_000, callId: `C${n}`, staffId, channel: 'HOTLINE', category: 'INQUIRY', talkSeconds: 100 + n, holdSeconds: 5, wrapSeconds: 10, resolution: 'RESOLVED' });
    const encode = (e: SourceEvent) => ({ topic: 'callcenter' as const, key: messageKey(e), value: codecs.encode('callcenter', e) });

    // The roster first, then one stream: named staff interleaved with 20 distinct unknown ids.
    await produce(sb, named.map((s) => ({ topic: 'roster' as const, key: s, value: codecs.encode('roster', profile(s)) })));
    const events: SourceEvent[] = [];
    unknown.forEach((u, i) => {
      events.push(contact(named[i % 3]!), survey(u));
      if (i % 4 === 0) events.push(survey(named[(i + 1) % 3]!));
    });
    const messages = events.map(encode);
    await withAggregator(sb, async (agg) => {
      await waitFor(async () => (await sb.store.roster()).size === 3, 30_000, 'the roster in Redis');
      await produce(sb, messages);
      await drained(sb, 60_000);

      // Exactly the first CAP unknown ids are admitted (offset order), the rest dead-lettered.
      const admitted = unknown.slice(0, CAP);
      const refused = unknown.slice(CAP);
      const counted = events.filter((e) => !refused.includes((e as { staffId: string }).staffId));
      expect(await diffAgainstTruth(sb, groundTruth(counted))).toEqual([]);
      expect([...(await sb.store.periodStaff(dayPeriod!))].sort()).toEqual([...named, ...admitted].sort());
      expect([...(await sb.store.periodStaff(monthPeriod!))].sort()).toEqual([...named, ...admitted].sort());
      const dl = await readDeadLetters(sb, refused.length);
      expect(dl.map((d) => `${d.errorClass}:${d.code}`)).toEqual(refused.map(() => 'VALIDATION:CS_VALIDATION_UNKNOWN_STAFF_OVER_CAP'));
      const refusedBytes = messages.filter((_, i) => refused.includes((events[i] as { staffId: string }).staffId)).map((m) => m.value.toString('latin1'));
      expect(dl.map((d) => d.value!.toString('latin1'))).toEqual(refusedBytes);
      let body = await agg.metrics.registry.metrics();
      expect(metricValue(body, 'cs_aggregator_unknown_staff_rejected_total')).toBe(refused.length);
      expect(metricValue(body, 'cs_aggregator_unknown_staff_admitted_total')).toBe(2 * CAP); // each id in its DAY and its MONTH
      expect(metricValue(body, 'cs_aggregator_events_total')).toBe(counted.length);

      // Later the roster names an admitted id (U02) and a refused one (U09): both count from now
      // on, past the cap, while another unknown id (U21) is still refused.
      await produce(sb, ['U02', 'U09'].map((s) => ({ topic: 'roster' as const, key: s, value: codecs.encode('roster', profile(s)) })));
      await waitFor(async () => (await sb.store.roster()).size === 5, 30_000, 'the roster update in Redis');
      const later = [survey('U02'), contact('U09'), survey('U21'), contact('N1'), survey('U01')];
      const laterMessages = later.map(encode);
      await produce(sb, laterMessages);
      await drained(sb, 60_000);
      const countedNow = [...counted, ...later.filter((e) => (e as { staffId: string }).staffId !== 'U21')];
      expect(await diffAgainstTruth(sb, groundTruth(countedNow))).toEqual([]);
      const dl2 = await readDeadLetters(sb, refused.length + 1);
      expect(dl2.at(-1)!.code).toBe('CS_VALIDATION_UNKNOWN_STAFF_OVER_CAP');
      expect(dl2.at(-1)!.value!.equals(laterMessages[2]!.value)).toBe(true);
      body = await agg.metrics.registry.metrics();
      expect(metricValue(body, 'cs_aggregator_unknown_staff_rejected_total')).toBe(refused.length + 1);
    });
  });
});
