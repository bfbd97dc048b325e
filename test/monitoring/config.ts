// Shared readers for the monitoring checks (test/unit/monitoring-*.test.ts): the Prometheus rule
// files, the Grafana dashboards, and the metric names the services really export.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { parse } from 'yaml';

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

export const allRules = (): (Rule & { file: string; group: string })[] =>
  loadRuleFiles().flatMap((f) => f.groups.flatMap((g) => g.rules.map((r) => ({ ...r, file: f.file, group: g.name }))));

/** Every PromQL query of a dashboard: panel targets (rows' nested panels too) and query variables. */
export function dashboardQueries(): { dashboard: string; where: string; expr: string }[] {
  const out: { dashboard: string; where: string; expr: string }[] = [];
  for (const file of readdirSync(DASHBOARDS_DIR).filter((f) => f.endsWith('.json'))) {
    const d = JSON.parse(readFileSync(join(DASHBOARDS_DIR, file), 'utf8')) as Dashboard;
    const walk = (panels: Panel[] | undefined) => {
      for (const p of panels ?? []) {
        for (const t of p.targets ?? []) if (t.expr) out.push({ dashboard: file, where: `panel "${p.title}" ${t.refId ?? ''}`, expr: t.expr });
        walk(p.panels);
      }
    };
    walk(d.panels);
    for (const v of d.templating?.list ?? []) {
      if (v.type !== 'query') continue;
      const q = typeof v.query === 'string' ? v.query : v.query?.query;
      if (q) out.push({ dashboard: file, where: `variable $${v.name}`, expr: q });
    }
  }
  return out;
}
export interface Panel {
  id?: number;
  type: string;
  title: string;
  datasource?: { type: string; uid: string };
  targets?: { expr?: string; refId?: string; datasource?: { type: string; uid: string } }[];
  panels?: Panel[];
}
export interface Dashboard {
  uid: string;
  title: string;
  panels?: Panel[];
  templating?: { list: { name: string; type: string; query?: string | { query?: string } }[] };
}

export interface ExportedMetric {
  name: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary';
  source: string;
}

/**
 * Metrics a service exports, read from its metrics.ts: every `new Counter|Gauge|Histogram|Summary({
 * name: '...'` and, for `collectDefaultMetrics({ prefix })`, prom-client's own default metrics under
 * that prefix (asked of prom-client itself, so the list is the real one).
 */
export async function exportedMetrics(): Promise<ExportedMetric[]> {
  const out: ExportedMetric[] = [];
  for (const rel of METRICS_SOURCES) {
    const src = readFileSync(join(ROOT, rel), 'utf8');
    for (const m of src.matchAll(/new\s+(Counter|Gauge|Histogram|Summary)\s*(?:<[^>]*>)?\s*\(\s*\{\s*name:\s*['"]([a-zA-Z_:][a-zA-Z0-9_:]*)['"]/g)) {
      out.push({ name: m[2]!, type: m[1]!.toLowerCase() as ExportedMetric['type'], source: rel });
    }
    for (const m of src.matchAll(/collectDefaultMetrics\(\s*\{[^}]*prefix:\s*['"]([a-zA-Z_:][a-zA-Z0-9_:]*)['"]/g)) {
      const registry = new Registry();
      collectDefaultMetrics({ register: registry, prefix: m[1]! });
      for (const d of await registry.getMetricsAsJSON()) out.push({ name: d.name, type: String(d.type) as ExportedMetric['type'], source: `${rel} (default metrics)` });
    }
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
