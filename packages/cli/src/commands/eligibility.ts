import { createCodecs, type Eligibility } from '@cs/contracts';
import { parseCommandArgs } from '../args.ts';
import { cliKafka } from '../kafka-client.ts';
import { parsePeriodArg } from '../period-arg.ts';
import { readValues, type TopicMessage } from '../read-topic.ts';
import { formatTable, list } from '../table.ts';

export const eligibilityHelp = `Usage: cs-appraisal eligibility --period MONTH:START [--json]

The latest incentive-eligibility record of each staff member for one month, as published on the
eligibility topic (read from its beginning to its current end; nothing is committed). Records
are keyed by staff, so "latest" is the last one published for that staff member (it follows the
latest FINAL or REVISED scorecard).

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

interface Seen {
  record: Eligibility;
  partition: number;
  offset: bigint;
  timestamp: number;
}

/** Later in the same partition wins; across partitions (a re-keyed record) the newer timestamp. */
function newer(a: TopicMessage, b: Seen): boolean {
  if (a.partition === b.partition) return a.offset > b.offset;
  return a.timestamp >= b.timestamp;
}

export async function eligibilityCommand(argv: string[]): Promise<number> {
  const values = parseCommandArgs('eligibility', eligibilityHelp, argv, { period: { type: 'string' }, json: { type: 'boolean' } });
  if (!values) return 0; // --help
  const period = parsePeriodArg(values.period, ['MONTH']);
  const c = cliKafka();
  const codecs = createCodecs();
  const latest = new Map<string, Seen>();
  await readValues(c, 'eligibility', (bytes, m) => {
    const r = codecs.decode('eligibility', bytes);
    if (!r.ok) return r.error.message;
    const rec = r.event;
    if (rec.period.kind !== period.kind || rec.period.start !== period.start) return null;
    const prev = latest.get(rec.staffId);
    if (!prev || newer(m, prev)) latest.set(rec.staffId, { record: rec, partition: m.partition, offset: m.offset, timestamp: m.timestamp });
    return null;
  });

  const records = [...latest.values()].map((s) => s.record).sort((a, b) => (a.teamId !== b.teamId ? cmp(a.teamId, b.teamId) : cmp(a.staffId, b.staffId)));
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
