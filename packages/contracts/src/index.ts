// @cs/contracts: the event contracts of events.md as code. See schemas/README.md.
export { TOPICS, TOPIC_KEYS, SOURCE_TOPIC_KEYS, isTopicKey, isSourceTopicKey, resolveTopicKey } from './topics.ts';
export type { TopicKey, SourceTopicKey, InputTopicKey } from './topics.ts';

export type * from './generated/types.ts';
export { TOPIC_KINDS, ENUM_SYMBOLS } from './generated/types.ts';

export { KIND_TOPIC, EVENT_KINDS, isEventKind, messageKey, rosterKeyOf, parseRosterKey, correctionKey } from './kinds.ts';
export { outputKey, outputKeyOf, periodIdOfRecord } from './output-keys.ts';
export type { CallcenterEvent, BillingEvent, OutageRepairEvent, WorkforceEvent, SourceEvent, EventKind, EventOfKind, RosterKind } from './kinds.ts';

export { CsError, isCsError, isRetriable } from './cs-error.ts';
export type { CsErrorOptions } from './cs-error.ts';
export { ContractError, ERROR_CODES, isContractError, deadLetterReason, decodeError, unknownKindError, validationError, tooLateError, dueBeyondLatenessError, dueTooFarError, incrementOutOfRangeError, unknownStaffOverCapError, rosterKeyMismatchError, tombstoneError, unplaceableError, correctionError } from './errors.ts';
export type { ErrorClass, ErrorCode, DeadLetterCode, DeadLetterReason, Issue } from './errors.ts';

export { createCodecs } from './codec.ts';
export type { Codecs, DecodeResult, ValidateOptions } from './codec.ts';

export { validateEvent, correctionError as correctionValidationError } from './validation.ts';
export { RULES, KIND_RULES, ROSTER_RULES, CORRECTION_RULES, PERIOD_WIDE, MIN_TIME_MS, MAX_TIME_MS, MAX_FUTURE_SKEW_MS, MAX_CREW, MAX_ID_LENGTH, STAFF_ID_PATTERN, isCalendarDate } from './rules.ts';
export type { FieldRule, CrossRule, KindRules } from './rules.ts';

export { buildDeadLetter, MAX_DLQ_MESSAGE_CHARS, MAX_DLQ_VALUE_BYTES } from './dead-letter.ts';
export type { DeadLetterArgs } from './dead-letter.ts';

export { parseNdjson, toNdjson } from './ndjson.ts';
export type { NdjsonRecord, NdjsonError, NdjsonResult, NdjsonOptions } from './ndjson.ts';

export { buildKindSchemas } from './zod-schemas.ts';
export { canRead, checkEvolution, checkVersionChain } from './compatibility.ts';
export type { CompatResult, EvolutionReport } from './compatibility.ts';

export { loadCatalogue, DEFAULT_SCHEMAS_DIR } from './catalogue.ts';
export type { LoadedCatalogue, LoadedSubject, LoadedVersion } from './catalogue.ts';
export { MAGIC_BYTE, HEADER_BYTES, frameHeader, readSchemaId, readVarint, varintBytes } from './framing.ts';
export { isUpgradeName, type UpgradeName } from './upgrades.ts';
export type { CodecOptions } from './codec.ts';
export { SchemaRegistryClient, RegistryError, valueSubject, type RegistryErrorCode, type CompatibilityLevel } from './registry-client.ts';
export { registerSchemas, codecsFor, type RegistryTopics } from './registry-codecs.ts';
