import { Kafka, logLevel } from 'kafkajs';
import { CsError } from '@cs/contracts/errors';
import type { Logger } from 'pino';
import type { ServiceConfig } from './config.ts';
import { classifyKafkaError, errorChain } from './kafka-errors.ts';
import { createKafka } from './kafka.ts';
import { createRedis, type RedisClient } from './redis.ts';

/**
 * A dependency refused us at start-up (bad credentials, TLS trust, unreachable). The message names
 * the problem and the variables to check; it never contains a secret (passwords are scrubbed).
 */
export class StartupError extends CsError {
  constructor(
    readonly dependency: 'kafka' | 'redis',
    readonly reason: 'AUTHENTICATION' | 'AUTHORIZATION' | 'TLS' | 'UNREACHABLE',
    message: string,
  ) {
    // Only an unreachable dependency may come back by itself; the others need a settings change.
    super(`CS_STARTUP_${reason}`, message, { retriable: reason === 'UNREACHABLE' });
  }
}

export interface VerifyOptions {
  /** Per dependency; default 20 s (the whole check stays well under 30 s). */
  timeoutMs?: number;
}

/**
 * Checks once, before a service starts consuming, that Kafka and Redis accept our credentials and
 * TLS settings: the running clients retry forever (an outage must not lose work), so without this
 * a wrong password would look like an endless outage instead of a start-up failure.
 */
export async function verifyConnections(config: ServiceConfig, log?: Logger, opts: VerifyOptions = {}): Promise<void> {
  const timeoutMs = opts.timeoutMs ?? 20_000;
  await Promise.all([verifyRedis(config, timeoutMs), verifyKafka(config, log, timeoutMs)]);
  log?.info({ kafkaSasl: config.KAFKA_SASL_MECHANISM ?? 'none', kafkaTls: config.KAFKA_TLS, redisTls: redisUsesTls(config) }, 'kafka and redis accept our credentials');
}

function redisUsesTls(config: ServiceConfig): boolean {
  return Boolean(config.REDIS_TLS_CA_FILE) || (config.REDIS_URL ?? '').startsWith('rediss://');
}

/** Secrets of the config, and any password in REDIS_URL: they must not appear in a message. */
function secretsOf(config: ServiceConfig): string[] {
  const out = [config.KAFKA_SASL_PASSWORD, config.REDIS_PASSWORD];
  if (config.REDIS_URL) {
    try {
      const u = new URL(config.REDIS_URL);
      out.push(decodeURIComponent(u.password), u.password);
    } catch {
      // validated by loadConfig already
    }
  }
  return out.filter((s): s is string => typeof s === 'string' && s.length >= 1);
}

export function scrubSecrets(message: string, config: ServiceConfig): string {
  let m = message;
  for (const s of secretsOf(config)) m = m.split(s).join('[redacted]');
  return m;
}

/** host:port of the Redis we talk to, without user or password. */
function redisWhere(config: ServiceConfig): string {
  if (config.REDIS_CLUSTER_NODES) return `cluster ${config.REDIS_CLUSTER_NODES.join(',')}`;
  try {
    const u = new URL(config.REDIS_URL!);
    return `${u.protocol}//${u.hostname}:${u.port || 6379}`;
  } catch {
    return 'REDIS_URL';
  }
}

const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME|EPROTO|SSL|TLS|wrong version number|packet length too long/i;

