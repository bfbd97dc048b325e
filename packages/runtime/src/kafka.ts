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
 * kafkajs with SASL/TLS from the config, logging through pino (so broker trouble shows in the service log).
 * `overrides` (e.g. fewer retries for a start-up check) are merged over the defaults.
 */
export function createKafka(config: ServiceConfig, log: Logger, clientId = config.KAFKA_CLIENT_ID, overrides: Partial<KafkaConfig> = {}): Kafka {
  const kafkaConfig: KafkaConfig = {
    clientId,
    brokers: config.KAFKA_BROKERS,
    logLevel: logLevel.WARN,
    logCreator: () => (entry: LogEntry) => {
      const { message, ...rest } = entry.log;
      log[levels[entry.level] ?? 'info']({ kafkajs: entry.namespace, ...rest }, message);
    },
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
  return new Kafka({ ...kafkaConfig, ...overrides });
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
