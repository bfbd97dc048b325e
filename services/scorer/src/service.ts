import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { previousPeriod, RulesBook, type Period, type RosterEntry, type Rules, type StaffTimeline } from '@cs/appraisal';
import { createCodecs, SOURCE_TOPIC_KEYS, type Codecs, type TopicKey } from '@cs/contracts';
import { CounterStore } from '@cs/counter-store';
import { clockFromConfig, counterStoreOptions, createKafka, kafkaClientConfig, createRedis, systemClock, topicNames, type Clock, type RedisClient, type ServiceConfig } from '@cs/runtime';
import { outputEncoder } from './encode.ts';
import { FinalGate } from './final-gate.ts';
import { Lease, LostLease } from './lease.ts';
import { createScorerMetrics, type ScorerMetrics } from './metrics.ts';
import { readOutbox } from './outbox-reader.ts';
import { OutboxSender } from './outbox-sender.ts';
import { OutboxWriter } from './outbox-writer.ts';
import { PeriodPublisher } from './period-publisher.ts';
import { PeriodStore } from './period-store.ts';
import { PhaseTimer } from './phase-timer.ts';
import { Publisher } from './publisher.ts';
import { periodRosters, rosterHash, rosterTimelines, type PeriodRosters } from './roster.ts';
import { groupPairs, type PeriodState } from './model.ts';
import { defineScorerScripts } from './scripts.ts';
import { planTick, type PeriodStep, type TickPlan } from './tick-plan.ts';

export const SERVICE = 'scorer';

/** Steps of a FINAL/REVISED publication where a test can make the scorer "crash". */
export type CrashStep = 'afterOutboxWrite' | 'afterSend';

export interface ScorerDeps {
  config: ServiceConfig;
  /** a RulesBook (each period scored with the version in force for it), or one version */
  rules: Rules | RulesBook;
  log: Logger;
  metrics?: ScorerMetrics;
  codecs?: Codecs;
  /** "Now" for period closing, pruning and computedAt; default: CS_CLOCK_OFFSET_SECONDS. */
  clock?: Clock;
  /** Lease owner id; default CS_SCORER_ID, else host-pid-random. A restart with the same id resumes at once. */
  ownerId?: string;
  /** Test hook: die (no lease release, no clean-up) when a FINAL/REVISED publication reaches this step. */
  crashAt?: CrashStep;
  /** Test hook: awaited after each chunk of an outbox is sent (a leader that stalls mid-publication). */
  afterChunkSent?: (periodId: string, chunk: number) => Promise<void>;
}

/** The crash test hook. */
export class SimulatedCrash extends Error {
  constructor(step: CrashStep) {
    super(`simulated crash at ${step}`);
  }
}

/**
 * Counters -> scorecards. One replica at a time (the lease holder) ticks: it re-sends any outbox
 * left by a crash, scores the periods with changes (whole active roster per period), publishes
 * PROVISIONAL cards whose content changed, and FINAL/REVISED cards plus eligibility through the
 * Redis outbox. See README.md.
 */
export class Scorer {
  readonly metrics: ScorerMetrics;
  readonly topics: Record<TopicKey, string>;
  readonly ownerId: string;
  readonly store: CounterStore;
  private readonly finalGate: FinalGate;
  private readonly kafka: Kafka;
  private readonly redis: RedisClient;
  private readonly clock: Clock;
  private readonly lease: Lease;
  private readonly periods: PeriodStore;
  private readonly publisher: Publisher;
  private readonly outboxSender: OutboxSender;
  private readonly periodPublisher: PeriodPublisher;
  private readonly timer = new PhaseTimer();
  private loopTimer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;
  private leader = false;
  private ticked = false;
  private polled = false;
  private crashed = false;
  private lastRosterHash?: string;
  /** the timelines the last tick scored with (unknown after a start) */
  private lastTimelines?: StaffTimeline[];
  private readonly rules: RulesBook;

