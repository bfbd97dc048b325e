// Fetches the pinned Kafka broker jars into .cache/ (no-op when cached). CI runs this before the tests.
import { ensureKafkaJars, KAFKA_VERSION, StackError } from '@cs/stack';

try {
  const t0 = Date.now();
  const libs = ensureKafkaJars((l) => console.log(l));
  console.log(`Kafka ${KAFKA_VERSION} jars ready in ${libs} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
} catch (err) {
  console.error(err instanceof StackError ? err.describe() : String(err));
  process.exit(1);
}
