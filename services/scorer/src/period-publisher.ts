// Scoring one period and publishing its cards: PROVISIONAL directly, FINAL/REVISED through the outbox.
import { adoptedRules, periodRef, scorePopulation, teamCards, type CorrectionNote, type Period, type QueueCalls, type RosterEntry, type Rules, type RulesBook, type Scorecard, type ScorecardStatus, type StaffCountersInput, type StaticRecord, type TeamCard } from '@cs/appraisal';
import type { TeamScorecard } from '@cs/contracts';
import { outputKey } from '@cs/contracts';
import type { CounterStore } from '@cs/counter-store';
import type { Logger } from 'pino';
import { changedProvisionals, eligibilityOf, finalsToPublish, keptHistory, revisionsOf, teamEntries, type OutboxEntry } from './card-selection.ts';
import { monthQueueCalls } from './team-inputs.ts';
import { teamField, teamsToPublish, type TeamPublished, type TeamRecords } from './team-records.ts';
import type { Lease } from './lease.ts';
import type { ScorerMetrics } from './metrics.ts';
import type { PeriodState } from './model.ts';
import { memorySource } from './outbox-reader.ts';
import type { OutboxSender } from './outbox-sender.ts';
import type { OutboxWriter } from './outbox-writer.ts';
import type { PeriodStore } from './period-store.ts';
import type { PhaseTimer } from './phase-timer.ts';
import type { Publisher } from './publisher.ts';

export interface PeriodPublisherDeps {
  rules: RulesBook;
  log: Logger;
  metrics: ScorerMetrics;
  counters: CounterStore;
  periods: PeriodStore;
  lease: Lease;
  publisher: Publisher;
  outboxWriter: OutboxWriter;
  outboxSender: OutboxSender;
  timer: PhaseTimer;
  encodeCard: (card: Scorecard) => Buffer;
  encodeTeam: (team: TeamScorecard) => Buffer;
  /** The crash test hook, called once the outbox is sealed. */
  afterOutboxWrite: () => void;
  /** Sends the sealed outbox a period already has (then this tick's own write is redone next tick). */
  sendPendingOutbox: (periodId: string) => Promise<void>;
}

export class PeriodPublisher {
  /** The static state of the tick at `now` (docs/static-appraisal.md): every period of a tick scores from the same read. */
  private staticRead: { now: number; state: Promise<Map<string, StaticRecord[]>> } | undefined;

  constructor(private readonly d: PeriodPublisherDeps) {}

  private staticStateAt(now: number): Promise<Map<string, StaticRecord[]>> {
    if (this.staticRead?.now !== now) this.staticRead = { now, state: this.d.counters.staticState() };
    return this.staticRead.state;
  }

  private async read(period: Period, roster: readonly RosterEntry[], now: number) {
    const [counters, corrections, previous, published, queueCalls, staticState] = await Promise.all([
      this.d.counters.periodCounters(period.id),
      this.d.counters.periodCorrections(period.id),
      this.d.periods.previous(period),
      this.d.periods.publishedWithTeams(period.id),
      period.kind === 'MONTH' ? monthQueueCalls(this.d.counters, period.id, roster) : undefined,
      this.staticStateAt(now),
    ]);
    return { counters, corrections, previousFinals: previous.finals, history: previous.months, published: published.staff, publishedTeams: published.teams, queueCalls, staticState };
  }

  /** MONTH: the team cards of the round (docs/team-scorecards.md), observed; undefined for a DAY. */
  private teamCardsOf(period: Period, cards: readonly Scorecard[], counters: StaffCountersInput, queueCalls: ReadonlyMap<string, readonly QueueCalls[]> | undefined, rules: Rules, now: number): TeamCard[] | undefined {
    if (period.kind !== 'MONTH' || queueCalls === undefined) return undefined;
    const teams = teamCards(cards, counters, queueCalls, rules);
    this.d.metrics.observeTeams(period, teams, now);
    return teams;
  }

