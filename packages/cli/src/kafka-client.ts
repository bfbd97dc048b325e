// Kafka for the short-lived commands (produce, scorecards, eligibility): the service settings of the
// README (SASL/TLS, CS_TOPIC_*), but quiet (stdout carries the command's output) and quick to give up
// when no broker answers.
import { logLevel, type Admin, type Kafka, type LogEntry } from 'kafkajs';
import type { TopicKey } from '@cs/contracts';
import { ConfigError, TOPIC_ENV, classifyKafkaError, kafkaRetriable, clockFromConfig, createKafka, createLogger, loadConfig, topicNames, type Clock, type ServiceConfig } from '@cs/runtime';
import { RuntimeFailure, UsageError } from './cli-errors.ts';

/** kafkajs logs go through the logCreator override below; this logger is never written to. */
const quiet = createLogger('cli', 'silent');

/** The local stack's broker (`stack up`), used when KAFKA_BROKERS is unset. */
export const LOCAL_BROKERS = '127.0.0.1:19092';

export interface CliKafka {
  config: ServiceConfig;
  /** As given, for messages: "127.0.0.1:19092". */
  brokers: string;
  topics: Record<TopicKey, string>;
  kafka: Kafka;
  /** The services' clock under the same environment (CS_CLOCK_OFFSET_SECONDS). */
  clock: Clock;
}

/** Validates the environment (a bad variable is exit 2, named) and builds the client. */
export function cliKafka(env: NodeJS.ProcessEnv = process.env): CliKafka {
  const e = { ...env };
  if (!e.KAFKA_BROKERS) e.KAFKA_BROKERS = LOCAL_BROKERS;
  // These commands do not use Redis; the shared schema insists on one being named.
  if (!e.REDIS_URL && !e.REDIS_CLUSTER_NODES) e.REDIS_URL = 'redis://127.0.0.1:6390';
  let config: ServiceConfig;
  try {
    config = loadConfig(e);
  } catch (err) {
    if (err instanceof ConfigError) throw new UsageError(`${err.message}; fix that environment variable and retry`);
    throw err;
  }
  const topics = topicNames(config);
  const verbose = config.LOG_LEVEL === 'debug' || config.LOG_LEVEL === 'trace';
  // The services' client (SASL/TLS from the config), but quiet and quick to give up: stdout
  // carries the command's output, and an absent broker must be reported within seconds.
  const kafka = createKafka(config, quiet, config.KAFKA_CLIENT_ID === 'cs-appraisal' ? 'cs-appraisal-cli' : config.KAFKA_CLIENT_ID, {
    connectionTimeout: 3_000,
    requestTimeout: 15_000,
    retry: { initialRetryTime: 200, maxRetryTime: 2_000, retries: 5 },
    logLevel: verbose ? logLevel.DEBUG : logLevel.NOTHING,
    logCreator: () => (entry: LogEntry) => {
      const { message, ...rest } = entry.log;
      process.stderr.write(`kafkajs ${entry.namespace}: ${message} ${JSON.stringify(rest)}\n`);
    },
  });
  return { config, brokers: config.KAFKA_BROKERS.join(','), topics, kafka, clock: clockFromConfig(config) };
}

/** Connects an admin client with few retries, so an absent broker is reported within seconds. */
export async function connectAdmin(c: CliKafka): Promise<Admin> {
  const admin = c.kafka.admin({ retry: { initialRetryTime: 200, maxRetryTime: 1_000, retries: 1 } });
  try {
    await admin.connect();
  } catch (err) {
    await admin.disconnect().catch(() => {});
    throw unreachable(c, err);
  }
  return admin;
}

export function unreachable(c: CliKafka, err: unknown): RuntimeFailure {
  const why = classifyKafkaError(err);
  if (why === 'AUTHENTICATION' || why === 'SASL_MECHANISM') {
    return new RuntimeFailure(`Kafka at ${c.brokers} refused the credentials: check KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD`, { cause: err });
  }
  return new RuntimeFailure(`cannot reach Kafka at ${c.brokers}: run \`npx cs-appraisal stack up\` first`, { cause: err, retriable: why === 'UNREACHABLE' || kafkaRetriable(err) });
}

/** Fails (exit 1) naming the first topic that does not exist and the variable that renames it. */
export async function requireTopics(c: CliKafka, admin: Admin, keys: readonly TopicKey[]): Promise<void> {
  const existing = new Set(await admin.listTopics());
  for (const k of keys) {
    const name = c.topics[k];
    if (!existing.has(name)) {
      throw new RuntimeFailure(`topic ${name} does not exist on Kafka at ${c.brokers}: run \`npx cs-appraisal stack up\` (it creates the topics) or set ${TOPIC_ENV[k]} to the topic in use`);
    }
  }
}

export function errorText(err: unknown): string {
  const e = err as Error & { cause?: Error };
  const msg = e?.message ?? String(err);
  return e?.cause?.message && !msg.includes(e.cause.message) ? `${msg} (${e.cause.message})` : msg;
}
