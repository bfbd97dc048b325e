// Every metric a rule or a dashboard query names must be one a service exports (read from
// services/*/src/metrics.ts), a recording rule, or a series Prometheus writes itself.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  METRICS_SOURCES,
  PROMETHEUS_SERIES,
  ROOT,
  allRules,
  dashboardQueries,
  exportedMetrics,
  seriesNames,
  type ExportedMetric,
} from '../monitoring/config.ts';
import { metricNames, numericLiterals } from '../monitoring/promql.ts';

describe('promql reader', () => {
  it('lists selected metrics, not functions, labels, keywords or durations', () => {
    expect(
      metricNames(
        'sum by (queue) (rate(cs_calls_answered_total{queue=~"$queue", x="a{b}"}[$__rate_interval] offset 5m)) / on(queue) group_left(team) cs:queue:x:rate15m > bool 0.8 and up unless {__name__="ALERTS"}',
      ).sort(),
    ).toEqual(['ALERTS', 'cs:queue:x:rate15m', 'cs_calls_answered_total', 'up']);
    expect(metricNames('histogram_quantile(0.95, sum without (instance) (rate(h_bucket[5m:1m])))')).toEqual(['h_bucket']);
    expect(metricNames('label_values(cs_calls_answered_total, queue)')).toEqual(['cs_calls_answered_total']);
    expect(metricNames('time() - max(g) > vector(1e3)')).toEqual(['g']);
  });

  it('finds numeric literals outside ranges and matchers', () => {
    expect(numericLiterals('rate(x{a="0.5"}[15m]) > 0.8 and y == 0 or z > 1e3')).toEqual([0.8, 0, 1e3]);
  });
});

describe('metrics named by rules and dashboards exist', () => {
  let exported: ExportedMetric[] = [];
  let known = new Set<string>();
  const rules = allRules();
  const recorded = new Set(rules.filter((r) => r.record).map((r) => r.record!));

  beforeAll(async () => {
    exported = await exportedMetrics();
    known = new Set([...seriesNames(exported), ...recorded, ...PROMETHEUS_SERIES]);
  });

  it('reads the services’ metric definitions', () => {
    for (const rel of METRICS_SOURCES) expect(existsSync(join(ROOT, rel)), rel).toBe(true);
    const names = new Set(exported.map((m) => m.name));
    // One of each kind from each service, and default metrics under each prefix.
    for (const n of [
      'cs_calls_answered_total',
      'cs_aggregator_consumer_lag_messages',
      'cs_aggregator_batch_duration_seconds',
      'cs_scorer_tick_duration_seconds',
      'cs_scorer_grade_count',
      'cs_aggregator_process_resident_memory_bytes',
      'cs_scorer_nodejs_eventloop_lag_p99_seconds',
    ]) {
      expect(names.has(n), n).toBe(true);
    }
    expect(seriesNames(exported).has('cs_aggregator_batch_duration_seconds_bucket')).toBe(true);
    expect(seriesNames(exported).has('cs_calls_answered_total_bucket')).toBe(false);
  });

  it('recording rules are named level:metric:operation', () => {
    for (const r of recorded) expect(r).toMatch(/^cs(:[a-z0-9_]+){2,3}$/);
  });

  it('rule expressions name only exported or recorded metrics', () => {
    const unknown = rules.flatMap((r) =>
      metricNames(r.expr)
        .filter((n) => !known.has(n))
        .map((n) => `${r.record ?? r.alert} (${r.group}): ${n}`),
    );
    expect(unknown).toEqual([]);
  });

  it('alert annotations query only recorded series', () => {
    const unknown = rules.flatMap((r) =>
      Object.values(r.annotations ?? {}).flatMap((text) =>
        [...text.matchAll(/cs:[a-z0-9_:]+/g)].map((m) => m[0]).filter((n) => !recorded.has(n)).map((n) => `${r.alert}: ${n}`),
      ),
    );
    expect(unknown).toEqual([]);
  });

  it('dashboard queries name only exported or recorded metrics', () => {
    const queries = dashboardQueries();
    expect(queries.length).toBeGreaterThan(20);
    const unknown = queries.flatMap((q) =>
      metricNames(q.expr)
        .filter((n) => !known.has(n))
        .map((n) => `${q.dashboard} ${q.where}: ${n}`),
    );
    expect(unknown).toEqual([]);
  });
});
