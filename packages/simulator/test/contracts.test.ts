import { beforeAll, describe, expect, it } from 'vitest';
import { EVENT_KINDS, KIND_TOPIC, createCodecs, messageKey, type Codecs, type SourceEvent } from '@cs/contracts';
import { MALFORMED_SORTS, createSimulation, encodeItem, isMalformed, type SimItem, type SimEventItem, type SimMalformedItem } from '../src/index.ts';
import { addDays, previousPeriod, rosterForPeriod } from '@cs/appraisal';
import { OCT } from './helpers.ts';

let codecs: Codecs;
let items: SimItem[];
const sim = createSimulation({
  seed: 2026, teams: 3, staffPerTeam: 8, startMs: OCT.startMs, endMs: OCT.endMs, stormDays: [18], malformedRate: 0.01, duplicateRate: 0.005,
});

beforeAll(() => {
  codecs = createCodecs();
  items = [...sim.items()];
});

describe('a month of 3 teams × 8 staff', () => {
  it('covers every event kind of events.md and every role', () => {
    const kinds = new Set<string>();
    for (const i of items) if (!isMalformed(i)) kinds.add((i.event as SourceEvent).kind);
    expect([...kinds].sort()).toEqual([...EVENT_KINDS].sort());
    expect(new Set(sim.roster.map((r) => r.role)).size).toBe(6);
    expect(sim.roster).toHaveLength(24);
    for (const r of sim.roster) expect(sim.skills.get(r.staffId)).toBeGreaterThanOrEqual(0);
  });

  it('every valid event (and the roster) survives encode -> decodeAndValidate unchanged', () => {
    const now = OCT.endMs;
    let n = 0;
    for (const i of [...sim.rosterItems(), ...items]) {
      if (isMalformed(i)) continue;
      const msg = encodeItem(codecs, i);
      expect(msg.topic).toBe(i.topic);
      if (i.topic !== 'roster') expect(i.topic).toBe(KIND_TOPIC[(i.event as SourceEvent).kind]);
      const r = codecs.decodeAndValidate(i.topic, msg.value, { now });
      if (!r.ok) throw new Error(`${JSON.stringify(i.event)}: ${r.error.message}`);
      expect(r.event).toEqual(i.event);
      n++;
    }
    expect(n).toBeGreaterThan(10_000);
  });

  it('message keys follow events.md (staffId, else ticket / call id)', () => {
    for (const i of items) {
      if (isMalformed(i)) continue;
      const e = i.event as SourceEvent;
      expect(i.key).toBe(messageKey(e));
      if (e.kind === 'RepairArrived') expect(i.key).toBe(e.ticketId);
      if (e.kind === 'CallAbandoned') expect(i.key).toBe(e.callId);
      if (e.kind === 'ShiftAttended') expect(i.key).toBe(e.staffId);
    }
  });

  it('each malformed item is rejected with its expected class, and every sort occurs', () => {
    const bad = items.filter(isMalformed) as SimMalformedItem[];
    expect(bad.length).toBeGreaterThan(50);
    const sorts = new Set<string>();
    for (const m of bad) {
      sorts.add(m.sort);
      expect(MALFORMED_SORTS[m.sort]).toBe(m.expectedClass);
      const r = codecs.decodeAndValidate(m.topic, m.bytes, { now: OCT.endMs });
      expect(r.ok, `${m.sort} on ${m.topic} decoded`).toBe(false);
      if (!r.ok) expect(r.error.errorClass, `${m.sort}: ${r.error.message}`).toBe(m.expectedClass);
      expect(encodeItem(codecs, m).value).toBe(m.bytes);
    }
    expect([...sorts].sort()).toEqual(Object.keys(MALFORMED_SORTS).sort());
    const classes = new Set(bad.map((m) => m.expectedClass));
    expect([...classes].sort()).toEqual(['DECODE', 'UNKNOWN_KIND', 'VALIDATION']);
  });

  it('duplicates repeat an earlier event exactly, a little later in the stream', () => {
    const seen = new Map<string, { index: number; line: string }>();
    let dups = 0;
    items.forEach((i, index) => {
      if (isMalformed(i)) return;
      const e = i.event as SourceEvent;
      if (i.duplicate) {
        const first = seen.get(e.eventId);
        expect(first).toBeDefined();
        expect(first!.index).toBeLessThan(index);
        expect(JSON.stringify(e)).toBe(first!.line);
        dups++;
      } else {
        seen.set(e.eventId, { index, line: JSON.stringify(e) });
      }
    });
    expect(dups).toBeGreaterThan(10);
  });

  it('storm day: many more repair tickets and slower arrivals', () => {
    const day = 86_400_000;
    const stormStart = OCT.startMs + 17 * day;
    const arrivals = items.filter((i): i is SimEventItem => !isMalformed(i) && !i.duplicate && (i.event as SourceEvent).kind === 'RepairArrived')
      .map((i) => i.event as Extract<SourceEvent, { kind: 'RepairArrived' }>);
    const storm = arrivals.filter((e) => e.reportedAt >= stormStart && e.reportedAt < stormStart + day);
    const calm = arrivals.filter((e) => e.reportedAt < stormStart - day);
    const perDayCalm = calm.length / 16;
    expect(storm.length).toBeGreaterThan(3 * perDayCalm);
    const limit = { URBAN: 45, RURAL: 90, REMOTE: 120 };
    const within = (xs: typeof arrivals) => xs.filter((e) => e.occurredAt - e.reportedAt <= limit[e.areaClass] * 60_000).length / xs.length;
    expect(within(storm)).toBeLessThan(within(calm));
  });

  it('outage notices: planned mostly ≥ 7 days ahead, temporary ≥ 24 h', () => {
    const notices = items.flatMap((i) => (!isMalformed(i) && (i.event as SourceEvent).kind === 'OutageNoticePublished' ? [i.event as Extract<SourceEvent, { kind: 'OutageNoticePublished' }>] : []));
    const onTime = notices.filter((n) => n.outageStartsAt - n.occurredAt >= (n.noticeType === 'PLANNED' ? 7 * 24 : 24) * 3_600_000);
    expect(onTime.length / notices.length).toBeGreaterThan(0.8);
  });
});

