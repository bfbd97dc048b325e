// A real Prometheus (the Debian package's /usr/bin/prometheus) as a child process of a test: a
// generated configuration derived from deploy/prometheus/prometheus.yml (same jobs and rule files,
// targets on 127.0.0.1, 1 s scrape and evaluation), its own temp TSDB, a free port, and a small
// client for the HTTP API (/api/v1/query, /api/v1/query_range, /api/v1/rules, /api/v1/alerts).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { CsError } from '@cs/contracts';
import { freePort } from '@cs/stack';
import { parse, stringify } from 'yaml';
import { PROM_DIR, ruleFilePaths, type RuleFile } from './config.ts';

export const PROMETHEUS_INSTALL_HINT =
  'the `prometheus` binary is not on PATH. Install the Debian package `prometheus` ' +
  '(apt-get install -y --no-install-recommends prometheus), which provides /usr/bin/prometheus and /usr/bin/promtool.';

/** Throws (naming the Debian package) when the prometheus binary is missing; returns its version line. */
export function requirePrometheus(): string {
  const r = spawnSync('prometheus', ['--version'], { encoding: 'utf8', timeout: 30_000 });
  if (r.error) {
    if ((r.error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(PROMETHEUS_INSTALL_HINT);
    throw r.error;
  }
  if (r.status !== 0) throw new Error(`prometheus --version failed (${r.status}): ${r.stderr}\n${PROMETHEUS_INSTALL_HINT}`);
  return `${r.stdout}${r.stderr}`.split('\n')[0]!.trim();
}

/**
 * The rule files of deploy/prometheus/rules, with every alert's non-zero `for:` replaced by
 * `forOverride` (a test cannot wait 10-15 min for a breach to fire). Recording rules, expressions,
 * labels and annotations are unchanged; `for: 0m` stays 0m.
 */
export function rulesWithFor(forOverride: string | undefined): { file: string; text: string }[] {
  return ruleFilePaths().map((path) => {
    const text = readFileSync(path, 'utf8');
    if (forOverride === undefined) return { file: basename(path), text };
    const doc = parse(text) as Omit<RuleFile, 'file'>;
    for (const g of doc.groups) {
      for (const r of g.rules) if (r.alert && r.for !== undefined && !/^0+[smhdwy]?$/.test(r.for)) r.for = forOverride;
    }
    return { file: basename(path), text: stringify(doc, { lineWidth: 0 }) };
  });
}

export interface PromOptions {
  /** job name (as in deploy/prometheus/prometheus.yml) -> the 127.0.0.1 port to scrape */
  targets: Record<string, number>;
  /** scrape and evaluation interval (default 1s) */
  interval?: string;
  /** replaces the alerts' non-zero `for:` (see rulesWithFor) */
  forOverride?: string;
}

export interface VectorSample {
  metric: Record<string, string>;
  value: [number, string];
}
export interface MatrixSample {
  metric: Record<string, string>;
  values: [number, string][];
}
export interface ApiRule {
  type: 'recording' | 'alerting';
  name: string;
  query: string;
  health: 'ok' | 'err' | 'unknown';
  lastError?: string;
  labels?: Record<string, string>;
  state?: 'inactive' | 'pending' | 'firing';
  duration?: number;
  alerts?: ApiAlert[];
  lastEvaluation?: string;
}
export interface ApiAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: 'pending' | 'firing';
  activeAt: string;
  value: string;
}

export class PrometheusError extends CsError {
  constructor(
    message: string,
    readonly errorType?: string,
  ) {
    super('CS_TEST_PROMETHEUS_QUERY', message, { retriable: false });
  }
}

export class Prometheus {
  private child: ChildProcess | undefined;
  private log = '';
  private exited = false;
  private readonly dir: string;
  readonly port: Promise<number>;
  private readonly killOnExit = () => this.child?.kill('SIGKILL');

  constructor(private readonly opts: PromOptions) {
    this.dir = mkdtempSync(join(tmpdir(), 'cs-prom-'));
    this.port = freePort();
  }

  get url(): Promise<string> {
    return this.port.then((p) => `http://127.0.0.1:${p}`);
  }

  /** Output of the process so far (for failure messages). */
  output(): string {
    return this.log.slice(-4000);
  }

  /** Writes the configuration and rule files; returns the configuration path. */
  async writeConfig(): Promise<string> {
    const port = await this.port;
    const interval = this.opts.interval ?? '1s';
    const base = parse(readFileSync(join(PROM_DIR, 'prometheus.yml'), 'utf8')) as {
      global?: Record<string, unknown>;
      scrape_configs: { job_name: string; static_configs: { targets: string[] }[]; [k: string]: unknown }[];
    };
    const targets: Record<string, number> = { prometheus: port, ...this.opts.targets };
    for (const job of Object.keys(this.opts.targets)) {
      if (!base.scrape_configs.some((s) => s.job_name === job)) throw new Error(`deploy/prometheus/prometheus.yml has no scrape job ${job}`);
    }
    const rules = rulesWithFor(this.opts.forOverride);
    for (const r of rules) writeFileSync(join(this.dir, r.file), r.text);
    const config = {
      global: { ...base.global, scrape_interval: interval, scrape_timeout: interval, evaluation_interval: interval },
      rule_files: rules.map((r) => join(this.dir, r.file)),
      scrape_configs: base.scrape_configs
        .filter((s) => targets[s.job_name] !== undefined)
        .map((s) => ({ ...s, static_configs: [{ targets: [`127.0.0.1:${targets[s.job_name]}`] }] })),
    };
    const path = join(this.dir, 'prometheus.yml');
    writeFileSync(path, stringify(config));
    return path;
  }

  async start(timeoutMs = 30_000): Promise<void> {
    requirePrometheus();
    const config = await this.writeConfig();
    const port = await this.port;
    const child = spawn(
      'prometheus',
      [
        `--config.file=${config}`,
        `--storage.tsdb.path=${join(this.dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child = child;
    process.once('exit', this.killOnExit);
    const keep = (d: Buffer) => {
      this.log = (this.log + d.toString()).slice(-64_000);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    child.on('exit', (code, sig) => {
      this.exited = true;
      this.log += `\n[prometheus exited: ${code ?? sig}]`;
    });
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.exited) throw new Error(`prometheus exited at start:\n${this.output()}`);
      const ok = await fetch(`http://127.0.0.1:${port}/-/ready`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return;
      if (Date.now() > deadline) throw new Error(`prometheus not ready after ${timeoutMs} ms:\n${this.output()}`);
      await sleep(200);
    }
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child && !this.exited) {
      const gone = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await gone;
      clearTimeout(timer);
    }
    process.removeListener('exit', this.killOnExit);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async api<T>(path: string, params: Record<string, string | string[]> = {}): Promise<T> {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) for (const x of Array.isArray(v) ? v : [v]) qs.append(k, x);
    const res = await fetch(`${await this.url}${path}${qs.size > 0 ? `?${qs}` : ''}`);
    const body = (await res.json()) as { status: string; data: T; errorType?: string; error?: string };
    if (body.status !== 'success') throw new PrometheusError(`${path}: ${body.errorType}: ${body.error}`, body.errorType);
    return body.data;
  }

  /** Instant query (now). */
  async query(expr: string): Promise<VectorSample[]> {
    const d = await this.api<{ resultType: string; result: unknown }>('/api/v1/query', { query: expr });
    if (d.resultType === 'scalar' || d.resultType === 'string') {
      const [t, v] = d.result as [number, string];
      return [{ metric: {}, value: [t, v] }];
    }
    return d.result as VectorSample[];
  }

  /** Range query, as Grafana's time-series panels send it. */
  async queryRange(expr: string, startSec: number, endSec: number, step: string): Promise<MatrixSample[]> {
    const d = await this.api<{ result: MatrixSample[] }>('/api/v1/query_range', { query: expr, start: String(startSec), end: String(endSec), step });
    return d.result;
  }

  /** Values of a label on the series matching a selector (Grafana's label_values(metric, label)). */
  labelValues(label: string, match: string): Promise<string[]> {
    return this.api<string[]>(`/api/v1/label/${encodeURIComponent(label)}/values`, { 'match[]': match });
  }

  async rules(): Promise<ApiRule[]> {
    const d = await this.api<{ groups: { name: string; file: string; rules: ApiRule[] }[] }>('/api/v1/rules');
    return d.groups.flatMap((g) => g.rules);
  }

  async alerts(): Promise<ApiAlert[]> {
    return (await this.api<{ alerts: ApiAlert[] }>('/api/v1/alerts')).alerts;
  }

  async targets(): Promise<{ labels: Record<string, string>; health: string; lastError: string }[]> {
    return (await this.api<{ activeTargets: { labels: Record<string, string>; health: string; lastError: string }[] }>('/api/v1/targets')).activeTargets;
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
