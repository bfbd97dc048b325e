// Entry point of the aggregator service: `npx cs-appraisal run aggregator` or `tsx services/aggregator/src/main.ts`.
import { ConfigError, createLogger, loadConfig, loadRules, startMetricsServer } from '@cs/runtime';
import { Aggregator, SERVICE } from './service.ts';

export interface RunningAggregator {
  stop: () => Promise<void>;
  /** the port /metrics, /healthz and /readyz listen on (METRICS_PORT=0 picks one) */
  metricsPort: number;
}

export async function runAggregator(env: NodeJS.ProcessEnv = process.env): Promise<RunningAggregator> {
  const config = loadConfig(env);
  const log = createLogger(SERVICE, config.LOG_LEVEL);
  const rules = loadRules(config);
  const aggregator = new Aggregator({ config, rules, log });
  const http = await startMetricsServer(aggregator.metrics.registry, config.METRICS_PORT, aggregator.health);
  log.info({ metricsPort: http.port, rulesVersion: rules.rulesVersion }, 'metrics listening');
  await aggregator.start();
  let stopping: Promise<void> | undefined;
  return {
    metricsPort: http.port,
    stop: () =>
      (stopping ??= (async () => {
        log.info('stopping: finishing the batch in hand');
        await aggregator.stop();
        await http.close();
        log.info('stopped');
      })()),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runAggregator().then(
    (svc) => {
      for (const sig of ['SIGTERM', 'SIGINT'] as const) process.once(sig, () => void svc.stop().then(() => process.exit(0)));
    },
    (err: Error) => {
      console.error(err instanceof ConfigError ? `aggregator: ${err.message}` : `aggregator: failed to start: ${err.message}`);
      process.exit(1);
    },
  );
}
