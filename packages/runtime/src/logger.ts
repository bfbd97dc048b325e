import { pino, type Logger } from 'pino';

/** Structured JSON logs; credentials are redacted wherever they might be attached to a log object. */
export function createLogger(service: string, level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    name: service,
    level,
    base: { service },
    redact: { paths: ['password', '*.password', 'sasl', '*.sasl', 'config.KAFKA_SASL_PASSWORD', 'config.REDIS_PASSWORD'], censor: '[redacted]' },
  });
}
export type { Logger };
