import { isIP } from 'node:net';
import { z } from 'zod';
import { CsError } from '@cs/contracts/errors';

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');
const positiveInt = z.coerce.number().int().positive();
const hostPort = z.string().regex(/^[A-Za-z0-9_.-]+:\d{1,5}$/, 'expected host:port');

/**
 * The queues whose SLA metrics get a label of their own (CS_QUEUES): the 95598 queues the
 * call-centre platform publishes (and the simulator makes). Any other queue name is counted
 * under `other`: labels come from configuration, never from input, so junk queue names can
 * neither explode the series nor push a real queue out of its label and silence its alerts.
 */
export const DEFAULT_QUEUES: readonly string[] = ['95598-general', '95598-billing', '95598-repair', 'online'];
const MAX_QUEUES = 100;
const queueList = z
  .string()
  .transform((s) => s.split(',').map((q) => q.trim()))
  .pipe(
    z
      .array(z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'expected comma-separated queue names of 1-64 of [A-Za-z0-9_.:-]').refine((q) => q !== 'other', '"other" is the label of the queues not listed'))
      .min(1)
      .max(MAX_QUEUES, `at most ${MAX_QUEUES} queues`)
      .transform((qs) => [...new Set(qs)]),
  );

/**
 * Every environment variable a service reads, in one schema: the compose test checks
 * docker-compose.yml against these keys, and a bad value stops start-up naming the variable.
 */
