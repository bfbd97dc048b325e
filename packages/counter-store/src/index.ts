export { CounterStore, InvalidRosterChangeError, parseCounterObjects, type BatchToApply, type ApplyOutcome, type EventEffect, type Profile, type RosterChange, type StoredTimeline, type CounterStoreOptions } from './store.ts';
export * from './keys.ts';
export { defineCounterScripts, APPLY_CODES } from './scripts.ts';
export { MAX_INCREMENT, incrementProblem, effectProblem, InvalidIncrementError } from './increments.ts';
export { encodeEffectRecord, decodeEffectRecord } from './effect-record.ts';
export { queueFigures, areaFigures, AREA_CLASSES, type QueueFigures, type AreaFigures } from './sla-figures.ts';
export { encodeStaticRecord, decodeStaticRecord, staticRecordsOf } from './static-record.ts';
