import { randomUUID } from 'node:crypto';
import { parseCommandArgs, stringOptions } from '../args.ts';
import { UsageError } from '../cli-errors.ts';
import { buildCorrection, CORRECT_SUBCOMMANDS, type CorrectSubcommand } from '../correction-args.ts';
import { correctionPublisher } from '../publish-correction.ts';

export const correctHelp = `Usage:
  cs-appraisal correct complaint --event-id E --period MONTH:YYYY-MM --staff S --ruling UPHELD|OVERTURNED <who and why>
  cs-appraisal correct excuse-absence --event-id E --period MONTH:YYYY-MM --staff S <who and why>
  cs-appraisal correct void --event-id E --period MONTH:YYYY-MM --staff S <who and why>
  cs-appraisal correct adjust --staff S --period MONTH:YYYY-MM|DAY:YYYY-MM-DD (--kpi ID | --dimension ID) (--value V | --delta D) <who and why>
where <who and why> is: --reason "…" --requested-by A --approved-by B   (B must not be A)

Publishes one correction to the corrections topic (README "Corrections and appeals"); the
aggregator applies it and the staff member's next card is REVISED with the reason listed.
  complaint       a ruling on a ComplaintAgainstStaff event: OVERTURNED takes back its
                  substantiation (a SERIOUS one lifts the veto); UPHELD is noted only
  excuse-absence  a ShiftAttended event counts as fully attended and not late
  void            every counter effect of the event is reversed
  adjust          a supervisor's value (--value) or change (--delta) of a KPI or dimension
A negative amount is written with "=": --delta=-5.
--event-id and --period name the counted event and the month it counted in (its occurredAt's).
An event is voided, overturned or excused once; a second correction of it is dead-lettered.

Options:
  --id ID           the correction's id (default: a generated COR-<uuid>); sending the same id
                    again is counted once
  -h, --help        this text

Prints the correctionId. Every option is checked first; nothing is sent when one is wrong.
Environment: KAFKA_BROKERS (default 127.0.0.1:19092), Kafka SASL/TLS settings, CS_TOPIC_CORRECTIONS.
Exit status: 0 published, 1 Kafka failure, 2 bad arguments (nothing published).`;

export async function correctCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h') {
    console.log(correctHelp);
    return sub === undefined ? 2 : 0;
  }
  if (!(CORRECT_SUBCOMMANDS as readonly string[]).includes(sub)) throw new UsageError(`unknown correction "${sub}" (expected ${CORRECT_SUBCOMMANDS.join(', ')}); run: cs-appraisal correct --help`);
  const values = parseCommandArgs(`correct ${sub}`, correctHelp, rest, stringOptions('id', 'staff', 'reason', 'requested-by', 'approved-by', 'event-id', 'period', 'ruling', 'kpi', 'dimension', 'value', 'delta'));
  if (!values) return 0;
  const out = await correctionPublisher();
  const correction = buildCorrection(sub as CorrectSubcommand, values, { now: out.now, newId: () => `COR-${randomUUID()}`, schema: out.schema });
  await out.publish(correction);
  console.log(correction.correctionId);
  return 0;
}
