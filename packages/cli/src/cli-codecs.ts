// The commands' codecs: the frozen id catalogue, or with SCHEMA_REGISTRY_URL set the registry's
// ids, as the services use them (a command's records must carry the ids the services read).
import { RegistryError, SOURCE_TOPIC_KEYS, type Codecs, type TopicKey } from '@cs/contracts';
import { serviceCodecs } from '@cs/runtime';
import { RuntimeFailure } from './cli-errors.ts';
import type { CliKafka } from './kafka-client.ts';

/** What a command that publishes events may write: the sources and the roster. */
export const INPUT_TOPICS: readonly TopicKey[] = [...SOURCE_TOPIC_KEYS, 'roster'];

/** Registers `keys` when a registry is configured; a registry that does not answer is exit 1 with its code. */
export async function cliCodecs(c: CliKafka, keys: readonly TopicKey[]): Promise<Codecs> {
  try {
    return await serviceCodecs(c.config, keys);
  } catch (err) {
    if (err instanceof RegistryError) throw new RuntimeFailure(`${err.code}: ${err.message}`, { retriable: err.retriable, cause: err });
    throw err;
  }
}
