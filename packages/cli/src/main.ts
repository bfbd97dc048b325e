import { RuntimeFailure, UsageError } from './cli-errors.ts';
import { stackCommand } from './commands/stack.ts';

const usage = `Usage: cs-appraisal <command> [options]

Commands:
  stack up|down|status   local Kafka (KRaft) + Redis for this project
  produce [--file F]     publish NDJSON events (stdin by default) Avro-encoded to their topics
  scorecards --period KIND:START [--staff ID] [--status S] [--json]
                         the latest scorecard per staff member for a period
  eligibility --period MONTH:START [--json]
                         the latest incentive-eligibility records for a month
  teams --period MONTH:START [--json]
                         the team board of a month: rank, score, KPIs, grades
  export --period MONTH:START --format csv [--out FILE] [--cutoff ISO-TIME]
                         what payroll imports for a month: CSV, row count and SHA-256
  correct complaint|excuse-absence|void|adjust [options]
                         a correction or appeal ruling, with reason and approver
  explain --staff ID --period KIND:START [--json]
                         one member's card worked out from Redis: counters, corrections,
                         KPIs, dimensions, composite, grade, quota cut, coefficient
  rescore --period KIND:START --rules FILE [--json]
                         what-if: the period under proposed rules against its own, diffed;
                         publishes nothing
  run aggregator|scorer|all
                         the services, in the foreground until Ctrl-C
  simulate [options]     realistic synthetic traffic: replay a month or run live
  demo                   the main job: stack, services, a simulated month, live view

Run "cs-appraisal <command> --help" for a command's options.`;

type Command = (argv: string[]) => Promise<number>;

const commands: Record<string, () => Promise<Command>> = {
  stack: async () => stackCommand,
  produce: async () => (await import('./commands/produce.ts')).produceCommand,
  scorecards: async () => (await import('./commands/scorecards.ts')).scorecardsCommand,
  eligibility: async () => (await import('./commands/eligibility.ts')).eligibilityCommand,
  teams: async () => (await import('./commands/teams.ts')).teamsCommand,
  export: async () => (await import('./commands/export.ts')).exportCommand,
  correct: async () => (await import('./commands/correct.ts')).correctCommand,
  explain: async () => (await import('./commands/explain.ts')).explainCommand,
  rescore: async () => (await import('./commands/rescore.ts')).rescoreCommand,
  run: async () => (await import('./commands/run.ts')).runCommand,
  simulate: async () => (await import('./commands/simulate.ts')).simulateCommand,
  demo: async () => (await import('./commands/demo.ts')).demoCommand,
};

/** Returns the exit status: 0 ok, 1 runtime failure, 2 bad arguments. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage);
    return name === undefined ? 2 : 0;
  }
  const load = commands[name];
  try {
    if (!load) throw new UsageError(`unknown command "${name}"; run: cs-appraisal --help`);
    return await (await load())(rest);
  } catch (err) {
    if (err instanceof UsageError || err instanceof RuntimeFailure) {
      console.error(`cs-appraisal: ${err.message}`);
      return err.exitCode;
    }
    if (err instanceof TypeError && (err as NodeJS.ErrnoException).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      console.error(`cs-appraisal: ${err.message}; run: cs-appraisal ${name} --help`);
      return 2;
    }
    console.error(`cs-appraisal: ${(err as Error).message ?? String(err)}`);
    return 1;
  }
}
