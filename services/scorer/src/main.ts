// Entry point of the scorer service: `npx cs-appraisal run scorer` or `tsx services/scorer/src/main.ts`.
import { runAsMain, startService } from '@cs/runtime';
import { Scorer, SERVICE } from './service.ts';

export interface RunningScorer {
  stop: () => Promise<void>;
  /** the port /metrics, /healthz and /readyz listen on (METRICS_PORT=0 picks one) */
  metricsPort: number;
  scorer: Scorer;
}

export async function runScorer(env: NodeJS.ProcessEnv = process.env): Promise<RunningScorer> {
  const { service, metricsPort, stop } = await startService(
    {
      name: SERVICE,
      build: ({ config, rules, log, codecs }) => new Scorer({ config, rules, log, codecs }),
      topics: ['appraisal', 'eligibility', 'teamScorecard'],
      describe: (scorer) => ({ owner: scorer.ownerId }),
      finishing: 'finishing the tick in hand, releasing the lease',
    },
    env,
  );
  return { metricsPort, scorer: service, stop };
}

runAsMain(import.meta.url, 'scorer', () => runScorer());
