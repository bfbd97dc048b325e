// The console's HTTP server (fastify): authentication, the pages, the wallboard's server-sent
// events and the static files (the page scripts, uPlot from node_modules). Read-only: GET only.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { MemberExplanation, PlanAfter } from '@cs/appraisal';
import { periodIdOfRecord } from '@cs/contracts';
import { authorize, TOKEN_COOKIE } from './auth.ts';
import type { CardCache } from './card-cache.ts';
import { LABELS, pickLang } from './labels.ts';
import { messagePage, notFoundText, staffPageHtml, teamPageHtml, teamsPageHtml, wallboardBody, wallboardPage, type PageContext } from './pages.ts';
import type { ConsoleSettings } from './settings.ts';
import { staffTrend, teamTrends } from './trend-view.ts';
import { staffPage, teamPage, teamsPage } from './view-model.ts';
import type { WallboardFeed } from './wallboard-feed.ts';

export interface ConsoleDeps {
  settings: ConsoleSettings;
  cards: CardCache;
  feed: WallboardFeed;
  timeZone: string;
  /** the `explain` arithmetic of a member's period, from Redis */
  explain(staffId: string, periodId: string): Promise<MemberExplanation | undefined>;
  /** the A threshold of a rules version (team page: which A the quota cut) */
  aThreshold(rulesVersion: string): number | undefined;
  /** trend.improvementPlanAfter of a rules version (the trends' improvement plans) */
  planAfter: PlanAfter;
  /** counts a served request (metrics) */
  served(route: string, status: number): void;
}

const require = createRequire(import.meta.url);
const STATIC_DIR = path.join(import.meta.dirname, '..', 'static');
const UPLOT_DIR = path.dirname(require.resolve('uplot/dist/uPlot.iife.min.js'));
const STATIC: Record<string, { file: string; type: string }> = {
  'console.css': { file: path.join(STATIC_DIR, 'console.css'), type: 'text/css; charset=utf-8' },
  'wallboard.js': { file: path.join(STATIC_DIR, 'wallboard.js'), type: 'text/javascript; charset=utf-8' },
  'charts.js': { file: path.join(STATIC_DIR, 'charts.js'), type: 'text/javascript; charset=utf-8' },
  'uPlot.iife.min.js': { file: path.join(UPLOT_DIR, 'uPlot.iife.min.js'), type: 'text/javascript; charset=utf-8' },
  'uPlot.min.css': { file: path.join(UPLOT_DIR, 'uPlot.min.css'), type: 'text/css; charset=utf-8' },
};
const STATIC_BODIES = new Map(Object.entries(STATIC).map(([name, s]) => [name, readFileSync(s.file)]));

const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

type Req = FastifyRequest<{ Querystring: Record<string, string | undefined>; Params: Record<string, string> }>;

export function buildServer(deps: ConsoleDeps): FastifyInstance {
  const app = Fastify({ logger: false, disableRequestLogging: true, forceCloseConnections: true });
  const zone = deps.timeZone;
  const context = (req: Req): PageContext => {
    const lang = pickLang(req.query.lang, req.headers['accept-language']);
    const fmt = new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', { timeZone: zone, dateStyle: 'medium', timeStyle: 'medium' });
    return { lang, t: LABELS[lang], time: (at) => `${fmt.format(new Date(at))} (${zone})` };
  };
  const html = (reply: FastifyReply, status: number, body: string) => reply.code(status).headers(SECURITY_HEADERS).type('text/html; charset=utf-8').send(body);

  app.addHook('onRequest', async (req, reply) => {
    const r = req as Req;
    if (req.method !== 'GET' && req.method !== 'HEAD') return html(reply, 405, messagePage(context(r), '405', 'read-only', '/'));
    if (req.url.startsWith('/static/')) return;
    const auth = authorize({ headers: req.headers, queryToken: r.query.token }, deps.settings);
    if (!auth.ok) {
      const c = context(r);
      return html(reply, 401, messagePage(c, c.t.unauthorized, c.t.unauthorizedText, '/wallboard'));
    }
    if (auth.via === 'query') {
      // Exchange the link's token for a cookie, and drop it from the address bar and history.
      const url = new URL(req.url, 'http://console');
      url.searchParams.delete('token');
      reply.header('set-cookie', `${TOKEN_COOKIE}=${encodeURIComponent(deps.settings.token!)}; Path=/; HttpOnly; SameSite=Strict`);
      return reply.code(303).header('location', url.pathname + url.search).send();
    }
  });
  app.addHook('onResponse', async (req, reply) => deps.served(req.routeOptions.url ?? 'unknown', reply.statusCode));

  app.get('/', async (_req, reply) => reply.code(302).header('location', '/wallboard').send());
  app.get('/healthz', async () => ({ ok: true }));

  app.get('/static/:file', async (req: Req, reply) => {
    const s = STATIC[req.params.file!];
    if (!s) return reply.code(404).type('text/plain').send('not found');
    return reply.headers({ 'x-content-type-options': 'nosniff', 'cache-control': 'max-age=300' }).type(s.type).send(STATIC_BODIES.get(req.params.file!));
  });

  app.get('/wallboard', async (req: Req, reply) => {
    const s = await deps.feed.current();
    return html(reply, 200, wallboardPage(s.board, context(req), s.at));
  });

  app.get('/events/wallboard', (req: Req, reply) => {
    const c = context(req);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write('retry: 2000\n\n');
    const send = (s: { board: Parameters<typeof wallboardBody>[0]; at: number }) => res.write(`event: wallboard\ndata: ${JSON.stringify({ html: wallboardBody(s.board, c, s.at) })}\n\n`);
    const unsubscribe = deps.feed.subscribe(send);
    const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
    req.raw.on('close', () => {
      clearInterval(ping);
      unsubscribe();
    });
  });

  app.get('/teams', async (req: Req, reply) => {
    const c = context(req);
    const period = req.query.period;
    if (period !== undefined && !/^MONTH:\d{4}-\d{2}$/.test(period)) return html(reply, 404, messagePage(c, `404 · ${c.t.notFound}`, c.t.notFoundPage, '/teams'));
    const p = teamsPage(deps.cards.teamCards(), period) ?? { periodId: '–', teams: [] };
    return html(reply, 200, teamsPageHtml(p, c));
  });

  app.get('/team/:id', async (req: Req, reply) => {
    const c = context(req);
    const p = teamPage(req.params.id!, deps.cards.ofTeam(req.params.id!), deps.aThreshold, req.query.period);
    if (!p) return html(reply, 404, messagePage(c, `404 · ${c.t.notFound}`, notFoundText(c.t, 'team', req.params.id!), '/'));
    return html(reply, 200, teamPageHtml(p, c, teamTrends(p.members, deps.planAfter)));
  });

  app.get('/staff/:id', async (req: Req, reply) => {
    const c = context(req);
    const id = req.params.id!;
    const p = staffPage(id, deps.cards.ofStaff(id), req.query.period);
    if (!p) return html(reply, 404, messagePage(c, `404 · ${c.t.notFound}`, notFoundText(c.t, 'staff', id), '/'));
    const periodId = periodIdOfRecord(p.card.period);
    const explanation = await deps.explain(id, periodId).catch(() => undefined);
    return html(reply, 200, staffPageHtml(p, explanation, deps.cards.eligibilityOf(id, periodId), c, staffTrend(p.card, p.history, deps.planAfter)));
  });

  app.setNotFoundHandler(async (req, reply) => {
    const c = context(req as Req);
    return html(reply, 404, messagePage(c, `404 · ${c.t.notFound}`, c.t.notFoundPage, '/'));
  });
  return app;
}
