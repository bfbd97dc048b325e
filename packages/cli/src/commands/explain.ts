import { closeAtMs, explainMember, type MemberExplanation } from '@cs/appraisal';
import { clockFromConfig } from '@cs/runtime';
import { publishedKey } from '@cs/scorer/keys';
import { parseCommandArgs } from '../args.ts';
import { RuntimeFailure, UsageError } from '../cli-errors.ts';
import { parsePeriodArg } from '../period-arg.ts';
import { readPeriodInputs, redisCommandConfig, withRedis } from '../period-inputs.ts';
import { renderExplanation } from '../explain-text.ts';

export const explainHelp = `Usage: cs-appraisal explain --staff ID --period KIND:START [--json]

How one staff member's scorecard of a period comes about, from Redis alone (the counters, roster
and corrections the aggregator keeps, and the scorer's record of what it published), so it works
for a past period whose topics have expired: every input counter, every correction with its
reason, requester and approver and what each adjustment did, each KPI's value and its score on
the floor/target line, each dimension from its KPIs and weights, the composite from the role's
dimension weights, the grade thresholds, the team's A-quota cut (forced distribution: rank,
quota, whether the A was capped) and, for a month, the coefficient, awards and vetoes.

The whole population of the period is scored through the engine (ranks and the quota need the
team), with the rules the services load (CS_RULES_FILE, CS_TIMEZONE). The status is the one the
scorer would give now: PROVISIONAL before the period closes, FINAL after, REVISED once the
scorer has revised it.

Options:
  --staff ID               the staff member, e.g. --staff S001; required
  --period KIND:START      MONTH:YYYY-MM or DAY:YYYY-MM-DD; required
  --json                   the explanation as one JSON object instead of the text
  -h, --help               this text

Environment: REDIS_URL (default redis://127.0.0.1:6390, the local stack) or REDIS_CLUSTER_NODES,
CS_KEY_PREFIX, CS_RULES_FILE, CS_TIMEZONE, CS_CLOCK_OFFSET_SECONDS.

Exit status: 0 ok, 1 Redis failure or the staff member is not scored in the period (not an
active roster member), 2 bad arguments or bad environment variable.`;

export async function explainCommand(argv: string[]): Promise<number> {
  const values = parseCommandArgs('explain', explainHelp, argv, { staff: { type: 'string' }, period: { type: 'string' }, json: { type: 'boolean' } });
  if (!values) return 0; // --help
  if (!values.staff) throw new UsageError('missing --staff: use e.g. --staff S001');
  const arg = parsePeriodArg(values.period);
  const config = redisCommandConfig(process.env);
  const x: MemberExplanation | undefined = await withRedis(config, async (redis) => {
    const { period, counters, roster, corrections, previousFinals, history, rules } = await readPeriodInputs(redis, config, arg.label);
    const now = clockFromConfig(config).now();
    // The member's card as the scorer last published it (FINAL, or REVISED with its revision),
    // else what it would publish now (PROVISIONAL before the close, FINAL after).
    const mine = await redis.hget(publishedKey(config.CS_KEY_PREFIX, period.id), values.staff!);
    const published = mine ? (JSON.parse(mine) as { status: string; revision: number }) : null;
    const status = published && published.status !== 'PROVISIONAL' ? (published.status as 'FINAL' | 'REVISED') : closeAtMs(period, rules) <= now ? 'FINAL' : 'PROVISIONAL';
    const revision = published && published.status !== 'PROVISIONAL' ? Number(published.revision) : 0;
    return explainMember({ staffId: values.staff!, counters, roster, rules, period, status, revision, computedAt: now, corrections, previousFinals, ...(history ? { history } : {}) });
  });
  if (x === undefined) throw new RuntimeFailure(`${values.staff} is not scored in ${arg.label}: not an active member of the roster in Redis (prefix ${config.CS_KEY_PREFIX})`);
  console.log(values.json ? JSON.stringify(x) : renderExplanation(x));
  return 0;
}
