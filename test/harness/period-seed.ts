// A past period known only to Redis, written the way the aggregator keeps it: the roster (one
// profile per member, effective from the period's start) and a month of counters per member.
import type { Period, Role } from '@cs/appraisal';
import type { CounterStore } from '@cs/counter-store';

export interface SeedMember {
  staffId: string;
  teamId: string;
  role: Role;
  active: boolean;
}

export async function seedPeriod(store: CounterStore, period: Period, roster: readonly SeedMember[], counters: Record<string, Record<string, number>>): Promise<void> {
  await store.registerShard(0);
  await store.applyRoster(0, 0, roster.length, roster.map((r) => ({ staffId: r.staffId, profile: { ...r, updatedAt: period.startMs } })));
  const effects = Object.entries(counters).map(([staffId, c]) => ({
    eventId: `m-${staffId}`,
    occurredAt: period.startMs + 86_400_000,
    counters: Object.entries(c).map(([counter, by]) => ({ staffId, periods: [period.id], counter, by })),
    sla: [],
  }));
  const r = await store.applyBatch({ shard: 0, topic: 'scripted', partition: 0, firstOffset: 0, nextOffset: effects.length, effects });
  if (r.status !== 'applied') throw new Error(`seeding ${period.id}: applyBatch answered ${r.status}`);
}
