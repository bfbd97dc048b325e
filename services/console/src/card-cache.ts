// The published scorecards and eligibility records, read from their compacted topics from the
// beginning and followed live: the latest record of every staff-period, in memory. The console's
// consumer group is its own throwaway (random id, nothing committed): it is a reader, and every
// start reads the topics again, so it holds no state of its own.
import { randomUUID } from 'node:crypto';
import type { Consumer, Kafka } from 'kafkajs';
import { periodIdOfRecord, type Codecs, type Eligibility, type Scorecard, type TeamScorecard } from '@cs/contracts';
import { keepLatestCard, keepLatestEligibility, keepLatestTeam, type Published } from '@cs/contracts/latest-records';
import type { Logger } from '@cs/runtime';

export class CardCache {
  readonly cards = new Map<string, Published<Scorecard>>();
  readonly eligibility = new Map<string, Published<Eligibility>>();
  readonly teams = new Map<string, Published<TeamScorecard>>();
  /** bumps on every record taken: the wallboard pushes when it moved */
  version = 0;
  ready = false;
  private consumer?: Consumer;

  constructor(
    private readonly kafka: Kafka,
    private readonly topics: { appraisal: string; eligibility: string; teamScorecard: string },
    private readonly codecs: Codecs,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    this.consumer = this.kafka.consumer({ groupId: `cs-console-${randomUUID()}`, maxWaitTimeInMs: 200, allowAutoTopicCreation: false });
    this.consumer.on(this.consumer.events.GROUP_JOIN, () => (this.ready = true));
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [this.topics.appraisal, this.topics.eligibility, this.topics.teamScorecard], fromBeginning: true });
    await this.consumer.run({
      autoCommit: false,
      eachMessage: async ({ topic, partition, message }) => {
        if (!message.value) return;
        const where = { partition, offset: BigInt(message.offset), timestamp: Number(message.timestamp) };
        if (topic === this.topics.appraisal) {
          const r = this.codecs.decode('appraisal', message.value);
          if (r.ok) keepLatestCard(this.cards, { ...where, record: r.event as Scorecard });
          else this.log.warn({ topic, partition, offset: message.offset, err: r.error.message }, 'undecodable scorecard skipped');
        } else if (topic === this.topics.teamScorecard) {
          const r = this.codecs.decode('teamScorecard', message.value);
          if (r.ok) keepLatestTeam(this.teams, { ...where, record: r.event as TeamScorecard });
          else this.log.warn({ topic, partition, offset: message.offset, err: r.error.message }, 'undecodable team scorecard skipped');
        } else {
          const r = this.codecs.decode('eligibility', message.value);
          if (r.ok) keepLatestEligibility(this.eligibility, { ...where, record: r.event as Eligibility });
          else this.log.warn({ topic, partition, offset: message.offset, err: r.error.message }, 'undecodable eligibility skipped');
        }
        this.version++;
      },
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }

  /** The latest cards of one period id (e.g. MONTH:2026-11, DAY:2026-11-15). */
  ofPeriod(periodId: string): Scorecard[] {
    return [...this.cards.values()].map((p) => p.record).filter((c) => periodIdOfRecord(c.period) === periodId);
  }

  ofStaff(staffId: string): Scorecard[] {
    return [...this.cards.values()].map((p) => p.record).filter((c) => c.staffId === staffId);
  }

  ofTeam(teamId: string): Scorecard[] {
    return [...this.cards.values()].map((p) => p.record).filter((c) => c.teamId === teamId);
  }

  /** The latest team cards, of every month. */
  teamCards(): TeamScorecard[] {
    return [...this.teams.values()].map((p) => p.record);
  }

  eligibilityOf(staffId: string, periodId: string): Eligibility | undefined {
    for (const p of this.eligibility.values()) if (p.record.staffId === staffId && periodIdOfRecord(p.record.period) === periodId) return p.record;
    return undefined;
  }
}
