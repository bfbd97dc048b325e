import { closeAtMs, outcomeOf, whatIfDiff, type Rules } from '@cs/appraisal';
import { clockFromConfig, loadProposedRules } from '@cs/runtime';
import { parseCommandArgs } from '../args.ts';
import { UsageError } from '../cli-errors.ts';
import { parsePeriodArg } from '../period-arg.ts';
import { readPeriodInputs, redisCommandConfig, withRedis } from '../period-inputs.ts';
import { renderWhatIf } from '../what-if-text.ts';

export const rescoreHelp = `Usage: cs-appraisal rescore --period KIND:START --rules FILE [--json]

What-if: scores a period from its stored counters (Redis, as explain reads them) twice, under the
rules it is scored with (the version it was FINALed under, else the one in force) and under
proposed rules, and prints what would change. Publishes nothing (docs/what-if.md).

The proposed rules are FILE's settings merged over the period's rules, e.g. {"grades":{"A":92}};
without a rulesVersion of its own the proposal is named <version>+what-if.

Prints: grades per team (current -> proposed) and every member whose grade moves, awards gained
and lost, vetoes gained and lost, coefficient changes, eligible members, and the sum of the bonus
coefficients (what payroll multiplies) against the current one.

Options:
  --period KIND:START      MONTH:YYYY-MM or DAY:YYYY-MM-DD; required
  --rules FILE             the proposed rules (JSON); required
  --json                   the diff as one JSON object (for tools)
  -h, --help               this text

Environment: as explain (REDIS_URL, CS_KEY_PREFIX, CS_RULES_FILE, CS_TIMEZONE, CS_CLOCK_OFFSET_SECONDS).

Exit status: 0 ok, 1 Redis failure or the period's rules version is gone, 2 bad arguments, a bad
rules file or a bad environment variable.`;

export async function rescoreCommand(argv: string[]): Promise<number> {
  const values = parseCommandArgs('rescore', rescoreHelp, argv, { period: { type: 'string' }, rules: { type: 'string' }, json: { type: 'boolean' } });
  if (!values) return 0; // --help
  if (!values.rules) throw new UsageError('missing --rules: the proposed rules, e.g. --rules proposal.json holding {"grades":{"A":92}}');
  const arg = parsePeriodArg(values.period);
  const config = redisCommandConfig(process.env);
  const inputs = await withRedis(config, (redis) => readPeriodInputs(redis, config, arg.label));
  let proposed: Rules;
  try {
    proposed = loadProposedRules(values.rules, inputs.rules);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const now = clockFromConfig(config).now();
    // Scored as the scorer would now: FINAL once the period is closed (the A quota applies), both ways.
  const status = closeAtMs(inputs.period, inputs.rules) <= now ? 'FINAL' : 'PROVISIONAL';
  const diff = whatIfDiff(outcomeOf(inputs, inputs.rules, status, now), outcomeOf(inputs, proposed, status, now));
  console.log(values.json ? JSON.stringify({ period: inputs.period.id, ...diff }) : renderWhatIf(inputs.period.id, values.rules, diff));
  return 0;
}