  /** The team cards of the round that it publishes (content changed, or FINAL/REVISED as due). */
  private teamRecords(period: Period, teams: readonly TeamCard[] | undefined, rules: Rules, status: ScorecardStatus, now: number, published: ReadonlyMap<string, TeamPublished>): TeamRecords[] {
    if (teams === undefined) return [];
    return teamsToPublish(teams, periodRef(period), status, rules.rulesVersion, new Date(now).toISOString(), published);
  }

  private observe(period: Period, cards: readonly Scorecard[], rules: Rules, now: number): void {
    this.d.metrics.staffScored.inc(cards.length);
    // A month ahead is scored for the tasks due in it; it has no grades or trend yet and must not
    // replace the month under way on the dashboard.
    if (period.startMs > now) return;
    this.d.metrics.observeGrades(period.kind, period.start, cards);
    // Every card of the round was scored with `rules`: its improvement-plan setting is theirs.
    if (period.kind === 'MONTH') this.d.metrics.observeTrends(period.start, cards, () => rules.trend.improvementPlanAfter);
  }

  /**
   * The version a FINAL/REVISED round scores with: rules adopted for the period (a RULES_ADOPTED
   * correction, docs/what-if.md "Publishing"), else in a REVISED round the one the period was
   * FINALed under (a later rules change never alters a closed period by itself), else the one in
   * force for it. Undefined, logged and counted, when that version is gone from the book, the
   * adopted rules no longer validate, or the period's counters were attributed under another one
   * (README "Rules in force"): nothing is published. Adopted rules re-score the stored counters as
   * they are (as the what-if did), so the attribution check does not apply to them.
   */
  private async rulesFor(period: Period, state: PeriodState, status: 'FINAL' | 'REVISED', corrections: ReadonlyMap<string, readonly CorrectionNote[]>): Promise<Rules | undefined> {
    let adopted: Rules | undefined;
    try {
      adopted = adoptedRules(corrections);
    } catch (err) {
      this.d.metrics.periodsRefused.inc({ reason: 'rules_version_adopted_invalid' });
      this.d.log.error({ period: period.id, status, err: (err as Error).message }, 'not re-scoring a period: the rules adopted for it do not validate');
      return undefined;
    }
    const { rulesVersion: wanted, rules } = this.d.rules.forScoring(period, status === 'REVISED' ? state.rulesVersion : undefined, adopted);
    if (!rules) {
      this.d.metrics.periodsRefused.inc({ reason: 'rules_version_gone' });
      this.d.log.error({ period: period.id, status, rulesVersion: wanted }, 'not re-scoring a period: the rules version it was FINALed under is no longer loaded');
      return undefined;
    }
    if (adopted) return rules;
    const attributed = await this.d.counters.periodRulesVersions(period.id);
    const others = [...attributed].filter((v) => v !== rules.rulesVersion);
    if (others.length > 0) {
      this.d.metrics.periodsRefused.inc({ reason: 'rules_version_mixed' });
      this.d.log.error(
        { period: period.id, status, rulesVersion: rules.rulesVersion, attributedWith: [...attributed].sort() },
        'not scoring a period: its counters were attributed under another rules version than the one it is scored with',
      );
      return undefined;
    }
    return rules;
  }

  /** PROVISIONAL cards whose content changed: sent, then recorded (fenced). */
  async provisional(period: Period, roster: RosterEntry[], now: number): Promise<void> {
    const { counters, corrections, previousFinals, history, published, publishedTeams, queueCalls, staticState } = await this.read(period, roster, now);
    const rules = this.d.rules.inForce(period);
    const cards = scorePopulation(counters, roster, rules, period, 'PROVISIONAL', { computedAt: now, previousFinals, corrections, history, staticState });
    this.observe(period, cards, rules, now);
    const out = changedProvisionals(cards, published);
    const teams = this.teamRecords(period, this.teamCardsOf(period, cards, counters, queueCalls, rules, now), rules, 'PROVISIONAL', now, publishedTeams);
    if (out.cards.length === 0 && teams.length === 0) return;
    await this.d.lease.renew(`before PROVISIONAL ${period.id}`);
    await this.d.publisher.send([
      ...out.cards.map((c) => ({ t: 'a' as const, k: outputKey(c.staffId, period.id), v: this.d.encodeCard(c) })),
      ...teams.map((t) => ({ t: 't' as const, k: outputKey(t.teamId, period.id), v: this.d.encodeTeam(t.record) })),
    ]);
    for (const t of teams) out.record.push(teamField(t.teamId), JSON.stringify(t.published));
    await this.d.periods.commit(period.id, 'commit PROVISIONAL', { published: out.record });
    this.d.metrics.scorecardsPublished.inc({ status: 'PROVISIONAL' }, out.cards.length);
    this.d.metrics.teamCardsPublished.inc({ status: 'PROVISIONAL' }, teams.length);
    this.d.log.debug({ period: period.id, cards: out.cards.length, teams: teams.length }, 'provisional scorecards published');
  }

