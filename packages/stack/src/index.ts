export { StackError, type StackErrorCode } from './errors.ts';
export { KAFKA_VERSION, ensureKafkaJars, kafkaJarsCached, kafkaLibsDir } from './kafka-jars.ts';
export { KafkaBroker, type KafkaBrokerOptions } from './kafka-broker.ts';
export { RedisServer, type RedisServerOptions } from './redis-server.ts';
export { topicPlan, ensureTopics, type TopicPlanOptions } from './topics.ts';
export { stackUp, stackDown, stackStatus, stackSettings, localStack, type StackEnv, type UpReport, type StatusReport } from './stack.ts';
export { repoRoot, cacheDir, stateDir } from './paths.ts';
export { portInUse, sleep, isAlive, stopProcess, freePort } from './processes.ts';
export { selectBackend, dockerEngineAnswers, type Backend, type BackendFacts } from './backend.ts';
