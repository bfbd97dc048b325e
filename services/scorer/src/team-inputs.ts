// What a MONTH's team cards read beyond the staff cards: the calls each team answered per queue
// (`qs:<MONTH>`) with the queues' centre-wide counts (`q:<MONTH>`), as the engine's QueueCalls.
import { queueCallsByTeam, type QueueCalls, type RosterEntry } from '@cs/appraisal';
import type { CounterStore } from '@cs/counter-store';

export async function monthQueueCalls(store: CounterStore, monthId: string, roster: readonly RosterEntry[]): Promise<Map<string, QueueCalls[]>> {
  const [queueStaff, sla] = await Promise.all([store.monthQueueStaff(monthId), store.periodSla(monthId)]);
  return queueCallsByTeam(roster, queueStaff, sla);
}
