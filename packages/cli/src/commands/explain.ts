import { closeAtMs, explainMember, previousPeriod, parsePeriodId, rosterForPeriod, type MemberExplanation } from '@cs/appraisal';
import { CounterStore } from '@cs/counter-store';
import { ConfigError, clockFromConfig, counterStoreOptions, createRedis, loadConfig, loadRules, type ServiceConfig } from '@cs/runtime';
import { periodsKey, publishedKey } from '@cs/scorer/keys';
import { parsePublished, parseState, previousFinalsOf } from '@cs/scorer/model';
import { rosterTimelines } from '@cs/scorer/roster';
import { parseCommandArgs } from '../args.ts';
import { RuntimeFailure, UsageError } from '../cli-errors.ts';
import { parsePeriodArg } from '../period-arg.ts';
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

const LOCAL_REDIS = 'redis://127.0.0.1:6390';

export async function explainCommand(argv: string[]): Promise<number> {
  const values = parseCommandArgs('explain', explainHelp, argv, { staff: { type: 'string' }, period: { type: 'string' }, json: { type: 'boolean' } });
  if (!values) return 0; // --help
  if (!values.staff) throw new UsageError('missing --staff: use e.g. --staff S001');
  const arg = parsePeriodArg(values.period);
  const config = configOf(process.env);
  const book = loadRules(config);
  const period = parsePeriodId(arg.label, book.latest.timeZone);
  const redis = createRedis(config, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  redis.on('error', () => {}); // reported by the failed command below
  let x: MemberExplanation | undefined;
  try {
    try {
      await redis.connect();
    } catch (err) {
      throw new RuntimeFailure(`cannot reach Redis (${config.REDIS_URL ?? config.REDIS_CLUSTER_NODES}): run \`npx cs-appraisal stack up\` first`, { cause: err, retriable: true });
    }
    const store = new CounterStore(redis, counterStoreOptions(config));
    const previousId = previousPeriod(period).id;
    const [counters, profiles, corrections, previous, stateJson] = await Promise.all([
      store.periodCounters(period.id),
      store.rosterTimelines(),
      store.periodCorrections(period.id),
      redis.hgetall(publishedKey(config.CS_KEY_PREFIX, previousId)),
      redis.hget(periodsKey(config.CS_KEY_PREFIX), period.id),
    ]);
    // The period as the scorer sees it: its own roster (effective-dated), and the rules version it
    // was FINALed under, else the one in force for it (README "Rules in force").
    const roster = rosterForPeriod(rosterTimelines(profiles), period, book.latest.timeZone);
    const now = clockFromConfig(config).now();
    const state = parseState(stateJson);
    const { rulesVersion, rules } = book.forScoring(period, state?.rulesVersion);
    if (!rules) throw new RuntimeFailure(`the period was FINALed under rules version ${rulesVersion}, which CS_RULES_FILE no longer holds (README "Rules in force")`);
    // The member's card as the scorer last published it (FINAL, or REVISED with its revision),
    // else what it would publish now (PROVISIONAL before the close, FINAL after).
    const mine = await redis.hget(publishedKey(config.CS_KEY_PREFIX, period.id), values.staff);
    const published = mine ? (JSON.parse(mine) as { status: string; revision: number }) : null;
    const status = published && published.status !== 'PROVISIONAL' ? (published.status as 'FINAL' | 'REVISED') : closeAtMs(period, rules) <= now ? 'FINAL' : 'PROVISIONAL';
    const revision = published && published.status !== 'PROVISIONAL' ? Number(published.revision) : 0;
    x = explainMember({
      staffId: values.staff,
      counters,
      roster,
      rules,
      period,
      status,
      revision,
      computedAt: now,
      corrections,
      previousFinals: previousFinalsOf(parsePublished(previous)),
    });
  } finally {
    redis.disconnect();
  }
  if (x === undefined) throw new RuntimeFailure(`${values.staff} is not scored in ${arg.label}: not an active member of the roster in Redis (prefix ${config.CS_KEY_PREFIX})`);
  console.log(values.json ? JSON.stringify(x) : renderExplanation(x));
  return 0;
}

function configOf(env: NodeJS.ProcessEnv): ServiceConfig {
  const e = { ...env };
  if (!e.REDIS_URL && !e.REDIS_CLUSTER_NODES) e.REDIS_URL = LOCAL_REDIS;
  // explain reads no topic; the shared schema insists on a broker being named.
  if (!e.KAFKA_BROKERS) e.KAFKA_BROKERS = '127.0.0.1:19092';
  try {
    return loadConfig(e);
  } catch (err) {
    if (err instanceof ConfigError) throw new UsageError(`${err.message}; fix that environment variable and retry`);
    throw err;
  }
}
