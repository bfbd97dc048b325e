// @cs/simulator — realistic, deterministic synthetic traffic for the appraisal engine: a province's
// customer-service staff (95598 hotline, business halls, meter reading and billing, work orders,
// repair crews) and the events they cause, plus malformed messages and producer-retry duplicates.
//
//   const sim = createSimulation({ seed: 42, teams: 30, staffPerTeam: 10, startMs, endMs });
//   for (const item of sim.items()) producer.send(encodeItem(codecs, item));
//
// Live: call sim.liveWindow(prevEnd, Date.now()) repeatedly (startMs = when the run began).

export {
  createSimulation,
  collectItems,
  encodeItem,
  isMalformed,
  type Simulation,
  type SimulationOptions,
  type SimItem,
  type SimEventItem,
  type SimMalformedItem,
  type SimStats,
} from './simulator.ts';
export { MALFORMED_SORTS, UNKNOWN_SCHEMA_ID, buildMalformed, type MalformedSort, type ExpectedErrorClass, type MalformedPayload } from './malformed.ts';
export { TEAM_ROTATION, buildOrganisation, profilesOf, staffIdOf, teamId, type SimStaff, type SimTeam, type TeamKind } from './roster.ts';
export { Rng, weightTable, hashNumbers, type WeightTable } from './prng.ts';
export { MinHeap } from './heap.ts';
