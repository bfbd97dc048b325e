import { TOPICS, type TopicKey } from '@cs/contracts';
import type { ServiceConfig } from './config.ts';

/** The setting that renames each topic (CS_TOPIC_*); unset = the name of events.md. */
export const TOPIC_ENV = {
  callcenter: 'CS_TOPIC_CALLCENTER',
  billing: 'CS_TOPIC_BILLING',
  outageRepair: 'CS_TOPIC_OUTAGE_REPAIR',
  workforce: 'CS_TOPIC_WORKFORCE',
  roster: 'CS_TOPIC_ROSTER',
  appraisal: 'CS_TOPIC_APPRAISAL',
  eligibility: 'CS_TOPIC_ELIGIBILITY',
  dlq: 'CS_TOPIC_DLQ',
  corrections: 'CS_TOPIC_CORRECTIONS',
  teamScorecard: 'CS_TOPIC_TEAM_SCORECARD',
} as const satisfies Record<TopicKey, keyof ServiceConfig>;

/** Every topic's name under this configuration: one mapping for the services and the CLI. */
export function topicNames(config: ServiceConfig): Record<TopicKey, string> {
  const out = {} as Record<TopicKey, string>;
  for (const k of Object.keys(TOPICS) as TopicKey[]) out[k] = config[TOPIC_ENV[k]] ?? TOPICS[k];
  return out;
}
