// The Grafana dashboards type-check against @grafana/schema (test/monitoring/dashboard-schema.ts),
// compiled by the project's TypeScript; broken copies of a real dashboard show the check fails on
// what Grafana would not read (misspelt keys, missing required options, values outside an enum).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DASHBOARDS_DIR, allPanels, dashboardFiles } from '../monitoring/config.ts';
import type { DashboardJson } from '../monitoring/dashboard-schema.ts';
import { typecheckDashboards } from '../monitoring/typecheck-dashboards.ts';

// A broken copy is by definition not a DashboardJson: it is edited untyped.
type Untyped = any;
type Breakage = (d: Untyped) => void;
const firstOf = (d: Untyped, type: string): Untyped => allPanels(d as DashboardJson).find((p) => p.type === type);

/** Each breaks one copy of operations-overview.json; the error must name what was broken. */
const BROKEN: Record<string, { why: string; expect: RegExp; breakIt: Breakage }> = {
  'misspelt-dashboard-key.json': { why: 'unknown dashboard property', expect: /'"refesh"' does not exist/, breakIt: (d) => (d.refesh = '30s') },
  'stat-without-reduce.json': {
    why: 'a stat panel without its required reduceOptions',
    expect: /reduceOptions/,
    breakIt: (d) => delete firstOf(d, 'stat').options.reduceOptions,
  },
  'tooltip-mode-outside-enum.json': {
    why: 'a tooltip mode Grafana does not have',
    expect: /"multiple"/,
    breakIt: (d) => (firstOf(d, 'timeseries').options.tooltip.mode = 'multiple'),
  },
  'unknown-panel-plugin.json': { why: 'a panel type not in the schema', expect: /"graph"/, breakIt: (d) => (firstOf(d, 'stat').type = 'graph') },
  'target-without-expr.json': {
    why: 'a Prometheus target without a query',
    expect: /expr/,
    breakIt: (d) => delete firstOf(d, 'timeseries').targets[0].expr,
  },
};

describe('Grafana dashboards conform to @grafana/schema', () => {
  const real = Object.fromEntries(dashboardFiles().map((f) => [f, readFileSync(join(DASHBOARDS_DIR, f), 'utf8')]));
  let errors: string[] = [];

  beforeAll(() => {
    const source = real['operations-overview.json']!;
    const broken = Object.fromEntries(
      Object.entries(BROKEN).map(([name, b]) => {
        const d: Untyped = JSON.parse(source);
        b.breakIt(d);
        return [name, JSON.stringify(d, null, 2)];
      }),
    );
    // One compiler run for the real files and the broken copies.
    errors = typecheckDashboards({ ...real, ...broken });
  }, 120_000);

  it('finds the dashboards', () => {
    expect(Object.keys(real)).toEqual(['operations-overview.json', 'pipeline-health.json']);
  });

  it.each(dashboardFiles())('%s type-checks', (file) => {
    expect(errors.filter((e) => e.startsWith(`${file}:`))).toEqual([]);
  });

  it.each(Object.entries(BROKEN).map(([name, b]) => [b.why, name, b.expect] as const))('fails on a broken copy: %s', (_why, name, pattern) => {
    const mine = errors.filter((e) => e.startsWith(`${name}:`));
    expect(mine.length, errors.join('\n')).toBeGreaterThan(0);
    expect(mine.join('\n')).toMatch(pattern);
  });
});
