// Default topic names (events.md). Services may override the names; the keys are what code uses.
export const TOPICS = {
  callcenter: 'cs.callcenter.v1',
  billing: 'cs.billing.v1',
  outageRepair: 'cs.outage-repair.v1',
  workforce: 'cs.workforce.v1',
  roster: 'cs.staff-roster.v1',
  appraisal: 'cs.appraisal.v1',
  eligibility: 'cs.incentive-eligibility.v1',
  dlq: 'cs.dlq.v1',
  corrections: 'cs.corrections.v1',
  teamScorecard: 'cs.team-scorecard.v1',
} as const;

export type TopicKey = keyof typeof TOPICS;
export type SourceTopicKey = 'callcenter' | 'billing' | 'outageRepair' | 'workforce';
/** Topics whose messages are validated on the way in (source events and the roster). */
export type InputTopicKey = SourceTopicKey | 'roster' | 'corrections';

export const TOPIC_KEYS = Object.keys(TOPICS) as TopicKey[];
export const SOURCE_TOPIC_KEYS: readonly SourceTopicKey[] = ['callcenter', 'billing', 'outageRepair', 'workforce'];

export function isTopicKey(x: unknown): x is TopicKey {
  return typeof x === 'string' && Object.hasOwn(TOPICS, x);
}

export function isSourceTopicKey(x: unknown): x is SourceTopicKey {
  return typeof x === 'string' && (SOURCE_TOPIC_KEYS as readonly string[]).includes(x);
}

/** Accepts a topic key (`billing`) or a default topic name (`cs.billing.v1`). */
export function resolveTopicKey(x: string): TopicKey | undefined {
  if (isTopicKey(x)) return x;
  return TOPIC_KEYS.find((k) => TOPICS[k] === x);
}
