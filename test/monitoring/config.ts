// Shared readers for the monitoring checks (test/unit/monitoring-*.test.ts): the Prometheus rule
// files, the Grafana dashboards, and the metric names the services really export.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAggregatorMetrics } from '@cs/aggregator/metrics';
import { createScorerMetrics } from '@cs/scorer/metrics';
import { parse } from 'yaml';
import type { DashboardJson, PanelJson, RowJson } from './dashboard-schema.ts';
import { grafanaQuery, type GrafanaQuery } from './grafana-query.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const PROM_DIR = join(ROOT, 'deploy/prometheus');
export const RULES_DIR = join(PROM_DIR, 'rules');
export const RULE_TESTS_DIR = join(PROM_DIR, 'tests');
export const DASHBOARDS_DIR = join(ROOT, 'deploy/grafana/dashboards');
export const METRICS_SOURCES = ['services/aggregator/src/metrics.ts', 'services/scorer/src/metrics.ts'];

export interface Rule {
  record?: string;
  alert?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
export interface RuleFile {
  file: string;
  groups: { name: string; rules: Rule[] }[];
}

const yamlFiles = (dir: string, suffix: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith(suffix))
    .sort()
    .map((f) => join(dir, f));

export const ruleFilePaths = (): string[] => yamlFiles(RULES_DIR, '.rules.yml');
export const ruleTestPaths = (): string[] => yamlFiles(RULE_TESTS_DIR, '.test.yml');

export function loadRuleFiles(): RuleFile[] {
  return ruleFilePaths().map((file) => ({ file, ...(parse(readFileSync(file, 'utf8')) as Omit<RuleFile, 'file'>) }));
}

/** A promtool rule test file (deploy/prometheus/tests/*.test.yml), as far as the checks read it. */
export interface RuleTestFile {
  file: string;
  tests: {
    input_series?: { series: string; values: string }[];
    promql_expr_test?: { expr: string; eval_time: string; exp_samples?: { labels: string; value: number }[] }[];
    alert_rule_test?: { eval_time: string; alertname: string; exp_alerts?: unknown[] }[];
  }[];
}

export function loadRuleTests(): RuleTestFile[] {
  return ruleTestPaths().map((file) => ({ file, ...(parse(readFileSync(file, 'utf8')) as Omit<RuleTestFile, 'file'>) }));
}

/**
 * The PromQL inside an alert annotation's Go template: `query "…"` and `printf "…" … | query`
 * (printf's verbs filled with a placeholder value, as the template would at evaluation).
 */
export function annotationQueries(text: string): string[] {
  const out: string[] = [];
  for (const action of text.matchAll(/\{\{(.*?)\}\}/gs)) {
    if (!/\bquery\b/.test(action[1]!)) continue;
    for (const lit of action[1]!.matchAll(/"((?:[^"\\]|\\.)*)"/g)) out.push((JSON.parse(`"${lit[1]!}"`) as string).replace(/%q/g, '"x"').replace(/%[sv]/g, 'x').replace(/%d/g, '1'));
  }
  return out;
}

export const allRules = (): (Rule & { file: string; group: string })[] =>
  loadRuleFiles().flatMap((f) => f.groups.flatMap((g) => g.rules.map((r) => ({ ...r, file: f.file, group: g.name }))));

export const dashboardFiles = (): string[] =>
  readdirSync(DASHBOARDS_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort();

/**
 * The dashboards, typed by @grafana/schema (dashboard-schema.ts). The cast is what
 * test/unit/dashboard-schema.test.ts proves: every file there compiles against DashboardJson.
 */
export const loadDashboards = (): { file: string; dashboard: DashboardJson }[] =>
  dashboardFiles().map((file) => ({ file, dashboard: JSON.parse(readFileSync(join(DASHBOARDS_DIR, file), 'utf8')) as DashboardJson }));

/** Every panel of a dashboard, rows and the panels of collapsed rows included. */
export const allPanels = (d: DashboardJson): (PanelJson | RowJson)[] => d.panels.flatMap((p) => [p, ...(p.type === 'row' ? p.panels : [])]);

export interface DashboardQuery extends GrafanaQuery {
  dashboard: string;
  where: string;
  /** As written in the dashboard (Grafana variables, label_values(…)); `expr` is what Prometheus gets. */
  query: string;
}

/** Every query of a dashboard: panel targets (rows' nested panels too) and query variables. */
export function dashboardQueries(): DashboardQuery[] {
  const out: DashboardQuery[] = [];
  const add = (dashboard: string, where: string, query: string) => out.push({ dashboard, where, query, ...grafanaQuery(query) });
  for (const { file, dashboard } of loadDashboards()) {
    for (const p of allPanels(dashboard)) {
      if (p.type === 'row') continue;
      for (const t of p.targets ?? []) add(file, `panel "${p.title}" ${t.refId}`, t.expr);
    }
    for (const v of dashboard.templating?.list ?? []) {
      if (v.type !== 'query') continue;
      const q = typeof v.query === 'string' ? v.query : (v.query as { query?: unknown } | undefined)?.query;
      if (typeof q === 'string' && q) add(file, `variable $${v.name}`, q);
    }
  }
  return out;
}

export interface ExportedMetric {
  name: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary';
  source: string;
}

/**
 * Metrics the services export, asked of their own registries (createAggregatorMetrics /
 * createScorerMetrics build exactly what /metrics serves, prom-client's default metrics included).
 */
export async function exportedMetrics(): Promise<ExportedMetric[]> {
  const registries = [
    { source: METRICS_SOURCES[0]!, registry: createAggregatorMetrics().registry },
    { source: METRICS_SOURCES[1]!, registry: createScorerMetrics().registry },
  ];
  const out: ExportedMetric[] = [];
  for (const { source, registry } of registries) {
    for (const d of await registry.getMetricsAsJSON()) out.push({ name: d.name, type: String(d.type) as ExportedMetric['type'], source });
  }
  return out;
}

/** Series names a query may select: histograms and summaries expose _bucket/_sum/_count. */
export function seriesNames(metrics: readonly ExportedMetric[]): Set<string> {
  const names = new Set<string>();
  for (const m of metrics) {
    names.add(m.name);
    if (m.type === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(m.name + s);
    if (m.type === 'summary') for (const s of ['_sum', '_count']) names.add(m.name + s);
  }
  return names;
}

/** Series Prometheus itself writes (scrape health and alert state). */
export const PROMETHEUS_SERIES = new Set(['up', 'ALERTS', 'ALERTS_FOR_STATE']);
