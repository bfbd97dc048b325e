// The events the engine attributes are the contract's own types (generated from the Avro
// schemas in schemas/), so the engine and the wire cannot drift apart. Types only: no I/O.
export type { SourceEvent as AttributableEvent, EventKind as AttributableKind } from '@cs/contracts';
