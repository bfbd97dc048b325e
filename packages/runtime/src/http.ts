import http from 'node:http';
import type { Registry } from 'prom-client';

export interface HealthProbe {
  /** Process is up and its loop turns. */
  live(): boolean;
  /** Connected and consuming / ticking: traffic may be routed here. */
  ready(): boolean;
}

/**
 * /metrics (Prometheus text), /healthz, /readyz on `host` (METRICS_HOST: loopback by default;
 * 0.0.0.0 where Prometheus scrapes over a container network). Port 0 picks a free port (tests).
 */
export async function startMetricsServer(registry: Registry, port: number, health: HealthProbe, host = '127.0.0.1'): Promise<{ port: number; address: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    if (url.startsWith('/metrics')) {
      registry.metrics().then(
        (body) => {
          res.writeHead(200, { 'content-type': registry.contentType });
          res.end(body);
        },
        (err: Error) => {
          res.writeHead(500);
          res.end(err.message);
        },
      );
      return;
    }
    const probe = url.startsWith('/healthz') ? health.live() : url.startsWith('/readyz') ? health.ready() : undefined;
    if (probe === undefined) {
      res.writeHead(404);
      res.end('not found\n');
      return;
    }
    res.writeHead(probe ? 200 : 503, { 'content-type': 'text/plain' });
    res.end(probe ? 'ok\n' : 'not ready\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const addr = server.address();
  return {
    port: typeof addr === 'object' && addr ? addr.port : port,
    address: typeof addr === 'object' && addr ? addr.address : host,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
