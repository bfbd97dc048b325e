// The console's pure parts: labels, language choice, settings, authentication, escaping and the
// view models built from cards and SLA counters.
import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, periodOf, previousPeriod, type Period } from '@cs/appraisal';
import type { Scorecard, TeamScorecard } from '@cs/contracts';
import { authorize, TOKEN_COOKIE } from '../src/auth.ts';
import { esc, pct, table } from '../src/html.ts';
import { fill, LABELS, pickLang } from '../src/labels.ts';
import { loadConsoleSettings } from '../src/settings.ts';
import { dueFigures, kpiRows, staffPage, teamPage, teamRows, teamsPage, wallboardModel } from '../src/view-model.ts';
import { staffPageHtml, teamPageHtml, teamsPageHtml, wallboardBody, type PageContext } from '../src/pages.ts';
import { sparkline } from '../src/trend-html.ts';
import { staffTrend, teamTrends, type CardTrend } from '../src/trend-view.ts';

const TOKEN = 'a-token-of-sixteen-plus';
const planAfter = (v: string) => (v === '2026.1' ? DEFAULT_RULES.trend.improvementPlanAfter : undefined);

describe('labels', () => {
  it('have the same keys in Chinese and English, none empty, and the placeholders of each other', () => {
    expect(Object.keys(LABELS.zh).sort()).toEqual(Object.keys(LABELS.en).sort());
    for (const [key, en] of Object.entries(LABELS.en)) {
      const zh = LABELS.zh[key as keyof typeof LABELS.zh];
      expect(en.trim(), key).not.toBe('');
      expect(zh.trim(), key).not.toBe('');
      expect(zh.match(/\{\w+\}/g) ?? [], key).toEqual(en.match(/\{\w+\}/g) ?? []);
    }
    expect(fill(LABELS.en.notFoundStaff, { id: 'S9' })).toBe('No scorecard of staff member S9 has been published.');
  });

  it('language: ?lang first, then Accept-Language, else Chinese', () => {
    expect(pickLang('en', 'zh-CN')).toBe('en');
    expect(pickLang(undefined, 'en-US,en;q=0.9')).toBe('en');
    expect(pickLang(undefined, 'fr-FR, zh-TW;q=0.8, en;q=0.5')).toBe('zh');
    expect(pickLang('de', undefined)).toBe('zh');
  });
});

