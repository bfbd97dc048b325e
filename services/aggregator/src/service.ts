import type { Admin, Consumer, EachBatchPayload, Kafka, KafkaMessage, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { RulesBook, type Rules } from '@cs/appraisal';
import { buildDeadLetter, createCodecs, parseRosterKey, rosterKeyMismatchError, rosterKeyOf, type ContractError, SOURCE_TOPIC_KEYS, type Codecs, type DeadLetter, type SourceTopicKey, type TopicKey } from '@cs/contracts';
import { CounterStore, type Profile, type RosterChange } from '@cs/counter-store';
import { clockFromConfig, counterStoreOptions, createKafka, createRedis, systemClock, topicNames, type Clock, type RedisClient, type ServiceConfig } from '@cs/runtime';
import { batchApplier, type BatchJob, type BatchProcessor, type BatchResult } from './batch-job.ts';
import { createAggregatorMetrics, type AggregatorMetrics } from './metrics.ts';
import type { Rejection } from './prepare.ts';
import { Abandoned, retryUntilDone } from './retry.ts';
import { missingTopics } from './source-topics.ts';
import { WorkerPool } from './worker-pool.ts';

export const SERVICE = 'aggregator';
/** How often a missing source topic is named again in the log while start() waits for it. */
const MISSING_TOPIC_LOG_MS = 30_000;

/** How long start() waits for the roster to be in Redis before the source topics are read. */
const ROSTER_WAIT_MS = 60_000;

/** What the aggregator reads (sources, roster, corrections) and writes (dead letters). */
export const AGGREGATOR_TOPICS: readonly TopicKey[] = [...SOURCE_TOPIC_KEYS, 'roster', 'corrections', 'dlq'];

export interface AggregatorDeps {
  config: ServiceConfig;
  /** a RulesBook (each event attributed with the version in force on its local date), or one version */
  rules: Rules | RulesBook;
  log: Logger;
  metrics?: AggregatorMetrics;
  codecs?: Codecs;
  /** Consumer group session timeout (kafkajs default 30 s): how long a SIGKILLed member holds its partitions. */
  sessionTimeoutMs?: number;
  /** "Now" for lateness, the future check and dead letters; default: CS_CLOCK_OFFSET_SECONDS. */
  clock?: Clock;
}

/**
 * Source topics -> Redis counters. Per batch and partition: decode, validate, dead-letter the
 * bad, map the good to counter increments and apply them with the partition's next offset in
 * one Lua script. Redis, not Kafka, holds the resume point; Kafka commits only feed lag tools.
 */
export class Aggregator {
  readonly metrics: AggregatorMetrics;
  readonly topics: Record<TopicKey, string>;
  private readonly codecs: Codecs;
  /** Decodes, validates, attributes and applies batches: in worker threads, or in-process. */
  private readonly processor: BatchProcessor;
  private jobIds = 0;
  private readonly kafka: Kafka;
  private readonly redis: RedisClient;
  readonly store: CounterStore;
  /** Members of the group in this process (CS_AGGREGATOR_CONSUMERS); see start(). */
  private readonly consumers: Consumer[] = [];
  private rosterConsumer?: Consumer;
  private producer?: Producer;
  private admin?: Admin;
  private readonly topicKeyOf = new Map<string, SourceTopicKey | 'corrections'>();
  /** Next offset to apply per "topic:partition", as Redis last told us. */
  private readonly applied = new Map<string, number>();
  /** Roster partitions already sought back to this stored offset (compaction holes). */
  private readonly rosterSought = new Map<string, number>();
  /** Next roster offset per roster partition, as we last applied it. */
  private readonly rosterApplied = new Map<number, number>();
  private redisWasReady = false;
  /** Source partitions assigned to each member in this process (from its last GROUP_JOIN). */
  private readonly assignment = new Map<Consumer, Map<string, number[]>>();
  /** Per "topic:partition": moving the stored offset past a fetch of markers and aborted records only; the partition's next batch waits for it. */
  private readonly advancing = new Map<string, Promise<void>>();
  private crashed = false;
  private stopping = false;
  private readonly clock: Clock;

  constructor(private readonly deps: AggregatorDeps) {
    const { config } = deps;
    this.clock = deps.clock ?? clockFromConfig(config);
    this.metrics = deps.metrics ?? createAggregatorMetrics(config.CS_QUEUES);
    this.codecs = deps.codecs ?? createCodecs();
    this.topics = topicNames(config);
    for (const k of SOURCE_TOPIC_KEYS) this.topicKeyOf.set(this.topics[k], k);
    this.topicKeyOf.set(this.topics.corrections, 'corrections');
    this.kafka = createKafka(config, deps.log, `${config.KAFKA_CLIENT_ID}-${SERVICE}`);
    this.redis = createRedis(config);
    this.redis.on('error', (err: Error) => deps.log.warn({ err: err.message }, 'redis connection error'));
    // After a reconnect Redis may have restarted with less than we applied (no AOF, lost fsync
    // window). Batches find that out by themselves, but an idle partition gets no batch: check.
    this.redis.on('ready', () => {
      if (this.redisWasReady) void this.verifyAfterReconnect();
      this.redisWasReady = true;
    });
    this.store = new CounterStore(this.redis, counterStoreOptions(config));
    this.processor =
      config.CS_AGGREGATOR_WORKERS > 0
        ? new WorkerPool(config.CS_AGGREGATOR_WORKERS, { config, rules: RulesBook.of(deps.rules).versions }, deps.log)
        : batchApplier(this.store, this.codecs, config, RulesBook.of(deps.rules));
  }

  get groupId(): string {
    return this.deps.config.CS_GROUP_ID ?? `${this.deps.config.CS_KEY_PREFIX}-aggregator`;
  }

  health = {
    live: () => !this.crashed && !(this.processor instanceof WorkerPool && this.processor.broken),
    ready: () => this.consumers.length > 0 && this.assignment.size === this.consumers.length && !this.crashed && this.redis.status === 'ready',
  };

  async start(): Promise<void> {
    const { log } = this.deps;
    this.producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    this.admin = this.kafka.admin();
    await Promise.all([this.producer.connect(), this.admin.connect()]);
    await this.sourceTopicsExist();
    if (this.stopping) return;

    const session = this.deps.sessionTimeoutMs ? { sessionTimeout: this.deps.sessionTimeoutMs, heartbeatInterval: Math.min(3_000, Math.floor(this.deps.sessionTimeoutMs / 3)) } : {};
    // Several members per process: kafkajs fetches again only once a fetch's batches are all
    // processed, so with one member Node's thread (decoding the next fetch) and the batch workers
    // (processing this one) take turns; two members keep both busy.
    const members = Array.from({ length: this.deps.config.CS_AGGREGATOR_CONSUMERS }, (_, i) => {
      // A batch is at most CS_AGGREGATOR_FETCH_BYTES of one partition; the members split a 10 MiB
      // fetch budget, so that together they hold what one member would.
      const maxBytesPerPartition = this.deps.config.CS_AGGREGATOR_FETCH_BYTES;
      const maxBytes = Math.max(maxBytesPerPartition, Math.floor((10 * 1024 * 1024) / this.deps.config.CS_AGGREGATOR_CONSUMERS));
      const consumer = this.kafka.consumer({ groupId: this.groupId, maxWaitTimeInMs: 250, maxBytesPerPartition, maxBytes, ...session });
      consumer.on(consumer.events.GROUP_JOIN, (e) => {
        this.applied.clear(); // re-read from Redis: another member may have moved our partitions on
        this.assignment.set(consumer, new Map(Object.entries(e.payload.memberAssignment).map(([t, ps]) => [t, ps as number[]])));
        const parts = Object.values(e.payload.memberAssignment).flat() as number[];
        for (const p of new Set(parts)) void this.store.registerShard(p).catch(() => {});
        log.info({ member: i, assignment: e.payload.memberAssignment }, 'partitions assigned');
      });
      // A fetch holding only transaction markers and aborted records (read_committed filters
      // them) never reaches eachBatch: kafkajs resolves it itself and reports it here, with no messages.
      consumer.on(consumer.events.END_BATCH_PROCESS, (e) => {
        const { topic, partition, batchSize, firstOffset, lastOffset } = e.payload;
        if (batchSize === 0 && firstOffset !== null && firstOffset !== undefined) this.advancePastFiltered(topic, partition, Number(firstOffset), Number(lastOffset) + 1);
      });
      consumer.on(consumer.events.CRASH, (e) => {
        log.error({ member: i, err: e.payload.error.message, restart: e.payload.restart }, 'consumer crashed');
        if (!e.payload.restart) this.crashed = true;
      });
      this.consumers.push(consumer);
      return consumer;
    });
    // The roster first: events of staff it does not name count against the unknown-staff cap
    // (CS_UNKNOWN_STAFF_CAP), so on a first start the roster must be in Redis before the events.
    this.rosterConsumer = this.kafka.consumer({ groupId: `${this.groupId}-roster`, maxWaitTimeInMs: 250 });
    await this.rosterConsumer.connect();
    await this.rosterConsumer.subscribe({ topics: [this.topics.roster], fromBeginning: true });
    await this.rosterConsumer.run({ eachBatchAutoResolve: false, eachBatch: (p) => this.onRosterBatch(p) });
    await this.rosterInRedis();
    // Joined together, so that one rebalance (not one per member) lets them in.
    await Promise.all(
      members.map(async (consumer) => {
        await consumer.connect();
        await consumer.subscribe({ topics: [...this.topicKeyOf.keys()], fromBeginning: true });
        await consumer.run({ eachBatchAutoResolve: false, partitionsConsumedConcurrently: 3, eachBatch: (p) => this.onBatch(p, consumer) });
      }),
    );
    log.info({ topics: this.topics, groupId: this.groupId }, 'aggregator started');
  }

  /**
   * Waits until every topic the aggregator reads exists. A consumer subscribed to a topic that
   * does not exist waits without a word, so a misspelt CS_TOPIC_* looked like a quiet day: here the
   * missing topics are named with their settings (an error every MISSING_TOPIC_LOG_MS) and counted
   * in cs_aggregator_missing_topics, and /readyz stays not ready until they are created.
   */
  private async sourceTopicsExist(): Promise<void> {
    const { log } = this.deps;
    let loggedAt = -Infinity;
    while (!this.stopping) {
      const missing = missingTopics(this.topics, new Set(await this.admin!.listTopics()));
      this.metrics.missingTopics.set(missing.length);
      if (missing.length === 0) return;
      if (performance.now() - loggedAt >= MISSING_TOPIC_LOG_MS) {
        loggedAt = performance.now();
        log.error({ missing }, `source topics do not exist, waiting for them: ${missing.map((m) => `${m.topic} (${m.setting})`).join(', ')}; create them or correct the setting`);
      }
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }

  /**
   * Waits (at most ROSTER_WAIT_MS) until Redis holds the roster topic up to its end as of now —
   * applied by this process's roster consumer or another's — so that a first start does not take
   * the whole staff for unknown ids and dead-letter their events beyond the cap. Later roster
   * entries reach the batches as they are applied (batch-job.ts asks Redis).
   */
  private async rosterInRedis(): Promise<void> {
    const { log } = this.deps;
    const t0 = performance.now();
    try {
      const ends = (await this.admin!.fetchTopicOffsets(this.topics.roster)).filter((o) => Number(o.high) > Number(o.low));
      for (;;) {
        let behind = 0;
        for (const o of ends) if (((await this.store.readRosterOffset(o.partition)) ?? 0) < Number(o.high)) behind++;
        if (behind === 0) return;
        if (performance.now() - t0 > ROSTER_WAIT_MS) {
          log.warn({ partitionsBehind: behind, waitedMs: ROSTER_WAIT_MS }, 'the roster is not in Redis yet; counting starts anyway (events of staff it does not name yet count against CS_UNKNOWN_STAFF_CAP)');
          return;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'could not check the roster in Redis before counting; counting starts anyway');
    }
  }

  /** Finishes the batch in hand (kafkajs waits for it), then disconnects everything. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.consumers.map((c) => c.disconnect()));
    await Promise.all(this.advancing.values());
    await this.rosterConsumer?.disconnect();
    await this.producer?.disconnect();
    await this.admin?.disconnect();
    await this.processor.close();
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private retryOpts(p: EachBatchPayload, reason: string) {
    return {
      log: this.deps.log,
      onRetry: () => this.metrics.retries.inc({ reason }),
      stillOurs: () => p.isRunning() && !p.isStale(),
      heartbeat: p.heartbeat,
    };
  }

  /**
   * Where this batch must start, given Redis's stored offset (returns the offset, or 'sought').
   * A batch that starts later than that means Redis is behind what this group already consumed
   * (Kafka commits only follow Redis applies): Redis lost state — a restart without AOF, or the
   * last fsync second of an everysec AOF. That is reported (error log and
   * `cs_aggregator_redis_state_lost_total`) and we seek back to re-read it from Kafka. Offsets
   * below the log start are gone (retention): reported, and the skip is recorded in Redis so the
   * apply script, which refuses holes, accepts the next batch.
   */
  private async startingPoint(p: EachBatchPayload, consumer: Consumer, stored: number, lossReported = false): Promise<number | 'sought'> {
    const { topic, partition } = p.batch;
    const first = Number(p.batch.firstOffset());
    if (first <= stored) return stored;
    const low = await retryUntilDone(
      'fetch log start',
      () => this.admin!.fetchTopicOffsets(topic).then((o) => Number(o.find((x) => x.partition === partition)?.low ?? 0)),
      this.retryOpts(p, 'kafka'),
    );
    const resume = Math.max(stored, low);
    if (first > resume) {
      if (!lossReported) this.reportStateLost(topic, partition, stored, first);
      this.deps.log.warn({ topic, partition, stored, first, resume }, 'batch starts after the offset Redis holds; seeking back');
      // No pause(): a paused partition stays paused (kafkajs' seek does not resume it).
      consumer.seek({ topic, partition, offset: String(resume) });
      return 'sought';
    }
    this.metrics.offsetGaps.inc();
    this.deps.log.error({ topic, partition, stored, logStart: low }, 'offsets below the log start are gone (retention): counting resumes at the log start');
    const outcome = await retryUntilDone(
      'record the retention gap',
      () => this.store.applyBatch({ shard: partition, topic, partition, firstOffset: stored, nextOffset: low, effects: [] }),
      this.retryOpts(p, 'redis'),
    );
    return outcome.status !== 'stale' ? low : this.startingPoint(p, consumer, outcome.storedOffset, true); // no effects: never over a cap
  }

  /** Compares what Redis holds with what we applied; seeks back wherever Redis is behind. */
  private async verifyAfterReconnect(): Promise<void> {
    const { log } = this.deps;
    try {
      // What we applied: our cache, and Kafka's commits (only ever made after a Redis apply).
      const applied = new Map(this.applied);
      const owner = new Map<string, Consumer>();
      for (const [consumer, topics] of this.assignment) for (const [topic, partitions] of topics) for (const partition of partitions) owner.set(`${topic}:${partition}`, consumer);
      for (const topic of this.topicKeyOf.keys()) {
        const committed = await this.admin!.fetchOffsets({ groupId: this.groupId, topics: [topic] });
        for (const { partition, offset } of committed[0]?.partitions ?? []) {
          const tp = `${topic}:${partition}`;
          if (owner.has(tp) && Number(offset) > (applied.get(tp) ?? 0)) applied.set(tp, Number(offset));
        }
      }
      for (const [tp, mine] of applied) {
        const i = tp.lastIndexOf(':');
        const topic = tp.slice(0, i);
        const partition = Number(tp.slice(i + 1));
        const consumer = owner.get(tp);
        if (!consumer) continue;
        const stored = (await this.store.readOffset(partition, topic, partition)) ?? 0;
        if (stored >= mine) continue;
        this.applied.delete(tp);
        this.reportStateLost(topic, partition, stored, mine);
        consumer.seek({ topic, partition, offset: String(stored) });
      }
      for (const [partition, mine] of [...this.rosterApplied]) {
        const stored = (await this.store.readRosterOffset(partition)) ?? 0;
        if (stored >= mine) continue;
        this.rosterApplied.delete(partition);
        log.error({ topic: this.topics.roster, partition, redisOffset: stored, consumedUpTo: mine }, 'REDIS STATE LOST: the roster in Redis is behind; re-reading the roster topic');
        this.metrics.redisStateLost.inc();
        this.rosterConsumer?.seek({ topic: this.topics.roster, partition, offset: String(stored) });
      }
      log.info('redis reconnected: stored offsets checked');
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'checking offsets after a redis reconnect failed (the next batch checks again)');
    }
  }

  private reportStateLost(topic: string, partition: number, stored: number, expected: number): void {
    this.metrics.redisStateLost.inc();
    this.deps.log.error(
      { topic, partition, redisOffset: stored, consumedUpTo: expected },
      'REDIS STATE LOST: Redis holds an offset behind what this group already applied (restart without AOF or lost fsync window); re-reading the difference from Kafka',
    );
    // The shard registry may be gone too: the scorer finds counters only through it.
    void this.store.registerShard(partition).catch(() => {});
  }

  /**
   * Records in Redis that offsets [first, next) hold nothing to count (transaction markers,
   * aborted records), chained per partition so that the partition's next batch finds the offset
   * moved. Harmless whenever it lands: the script moves only a stored offset inside the range.
   * Should Redis stay unreachable, the next batch finds a hole and seeks back, and kafkajs
   * reports the range again.
   */
  private advancePastFiltered(topic: string, partition: number, first: number, next: number): void {
    const tp = `${topic}:${partition}`;
    const done = (this.advancing.get(tp) ?? Promise.resolve()).then(async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          const r = await this.store.advanceOffset(partition, topic, partition, first, next);
          if (r.status === 'advanced') this.applied.set(tp, next);
          return;
        } catch (err) {
          if (attempt >= 5) {
            this.deps.log.warn({ topic, partition, first, next, err: (err as Error).message }, 'could not move the stored offset past transaction markers / aborted records (the next batch re-reads them)');
            return;
          }
          this.metrics.retries.inc({ reason: 'redis' });
          await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
        }
      }
    });
    this.advancing.set(tp, done);
    void done.then(() => {
      if (this.advancing.get(tp) === done) this.advancing.delete(tp);
    });
  }

  private async onBatch(p: EachBatchPayload, consumer: Consumer): Promise<void> {
    const { batch } = p;
    if (batch.isEmpty()) return;
    const t0 = process.hrtime.bigint();
    const tp = `${batch.topic}:${batch.partition}`;
    const topicKey = this.topicKeyOf.get(batch.topic)!;
    // The batch covers every offset from its first record to its last, markers and aborted
    // records included (read_committed hides them from batch.messages): the next offset to
    // store is lastOffset() + 1 even when the last records are such.
    const nextOffset = Number(batch.lastOffset()) + 1;
    try {
      await this.advancing.get(tp);
      let stored = this.applied.get(tp);
      // The cache is trusted only while batches follow on; anything else asks Redis.
      if (stored === undefined || stored < Number(batch.firstOffset())) {
        stored = (await retryUntilDone('read offset', () => this.store.readOffset(batch.partition, batch.topic, batch.partition), this.retryOpts(p, 'redis'))) ?? 0;
      }
      let lossReported = false;
      for (;;) {
        const start = await this.startingPoint(p, consumer, stored, lossReported);
        if (start === 'sought') {
          this.applied.delete(tp);
          return;
        }
        const from: number = (stored = start);
        if (nextOffset <= from) break; // all applied already
        // From `from` (the batch's first record is at or before it): records before the first
        // message are markers or aborted ones of this batch. No message left at all still moves
        // the offset past them.
        const messages: KafkaMessage[] = batch.messages.filter((m) => Number(m.offset) >= from);
        const job: BatchJob = {
          id: ++this.jobIds,
          topicKey,
          topic: batch.topic,
          partition: batch.partition,
          firstOffset: from,
          nextOffset,
          now: this.clock.now(),
          values: messages.map((m) => m.value),
          deadLettered: [],
        };
        let outcome: BatchResult = await retryUntilDone('apply batch', () => this.processor.run(job), this.retryOpts(p, 'redis'));
        // Rounds: the bad messages, then (each time the apply script finds the unknown-staff
        // quarantine full, which another batch of the shard may fill meanwhile) the refused events.
        while (outcome.kind === 'rejected') {
          // Dead letters go out before the offset moves past them: a crash re-sends, never loses.
          await this.sendDeadLetters(outcome.rejected.map((r) => this.deadLetter(batch.topic, batch.partition, messages[r.index]!, r.error, job.now)), p);
          for (const r of outcome.rejected) {
            this.metrics.deadLetters.inc({ topic: batch.topic, class: r.error.errorClass });
            if (r.error.code === 'CS_VALIDATION_UNKNOWN_STAFF_OVER_CAP') this.metrics.unknownStaffRejected.inc({ topic: batch.topic });
          }
          job.deadLettered = [...job.deadLettered, ...outcome.rejected.map((r) => r.index)];
          outcome = await retryUntilDone('apply batch', () => this.processor.run(job), this.retryOpts(p, 'redis'));
        }
        this.metrics.scriptDuration.observe(outcome.scriptSeconds);
        if (outcome.kind === 'stale') {
          if (outcome.storedOffset < from) {
            // Redis is behind what we applied: it lost writes (restart); re-apply from its offset.
            this.reportStateLost(batch.topic, batch.partition, outcome.storedOffset, from);
            lossReported = true;
          } else {
            // Someone (an earlier life of ours, or a zombie) applied part of this already.
            this.metrics.staleBatches.inc();
          }
          stored = outcome.storedOffset;
          continue;
        }
        stored = nextOffset;
        this.record(batch.topic, outcome);
        break;
      }
      this.applied.set(tp, stored);
      p.resolveOffset(batch.lastOffset());
      await p.commitOffsetsIfNecessary().catch((err: Error) => this.deps.log.warn({ err: err.message }, 'kafka commit failed (harmless: Redis holds the offset)'));
      await p.heartbeat().catch(() => {});
      this.metrics.batchSize.observe(batch.messages.length);
      this.metrics.batchDuration.observe(Number(process.hrtime.bigint() - t0) / 1e9);
      const last = batch.messages[batch.messages.length - 1]!;
      // Broker timestamps are the producers' wall clocks, so the lag is measured on the wall clock too.
      this.metrics.processingLag.observe(Math.max(0, (systemClock.now() - Number(last.timestamp)) / 1000));
      this.metrics.consumerLag.set({ topic: batch.topic, partition: String(batch.partition) }, Number(batch.offsetLag()));
    } catch (err) {
      this.applied.delete(tp);
      if (err instanceof Abandoned) return;
      throw err;
    }
  }

  private async sendDeadLetters(deadLetters: DeadLetter[], p: EachBatchPayload): Promise<void> {
    const messages = deadLetters.map((d) => ({ key: d.key, value: this.codecs.encode('dlq', d), headers: { 'cs-error-class': d.errorClass } }));
    // Several large dead letters (up to 512 KiB of original bytes each) must not add up to a
    // produce request over the broker's 1 MiB limit: that would be refused, retried, and stall.
    for (const chunk of bySize(messages, 900 * 1024)) {
      await retryUntilDone('dead-letter send', () => this.producer!.send({ topic: this.topics.dlq, messages: chunk }), this.retryOpts(p, 'kafka'));
    }
  }

  private deadLetter(topic: string, partition: number, m: KafkaMessage, error: Rejection, at: number): DeadLetter {
    return buildDeadLetter({ originalTopic: topic, partition, offset: m.offset, key: m.key, value: m.value, error, service: SERVICE, at });
  }

  /** Metrics count what Redis counted: duplicates are left out of the event and SLA counters. */
  private record(topic: string, applied: Extract<BatchResult, { kind: 'applied' }>): void {
    for (const [kind, n] of applied.kinds) this.metrics.events.inc({ topic, kind }, n);
    for (const [o, n] of applied.sla) this.metrics.observeSla(o, n);
    if (applied.duplicates > 0) this.metrics.duplicates.inc({ topic }, applied.duplicates);
    if (applied.unknownAdmitted > 0) this.metrics.unknownStaffAdmitted.inc(applied.unknownAdmitted);
  }

  /**
   * The roster is compacted, so holes in its offsets are normal: a batch after the stored offset
   * makes us seek back once to what the log still holds (Redis lost the roster); if compaction
   * removed that range, the same batch comes back and is taken.
   */
  private async rosterStartingPoint(p: EachBatchPayload, stored: number): Promise<'go' | 'sought'> {
    const { topic, partition } = p.batch;
    const first = Number(p.batch.firstOffset());
    const tp = `${topic}:${partition}`;
    if (first <= stored || this.rosterSought.get(tp) === stored) return 'go';
    const low = await this.admin!.fetchTopicOffsets(topic).then((o) => Number(o.find((x) => x.partition === partition)?.low ?? 0));
    const resume = Math.max(stored, low);
    if (first <= resume) return 'go';
    this.rosterSought.set(tp, stored);
    this.deps.log.warn({ topic, partition, stored, first }, 'roster batch starts after the offset Redis holds; seeking back');
    this.rosterConsumer!.seek({ topic, partition, offset: String(resume) });
    return 'sought';
  }

  private async onRosterBatch(p: EachBatchPayload): Promise<void> {
    const { batch } = p;
    if (batch.isEmpty()) return;
    try {
      const stored = (await retryUntilDone('read roster offset', () => this.store.readRosterOffset(batch.partition), this.retryOpts(p, 'redis'))) ?? 0;
      if ((await this.rosterStartingPoint(p, stored)) === 'sought') return;
      const messages = batch.messages.filter((m) => Number(m.offset) >= stored);
      if (messages.length > 0) {
        await retryUntilDone('resolve roster schema ids', () => this.codecs.resolveIds('roster', messages.map((m) => m.value)), this.retryOpts(p, 'registry'));
        const changes: RosterChange[] = [];
        const dead: DeadLetter[] = [];
        for (const m of messages) {
          const key = m.key?.toString('utf8') ?? '';
          const now = this.clock.now();
          const deadLetter = (error: ContractError) => dead.push(buildDeadLetter({ originalTopic: batch.topic, partition: batch.partition, offset: m.offset, key: m.key, value: m.value, error, service: SERVICE, at: now }));
          // The key names the entry (<staffId> or <staffId>|<effectiveFrom>): compaction keeps one per key.
          const named = parseRosterKey(key);
          if (m.value === null) {
            if (named) changes.push({ staffId: named.staffId, effectiveFrom: named.effectiveFrom, profile: null });
            else deadLetter(rosterKeyMismatchError(key, null));
            continue;
          }
          const r = this.codecs.decodeAndValidate('roster', m.value, { now });
          if (!r.ok) deadLetter(r.error);
          else if (rosterKeyOf(r.event as Profile) !== key) deadLetter(rosterKeyMismatchError(key, rosterKeyOf(r.event as Profile)));
          else changes.push({ staffId: (r.event as Profile).staffId, profile: r.event as Profile });
        }
        if (dead.length) await this.sendDeadLetters(dead, p);
        const next = Number(messages[messages.length - 1]!.offset) + 1;
        await retryUntilDone('apply roster', () => this.store.applyRoster(batch.partition, Number(messages[0]!.offset), next, changes), this.retryOpts(p, 'redis'));
        this.rosterSought.delete(`${batch.topic}:${batch.partition}`);
        this.rosterApplied.set(batch.partition, next);
        this.metrics.rosterProfiles.inc(changes.length);
        for (const d of dead) this.metrics.deadLetters.inc({ topic: batch.topic, class: d.errorClass });
      }
      p.resolveOffset(batch.lastOffset());
      await p.commitOffsetsIfNecessary().catch(() => {});
    } catch (err) {
      if (err instanceof Abandoned) return;
      throw err;
    }
  }
}

/** Splits messages into runs whose keys and values add up to at most `limit` bytes (one message may exceed it alone). */
function bySize<M extends { key: Buffer | null; value: Buffer }>(messages: M[], limit: number): M[][] {
  const out: M[][] = [];
  let run: M[] = [];
  let size = 0;
  for (const m of messages) {
    const n = m.value.length + (m.key?.length ?? 0) + 64;
    if (run.length > 0 && size + n > limit) {
      out.push(run);
      run = [];
      size = 0;
    }
    run.push(m);
    size += n;
  }
  if (run.length > 0) out.push(run);
  return out;
}
