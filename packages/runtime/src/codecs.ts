import { codecsFor, type Codecs, type TopicKey } from '@cs/contracts';
import type { ServiceConfig } from './config.ts';
import { topicNames } from './topics.ts';

/**
 * The codecs of a service or CLI command: the frozen catalogue, or (SCHEMA_REGISTRY_URL set) the
 * registry's ids after registering `keys` under their configured topic names. A registry that does
 * not answer throws a RegistryError (SCHEMA_REGISTRY_UNAVAILABLE) naming SCHEMA_REGISTRY_URL.
 */
export function serviceCodecs(config: ServiceConfig, keys: readonly TopicKey[]): Promise<Codecs> {
  return codecsFor(config.SCHEMA_REGISTRY_URL, { keys, names: topicNames(config) });
}
