// A batch worker thread (see worker-pool.ts): decodes, validates, attributes and applies the
// batches the main thread hands it, on its own Redis connection.
import { parentPort, workerData } from 'node:worker_threads';
import { createCodecs } from '@cs/contracts';
import { CounterStore } from '@cs/counter-store';
import { createLogger, createRedis } from '@cs/runtime';
import { BatchApplier } from './batch-job.ts';
import { Buckets } from './buckets.ts';
import { unpackValues, type PackedJob, type WorkerInit, type WorkerReply } from './worker-pool.ts';

const { config, rules } = workerData as WorkerInit;
const log = createLogger('aggregator-worker', config.LOG_LEVEL);
const redis = createRedis(config);
redis.on('error', (err: Error) => log.warn({ err: err.message }, 'redis connection error'));
const applier = new BatchApplier({
  store: new CounterStore(redis, { prefix: config.CS_KEY_PREFIX, dedupeHorizonMs: config.CS_DEDUPE_HOURS * 3_600_000 }),
  codecs: createCodecs(),
  rules,
  buckets: new Buckets(config.CS_TIMEZONE),
  maxLatenessMs: config.CS_MAX_LATENESS_DAYS * 86_400_000,
});

parentPort!.on('message', ({ seq, job }: { seq: number; job: PackedJob }) => {
  const { bytes, ends, ...rest } = job;
  applier.run({ ...rest, values: unpackValues(bytes, ends) }).then(
    (result) => parentPort!.postMessage({ seq, result } satisfies WorkerReply),
    (err: Error) => parentPort!.postMessage({ seq, error: err.message } satisfies WorkerReply),
  );
});

// Loaded and listening: the pool counts a worker that exits before this as one that cannot start.
parentPort!.postMessage({ ready: true });
