import { describe, expect, it } from 'vitest';
import type { OutMessage } from '../src/outbox-format.ts';
import { produceRequests } from '../src/produce-requests.ts';

const topics = { appraisal: 'cards', eligibility: 'elig', teamScorecard: 'teams' };
const member = (i: number, cardBytes: number): OutMessage[] => {
  const k = `S${String(i).padStart(6, '0')}`;
  return [
    { t: 'a', k, v: Buffer.alloc(cardBytes, i % 251) },
    { t: 'e', k, v: Buffer.alloc(100, i % 251) },
  ];
};
const flat = (requests: ReturnType<typeof produceRequests>) =>
  [...requests].map((r) => r.map((t) => ({ topic: t.topic, keys: t.messages.map((m) => m.key) })));

describe('produceRequests', () => {
  it('keeps every record once, in order per topic, a member’s card and eligibility in one request', () => {
    const messages = Array.from({ length: 3000 }, (_, i) => member(i, 1000)).flat();
    const requests = [...produceRequests(messages, topics, new Map([['cards', 3], ['elig', 3]]))];
    expect(requests.length).toBeGreaterThan(1);
    const sent = { cards: [] as string[], elig: [] as string[] };
    for (const r of requests) {
      for (const t of r) {
        expect(t.messages.length).toBeGreaterThan(0);
        sent[t.topic as 'cards' | 'elig'].push(...t.messages.map((m) => m.key));
      }
      const cards = r.find((t) => t.topic === 'cards')?.messages.map((m) => m.key) ?? [];
      const elig = r.find((t) => t.topic === 'elig')?.messages.map((m) => m.key) ?? [];
      expect(elig.filter((k) => !cards.includes(k)).length).toBeLessThanOrEqual(1); // the cut may fall between the two
    }
    const want = messages.filter((m) => m.t === 'a').map((m) => m.k);
    expect(sent.cards).toEqual(want);
    expect(sent.elig).toEqual(want);
    expect(requests.flat().find((t) => t.topic === 'cards')!.messages[0]!.value).toBe(messages[0]!.v); // views, not copies
  });

  it('sizes requests by partition count: ~640 KiB of one topic per partition', () => {
    const messages = Array.from({ length: 4000 }, (_, i) => member(i, 1000)).flat();
    const cardBytes = (parts: number) =>
      [...produceRequests(messages, topics, new Map([['cards', parts], ['elig', parts]]))].map((r) => r.find((t) => t.topic === 'cards')!.messages.reduce((s, m) => s + m.value.length, 0));
    expect(Math.max(...cardBytes(1))).toBeLessThanOrEqual(640 * 1024);
    expect(Math.max(...cardBytes(3))).toBeLessThanOrEqual(3 * 640 * 1024);
    expect(Math.max(...cardBytes(3))).toBeGreaterThan(2 * 640 * 1024);
    // Unknown partition counts: small requests.
    expect(flat(produceRequests(messages, topics, new Map())).length).toBe(cardBytes(1).length);
  });

  it('carries the partition a caller chose for each record', () => {
    const messages = Array.from({ length: 10 }, (_, i) => member(i, 10)).flat();
    const partitionOf = messages.map((_, i) => i % 3);
    const sent = [...produceRequests(messages, topics, new Map(), partitionOf)].flat().flatMap((t) => t.messages);
    expect(sent.map((m) => `${m.key}:${m.partition}`).sort()).toEqual(messages.map((m, i) => `${m.k}:${i % 3}`).sort());
  });

  it('never yields an empty request, even for a record larger than the budget', () => {
    const huge: OutMessage[] = [{ t: 'a', k: 'S1', v: Buffer.alloc(700 * 1024) }, { t: 'a', k: 'S2', v: Buffer.alloc(10) }];
    const requests = flat(produceRequests(huge, topics, new Map()));
    expect(requests).toEqual([[{ topic: 'cards', keys: ['S1'] }], [{ topic: 'cards', keys: ['S2'] }]]);
    expect(flat(produceRequests([], topics, new Map()))).toEqual([]);
  });
});
