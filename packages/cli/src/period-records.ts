// Reads the latest scorecards / eligibility records of one period from the output topics (from
// their beginning; nothing committed). Shared by scorecards, eligibility, export and teams.
import type { DecodeResult, Eligibility, Scorecard, TeamScorecard } from '@cs/contracts';
import { cliCodecs, cliResolveIds } from './cli-codecs.ts';
import type { CliKafka } from './kafka-client.ts';
import { keepLatestCard, keepLatestEligibility, keepLatestTeam, type Published } from '@cs/contracts/latest-records';
import type { PeriodArg } from './period-arg.ts';
import { readValues, type TopicMessage } from './read-topic.ts';

type Output = { appraisal: Scorecard; eligibility: Eligibility; teamScorecard: TeamScorecard };

/** The latest record of each staff member for `period` on one output topic, with where it was published. */
async function latestOf<T extends keyof Output>(c: CliKafka, topic: T, period: PeriodArg, keep: (latest: Map<string, Published<Output[T]>>, seen: Published<Output[T]>) => void): Promise<Published<Output[T]>[]> {
  // With a registry: the ids the scorer publishes with are the ones registering returns.
  const codecs = await cliCodecs(c, [topic]);
  const latest = new Map<string, Published<Output[T]>>();
  const use = (r: DecodeResult<Output[T]>, m: TopicMessage): string | null => {
    if (!r.ok) return r.error.message;
    const record = r.event;
    if (record.period.kind === period.kind && record.period.start === period.start) keep(latest, { record, partition: m.partition, offset: m.offset, timestamp: m.timestamp });
    return null;
  };
  // Registry ids this process has not seen (records of an older schema version): fetched once after
  // the read, then those records are taken too (the rules of latest-records.ts do not depend on order).
  const later: [Buffer, TopicMessage][] = [];
  await readValues(c, topic, (bytes, m) => {
    const r = codecs.decode(topic, bytes) as DecodeResult<Output[T]>;
    if (!r.ok && codecs.registry && r.error.code === 'CS_DECODE_UNKNOWN_SCHEMA_ID') {
      later.push([bytes, m]);
      return null;
    }
    return use(r, m);
  });
  if (later.length) {
    await cliResolveIds(codecs, topic, later.map(([bytes]) => bytes));
    const failed = later.map(([bytes, m]) => [use(codecs.decode(topic, bytes) as DecodeResult<Output[T]>, m), m] as const).filter(([err]) => err !== null);
    if (failed.length) console.error(`cs-appraisal: skipped ${failed.length} more undecodable message${failed.length === 1 ? '' : 's'} on ${c.topics[topic]} (first at partition ${failed[0]![1].partition} offset ${failed[0]![1].offset}: ${failed[0]![0]})`);
  }
  return [...latest.values()];
}

export const latestCards = (c: CliKafka, period: PeriodArg) => latestOf(c, 'appraisal', period, keepLatestCard);
export const latestEligibility = (c: CliKafka, period: PeriodArg) => latestOf(c, 'eligibility', period, keepLatestEligibility);
export const latestTeams = (c: CliKafka, period: PeriodArg) => latestOf(c, 'teamScorecard', period, keepLatestTeam);
