// Sending records to the output topics: one idempotent producer, produce requests sized per partition.
import type { Kafka, Message, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import type { OutMessage } from './outbox-format.ts';

/**
 * Bytes of Avro per partition in one produce request: under the broker's default 1 MiB
 * message.max.bytes per record batch, with room for the uneven spread of keys over partitions.
 */
const BATCH_BYTES_PER_PARTITION = 640 * 1024;
/** Upper bound of one produce request. */
const REQUEST_BYTES = 16 * 1024 * 1024;
/** Per-record overhead counted against the budgets. */
const RECORD_OVERHEAD = 16;

export interface OutputTopics {
  appraisal: string;
  eligibility: string;
}

export class Publisher {
  private producer?: Producer;
  private partitions?: Map<string, number>;

  constructor(
    private readonly kafka: Kafka,
    private readonly topics: OutputTopics,
    private readonly log: Logger,
  ) {}

  async connect(): Promise<void> {
    // maxInFlightRequests 1: the records of a key stay in order across retries.
    this.producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await this.producer.connect();
  }

  async disconnect(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    await producer?.disconnect().catch(() => {});
  }

  /**
   * Sends in order, per topic, in produce requests of up to ~640 KiB per partition of each topic;
   * the idempotent producer retries without duplicates. A member's card and eligibility travel in
   * the same request (kafkajs groups a request's messages per partition at a cost quadratic in their number).
   */
  async send(messages: readonly OutMessage[]): Promise<void> {
    const producer = this.producer;
    if (!producer) throw new Error('producer not connected');
    if (messages.length === 0) return;
    const parts = await this.partitionCounts();
    const batches = {
      a: { topic: this.topics.appraisal, budget: BATCH_BYTES_PER_PARTITION * (parts.get(this.topics.appraisal) ?? 1), messages: [] as Message[], bytes: 0 },
      e: { topic: this.topics.eligibility, budget: BATCH_BYTES_PER_PARTITION * (parts.get(this.topics.eligibility) ?? 1), messages: [] as Message[], bytes: 0 },
    };
    const flush = async () => {
      const topicMessages = [];
      for (const b of [batches.a, batches.e]) {
        if (b.messages.length) topicMessages.push({ topic: b.topic, messages: b.messages });
        b.messages = [];
        b.bytes = 0;
      }
      if (topicMessages.length) await producer.sendBatch({ topicMessages });
    };
    for (const m of messages) {
      const size = m.v.length + m.k.length + RECORD_OVERHEAD;
      const batch = batches[m.t];
      if (batch.bytes + size > batch.budget || batches.a.bytes + batches.e.bytes + size > REQUEST_BYTES) await flush();
      batch.messages.push({ key: m.k, value: m.v });
      batch.bytes += size;
    }
    await flush();
  }

  /** Partition count per output topic (for the size of produce requests); 1 when unknown. */
  private async partitionCounts(): Promise<Map<string, number>> {
    if (this.partitions) return this.partitions;
    const m = new Map<string, number>();
    const admin = this.kafka.admin();
    try {
      await admin.connect();
      const md = await admin.fetchTopicMetadata({ topics: [this.topics.appraisal, this.topics.eligibility] });
      for (const t of md.topics) m.set(t.name, Math.max(1, t.partitions.length));
      this.partitions = m;
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, "could not read the output topics' partition counts; sending small requests");
    } finally {
      await admin.disconnect().catch(() => {});
    }
    return m;
  }
}
