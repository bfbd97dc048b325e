// The what-if population worked out by hand (docs/what-if.md "Worked example"): three hotline
// agents, 10 workload units each (20 callbacks × 0.5), supervisor and 360° ratings of v.
// workload min(100, 100 × 10 / (1.2 × 10)) = 83.33; conduct = satisfaction = min(100, 100 × (v − 60) / 35)
// composite (20 × 83.33 + 30 × s) / 50: v 95 -> 93.3, v 94 -> 91.6, v 80 -> 67.6
import { OCT } from './fixture-periods.ts';

export const AT = OCT.startMs + 40 * 86_400_000;
/** conduct and satisfaction from ratings of v, 10 workload units (20 callbacks × 0.5) */
export const rated = (v: number) => ({ callbacks_made: 20, supervisor_ratings: 1, supervisor_score_sum: v, feedback_ratings: 3, feedback_score_sum: 3 * v });
export const COUNTERS = new Map<string, Record<string, number>>([
  ['S01', rated(95)],
  ['S02', rated(80)],
  ['S03', rated(94)],
]);
export const ROSTER = [
  { staffId: 'S01', teamId: 'T1', role: 'HOTLINE_AGENT', active: true },
  { staffId: 'S02', teamId: 'T1', role: 'HOTLINE_AGENT', active: true },
  { staffId: 'S03', teamId: 'T2', role: 'HOTLINE_AGENT', active: true },
] as const;
