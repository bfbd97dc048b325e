// Prometheus rules: promtool's own checks and unit tests (deploy/prometheus/tests/*.test.yml), plus
// the conventions every alert must follow (severity, for:, annotations, runbook anchor, thresholds
// taken from cs:target:* / cs:threshold:* rather than literals).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { PROM_DIR, ROOT, allRules, annotationQueries, dashboardQueries, loadRuleTests, ruleFilePaths, ruleTestPaths } from '../monitoring/config.ts';
import { metricNames, numericLiterals } from '../monitoring/promql.ts';

const INSTALL_HINT =
  'promtool is not on PATH. Install the Debian package `prometheus` (apt-get install -y prometheus), which provides /usr/bin/promtool.';

function promtool(...args: string[]): { status: number; output: string } {
  const r = spawnSync('promtool', args, { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  if (r.error) {
    if ((r.error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(INSTALL_HINT);
    throw r.error;
  }
  return { status: r.status ?? -1, output: `${r.stdout}${r.stderr}` };
}
const rel = (p: string) => relative(ROOT, p);

describe('promtool', () => {
  it('is installed', () => {
    expect(promtool('--version').status, INSTALL_HINT).toBe(0);
  });

  it('accepts prometheus.yml and every rule file it loads', () => {
    const config = promtool('check', 'config', rel(join(PROM_DIR, 'prometheus.yml')));
    expect(config.status, config.output).toBe(0);
    const rules = promtool('check', 'rules', ...ruleFilePaths().map(rel));
    expect(rules.status, rules.output).toBe(0);
  });

  it('loads every rule file in deploy/prometheus/rules', () => {
    const config = parse(readFileSync(join(PROM_DIR, 'prometheus.yml'), 'utf8')) as { rule_files: string[] };
    expect(config.rule_files.map((f) => join(PROM_DIR, f)).sort()).toEqual(ruleFilePaths());
  });

  it('passes the rule unit tests (every alert fires and stays quiet where it should)', { timeout: 120_000 }, () => {
    const tests = ruleTestPaths();
    expect(tests.length).toBeGreaterThan(0);
    const r = promtool('test', 'rules', ...tests.map(rel));
    expect(r.status, r.output).toBe(0);
  });
});

describe('dashboard queries', () => {
  it('parse as PromQL (promtool check rules on a throwaway rule file)', () => {
    const queries = dashboardQueries();
    const dir = mkdtempSync(join(tmpdir(), 'cs-dash-'));
    try {
      const file = join(dir, 'dashboards.rules.yml');
      const rules = queries.map((q, i) => ({ record: `dashboard_query_${i}`, expr: q.expr }));
      writeFileSync(file, stringify({ groups: [{ name: 'dashboards', rules }] }));
      const r = promtool('check', 'rules', file);
      expect(r.status, `${r.output}\n${queries.map((q, i) => `dashboard_query_${i}: ${q.dashboard} ${q.where}`).join('\n')}`).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('alert conventions', () => {
  const rules = allRules();
  const alerts = rules.filter((r) => r.alert);
  const readme = readFileSync(join(ROOT, 'deploy/README.md'), 'utf8');
  // GitHub-style heading anchors.
  const anchors = new Set(
    [...readme.matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) =>
      m[1]!.trim().toLowerCase().replace(/[^\w\- ]/g, '').replace(/ /g, '-'),
    ),
  );

  it('there are alerts', () => {
    expect(alerts.length).toBeGreaterThan(10);
  });

  it.each(alerts.map((a) => [a.alert!, a] as const))('%s: severity, for:, summary, description, runbook section', (name, a) => {
    expect(['critical', 'warning']).toContain(a.labels?.severity);
    expect(a.for, `${name} needs an explicit for: (0m when firing at once is deliberate)`).toMatch(/^\d+[smh]$/);
    expect(a.annotations?.summary).toBeTruthy();
    expect(a.annotations?.description).toBeTruthy();
    expect(a.annotations?.runbook_url).toBe(`deploy/README.md#${name.toLowerCase()}`);
    expect(anchors.has(name.toLowerCase()), `deploy/README.md has no "### ${name}" section`).toBe(true);
  });

  it.each(alerts.map((a) => [a.alert!, a] as const))('%s: thresholds come from cs:target:* / cs:threshold:*', (_name, a) => {
    const literals = numericLiterals(a.expr).filter((n) => n !== 0 && n !== 1);
    expect(literals, 'put the number in deploy/prometheus/rules/targets.rules.yml').toEqual([]);
  });

  it('every target and threshold is used by an alert or a dashboard', () => {
    const params = new Set(rules.filter((r) => r.record && /^cs:(target|threshold):/.test(r.record)).map((r) => r.record!));
    const used = new Set<string>();
    for (const a of alerts) {
      for (const n of metricNames(a.expr)) used.add(n);
      for (const text of Object.values(a.annotations ?? {})) for (const q of annotationQueries(text)) for (const n of metricNames(q)) used.add(n);
    }
    for (const q of dashboardQueries()) for (const n of metricNames(q.expr)) used.add(n);
    expect([...params].filter((p) => !used.has(p))).toEqual([]);
  });

  it('every alert has a promtool test where it fires and one where it must not', () => {
    const fires = new Set<string>();
    const quiet = new Set<string>();
    for (const doc of loadRuleTests()) {
      for (const t of doc.tests) {
        for (const a of t.alert_rule_test ?? []) (a.exp_alerts?.length ? fires : quiet).add(a.alertname);
      }
    }
    for (const a of alerts) {
      expect(fires.has(a.alert!), `${a.alert}: no test where it fires`).toBe(true);
      expect(quiet.has(a.alert!), `${a.alert}: no test where it stays quiet`).toBe(true);
    }
  });
});
