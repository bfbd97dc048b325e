// The corrections topic (issue #16 item 3) -> what each correction does to Redis. What a
// correction changes is the domain's (@cs/appraisal reversalOf); this reads the target's recorded
// effect, turns the answer into an EventEffect for applyBatch (counters, notes, re-score pairs,
// once-only marker) and rejects what cannot apply. Unlike prepareBatch it reads Redis (the target
// may have counted in any shard), so it is async.
import { adjustmentDetail, adjustmentProblem, adoptionDetail, closeAtMs, monthOfDay, parsePeriodId, reversalOf, rulesOfAdoption, PERIOD_WIDE, type CorrectionNote, type RecordedEffect, type Rules, type RulesBook } from '@cs/appraisal';
import { correctionError, deadLetterReason as plain, tombstoneError, type Codecs, type Correction } from '@cs/contracts';
import { correctionField, correctionsSuffix, decodeEffectRecord, reversedSuffix, type CounterStore, type EventEffect } from '@cs/counter-store';
import type { PreparedBatch } from './prepare.ts';

export interface CorrectionContext {
  codecs: Codecs;
  store: Pick<CounterStore, 'findEffect'>;
  /** for RULES_ADOPTED: when the period closes, and the version it was counted under */
  rules: RulesBook;
  now: number;
}

export async function prepareCorrections(values: readonly (Buffer | null)[], ctx: CorrectionContext): Promise<PreparedBatch> {
  const out: PreparedBatch = { effects: [], at: [], kinds: [], sla: [], versions: [], rejected: [] };
  for (let index = 0; index < values.length; index++) {
    const value = values[index]!;
    if (value === null) {
      out.rejected.push({ index, error: plain(tombstoneError()) });
      continue;
    }
    const r = ctx.codecs.decodeAndValidate('corrections', value, { now: ctx.now });
    if (!r.ok) {
      out.rejected.push({ index, error: plain(r.error) });
      continue;
    }
    const c = r.event;
    const made = c.kind === 'ADJUSTMENT' ? adjustmentEffect(c) : c.kind === 'RULES_ADOPTED' ? adoptionEffect(c, ctx) : await reversalEffect(c, ctx);
    if ('code' in made) {
      out.rejected.push({ index, error: plain(correctionError(made.code, made.message)) });
      continue;
    }
    out.effects.push(made);
    out.at.push(index);
    out.kinds.push(c.kind);
    out.sla.push([]);
    out.versions.push(undefined); // a reversal re-applies recorded counts: no threshold of any version is applied
  }
  return out;
}

type Refusal = { code: Parameters<typeof correctionError>[0]; message: string };

function note(c: Correction, periodId: string, staffId: string, detail: string): { hash: string; period: string; field: string; value: string } {
  const n: CorrectionNote = { correctionId: c.correctionId, kind: c.kind, staffId, periodId, reason: c.reason, requestedBy: c.requestedBy, approvedBy: c.approvedBy, at: c.occurredAt, detail };
  if (c.adjustment) n.adjustment = { ...c.adjustment };
  if (c.rules) n.rules = c.rules;
  return { hash: correctionsSuffix(periodId), period: periodId, field: correctionField(c.correctionId, staffId), value: JSON.stringify(n) };
}

/** An ADJUSTMENT changes no counter: its note, and its staff-period re-scored. */
function adjustmentEffect(c: Correction): EventEffect | Refusal {
  const a = c.adjustment!;
  const problem = adjustmentProblem(a);
  if (problem !== null) return { code: 'CS_VALIDATION_CORRECTION_ADJUSTMENT_ID', message: `correction ${c.correctionId}: ${problem}` };
  const periodId = c.periodId!;
  return {
    eventId: c.correctionId,
    occurredAt: c.occurredAt,
    counters: [],
    sla: [],
    records: [note(c, periodId, c.staffId, `adjustment ${adjustmentDetail(a)}`)],
    touched: [`${periodId}|${c.staffId}`],
  };
}

/**
 * RULES_ADOPTED (docs/what-if.md "Publishing"): one period-wide note carrying the adopted rules,
 * validated here before anything is written, for a closed period only. No counter changes; the
 * period is marked changed so that the scorer revises it (every card gets the reason).
 */
function adoptionEffect(c: Correction, ctx: CorrectionContext): EventEffect | Refusal {
  const periodId = c.periodId!;
  const refuse = (why: string): Refusal => ({ code: 'CS_VALIDATION_CORRECTION_RULES_INVALID', message: `correction ${c.correctionId}: ${why}` });
  let adopted: Rules;
  try {
    adopted = rulesOfAdoption(c.rules!);
  } catch (err) {
    return refuse(`the adopted rules are not valid rules: ${(err as Error).message}`);
  }
  const inForce = ctx.rules.inForce(parsePeriodId(periodId, ctx.rules.latest.timeZone));
  if (adopted.timeZone !== inForce.timeZone) return refuse(`the adopted rules' timeZone ${adopted.timeZone} is not the installation's ${inForce.timeZone}`);
  const period = parsePeriodId(periodId, inForce.timeZone);
  if (closeAtMs(period, inForce) > ctx.now) return refuse(`${periodId} is not closed yet: rules are adopted for FINAL periods only`);
  return {
    eventId: c.correctionId,
    occurredAt: c.occurredAt,
    counters: [],
    sla: [],
    records: [note(c, periodId, PERIOD_WIDE, adoptionDetail(adopted, inForce.rulesVersion))],
    touched: [`${periodId}|${PERIOD_WIDE}`],
  };
}

async function reversalEffect(c: Correction, ctx: CorrectionContext): Promise<EventEffect | Refusal> {
  const month = c.targetPeriod!;
  const target = c.targetEventId!;
  const found = await ctx.store.findEffect(month, target);
  if (!found) return { code: 'CS_VALIDATION_CORRECTION_TARGET_UNKNOWN', message: `correction ${c.correctionId}: no counted event ${target} in ${month}` };
  let recorded: RecordedEffect;
  try {
    recorded = decodeEffectRecord(found.value);
  } catch (err) {
    return { code: 'CS_VALIDATION_CORRECTION_TARGET_UNKNOWN', message: `correction ${c.correctionId}: the recorded effect of ${target} is unreadable (${(err as Error).message})` };
  }
  const rev = reversalOf(c, recorded);
  if ('code' in rev) return { code: rev.code, message: `correction ${c.correctionId}: ${rev.message}` };
  const records: NonNullable<EventEffect['records']> = [];
  const touched: string[] = [];
  for (const [staffId, days] of rev.touched) {
    const periods = new Set<string>();
    for (const day of days) periods.add(day).add(monthOfDay(day));
    for (const p of periods) {
      records.push(note(c, p, staffId, rev.detail.get(staffId)!));
      touched.push(`${p}|${staffId}`);
    }
  }
  const effect: EventEffect = {
    eventId: c.correctionId,
    occurredAt: c.occurredAt,
    // In the correction's shard: counters are summed over shards when read.
    counters: rev.increments.map((i) => ({ staffId: i.staffId, periods: [i.day, monthOfDay(i.day)], counter: i.counter, by: i.by })),
    sla: [],
    records,
    touched,
  };
  if (rev.reverses) {
    // Once only: every correction of a target is keyed by it, so its marker is in this shard.
    records.push({ hash: reversedSuffix(month), period: month, field: target, value: c.correctionId });
    effect.guard = { hash: reversedSuffix(month), field: target };
  }
  return effect;
}
