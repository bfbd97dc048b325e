import { parseCommandArgs, stringOptions } from '../args.ts';
import { cliKafka } from '../kafka-client.ts';
import { parsePeriodArg } from '../period-arg.ts';
import { latestTeams } from '../period-records.ts';
import { formatTable } from '../table.ts';
import { byRank, teamBoard } from '../team-board.ts';

export const teamsHelp = `Usage: cs-appraisal teams --period MONTH:YYYY-MM [--json]

The team board of a month: the latest team card of each team (docs/team-scorecards.md) as
published on the team scorecard topic (compacted, keyed <teamId>|<periodId>; read from its
beginning to its current end; nothing is committed), by rank in the centre: score, composite mean
and spread, the team KPIs (service level, repair commitments met, collection and meter-reading
completion as percent; complaints per 1,000 contacts), members per grade, workload units per head.
Rank 1 is the team whose eligible members get TEAM_HONOUR; teams with fewer graded members than
the rules' teamHonourMinGraded are not ranked (-). "Latest": as for scorecards.

Options:
  --period MONTH:YYYY-MM  the month (e.g. MONTH:2026-10); required
  --json                  one TeamScorecard JSON object per line, by rank, instead of the table
  -h, --help              this text

Environment: KAFKA_BROKERS (default 127.0.0.1:19092, the local stack), Kafka SASL/TLS settings,
CS_TOPIC_TEAM_SCORECARD (default cs.team-scorecard.v1).

Exit status: 0 ok (also when there is nothing to show: it says so on stderr), 1 Kafka failure
(unreachable broker, missing topic), 2 bad arguments or bad environment variable.`;

export async function teamsCommand(argv: string[]): Promise<number> {
  const values = parseCommandArgs('teams', teamsHelp, argv, { ...stringOptions('period'), json: { type: 'boolean' } });
  if (!values) return 0; // --help
  const period = parsePeriodArg(values.period, ['MONTH']);
  const teams = (await latestTeams(cliKafka(), period)).map((p) => p.record).sort(byRank);
  if (teams.length === 0) {
    if (!values.json) console.error(`no team cards for ${period.label} yet`);
    return 0;
  }
  if (values.json) {
    for (const t of teams) console.log(JSON.stringify(t));
    return 0;
  }
  const { headers, rows } = teamBoard(teams);
  console.log(formatTable(headers, rows));
  const p = teams[0]!.period;
  console.log(`${teams.length} teams; ${period.label} = ${p.start} to ${p.end} (exclusive), ${p.timeZone}`);
  return 0;
}
