// The start-up and shutdown every service shares. Start: config, logger, rules, a check of the
// connections (wrong credentials or TLS trust stop here with a clear message, since the clients
// themselves retry forever), the metrics server, then the service. Stop: the service finishes the
// work in hand, then the metrics server closes. Run as a process: SIGTERM/SIGINT stop it, and a
// failed start prints one line and exits 1.
import type { Registry } from 'prom-client';
import type { RulesBook } from '@cs/appraisal';
import { RegistryError, type Codecs, type TopicKey } from '@cs/contracts';
import { serviceCodecs } from './codecs.ts';
import { ConfigError, loadConfig, type ServiceConfig } from './config.ts';
import { startMetricsServer, type HealthProbe } from './http.ts';
import { createLogger, type Logger } from './logger.ts';
import { loadRules } from './rules.ts';
import { StartupError, verifyConnections } from './startup.ts';

export interface ServiceCore {
  readonly metrics: { readonly registry: Registry };
  readonly health: HealthProbe;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface ServiceContext {
  config: ServiceConfig;
  log: Logger;
  /** the rules versions, each in force from its effectiveFrom */
  rules: RulesBook;
  /** Framing with the frozen catalogue, or with the schema registry's ids (SCHEMA_REGISTRY_URL). */
  codecs: Codecs;
}

export interface ServiceSpec<S extends ServiceCore> {
  name: string;
  build(ctx: ServiceContext): S;
  /** The topics the service writes or reads: their schemas are registered at start-up when SCHEMA_REGISTRY_URL is set. */
  topics: readonly TopicKey[];
  /** extra fields of the "metrics listening" log line */
  describe?(service: S): Record<string, unknown>;
  /** what the service finishes before it stops, for the log */
  finishing: string;
}

export interface StartedService<S> {
  service: S;
  /** the port /metrics, /healthz and /readyz listen on (METRICS_PORT=0 picks one) */
  metricsPort: number;
  stop(): Promise<void>;
}

export async function startService<S extends ServiceCore>(spec: ServiceSpec<S>, env: NodeJS.ProcessEnv): Promise<StartedService<S>> {
  const config = loadConfig(env);
  const log = createLogger(spec.name, config.LOG_LEVEL);
  const rules = loadRules(config);
  await verifyConnections(config, log);
  const codecs = await serviceCodecs(config, spec.topics);
  if (codecs.registry) log.info({ schemaRegistry: config.SCHEMA_REGISTRY_URL, schemaIds: Object.fromEntries(spec.topics.map((k) => [k, codecs.schemaId(k)])) }, 'schemas registered');
  const service = spec.build({ config, log, rules, codecs });
  const http = await startMetricsServer(service.metrics.registry, config.METRICS_PORT, service.health, config.METRICS_HOST);
  log.info({ metricsPort: http.port, rulesVersions: rules.versions.map((r) => `${r.rulesVersion}@${r.effectiveFrom}`), ...spec.describe?.(service) }, 'metrics listening');
  await service.start();
  let stopping: Promise<void> | undefined;
  return {
    service,
    metricsPort: http.port,
    stop: () =>
      (stopping ??= (async () => {
        log.info(`stopping: ${spec.finishing}`);
        await service.stop();
        await http.close();
        log.info('stopped');
      })()),
  };
}

/** Runs `start` when `moduleUrl` is the process's entry point (`tsx services/<name>/src/main.ts`). */
export function runAsMain(moduleUrl: string, name: string, start: () => Promise<{ stop(): Promise<void> }>): void {
  if (moduleUrl !== `file://${process.argv[1]}`) return;
  start().then(
    (svc) => {
      for (const sig of ['SIGTERM', 'SIGINT'] as const) process.once(sig, () => void svc.stop().then(() => process.exit(0)));
    },
    (err: Error) => {
      const line = err instanceof ConfigError || err instanceof StartupError ? err.message : err instanceof RegistryError ? `${err.code}: ${err.message}` : `failed to start: ${err.message}`;
      console.error(`${name}: ${line}`);
      process.exit(1);
    },
  );
}
