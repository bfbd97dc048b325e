// Reads the latest scorecards / eligibility records of one period from the output topics (from
// their beginning; nothing committed). Shared by scorecards, eligibility and export.
import type { Eligibility, Scorecard } from '@cs/contracts';
import { cliCodecs } from './cli-codecs.ts';
import type { CliKafka } from './kafka-client.ts';
import { keepLatestCard, keepLatestEligibility, type Published } from './latest-records.ts';
import type { PeriodArg } from './period-arg.ts';
import { readValues } from './read-topic.ts';

type Output = { appraisal: Scorecard; eligibility: Eligibility };

/** The latest record of each staff member for `period` on one output topic, with where it was published. */
async function latestOf<T extends keyof Output>(c: CliKafka, topic: T, period: PeriodArg, keep: (latest: Map<string, Published<Output[T]>>, seen: Published<Output[T]>) => void): Promise<Published<Output[T]>[]> {
  // With a registry: the ids the scorer publishes with are the ones registering returns.
  const codecs = await cliCodecs(c, [topic]);
  const latest = new Map<string, Published<Output[T]>>();
  await readValues(c, topic, (bytes, m) => {
    const r = codecs.decode(topic, bytes);
    if (!r.ok) return r.error.message;
    const record = r.event as Output[T];
    if (record.period.kind === period.kind && record.period.start === period.start) keep(latest, { record, partition: m.partition, offset: m.offset, timestamp: m.timestamp });
    return null;
  });
  return [...latest.values()];
}

export const latestCards = (c: CliKafka, period: PeriodArg) => latestOf(c, 'appraisal', period, keepLatestCard);
export const latestEligibility = (c: CliKafka, period: PeriodArg) => latestOf(c, 'eligibility', period, keepLatestEligibility);
