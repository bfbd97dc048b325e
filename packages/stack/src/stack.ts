import path from 'node:path';
import { z } from 'zod';
import { KafkaBroker } from './kafka-broker.ts';
import { RedisServer } from './redis-server.ts';
import { SchemaRegistryServer } from './schema-registry.ts';
import { stateDir } from './paths.ts';
import { ensureTopics, topicPlan } from './topics.ts';

const port = z.coerce.number().int().min(1024).max(65535);
/** Settings of the local stack; every one has a default so `stack up` needs none. */
export const stackSettingsSchema = z.object({
  CS_KAFKA_PORT: port.default(19092),
  CS_KAFKA_CONTROLLER_PORT: port.default(19093),
  CS_REDIS_PORT: port.default(6390),
  CS_SOURCE_PARTITIONS: z.coerce.number().int().min(1).max(256).default(6),
  CS_OUTPUT_PARTITIONS: z.coerce.number().int().min(1).max(256).default(3),
  CS_REDIS_AOF: z.enum(['yes', 'no']).default('yes'),
  /** The Apicurio schema registry (Java 21+, fetched once): `no` leaves it out and the services use the frozen id catalogue. */
  CS_SCHEMA_REGISTRY: z.enum(['yes', 'no']).default('yes'),
  CS_REGISTRY_PORT: port.default(18081),
});
export type StackSettings = z.infer<typeof stackSettingsSchema>;

export function stackSettings(env: NodeJS.ProcessEnv = process.env): StackSettings {
  const parsed = stackSettingsSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`invalid setting ${String(issue.path[0])}: ${issue.message}`);
  }
  return parsed.data;
}

export interface LocalStack {
  kafka: KafkaBroker;
  redis: RedisServer;
  registry: SchemaRegistryServer;
}

export function localStack(settings: StackSettings = stackSettings(), dir: string = stateDir()): LocalStack {
  return {
    kafka: new KafkaBroker({ dir: path.join(dir, 'kafka'), port: settings.CS_KAFKA_PORT, controllerPort: settings.CS_KAFKA_CONTROLLER_PORT }),
    redis: new RedisServer({ dir: path.join(dir, 'redis'), port: settings.CS_REDIS_PORT, appendOnly: settings.CS_REDIS_AOF === 'yes' }),
    // Persistent like the topics: the ids framed into their records must mean the same schemas after a restart.
    registry: new SchemaRegistryServer({ dir: path.join(dir, 'registry'), port: settings.CS_REGISTRY_PORT, persistent: true }),
  };
}

export interface StackEnv {
  KAFKA_BROKERS: string;
  REDIS_URL: string;
  /** Set unless CS_SCHEMA_REGISTRY=no. */
  SCHEMA_REGISTRY_URL?: string;
}

export interface UpReport {
  env: StackEnv;
  kafkaReused: boolean;
  redisReused: boolean;
  /** null: CS_SCHEMA_REGISTRY=no. */
  registryReused: boolean | null;
  createdTopics: string[];
  seconds: number;
}

/** Idempotent: reuses what is already running, creates only the missing topics. */
export async function stackUp(log: (line: string) => void = () => {}, settings: StackSettings = stackSettings()): Promise<UpReport> {
  const t0 = Date.now();
  const { kafka, redis, registry } = localStack(settings);
  const r = await redis.start();
  log(r.reused ? `redis already running on ${redis.url}` : `redis started on ${redis.url} (AOF ${settings.CS_REDIS_AOF === 'yes' ? 'on' : 'off'})`);
  const withRegistry = settings.CS_SCHEMA_REGISTRY === 'yes';
  // The two JVMs start side by side: the registry's start-up (~5 s) hides behind Kafka's.
  const [k, g] = await Promise.all([kafka.start({ log }), withRegistry ? registry.start({ log }) : null]);
  log(k.reused ? `kafka already running on ${kafka.brokers}` : `kafka started on ${kafka.brokers}`);
  if (g) log(g.reused ? `schema registry already running on ${registry.url}` : `schema registry started on ${registry.url}`);
  const createdTopics = await ensureTopics(
    kafka.brokers,
    topicPlan({ sourcePartitions: settings.CS_SOURCE_PARTITIONS, outputPartitions: settings.CS_OUTPUT_PARTITIONS }),
  );
  return {
    env: { KAFKA_BROKERS: kafka.brokers, REDIS_URL: redis.url, ...(withRegistry ? { SCHEMA_REGISTRY_URL: registry.url } : {}) },
    kafkaReused: k.reused,
    redisReused: r.reused,
    registryReused: g ? g.reused : null,
    createdTopics,
    seconds: (Date.now() - t0) / 1000,
  };
}

export async function stackDown(): Promise<{ kafka: boolean; redis: boolean; registry: boolean }> {
  const { kafka, redis, registry } = localStack();
  // Whatever CS_SCHEMA_REGISTRY says now: a registry that runs is stopped (beside Kafka's controlled shutdown).
  const [g, k] = await Promise.all([registry.stop(), kafka.stop()]);
  const r = await redis.stop();
  return { kafka: k, redis: r, registry: g };
}

export interface StatusReport {
  kafka: { running: boolean; pid: number | null; brokers: string; ready: boolean };
  redis: { running: boolean; pid: number | null; url: string };
  registry: { running: boolean; pid: number | null; url: string };
}

export async function stackStatus(): Promise<StatusReport> {
  const { kafka, redis, registry } = localStack();
  const kpid = kafka.pid();
  let ready = false;
  if (kpid !== null) {
    ready = await kafka.ping().then(
      () => true,
      () => false,
    );
  }
  const rpid = redis.pid();
  const gpid = registry.pid();
  return {
    kafka: { running: kpid !== null, pid: kpid, brokers: kafka.brokers, ready },
    redis: { running: rpid !== null, pid: rpid, url: redis.url },
    registry: { running: gpid !== null, pid: gpid, url: registry.url },
  };
}
