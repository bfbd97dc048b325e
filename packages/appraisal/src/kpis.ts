// Type alias for scorecard.ts (owned by the contracts work, which replaces it with the Avro type);
// the KPIs are computed by the kernel. Delete once nothing imports it.
export type { KpiMap } from './kernel.ts';
