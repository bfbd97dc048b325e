import { STAFF_ID_PATTERN, type AppraisalStatus, type Scorecard } from '@cs/contracts';
import { parseCommandArgs, stringOptions } from '../args.ts';
import { UsageError } from '../cli-errors.ts';
import { cliKafka } from '../kafka-client.ts';
import { isStatus } from '@cs/contracts/latest-records';
import { parsePeriodArg } from '../period-arg.ts';
import { latestCards } from '../period-records.ts';
import { formatTable, num } from '../table.ts';

export const scorecardsHelp = `Usage: cs-appraisal scorecards --period KIND:START [--staff ID] [--status S] [--json]

The latest scorecard of each staff member for one period, current or past, as published on the
appraisal topic (compacted, keyed <staffId>|<periodId>, so every past period's latest record stays;
read from its beginning to its current end; nothing is committed). "Latest" is the highest
revision, then PROVISIONAL < FINAL < REVISED, then the newest computedAt.

Options:
  --period KIND:START   MONTH:YYYY-MM (e.g. MONTH:2026-10) or DAY:YYYY-MM-DD (e.g. DAY:2026-10-05); required
  --staff ID            only this staff member
  --status S            only scorecards whose latest status is S: PROVISIONAL, FINAL or REVISED
  --json                one Scorecard JSON object per line (interfaces.md) instead of the table
  -h, --help            this text

The table is sorted by team, then rank in team. When the period has no scorecards (yet), it says
so on stderr and exits 0; with --json it prints nothing.

Environment: KAFKA_BROKERS (default 127.0.0.1:19092, the local stack), Kafka SASL/TLS settings,
CS_TOPIC_APPRAISAL (default cs.appraisal.v1).

Exit status: 0 ok (also when there is nothing to show), 1 Kafka failure (unreachable broker,
missing topic), 2 bad arguments or bad environment variable.`;

export async function scorecardsCommand(argv: string[]): Promise<number> {
  const values = parseCommandArgs('scorecards', scorecardsHelp, argv, { ...stringOptions('period', 'staff', 'status'), json: { type: 'boolean' } });
  if (!values) return 0; // --help
  const period = parsePeriodArg(values.period);
  if (values.staff !== undefined && !STAFF_ID_PATTERN.test(values.staff)) {
    throw new UsageError(`bad --staff "${values.staff}": a staff id is 1-64 of A-Z a-z 0-9 _ - (e.g. --staff S001)`);
  }
  let status: AppraisalStatus | undefined;
  if (values.status !== undefined) {
    const s = values.status.toUpperCase();
    if (!isStatus(s)) throw new UsageError(`bad --status "${values.status}": use PROVISIONAL, FINAL or REVISED`);
    status = s;
  }
  const latest = await latestCards(cliKafka(), period);
  const cards = latest
    .map((p) => p.record)
    .filter((s) => (values.staff === undefined || s.staffId === values.staff) && (status === undefined || s.status === status))
    .sort(byTeamThenRank);
  if (cards.length === 0) {
    if (!values.json) console.error(`no scorecards for ${period.label}${filterText(values.staff, status)} yet`);
    return 0;
  }
  if (values.json) {
    for (const s of cards) console.log(JSON.stringify(s));
    return 0;
  }
  const headers = ['STAFF', 'TEAM', 'ROLE', 'STATUS', 'REV', 'GRADE', 'COMPOSITE', 'WORKLOAD', 'TIMELINESS', 'ACCURACY', 'STANDARD', 'SATISFACTION', 'TASKS', 'CONDUCT', 'RANK'];
  const rows = cards.map((s) => {
    const d = s.dimensions;
    return [
      s.staffId, s.teamId, s.role, s.status, String(s.revision), s.grade, num(s.composite),
      num(d.workload), num(d.timeliness), num(d.accuracy), num(d.standardisation), num(d.satisfaction), num(d.taskCompletion), num(d.conduct),
      s.teamRank === null ? '-' : `${s.teamRank}/${s.teamSize}`,
    ];
  });
  console.log(formatTable(headers, rows));
  const p = cards[0]!.period;
  console.log(`${cards.length} staff; ${period.label} = ${p.start} to ${p.end} (exclusive), ${p.timeZone}`);
  return 0;
}

function byTeamThenRank(a: Scorecard, b: Scorecard): number {
  if (a.teamId !== b.teamId) return a.teamId < b.teamId ? -1 : 1;
  const ra = a.teamRank ?? Number.POSITIVE_INFINITY;
  const rb = b.teamRank ?? Number.POSITIVE_INFINITY;
  if (ra !== rb) return ra - rb;
  return a.staffId < b.staffId ? -1 : a.staffId > b.staffId ? 1 : 0;
}

function filterText(staff: string | undefined, status: AppraisalStatus | undefined): string {
  const parts = [staff === undefined ? '' : ` for staff ${staff}`, status === undefined ? '' : ` with status ${status}`];
  return parts.join('');
}
