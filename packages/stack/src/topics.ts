import { Kafka, logLevel, type ITopicConfig } from 'kafkajs';
import { TOPICS, type TopicKey } from '@cs/contracts';
import { StackError } from './errors.ts';

export interface TopicPlanOptions {
  /** Partitions of the four source topics (default 6). */
  sourcePartitions?: number;
  /** Partitions of the output and dead-letter topics (default 3). */
  outputPartitions?: number;
  /** Topic names, when they differ from the defaults of events.md. */
  names?: Partial<Record<TopicKey, string>>;
}

const SOURCE: TopicKey[] = ['callcenter', 'billing', 'outageRepair', 'workforce'];

/**
 * The two output topics are what payroll reads back for any past period: compacted (never deleted
 * by age), keyed `<staffId>|<periodId>` (@cs/contracts outputKey), so the latest record of every
 * staff-period stays. The other topics keep the broker's time retention.
 */
const KEPT_FOR_PAYROLL = [{ name: 'cleanup.policy', value: 'compact' }];

/** What `stack up` creates: every topic of events.md, the roster compacted (key = staffId), the outputs compacted (key = staffId|periodId). */
export function topicPlan(opts: TopicPlanOptions = {}): ITopicConfig[] {
  const name = (k: TopicKey) => opts.names?.[k] ?? TOPICS[k];
  const source = opts.sourcePartitions ?? 6;
  const output = opts.outputPartitions ?? 3;
  return [
    ...SOURCE.map((k) => ({ topic: name(k), numPartitions: source, replicationFactor: 1 })),
    {
      topic: name('roster'),
      numPartitions: 1,
      replicationFactor: 1,
      configEntries: [
        { name: 'cleanup.policy', value: 'compact' },
        { name: 'min.compaction.lag.ms', value: '0' },
      ],
    },
    { topic: name('appraisal'), numPartitions: output, replicationFactor: 1, configEntries: KEPT_FOR_PAYROLL },
    { topic: name('eligibility'), numPartitions: output, replicationFactor: 1, configEntries: KEPT_FOR_PAYROLL },
    // Keyed <teamId>|<periodId>, compacted like the staff cards (docs/team-scorecards.md).
    { topic: name('teamScorecard'), numPartitions: output, replicationFactor: 1, configEntries: KEPT_FOR_PAYROLL },
    { topic: name('dlq'), numPartitions: output, replicationFactor: 1 },
    // Keyed by the target's eventId (ADJUSTMENT: staffId): the corrections of one target in order, in one shard.
    { topic: name('corrections'), numPartitions: source, replicationFactor: 1 },
  ];
}

/** Creates the topics that do not exist yet; existing ones are left as they are (idempotent). */
export async function ensureTopics(brokers: string, topics: ITopicConfig[]): Promise<string[]> {
  const admin = new Kafka({ brokers: brokers.split(','), logLevel: logLevel.NOTHING, clientId: 'cs-stack' }).admin();
  try {
    await admin.connect();
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t.topic));
    if (missing.length > 0) await admin.createTopics({ topics: missing, waitForLeaders: true });
    return missing.map((t) => t.topic);
  } catch (err) {
    throw new StackError('TOPIC_SETUP_FAILED', `creating topics failed: ${(err as Error).message}`, 'check the broker log (stack status) and retry');
  } finally {
    await admin.disconnect();
  }
}
