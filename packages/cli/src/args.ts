import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './cli-errors.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * node:util parseArgs, strict, no positionals; every parse problem (unknown option, missing value,
 * stray argument) becomes a UsageError (exit 2) that names the command's --help.
 */
export function parseCommandArgs<O extends Options>(command: string, argv: string[], options: O) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_')) {
      throw new UsageError(`${(err as Error).message.split('\n')[0]!.split('. To specify')[0]}; run: cs-appraisal ${command} --help`);
    }
    throw err;
  }
  if (parsed.positionals.length > 0) throw new UsageError(`unexpected argument "${parsed.positionals[0]}"; run: cs-appraisal ${command} --help`);
  return parsed.values;
}
