import { pino, type DestinationStream, type Logger } from 'pino';

/** Keys whose values are never written, wherever they are attached to a log object. */
export const REDACTED_PATHS = [
  'password',
  '*.password',
  'sasl',
  '*.sasl',
  'ssl',
  '*.ssl',
  'config.KAFKA_SASL_PASSWORD',
  'config.REDIS_PASSWORD',
  'config.REDIS_URL',
  'KAFKA_SASL_PASSWORD',
  'REDIS_PASSWORD',
  'REDIS_URL',
  'env.KAFKA_SASL_PASSWORD',
  'env.REDIS_PASSWORD',
  'env.REDIS_URL',
];

/**
 * Structured JSON logs; credentials are redacted wherever they might be attached to a log object.
 * `destination` (tests: a stream that captures the output) defaults to stdout.
 */
export function createLogger(service: string, level: string = process.env.LOG_LEVEL ?? 'info', destination?: DestinationStream): Logger {
  const options = {
    name: service,
    level,
    base: { service },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}
export type { Logger };
