import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { Kafka, Message, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import {
  closeAtMs,
  eligibility,
  Hasher,
  parsePeriodId,
  previousPeriod,
  scorePopulation,
  type Period,
  type PreviousFinal,
  type RosterEntry,
  type Role,
  type Rules,
  type Scorecard,
  type Eligibility,
} from '@cs/appraisal';
import { createCodecs, SOURCE_TOPIC_KEYS, type Codecs, type TopicKey } from '@cs/contracts';
import { CounterStore } from '@cs/counter-store';
import { clockFromConfig, counterStoreOptions, createKafka, createRedis, systemClock, topicNames, type Clock, type RedisClient, type ServiceConfig } from '@cs/runtime';
import { OutboxBlockWriter, outputEncoder } from './encode.ts';
import { FinalGate } from './final-gate.ts';
import { installFastProduceEncoding } from './kafka-produce-encoding.ts';
import { leaseKey, outboxKey, periodsKey, publishedKey, publishedTtlSeconds, rosterHashKey } from './keys.ts';
import { createScorerMetrics, type ScorerMetrics } from './metrics.ts';
import {
  groupPairs,
  parsePublished,
  parseState,
  previousFinalsOf,
  compressBlock,
  decompressBlock,
  publishedOf,
  unpackBlock,
  unpackMessage,
  type OutMessage,
  type OutboxMeta,
  type PeriodState,
  type Published,
} from './model.ts';
import { defineScorerScripts, type ScorerScripts } from './scripts.ts';

export const SERVICE = 'scorer';

/** Steps of a FINAL/REVISED publication where a test can make the scorer "crash". */
export type CrashStep = 'afterOutboxWrite' | 'afterSend';

export interface ScorerDeps {
  config: ServiceConfig;
  rules: Rules;
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

/** Thrown inside a tick when the lease turned out to be someone else's: stop publishing. */
class LostLease extends Error {
  constructor(what: string) {
    super(`lease lost (${what})`);
  }
}

/** The crash test hook. */
export class SimulatedCrash extends Error {
  constructor(step: CrashStep) {
    super(`simulated crash at ${step}`);
  }
}

/**
 * Bytes of Avro per partition in one produce request: under the broker's default 1 MiB
 * message.max.bytes per record batch, with room for the uneven spread of keys over partitions.
 */
const BATCH_BYTES_PER_PARTITION = 640 * 1024;
/** Upper bound of one produce request. */
const REQUEST_BYTES = 16 * 1024 * 1024;
/** Members per chunk of a FINAL/REVISED publication (encode, outbox write, send). */
const CHUNK = 5_000;
/**
 * Idempotent producers sending an outbox's chunks concurrently. Within one outbox every key
 * occurs once per topic, so chunks have no order among them; each producer keeps its own
 * requests in order (maxInFlightRequests 1), and the commit waits for all of them. 1 on a
 * 2-core host, where a second producer only competed for the CPU (kafkajs encodes on the main thread).
 */
const SEND_PRODUCERS = 1;

/**
 * Counters -> scorecards. One replica at a time (the lease holder) ticks: it re-sends any outbox
 * left by a crash, scores the periods with changes (whole active roster per period), publishes
 * PROVISIONAL cards whose content changed, and FINAL/REVISED cards plus eligibility through the
 * Redis outbox. See README.md.
 */
export class Scorer {
  readonly metrics: ScorerMetrics;
  readonly topics: Record<TopicKey, string>;
  private readonly finalGate: FinalGate;
  readonly ownerId: string;
  readonly store: CounterStore;
  private readonly codecs: Codecs;
  private readonly kafka: Kafka;
  private readonly redis: RedisClient;
  private readonly scripts: ScorerScripts;
  private readonly clock: Clock;
  private producer?: Producer;
  /** Producers of a FINAL/REVISED outbox's chunks, sent concurrently (producer first). */
  private producers: Producer[] = [];
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;
  private leader = false;
  private ticked = false;
  private polled = false;
  private crashed = false;
  private lastRosterHash?: string;
  private readonly prefix: string;
  private readonly encodeCard: (card: Scorecard) => Buffer;
  private partitions?: Map<string, number>;
  /** Milliseconds per phase of the last tick (debug; the bench prints them). */
  private phases: Record<string, number> = {};

  constructor(private readonly deps: ScorerDeps) {
    const { config } = deps;
    this.metrics = deps.metrics ?? createScorerMetrics();
    this.codecs = deps.codecs ?? createCodecs();
    this.topics = topicNames(config);
    this.clock = deps.clock ?? clockFromConfig(config);
    this.prefix = config.CS_KEY_PREFIX;
    this.ownerId = deps.ownerId ?? config.CS_SCORER_ID ?? `${os.hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
    // Same bytes on the wire as kafkajs's encoder, several times faster (kafka-produce-encoding.ts);
    // CS_SCORER_FAST_PRODUCE=false leaves kafkajs's own encoder in place.
    if (config.CS_SCORER_FAST_PRODUCE && !installFastProduceEncoding()) deps.log.debug('kafkajs produce requests encoded by kafkajs (fast path not installed)');
    this.kafka = createKafka(config, deps.log, `${config.KAFKA_CLIENT_ID}-${SERVICE}`);
    this.redis = createRedis(config);
    this.redis.on('error', (err: Error) => deps.log.warn({ err: err.message }, 'redis connection error'));
    this.store = new CounterStore(this.redis, counterStoreOptions(config));
    this.scripts = defineScorerScripts(this.redis);
    this.encodeCard = outputEncoder(this.codecs, 'appraisal');
    this.finalGate = new FinalGate(this.kafka, this.store, SOURCE_TOPIC_KEYS.map((k) => this.topics[k]), deps.log);
  }

  get tickMs(): number {
    return this.deps.config.CS_TICK_SECONDS * 1000;
  }

  get leaseMs(): number {
    return Math.ceil(this.tickMs * 1.5);
  }

  /** Milliseconds per phase of the last tick (summed over its periods), for benchmarks and debugging. */
  get lastTickPhases(): Readonly<Record<string, number>> {
    return this.phases;
  }

  private phase(name: string, since: number): number {
    const now = performance.now();
    this.phases[name] = Math.round((this.phases[name] ?? 0) + now - since);
    return now;
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
    this.producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    this.producers = [this.producer];
    for (let i = 1; i < SEND_PRODUCERS; i++) this.producers.push(this.kafka.producer({ idempotent: true, maxInFlightRequests: 1 }));
    await Promise.all(this.producers.map((p) => p.connect()));
    this.deps.log.info({ topics: this.topics, owner: this.ownerId, tickMs: this.tickMs, leaseMs: this.leaseMs }, 'scorer started');
    this.schedule(0);
  }

  /** SIGTERM: finish the tick in hand, release the lease, disconnect. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    if (this.leader && !this.crashed) {
      await this.scripts.scorerLeaseRelease(leaseKey(this.prefix), this.ownerId).catch(() => 0);
      this.setLeader(false, 'released on shutdown');
    }
    await this.disconnect();
  }

  /** Test hook: die without releasing the lease (the tick in hand still finishes). */
  async kill(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    await this.disconnect();
  }

  private async disconnect(): Promise<void> {
    await Promise.all(this.producers.map((p) => p.disconnect().catch(() => {})));
    this.producer = undefined;
    this.producers = [];
    if (this.redis.status !== 'end') await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
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
        const got = await this.scripts.scorerLeaseAcquire(leaseKey(this.prefix), this.ownerId, this.leaseMs);
        this.polled = true;
        if (got !== 1) return;
        this.setLeader(true, 'lease acquired');
      } else {
        await this.renew('tick');
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

  /** Compare-and-extend; throws LostLease when the lease is no longer ours. */
  private async renew(what: string): Promise<void> {
    const ok = await this.scripts.scorerLeaseRenew(leaseKey(this.prefix), this.ownerId, this.leaseMs);
    if (ok !== 1) throw new LostLease(what);
  }

  private crashHook(step: CrashStep): void {
    if (this.deps.crashAt === step) throw new SimulatedCrash(step);
  }

  /** The tick algorithm (README.md). Public for tests that drive ticks by hand. */
  async tick(): Promise<void> {
    const now = this.clock.now();
    const { rules, config, log } = this.deps;
    this.phases = {};
    let tp = performance.now();

    this.finalGate.newTick();

    // 1. Whatever a crash left in an outbox goes out first, same bytes.
    await this.drainOutboxes(true);
    tp = this.phase('drain', tp);

    // 2. Roster and the changed pairs.
    const roster = rosterEntries(await this.store.roster());
    const rh = new Hasher().str('roster/1');
    for (const r of roster) rh.str(r.staffId).str(r.teamId).str(r.role).num(r.active ? 1 : 0);
    const rosterHash = rh.hex();
    // Compared with the hash kept in Redis, so a restart is not mistaken for a roster change.
    this.lastRosterHash ??= (await this.redis.get(rosterHashKey(this.prefix))) ?? undefined;
    const rosterChanged = rosterHash !== this.lastRosterHash;
    const taken = await this.store.takeChanged();
    const changed = groupPairs(taken.pairs);
    tp = this.phase('rosterAndChanged', tp);

    // 3. Period states; periods seen for the first time start open.
    const states = new Map<string, PeriodState>();
    for (const [id, json] of Object.entries(await this.redis.hgetall(periodsKey(this.prefix)))) {
      const s = parseState(json);
      if (s) states.set(id, s);
    }
    const maxLatenessMs = config.CS_MAX_LATENESS_DAYS * 86_400_000;
    // Periods that start further ahead than any task may be due are not scored (a hostile dueAt
    // would otherwise keep a period PROVISIONAL, re-published for the whole roster, for years).
    const horizon = now + rules.periods.maxDueAheadDays * 86_400_000;
    for (const id of changed.keys()) {
      if (states.has(id)) continue;
      let period: Period;
      try {
        period = parsePeriodId(id, config.CS_TIMEZONE);
      } catch {
        log.warn({ period: id }, 'ignoring a changed pair with a bad period id');
        continue;
      }
      if (closeAtMs(period, rules) + maxLatenessMs + 7 * 86_400_000 < now) {
        log.warn({ period: id }, 'ignoring changes to a period beyond maxLateness (state already pruned)');
        continue;
      }
      if (period.startMs > horizon) {
        this.metrics.periodsRefused.inc();
        log.warn({ period: id, maxDueAheadDays: rules.periods.maxDueAheadDays }, 'refusing a period that starts beyond now + periods.maxDueAheadDays');
        continue;
      }
      const st: PeriodState = { state: 'open', revision: 0 };
      await this.redis.hsetnx(periodsKey(this.prefix), id, JSON.stringify(st));
      states.set(id, st);
    }

    // 4. Each period in time order (a MONTH's FINAL is in place before the next MONTH needs it).
    const periods = [...states.keys()]
      .map((id) => parsePeriodId(id, config.CS_TIMEZONE))
      .sort((a, b) => a.startMs - b.startMs || (a.kind === b.kind ? 0 : a.kind === 'DAY' ? -1 : 1));
    let open = 0;
    let awaiting = 0;
    const prune: string[] = [];
    for (const period of periods) {
      const st = states.get(period.id)!;
      if (period.startMs > horizon) {
        // Known from before the horizon existed: forgotten, not scored.
        prune.push(period.id);
        continue;
      }
      const closeAt = closeAtMs(period, rules);
      if (st.state === 'open') {
        if (now >= closeAt) {
          if (await this.finalGate.caughtUp(period.id)) await this.publishFinal(period, roster, st, 'FINAL', now);
          else {
            open++;
            awaiting++;
          }
        } else {
          open++;
          if (changed.has(period.id) || rosterChanged) await this.publishProvisional(period, roster, now);
        }
      } else if (st.state === 'final') {
        // A roster change can name staff who already have counters here: they get their first
        // FINAL, and team ranks may move (REVISED for those whose card changed).
        if (changed.has(period.id) || (rosterChanged && (await this.namesNewcomers(period, roster)))) await this.publishFinal(period, roster, st, 'REVISED', now);
        else if (closeAt + maxLatenessMs + 7 * 86_400_000 < now) prune.push(period.id);
      } else {
        open++; // finalizing: its outbox failed to send above; retried next tick
      }
    }
    if (prune.length) await this.redis.hdel(periodsKey(this.prefix), ...prune);
    await taken.ack();
    if (rosterChanged) await this.redis.set(rosterHashKey(this.prefix), rosterHash);
    this.lastRosterHash = rosterHash;
    this.metrics.openPeriods.set(open);
    this.metrics.finalsAwaitingAggregator.set(awaiting);
  }

  private async previousFinals(period: Period): Promise<Map<string, PreviousFinal>> {
    const prev = previousPeriod(period);
    return previousFinalsOf(parsePublished(await this.redis.hgetall(publishedKey(this.prefix, prev.id))));
  }

  /** Whether an active roster member has counters in this final period but no FINAL yet. */
  private async namesNewcomers(period: Period, roster: RosterEntry[]): Promise<boolean> {
    const withCounters = await this.store.periodStaff(period.id);
    if (withCounters.size === 0) return false;
    const published = await this.published(period);
    return roster.some((r) => r.active && withCounters.has(r.staffId) && !published.has(r.staffId));
  }

  private async published(period: Period): Promise<Map<string, Published>> {
    return parsePublished(await this.redis.hgetall(publishedKey(this.prefix, period.id)));
  }

  private async publishProvisional(period: Period, roster: RosterEntry[], now: number): Promise<void> {
    const [counters, previousFinals, published] = await Promise.all([
      this.store.periodCounters(period.id),
      this.previousFinals(period),
      this.published(period),
    ]);
    const cards = scorePopulation(counters, roster, this.deps.rules, period, 'PROVISIONAL', { computedAt: now, previousFinals });
    this.metrics.staffScored.inc(cards.length);
    this.metrics.observeGrades(period.kind, period.start, cards);
    const out: Scorecard[] = [];
    const record: (string | number)[] = [];
    for (const c of cards) {
      const p = publishedOf(c);
      if (published.get(c.staffId)?.h === p.h) continue;
      out.push(c);
      record.push(c.staffId, JSON.stringify(p));
    }
    if (out.length === 0) return;
    await this.renew(`before PROVISIONAL ${period.id}`);
    await this.send(out.map((c) => ({ t: 'a' as const, k: c.staffId, v: this.encodeCard(c) })));
    const ok = await this.scripts.scorerCommit(
      leaseKey(this.prefix),
      periodsKey(this.prefix),
      publishedKey(this.prefix, period.id),
      outboxKey(this.prefix, period.id),
      this.ownerId,
      period.id,
      '',
      publishedTtlSeconds(period.id, this.deps.config.CS_MAX_LATENESS_DAYS),
      '0',
      record, // one array argument (ioredis flattens it): a spread of 200,000 arguments overflows the stack
    );
    if (ok !== 1) throw new LostLease(`commit PROVISIONAL ${period.id}`);
    this.metrics.scorecardsPublished.inc({ status: 'PROVISIONAL' }, out.length);
    this.deps.log.debug({ period: period.id, cards: out.length }, 'provisional scorecards published');
  }

  /**
   * FINAL (every active roster member, revision 0) or REVISED (only members whose content
   * changed, revision = theirs + 1), plus MONTH eligibility for them, through the outbox.
   *
   * The whole population is scored at once (ranks and workload medians need it); encoding, the
   * outbox write and the sends go in chunks of CHUNK members, so no single Redis command or
   * produce request grows with the roster. Order of the protocol (crash-safety, README.md):
   * every chunk written -> sealed (meta + period 'finalizing', atomically) -> sends -> commit.
   */
  private async publishFinal(period: Period, roster: RosterEntry[], st: PeriodState, status: 'FINAL' | 'REVISED', now: number): Promise<void> {
    const { rules } = this.deps;
    const t0 = performance.now();
    const [counters, previousFinals, published] = await Promise.all([
      this.store.periodCounters(period.id),
      this.previousFinals(period),
      this.published(period),
    ]);
    let tp = this.phase('read', t0);
    // REVISED: revision n+1 of a member's FINAL. A member who joined the roster after the period was
    // finalized has no FINAL to revise: their first card of a closed period is FINAL revision 0
    // (payroll expects exactly one FINAL per staff-period, then REVISED ones).
    const revision = new Map<string, number>();
    const memberStatus = new Map<string, 'FINAL'>();
    if (status === 'REVISED') {
      for (const r of roster) {
        const p = published.get(r.staffId);
        if (p && p.status !== 'PROVISIONAL') revision.set(r.staffId, p.revision + 1);
        else memberStatus.set(r.staffId, 'FINAL');
      }
    }
    const cards = scorePopulation(counters, roster, rules, period, status, { computedAt: now, revision, memberStatus, previousFinals });
    const tScored = performance.now();
    tp = this.phase('score', tp);
    this.metrics.staffScored.inc(cards.length);
    this.metrics.observeGrades(period.kind, period.start, cards);
    // The members to publish, and what to record for them.
    const cardsOut: (Scorecard | undefined)[] = [];
    const pubs: Published[] = [];
    for (const c of cards) {
      const p = publishedOf(c);
      const before = published.get(c.staffId);
      if (status === 'REVISED' && before && before.status !== 'PROVISIONAL' && before.h === p.h) continue;
      cardsOut.push(c);
      pubs.push(p);
    }
    if (status === 'REVISED' && cardsOut.length === 0) return;
    const eligibilityOut = new Map<string, Eligibility>();
    if (period.kind === 'MONTH') {
      const publish = new Set<string>();
      for (const c of cardsOut) publish.add(c!.staffId);
      for (const e of eligibility(cards, counters, previousFinals, rules)) if (publish.has(e.staffId)) eligibilityOut.set(e.staffId, e);
    }
    cards.length = 0; // from here on only the records to publish are kept, and dropped once encoded
    const t1 = performance.now();
    this.phase('eligibility', tp);

    // Step 2: the outbox, chunk by chunk (encoding chunk k+1 while Redis stores chunk k), then sealed.
    const token = randomBytes(8).toString('hex');
    const blocks = new OutboxBlockWriter(this.codecs);
    const chunks: OutMessage[][] = [];
    const pubChunks: string[][] = [];
    const staffCount = cardsOut.length;
    let fields = 1; // "w"
    let nextMessage = 0;
    let encodeMs = 0;
    let refused = 0;
    let waitMs = 0;
    // Chunk writes: compressed on the thread pool, issued strictly in chunk order (the first one
    // starts the outbox), at most two unsettled while the next chunk is encoded.
    const writes: Promise<number>[] = [];
    let settled = 0;
    let issued: Promise<unknown> = Promise.resolve();
    const settle = async (keep: number) => {
      const tw = performance.now();
      for (; settled < writes.length - keep; settled++) {
        const r = await writes[settled]!;
        if (r !== 1 && refused === 0) refused = r;
      }
      waitMs += performance.now() - tw;
    };
    for (let base = 0; base < staffCount && refused === 0; base += CHUNK) {
      const te = performance.now();
      const end = Math.min(staffCount, base + CHUNK);
      const messages: OutMessage[] = [];
      const pairs: string[] = []; // staffId, Published JSON: what recordPublished stores
      const entries: string[] = [];
      // A member's scorecard, then their eligibility: each produce request carries both topics
      // (kafkajs groups a request's messages per partition at a cost quadratic in their number).
      for (let i = base; i < end; i++) {
        const c = cardsOut[i]!;
        const staffId = c.staffId;
        messages.push({ t: 'a', k: staffId, v: blocks.add('appraisal', staffId, c) });
        const e = eligibilityOut.get(staffId);
        if (e) messages.push({ t: 'e', k: staffId, v: blocks.add('eligibility', staffId, e) });
        const json = JSON.stringify(pubs[i]!);
        pairs.push(staffId, json);
        entries.push(`${JSON.stringify(staffId)}:${json}`);
        cardsOut[i] = undefined;
      }
      nextMessage += messages.length;
      const pubJson = `{${entries.join(',')}}`; // JSON object staffId -> Published (each staffId once)
      // One field for the chunk's records (compressed on the libuv thread pool while this thread
      // goes on encoding: several times fewer bytes for Redis to take in and hold), one for its
      // published records.
      const blockName = `b:${chunks.length}`;
      const compressed = compressBlock(blocks.take());
      compressed.catch(() => {}); // its failure surfaces through the write below
      const pubName = `p:${pubChunks.length}`;
      fields += 2;
      chunks.push(messages);
      pubChunks.push(pairs);
      encodeMs += performance.now() - te;
      await settle(1); // bounded memory; Redis and the thread pool work while this thread encodes
      if (refused !== 0) break;
      const first = base === 0 ? '1' : '0';
      // Issued once this chunk is compressed and the chunk before it issued (reactions to one
      // promise run in the order they were added: the write below before `issued` moves on).
      const ready = issued.then(() => compressed);
      const write = ready.then((block) =>
        this.scripts.scorerOutboxChunk(leaseKey(this.prefix), periodsKey(this.prefix), outboxKey(this.prefix, period.id), this.ownerId, period.id, token, first, [
          blockName,
          block,
          pubName,
          pubJson,
        ]),
      );
      write.catch(() => {}); // awaited in settle
      issued = ready;
      writes.push(write);
    }
    await settle(0);
    eligibilityOut.clear();
    const meta: OutboxMeta = {
      periodId: period.id,
      status,
      next: { state: 'final', revision: status === 'FINAL' ? 0 : st.revision + 1 },
      messages: nextMessage,
      blocks: chunks.length,
      blockCompression: 'brotli',
      publishedChunks: pubChunks.length,
      createdAt: now,
    };
    const r =
      refused !== 0
        ? refused
        : await this.scripts.scorerOutboxSeal(
            leaseKey(this.prefix),
            periodsKey(this.prefix),
            outboxKey(this.prefix, period.id),
            this.ownerId,
            period.id,
            JSON.stringify({ state: 'finalizing', revision: st.revision } satisfies PeriodState),
            token,
            staffCount === 0 ? 0 : fields,
            JSON.stringify(meta),
          );
    if (r === 0) throw new LostLease(`outbox ${period.id}`);
    if (r === -1) {
      // An outbox of this period is already sealed (cannot happen after the drain of step 1
      // unless another writer slipped in): send that one; the state it commits is re-evaluated
      // next tick, and the content hashes make any further change a REVISED.
      this.deps.log.warn({ period: period.id }, 'an outbox is already pending for the period; sending it first');
      await this.sendOutbox(period.id, false);
      return;
    }
    if (r !== 1) throw new Error(`outbox ${period.id}: another write of the period replaced this one (${r}); retrying next tick`);
    const t3 = performance.now();
    this.phases.encode = Math.round((this.phases.encode ?? 0) + encodeMs);
    this.phases.outboxWrite = Math.round((this.phases.outboxWrite ?? 0) + t3 - t1 - encodeMs);
    this.phases.outboxWait = Math.round((this.phases.outboxWait ?? 0) + waitMs); // within outboxWrite
    const ms = (a: number, b: number) => Math.round(b - a);
    this.deps.log.info(
      {
        period: period.id,
        status,
        scorecards: staffCount,
        eligibility: nextMessage - staffCount,
        chunks: chunks.length,
        ms: { readAndScore: ms(t0, tScored), eligibility: ms(tScored, t1), encode: Math.round(encodeMs), outboxWrite: Math.round(t3 - t1 - encodeMs) },
      },
      'outbox written',
    );
    this.crashHook('afterOutboxWrite');
    // The bytes just stored are sent from memory; only a crash recovery reads them back.
    let k = 0;
    await this.publishOutbox(period.id, meta, false, {
      next: async () => {
        const m = chunks[k];
        chunks[k++] = []; // sent: let it go
        return m;
      },
      published: async () => pubChunks.splice(0),
    });
  }

  /** Steps 3 and 4 of the outbox for every period left 'finalizing'. */
  private async drainOutboxes(resent: boolean): Promise<void> {
    for (const [id, json] of Object.entries(await this.redis.hgetall(periodsKey(this.prefix)))) {
      if (parseState(json)?.state === 'finalizing') await this.sendOutbox(id, resent);
    }
  }

  /** Sends a stored outbox (same bytes every time) and commits it; reads it back in chunks. */
  private async sendOutbox(periodId: string, resent: boolean): Promise<void> {
    const key = outboxKey(this.prefix, periodId);
    const metaBuf = await this.redis.hgetBuffer(key, 'meta');
    if (!metaBuf) {
      this.deps.log.error({ period: periodId }, 'period is finalizing but has no outbox; reopening it');
      await this.redis.hset(periodsKey(this.prefix), periodId, JSON.stringify({ state: 'open', revision: 0 } satisfies PeriodState));
      return;
    }
    const meta = JSON.parse(metaBuf.toString('utf8')) as OutboxMeta;
    let i = 0;
    let b = 0;
    await this.publishOutbox(periodId, meta, resent, {
      next: async () => {
        if (meta.blocks !== undefined) {
          if (b >= meta.blocks) return undefined;
          const name = `b:${b++}`;
          const block = await this.redis.hgetBuffer(key, name);
          if (!block) throw new Error(`outbox ${periodId} lacks ${name}`);
          return unpackBlock(await decompressBlock(block, meta.blockCompression));
        }
        // Outboxes of earlier versions: one field per record.
        if (i >= meta.messages) return undefined;
        const names: string[] = [];
        for (const end = Math.min(meta.messages, i + 2 * CHUNK); i < end; i++) names.push(`m:${i}`);
        const bufs = await this.redis.hmgetBuffer(key, ...names);
        return bufs.map((b, j) => {
          if (!b) throw new Error(`outbox ${periodId} lacks ${names[j]}`);
          return unpackMessage(b);
        });
      },
      published: async () => {
        // Older outboxes keep the published records in meta.published.
        if (meta.published) return [publishedPairs(meta.published)];
        const n = meta.publishedChunks ?? 0;
        if (n === 0) return [];
        const bufs = await this.redis.hmgetBuffer(key, ...Array.from({ length: n }, (_, j) => `p:${j}`));
        return bufs.map((b, j) => {
          if (!b) throw new Error(`outbox ${periodId} lacks p:${j}`);
          return publishedPairs(JSON.parse(b.toString('utf8')) as Record<string, Published>);
        });
      },
    });
  }

  /**
   * Steps 3 and 4 of a sealed outbox: send every record (chunk after chunk), record what was
   * published, then the fenced commit (period state, outbox deleted). The published records are
   * written while the sends run: the period is 'finalizing' until the commit, and nothing reads a
   * finalizing period's published hash (a crash re-sends and re-records the same from the outbox).
   */
  private async publishOutbox(
    periodId: string,
    meta: OutboxMeta,
    resent: boolean,
    source: { next: () => Promise<OutMessage[] | undefined>; published: () => Promise<string[][]> },
  ): Promise<void> {
    await this.renew(`before sending outbox ${periodId}`);
    const t0 = performance.now();
    const recording = this.recordPublished(periodId, await source.published());
    recording.catch(() => {}); // awaited below; no unhandled rejection while the sends run
    let cards = 0;
    let total = 0;
    // Each producer takes the next chunk as soon as it is free; the first failure stops them all.
    let failed = false;
    let sentChunks = 0;
    const worker = async (producer: Producer) => {
      for (;;) {
        if (failed) return;
        const chunk = await source.next();
        if (chunk === undefined) return;
        if (chunk.length === 0) continue;
        try {
          // Fencing: no chunk goes out unless the lease is still ours, and each renewal buys a
          // whole lease for the next chunk. A standby that took over mid-send (a pause longer
          // than the lease) re-sends this outbox itself; we stop here.
          await this.renew(`sending outbox ${periodId}`);
          await this.send(chunk, producer);
          await this.deps.afterChunkSent?.(periodId, sentChunks++);
        } catch (err) {
          failed = true;
          throw err;
        }
        for (const m of chunk) if (m.t === 'a') cards++;
        total += chunk.length;
      }
    };
    const producers = this.producers.length > 0 ? this.producers : [this.producer!];
    const results = await Promise.allSettled(producers.map(worker));
    for (const r of results) if (r.status === 'rejected') throw r.reason;
    const t1 = this.phase('send', t0);
    this.crashHook('afterSend');
    await recording;
    const ok = await this.scripts.scorerCommit(
      leaseKey(this.prefix),
      periodsKey(this.prefix),
      publishedKey(this.prefix, periodId),
      outboxKey(this.prefix, periodId),
      this.ownerId,
      periodId,
      JSON.stringify(meta.next),
      publishedTtlSeconds(periodId, this.deps.config.CS_MAX_LATENESS_DAYS),
      '1',
      [],
    );
    if (ok !== 1) throw new LostLease(`commit ${periodId}`);
    this.phase('commit', t1);
    this.metrics.scorecardsPublished.inc({ status: meta.status }, cards);
    this.metrics.eligibilityPublished.inc(total - cards);
    if (resent) this.metrics.outboxResent.inc();
    this.deps.log.info(
      { period: periodId, status: meta.status, revision: meta.next.revision, scorecards: cards, eligibility: total - cards, resent, ms: { send: Math.round(t1 - t0), commit: Math.round(performance.now() - t1) } },
      'published',
    );
  }

  /** Records published content hashes (per chunk: staffId, Published JSON, …), fenced. */
  private async recordPublished(periodId: string, chunks: string[][]): Promise<void> {
    const writes: Promise<number>[] = [];
    for (const pairs of chunks) {
      if (pairs.length === 0) continue;
      writes.push(
        this.scripts.scorerCommit(
          leaseKey(this.prefix),
          periodsKey(this.prefix),
          publishedKey(this.prefix, periodId),
          outboxKey(this.prefix, periodId),
          this.ownerId,
          periodId,
          '',
          publishedTtlSeconds(periodId, this.deps.config.CS_MAX_LATENESS_DAYS),
          '0',
          pairs,
        ),
      );
    }
    for (const ok of await Promise.all(writes)) if (ok !== 1) throw new LostLease(`recording published ${periodId}`);
  }

  /** Partition count per output topic (for the size of produce requests); 1 when unknown. */
  private async partitionCounts(): Promise<Map<string, number>> {
    if (this.partitions) return this.partitions;
    const m = new Map<string, number>();
    const admin = this.kafka.admin();
    try {
      await admin.connect();
      const md = await admin.fetchTopicMetadata({ topics: [this.topics.appraisal, this.topics.eligibility] });
      for (const t of md.topics) m.set(t.name, Math.max(1, t.partitions.length));
      this.partitions = m;
    } catch (err) {
      this.deps.log.warn({ err: (err as Error).message }, 'could not read the output topics\' partition counts; sending small requests');
    } finally {
      await admin.disconnect().catch(() => {});
    }
    return m;
  }

  /**
   * Sends in order, per topic, in produce requests of up to ~640 KiB per partition of each topic;
   * the idempotent producer retries without duplicates.
   */
  private async send(messages: OutMessage[], producer = this.producer): Promise<void> {
    if (!producer) throw new Error('producer not connected');
    if (messages.length === 0) return;
    const parts = await this.partitionCounts();
    const budget = { a: BATCH_BYTES_PER_PARTITION * (parts.get(this.topics.appraisal) ?? 1), e: BATCH_BYTES_PER_PARTITION * (parts.get(this.topics.eligibility) ?? 1) };
    let a: Message[] = [];
    let e: Message[] = [];
    let aBytes = 0;
    let eBytes = 0;
    const flush = async () => {
      const topicMessages = [];
      if (a.length) topicMessages.push({ topic: this.topics.appraisal, messages: a });
      if (e.length) topicMessages.push({ topic: this.topics.eligibility, messages: e });
      a = [];
      e = [];
      aBytes = eBytes = 0;
      if (topicMessages.length) await producer.sendBatch({ topicMessages });
    };
    for (const m of messages) {
      const size = m.v.length + m.k.length + 16;
      if (m.t === 'a') {
        if (aBytes + size > budget.a || aBytes + eBytes + size > REQUEST_BYTES) await flush();
        a.push({ key: m.k, value: m.v });
        aBytes += size;
      } else {
        if (eBytes + size > budget.e || aBytes + eBytes + size > REQUEST_BYTES) await flush();
        e.push({ key: m.k, value: m.v });
        eBytes += size;
      }
    }
    await flush();
  }
}

/** staffId, Published JSON, … (what scorerCommit stores in the published hash). */
function publishedPairs(published: Record<string, Published>): string[] {
  const pairs: string[] = [];
  for (const [staffId, p] of Object.entries(published)) pairs.push(staffId, JSON.stringify(p));
  return pairs;
}

function rosterEntries(profiles: Map<string, { staffId: string; teamId: string; role: string; active: boolean }>): RosterEntry[] {
  return [...profiles.values()]
    .map((p) => ({ staffId: p.staffId, teamId: p.teamId, role: p.role as Role, active: p.active }))
    .sort((a, b) => (a.staffId < b.staffId ? -1 : a.staffId > b.staffId ? 1 : 0));
}

