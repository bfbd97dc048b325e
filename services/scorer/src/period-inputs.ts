// What a period is scored from, read from Redis alone as the scorer reads it (explain, rescore,
// the console's staff page): its counters, its own effective-dated roster, its correction notes,
// the previous period's FINAL/REVISED composites, and the rules version it is scored with
// (README "Rules in force").
import { adoptedRules, closeAtMs, explainMember, parsePeriodId, previousPeriod, rosterForPeriod, type CorrectionNote, type MemberExplanation, type MonthRecord, type Period, type PreviousFinal, type QueueCalls, type RosterEntry, type Rules, type StaffCountersInput, type StaticRecord } from '@cs/appraisal';
import { CounterStore } from '@cs/counter-store';
import { counterStoreOptions, loadRules, type RedisClient, type ServiceConfig } from '@cs/runtime';
import { periodsKey, publishedKey } from './keys.ts';
import { parsePublished, parseState, previousFinalsOf, previousMonthsOf, type PeriodState } from './model.ts';
import { rosterTimelines } from './roster.ts';
import { monthQueueCalls } from './team-inputs.ts';

export interface PeriodInputs {
  period: Period;
  counters: StaffCountersInput;
  roster: RosterEntry[];
  corrections: Map<string, CorrectionNote[]>;
  previousFinals: Map<string, PreviousFinal>;
  /** MONTH: each member's trend history, the months the previous period's records kept */
  history?: Map<string, MonthRecord[]>;
  /** MONTH: per team, the calls of the queues it answered (team cards, TEAM_HONOUR) */
  queueCalls?: Map<string, QueueCalls[]>;
  /** every member's static records (docs/static-appraisal.md) */
  staticState: Map<string, StaticRecord[]>;
  state: PeriodState | null;
  /** rules adopted for it, else the version it was FINALed under, else the one in force for it */
  rules: Rules;
}

/** The period's rules cannot be had: the commands report it as a failure, not a crash. */
export class PeriodRulesProblem extends Error {}

/** The period was FINALed under a rules version that CS_RULES_FILE no longer holds. */
export class RulesVersionGone extends PeriodRulesProblem {
  constructor(readonly rulesVersion: string) {
    super(`the period was FINALed under rules version ${rulesVersion}, which CS_RULES_FILE no longer holds (README "Rules in force")`);
  }
}

/** A RULES_ADOPTED correction of the period carries rules that no longer validate. */
export class AdoptedRulesInvalid extends PeriodRulesProblem {
  constructor(periodId: string, why: string) {
    super(`the rules adopted for ${periodId} (a RULES_ADOPTED correction) do not validate: ${why}`);
  }
}

export async function readPeriodInputs(redis: RedisClient, config: ServiceConfig, periodLabel: string): Promise<PeriodInputs> {
  const book = loadRules(config);
  const period = parsePeriodId(periodLabel, book.latest.timeZone);
  const store = new CounterStore(redis, counterStoreOptions(config));
  const [counters, profiles, corrections, previous, stateJson, staticState] = await Promise.all([
    store.periodCounters(period.id),
    store.rosterTimelines(),
    store.periodCorrections(period.id),
    redis.hgetall(publishedKey(config.CS_KEY_PREFIX, previousPeriod(period).id)),
    redis.hget(periodsKey(config.CS_KEY_PREFIX), period.id),
    store.staticState(),
  ]);
  const state = parseState(stateJson);
  let adopted: Rules | undefined;
  try {
    adopted = adoptedRules(corrections);
  } catch (err) {
    throw new AdoptedRulesInvalid(period.id, (err as Error).message);
  }
  const { rulesVersion, rules } = book.forScoring(period, state?.rulesVersion, adopted);
  if (!rules) throw new RulesVersionGone(rulesVersion);
  const published = parsePublished(previous);
  const roster = rosterForPeriod(rosterTimelines(profiles), period, book.latest.timeZone);
  return {
    period,
    counters,
    roster,
    ...(period.kind === 'MONTH' ? { queueCalls: await monthQueueCalls(store, period.id, roster) } : {}),
    corrections,
    previousFinals: previousFinalsOf(published),
    ...(period.kind === 'MONTH' ? { history: previousMonthsOf(published, previousPeriod(period).start.slice(0, 7)) } : {}),
    staticState,
    state,
    rules,
  };
}

/**
 * How one member's card of a period comes about (`cs-appraisal explain`): the card as the scorer
 * last published it (FINAL, or REVISED with its revision), else what it would publish at `now`
 * (PROVISIONAL before the close, FINAL after). Undefined when the member is not scored in it.
 */
export async function explainFromRedis(redis: RedisClient, config: ServiceConfig, staffId: string, periodLabel: string, now: number): Promise<MemberExplanation | undefined> {
  const { period, counters, roster, corrections, previousFinals, history, queueCalls, staticState, rules } = await readPeriodInputs(redis, config, periodLabel);
  const mine = await redis.hget(publishedKey(config.CS_KEY_PREFIX, period.id), staffId);
  const published = mine ? (JSON.parse(mine) as { status: string; revision: number }) : null;
  const status = published && published.status !== 'PROVISIONAL' ? (published.status as 'FINAL' | 'REVISED') : closeAtMs(period, rules) <= now ? 'FINAL' : 'PROVISIONAL';
  const revision = published && published.status !== 'PROVISIONAL' ? Number(published.revision) : 0;
  return explainMember({ staffId, counters, roster, rules, period, status, revision, computedAt: now, corrections, previousFinals, staticState, ...(history ? { history } : {}), ...(queueCalls ? { queueCalls } : {}) });
}
