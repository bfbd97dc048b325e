import { ContractError } from './errors.ts';
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
  error: ContractError | { errorClass: string; code: string; message: string } | Error;
  service: string;
  /** Defaults to Date.now(). */
  at?: number;
}

export function buildDeadLetter(args: DeadLetterArgs): DeadLetter {
  const { errorClass, code, message } = classify(args.error);
  return {
    originalTopic: args.originalTopic,
    partition: args.partition,
    offset: String(args.offset),
    key: args.key == null ? null : Buffer.isBuffer(args.key) ? args.key : Buffer.from(args.key, 'utf8'),
    value: args.value ?? null,
    errorClass,
    code,
    message: message.length > MAX_DLQ_MESSAGE_CHARS ? `${message.slice(0, MAX_DLQ_MESSAGE_CHARS - 3)}...` : message,
    service: args.service,
    at: args.at ?? Date.now(),
  };
}

function classify(e: DeadLetterArgs['error']): { errorClass: string; code: string; message: string } {
  if (e instanceof ContractError) return { errorClass: e.errorClass, code: e.code, message: e.message };
  if ('errorClass' in e && typeof e.errorClass === 'string') return { errorClass: e.errorClass, code: String(e.code), message: String(e.message) };
  return { errorClass: 'PROCESSING', code: 'CS_PROCESSING_FAILED', message: e.message || String(e) };
}
