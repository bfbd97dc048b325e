import { readFileSync } from 'node:fs';
import { Kafka, logLevel, type Admin, type KafkaConfig, type SASLOptions, type LogEntry } from 'kafkajs';
import type { Logger } from 'pino';
import type { ServiceConfig } from './config.ts';

const levels: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/**
 * The plain-data part of the client config (brokers, TLS, SASL, retries): what a worker thread
 * needs to build the same client, since functions such as the log creator cannot cross threads.
 */
export function kafkaClientConfig(config: ServiceConfig, clientId = config.KAFKA_CLIENT_ID): KafkaConfig {
  const kafkaConfig: KafkaConfig = {
    clientId,
    brokers: config.KAFKA_BROKERS,
    logLevel: logLevel.WARN,
    retry: { initialRetryTime: 300, maxRetryTime: 10_000, retries: 12 },
  };
  if (config.KAFKA_TLS) {
    kafkaConfig.ssl = config.KAFKA_TLS_CA_FILE ? { ca: [readFileSync(config.KAFKA_TLS_CA_FILE, 'utf8')] } : true;
  }
  if (config.KAFKA_SASL_MECHANISM) {
    kafkaConfig.sasl = {
      mechanism: config.KAFKA_SASL_MECHANISM,
      username: config.KAFKA_SASL_USERNAME!,
      password: config.KAFKA_SASL_PASSWORD!,
    } as SASLOptions;
  }
  return kafkaConfig;
}

/** One kafkajs log entry through pino (so broker trouble shows in the service log). */
export function logKafkaEntry(log: Logger, level: number, namespace: string, fields: object, message: string): void {
  log[levels[level] ?? 'info']({ kafkajs: namespace, ...fields }, message);
}

function kafkaLogCreator(log: Logger): NonNullable<KafkaConfig['logCreator']> {
  return () => (entry: LogEntry) => {
    const { message, ...fields } = entry.log;
    logKafkaEntry(log, entry.level, entry.namespace, fields, message);
  };
}

/**
 * kafkajs with SASL/TLS from the config, logging through pino.
 * `overrides` (e.g. fewer retries for a start-up check) are merged over the defaults.
 */
export function createKafka(config: ServiceConfig, log: Logger, clientId = config.KAFKA_CLIENT_ID, overrides: Partial<KafkaConfig> = {}): Kafka {
  return new Kafka({ ...kafkaClientConfig(config, clientId), logCreator: kafkaLogCreator(log), ...overrides });
}

export interface PartitionMark {
  topic: string;
  partition: number;
  /** high watermark: the offset the next message will get */
  high: number;
}

/** Every partition's high watermark, of the topics that exist (asking for another could create it). */
export async function highWatermarks(admin: Admin, topics: readonly string[]): Promise<PartitionMark[]> {
  const existing = new Set(await admin.listTopics());
  const out: PartitionMark[] = [];
  for (const topic of topics) {
    if (!existing.has(topic)) continue;
    for (const o of await admin.fetchTopicOffsets(topic)) out.push({ topic, partition: o.partition, high: Number(o.high) });
  }
  return out;
}