describe('an effective-dated transfer (transferAt)', () => {
  const mid = OCT.startMs + 10 * 86_400_000 + 3_600_000; // the 11th of OCT
  const withTransfer = createSimulation({ seed: 7, teams: 6, staffPerTeam: 8, startMs: OCT.startMs, endMs: OCT.endMs, transferAt: mid });

  it('adds one dated profile keyed <staffId>|<effectiveFrom>, valid, moving a hotline agent to another team with that role', () => {
    const t = withTransfer.transfer!;
    const base = withTransfer.roster.find((r) => r.staffId === t.staffId)!;
    expect(t).toMatchObject({ role: base.role, effectiveFrom: addDays(OCT.start, 10), active: true });
    expect(t.role).toBe('HOTLINE_AGENT'); // 6 teams: two have hotline agents
    expect(t.teamId).not.toBe(base.teamId);
    const items = withTransfer.rosterItems();
    expect(items).toHaveLength(withTransfer.roster.length + 1);
    expect(items.at(-1)).toMatchObject({ key: `${t.staffId}|${t.effectiveFrom}`, event: t });
    const r = codecs.decodeAndValidate('roster', encodeItem(codecs, items.at(-1)!).value, { now: OCT.endMs });
    expect(r.ok && r.event).toEqual(t);
    // scored in the new team for OCT (last day active there), in the old one before
    const timelines = [{ staffId: t.staffId, entries: [base, t].map((p) => ({ from: p.effectiveFrom, teamId: p.teamId, role: p.role, active: p.active })) }];
    expect(rosterForPeriod(timelines, OCT, OCT.timeZone)[0]!.teamId).toBe(t.teamId);
    expect(rosterForPeriod(timelines, previousPeriod(OCT), OCT.timeZone)[0]!.teamId).toBe(base.teamId);
  });

  it('is absent by default', () => {
    expect(sim.transfer).toBeNull();
    expect(sim.rosterItems()).toHaveLength(sim.roster.length);
  });
});