export async function verifyRedis(config: ServiceConfig, timeoutMs = 20_000): Promise<void> {
  const where = redisWhere(config);
  const user = config.REDIS_USERNAME ?? (config.REDIS_URL ? safeUrlUser(config.REDIS_URL) : undefined) ?? 'default';
  let client: RedisClient | undefined;
  let lastError: Error | undefined;
  try {
    client = createRedis(config, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, connectTimeout: Math.min(timeoutMs, 10_000), retryStrategy: () => null });
    client.on('error', (err: Error) => (lastError = err));
    const ping = (async () => {
      const c = client!;
      // A Cluster connects on construction (lazyConnect applies to its nodes): wait for it instead.
      if (c.status === 'wait') await c.connect();
      else if (c.status !== 'ready') {
        await new Promise<void>((resolve, reject) => {
          c.once('ready', () => resolve());
          c.once('end', () => reject(lastError ?? new Error('connection ended')));
        });
      }
      return c.ping();
    })();
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${Math.round(timeoutMs / 1000)} s`)), timeoutMs).unref());
    await Promise.race([ping, timeout]);
  } catch (err) {
    const e = lastError && !/Connection is closed|no answer|Stream isn't writeable/.test(lastError.message) ? lastError : (err as Error);
    const msg = `${e.message}${(e as NodeJS.ErrnoException).code ? ` (${(e as NodeJS.ErrnoException).code})` : ''}`;
    throw redisError(config, where, user, msg);
  } finally {
    client?.disconnect();
  }
}

function safeUrlUser(url: string): string | undefined {
  try {
    return new URL(url).username || undefined;
  } catch {
    return undefined;
  }
}

function redisError(config: ServiceConfig, where: string, user: string, raw: string): StartupError {
  const detail = scrubSecrets(raw, config);
  if (/WRONGPASS|invalid username-password/i.test(raw)) {
    return new StartupError('redis', 'AUTHENTICATION', `Redis authentication failed at ${where} (WRONGPASS: wrong password for user "${user}", or the user is disabled): check REDIS_USERNAME and REDIS_PASSWORD`);
  }
  if (/NOAUTH|Authentication required/i.test(raw)) {
    return new StartupError('redis', 'AUTHENTICATION', `Redis at ${where} requires authentication (NOAUTH): set REDIS_USERNAME and REDIS_PASSWORD`);
  }
  if (/NOPERM/i.test(raw)) {
    return new StartupError('redis', 'AUTHORIZATION', `Redis user "${user}" at ${where} lacks a permission (NOPERM): grant it in the ACL (${detail})`);
  }
  if (TLS_CODES.test(raw)) {
    return new StartupError('redis', 'TLS', `TLS with Redis at ${where} failed (${detail}): check rediss:// / REDIS_TLS_CA_FILE`);
  }
  return new StartupError('redis', 'UNREACHABLE', `cannot reach Redis at ${where} (${detail}): check REDIS_URL / REDIS_CLUSTER_NODES`);
}

export async function verifyKafka(config: ServiceConfig, log?: Logger, timeoutMs = 20_000): Promise<void> {
  const where = config.KAFKA_BROKERS.join(',');
  const kafka: Kafka = createKafka(config, log ?? silentLogger(), `${config.KAFKA_CLIENT_ID}-startup-check`, {
    logLevel: logLevel.NOTHING,
    retry: { initialRetryTime: 300, maxRetryTime: 2_000, retries: 2 },
    connectionTimeout: Math.min(timeoutMs, 5_000),
    authenticationTimeout: Math.min(timeoutMs, 10_000),
  });
  const admin = kafka.admin();
  try {
    const check = (async () => {
      await admin.connect();
      await admin.describeCluster();
    })();
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${Math.round(timeoutMs / 1000)} s`)), timeoutMs).unref());
    await Promise.race([check, timeout]);
  } catch (err) {
    throw kafkaError(config, where, err as Error);
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

function kafkaError(config: ServiceConfig, where: string, err: Error): StartupError {
  const chain = errorChain(err);
  const detail = scrubSecrets(chain.map((e) => e.message).join('; '), config);
  const sasl = config.KAFKA_SASL_MECHANISM ? `SASL ${config.KAFKA_SASL_MECHANISM.toUpperCase()} as user "${config.KAFKA_SASL_USERNAME}"` : 'no SASL';
  switch (classifyKafkaError(err)) {
    case 'AUTHENTICATION':
      return new StartupError('kafka', 'AUTHENTICATION', `Kafka authentication failed at ${where} (${sasl}): check KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD and KAFKA_SASL_MECHANISM`);
    case 'SASL_MECHANISM':
      return new StartupError('kafka', 'AUTHENTICATION', `Kafka at ${where} refused the SASL mechanism (${sasl}): check KAFKA_SASL_MECHANISM (${detail})`);
    case 'AUTHORIZATION':
      return new StartupError('kafka', 'AUTHORIZATION', `Kafka at ${where} refused an operation (${sasl}): check the user's ACLs (${detail})`);
    case 'TLS':
      return new StartupError('kafka', 'TLS', `TLS with Kafka at ${where} failed (${detail}): check KAFKA_TLS and KAFKA_TLS_CA_FILE`);
    case 'UNREACHABLE':
      return new StartupError('kafka', 'UNREACHABLE', `cannot connect to Kafka at ${where} with ${sasl}, TLS ${config.KAFKA_TLS ? 'on' : 'off'} (${detail}): check KAFKA_BROKERS, KAFKA_TLS and the SASL settings`);
  }
}

function silentLogger(): Logger {
  const noop = () => {};
  return { error: noop, warn: noop, info: noop, debug: noop } as unknown as Logger;
}
