import type { PeriodKind } from '@cs/contracts';
import { UsageError } from './cli-errors.ts';

export interface PeriodArg {
  kind: PeriodKind;
  /** YYYY-MM-DD, as in Scorecard.period.start (first day of the month for MONTH). */
  start: string;
  /** How the user writes it: MONTH:2026-10, DAY:2026-10-05. */
  label: string;
}

const EXAMPLES = 'MONTH:YYYY-MM (e.g. --period MONTH:2026-10) or DAY:YYYY-MM-DD (e.g. --period DAY:2026-10-05)';

/** Parses `--period KIND:START`; `kinds` limits what the command accepts (eligibility is per month). */
export function parsePeriodArg(text: string | undefined, kinds: readonly PeriodKind[] = ['MONTH', 'DAY']): PeriodArg {
  const want = kinds.length === 1 && kinds[0] === 'MONTH' ? 'MONTH:YYYY-MM (e.g. --period MONTH:2026-10)' : EXAMPLES;
  if (text === undefined || text === '') throw new UsageError(`missing --period: use ${want}`);
  const m = /^(MONTH|DAY):(\d{4})-(\d{2})(?:-(\d{2}))?$/i.exec(text.trim());
  if (!m) throw new UsageError(`bad --period "${text}": use ${want}`);
  const kind = m[1]!.toUpperCase() as PeriodKind;
  const [year, month, day] = [Number(m[2]), Number(m[3]), m[4] === undefined ? undefined : Number(m[4])];
  if (!kinds.includes(kind)) throw new UsageError(`--period ${kind}:… is not accepted here (${kinds.join(' or ')} only): use ${want}`);
  if (month < 1 || month > 12) throw new UsageError(`bad --period "${text}": month ${m[3]} does not exist; use ${want}`);
  const ym = `${m[2]}-${m[3]}`;
  if (kind === 'MONTH') {
    if (day !== undefined && day !== 1) throw new UsageError(`bad --period "${text}": a month is named MONTH:${ym}; use ${want}`);
    return { kind, start: `${ym}-01`, label: `MONTH:${ym}` };
  }
  if (day === undefined) throw new UsageError(`bad --period "${text}": a day needs the date, e.g. DAY:${ym}-01; use ${want}`);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > daysInMonth) throw new UsageError(`bad --period "${text}": ${ym} has no day ${m[4]}; use ${want}`);
  return { kind, start: `${ym}-${m[4]}`, label: `DAY:${ym}-${m[4]}` };
}
