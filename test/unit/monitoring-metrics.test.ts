// All PromQL of the monitoring (rules, alert annotations, dashboard panels and variables, promtool
// tests' expressions, input series and expected samples) parses with Prometheus's grammar, and every
// metric it names is one a service exports (asked of the services' own registries), a recording
// rule, or a series Prometheus writes itself.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  PROMETHEUS_SERIES,
  allRules,
  annotationQueries,
  dashboardQueries,
  exportedMetrics,
  loadRuleTests,
  seriesNames,
  type ExportedMetric,
} from '../monitoring/config.ts';
import { grafanaQuery } from '../monitoring/grafana-query.ts';
import { PromQLSyntaxError, metricNames, numericLiterals, parsePromQL } from '../monitoring/promql.ts';

describe('promql reader (lezer-promql syntax tree)', () => {
  it('lists selected metrics, not functions, labels, keywords or durations', () => {
    expect(
      metricNames(
        'sum by (queue) (rate(cs_calls_answered_total{queue=~".*", x="a{b} rate(y)"}[5m] offset 5m)) / on(queue) group_left(team) cs:queue:x:rate15m > bool 0.8 and up unless {__name__="ALERTS"}',
      ).sort(),
    ).toEqual(['ALERTS', 'cs:queue:x:rate15m', 'cs_calls_answered_total', 'up']);
    expect(metricNames('histogram_quantile(0.95, sum without (instance) (rate(h_bucket[5m:1m])))')).toEqual(['h_bucket']);
    expect(metricNames('time() - max(g) > vector(1e3)')).toEqual(['g']);
    // A metric called like a keyword or a function is still a metric where it stands as a selector.
    expect(metricNames('sum(rate(on_total[1m])) + by_total')).toEqual(['on_total', 'by_total']);
  });

  it('reads label matchers, functions, ranges and numbers', () => {
    const p = parsePromQL(`max_over_time(sum by (q) (increase(x_total{a!="1", b=~'b.*', c!~\`c\\d\`}[15m] offset 1h))[1h:5m]) > 0.8`);
    expect(p.selectors).toEqual([
      {
        metric: 'x_total',
        matchers: [
          { label: 'a', op: '!=', value: '1' },
          { label: 'b', op: '=~', value: 'b.*' },
          { label: 'c', op: '!~', value: 'c\\d' },
        ],
      },
    ]);
    expect(p.functions).toEqual(['max_over_time', 'sum', 'increase']);
    expect(p.ranges).toEqual(['15m', '1h', '1h', '5m']);
    expect(p.numbers).toEqual([0.8]);
    expect(p.errors).toEqual([]);
    expect(parsePromQL('{__name__=~"cs_.+", job="a"}').selectors).toEqual([
      { metric: undefined, matchers: [{ label: '__name__', op: '=~', value: 'cs_.+' }, { label: 'job', op: '=', value: 'a' }] },
    ]);
    expect(parsePromQL('{"cs.dotted", job="a"} + x{"a.b"="v"}').selectors).toEqual([
      { metric: 'cs.dotted', matchers: [{ label: 'job', op: '=', value: 'a' }] },
      { metric: 'x', matchers: [{ label: 'a.b', op: '=', value: 'v' }] },
    ]);
  });

  it('finds numeric literals outside ranges and matchers', () => {
    expect(numericLiterals('rate(x{a="0.5"}[15m]) > 0.8 and y == 0 or z > 1e3')).toEqual([0.8, 0, 1e3]);
  });

  it('reports syntax errors and refuses to list names of an invalid query', () => {
    expect(parsePromQL('rate(x[5m]').errors.length).toBeGreaterThan(0);
    expect(parsePromQL('x{a="1"').errors.length).toBeGreaterThan(0);
    expect(parsePromQL('sum(x) by').errors.length).toBeGreaterThan(0);
    expect(() => metricNames('rate(x[$__rate_interval])')).toThrow(PromQLSyntaxError);
  });

  it('turns a Grafana query into the PromQL Grafana sends', () => {
    expect(grafanaQuery('sum(rate(x{queue=~"$queue", k="${period_kind}"}[$__rate_interval]))')).toEqual({ expr: 'sum(rate(x{queue=~".*", k="MONTH"}[1m]))' });
    expect(grafanaQuery(' label_values(cs_calls_answered_total{job="aggregator"}, queue) ')).toEqual({
      expr: 'cs_calls_answered_total{job="aggregator"}',
      labelValuesOf: 'queue',
    });
    expect(grafanaQuery('label_values(team)')).toEqual({ expr: '{__name__=~".+"}', labelValuesOf: 'team' });
  });
});

