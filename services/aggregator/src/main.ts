// Entry point of the aggregator service: `npx cs-appraisal run aggregator` or `tsx services/aggregator/src/main.ts`.
import { ConfigError, runAsMain, startService } from '@cs/runtime';
import { AGGREGATOR_TOPICS, Aggregator, SERVICE } from './service.ts';

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
  const sessionTimeoutMs = sessionTimeout(env);
  const { metricsPort, stop } = await startService(
    {
      name: SERVICE,
      build: ({ config, rules, log, codecs }) => new Aggregator({ config, rules, log, codecs, sessionTimeoutMs }),
      topics: AGGREGATOR_TOPICS,
      finishing: 'finishing the batch in hand',
    },
    env,
  );
  return { metricsPort, stop };
}

runAsMain(import.meta.url, 'aggregator', () => runAggregator());
