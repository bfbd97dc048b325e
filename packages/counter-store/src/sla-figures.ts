// The live operational figures of a period from its SLA counters (`periodSla`): per hotline queue
// the service level (answered within the threshold / offered) and abandonment, per area class the
// repair crews on site within the commitment. Pure; read by the demo's live view and the console.
export interface QueueFigures {
  queue: string;
  offered: number;
  answered: number;
  abandoned: number;
  answeredWithin: number;
  /** answered within the threshold / offered; null with nothing offered */
  serviceLevel: number | null;
  /** abandoned / offered; null with nothing offered */
  abandonRate: number | null;
}

export interface AreaFigures {
  area: string;
  arrivals: number;
  within: number;
  /** on site within the commitment / arrivals; null without arrivals */
  rate: number | null;
}

export const AREA_CLASSES = ['URBAN', 'RURAL', 'REMOTE'] as const;

const ratio = (n: number, d: number): number | null => (d > 0 ? n / d : null);

/** The queues named in the counters (sorted), each with its figures. */
export function queueFigures(sla: Record<string, number>, alsoQueues: Iterable<string> = []): QueueFigures[] {
  const queues = new Set<string>(alsoQueues);
  for (const k of Object.keys(sla)) if (k.startsWith('answered|') || k.startsWith('abandoned|')) queues.add(k.split('|')[1]!);
  return [...queues].sort().map((queue) => {
    const answered = sla[`answered|${queue}`] ?? 0;
    const abandoned = sla[`abandoned|${queue}`] ?? 0;
    const answeredWithin = sla[`answered_within|${queue}`] ?? 0;
    const offered = answered + abandoned;
    return { queue, offered, answered, abandoned, answeredWithin, serviceLevel: ratio(answeredWithin, offered), abandonRate: ratio(abandoned, offered) };
  });
}

/** Repair arrivals per area class against the commitment. */
export function areaFigures(sla: Record<string, number>): AreaFigures[] {
  return AREA_CLASSES.map((area) => {
    const arrivals = sla[`repair_arrival|${area}`] ?? 0;
    const within = sla[`repair_arrival_within|${area}`] ?? 0;
    return { area, arrivals, within, rate: ratio(within, arrivals) };
  });
}
