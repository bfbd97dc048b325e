// Entry point of the scorer service: `npx cs-appraisal run scorer` or `tsx services/scorer/src/main.ts`.
import { ConfigError, StartupError, createLogger, loadConfig, loadRules, startMetricsServer, verifyConnections } from '@cs/runtime';
import { Scorer, SERVICE } from './service.ts';

export interface RunningScorer {
  stop: () => Promise<void>;
  /** the port /metrics, /healthz and /readyz listen on (METRICS_PORT=0 picks one) */
  metricsPort: number;
  scorer: Scorer;
}

export async function runScorer(env: NodeJS.ProcessEnv = process.env): Promise<RunningScorer> {
  const config = loadConfig(env);
  const log = createLogger(SERVICE, config.LOG_LEVEL);
  const rules = loadRules(config);
  // Wrong credentials or TLS trust stop start-up here with a clear message (the clients retry forever).
  await verifyConnections(config, log);
  const scorer = new Scorer({ config, rules, log });
  const http = await startMetricsServer(scorer.metrics.registry, config.METRICS_PORT, scorer.health, config.METRICS_HOST);
  log.info({ metricsPort: http.port, rulesVersion: rules.rulesVersion, owner: scorer.ownerId }, 'metrics listening');
  await scorer.start();
  let stopping: Promise<void> | undefined;
  return {
    metricsPort: http.port,
    scorer,
    stop: () =>
      (stopping ??= (async () => {
        log.info('stopping: finishing the tick in hand, releasing the lease');
        await scorer.stop();
        await http.close();
        log.info('stopped');
      })()),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runScorer().then(
    (svc) => {
      for (const sig of ['SIGTERM', 'SIGINT'] as const) process.once(sig, () => void svc.stop().then(() => process.exit(0)));
    },
    (err: Error) => {
      console.error(err instanceof ConfigError || err instanceof StartupError ? `scorer: ${err.message}` : `scorer: failed to start: ${err.message}`);
      process.exit(1);
    },
  );
}
