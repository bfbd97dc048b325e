// The scorer's output topics (cards, eligibility and, when given, team cards) read back from their beginning and decoded, as they arrive:
// what a payroll consumer would see, for the end-to-end tests to wait on and check.
import { createCodecs, periodIdOfRecord, type Eligibility, type Scorecard, type TeamScorecard } from '@cs/contracts';
import { kafkaFor, uniqueName } from './index.ts';

const codecs = createCodecs();

export interface Outputs {
  cards: Scorecard[];
  elig: Eligibility[];
  /** team cards, when the team topic was given */
  teams: TeamScorecard[];
  stop(): Promise<void>;
}

export async function collectOutputs(topics: { appraisal: string; eligibility: string; teamScorecard?: string }, group = 'outputs'): Promise<Outputs> {
  const cards: Scorecard[] = [];
  const elig: Eligibility[] = [];
  const teams: TeamScorecard[] = [];
  const consumer = kafkaFor().consumer({ groupId: uniqueName(group), maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topics.appraisal, topics.eligibility, ...(topics.teamScorecard ? [topics.teamScorecard] : [])], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ topic, message }) => {
      if (!message.value) return;
      if (topic === topics.appraisal) {
        const r = codecs.decode('appraisal', message.value);
        if (!r.ok) throw r.error;
        cards.push(r.event);
      } else if (topic === topics.teamScorecard) {
        const r = codecs.decode('teamScorecard', message.value);
        if (!r.ok) throw r.error;
        teams.push(r.event);
      } else {
        const r = codecs.decode('eligibility', message.value);
        if (!r.ok) throw r.error;
        elig.push(r.event);
      }
    },
  });
  return { cards, elig, teams, stop: () => consumer.disconnect() };
}

/** Each member's latest record of one period, in arrival order (what a compacted topic keeps). */
export function latestOf<T extends { staffId: string; period: Scorecard['period'] }>(records: readonly T[], periodId: string): Map<string, T> {
  const m = new Map<string, T>();
  for (const r of records) if (periodIdOfRecord(r.period) === periodId) m.set(r.staffId, r);
  return m;
}
