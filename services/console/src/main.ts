// Entry point of the console: `npx cs-appraisal run console` or `tsx services/console/src/main.ts`.
import { runAsMain, startService } from '@cs/runtime';
import { Console, SERVICE } from './console.ts';
import { loadConsoleSettings } from './settings.ts';

export interface RunningConsole {
  stop: () => Promise<void>;
  metricsPort: number;
  /** where the console listens, e.g. http://127.0.0.1:8088/ */
  url: string;
  console: Console;
}

export async function runConsole(env: NodeJS.ProcessEnv = process.env): Promise<RunningConsole> {
  const settings = loadConsoleSettings(env);
  const { service, metricsPort, stop } = await startService(
    {
      name: SERVICE,
      build: (ctx) => new Console(ctx, settings),
      topics: ['appraisal', 'eligibility'],
      finishing: 'closing the browsers\' connections',
    },
    env,
  );
  return { metricsPort, url: service.url, console: service, stop };
}

runAsMain(import.meta.url, 'console', () => runConsole());
