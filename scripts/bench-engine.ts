// tsx scripts/bench-engine.ts — the pure engine alone, no Redis/Kafka: scorePopulation and
// eligibility over the same synthetic population as bench-scorer.ts (BENCH_STAFF, BENCH_TEAMS,
// BENCH_REPEAT). Prints best-of timings and a digest of the output, so a change to the engine can
// be checked to give the same cards. BENCH_ENGINE=path/to/index.ts scores with another copy of
// the engine (e.g. a saved baseline) for a before/after comparison in one process.
import { createHash } from 'node:crypto';
import * as current from '@cs/appraisal';
import { benchPopulation, benchScorerReads } from './bench-population.ts';

const STAFF = Number(process.env.BENCH_STAFF ?? 100_000);
const TEAMS = Number(process.env.BENCH_TEAMS ?? 2_000);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 5);
const NOW = Date.UTC(2026, 9, 10, 4);

const engine: typeof current = process.env.BENCH_ENGINE ? await import(process.env.BENCH_ENGINE) : current;
const { DEFAULT_RULES, eligibility, parsePeriodId, scorePopulation } = engine;

// Same population as bench-scorer.ts, with what the scorer reads beside the counters: every
// member's static records (their profile is on each card) and the teams' queue calls.
const population = benchPopulation(STAFF, TEAMS);
const { roster, counters, prevFinals } = population;
const period = parsePeriodId('MONTH:2026-09', 'Asia/Shanghai');
const { staticState, queueCalls } = benchScorerReads(population, period.startMs);
const score = () => scorePopulation(counters, roster, DEFAULT_RULES, period, 'FINAL', { computedAt: NOW, previousFinals: prevFinals, staticState });

let cards = score();
let elig = eligibility(cards, counters, prevFinals, DEFAULT_RULES, queueCalls);
// GC pause time per phase (PerformanceObserver 'gc' entries arrive asynchronously: await a tick).
let gcMs = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcMs += e.duration;
}).observe({ entryTypes: ['gc'] });
const settle = () => new Promise((r) => setTimeout(r, 0));
const engineGc: number[] = [];
const eligGc: number[] = [];

// Wall time is what counts; CPU time (all threads, GC helpers included) is steadier on a shared
// machine for comparing two versions.
const cpuMs = (since: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
};
const engineCpu: number[] = [];
const engineRuns: number[] = [];
const eligRuns: number[] = [];
for (let r = 0; r < REPEAT; r++) {
  await settle();
  gcMs = 0;
  const cpu = process.cpuUsage();
  let t = performance.now();
  cards = score();
  engineRuns.push(performance.now() - t);
  engineCpu.push(cpuMs(cpu));
  await settle();
  engineGc.push(gcMs);
  gcMs = 0;
  t = performance.now();
  elig = eligibility(cards, counters, prevFinals, DEFAULT_RULES, queueCalls);
  eligRuns.push(performance.now() - t);
  await settle();
  eligGc.push(gcMs);
}
const best = (xs: number[]) => Math.min(...xs);
const digest = (xs: unknown[]) => {
  const h = createHash('sha256');
  for (const x of xs) h.update(JSON.stringify(x)).update('\n');
  return h.digest('hex').slice(0, 16);
};
console.log(
  `engine: ${cards.length} cards, best ${best(engineRuns).toFixed(0)} ms (${engineRuns.map((x) => x.toFixed(0)).join('/')}) = ` +
    `${Math.round((cards.length * 1000) / best(engineRuns)).toLocaleString('en-US')} cards/s; ` +
    `engine CPU best ${best(engineCpu).toFixed(0)} ms; ` +
    `eligibility best ${best(eligRuns).toFixed(0)} ms (${eligRuns.map((x) => x.toFixed(0)).join('/')}); ` +
    `GC engine ${engineGc.map((x) => x.toFixed(0)).join('/')} ms, eligibility ${eligGc.map((x) => x.toFixed(0)).join('/')} ms; ` +
    `digest cards ${digest(cards)} eligibility ${digest(elig)}`,
);
