import { RuntimeFailure, UsageError } from './cli-errors.ts';
import { stackCommand } from './commands/stack.ts';

const usage = `Usage: cs-appraisal <command> [options]

Commands:
  stack up|down|status   local Kafka (KRaft) + Redis for this project
  demo                   the main job: stack, services, a simulated month, live view

Run "cs-appraisal <command> --help" for a command's options.`;

type Command = (argv: string[]) => Promise<number>;

const commands: Record<string, () => Promise<Command>> = {
  stack: async () => stackCommand,
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
