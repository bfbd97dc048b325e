// The console service: the card cache (Kafka), the wallboard feed (Redis), the HTTP server.
import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Registry } from 'prom-client';
import { CounterStore } from '@cs/counter-store';
import { clockFromConfig, counterStoreOptions, createKafka, createRedis, topicNames, type HealthProbe, type RedisClient, type ServiceContext } from '@cs/runtime';
import { explainFromRedis } from '@cs/scorer/period-inputs';
import { CardCache } from './card-cache.ts';
import { buildServer } from './server.ts';
import type { ConsoleSettings } from './settings.ts';
import { WallboardFeed } from './wallboard-feed.ts';

export const SERVICE = 'console';

export class Console {
  readonly metrics = { registry: new Registry() };
  readonly health: HealthProbe;
  readonly cards: CardCache;
  private readonly redis: RedisClient;
  private readonly feed: WallboardFeed;
  private readonly app: FastifyInstance;
  private listening = false;
  /** the port the console listens on (CS_CONSOLE_PORT=0 picks one) */
  port = 0;

  constructor(private readonly ctx: ServiceContext, private readonly settings: ConsoleSettings) {
    const { config, log, codecs } = ctx;
    const registry = this.metrics.registry;
    const requests = new Counter({ name: 'cs_console_requests_total', help: 'Console HTTP requests by route and status', labelNames: ['route', 'status'], registers: [registry] });
    const feedErrors = new Counter({ name: 'cs_console_feed_errors_total', help: 'Failed reads of the wallboard figures from Redis', registers: [registry] });
    this.redis = createRedis(config);
    this.redis.on('error', (err) => log.warn({ err: err.message }, 'redis error'));
    const topics = topicNames(config);
    this.cards = new CardCache(createKafka(config, log, `${config.KAFKA_CLIENT_ID}-console`), { appraisal: topics.appraisal, eligibility: topics.eligibility, teamScorecard: topics.teamScorecard }, codecs, log);
    const clock = clockFromConfig(config);
    const planAfter = (rulesVersion: string) => ctx.rules.byVersion(rulesVersion)?.trend.improvementPlanAfter;
    this.feed = new WallboardFeed(new CounterStore(this.redis, counterStoreOptions(config)), this.cards, clock, config.CS_TIMEZONE, config.CS_QUEUES, (err) => {
      feedErrors.inc();
      log.warn({ err: err.message }, 'wallboard read failed');
    }, planAfter);
    const feed = this.feed;
    new Gauge({ name: 'cs_console_sse_clients', help: 'Browsers following the wallboard', registers: [registry], collect() { this.set(feed.subscribers); } });
    this.app = buildServer({
      settings,
      cards: this.cards,
      feed: this.feed,
      timeZone: config.CS_TIMEZONE,
      explain: (staffId, periodId) => explainFromRedis(this.redis, config, staffId, periodId, clock.now()),
      aThreshold: (rulesVersion) => ctx.rules.byVersion(rulesVersion)?.grades.A,
      planAfter,
      served: (route, status) => requests.inc({ route, status: String(status) }),
    });
    this.health = { live: () => true, ready: () => this.listening && this.cards.ready };
  }

  async start(): Promise<void> {
    await this.cards.start();
    this.feed.start();
    await this.app.listen({ port: this.settings.port, host: this.settings.host });
    const addr = this.app.server.address();
    this.port = typeof addr === 'object' && addr ? addr.port : this.settings.port;
    this.listening = true;
    const auth = this.settings.token ? 'token' : this.settings.authHeader ? `header ${this.settings.authHeader}` : 'none (loopback only)';
    this.ctx.log.info({ url: this.url, auth }, 'console listening');
  }

  get url(): string {
    const host = this.settings.host.includes(':') ? `[${this.settings.host}]` : this.settings.host;
    return `http://${host}:${this.port}/`;
  }

  async stop(): Promise<void> {
    this.listening = false;
    await this.app.close();
    await this.feed.stop();
    await this.cards.stop();
    this.redis.disconnect();
  }
}
