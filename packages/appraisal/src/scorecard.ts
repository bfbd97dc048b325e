// The published records (interfaces.md: Scorecard JSON, Eligibility JSON) are the types generated
// from their Avro schemas; a type-only import keeps this package free of the codecs' I/O.
export type { Scorecard, Eligibility } from '@cs/contracts';
