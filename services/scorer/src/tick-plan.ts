// What a tick does with each period, decided from the period states, the changed pairs and the
// clock alone (no I/O). The tick (service.ts) carries the plan out.
import { DAY_MS, closeAtMs, parsePeriodId, periodOf, previousPeriod, type Period, type RulesBook } from '@cs/appraisal';
import type { PeriodState } from './model.ts';

/** Days a final period is kept after maxLateness before its state is forgotten. */
const PRUNE_GRACE_DAYS = 7;

export interface TickInput {
  now: number;
  /** each period closes by the version in force for it */
  rules: RulesBook;
  timeZone: string;
  maxLatenessDays: number;
  /** period states as stored (not yet including new periods) */
  states: ReadonlyMap<string, PeriodState>;
  /** ids of the periods with changed counters */
  changed: Iterable<string>;
  rosterChanged: boolean;
}

/** A changed period id that is not scored, and why. */
export type Refusal = { periodId: string; why: 'badId' | 'beyondMaxLateness' | 'beyondHorizon' };

export type PeriodStep =
  /** open, before its close: PROVISIONAL cards whose content changed */
  | { do: 'provisional'; period: Period }
  /** open, past its close: FINAL once the aggregator has caught up (else it waits, open) */
  | { do: 'final'; period: Period; state: PeriodState }
  /** final, with changed counters: REVISED */
  | { do: 'revised'; period: Period; state: PeriodState }
  /** final, the roster changed: REVISED if the roster names newcomers with counters (or the previous period just published), else forgotten when expired */
  | { do: 'revisedIfNewcomers'; period: Period; state: PeriodState; expired: boolean }
  /**
   * unchanged, open before its close or final, right after a period of its kind that has a
   * FINAL/REVISED step: if that step publishes, this one is re-scored (PROVISIONAL, or REVISED
   * when final), since its improvement, trend and improvement plan follow the previous period's cards.
   */
  | { do: 'followPrevious'; period: Period; state: PeriodState };

export interface TickPlan {
  /** periods seen for the first time: to store as open */
  newPeriods: string[];
  refused: Refusal[];
  /** in time order (a MONTH's FINAL is in place before the next MONTH needs it) */
  steps: PeriodStep[];
  /** period states to forget */
  forget: string[];
  /** periods left open (before close, or finalizing); periods waiting for the aggregator come on top */
  open: number;
}

/** DAY before MONTH on the same start. */
const byTime = (a: Period, b: Period) => a.startMs - b.startMs || (a.kind === b.kind ? 0 : a.kind === 'DAY' ? -1 : 1);

export function planTick(input: TickInput): TickPlan {
  const { now, rules, timeZone } = input;
  const maxLatenessMs = input.maxLatenessDays * DAY_MS;
  // Periods that start further ahead than any task may be due are not scored (a hostile dueAt
  // would otherwise keep a period PROVISIONAL, re-published for the whole roster, for years).
  const horizon = now + rules.inForce(periodOf('DAY', now, timeZone)).periods.maxDueAheadDays * DAY_MS;
  const closeAt = (p: Period) => closeAtMs(p, rules.inForce(p));
  const expired = (p: Period) => closeAt(p) + maxLatenessMs + PRUNE_GRACE_DAYS * DAY_MS < now;
  const changed = new Set(input.changed);
  const states = new Map(input.states);
  const plan: TickPlan = { newPeriods: [], refused: [], steps: [], forget: [], open: 0 };

  for (const id of changed) {
    if (states.has(id)) continue;
    let period: Period;
    try {
      period = parsePeriodId(id, timeZone);
    } catch {
      plan.refused.push({ periodId: id, why: 'badId' });
      continue;
    }
    if (expired(period)) plan.refused.push({ periodId: id, why: 'beyondMaxLateness' });
    else if (period.startMs > horizon) plan.refused.push({ periodId: id, why: 'beyondHorizon' });
    else {
      plan.newPeriods.push(id);
      states.set(id, { state: 'open', revision: 0 });
    }
  }

  const periods = [...states.keys()].map((id) => parsePeriodId(id, timeZone)).sort(byTime);
  // Periods with a step that can publish FINAL/REVISED cards, which the next period reads as previousFinals.
  const publishing = new Set<string>();
  for (const period of periods) {
    const st = states.get(period.id)!;
    const isChanged = changed.has(period.id);
    const follows = publishing.has(previousPeriod(period).id);
    if (period.startMs > horizon) {
      plan.forget.push(period.id); // known from before the horizon existed: forgotten, not scored
    } else if (st.state === 'open') {
      if (now >= closeAt(period)) plan.steps.push({ do: 'final', period, state: st });
      else {
        plan.open++;
        if (isChanged || input.rosterChanged) plan.steps.push({ do: 'provisional', period });
        else if (follows) plan.steps.push({ do: 'followPrevious', period, state: st });
      }
    } else if (st.state === 'final') {
      // A roster change can name staff who already have counters here: they get their first
      // FINAL, and team ranks may move (REVISED for those whose card changed).
      if (isChanged) plan.steps.push({ do: 'revised', period, state: st });
      else if (input.rosterChanged) plan.steps.push({ do: 'revisedIfNewcomers', period, state: st, expired: expired(period) });
      else if (expired(period)) plan.forget.push(period.id);
      else if (follows) plan.steps.push({ do: 'followPrevious', period, state: st });
    } else {
      plan.open++; // finalizing: its outbox failed to send at the drain; retried next tick
    }
    // A MONTH card's trend reads the months before it as their cards kept them (each FINAL/REVISED
    // record keeps the months before it, docs/dynamic-appraisal.md), so a final period that follows
    // and is REVISED is followed in turn; the composite never depends on earlier months, so an open
    // (PROVISIONAL) follower ends the chain.
    const last = plan.steps.at(-1);
    if (last?.period === period && last.do !== 'provisional' && !(last.do === 'followPrevious' && st.state === 'open')) publishing.add(period.id);
  }
  return plan;
}
