export { envSchema, ENV_KEYS, DEFAULT_QUEUES, loadConfig, ConfigError, counterStoreOptions, type ServiceConfig } from './config.ts';
export { createLogger, REDACTED_PATHS, type Logger } from './logger.ts';
export { createKafka, highWatermarks, type PartitionMark } from './kafka.ts';
export { createRedis, type RedisClient } from './redis.ts';
export { startMetricsServer, type HealthProbe } from './http.ts';
export { loadRules } from './rules.ts';
export { verifyConnections, verifyKafka, verifyRedis, scrubSecrets, StartupError, type VerifyOptions } from './startup.ts';
export { TOPIC_ENV, topicNames } from './topics.ts';
export { clockFromConfig, manualClock, offsetClock, systemClock, type Clock, type ManualClock } from './clock.ts';
