import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RULES, attribute, scorePopulation, type Counters } from '@cs/appraisal';
import type { SourceEvent } from '@cs/contracts';
import { createSimulation, isMalformed } from '../src/index.ts';
import { OCT, WEEK_MS } from './helpers.ts';

function quartiles<T>(xs: T[], skill: (x: T) => number): { bottom: T[]; top: T[] } {
  const s = [...xs].sort((a, b) => skill(a) - skill(b));
  const q = Math.max(1, Math.floor(s.length / 4));
  return { bottom: s.slice(0, q), top: s.slice(-q) };
}
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('skill shows in the measures and the grades', () => {
  const sim = createSimulation({ seed: 77, teams: 12, staffPerTeam: 10, startMs: OCT.startMs, endMs: OCT.endMs, stormDays: [9] });
  const counters = new Map<string, Counters>();
  beforeAll(() => {
    for (const item of sim.items()) {
      if (isMalformed(item) || item.duplicate) continue;
      for (const inc of attribute(item.event as SourceEvent, DEFAULT_RULES)) {
        if (inc.at < OCT.startMs || inc.at >= OCT.endMs) continue;
        let c = counters.get(inc.staffId);
        if (!c) counters.set(inc.staffId, (c = {}));
        c[inc.counter] = (c[inc.counter] ?? 0) + inc.by;
      }
    }
  });
  const skill = (id: string): number => sim.skills.get(id)!;
  const c = (id: string): Counters => counters.get(id) ?? {};

  it('top-skill agents beat bottom-skill agents on FCR, satisfaction, handle time, quality, attendance', () => {
    const agents = sim.roster.filter((r) => r.role === 'HOTLINE_AGENT' || r.role === 'HALL_CLERK').map((r) => r.staffId);
    expect(agents.length).toBeGreaterThanOrEqual(20);
    const { bottom, top } = quartiles(agents, skill);
    const m = (ids: string[], f: (c: Counters) => number): number => mean(ids.map((id) => f(c(id))));
    const fcr = (x: Counters) => (x.contacts_resolved ?? 0) / (x.contacts_handled ?? 1);
    const sat = (x: Counters) => (x.surveys_satisfied ?? 0) / (x.surveys ?? 1);
    const aht = (x: Counters) => (x.handle_seconds ?? 0) / (x.contacts_handled ?? 1);
    const quality = (x: Counters) => (x.quality_score_sum ?? 0) / Math.max(1, x.quality_inspections ?? 0);
    const attendance = (x: Counters) => (x.attended_minutes ?? 0) / (x.scheduled_minutes ?? 1);
    expect(m(top, fcr)).toBeGreaterThan(m(bottom, fcr) + 0.05);
    expect(m(top, sat)).toBeGreaterThan(m(bottom, sat) + 0.03);
    expect(m(top, aht)).toBeLessThan(m(bottom, aht) - 60);
    expect(m(top, quality)).toBeGreaterThan(m(bottom, quality) + 5);
    expect(m(top, attendance)).toBeGreaterThan(m(bottom, attendance));
    // Realistic ranges.
    const all = (f: (c: Counters) => number) => m(agents, f);
    expect(all(fcr)).toBeGreaterThan(0.6);
    expect(all(fcr)).toBeLessThan(0.95);
    expect(all(aht)).toBeGreaterThan(240);
    expect(all(aht)).toBeLessThan(600);
  });

  it('field roles: on-time rates follow skill', () => {
    const ids = (role: string) => sim.roster.filter((r) => r.role === role).map((r) => r.staffId);
    const wo = quartiles(ids('WORK_ORDER_CLERK'), skill);
    const onTime = (x: Counters) => (x.work_orders_due_on_time ?? 0) / Math.max(1, x.work_orders_due ?? 0);
    expect(mean(wo.top.map((id) => onTime(c(id))))).toBeGreaterThan(mean(wo.bottom.map((id) => onTime(c(id)))));
    const crew = ids('REPAIR_CREW');
    expect(crew.every((id) => (c(id).repair_arrivals ?? 0) > 0)).toBe(true);
  });

  it('the top-skill quartile outscores the bottom quartile, and grades spread A..D', () => {
    const cards = scorePopulation(counters, sim.roster, DEFAULT_RULES, OCT, 'FINAL', { computedAt: OCT.endMs });
    expect(cards).toHaveLength(120);
    const graded = cards.filter((x) => x.composite !== null);
    expect(graded.length).toBe(120);
    const { bottom, top } = quartiles(graded, (x) => skill(x.staffId));
    expect(mean(top.map((x) => x.composite!))).toBeGreaterThan(mean(bottom.map((x) => x.composite!)) + 15);
    const grades = new Set(cards.map((x) => x.grade));
    for (const g of ['A', 'B', 'C', 'D']) expect(grades.has(g as never), `grade ${g}`).toBe(true);
  });
});

describe('stream order and memory', () => {
  it('valid events come out in non-decreasing occurredAt order, inside the window', () => {
    const sim = createSimulation({ seed: 4, teams: 4, staffPerTeam: 8, startMs: OCT.startMs, endMs: OCT.startMs + 2 * WEEK_MS, duplicateRate: 0.02, malformedRate: 0.01 });
    let last = -Infinity;
    let n = 0;
    for (const item of sim.items()) {
      if (isMalformed(item) || item.duplicate) continue;
      const t = (item.event as SourceEvent).occurredAt;
      expect(t).toBeGreaterThanOrEqual(last);
      expect(t).toBeGreaterThanOrEqual(OCT.startMs);
      expect(t).toBeLessThan(OCT.startMs + 2 * WEEK_MS);
      last = t;
      n++;
    }
    expect(n).toBe(sim.stats().events);
  });

  it('streams: a month holds only the in-flight work, not the whole window', () => {
    const sim = createSimulation({ seed: 8, teams: 8, staffPerTeam: 10, startMs: OCT.startMs, endMs: OCT.endMs });
    const it = sim.items();
    // The first items arrive before the month is generated.
    const first = it.next();
    expect(first.done).toBe(false);
    expect(sim.stats().events).toBeLessThan(50);
    let n = 1;
    for (const _ of it) n++;
    const s = sim.stats();
    expect(n).toBe(s.events);
    expect(s.peakPending).toBeLessThan(s.events / 4);
  });

  it('intensity scales the volume', () => {
    const count = (intensity: number) => {
      const sim = createSimulation({ seed: 6, teams: 4, staffPerTeam: 8, startMs: OCT.startMs, endMs: OCT.startMs + WEEK_MS, intensity });
      let n = 0;
      for (const _ of sim.items()) n++;
      return n;
    };
    const one = count(1);
    const two = count(2);
    expect(two / one).toBeGreaterThan(1.6);
    expect(two / one).toBeLessThan(2.4);
  });

  it('rejects bad options', () => {
    expect(() => createSimulation({ seed: 1, teams: 0, staffPerTeam: 8, startMs: OCT.startMs, endMs: OCT.endMs })).toThrow(RangeError);
    expect(() => createSimulation({ seed: 1, teams: 1, staffPerTeam: 8, startMs: OCT.endMs, endMs: OCT.startMs })).toThrow(RangeError);
    expect(() => createSimulation({ seed: 1, teams: 1, staffPerTeam: 8, startMs: OCT.startMs, endMs: OCT.endMs, malformedRate: 2 })).toThrow(RangeError);
  });
});
