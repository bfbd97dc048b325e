// Publishes one Correction record to the corrections topic (correct, rescore --publish): the
// codec checks it against the topic's schema, the topic must exist, the producer is idempotent.
import { buildKindSchemas, correctionKey, type Correction } from '@cs/contracts';
import type { z } from 'zod';
import { RuntimeFailure } from './cli-errors.ts';
import { cliCodecs } from './cli-codecs.ts';
import { cliKafka, connectAdmin, errorText, requireTopics } from './kafka-client.ts';

export interface CorrectionPublisher {
  now: number;
  /** the Correction zod schema (the aggregator's rules), for checking before anything is sent */
  schema: z.ZodType<Record<string, unknown>>;
  publish: (correction: Correction) => Promise<void>;
}

export async function correctionPublisher(): Promise<CorrectionPublisher> {
  const c = cliKafka();
  const codecs = await cliCodecs(c, ['corrections']);
  const schema = buildKindSchemas(codecs.catalogue, () => c.clock.now()).get('Correction')!.schema;
  const publish = async (correction: Correction) => {
    const value = codecs.encode('corrections', correction);
    const admin = await connectAdmin(c);
    try {
      await requireTopics(c, admin, ['corrections']);
    } finally {
      await admin.disconnect();
    }
    const producer = c.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    try {
      await producer.connect();
      await producer.send({ topic: c.topics.corrections, messages: [{ key: correctionKey(correction), value }], acks: -1 });
    } catch (err) {
      throw new RuntimeFailure(`publishing the correction to Kafka at ${c.brokers} failed: ${errorText(err)}; retry with --id ${correction.correctionId} (it counts once)`);
    } finally {
      await producer.disconnect().catch(() => {});
    }
  };
  return { now: c.clock.now(), schema, publish };
}
