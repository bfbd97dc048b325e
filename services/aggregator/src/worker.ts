// A batch worker thread (see worker-pool.ts): decodes, validates, attributes and applies the
// batches the main thread hands it, on its own Redis connection.
import { parentPort, workerData } from 'node:worker_threads';
import { RulesBook } from '@cs/appraisal';
import { SchemaRegistryClient, createCodecs } from '@cs/contracts';
import { CounterStore } from '@cs/counter-store';
import { counterStoreOptions, createLogger, createRedis } from '@cs/runtime';
import { batchApplier } from './batch-job.ts';
import { unpackValues, type PackedJob, type WorkerInit, type WorkerReply } from './worker-pool.ts';

const { config, rules } = workerData as WorkerInit;
const log = createLogger('aggregator-worker', config.LOG_LEVEL);
const redis = createRedis(config);
redis.on('error', (err: Error) => log.warn({ err: err.message }, 'redis connection error'));
// With a registry the worker learns ids as batches bring them (the main thread registered the schemas).
const codecs = createCodecs(config.SCHEMA_REGISTRY_URL ? { registry: new SchemaRegistryClient(config.SCHEMA_REGISTRY_URL) } : {});
const applier = batchApplier(new CounterStore(redis, counterStoreOptions(config)), codecs, config, new RulesBook(rules));

parentPort!.on('message', ({ seq, job }: { seq: number; job: PackedJob }) => {
  const { bytes, ends, ...rest } = job;
  applier.run({ ...rest, values: unpackValues(bytes, ends) }).then(
    (result) => parentPort!.postMessage({ seq, result } satisfies WorkerReply),
    (err: Error) => parentPort!.postMessage({ seq, error: err.message } satisfies WorkerReply),
  );
});

// Loaded and listening: the pool counts a worker that exits before this as one that cannot start.
parentPort!.postMessage({ ready: true });
