// The topics and environment of one pipeline under test: its own source, dead-letter and output
// topics (outputs compacted, as deployed) and the services' settings pointing at them, with a key
// prefix and group of its own, on the shared broker and Redis.
import { createCodecs, KIND_TOPIC, messageKey, type SourceEvent, type StaffProfile } from '@cs/contracts';
import { rmSync } from 'node:fs';
import type { Redis } from 'ioredis';
import type { Producer } from 'kafkajs';
import { TEST_CLOCK } from './clock.ts';
import { createTopics, kafkaFor, testStack, uniqueName } from './index.ts';
import { collectOutputs, type Outputs } from './outputs.ts';
import { spawnService, type Service } from './services.ts';

const codecs = createCodecs();

export interface PipelineTopics { callcenter: string; billing: string; outageRepair: string; workforce: string; roster: string; corrections: string; dlq: string; appraisal: string; eligibility: string; teamScorecard: string }

export async function createPipelineTopics(): Promise<PipelineTopics> {
  const [callcenter, billing, outageRepair, workforce, roster, corrections, dlq] = await createTopics(['cc', 'bill', 'rep', 'wf', 'roster', 'corr', 'dlq'], 3);
  const [appraisal, eligibility, teamScorecard] = await createTopics(['appraisal', 'elig', 'team'], 3, undefined, { configEntries: [{ name: 'cleanup.policy', value: 'compact' }] });
  return { callcenter: callcenter!, billing: billing!, outageRepair: outageRepair!, workforce: workforce!, roster: roster!, corrections: corrections!, dlq: dlq!, appraisal: appraisal!, eligibility: eligibility!, teamScorecard: teamScorecard! };
}

/** The services' environment for `topics`: a fresh key prefix and group named after `name`, a 1 s tick, the test clock. */
export function pipelineEnv(topics: PipelineTopics, name: string, extra: Record<string, string> = {}): Record<string, string> {
  const prefix = uniqueName(name);
  return {
    KAFKA_BROKERS: testStack().brokers, REDIS_URL: testStack().redisUrl, CS_KEY_PREFIX: prefix, CS_GROUP_ID: `${prefix}-g`,
    CS_TOPIC_CALLCENTER: topics.callcenter, CS_TOPIC_BILLING: topics.billing, CS_TOPIC_OUTAGE_REPAIR: topics.outageRepair, CS_TOPIC_WORKFORCE: topics.workforce,
    CS_TOPIC_ROSTER: topics.roster, CS_TOPIC_CORRECTIONS: topics.corrections, CS_TOPIC_DLQ: topics.dlq, CS_TOPIC_APPRAISAL: topics.appraisal, CS_TOPIC_ELIGIBILITY: topics.eligibility,
    CS_TOPIC_TEAM_SCORECARD: topics.teamScorecard,
    CS_TICK_SECONDS: '1', METRICS_PORT: '0', LOG_LEVEL: 'info', ...TEST_CLOCK.env, ...extra,
  };
}

/** A pipeline's topics, environment, output reader and a producer to its source topics: what an end-to-end test starts from. */
export async function openPipeline(name: string, extra: Record<string, string> = {}): Promise<{ topics: PipelineTopics; env: Record<string, string>; outputs: Outputs; producer: Producer }> {
  const topics = await createPipelineTopics();
  const env = pipelineEnv(topics, name, extra);
  const outputs = await collectOutputs(topics, `${name}-read`);
  const producer = kafkaFor().producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  return { topics, env, outputs, producer };
}

/** Sends roster profiles and source events, each to its topic, keyed and encoded as the sources do. */
export async function sendSources(producer: Producer, topics: PipelineTopics, records: readonly (SourceEvent | StaffProfile)[]): Promise<void> {
  for (const v of records) {
    const key = 'kind' in v ? KIND_TOPIC[v.kind] : 'roster';
    await producer.send({ topic: topics[key], messages: [{ key: messageKey(v), value: codecs.encode(key, v) }], acks: -1 });
  }
}

/** Stops what an end-to-end test started: the services first (SIGTERM), then its clients, then its files. */
export async function stopPipeline(p: { services: Service[]; producer?: Producer; outputs?: Outputs; redis?: Redis; dir?: string }): Promise<void> {
  for (const s of p.services) await s.kill('SIGTERM');
  await p.producer?.disconnect();
  await p.outputs?.stop();
  p.redis?.disconnect();
  if (p.dir) rmSync(p.dir, { recursive: true, force: true });
}

/** An aggregator and a scorer running as processes on topics of their own, and what they published. */
export interface Pipeline {
  topics: PipelineTopics;
  env: Record<string, string>;
  services: Service[];
  outputs: Outputs;
  producer: Producer;
  /** The services' last log lines, for a failed wait's message. */
  logs(): string;
  stop(extra?: { redis?: Redis; dir?: string }): Promise<void>;
}

/** Creates the topics, reads the outputs, sends `sources` and starts the aggregator and the scorer. */
export async function startPipeline(name: string, sources: readonly (SourceEvent | StaffProfile)[], extraEnv: Record<string, string> = {}): Promise<Pipeline> {
  const { topics, env, outputs, producer } = await openPipeline(name, extraEnv);
  await sendSources(producer, topics, sources);
  const services = [spawnService('aggregator', env), spawnService('scorer', env)];
  return {
    topics, env, services, outputs, producer,
    logs: () => services.flatMap((s) => s.lines().slice(-40)).join('\n'),
    stop: (extra = {}) => stopPipeline({ services, producer, outputs, ...extra }),
  };
}
