import { writeFileSync } from 'node:fs';
import { parsePeriodId } from '@cs/appraisal';
import { loadRules } from '@cs/runtime';
import { parseCommandArgs, stringOptions } from '../args.ts';
import { RuntimeFailure, UsageError } from '../cli-errors.ts';
import { cliKafka } from '../kafka-client.ts';
import { defaultCutoffMs, payrollExport } from '../payroll-csv.ts';
import { payrollSettings } from '../payroll-settings.ts';
import { parsePeriodArg } from '../period-arg.ts';
import { latestCards, latestEligibility } from '../period-records.ts';

export const exportHelp = `Usage: cs-appraisal export --period MONTH:YYYY-MM --format csv [--out FILE] [--cutoff ISO-TIME]

What payroll imports for one month, current or past: one CSV row per staff member with the
latest FINAL or REVISED scorecard of the month and its latest eligibility record (both topics
are compacted per staff-period, so every past month stays; read from the beginning, nothing
committed). Staff whose latest card is still PROVISIONAL are left out (counted on stderr).

CSV (RFC 4180: comma-separated, CRLF line ends, a field with a comma, quote or line break
quoted, quotes doubled; lists joined with ";"), sorted by team then staff, one header line:
  staff,team,role,grade,coefficient,awards,veto,status,revision,reasons,adjustment
  coefficient   the eligibility's bonusCoefficient (empty when no eligibility record yet)
  awards, veto  award ids and veto reasons of the eligibility record
  status        FINAL or REVISED; revision: 0 for FINAL, n for the n-th REVISED
  reasons       the card's corrections in the order they apply, each "<correctionId> <kind>:
                <reason> (requested <a>, approved <b>)", joined with "; " (empty: none)
  adjustment    yes when the card was computed (computedAt) or its eligibility published
                (Kafka timestamp + CS_CLOCK_OFFSET_SECONDS) after the payroll cut-off: pay it
                in the next run; else no. The publish time covers an award that moved to or
                from someone whose card did not change (a new eligibility record only).

Options:
  --period MONTH:YYYY-MM   the month, e.g. --period MONTH:2026-10; required
  --format csv             the only format; required
  --out FILE               write the CSV to FILE (default: stdout)
  --cutoff ISO-TIME        the payroll cut-off, with its zone, e.g. 2026-11-05T00:00:00+08:00
                           Default: the month's close (its end + the rules' MONTH close grace,
                           3 days; CS_RULES_FILE, CS_TIMEZONE) + CS_PAYROLL_CUTOFF_HOURS (24)
  -h, --help               this text

Trailer: one line on stderr so payroll can verify the file:
  cs-appraisal export: MONTH:YYYY-MM rows=N adjustments=A provisional=P cutoff=ISO sha256=HEX
where N is the number of data rows (header excluded) and HEX the SHA-256 of the CSV's bytes.

Environment: KAFKA_BROKERS (default 127.0.0.1:19092), Kafka SASL/TLS settings, CS_TOPIC_APPRAISAL,
CS_TOPIC_ELIGIBILITY, CS_RULES_FILE, CS_TIMEZONE, CS_PAYROLL_CUTOFF_HOURS (0-744, default 24).

Exit status: 0 ok (also an empty month: the header only), 1 Kafka or file failure, 2 bad
arguments or bad environment variable.`;

/** An instant with an explicit zone (Z or ±hh:mm): a cut-off must not depend on the machine's zone. */
function parseCutoff(text: string): number {
  const ms = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.test(text) || Number.isNaN(ms)) {
    throw new UsageError(`bad --cutoff "${text}": use an ISO time with its zone, e.g. --cutoff 2026-11-05T00:00:00+08:00`);
  }
  return ms;
}

export async function exportCommand(argv: string[]): Promise<number> {
  const values = parseCommandArgs('export', exportHelp, argv, stringOptions('period', 'format', 'out', 'cutoff'));
  if (!values) return 0; // --help
  const period = parsePeriodArg(values.period, ['MONTH']);
  if (values.format === undefined) throw new UsageError('missing --format: use --format csv');
  if (values.format.toLowerCase() !== 'csv') throw new UsageError(`bad --format "${values.format}": only csv is supported; use --format csv`);
  if (values.out === '') throw new UsageError('bad --out "": name a file, e.g. --out payroll-2026-10.csv');
  const explicitCutoff = values.cutoff === undefined ? undefined : parseCutoff(values.cutoff);
  const settings = payrollSettings();
  const c = cliKafka();
  const book = loadRules(c.config);
  const month = parsePeriodId(period.label, book.latest.timeZone);
  const cutoffMs = explicitCutoff ?? defaultCutoffMs(month, book.inForce(month), settings.CS_PAYROLL_CUTOFF_HOURS);

  const [cards, eligibility] = [await latestCards(c, period), await latestEligibility(c, period)];
  // Kafka timestamps are the wall clock; the cut-off and computedAt are on the project's clock (README, Time).
  const offsetMs = c.config.CS_CLOCK_OFFSET_SECONDS * 1000;
  const out = payrollExport(cards, eligibility.map((e) => ({ ...e, timestamp: e.timestamp + offsetMs })), cutoffMs);
  if (values.out === undefined) process.stdout.write(out.csv);
  else {
    try {
      writeFileSync(values.out, out.csv);
    } catch (err) {
      throw new RuntimeFailure(`cannot write ${values.out}: ${(err as Error).message}`);
    }
  }
  console.error(`cs-appraisal export: ${period.label} rows=${out.rows} adjustments=${out.adjustments} provisional=${out.provisional} cutoff=${new Date(cutoffMs).toISOString()} sha256=${out.sha256}`);
  return 0;
}
