import { SOURCE_TOPIC_KEYS, type TopicKey } from '@cs/contracts';
import { TOPIC_ENV } from '@cs/runtime';

/** The topics the aggregator reads: it cannot count, nor say it is ready, until each exists. */
export const READ_TOPICS: readonly TopicKey[] = [...SOURCE_TOPIC_KEYS, 'roster', 'corrections'];

export interface MissingTopic {
  topic: string;
  /** The setting that names it, so that a misspelt name is found where it was set. */
  setting: string;
}

/** Which of the topics read are not in the cluster's list of topics. */
export function missingTopics(names: Readonly<Record<TopicKey, string>>, existing: ReadonlySet<string>): MissingTopic[] {
  return READ_TOPICS.filter((k) => !existing.has(names[k])).map((k) => ({ topic: names[k], setting: TOPIC_ENV[k] }));
}
