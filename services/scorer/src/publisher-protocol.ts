// Messages between the Publisher (service thread) and its sending thread (publisher-worker.ts).
// Types only, plus the error shape: structured clone keeps an Error's message but not its class.
import type { KafkaConfig } from 'kafkajs';
import type { OutputTopics } from './produce-requests.ts';

export interface PublisherWorkerData {
  /** kafkaClientConfig(): plain data (brokers, TLS, SASL, retries), no functions */
  kafka: KafkaConfig;
  topics: OutputTopics;
  /** this thread's number, and how many send: it owns the partitions p with p % threads === thread */
  thread: number;
  threads: number;
}

/** A failure as it crosses threads: kafkajs's error name, message and whether a retry may succeed. */
export interface WireError {
  name: string;
  message: string;
  retriable: boolean;
}

export type ToWorker =
  /**
   * `block`: the records in the outbox block layout (packBlock), transferred; `partitions`: each
   * record's partition (several threads), or none (one thread: the producer's partitioner decides)
   */
  | { kind: 'send'; id: number; block: Uint8Array; partitions?: Int32Array }
  | { kind: 'close' };

export type FromWorker =
  /** `partitions`: each output topic's partition count, when the broker told */
  | { kind: 'ready'; partitions: [topic: string, count: number][] }
  | { kind: 'connect-failed'; error: WireError }
  | { kind: 'sent'; id: number }
  | { kind: 'failed'; id: number; error: WireError }
  | { kind: 'log'; level: number; namespace: string; message: string; fields: Record<string, unknown> }
  | { kind: 'closed' };

export function toWireError(err: unknown): WireError {
  const e = err as { name?: unknown; message?: unknown; retriable?: unknown };
  return { name: String(e?.name ?? 'Error'), message: String(e?.message ?? err), retriable: e?.retriable === true };
}
