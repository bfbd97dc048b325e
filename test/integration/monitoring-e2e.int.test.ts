// Issue 7, end to end: a real Prometheus (Debian package `prometheus`, a child process of this test)
// scrapes the real aggregator and scorer (in-process, on this test's own topics and key prefix, on
// the run's real Kafka and Redis) every second while simulated traffic and then injected breaches
// flow through them, and evaluates deploy/prometheus/rules/*.rules.yml every second. Checked
// through Prometheus's HTTP API:
//   - every rule (recording and alerting) evaluates with health "ok", and every recording rule has
//     data (apart from NO_DATA below, with the reason);
//   - every query of every dashboard panel and variable (deploy/grafana/dashboards/*.json, Grafana
//     variables substituted as Grafana would send them) parses and returns data (same caveat);
//   - injected breaches raise the matching alerts to `firing` with the expected labels and
//     rendered annotations; pipeline alerts that nothing provoked stay inactive; stopping the
//     scorer raises ServiceDown{job="scorer"}.
// The alert rules are loaded from a temp copy whose non-zero `for:` durations are replaced by 1s
// (rulesWithFor): the real 5-15 min would not fit in a test. Everything else (targets, recording
// rules, expressions, labels, annotations) is the files as deployed. `for: 0m` stays 0m.
//
// Counters with labels appear at their first increment and increase()/rate() need two samples of
// a series, so each breach is injected in two waves a few scrapes apart: the first wave creates
// the new series (e.g. within="false"), the second is what the 15 min / 1 h windows count.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { DEFAULT_RULES, periodOf } from '@cs/appraisal';
import { KIND_TOPIC, messageKey, validateEvent, type SourceEvent, type TopicKey } from '@cs/contracts';
import { runAggregator, type RunningAggregator } from '@cs/aggregator/main';
import { DEFAULT_QUEUES } from '@cs/runtime';
import { runScorer, type RunningScorer } from '@cs/scorer/main';
import { createSimulation, encodeItem } from '@cs/simulator';
import { codecs, drained, produce, sandbox, type Sandbox } from '../../services/aggregator/test/support.ts';
import { createTopics, waitFor } from '../harness/index.ts';
import { allRules, dashboardQueries } from '../monitoring/config.ts';
import { Prometheus, requirePrometheus, sleep, type ApiAlert, type ApiRule } from '../monitoring/prometheus.ts';

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** The breaches, all in the last minutes (well inside CS_MAX_LATENESS_DAYS). */
const BREACH_QUEUE = 'e2e-breach';
const BREACH_AREA = 'REMOTE'; // commitments: arrival 120 min, restoration 6 h
const BREACH_WORK_ORDER_TYPE = 'METER_TEST';

/**
 * Recording rules (by record name) and dashboard queries (by expression) that legitimately return
 * nothing in this run. The check still requires them to parse and evaluate with health "ok".
 */
const NO_DATA: Record<string, string> = {
  'cs:reason:aggregator_retries:rate5m':
    'cs_aggregator_retries_total{reason} appears only when a batch is retried after a Redis or Kafka failure; ' +
    'both are healthy here (AggregatorRetryingContinuously is covered by deploy/prometheus/tests/pipeline.test.yml)',
  'max by (team) (cs_scorer_training_gain_points{team=~"$team"})':
    'a training gain needs a course passed in one of the three months before the card\'s and cards after it ' +
    '(docs/dynamic-appraisal.md section 4); this run scores one month, so no member has one measured ' +
    '(the gauge is set per team only where one is; cs_scorer_training_gain_measured_count shows the 0s)',
};

/**
 * The team gauges follow the month under way. In its first hour (the test clock at 00:30 on the
 * 1st) the traffic, which ends an hour before now, all lies in the month before: no call has been
 * answered in the month yet, so no team has a service level to show.
 */