const envShape = z.object({
    KAFKA_BROKERS: z.string().transform((s) => s.split(',').map((b) => b.trim()).filter(Boolean)).pipe(z.array(hostPort).min(1)),
    KAFKA_CLIENT_ID: z.string().min(1).default('cs-appraisal'),
    KAFKA_SASL_MECHANISM: z.enum(['scram-sha-512', 'scram-sha-256', 'plain']).optional(),
    KAFKA_SASL_USERNAME: z.string().min(1).optional(),
    KAFKA_SASL_PASSWORD: z.string().min(1).optional(),
    KAFKA_TLS: bool.default(false),
    KAFKA_TLS_CA_FILE: z.string().min(1).optional(),
    REDIS_URL: z.string().regex(/^rediss?:\/\//, 'expected redis:// or rediss://').optional(),
    REDIS_CLUSTER_NODES: z.string().transform((s) => s.split(',').map((b) => b.trim()).filter(Boolean)).pipe(z.array(hostPort).min(1)).optional(),
    REDIS_USERNAME: z.string().min(1).optional(),
    REDIS_PASSWORD: z.string().min(1).optional(),
    REDIS_TLS_CA_FILE: z.string().min(1).optional(),
    CS_TIMEZONE: z.string().default('Asia/Shanghai').refine(validTimeZone, 'unknown IANA time zone'),
    CS_RULES_FILE: z.string().min(1).optional(),
    CS_KEY_PREFIX: z.string().regex(/^[A-Za-z0-9_.-]{1,32}$/, 'expected 1-32 of [A-Za-z0-9_.-]').default('cs'),
    CS_GROUP_ID: z.string().min(1).optional(),
    CS_TOPIC_CALLCENTER: z.string().min(1).optional(),
    CS_TOPIC_BILLING: z.string().min(1).optional(),
    CS_TOPIC_OUTAGE_REPAIR: z.string().min(1).optional(),
    CS_TOPIC_WORKFORCE: z.string().min(1).optional(),
    CS_TOPIC_ROSTER: z.string().min(1).optional(),
    CS_TOPIC_APPRAISAL: z.string().min(1).optional(),
    CS_TOPIC_ELIGIBILITY: z.string().min(1).optional(),
    CS_TOPIC_DLQ: z.string().min(1).optional(),
    CS_TOPIC_CORRECTIONS: z.string().min(1).optional(),
    CS_TOPIC_TEAM_SCORECARD: z.string().min(1).optional(),
    CS_QUEUES: queueList.default(() => [...DEFAULT_QUEUES]),
    CS_DEDUPE_HOURS: positiveInt.default(48),
    CS_MAX_LATENESS_DAYS: positiveInt.default(62),
    CS_AGGREGATOR_WORKERS: z.coerce.number().int().min(0).max(16).default(1),
    CS_AGGREGATOR_CONSUMERS: z.coerce.number().int().min(1).max(8).default(2),
    // Distinct staff ids the roster does not name that one shard keeps counters for in one period
    // (DAY or MONTH); events of further unknown ids are dead-lettered. 500 lets a 3,000-staff
    // province over 6 shards run with no roster at all, and bounds what a flood of ids can create.
    CS_UNKNOWN_STAFF_CAP: z.coerce.number().int().min(1).max(100_000).default(500),
    CS_AGGREGATOR_FETCH_BYTES: z.coerce.number().int().min(1024).max(64 * 1024 * 1024).default(2 * 1024 * 1024),
    // The scorer's lease is 1.5 ticks and is renewed before every chunk of a publication, so a
    // tick must leave room for one chunk's send (5,000 records, well under 1 s).
    CS_TICK_SECONDS: z.coerce.number().min(1, 'at least 1 (second): the scorer lease, 1.5 ticks, must outlast one chunk of a publication').max(3600).default(60),
    // Seconds added to the wall clock for everything that decides with "now" (lateness, close
    // grace, finality, pruning): negative to re-process an archive as of then, positive to see a
    // month FINAL before its grace ends (the demo on the 1st-3rd). See clock.ts.
    CS_CLOCK_OFFSET_SECONDS: z.coerce.number().int().min(-100 * 366 * 86_400).max(100 * 366 * 86_400).default(0),
    // Threads the scorer sends from, each with its own idempotent producer and its own share of the
    // output partitions (partition % threads), so a key's records stay in order: kafkajs's
    // per-record encoding is the bulk of a FINAL's send and runs on one core per producer.
    CS_SCORER_SEND_THREADS: z.coerce.number().int().min(1).max(8).default(2),
    CS_SCORER_ID: z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'expected 1-128 of [A-Za-z0-9_.:-]').optional(),
    METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
    // Loopback unless told otherwise: /metrics and the probes are for the local Prometheus and
    // kubelet; a container that Prometheus scrapes over its network sets 0.0.0.0 (docker-compose.yml).
    METRICS_HOST: z.string().refine(validListenHost, 'expected an IP address or a host name to listen on, e.g. 127.0.0.1, 0.0.0.0 or ::').default('127.0.0.1'),
    /** The Confluent-compatible API of a schema registry (Apicurio: http://host:port/apis/ccompat/v7); unset = the frozen id catalogue. */
    SCHEMA_REGISTRY_URL: z
      .string()
      .regex(/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/, 'expected the http(s):// base URL of a Confluent-compatible API, e.g. http://127.0.0.1:8081/apis/ccompat/v7')
      .transform((u) => u.replace(/\/+$/, ''))
      .optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export const envSchema = envShape.superRefine((env, ctx) => {
    if (!env.REDIS_URL && !env.REDIS_CLUSTER_NODES) {
      ctx.addIssue({ code: 'custom', path: ['REDIS_URL'], message: 'set REDIS_URL (or REDIS_CLUSTER_NODES for a Redis Cluster)' });
    }
    if (env.KAFKA_SASL_MECHANISM && (!env.KAFKA_SASL_USERNAME || !env.KAFKA_SASL_PASSWORD)) {
      ctx.addIssue({ code: 'custom', path: ['KAFKA_SASL_USERNAME'], message: 'KAFKA_SASL_MECHANISM needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD' });
    }
  });

export type ServiceConfig = z.infer<typeof envSchema>;
export const ENV_KEYS: readonly string[] = Object.keys(envShape.shape);

function validListenHost(h: string): boolean {
  if (isIP(h) !== 0) return true;
  // A DNS name whose last label is not all digits (999.1.1.1 is a broken address, not a name).
  return /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/.test(h) && !/(^|\.)\d+$/.test(h);
}

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export class ConfigError extends CsError {
  constructor(readonly variable: string, message: string) {
    super('CS_CONFIG_INVALID', `invalid setting ${variable}: ${message}`, { retriable: false });
  }
}

/** Parses the environment; the error names the first bad variable and never echoes its value (secrets). */
export function loadConfig(env: Record<string, string | undefined> = process.env): ServiceConfig {
  const parsed = envSchema.safeParse(stripEmpty(env));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(String(issue.path[0] ?? '?'), issue.message);
  }
  return parsed.data;
}

function stripEmpty(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v !== '') out[k] = v;
  return out;
}

/** The counter store's options under this configuration (aggregator, its batch workers, scorer). */
export function counterStoreOptions(config: ServiceConfig): { prefix: string; dedupeHorizonMs: number; maxLatenessDays: number } {
  return { prefix: config.CS_KEY_PREFIX, dedupeHorizonMs: config.CS_DEDUPE_HOURS * 3_600_000, maxLatenessDays: config.CS_MAX_LATENESS_DAYS };
}
