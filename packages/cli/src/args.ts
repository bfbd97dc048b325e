import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './cli-errors.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

/** String-valued options, by name (most options of the commands). */
export function stringOptions<const N extends string>(...names: N[]): { [K in N]: { type: 'string' } } {
  return Object.fromEntries(names.map((n) => [n, { type: 'string' }])) as { [K in N]: { type: 'string' } };
}

/** Every command takes -h/--help. */
const HELP = { help: { type: 'boolean', short: 'h' } } as const;

/**
 * node:util parseArgs, strict, no positionals, with -h/--help added; every parse problem (unknown
 * option, missing value, stray argument) becomes a UsageError (exit 2) that names the command's
 * --help. With --help it prints `helpText` and returns undefined: the command then exits 0.
 */
export function parseCommandArgs<O extends Options>(command: string, helpText: string, argv: string[], options: O) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { ...options, ...HELP }, strict: true, allowPositionals: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_')) {
      throw new UsageError(`${(err as Error).message.split('\n')[0]!.split('. To specify')[0]}; run: cs-appraisal ${command} --help`);
    }
    throw err;
  }
  if (parsed.positionals.length > 0) throw new UsageError(`unexpected argument "${parsed.positionals[0]}"; run: cs-appraisal ${command} --help`);
  // The values' type is resolved per command; here, only the --help this function adds is read.
  if ((parsed.values as { help?: boolean }).help) {
    console.log(helpText);
    return undefined;
  }
  return parsed.values;
}
