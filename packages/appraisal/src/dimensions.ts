// Type alias for scorecard.ts (owned by the contracts work, which replaces it with the Avro type);
// the dimensions are computed by the kernel. Delete once nothing imports it.
export type { DimensionScores } from './kernel.ts';
