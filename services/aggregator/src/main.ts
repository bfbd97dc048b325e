// Entry point of the aggregator service: `npx cs-appraisal run aggregator` or `tsx services/aggregator/src/main.ts`.
import { ConfigError, StartupError, createLogger, loadConfig, loadRules, startMetricsServer, verifyConnections } from '@cs/runtime';
import { Aggregator, SERVICE } from './service.ts';

export interface RunningAggregator {
  stop: () => Promise<void>;
  /** the port /metrics, /healthz and /readyz listen on (METRICS_PORT=0 picks one) */
  metricsPort: number;
}

/** CS_AGGREGATOR_SESSION_TIMEOUT_MS: how soon the group notices a dead member (default 30000). */
function sessionTimeout(env: NodeJS.ProcessEnv): number | undefined {
  const v = env.CS_AGGREGATOR_SESSION_TIMEOUT_MS;
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 6_000 || n > 300_000) throw new ConfigError('CS_AGGREGATOR_SESSION_TIMEOUT_MS', 'expected an integer from 6000 to 300000');
  return n;
}

export async function runAggregator(env: NodeJS.ProcessEnv = process.env): Promise<RunningAggregator> {
  const config = loadConfig(env);
  const log = createLogger(SERVICE, config.LOG_LEVEL);
  const rules = loadRules(config);
  // Wrong credentials or TLS trust stop start-up here with a clear message (the clients retry forever).
  await verifyConnections(config, log);
  const aggregator = new Aggregator({ config, rules, log, sessionTimeoutMs: sessionTimeout(env) });
  const http = await startMetricsServer(aggregator.metrics.registry, config.METRICS_PORT, aggregator.health, config.METRICS_HOST);
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
      console.error(err instanceof ConfigError || err instanceof StartupError ? `aggregator: ${err.message}` : `aggregator: failed to start: ${err.message}`);
      process.exit(1);
    },
  );
}