const TEAM_SERVICE_LEVEL = 'max by (team) (cs_team_kpi_value{kpi="service_level",team=~"$team"})';
function noDataReason(query: string, trafficEndMs: number, now: number): string | undefined {
  if (query in NO_DATA) return NO_DATA[query];
  if (query === TEAM_SERVICE_LEVEL && periodOf('MONTH', now, DEFAULT_RULES.timeZone).startMs > trafficEndMs) return 'the month under way began after the last simulated call';
  return undefined;
}

/** Pipeline alerts nothing in this run provokes: they must stay inactive. */
const QUIET = ['ScorerStale', 'ScorerNoLeader', 'ScorerMultipleLeaders', 'AggregatorOffsetGap', 'AggregatorRetryingContinuously', 'ServiceDown'];

/** Alerts the injected breaches must raise (labels that identify the breach). */
const EXPECTED: { alert: string; labels: (topics: Sandbox['topics']) => Record<string, string> }[] = [
  { alert: 'HotlineServiceLevelBelowTarget', labels: () => ({ queue: BREACH_QUEUE, severity: 'warning' }) },
  { alert: 'HotlineServiceLevelCritical', labels: () => ({ queue: BREACH_QUEUE, severity: 'critical' }) },
  { alert: 'HotlineAnswerRateBelowTarget', labels: () => ({ queue: BREACH_QUEUE, severity: 'warning' }) },
  { alert: 'RepairArrivalCommitmentBreached', labels: () => ({ area_class: BREACH_AREA, severity: 'critical' }) },
  { alert: 'RestorationTargetBreached', labels: () => ({ area_class: BREACH_AREA, severity: 'warning' }) },
  { alert: 'WorkOrdersCompletedLate', labels: () => ({ type: BREACH_WORK_ORDER_TYPE }) },
  { alert: 'CallbacksCompletedLate', labels: () => ({}) },
  { alert: 'OutageNoticeLate', labels: () => ({ notice_type: 'TEMPORARY' }) },
  { alert: 'AggregatorDeadLetterRateHigh', labels: (t) => ({ topic: t.workforce }) },
];

async function retried<T>(f: () => Promise<T>, attempts = 5): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await f();
    } catch (err) {
      if (i >= attempts) throw err;
      await sleep(500 * i);
    }
  }
}

const matches = (labels: Record<string, string>, want: Record<string, string>) => Object.entries(want).every(([k, v]) => labels[k] === v);

