import { parseArgs } from 'node:util';
import { stackDown, stackStatus, stackUp, StackError } from '@cs/stack';
import { RuntimeFailure, UsageError } from '../cli-errors.ts';

export const stackHelp = `Usage: cs-appraisal stack up|down|status [--json]

  up      start (or reuse) a local single-node Kafka (KRaft), the project's Redis and an Apicurio schema
          registry, create the topics, and print KAFKA_BROKERS=…, REDIS_URL=… and SCHEMA_REGISTRY_URL=…
          (eval-able: eval "$(npx cs-appraisal stack up)")
  down    stop them; data stays in .stack/ until you delete it
  status  show what runs

Settings (environment): CS_KAFKA_PORT (19092), CS_KAFKA_CONTROLLER_PORT (19093), CS_REDIS_PORT (6390),
CS_REGISTRY_PORT (18081), CS_SCHEMA_REGISTRY (yes|no, default yes; the registry needs Java 21+),
CS_SOURCE_PARTITIONS (6), CS_OUTPUT_PARTITIONS (3), CS_REDIS_AOF (yes|no, default yes).`;

export async function stackCommand(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    console.log(stackHelp);
    return 0;
  }
  const [action, ...rest] = positionals;
  if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"; run: cs-appraisal stack --help`);
  try {
    switch (action) {
      case 'up': {
        const report = await stackUp((line) => console.error(line));
        console.error(`stack up in ${report.seconds.toFixed(1)} s${report.createdTopics.length ? `; created topics: ${report.createdTopics.join(', ')}` : ''}`);
        console.log(`KAFKA_BROKERS=${report.env.KAFKA_BROKERS}`);
        console.log(`REDIS_URL=${report.env.REDIS_URL}`);
        if (report.env.SCHEMA_REGISTRY_URL) console.log(`SCHEMA_REGISTRY_URL=${report.env.SCHEMA_REGISTRY_URL}`);
        return 0;
      }
      case 'down': {
        const r = await stackDown();
        console.log(`kafka: ${r.kafka ? 'stopped' : 'was not running'}`);
        console.log(`redis: ${r.redis ? 'stopped' : 'was not running'}`);
        console.log(`schema registry: ${r.registry ? 'stopped' : 'was not running'}`);
        return 0;
      }
      case 'status': {
        const s = await stackStatus();
        if (values.json) {
          console.log(JSON.stringify(s));
        } else {
          console.log(`kafka: ${s.kafka.running ? `running (pid ${s.kafka.pid}, ${s.kafka.ready ? 'ready' : 'not answering'})` : 'stopped'}  ${s.kafka.brokers}`);
          console.log(`redis: ${s.redis.running ? `running (pid ${s.redis.pid})` : 'stopped'}  ${s.redis.url}`);
          console.log(`schema registry: ${s.registry.running ? `running (pid ${s.registry.pid})` : 'stopped'}  ${s.registry.url}`);
        }
        if (s.kafka.running && s.kafka.ready) console.log(`KAFKA_BROKERS=${s.kafka.brokers}`);
        if (s.redis.running) console.log(`REDIS_URL=${s.redis.url}`);
        if (s.registry.running) console.log(`SCHEMA_REGISTRY_URL=${s.registry.url}`);
        return s.kafka.running && s.redis.running ? 0 : 1;
      }
      case undefined:
        throw new UsageError('missing action: cs-appraisal stack up|down|status');
      default:
        throw new UsageError(`unknown action "${action}": use up, down or status`);
    }
  } catch (err) {
    if (err instanceof StackError) throw new RuntimeFailure(err.describe());
    throw err;
  }
}