/** Every PromQL expression of the monitoring, with where it is written. */
function everyQuery(): { where: string; expr: string }[] {
  const out: { where: string; expr: string }[] = [];
  for (const r of allRules()) {
    out.push({ where: `rule ${r.record ?? r.alert} (${r.group})`, expr: r.expr });
    for (const [k, text] of Object.entries(r.annotations ?? {})) for (const q of annotationQueries(text)) out.push({ where: `${r.alert} annotation ${k}`, expr: q });
  }
  for (const q of dashboardQueries()) out.push({ where: `${q.dashboard} ${q.where}`, expr: q.expr });
  for (const f of loadRuleTests()) {
    const file = f.file.replace(/^.*\//, '');
    f.tests.forEach((t, i) => {
      for (const s of t.input_series ?? []) out.push({ where: `${file} test ${i} input series`, expr: s.series });
      for (const e of t.promql_expr_test ?? []) {
        out.push({ where: `${file} test ${i} promql_expr_test`, expr: e.expr });
        for (const s of e.exp_samples ?? []) out.push({ where: `${file} test ${i} exp_samples`, expr: s.labels });
      }
    });
  }
  return out;
}

describe('monitoring PromQL', () => {
  const queries = everyQuery();

  it('is found in rules, annotations, dashboards and promtool tests', () => {
    const count = (prefix: RegExp) => queries.filter((q) => prefix.test(q.where)).length;
    expect(count(/^rule /)).toBeGreaterThan(30);
    expect(count(/ annotation /)).toBeGreaterThan(5);
    expect(count(/\.json /)).toBeGreaterThan(20);
    expect(count(/input series$/)).toBeGreaterThan(50);
    expect(count(/promql_expr_test$/)).toBeGreaterThan(3);
  });

  it('parses with the Prometheus grammar', () => {
    expect(queries.flatMap((q) => parsePromQL(q.expr).errors.map((e) => `${q.where}: ${q.expr}: ${e}`))).toEqual([]);
  });
});

describe('metrics named by rules, dashboards and promtool tests exist', () => {
  let exported: ExportedMetric[] = [];
  let known = new Set<string>();
  const rules = allRules();
  const recorded = new Set(rules.filter((r) => r.record).map((r) => r.record!));

  beforeAll(async () => {
    exported = await exportedMetrics();
    known = new Set([...seriesNames(exported), ...recorded, ...PROMETHEUS_SERIES]);
  });

  it('reads the services’ metric registries', () => {
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

  it('every query names only exported or recorded metrics', () => {
    const unknown = everyQuery().flatMap((q) =>
      parsePromQL(q.expr)
        .metrics.filter((n) => !known.has(n))
        .map((n) => `${q.where}: ${n}`),
    );
    expect(unknown).toEqual([]);
  });

  it('every selector names its metric (no bare {…} matching whatever exists)', () => {
    const bare = everyQuery().flatMap((q) => (parsePromQL(q.expr).selectors.some((s) => s.metric === undefined) ? [`${q.where}: ${q.expr}`] : []));
    expect(bare).toEqual([]);
  });

  it('promtool tests feed only series the services export (not recorded ones)', () => {
    const raw = new Set([...seriesNames(exported), ...PROMETHEUS_SERIES]);
    const fed = loadRuleTests().flatMap((f) => f.tests.flatMap((t) => (t.input_series ?? []).flatMap((s) => metricNames(s.series))));
    expect(fed.filter((n) => !raw.has(n))).toEqual([]);
  });
});