describe('monitoring end to end: Prometheus scrapes the services and evaluates the rules', () => {
  let sb: Sandbox;
  let aggregator: RunningAggregator | undefined;
  let scorer: RunningScorer | undefined;
  let prom: Prometheus | undefined;
  let trafficStartSec = 0;
  let trafficEndMs = 0;
  const t0 = Date.now();
  const phase = (what: string) => process.env.TEST_VERBOSE && console.log(`[monitoring-e2e +${((Date.now() - t0) / 1000).toFixed(1)}s] ${what}`);

  beforeAll(async () => {
    // Fails every test of the file with the Debian package's name when the binary is missing.
    requirePrometheus();

    // Right after other topics were created, kafkajs's waitForLeaders can meet
    // UNKNOWN_TOPIC_OR_PARTITION on a fresh KRaft broker (metadata not yet propagated): retried
    // with new names (a half-created topic is harmless).
    const [appraisal, eligibility, teamScorecard] = await retried(() => createTopics(['appraisal', 'eligibility', 'team'], 1));
    sb = await retried(() => sandbox());
    phase('topics created');
    // The breach queue gets its own label only as a configured queue (CS_QUEUES).
    // Live traffic against Prometheus's time(): these services run on the wall clock, not the
    // sandbox's mid-month test clock (its events are stamped with the wall clock too).
    const wall = { CS_CLOCK_OFFSET_SECONDS: '0' };
    aggregator = await runAggregator({ ...sb.env, ...wall, CS_QUEUES: [...DEFAULT_QUEUES, BREACH_QUEUE].join(',') });
    scorer = await runScorer({ ...sb.env, ...wall, CS_TOPIC_APPRAISAL: appraisal!, CS_TOPIC_ELIGIBILITY: eligibility!, CS_TOPIC_TEAM_SCORECARD: teamScorecard!, CS_TICK_SECONDS: '1' });
    prom = new Prometheus({ targets: { aggregator: aggregator.metricsPort, scorer: scorer.metricsPort }, interval: '1s', forOverride: '1s' });
    await prom.start();
    await waitFor(
      async () => {
        const t = await prom!.targets();
        return ['aggregator', 'scorer'].every((job) => t.some((x) => x.labels.job === job && x.health === 'up'));
      },
      30_000,
      'Prometheus to scrape the aggregator and the scorer',
    );
    phase('prometheus up, both targets scraped');

    // Simulated traffic: the last two days (the roster first), in chunks a second or two apart so
    // the counters move across several scrapes.
    trafficStartSec = Math.floor(Date.now() / 1000);
    const now = Date.now();
    trafficEndMs = Math.floor(now / HOUR) * HOUR - HOUR;
    const sim = createSimulation({
      seed: 7,
      teams: 10,
      staffPerTeam: 30,
      startMs: Math.floor((now - 2 * DAY) / HOUR) * HOUR,
      endMs: trafficEndMs,
      malformedRate: 0.002,
      duplicateRate: 0.01,
    });
    await produce(sb, sim.rosterItems().map((i) => encodeItem(codecs, i)));
    const messages = [...sim.items()].map((i) => encodeItem(codecs, i));
    const chunk = Math.ceil(messages.length / 4);
    for (let i = 0; i < messages.length; i += chunk) {
      await produce(sb, messages.slice(i, i + chunk));
      await sleep(1500);
    }
    await drained(sb);
    phase(`baseline: ${messages.length} messages applied`);
    await sleep(3000);

    // The breaches, twice (see the header): staff from the simulated roster.
    const staff = sim.roster.map((p) => p.staffId);
    for (const wave of [1, 2]) {
      await produce(sb, breachWave(staff, wave));
      await drained(sb);
      phase(`breach wave ${wave} applied`);
      await sleep(3000);
    }
  });

  afterAll(async () => {
    await prom?.stop();
    await scorer?.stop();
    await aggregator?.stop();
    await sb?.close();
  });

  it('every rule evaluates without error', async () => {
    const expected = allRules().length;
    // Every rule (recording and alerting, all files) has been evaluated (health no longer "unknown").
    const rules = await waitFor(
      async () => {
        const r = await prom!.rules();
        return r.length === expected && r.every((x) => x.health !== 'unknown') && r;
      },
      20_000,
      'every rule to be evaluated',
    );
    const bad = rules.filter((r) => r.health !== 'ok').map((r) => `${r.name}: ${r.health} ${r.lastError ?? ''}`);
    expect(bad).toEqual([]);
  });

  it('the injected breaches raise the matching alerts to firing, with their annotations rendered', async () => {
    const want = EXPECTED.map((e) => ({ alert: e.alert, labels: e.labels(sb.topics) }));
    const find = (alerts: ApiAlert[], w: (typeof want)[number]) => alerts.find((a) => a.labels.alertname === w.alert && matches(a.labels, w.labels));
    let last: ApiAlert[] = [];
    try {
      await waitFor(
        async () => {
          last = await prom!.alerts();
          return want.every((w) => find(last, w)?.state === 'firing');
        },
        30_000,
        'the breach alerts to fire',
      );
    } catch {
      // Report which ones are missing or only pending.
    }
    phase(`active alerts: ${last.map((a) => `${a.labels.alertname}${JSON.stringify(a.labels)}=${a.state}`).join('\n  ')}`);
    const state = Object.fromEntries(want.map((w) => [`${w.alert}${JSON.stringify(w.labels)}`, find(last, w)?.state ?? 'inactive']));
    expect(state).toEqual(Object.fromEntries(Object.keys(state).map((k) => [k, 'firing'])));
    for (const w of want) {
      const a = find(last, w)!;
      expect(a.annotations.summary, w.alert).toBeTruthy();
      expect(a.annotations.runbook_url).toBe(`deploy/README.md#${w.alert.toLowerCase()}`);
      for (const text of [a.annotations.summary!, a.annotations.description!]) {
        expect(text, `${w.alert} annotation template`).not.toMatch(/error|<no value>|%!|NaN/);
      }
    }
    // The commitment comes from the cs:target:* series (a query inside the annotation).
    expect(find(last, want.find((w) => w.alert === 'RepairArrivalCommitmentBreached')!)!.annotations.description).toContain('120');
    // The overview dashboard's table sees them.
    const firing = await prom!.query('ALERTS{alertstate="firing"}');
    for (const w of want) expect(firing.some((s) => s.metric.alertname === w.alert), w.alert).toBe(true);
  });

  it('pipeline alerts that nothing provoked are inactive', async () => {
    const rules = await prom!.rules();
    const state = Object.fromEntries(QUIET.map((n) => [n, rules.find((r) => r.name === n)?.state]));
    expect(state).toEqual(Object.fromEntries(QUIET.map((n) => [n, 'inactive'])));
  });

  it('every recording rule returns data (apart from the documented exceptions)', async () => {
    const recording = (await prom!.rules()).filter((r): r is ApiRule & { type: 'recording' } => r.type === 'recording');
    expect(recording.length).toBe(allRules().filter((r) => r.record).length);
    const empty: string[] = [];
    for (const r of recording) {
      const sel = `${r.name}{${Object.entries(r.labels ?? {})
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(',')}}`;
      const got = await prom!.query(sel);
      phase(`${sel}: ${got.length} series ${got.slice(0, 3).map((g) => g.value[1]).join(' ')}`);
      if (got.length === 0 && !(r.name in NO_DATA)) empty.push(sel);
    }
    expect(empty, 'recording rules without data').toEqual([]);

    // The injected breaches show in the series the alerts read.
    const v = async (q: string) => Number((await prom!.query(q))[0]?.value[1]);
    expect(await v(`cs:queue:calls_offered:increase15m{queue="${BREACH_QUEUE}"}`)).toBeGreaterThanOrEqual(20);
    expect(await v(`cs:queue:answer_rate:ratio_rate15m{queue="${BREACH_QUEUE}"}`)).toBe(0);
    expect(await v(`cs:area_class:repair_arrival_within:ratio_rate1h{area_class="${BREACH_AREA}"}`)).toBeLessThan(0.95);
    expect(await v(`cs:type:work_orders_late:increase1h{type="${BREACH_WORK_ORDER_TYPE}"}`)).toBeGreaterThan(5);
    expect(await v('cs:scorer:leaders:sum')).toBe(1);
    expect(await v('cs:scorer:staleness_seconds')).toBeLessThan(30);
  });

  it('every dashboard query parses and returns data (apart from the documented exceptions)', async () => {
    const queries = dashboardQueries();
    expect(queries.length).toBeGreaterThan(20);
    const endSec = Math.floor(Date.now() / 1000);
    const problems: string[] = [];
    for (const q of queries) {
      const where = `${q.dashboard} ${q.where}: ${q.query}`;
      try {
        const { expr, labelValuesOf } = q;
        if (labelValuesOf) {
          // A variable: Grafana asks for the label's values on the series of the selector.
          const values = await prom!.labelValues(labelValuesOf, expr);
          if (values.length === 0) problems.push(`${where}: no values`);
          continue;
        }
        // Both ways Grafana asks: a range query over the run (time series, stats) and an instant
        // query (tables, bar chart). Data is required now, at the end of the traffic.
        await prom!.queryRange(expr, trafficStartSec, endSec, '1s');
        const n = (await prom!.query(expr)).length;
        phase(`${q.dashboard} ${q.where}: ${n} series`);
        if (n === 0 && noDataReason(q.query.trim(), trafficEndMs, Date.now()) === undefined) problems.push(`${where}: no data`);
      } catch (err) {
        problems.push(`${where}: ${(err as Error).message}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('a stopped scorer raises ServiceDown{job="scorer"} (last: it stops the scorer)', async () => {
    await scorer!.stop();
    const alert = await waitFor(
      async () => (await prom!.alerts()).find((a) => a.labels.alertname === 'ServiceDown' && a.labels.job === 'scorer' && a.state === 'firing'),
      30_000,
      'ServiceDown{job="scorer"} to fire',
    );
    expect(alert.labels.severity).toBe('critical');
    expect(alert.annotations.summary).toContain('scorer');
    // The aggregator is still up.
    expect((await prom!.alerts()).some((a) => a.labels.alertname === 'ServiceDown' && a.labels.job === 'aggregator')).toBe(false);
  });
});

/** One wave of injected breaches, as encoded messages for the source topics. */
function breachWave(staff: string[], wave: number): { topic: TopicKey; key: string; value: Buffer }[] {
  const now = Date.now();
  const events: SourceEvent[] = [];
  const id = (what: string, i: number) => `e2e-${what}-${wave}-${i}-${randomUUID().slice(0, 8)}`;
  const who = (i: number) => staff[i % staff.length]!;
  // Hotline: a burst of calls abandoned after 90 s in one queue (service level and answer rate 0).
  for (let i = 0; i < 40; i++) {
    events.push({ kind: 'CallAbandoned', eventId: randomUUID(), occurredAt: now - 2 * MIN + i * 1000, callId: id('call', i), queue: BREACH_QUEUE, waitSeconds: 90 });
  }
  // Field: REMOTE crews on site after 200 min (commitment 120), supply restored 8 h after arrival (6 h).
  for (let i = 0; i < 10; i++) {
    const reportedAt = now - 10 * HOUR - i * MIN;
    events.push({ kind: 'RepairArrived', eventId: randomUUID(), occurredAt: now - 3 * MIN, ticketId: id('rep', i), crewStaffIds: [who(i)], areaClass: BREACH_AREA, reportedAt: now - 203 * MIN });
    events.push({ kind: 'RepairRestored', eventId: randomUUID(), occurredAt: reportedAt + 9 * HOUR, ticketId: id('rest', i), crewStaffIds: [who(i)], areaClass: BREACH_AREA, reportedAt, arrivedAt: reportedAt + HOUR });
  }
  // Back office: work orders finished an hour after their deadline, callbacks late, a temporary
  // outage announced one hour ahead (24 h required).
  for (let i = 0; i < 10; i++) {
    events.push({ kind: 'WorkOrderCompleted', eventId: randomUUID(), occurredAt: now - MIN, orderId: id('wo', i), staffId: who(i), type: BREACH_WORK_ORDER_TYPE, customerClass: 'RESIDENTIAL', acceptedAt: now - 3 * HOUR, dueAt: now - HOUR, reworked: false });
    events.push({ kind: 'CallbackCompleted', eventId: randomUUID(), occurredAt: now - MIN, ticketId: id('cb', i), staffId: who(i), dueAt: now - 2 * HOUR, outcome: 'SATISFIED' });
  }
  for (let i = 0; i < 2; i++) {
    events.push({ kind: 'OutageNoticePublished', eventId: randomUUID(), occurredAt: now - MIN, noticeId: id('on', i), staffId: who(i), noticeType: 'TEMPORARY', outageStartsAt: now + HOUR });
  }
  const out: { topic: TopicKey; key: string; value: Buffer }[] = events.map((e) => {
    const err = validateEvent(e, { now });
    if (err) throw new Error(`injected event is invalid: ${err.message}`);
    const topic = KIND_TOPIC[e.kind] as TopicKey;
    return { topic, key: messageKey(e), value: codecs.encode(topic, e) };
  });
  // Pipeline: bytes that are not Confluent-framed Avro on the workforce topic (DECODE dead letters).
  for (let i = 0; i < 150; i++) out.push({ topic: 'workforce', key: `garbage-${wave}-${i}`, value: Buffer.from(`not avro ${wave} ${i}`) });
  return out;
}