  constructor(private readonly deps: ScorerDeps) {
    const { config, log } = deps;
    const prefix = config.CS_KEY_PREFIX;
    const codecs = deps.codecs ?? createCodecs();
    this.rules = RulesBook.of(deps.rules);
    this.metrics = deps.metrics ?? createScorerMetrics();
    this.topics = topicNames(config);
    this.clock = deps.clock ?? clockFromConfig(config);
    this.ownerId = deps.ownerId ?? config.CS_SCORER_ID ?? `${os.hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
    this.kafka = createKafka(config, log, `${config.KAFKA_CLIENT_ID}-${SERVICE}`);
    this.redis = createRedis(config);
    this.redis.on('error', (err: Error) => log.warn({ err: err.message }, 'redis connection error'));
    this.store = new CounterStore(this.redis, counterStoreOptions(config));
    const scripts = defineScorerScripts(this.redis);
    this.lease = new Lease(scripts, prefix, this.ownerId, this.leaseMs);
    this.periods = new PeriodStore(this.redis, scripts, prefix, this.ownerId, deps.config.CS_MAX_LATENESS_DAYS);
    this.publisher = new Publisher({ kafka: kafkaClientConfig(config, `${config.KAFKA_CLIENT_ID}-${SERVICE}`), topics: this.topics, threads: config.CS_SCORER_SEND_THREADS }, log);
    this.finalGate = new FinalGate(this.kafka, this.store, SOURCE_TOPIC_KEYS.map((k) => this.topics[k]), log);
    this.outboxSender = new OutboxSender(this.lease, this.publisher, this.periods, this.metrics, this.timer, log, {
      afterSend: () => this.crashHook('afterSend'),
      afterChunkSent: deps.afterChunkSent,
    });
    this.periodPublisher = new PeriodPublisher({
      rules: this.rules,
      log,
      metrics: this.metrics,
      counters: this.store,
      periods: this.periods,
      lease: this.lease,
      publisher: this.publisher,
      outboxWriter: new OutboxWriter(scripts, codecs, prefix, this.ownerId),
      outboxSender: this.outboxSender,
      timer: this.timer,
      encodeCard: outputEncoder(codecs, 'appraisal'),
      encodeTeam: outputEncoder(codecs, 'teamScorecard'),
      afterOutboxWrite: () => this.crashHook('afterOutboxWrite'),
      sendPendingOutbox: (periodId) => this.sendStoredOutbox(periodId, false),
    });
  }

  get tickMs(): number {
    return this.deps.config.CS_TICK_SECONDS * 1000;
  }

  get leaseMs(): number {
    return Math.ceil(this.tickMs * 1.5);
  }

  /** Milliseconds per phase of the last tick (summed over its periods), for benchmarks and debugging. */
  get lastTickPhases(): Readonly<Record<string, number>> {
    return this.timer.snapshot;
  }

  get isLeader(): boolean {
    return this.leader;
  }

  get hasCrashed(): boolean {
    return this.crashed;
  }

  health = {
    live: () => !this.crashed,
    ready: () => !this.crashed && this.redis.status === 'ready' && (this.ticked || (!this.leader && this.polled)),
  };

  async start(): Promise<void> {
    await this.publisher.connect();
    this.deps.log.info({ topics: this.topics, owner: this.ownerId, tickMs: this.tickMs, leaseMs: this.leaseMs }, 'scorer started');
    this.schedule(0);
  }

  /** SIGTERM: finish the tick in hand, release the lease, disconnect. */
  async stop(): Promise<void> {
    await this.halt();
    if (this.leader && !this.crashed) {
      await this.lease.release();
      this.setLeader(false, 'released on shutdown');
    }
    await this.disconnect();
  }

  /** Test hook: die without releasing the lease (the tick in hand still finishes). */
  async kill(): Promise<void> {
    await this.halt();
    await this.disconnect();
  }

  private async halt(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.loopTimer);
    await this.running;
  }

  private async disconnect(): Promise<void> {
    await this.publisher.disconnect();
    if (this.redis.status !== 'end') await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.loopTimer = setTimeout(() => {
      this.running = this.cycle().finally(() => {
        this.running = undefined;
        this.schedule(this.leader ? this.tickMs : this.tickMs / 2);
      });
    }, delayMs);
  }

  private setLeader(leader: boolean, why: string): void {
    if (leader !== this.leader) this.deps.log.info({ owner: this.ownerId, leader, why }, leader ? 'leader: publishing' : 'standby: not publishing');
    this.leader = leader;
    this.metrics.isLeader.set(leader ? 1 : 0);
  }

  /** One turn of the loop: acquire or renew the lease, then tick if leader. */
  private async cycle(): Promise<void> {
    try {
      if (!this.leader) {
        const got = await this.lease.acquire();
        this.polled = true;
        if (!got) return;
        this.setLeader(true, 'lease acquired');
      } else {
        await this.lease.renew('tick');
      }
      const end = this.metrics.tickDuration.startTimer();
      await this.tick();
      end();
      this.ticked = true;
      // Alerts compare it with Prometheus's time(): the wall clock, whatever the service's clock says.
      this.metrics.lastSuccessfulTick.set(systemClock.now() / 1000);
    } catch (err) {
      if (err instanceof SimulatedCrash) {
        this.deps.log.error({ err: err.message }, 'crashing (test hook)');
        this.crashed = true;
        this.stopped = true;
        await this.disconnect();
        return;
      }
      if (err instanceof LostLease) {
        this.setLeader(false, err.message);
        return;
      }
      this.metrics.tickErrors.inc();
      this.deps.log.error({ err: (err as Error).message, stack: (err as Error).stack }, 'tick failed; retrying at the next tick');
    }
  }

  private crashHook(step: CrashStep): void {
    if (this.deps.crashAt === step) throw new SimulatedCrash(step);
  }

  /** The tick algorithm (README.md). Public for tests that drive ticks by hand. */
  async tick(): Promise<void> {
    const now = this.clock.now();
    this.timer.reset();
    this.finalGate.newTick();

    await this.drainOutboxes(); // 1. whatever a crash left in an outbox goes out first, same bytes
    this.timer.lapTo('drain');

    const roster = await this.readRoster(); // 2. roster and the changed pairs
    const taken = await this.store.takeChanged();
    this.timer.lapTo('rosterAndChanged');

    const plan = await this.plan(now, taken.pairs, roster.changed); // 3. what to do with each period
    const awaiting = await this.carryOut(plan.steps, roster.forPeriod, now); // 4. each period in time order, with its own roster

    await this.periods.forget([...plan.forget, ...awaiting.forget]);
    await taken.ack();
    await this.rememberRoster(roster);
    this.metrics.openPeriods.set(plan.open + awaiting.final);
    this.metrics.finalsAwaitingAggregator.set(awaiting.final);
  }

  /** Sends every outbox left sealed ('finalizing') by an earlier tick or leader. */
  private async drainOutboxes(): Promise<void> {
    for (const [id, st] of await this.periods.states()) if (st.state === 'finalizing') await this.sendStoredOutbox(id, true);
  }

  private async sendStoredOutbox(periodId: string, resent: boolean): Promise<void> {
    const stored = await readOutbox(this.redis, this.deps.config.CS_KEY_PREFIX, periodId);
    if (stored) return this.outboxSender.send(periodId, stored.meta, stored.source, resent);
    this.deps.log.error({ period: periodId }, 'period is finalizing but has no outbox; reopening it');
    await this.periods.reopen(periodId);
  }

  private async readRoster(): Promise<{ forPeriod: PeriodRosters; timelines: StaffTimeline[]; hash: string; changed: boolean }> {
    const timelines = rosterTimelines(await this.store.rosterTimelines());
    const hash = rosterHash(timelines);
    const forPeriod = periodRosters(timelines, this.deps.config.CS_TIMEZONE, this.lastTimelines);
    // Compared with the hash kept in Redis, so a restart is not mistaken for a roster change.
    this.lastRosterHash ??= await this.periods.rosterHash();
    return { forPeriod, timelines, hash, changed: hash !== this.lastRosterHash };
  }

  private async rememberRoster(roster: { timelines: StaffTimeline[]; hash: string; changed: boolean }): Promise<void> {
    if (roster.changed) await this.periods.setRosterHash(roster.hash);
    this.lastRosterHash = roster.hash;
    this.lastTimelines = roster.timelines;
  }

  /** The tick plan over the stored period states; stores the new periods and reports the refused ones. */
  private async plan(now: number, changedPairs: Iterable<string>, rosterChanged: boolean): Promise<TickPlan> {
    const { config, log } = this.deps;
    const rules = this.rules;
    const plan = planTick({
      now,
      rules,
      timeZone: config.CS_TIMEZONE,
      maxLatenessDays: config.CS_MAX_LATENESS_DAYS,
      states: await this.periods.states(),
      changed: groupPairs(changedPairs).keys(),
      rosterChanged,
    });
    for (const { periodId, why } of plan.refused) {
      if (why === 'badId') log.warn({ period: periodId }, 'ignoring a changed pair with a bad period id');
      else if (why === 'beyondMaxLateness') log.warn({ period: periodId }, 'ignoring changes to a period beyond maxLateness (state already pruned)');
      else {
        this.metrics.periodsRefused.inc({ reason: 'beyond_horizon' });
        log.warn({ period: periodId }, 'refusing a period that starts beyond now + periods.maxDueAheadDays');
      }
    }
    for (const id of plan.newPeriods) await this.periods.open(id);
    return plan;
  }

  /** Runs the plan's steps; returns the FINALs left waiting for the aggregator and the periods found expired. */
  private async carryOut(steps: readonly PeriodStep[], rosters: PeriodRosters, now: number): Promise<{ final: number; forget: string[] }> {
    const rosterOf = rosters.of;
    const left = { final: 0, forget: [] as string[] };
    const republished = new Set<string>(); // periods that published FINAL/REVISED cards this tick
    const publish = async (period: Period, state: PeriodState, status: 'FINAL' | 'REVISED') => {
      if (await this.periodPublisher.final(period, rosterOf(period), state, status, now)) republished.add(period.id);
    };
    for (const step of steps) {
      const { period } = step;
      const roster = rosterOf(period);
      // The previous period's latest FINAL/REVISED composites are this one's previousFinals.
      const afterRevision = republished.has(previousPeriod(period).id);
      if (step.do === 'provisional') await this.periodPublisher.provisional(period, roster, now);
      else if (step.do === 'final') {
        if (await this.finalGate.caughtUp(period.id)) await publish(period, step.state, 'FINAL');
        else left.final++;
      } else if (step.do === 'followPrevious') {
        if (!afterRevision) continue;
        if (step.state.state === 'open') await this.periodPublisher.provisional(period, roster, now);
        else await publish(period, step.state, 'REVISED'); // its REVISED records are the next month's history
      } else if (step.do === 'revised' || afterRevision || (await this.rosterRevises(period, roster, rosters))) await publish(period, step.state, 'REVISED');
      else if (step.expired) left.forget.push(period.id);
    }
    return left;
  }

  /** Whether an active roster member has counters in this final period but no FINAL yet. */
  /**
   * After a roster change, whether a final period is REVISED: its own roster changed, or an active
   * member has counters but no FINAL yet. Never a period whose counters are gone (expired): its
   * published records stand as they are rather than being re-scored from nothing.
   */
  private async rosterRevises(period: Period, roster: readonly RosterEntry[], rosters: PeriodRosters): Promise<boolean> {
    const withCounters = await this.store.periodStaff(period.id);
    if (withCounters.size === 0) return false;
    return rosters.changedIn(period) || (await this.namesNewcomers(period, roster, withCounters));
  }

  /** Whether an active member of the period's roster has counters in it but nothing published yet. */
  private async namesNewcomers(period: Period, roster: readonly RosterEntry[], withCounters: ReadonlySet<string>): Promise<boolean> {
    const published = await this.periods.published(period.id);
    return roster.some((r) => r.active && withCounters.has(r.staffId) && !published.has(r.staffId));
  }
}
