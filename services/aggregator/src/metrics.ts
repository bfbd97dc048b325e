import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { SlaObservation } from '@cs/appraisal';
import { DEFAULT_QUEUES } from '@cs/runtime';

/**
 * Label values of the queues named in configuration (CS_QUEUES); every other value is `other`.
 * Queue names come from input: the first ones seen must not win the labels (junk would push the
 * real 95598 queues into `other` and silence their alerts), nor may they explode the series.
 */
class KnownLabels {
  private readonly known: ReadonlySet<string>;
  constructor(values: readonly string[]) {
    this.known = new Set(values);
  }
  of(v: string): string {
    return this.known.has(v) ? v : 'other';
  }
}

/** `queues`: the queues with a label of their own (config CS_QUEUES); the rest count as `other`. */
export function createAggregatorMetrics(queueNames: readonly string[] = DEFAULT_QUEUES, registry = new Registry()) {
  collectDefaultMetrics({ register: registry, prefix: 'cs_aggregator_' });
  const queues = new KnownLabels(queueNames);
  const m = {
    registry,
    events: new Counter({ name: 'cs_aggregator_events_total', help: 'Source events counted (first delivery), by topic and kind', labelNames: ['topic', 'kind'], registers: [registry] }),
    duplicates: new Counter({ name: 'cs_aggregator_duplicate_events_total', help: 'Events dropped as duplicates of an eventId already counted', labelNames: ['topic'], registers: [registry] }),
    deadLetters: new Counter({ name: 'cs_aggregator_dead_letters_total', help: 'Messages sent to the dead-letter topic, by error class', labelNames: ['topic', 'class'], registers: [registry] }),
    batchSize: new Histogram({ name: 'cs_aggregator_batch_size_messages', help: 'Messages per processed batch', buckets: [1, 10, 50, 100, 250, 500, 1000, 2500, 5000, 10000], registers: [registry] }),
    batchDuration: new Histogram({ name: 'cs_aggregator_batch_duration_seconds', help: 'Time to decode, apply and commit one batch', buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [registry] }),
    processingLag: new Histogram({ name: 'cs_aggregator_processing_lag_seconds', help: 'Now minus the Kafka timestamp of the last message of each batch', buckets: [0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600], registers: [registry] }),
    consumerLag: new Gauge({ name: 'cs_aggregator_consumer_lag_messages', help: 'Messages behind the partition high watermark', labelNames: ['topic', 'partition'], registers: [registry] }),
    scriptDuration: new Histogram({ name: 'cs_aggregator_redis_script_duration_seconds', help: 'Duration of the atomic apply script per batch', buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1], registers: [registry] }),
    retries: new Counter({ name: 'cs_aggregator_retries_total', help: 'Batches retried after a Redis, Kafka or schema registry failure', labelNames: ['reason'], registers: [registry] }),
    staleBatches: new Counter({ name: 'cs_aggregator_stale_batches_total', help: 'Batches refused because Redis already holds them (redelivery, rebalance)', registers: [registry] }),
    offsetGaps: new Counter({ name: 'cs_aggregator_offset_gaps_total', help: 'Partitions whose stored offset was below the log start (retention removed unapplied messages)', registers: [registry] }),
    redisStateLost: new Counter({ name: 'cs_aggregator_redis_state_lost_total', help: 'Times Redis held an offset behind what the group had already applied (Redis lost writes: restart without AOF, lost fsync window); the difference is re-read from Kafka', registers: [registry] }),
    unknownStaffRejected: new Counter({ name: 'cs_aggregator_unknown_staff_rejected_total', help: 'Events dead-lettered because their staff ids are not on the roster and their shard-period already holds CS_UNKNOWN_STAFF_CAP such ids (CS_VALIDATION_UNKNOWN_STAFF_OVER_CAP)', labelNames: ['topic'], registers: [registry] }),
    unknownStaffAdmitted: new Counter({ name: 'cs_aggregator_unknown_staff_admitted_total', help: 'Staff ids not on the roster admitted to a shard-period quarantine (one per id and DAY or MONTH period)', registers: [registry] }),
    missingTopics: new Gauge({ name: 'cs_aggregator_missing_topics', help: 'Topics the aggregator reads that do not exist in the cluster (it waits for them at start-up and is not ready meanwhile)', registers: [registry] }),
    rosterProfiles: new Gauge({ name: 'cs_aggregator_roster_profiles', help: 'Staff profiles applied from the roster since start', registers: [registry] }),
    callsAnswered: new Counter({ name: 'cs_calls_answered_total', help: 'Calls answered by an agent, per queue', labelNames: ['queue'], registers: [registry] }),
    callsAnsweredWithin: new Counter({ name: 'cs_calls_answered_within_threshold_total', help: 'Calls answered within the service-level threshold (20 s), per queue', labelNames: ['queue'], registers: [registry] }),
    callsAbandoned: new Counter({ name: 'cs_calls_abandoned_total', help: 'Calls abandoned before an answer, per queue', labelNames: ['queue'], registers: [registry] }),
    repairArrivals: new Counter({ name: 'cs_repair_arrivals_total', help: 'Repair crews on site, per area class, within the commitment or beyond', labelNames: ['area_class', 'within'], registers: [registry] }),
    restorations: new Counter({ name: 'cs_repair_restorations_total', help: 'Supply restorations, per area class, within the target after arrival or beyond', labelNames: ['area_class', 'within'], registers: [registry] }),
    workOrdersLate: new Counter({ name: 'cs_work_orders_completed_late_total', help: 'Work orders completed after their deadline, per type', labelNames: ['type'], registers: [registry] }),
    callbacksLate: new Counter({ name: 'cs_callbacks_late_total', help: 'Callbacks completed after their deadline', registers: [registry] }),
    outageNotices: new Counter({ name: 'cs_outage_notices_total', help: 'Outage notices, per type, on time (lead time met) or not', labelNames: ['notice_type', 'on_time'], registers: [registry] }),
  };
  return {
    ...m,
    /** Counts `n` observations with the labels of `o` (see slaMetricKey). */
    observeSla(o: SlaObservation, n = 1): void {
      switch (o.measure) {
        case 'call_answered':
          m.callsAnswered.inc({ queue: queues.of(o.queue) }, n);
          if (o.withinThreshold) m.callsAnsweredWithin.inc({ queue: queues.of(o.queue) }, n);
          return;
        case 'call_abandoned':
          return m.callsAbandoned.inc({ queue: queues.of(o.queue) }, n);
        case 'repair_arrival':
          return m.repairArrivals.inc({ area_class: o.areaClass, within: String(o.within) }, n);
        case 'restoration':
          return m.restorations.inc({ area_class: o.areaClass, within: String(o.within) }, n);
        case 'work_order_late':
          return m.workOrdersLate.inc({ type: o.type }, n);
        case 'callback_late':
          return m.callbacksLate.inc(n);
        case 'outage_notice':
          return m.outageNotices.inc({ notice_type: o.noticeType, on_time: String(o.onTime) }, n);
      }
    },
  };
}
/** Observations with the same key land on the same series in observeSla: they can be counted together. */
export function slaMetricKey(o: SlaObservation): string {
  switch (o.measure) {
    case 'call_answered':
    case 'call_abandoned':
      return `${o.measure}|${o.queue}|${o.withinThreshold}`;
    case 'repair_arrival':
    case 'restoration':
      return `${o.measure}|${o.areaClass}|${o.within}`;
    case 'work_order_late':
      return `${o.measure}|${o.type}`;
    case 'callback_late':
      return o.measure;
    case 'outage_notice':
      return `${o.measure}|${o.noticeType}|${o.onTime}`;
  }
}

export type AggregatorMetrics = ReturnType<typeof createAggregatorMetrics>;