  /**
   * FINAL (every active roster member, revision 0) or REVISED (members whose content changed,
   * revision = theirs + 1), plus MONTH eligibility for them and for every member whose eligibility
   * changed without their card (an award that moved), through the outbox.
   *
   * The whole population is scored at once (ranks, workload medians and awards need it); encoding, the
   * outbox write and the sends go in chunks, so no single Redis command or produce request grows
   * with the roster. Order of the protocol (crash-safety, README.md): every chunk written ->
   * sealed (meta + period 'finalizing', atomically) -> sends -> commit. Returns whether anything was published.
   */
  async final(period: Period, roster: RosterEntry[], state: PeriodState, status: 'FINAL' | 'REVISED', now: number): Promise<boolean> {
    const { timer } = this.d;
    timer.restart();
    const { counters, corrections, previousFinals, history, published, publishedTeams, queueCalls, staticState } = await this.read(period, roster, now);
    const rules = await this.rulesFor(period, state, status, corrections);
    if (!rules) return false;
    timer.lapTo('read');
    const revisions = status === 'REVISED' ? revisionsOf(roster, published) : { revision: new Map(), memberStatus: new Map() };
    const cards = scorePopulation(counters, roster, rules, period, status, { computedAt: now, ...revisions, previousFinals, corrections, history, staticState });
    timer.lapTo('score');
    this.observe(period, cards, rules, now);
    // One computation of the team cards serves TEAM_HONOUR and the team records.
    const teams = this.teamCardsOf(period, cards, counters, queueCalls, rules, now);
    const eligibility = eligibilityOf(period, cards, counters, previousFinals, rules, queueCalls, teams);
    const kept = history === undefined ? undefined : keptHistory(counters, history, rules);
    const members: OutboxEntry[] = finalsToPublish(cards, eligibility, published, status, kept);
    members.push(...teamEntries(this.teamRecords(period, teams, rules, status, now, publishedTeams)));
    if (status === 'REVISED' && members.length === 0) return false;
    cards.length = 0; // from here on only the records to publish are kept, and dropped once encoded
    eligibility.clear();
    timer.lapTo('eligibility');

    const t1 = performance.now();
    const written = await this.d.outboxWriter.write({ period, status, state, rulesVersion: rules.rulesVersion, now, members });
    if (!written.sealed) {
      // An outbox of this period is already sealed (cannot happen after the drain unless another
      // writer slipped in): send that one; the state it commits is re-evaluated next tick, and
      // the content hashes make any further change a REVISED.
      this.d.log.warn({ period: period.id }, 'an outbox is already pending for the period; sending it first');
      await this.d.sendPendingOutbox(period.id);
      return false;
    }
    const writeMs = performance.now() - t1 - written.encodeMs;
    timer.add('encode', written.encodeMs);
    timer.add('outboxWrite', writeMs);
    timer.add('outboxWait', written.waitMs); // within outboxWrite
    const { meta } = written;
    this.d.log.info(
      { period: period.id, status, scorecards: written.cards, eligibility: meta.messages - written.cards, chunks: meta.blocks, ms: { encode: Math.round(written.encodeMs), outboxWrite: Math.round(writeMs) } },
      'outbox written',
    );
    this.d.afterOutboxWrite();
    // The bytes just stored are sent from memory; only a crash recovery reads them back.
    await this.d.outboxSender.send(period.id, meta, memorySource(written.chunks, written.publishedChunks), false);
    return true;
  }
}
