// Wiring: the compose mounts, Grafana provisioning and dashboards agree with each other.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT, allPanels, loadDashboards } from '../monitoring/config.ts';

const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, { volumes?: string[] }>;
};
const mounts = (svc: string) =>
  (compose.services[svc]?.volumes ?? []).map((v) => {
    const [host, container] = v.split(':');
    return { host: host!.replace(/^\.\//, ''), container: container! };
  });
const provisioning = (kind: string) =>
  readdirSync(join(ROOT, 'deploy/grafana/provisioning', kind))
    .filter((f) => f.endsWith('.yml'))
    .map((f) => parse(readFileSync(join(ROOT, 'deploy/grafana/provisioning', kind, f), 'utf8')));
const dashboards = loadDashboards().map(({ file, dashboard }) => ({ file, d: dashboard }));

describe('monitoring deployment wiring', () => {
  it('Prometheus gets deploy/prometheus at /etc/prometheus', () => {
    expect(mounts('prometheus')).toContainEqual({ host: 'deploy/prometheus', container: '/etc/prometheus' });
    expect(existsSync(join(ROOT, 'deploy/prometheus/prometheus.yml'))).toBe(true);
  });

  it('Prometheus scrapes both services on their metrics port', () => {
    const cfg = parse(readFileSync(join(ROOT, 'deploy/prometheus/prometheus.yml'), 'utf8')) as {
      scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
    };
    const env = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
      services: Record<string, { environment?: Record<string, string> }>;
    };
    for (const svc of ['aggregator', 'scorer']) {
      const job = cfg.scrape_configs.find((j) => j.job_name === svc);
      expect(job?.static_configs.flatMap((s) => s.targets)).toEqual([`${svc}:${env.services[svc]?.environment?.METRICS_PORT}`]);
    }
  });

  it('Grafana provisions the dashboards from where compose mounts them', () => {
    const providers = provisioning('dashboards').flatMap((p: { providers: { options: { path: string } }[] }) => p.providers);
    expect(providers.length).toBeGreaterThan(0);
    for (const p of providers) {
      const m = mounts('grafana').find((x) => x.container === p.options.path);
      expect(m?.host, `nothing mounted at ${p.options.path}`).toBe('deploy/grafana/dashboards');
    }
    expect(mounts('grafana')).toContainEqual({ host: 'deploy/grafana/provisioning', container: '/etc/grafana/provisioning' });
  });

  it('dashboards use the provisioned Prometheus data source and unique ids', () => {
    const uids = new Set(provisioning('datasources').flatMap((p: { datasources: { uid: string }[] }) => p.datasources.map((d) => d.uid)));
    expect(dashboards.map((x) => x.file).sort()).toEqual(['operations-overview.json', 'pipeline-health.json']);
    expect(new Set(dashboards.map((x) => x.d.uid)).size).toBe(dashboards.length);
    for (const { file, d } of dashboards) {
      const panels = allPanels(d);
      expect(new Set(panels.map((p) => p.id)).size, `${file}: duplicate panel ids`).toBe(panels.length);
      for (const p of panels) {
        for (const ds of [p.datasource, ...(p.type === 'row' ? [] : (p.targets ?? []).map((t) => t.datasource))]) {
          if (ds) expect(uids.has(ds.uid ?? ''), `${file} "${p.title}": data source ${ds.uid}`).toBe(true);
        }
      }
    }
  });
});
