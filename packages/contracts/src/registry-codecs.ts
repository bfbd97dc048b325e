// Start-up with a schema registry: each topic a process writes or reads gets its current schema
// registered under `<topic>-value` (topic-name strategy) with BACKWARD compatibility, and the
// codecs frame with the ids the registry returned.
import { createCodecs, type CodecOptions, type Codecs } from './codec.ts';
import { SchemaRegistryClient, valueSubject } from './registry-client.ts';
import { TOPICS, type TopicKey } from './topics.ts';

export interface RegistryTopics {
  /** Topic keys the process writes or reads. */
  keys: readonly TopicKey[];
  /** Topic names where the configuration renames them (CS_TOPIC_*); the defaults otherwise. */
  names?: Partial<Record<TopicKey, string>>;
}

/** Registers the current schema of each topic and makes its id the one `codecs` encode with. */
export async function registerSchemas(codecs: Codecs, topics: RegistryTopics): Promise<Map<TopicKey, number>> {
  const client = codecs.registry;
  if (!client) throw new Error('registerSchemas: these codecs were created without a schema registry');
  const ids = new Map<TopicKey, number>();
  for (const key of new Set(topics.keys)) {
    const subject = valueSubject(topics.names?.[key] ?? TOPICS[key]);
    const schema = codecs.catalogue.subjects[key].currentSchema;
    const id = await client.register(subject, schema);
    // After the first version: a subject must exist before the registry takes a config for it.
    await client.setCompatibility(subject, 'BACKWARD');
    codecs.adopt(key, id, schema, { write: true });
    ids.set(key, id);
  }
  return ids;
}

/**
 * The codecs a process uses: the frozen catalogue when `registryUrl` is unset, else registry ids
 * for `topics` (a registry that does not answer fails here, with SCHEMA_REGISTRY_URL in the message).
 */
export async function codecsFor(registryUrl: string | undefined, topics: RegistryTopics, opts: Omit<CodecOptions, 'registry'> = {}): Promise<Codecs> {
  if (!registryUrl) return createCodecs(opts);
  const codecs = createCodecs({ ...opts, registry: new SchemaRegistryClient(registryUrl) });
  await registerSchemas(codecs, topics);
  return codecs;
}
