import { parseCommandArgs } from '../args.ts';
import { cliKafka } from '../kafka-client.ts';
import { parsePeriodArg } from '../period-arg.ts';
import { latestEligibility } from '../period-records.ts';
import { formatTable, list } from '../table.ts';

export const eligibilityHelp = `Usage: cs-appraisal eligibility --period MONTH:START [--json]

The latest incentive-eligibility record of each staff member for one month, current or past, as
published on the eligibility topic (compacted, keyed <staffId>|<periodId>, so every past month's
latest record stays; read from its beginning to its current end; nothing is committed). "Latest"
is the last one published for that staff-period (it follows the latest FINAL or REVISED scorecard).

Options:
  --period MONTH:YYYY-MM   the month, e.g. --period MONTH:2026-10; required
  --json                   one Eligibility JSON object per line (interfaces.md) instead of the table
  -h, --help               this text

The table is sorted by team, then staff. When the month has no records (yet), it says so on
stderr and exits 0; with --json it prints nothing.

Environment: KAFKA_BROKERS (default 127.0.0.1:19092, the local stack), Kafka SASL/TLS settings,
CS_TOPIC_ELIGIBILITY (default cs.incentive-eligibility.v1).

Exit status: 0 ok (also when there is nothing to show), 1 Kafka failure (unreachable broker,
missing topic), 2 bad arguments or bad environment variable.`;

export async function eligibilityCommand(argv: string[]): Promise<number> {
  const values = parseCommandArgs('eligibility', eligibilityHelp, argv, { period: { type: 'string' }, json: { type: 'boolean' } });
  if (!values) return 0; // --help
  const period = parsePeriodArg(values.period, ['MONTH']);
  const latest = await latestEligibility(cliKafka(), period);
  const records = latest.map((s) => s.record).sort((a, b) => (a.teamId !== b.teamId ? cmp(a.teamId, b.teamId) : cmp(a.staffId, b.staffId)));
  if (records.length === 0) {
    if (!values.json) console.error(`no eligibility records for ${period.label} yet (they appear once the month's scorecards are FINAL)`);
    return 0;
  }
  if (values.json) {
    for (const r of records) console.log(JSON.stringify(r));
    return 0;
  }
  const headers = ['STAFF', 'TEAM', 'GRADE', 'ELIGIBLE', 'BONUS', 'AWARDS', 'VETOES', 'TRAINING', 'IMPROVEMENT-PLAN'];
  const rows = records.map((r) => [
    r.staffId, r.teamId, r.grade, r.eligible ? 'yes' : 'no', r.bonusCoefficient.toFixed(2),
    list(r.awards), list(r.vetoReasons), list(r.trainingRecommendations), r.improvementPlanRequired ? 'yes' : 'no',
  ]);
  console.log(formatTable(headers, rows));
  const eligible = records.filter((r) => r.eligible).length;
  console.log(`${records.length} staff, ${eligible} eligible; ${period.label}`);
  return 0;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
