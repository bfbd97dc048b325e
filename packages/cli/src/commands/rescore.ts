import { randomUUID } from 'node:crypto';
import { closeAtMs, outcomeOf, whatIfDiff, type Rules } from '@cs/appraisal';
import { clockFromConfig, loadProposedRules } from '@cs/runtime';
import { parseCommandArgs, stringOptions } from '../args.ts';
import { UsageError } from '../cli-errors.ts';
import { adoptionMissing, buildAdoption } from '../correction-args.ts';
import { correctionPublisher } from '../publish-correction.ts';
import { parsePeriodArg } from '../period-arg.ts';
import { readPeriodInputs, redisCommandConfig, withRedis } from '../period-inputs.ts';
import { adoptedText, renderWhatIf } from '../what-if-text.ts';

export const rescoreHelp = `Usage: cs-appraisal rescore --period KIND:START --rules FILE [--json]
       cs-appraisal rescore --period KIND:START --rules FILE --publish --reason "…" --requested-by A --approved-by B [--id ID]

What-if: scores a period from its stored counters (Redis, as explain reads them) twice, under the
rules it is scored with (the version it was FINALed under, else the one in force) and under
proposed rules, and prints what would change. Publishes nothing (docs/what-if.md).

The proposed rules are FILE's settings merged over the period's rules, e.g. {"grades":{"A":92}};
without a rulesVersion of its own the proposal is named <version>+what-if.

Prints: grades per team (current -> proposed) and every member whose grade moves, awards gained
and lost, vetoes gained and lost, coefficient changes, eligible members, and the sum of the bonus
coefficients (what payroll multiplies) against the current one.

With --publish (docs/what-if.md "Publishing"), after printing the diff it adopts the proposed
rules for the period: one RULES_ADOPTED correction on the corrections topic, carrying the complete
rules, the reason and both actors. The scorer then re-scores the period under them and publishes
REVISED cards (and eligibility), every card listing the adoption as a reason. Closed periods only
(the scorer has FINALed them); a later adoption of the same period replaces the rules, and every
adoption stays listed. Without a rulesVersion of its own the adopted rules are named <version>+<id>.

Options:
  --period KIND:START      MONTH:YYYY-MM or DAY:YYYY-MM-DD; required
  --rules FILE             the proposed rules (JSON); required
  --json                   the diff as one JSON object (for tools)
  --publish                adopt the proposed rules for the (closed) period, as REVISED cards
  --reason TEXT            why (required with --publish)
  --requested-by A         who asked (required with --publish)
  --approved-by B          who approved (required with --publish; must not be A)
  --id ID                  the adoption's correction id (default: a generated COR-<uuid>);
                           sending the same id again counts once
  -h, --help               this text

Environment: as explain (REDIS_URL, CS_KEY_PREFIX, CS_RULES_FILE, CS_TIMEZONE, CS_CLOCK_OFFSET_SECONDS);
with --publish also as correct (KAFKA_BROKERS, Kafka SASL/TLS settings, CS_TOPIC_CORRECTIONS).

Exit status: 0 ok (published, with --publish), 1 Redis or Kafka failure or the period's rules
version is gone, 2 bad arguments, a bad rules file, a bad environment variable, or --publish for a
period that is not closed (nothing published).`;

export async function rescoreCommand(argv: string[]): Promise<number> {
  const values = parseCommandArgs('rescore', rescoreHelp, argv, {
    period: { type: 'string' },
    rules: { type: 'string' },
    json: { type: 'boolean' },
    publish: { type: 'boolean' },
    ...stringOptions('id', 'reason', 'requested-by', 'approved-by'),
  });
  if (!values) return 0; // --help
  if (!values.rules) throw new UsageError('missing --rules: the proposed rules, e.g. --rules proposal.json holding {"grades":{"A":92}}');
  const adopting = ADOPT_OPTIONS.filter((k) => values[k] !== undefined);
  if (!values.publish && adopting.length > 0) throw new UsageError(`${adopting.map((k) => `--${k}`).join(', ')} only apply with --publish (the dry run publishes nothing)`);
  const missing = values.publish ? adoptionMissing(values) : [];
  if (missing.length > 0) throw new UsageError(`rescore --publish needs ${missing.join(', ')} (who asked, who approved and why); nothing was sent`);
  const id = values.publish ? (values.id ?? `COR-${randomUUID()}`) : undefined;
  const arg = parsePeriodArg(values.period);
  const config = redisCommandConfig(process.env);
  const inputs = await withRedis(config, (redis) => readPeriodInputs(redis, config, arg.label));
  if (id !== undefined && inputs.state?.state !== 'final') {
    const why = inputs.state?.state === 'finalizing' ? 'its FINAL cards are still being sent; retry in a minute' : 'PROVISIONAL, no FINAL cards yet';
    throw new UsageError(`${inputs.period.id} is not closed (${why}): rules are adopted for FINAL periods only; nothing was sent`);
  }
  let proposed: Rules;
  try {
    proposed = loadProposedRules(values.rules, inputs.rules, id);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const now = clockFromConfig(config).now();
  // Scored as the scorer would now: FINAL once the period is closed (the A quota applies), both ways.
  const status = closeAtMs(inputs.period, inputs.rules) <= now ? 'FINAL' : 'PROVISIONAL';
  const diff = whatIfDiff(outcomeOf(inputs, inputs.rules, status, now), outcomeOf(inputs, proposed, status, now));
  if (id === undefined) {
    console.log(values.json ? JSON.stringify({ period: inputs.period.id, ...diff }) : renderWhatIf(inputs.period.id, values.rules, diff));
    return 0;
  }
  // Everything is checked before anything is printed as published or sent.
  const out = await correctionPublisher();
  const adoption = buildAdoption({ ...values, id }, inputs.period.id, proposed, out);
  await out.publish(adoption);
  const published = { correctionId: id, rulesVersion: proposed.rulesVersion };
  console.log(values.json ? JSON.stringify({ period: inputs.period.id, ...diff, published }) : `${renderWhatIf(inputs.period.id, values.rules, diff, true)}\n${adoptedText(inputs.period.id, published)}`);
  return 0;
}

const ADOPT_OPTIONS = ['id', 'reason', 'requested-by', 'approved-by'] as const;
