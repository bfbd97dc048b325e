// Secrets never leave the process through an error message or a log line: loadConfig errors,
// the logger's redaction and the start-up check's message scrubbing.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ENV_KEYS, createLogger, loadConfig, scrubSecrets } from '@cs/runtime';

const SECRET = 'S3cr3t-Pa55w0rd-xyz';
const secretEnv = {
  KAFKA_BROKERS: '127.0.0.1:19092',
  REDIS_URL: `rediss://app:${SECRET}@redis.example:6380`,
  KAFKA_SASL_MECHANISM: 'scram-sha-512',
  KAFKA_SASL_USERNAME: 'alice',
  KAFKA_SASL_PASSWORD: SECRET,
  REDIS_USERNAME: 'app',
  REDIS_PASSWORD: SECRET,
};

/** A value that fails the variable's rule, or undefined when any string is accepted. */
const BAD: Record<string, string> = {
  KAFKA_BROKERS: `${SECRET}`,
  KAFKA_SASL_MECHANISM: SECRET,
  KAFKA_TLS: SECRET,
  REDIS_URL: `http://x:${SECRET}@h`,
  REDIS_CLUSTER_NODES: SECRET,
  CS_TIMEZONE: SECRET,
  CS_KEY_PREFIX: `${SECRET}!`,
  CS_DEDUPE_HOURS: SECRET,
  CS_MAX_LATENESS_DAYS: SECRET,
  CS_TICK_SECONDS: SECRET,
  CS_SCORER_ID: `${SECRET} `,
  METRICS_PORT: SECRET,
  LOG_LEVEL: SECRET,
};

describe('loadConfig never echoes a value', () => {
  it.each(Object.keys(BAD))('a bad %s (carrying a secret) is named, its value is not', (variable) => {
    expect(ENV_KEYS).toContain(variable);
    let message = '';
    try {
      loadConfig({ ...secretEnv, [variable]: BAD[variable] });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(new RegExp(`^invalid setting ${variable}:`));
    expect(message).not.toContain(SECRET);
    expect(message).not.toContain('Pa55w0rd');
  });

  it('a SASL mechanism without a password names the missing variables, not the password of Redis', () => {
    expect(() => loadConfig({ ...secretEnv, KAFKA_SASL_PASSWORD: undefined })).toThrow(/^invalid setting KAFKA_SASL_USERNAME:/);
    try {
      loadConfig({ ...secretEnv, KAFKA_SASL_PASSWORD: '' });
    } catch (err) {
      expect((err as Error).message).not.toContain(SECRET);
    }
  });

  it('accepts the secure settings', () => {
    const c = loadConfig({ ...secretEnv, KAFKA_TLS: 'true', KAFKA_TLS_CA_FILE: '/ca.pem', REDIS_TLS_CA_FILE: '/ca.pem' });
    expect(c.KAFKA_TLS).toBe(true);
    expect(c.KAFKA_SASL_MECHANISM).toBe('scram-sha-512');
  });
});

describe('log redaction', () => {
  it('censors passwords, SASL/SSL options, REDIS_URL and the config secrets wherever they are attached', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        lines.push(chunk.toString('utf8'));
        cb();
      },
    });
    const log = createLogger('t', 'debug', sink);
    const config = loadConfig(secretEnv);
    log.info({ config }, 'config');
    log.info({ password: SECRET, sasl: { password: SECRET }, ssl: { key: SECRET } }, 'top');
    log.warn({ conn: { password: SECRET, sasl: { mechanism: 'scram', password: SECRET } } }, 'nested');
    log.info({ env: { REDIS_URL: secretEnv.REDIS_URL, KAFKA_SASL_PASSWORD: SECRET } }, 'env');
    const out = lines.join('');
    expect(lines).toHaveLength(4);
    expect(out).not.toContain(SECRET);
    expect(out).toContain('[redacted]');
  });

  it('scrubSecrets removes the configured passwords (and the one inside REDIS_URL) from any text', () => {
    const config = loadConfig({ ...secretEnv, REDIS_PASSWORD: 'other-pw', REDIS_URL: 'redis://u:url%2Fpw@h:6379' });
    const text = `failed: ${SECRET} other-pw url/pw url%2Fpw`;
    const scrubbed = scrubSecrets(text, config);
    for (const s of [SECRET, 'other-pw', 'url/pw', 'url%2Fpw']) expect(scrubbed).not.toContain(s);
  });
});
