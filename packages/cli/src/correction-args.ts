// `cs-appraisal correct …` options -> a Correction record, checked with the aggregator's own rules
// (the zod schema of @cs/contracts and the model's KPI / dimension ids) before anything is sent.
// Pure: the caller passes the clock's now and an id maker.
import { adjustmentProblem, PERIOD_WIDE, type Rules } from '@cs/appraisal';
import type { Correction } from '@cs/contracts';
import type { z } from 'zod';
import { UsageError } from './cli-errors.ts';

export const CORRECT_SUBCOMMANDS = ['complaint', 'excuse-absence', 'void', 'adjust'] as const;
export type CorrectSubcommand = (typeof CORRECT_SUBCOMMANDS)[number];

export interface CorrectOptions {
  id?: string;
  staff?: string;
  reason?: string;
  'requested-by'?: string;
  'approved-by'?: string;
  'event-id'?: string;
  period?: string;
  ruling?: string;
  kpi?: string;
  dimension?: string;
  value?: string;
  delta?: string;
}

/** Which option sets each field, for messages. */
const OPTION_OF: Record<string, string> = {
  correctionId: '--id',
  staffId: '--staff',
  reason: '--reason',
  requestedBy: '--requested-by',
  approvedBy: '--approved-by',
  targetEventId: '--event-id',
  targetPeriod: '--period',
  periodId: '--period',
  ruling: '--ruling',
  adjustment: '--kpi/--dimension and --value/--delta',
  occurredAt: 'the clock (CS_CLOCK_OFFSET_SECONDS)',
  rules: '--rules',
};

const KIND_OF: Record<CorrectSubcommand, Correction['kind']> = {
  complaint: 'COMPLAINT_RULING',
  'excuse-absence': 'ABSENCE_EXCUSED',
  void: 'EVENT_VOIDED',
  adjust: 'ADJUSTMENT',
};

/** Options that belong to other subcommands: refused, so that a typo does not silently drop one. */
const ONLY: Record<string, CorrectSubcommand[]> = {
  'event-id': ['complaint', 'excuse-absence', 'void'],
  ruling: ['complaint'],
  kpi: ['adjust'],
  dimension: ['adjust'],
  value: ['adjust'],
  delta: ['adjust'],
};

/** The fields only some kinds use, all absent; each builder sets its own. */
const NO_KIND_FIELDS = { targetEventId: null, targetPeriod: null, ruling: null, periodId: null, adjustment: null, rules: null } as const;

export function buildCorrection(sub: CorrectSubcommand, o: CorrectOptions, ctx: { now: number; newId: () => string; schema: z.ZodType<Record<string, unknown>> }): Correction {
  for (const [opt, subs] of Object.entries(ONLY)) {
    if (o[opt as keyof CorrectOptions] !== undefined && !subs.includes(sub)) throw new UsageError(`--${opt} does not apply to "correct ${sub}"; run: cs-appraisal correct ${sub} --help`);
  }
  const missing = ['staff', 'reason', 'requested-by', 'approved-by', 'period', ...(sub === 'adjust' ? [] : ['event-id']), ...(sub === 'complaint' ? ['ruling'] : [])].filter((k) => o[k as keyof CorrectOptions] === undefined);
  if (missing.length > 0) throw new UsageError(`correct ${sub} needs ${missing.map((m) => `--${m}`).join(', ')}; run: cs-appraisal correct ${sub} --help`);
  const kind = KIND_OF[sub];
  const c: Record<string, unknown> = {
    correctionId: o.id ?? ctx.newId(),
    kind,
    occurredAt: ctx.now,
    staffId: o.staff,
    reason: o.reason,
    requestedBy: o['requested-by'],
    approvedBy: o['approved-by'],
    ...NO_KIND_FIELDS,
  };
  if (sub === 'adjust') {
    c.periodId = o.period;
    if ((o.kpi === undefined) === (o.dimension === undefined)) throw new UsageError('correct adjust needs exactly one of --kpi ID or --dimension ID');
    if ((o.value === undefined) === (o.delta === undefined)) throw new UsageError('correct adjust needs exactly one of --value V or --delta D');
    const text = (o.value ?? o.delta)!;
    const amount = Number(text);
    if (text.trim() === '' || !Number.isFinite(amount)) throw new UsageError(`${o.value !== undefined ? '--value' : '--delta'} ${JSON.stringify(text)} is not a finite number`);
    const adjustment = { target: o.kpi !== undefined ? 'KPI' : 'DIMENSION', id: (o.kpi ?? o.dimension)!, mode: o.value !== undefined ? 'VALUE' : 'DELTA', amount } as const;
    const problem = adjustmentProblem(adjustment);
    if (problem !== null) throw new UsageError(`${adjustment.target === 'KPI' ? '--kpi' : '--dimension'}: ${problem.replace(/^adjustment\.id: /, '')}`);
    c.adjustment = adjustment;
  } else {
    c.targetEventId = o['event-id'];
    c.targetPeriod = o.period;
    if (sub === 'complaint') c.ruling = o.ruling;
  }
  return checked(c, ctx.schema);
}

/** The correction as the aggregator's rules see it, or a usage error naming the options. */
function checked(c: Record<string, unknown>, schema: z.ZodType<Record<string, unknown>>): Correction {
  const r = schema.safeParse(c);
  if (!r.success) {
    const lines = r.error.issues.map((i) => {
      const field = String(i.path[0] ?? '');
      return `${OPTION_OF[field] ?? field}: ${field === 'ruling' && i.code === 'invalid_value' ? 'must be UPHELD or OVERTURNED' : i.message}`;
    });
    throw new UsageError(`not a valid correction (nothing was sent): ${[...new Set(lines)].join('; ')}`);
  }
  return r.data as unknown as Correction;
}

/** `rescore --publish` options (docs/what-if.md "Publishing"). */
export interface AdoptOptions {
  id?: string;
  reason?: string;
  'requested-by'?: string;
  'approved-by'?: string;
}

/** The options `rescore --publish` needs: who and why. */
export function adoptionMissing(o: AdoptOptions): string[] {
  return (['reason', 'requested-by', 'approved-by'] as const).filter((k) => o[k] === undefined).map((k) => `--${k}`);
}

/**
 * A RULES_ADOPTED correction: the complete proposed rules adopted for a closed period, for every
 * card of it (staffId PERIOD_WIDE). Checked with the aggregator's rules before anything is sent.
 */
export function buildAdoption(o: AdoptOptions & { id: string }, periodId: string, rules: Rules, ctx: { now: number; schema: z.ZodType<Record<string, unknown>> }): Correction {
  const missing = adoptionMissing(o);
  if (missing.length > 0) throw new UsageError(`rescore --publish needs ${missing.join(', ')} (who asked, who approved and why); nothing was sent`);
  return checked(
    {
      correctionId: o.id,
      kind: 'RULES_ADOPTED',
      occurredAt: ctx.now,
      staffId: PERIOD_WIDE,
      reason: o.reason,
      requestedBy: o['requested-by'],
      approvedBy: o['approved-by'],
      ...NO_KIND_FIELDS,
      periodId,
      rules: JSON.stringify(rules),
    },
    ctx.schema,
  );
}