describe('settings', () => {
  it('default to loopback port 8088, open', () => {
    expect(loadConsoleSettings({})).toEqual({ port: 8088, host: '127.0.0.1', token: null, authHeader: null });
  });

  it('refuse a non-loopback address without a token or a proxy header, naming the variable', () => {
    expect(() => loadConsoleSettings({ CS_CONSOLE_HOST: '0.0.0.0' })).toThrow(/^invalid setting CS_CONSOLE_HOST:/);
    expect(loadConsoleSettings({ CS_CONSOLE_HOST: '0.0.0.0', CS_CONSOLE_TOKEN: TOKEN }).token).toBe(TOKEN);
    expect(loadConsoleSettings({ CS_CONSOLE_HOST: '::', CS_CONSOLE_AUTH_HEADER: 'X-Forwarded-User' }).authHeader).toBe('x-forwarded-user');
  });

  it('never echo the token; read it from a file', () => {
    let message = '';
    try {
      loadConsoleSettings({ CS_CONSOLE_TOKEN: 'short-secret' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/^invalid setting CS_CONSOLE_TOKEN:/);
    expect(message).not.toContain('short-secret');
    expect(loadConsoleSettings({ CS_CONSOLE_TOKEN_FILE: '/run/secret' }, () => `${TOKEN}\n`).token).toBe(TOKEN);
    expect(() => loadConsoleSettings({ CS_CONSOLE_TOKEN_FILE: '/nope' }, () => { throw new Error('ENOENT'); })).toThrow(/^invalid setting CS_CONSOLE_TOKEN_FILE: cannot read/);
  });
});

describe('authorize', () => {
  const s = { token: TOKEN, authHeader: 'x-forwarded-user' };
  it('accepts the bearer token, the cookie, the query exchange and the proxy header; refuses the rest', () => {
    expect(authorize({ headers: { authorization: `Bearer ${TOKEN}` } }, s)).toEqual({ ok: true, via: 'token' });
    expect(authorize({ headers: { cookie: `a=b; ${TOKEN_COOKIE}=${TOKEN}` } }, s)).toEqual({ ok: true, via: 'cookie' });
    expect(authorize({ headers: {}, queryToken: TOKEN }, s)).toEqual({ ok: true, via: 'query' });
    expect(authorize({ headers: { 'x-forwarded-user': 'zhang.san' } }, s)).toEqual({ ok: true, via: 'proxy' });
    expect(authorize({ headers: { authorization: `Bearer ${TOKEN}x` } }, s)).toEqual({ ok: false });
    expect(authorize({ headers: { 'x-forwarded-user': ' ' } }, s)).toEqual({ ok: false });
    expect(authorize({ headers: {} }, s)).toEqual({ ok: false });
    expect(authorize({ headers: {} }, { token: null, authHeader: null })).toEqual({ ok: true, via: 'open' });
  });
});

describe('html', () => {
  it('escapes every value, in cells too', () => {
    expect(esc(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    const t = table('c<', ['h<'], [['<script>']]);
    expect(t).not.toContain('<script>');
    expect(t).toContain('<th scope="col">h&lt;</th>');
  });
});

const zone = DEFAULT_RULES.timeZone;
const month: Period = periodOf('MONTH', Date.UTC(2030, 5, 15), zone);
const day: Period = periodOf('DAY', Date.UTC(2030, 5, 15), zone);
const kpi = (value: number | null, numerator: number | null = null, denominator: number | null = null, score: number | null = null) => ({ value, numerator, denominator, score });
function card(staffId: string, teamId: string, p: Period, composite: number | null, grade: string, teamRank: number | null): Scorecard {
  return {
    appraisalId: `${staffId}-${p.id}`, staffId, teamId, role: 'HOTLINE_AGENT', period: { kind: p.kind, start: p.start, end: p.end, timeZone: zone }, status: 'FINAL', revision: 0, rulesVersion: '2026.1',
    kpis: { first_contact_resolution: kpi(0.75, 3, 4, 50), contacts_handled: kpi(4, 4), violations: kpi(null) },
    dimensions: {}, composite, grade, teamRank, teamSize: 3, computedAt: new Date(month.endMs).toISOString(), reasons: [],
  } as unknown as Scorecard;
}

describe('view models', () => {
  const cards = [card('S1', 'T1', month, 91, 'A', 1), card('S2', 'T1', month, 80, 'B', 2), card('S3', 'T1', month, null, 'D', null), card('S4', 'T2', month, 70, 'C', 1), card('S1', 'T1', day, 88, 'B', 1)];

  it('team rows: members, grade counts, mean of the graded, top by rank', () => {
    expect(teamRows(cards.filter((c) => c.period.kind === 'MONTH'))).toEqual([
      { teamId: 'T1', members: 3, mean: 85.5, grades: { A: 1, B: 1, C: 0, D: 1 }, top: [{ staffId: 'S1', grade: 'A', composite: 91 }, { staffId: 'S2', grade: 'B', composite: 80 }] },
      { teamId: 'T2', members: 1, mean: 70, grades: { A: 0, B: 0, C: 1, D: 0 }, top: [{ staffId: 'S4', grade: 'C', composite: 70 }] },
    ]);
  });

  it('wallboard: service level and abandonment per queue (configured queues too, sorted), repair arrivals per area', () => {
    const w = wallboardModel({
      dayId: day.id, monthId: month.id, queues: ['q1', 'q2'], dayCards: [], monthCards: [], planAfter, workOrders: { today: dueFigures(new Map()), tomorrow: dueFigures(new Map()) },
      daySla: { 'answered|q1': 8, 'answered_within|q1': 6, 'abandoned|q1': 2, 'repair_arrival|URBAN': 4, 'repair_arrival_within|URBAN': 3 },
      monthSla: { 'answered|q1': 8, 'answered_within|q1': 6, 'abandoned|q1': 2, 'answered|other': 1, 'answered_within|other': 1 },
    });
    expect(w.queues.map((q) => [q.queue, q.day.offered, q.day.serviceLevel, q.day.abandonRate, q.month.offered])).toEqual([
      ['other', 0, null, null, 1], ['q1', 10, 0.6, 0.2, 10], ['q2', 0, null, null, 0],
    ]);
    expect(w.areas[0]).toMatchObject({ area: 'URBAN', day: { arrivals: 4, within: 3, rate: 0.75 } });
  });

  it('work orders by due date: due, on time, and the rest open or late, summed over staff', () => {
    expect(dueFigures(new Map<string, Record<string, number>>([['S1', { work_orders_due: 3, work_orders_due_on_time: 1 }], ['S2', { work_orders_due: 2 }], ['S3', { contacts: 9 }]]))).toEqual({ due: 5, onTime: 1, open: 4 });
    expect(dueFigures(new Map())).toEqual({ due: 0, onTime: 0, open: 0 });
  });

  it('staff page: latest MONTH card, history, the day cards of that month; KPI rows with data only', () => {
    const p = staffPage('S1', cards)!;
    expect(p.card.period.kind).toBe('MONTH');
    expect(p.days).toEqual([{ day: day.start, composite: 88 }]);
    expect(kpiRows(p.card).map((k) => [k.id, k.numerator, k.denominator])).toEqual([['first_contact_resolution', 3, 4], ['contacts_handled', 4, null]]);
    expect(staffPage('NOBODY', cards)).toBeUndefined();
    expect(staffPage('S1', cards, 'MONTH:1999-01')).toBeUndefined();
  });

  it('team page: members by rank, KPI means, the trend of its months', () => {
    const p = teamPage('T1', cards, () => 90)!;
    expect(p.members.map((m) => m.staffId)).toEqual(['S1', 'S2', 'S3']);
    expect(p.quotaCut).toEqual(new Set());
    const capped = [card('S1', 'T1', month, 95, 'A', 1), card('S2', 'T1', month, 92, 'B', 2), card('S3', 'T1', month, 85, 'B', 3)];
    expect(teamPage('T1', capped, () => 90)!.quotaCut).toEqual(new Set(['S2'])); // 92 ≥ 90 yet B: cut by the quota
    expect(teamPage('T1', capped, () => undefined)!.quotaCut).toEqual(new Set()); // unknown rules version: nothing claimed
    expect(p.kpiMeans.find((k) => k.id === 'first_contact_resolution')).toEqual({ id: 'first_contact_resolution', mean: 0.75, members: 3 });
    expect(p.trend).toEqual([{ periodId: month.id, mean: 85.5 }]);
    expect(teamPage('T9', cards, () => 90)).toBeUndefined();
  });

  it('the staff page escapes what it shows', () => {
    const evil = { ...card('S1', 'T1', month, 91, 'A', 1), reasons: [{ correctionId: 'c1', kind: 'ADJUSTMENT', reason: '<img src=x onerror=alert(1)>', requestedBy: 'a', approvedBy: 'b', at: 0, detail: '', adjustment: null }] } as unknown as Scorecard;
    const c: PageContext = { lang: 'en', t: LABELS.en, time: (at) => String(at) };
    const html = staffPageHtml(staffPage('S1', [evil])!, undefined, undefined, c, undefined);
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('the staff page shows the static profile (docs/static-appraisal.md), escaped, in both languages; an older card says it has none', () => {
    const asOf = month.endMs;
    const profile = {
      asOf,
      skills: [{ skill: 'SAFETY', score: 64, assessedAt: asOf - 20 * 86_400_000 }],
      qualifications: [{ qualificationId: 'LV_<b>', grantedAt: 0, expiresAt: asOf + 44 * 86_400_000, certificateId: 'c1' }, { qualificationId: 'FIRST_AID', grantedAt: 0, expiresAt: null, certificateId: 'c2' }],
      missing: ['METER_BILLING'],
      expiring: [{ qualificationId: 'LV_<b>', expiresAt: asOf + 44 * 86_400_000, daysLeft: 44 }],
      belowScore: ['SAFETY'],
    };
    const withProfile = { ...card('S1', 'T1', month, 91, 'A', 1), staticProfile: profile } as unknown as Scorecard;
    const c: PageContext = { lang: 'en', t: LABELS.en, time: (at) => `t${String(at)}` };
    const html = staffPageHtml(staffPage('S1', [withProfile])!, undefined, undefined, c, undefined);
    expect(html).toContain(`<h2 id="h-s">${LABELS.en.staticProfile}</h2>`);
    expect(html).toContain('<dd data-field="missing">METER_BILLING</dd>');
    expect(html).toContain('<dd data-field="expiring">LV_&lt;b&gt; in 44 days</dd>');
    expect(html).toContain('<dd data-field="belowScore">SAFETY</dd>');
    expect(html).toContain(`<td>${LABELS.en.noExpiry}</td>`);
    expect(html).not.toContain('LV_<b>');
    const zh = staffPageHtml(staffPage('S1', [withProfile])!, undefined, undefined, { ...c, lang: 'zh', t: LABELS.zh }, undefined);
    expect(zh).toContain('<dd data-field="expiring">LV_&lt;b&gt;，44 天后到期</dd>');
    const older = staffPageHtml(staffPage('S1', [{ ...withProfile, staticProfile: null }])!, undefined, undefined, c, undefined);
    expect(older).toContain(LABELS.en.staticNone);
  });
});

describe('trends', () => {
  // Months back from `month`: m[0] = month, m[k] = k months before.
  const m: Period[] = [month];
  for (let k = 1; k < 6; k++) m.push(previousPeriod(m[k - 1]!));
  const ym = (p: Period) => p.start.slice(0, 7);
  const trend = (o: Partial<CardTrend>): CardTrend => ({
    shortWindow: 3, shortGraded: 3, shortMean: 80, shortSlope: 0, longWindow: 6, longGraded: 6, longMean: 80, longSlope: 0,
    consecutiveD: 0, trainingMonth: null, trainingSkills: [], trainingGain: null, trainingGainScore: null, ...o,
  });
  const withTrend = (c: Scorecard, t: CardTrend | null): Scorecard => ({ ...c, trend: t });
  // S1 climbs (m5 70, m4 missing, m3 74, m2 78, m1 80, m0 86: docs/dynamic-appraisal.md's example); S2 on a plan; S3 no trend.
  const s1 = withTrend(card('S1', 'T1', month, 86, 'B', 1), trend({ shortMean: 81.3, shortSlope: 4, longMean: 77.6, longSlope: 3.1, longGraded: 5, trainingMonth: ym(m[2]!), trainingSkills: ['PROCESS_EFFICIENCY'], trainingGain: 10, trainingGainScore: 100 }));
  const s1past = [[5, 70], [3, 74], [2, 78], [1, 80]].map(([k, v]) => withTrend(card('S1', 'T1', m[k!]!, v!, 'C', 1), null));
  const s2 = withTrend(card('S2', 'T1', month, 52, 'D', 2), trend({ shortMean: 55, shortSlope: -3, longMean: 60, longSlope: -1.5, consecutiveD: 2 }));
  const s3 = withTrend(card('S3', 'T1', month, 75, 'C', 3), null);
  const c: PageContext = { lang: 'en', t: LABELS.en, time: (at) => String(at) };

  it('a member: the long window month by month (gaps where there is no card), direction and plan', () => {
    const t = staffTrend(s1, [...s1past, s1], planAfter)!;
    expect(t.points).toEqual([
      { month: ym(m[5]!), composite: 70 }, { month: ym(m[4]!), composite: null }, { month: ym(m[3]!), composite: 74 },
      { month: ym(m[2]!), composite: 78 }, { month: ym(m[1]!), composite: 80 }, { month: ym(m[0]!), composite: 86 },
    ]);
    expect([t.direction, t.plan]).toEqual(['IMPROVING', false]);
    expect(staffTrend(s2, [s2], planAfter)).toMatchObject({ direction: 'DECLINING', plan: true });
    expect(staffTrend(s3, [s3], planAfter)).toBeUndefined();
    expect(staffTrend(withTrend(card('S1', 'T1', day, 88, 'B', 1), null), [], planAfter)).toBeUndefined();
  });

  it('the sparkline: one polyline per run of months with a composite, a dot per month, titles escaped', () => {
    const svg = sparkline(staffTrend(s1, [...s1past, s1], planAfter)!.points, 'A <b>');
    expect(svg.match(/<polyline /g)).toHaveLength(1); // m5 stands alone (m4 missing): m3…m0 is the one line
    expect(svg.match(/<circle /g)).toHaveLength(5);
    expect(svg).toContain('<title>A &lt;b&gt;</title>');
    expect(svg).not.toMatch(/style=/); // the CSP allows no inline style
    // The highest composite is drawn highest (smallest y), the lowest lowest.
    const ys = [...svg.matchAll(/cy="([\d.]+)"/g)].map((x) => Number(x[1]));
    expect(ys.indexOf(Math.min(...ys))).toBe(4);
    expect(ys.indexOf(Math.max(...ys))).toBe(0);
  });

  it('the staff page shows the figures, the plan and the training gain; a card without a trend says so', () => {
    const html = staffPageHtml(staffPage('S1', [...s1past, s1])!, undefined, undefined, c, staffTrend(s1, [...s1past, s1], planAfter));
    expect(html).toContain('<span data-field="shortMean">81.3</span>');
    expect(html).toContain('data-field="shortSlope">↑ 4.0</span>');
    expect(html).toContain('data-field="longSlope">↑ 3.1</span>');
    expect(html).toContain(`course of ${ym(m[2]!)} (PROCESS_EFFICIENCY): +10.0 points in the related dimensions since, score 100`);
    expect(html).toContain('<svg class="sparkline"');
    const plan = staffPageHtml(staffPage('S2', [s2])!, undefined, undefined, { ...c, lang: 'zh', t: LABELS.zh }, staffTrend(s2, [s2], planAfter));
    expect(plan).toContain('<dd data-field="improvementPlan"><strong class="bad">需要</strong></dd>');
    expect(plan).toContain('data-field="shortSlope">↓ 3.0</span>');
    expect(staffPageHtml(staffPage('S3', [s3])!, undefined, undefined, c, undefined)).toContain(LABELS.en.trendNone);
  });

  it('team page and wallboard: improving, declining and plans per team', () => {
    const members = [s1, s2, s3];
    const tt = teamTrends(members, planAfter);
    expect(tt.summary).toEqual({ teamId: 'T1', members: 2, byDirection: { IMPROVING: 1, STEADY: 0, DECLINING: 1, UNKNOWN: 0 }, plans: ['S2'], trainingMeasured: 1, trainingGainMean: 10 });
    expect(tt.members.map((x) => [x.staffId, x.direction, x.plan])).toEqual([['S1', 'IMPROVING', false], ['S2', 'DECLINING', true]]);
    const team = teamPageHtml(teamPage('T1', members, () => 90)!, c, tt);
    expect(team).toContain('<strong class="bad" data-staff="S2" data-field="plan">required</strong>');
    expect(team).toContain('<span data-team="T1" data-field="improving">1</span>');
    const w = wallboardModel({ dayId: day.id, monthId: month.id, queues: [], dayCards: [], monthCards: [...members, withTrend(card('S4', 'T2', month, 70, 'C', 1), trend({ shortSlope: 0.4 }))], planAfter, workOrders: { today: dueFigures(new Map()), tomorrow: dueFigures(new Map()) }, daySla: {}, monthSla: {} });
    expect(w.trendsMonth.map((r) => [r.teamId, r.byDirection.IMPROVING, r.byDirection.STEADY, r.byDirection.DECLINING, r.plans.length])).toEqual([['T1', 1, 0, 1, 1], ['T2', 0, 1, 0, 0]]);
    const board = wallboardBody(w, { ...c, lang: 'zh', t: LABELS.zh }, 0);
    expect(board).toContain('<span class="bad" data-team="T1" data-field="plans">1</span>');
    expect(board).toContain('<span class="" data-team="T2" data-field="plans">0</span>');
    expect(board).toContain(LABELS.zh.teamTrends);
  });
});

describe('team scorecards page (/teams)', () => {
  const teamCard = (teamId: string, month: string, rank: number | null, over: Partial<TeamScorecard> = {}): TeamScorecard => ({
    teamId, period: { kind: 'MONTH', start: `${month}-01`, end: `${month}-28`, timeZone: 'Asia/Shanghai' }, status: 'FINAL', revision: 0, rulesVersion: '2026.1', members: 3, graded: 3,
    grades: { A: 1, B: 1, C: 1, D: 0, INSUFFICIENT_DATA: 0 }, workloadPerHead: 100, compositeMean: 82.3, compositeSpread: 9.2,
    kpis: [{ kpiId: 'service_level', value: 0.7727, numerator: 231.8, denominator: 300, score: 86.4 }, { kpiId: 'complaints_per_1000_contacts', value: 1, numerator: 1, denominator: 1000, score: 66.7 }],
    kpiScore: 76.5, score: 82.3, rank, computedAt: '2000-11-04T00:00:00.000Z', ...over,
  });
  const all = [teamCard('T1', '2000-10', 2), teamCard('T2', '2000-10', 1, { score: 87.3, status: 'REVISED', revision: 1 }), teamCard('T9', '2000-10', null), teamCard('T1', '2000-09', 1)];
  const ctx: PageContext = { lang: 'en', t: LABELS.en, time: (at) => String(at) };

  it('the latest month by default, teams by rank (unranked last); another month when asked', () => {
    expect(teamsPage(all)).toMatchObject({ periodId: 'MONTH:2000-10' });
    expect(teamsPage(all)!.teams.map((t) => t.teamId)).toEqual(['T2', 'T1', 'T9']);
    expect(teamsPage(all, 'MONTH:2000-09')!.teams.map((t) => t.teamId)).toEqual(['T1']);
    expect(teamsPage([])).toBeUndefined();
  });

  it('shows rank, status with revision, score, service level as percent and the complaint rate; says so when the month has none', () => {
    const page = teamsPageHtml(teamsPage(all)!, ctx);
    expect(page).toContain('<caption>Team scorecards · MONTH:2000-10</caption>');
    const rows = page.split('<tr>').slice(2);
    expect(rows[0]).toContain('<a href="/team/T2?lang=en">T2</a>');
    expect(rows[0]).toContain('<td>REVISED 1</td><td>87.3</td><td>82.3</td><td>9.2</td>');
    expect(rows[0]).toContain(pct(0.7727));
    expect(rows[2]).toContain('<td>–</td>');
    expect(teamsPageHtml({ periodId: 'MONTH:2000-08', teams: [] }, ctx)).toContain('No team scorecard has been published for MONTH:2000-08.');
    expect(page).toContain('<nav aria-label="cs-appraisal console"><a href="/wallboard?lang=en">Wallboard</a>\n<a href="/teams?lang=en">Team scorecards</a>');
  });
});
