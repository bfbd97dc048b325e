import { createHash } from 'node:crypto';
import { ContractError, deadLetterReason, type DeadLetterReason } from './errors.ts';
import type { DeadLetter } from './generated/types.ts';

export type { DeadLetter };

// Keep DLQ records small even when an error message embeds a huge value.
export const MAX_DLQ_MESSAGE_CHARS = 2000;

export interface DeadLetterArgs {
  originalTopic: string;
  partition: number;
  /** Kafka offset (kafkajs gives strings). */
  offset: string | number | bigint;
  key: Buffer | string | null | undefined;
  /** The original bytes, unchanged (null for a tombstone). */
  value: Buffer | null | undefined;
  /** A ContractError, or any error from processing (class given explicitly or PROCESSING). */
  error: ContractError | DeadLetterReason | Error;
  service: string;
  /** When it was dead-lettered, by the caller's clock. */
  at: number;
}

/**
 * Original bytes above this are cut: a source message near the broker's 1 MB limit plus the
 * envelope would not fit in the dead-letter topic, and the partition would stall behind it.
 * The message then says so, with the original size and sha256 so the original can be matched.
 */
export const MAX_DLQ_VALUE_BYTES = 512 * 1024;
const MAX_DLQ_KEY_BYTES = 16 * 1024;

export function buildDeadLetter(args: DeadLetterArgs): DeadLetter {
  const classified = classify(args.error);
  const { errorClass, code } = classified;
  let message = classified.message;
  let value = args.value ?? null;
  if (value && value.length > MAX_DLQ_VALUE_BYTES) {
    const sha = createHash('sha256').update(value).digest('hex');
    message = `[original value of ${value.length} bytes, sha256 ${sha}, cut to its first ${MAX_DLQ_VALUE_BYTES}] ${message}`;
    value = value.subarray(0, MAX_DLQ_VALUE_BYTES);
  }
  let key = args.key == null ? null : Buffer.isBuffer(args.key) ? args.key : Buffer.from(args.key, 'utf8');
  if (key && key.length > MAX_DLQ_KEY_BYTES) key = key.subarray(0, MAX_DLQ_KEY_BYTES);
  return {
    originalTopic: args.originalTopic,
    partition: args.partition,
    offset: String(args.offset),
    key,
    value,
    errorClass,
    code,
    message: message.length > MAX_DLQ_MESSAGE_CHARS ? `${message.slice(0, MAX_DLQ_MESSAGE_CHARS - 3)}...` : message,
    service: args.service,
    at: args.at,
  };
}

function classify(e: DeadLetterArgs['error']): DeadLetterReason {
  if (e instanceof ContractError) return deadLetterReason(e);
  if ('errorClass' in e && typeof e.errorClass === 'string') return { errorClass: e.errorClass, code: e.code, message: String(e.message) };
  return { errorClass: 'PROCESSING', code: 'CS_PROCESSING_FAILED', message: e.message || String(e) };
}
