// The console's pure parts: labels, language choice, settings, authentication, escaping and the
// view models built from cards and SLA counters.
import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, periodOf, type Period } from '@cs/appraisal';
import type { Scorecard } from '@cs/contracts';
import { authorize, TOKEN_COOKIE } from '../src/auth.ts';
import { esc, table } from '../src/html.ts';
import { fill, LABELS, pickLang } from '../src/labels.ts';
import { loadConsoleSettings } from '../src/settings.ts';
import { dueFigures, kpiRows, staffPage, teamPage, teamRows, wallboardModel } from '../src/view-model.ts';
import { staffPageHtml, type PageContext } from '../src/pages.ts';

const TOKEN = 'a-token-of-sixteen-plus';

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
      dayId: day.id, monthId: month.id, queues: ['q1', 'q2'], dayCards: [], monthCards: [], workOrders: { today: dueFigures(new Map()), tomorrow: dueFigures(new Map()) },
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
    const html = staffPageHtml(staffPage('S1', [evil])!, undefined, undefined, c);
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});
