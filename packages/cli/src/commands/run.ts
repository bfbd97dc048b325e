import { parseArgs } from 'node:util';
import { UsageError } from '../cli-errors.ts';

export const runHelp = `Usage: cs-appraisal run aggregator|scorer|console|all

Runs the services in the foreground until SIGINT/SIGTERM, then stops cleanly (the batch in hand
is finished and committed). Reads KAFKA_BROKERS, REDIS_URL and the other variables of the README;
after "stack up" they default to the local stack. The console (CS_CONSOLE_PORT, default 8088 on
127.0.0.1; CS_CONSOLE_TOKEN for a token) prints its URL when it listens.`;

type Runner = (env: NodeJS.ProcessEnv) => Promise<{ stop: () => Promise<void> }>;

const services: Record<string, () => Promise<Runner>> = {
  aggregator: async () => (await import('@cs/aggregator/main')).runAggregator,
  scorer: async () => (await import('@cs/scorer/main')).runScorer,
  console: async () => (await import('@cs/console/main')).runConsole,
};

export async function runCommand(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, options: { help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    console.log(runHelp);
    return 0;
  }
  const [which, ...rest] = positionals;
  if (rest.length) throw new UsageError(`unexpected argument "${rest[0]}"; run: cs-appraisal run --help`);
  const names = which === 'all' ? ['aggregator', 'scorer', 'console'] : which && services[which] ? [which] : null;
  if (!names) throw new UsageError(`${which ? `unknown service "${which}"` : 'missing service'}: use aggregator, scorer, console or all`);
  const env = { ...process.env };
  env.KAFKA_BROKERS ??= '127.0.0.1:19092';
  env.REDIS_URL ??= env.REDIS_CLUSTER_NODES ? undefined : 'redis://127.0.0.1:6390';
  // Listen before starting: a signal during start-up must still stop the services cleanly.
  const signalled = new Promise<void>((resolve) => {
    for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => resolve());
  });
  // Two services in one process need two metrics ports.
  const basePort = Number(env.METRICS_PORT ?? 9464);
  const running: { stop: () => Promise<void> }[] = [];
  try {
    for (const [i, name] of names.entries()) {
      const runner = await services[name]!();
      const started = await runner({ ...env, METRICS_PORT: String(basePort === 0 ? 0 : basePort + i) });
      running.push(started);
      if ('url' in started) console.log(`console: ${String(started.url)}`);
    }
    await signalled;
  } finally {
    await Promise.all(running.map((r) => r.stop()));
  }
  return 0;
}
