// Creates the topics of events.md on KAFKA_BROKERS (docker-compose's one-shot `topics` service).
import { ensureTopics, topicPlan } from '@cs/stack';

const brokers = process.env.KAFKA_BROKERS;
if (!brokers) {
  console.error('create-topics: set KAFKA_BROKERS');
  process.exit(2);
}
const created = await ensureTopics(brokers, topicPlan({ sourcePartitions: Number(process.env.CS_SOURCE_PARTITIONS ?? 6) }));
console.log(created.length ? `created: ${created.join(', ')}` : 'all topics exist');
