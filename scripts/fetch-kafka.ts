// Fetches the pinned Kafka broker jars and the Apicurio schema registry into .cache/ (each a no-op
// when cached) and checks that a Java 21+ is there for the registry. CI runs this before the tests,
// so parallel test files do not each start the 158 MB download.
import { ensureKafkaJars, ensureRegistryApp, findJava, KAFKA_VERSION, REGISTRY_MIN_JAVA, REGISTRY_VERSION, StackError } from '@cs/stack';

try {
  let t0 = Date.now();
  const libs = ensureKafkaJars((l) => console.log(l));
  console.log(`Kafka ${KAFKA_VERSION} jars ready in ${libs} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  t0 = Date.now();
  const java = findJava(REGISTRY_MIN_JAVA);
  const app = ensureRegistryApp((l) => console.log(l));
  console.log(`Apicurio Registry ${REGISTRY_VERSION} ready in ${app} (${((Date.now() - t0) / 1000).toFixed(1)} s), runs on ${java.bin} (Java ${java.major})`);
} catch (err) {
  console.error(err instanceof StackError ? err.describe() : String(err));
  process.exit(1);
}
