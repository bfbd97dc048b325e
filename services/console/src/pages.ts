// The pages as HTML (server-side; every value escaped by html.ts).
import type { MemberExplanation } from '@cs/appraisal';
import { periodIdOfRecord, type Eligibility, type Scorecard } from '@cs/contracts';
import { esc, layout, num, pct, raw, table } from './html.ts';
import { fill, type Lang, type Labels } from './labels.ts';
import { staffTrendSection, teamTrendSection, trendCounts } from './trend-html.ts';
import { staticProfileSection } from './static-html.ts';
import type { StaffTrend, TeamTrends } from './trend-view.ts';
import { GRADES, kpiRows, type StaffPage, type TeamPage, type TeamRow, type TeamsPage, type Wallboard } from './view-model.ts';

export interface PageContext {
  lang: Lang;
  t: Labels;
  /** formats an epoch-ms or ISO time in the configured zone */
  time: (at: number | string) => string;
}

const SL_TARGET = 0.8;
const cell = (attrs: Record<string, string>, text: string) => raw(`<span ${Object.entries(attrs).map(([k, v]) => `data-${k}="${esc(v)}"`).join(' ')}>${esc(text)}</span>`);

function teamTable(t: Labels, caption: string, rows: TeamRow[], lang: Lang): string {
  if (rows.length === 0) return `<p>${esc(caption)}: ${esc(t.noData)}</p>`;
  return table(
    caption,
    [t.team, t.members, ...GRADES, t.mean, t.top],
    rows.map((r) => [raw(`<a href="/team/${encodeURIComponent(r.teamId)}?lang=${lang}">${esc(r.teamId)}</a>`), r.members, ...GRADES.map((g) => r.grades[g]), num(r.mean, 1), r.top.map((m) => `${m.staffId} ${m.grade} ${num(m.composite, 1)}`).join(' · ')]),
  );
}

/** The part of the wallboard the server-sent events replace. */
export function wallboardBody(w: Wallboard, c: PageContext, updatedAt: number): string {
  const { t } = c;
  const sl = (q: Wallboard['queues'][number]['day'], period: string) => {
    const below = q.serviceLevel !== null && q.serviceLevel < SL_TARGET;
    return raw(`<span class="${below ? 'bad' : 'ok'}" data-queue="${esc(q.queue)}" data-field="sl-${period}">${esc(pct(q.serviceLevel))}${below ? ` <small>(${esc(t.below)})</small>` : ''}</span>`);
  };
  const queues = table(
    `${t.hotline} — ${t.serviceLevel} (≤ 20 s, ${SL_TARGET * 100}%)`,
    [t.queue, `${t.serviceLevel} ${t.today}`, `${t.abandonment} ${t.today}`, `${t.offered} ${t.today}`, `${t.serviceLevel} ${t.month}`, `${t.abandonment} ${t.month}`, `${t.offered} ${t.month}`],
    w.queues.map((q) => [
      q.queue, sl(q.day, 'day'), pct(q.day.abandonRate), cell({ queue: q.queue, field: 'offered-day' }, String(q.day.offered)),
      sl(q.month, 'month'), pct(q.month.abandonRate), cell({ queue: q.queue, field: 'offered-month' }, String(q.month.offered)),
    ]),
    'big',
  );
  const areas = table(
    t.repairs,
    [t.area, `${t.withinCommitment} ${t.today}`, `${t.arrivals} ${t.today}`, `${t.withinCommitment} ${t.month}`, `${t.arrivals} ${t.month}`],
    w.areas.map((a) => [a.area, pct(a.day.rate), cell({ area: a.area, field: 'arrivals-day' }, String(a.day.arrivals)), pct(a.month.rate), String(a.month.arrivals)]),
    'big',
  );
  const wo = (day: 'today' | 'tomorrow') => {
    const d = w.workOrders[day];
    return [cell({ due: day, field: 'due' }, String(d.due)), d.onTime, raw(`<span class="${d.open > 0 ? 'bad' : 'ok'}" data-due="${day}" data-field="open">${esc(d.open)}</span>`)];
  };
  const workOrders = table(t.workOrders, [t.dueOn, t.dueCount, t.dueOnTime, t.dueOpen], [[t.today, ...wo('today')], [t.tomorrow, ...wo('tomorrow')]], 'big');
  return `<p class="updated">${esc(t.updated)} <time>${esc(c.time(updatedAt))}</time> · ${esc(w.dayId)} · ${esc(w.monthId)}</p>
<section aria-labelledby="h-hotline"><h2 id="h-hotline">${esc(t.hotline)}</h2>${queues}</section>
<section aria-labelledby="h-repairs"><h2 id="h-repairs">${esc(t.repairs)}</h2>${areas}</section>
<section aria-labelledby="h-wo"><h2 id="h-wo">${esc(t.workOrders)}</h2>${workOrders}</section>
<section aria-labelledby="h-teams"><h2 id="h-teams">${esc(t.teamBoards)}</h2>
${teamTable(t, `${t.teamBoards} — ${t.today} ${w.dayId}`, w.teamsDay, c.lang)}
${teamTable(t, `${t.teamBoards} — ${t.month} ${w.monthId}`, w.teamsMonth, c.lang)}</section>
<section aria-labelledby="h-trends"><h2 id="h-trends">${esc(t.teamTrends)}</h2>${trendCounts(t, `${t.teamTrends} — ${w.monthId}`, w.trendsMonth, c.lang, 'big')}</section>`;
}

export function wallboardPage(w: Wallboard, c: PageContext, updatedAt: number): string {
  const body = `<h1>${esc(c.t.wallboard)} <small class="live" aria-live="polite">● ${esc(c.t.live)}</small></h1>
<div id="wallboard" data-lang="${c.lang}" aria-live="polite">${wallboardBody(w, c, updatedAt)}</div>`;
  return layout({ lang: c.lang, t: c.t, title: c.t.wallboard, body, path: '/wallboard', scripts: ['/static/wallboard.js'], bodyClass: 'wallboard' });
}

function chart(id: string, caption: string, labels: string[], values: (number | null)[]): string {
  const data = JSON.stringify({ labels, values }).replace(/</g, '\\u003c');
  return `<figure><figcaption id="${id}-cap">${esc(caption)}</figcaption><div class="chart" id="${id}" role="img" aria-labelledby="${id}-cap"></div>
<script type="application/json" data-chart="${id}">${data}</script></figure>`;
}

export function teamPageHtml(p: TeamPage, c: PageContext, trends: TeamTrends): string {
  const { t } = c;
  const members = table(
    `${t.team} ${p.teamId} — ${p.periodId}`,
    [t.staff, t.rank, t.grade, t.composite, t.status, t.quotaCut],
    p.members.map((m) => [raw(`<a href="/staff/${encodeURIComponent(m.staffId)}?lang=${c.lang}">${esc(m.staffId)}</a>`), m.teamRank ?? '–', m.grade, num(m.composite, 1), m.status, p.quotaCut.has(m.staffId) ? raw(`<strong data-staff="${esc(m.staffId)}" data-field="quota-cut">✂ A → ${esc(m.grade)}</strong>`) : '']),
  );
  const dist = table(t.gradeDistribution, [t.grade, t.members], GRADES.map((g) => [g, p.row.grades[g]]));
  const kpis = table(t.teamKpis, [t.kpi, t.value, t.members], p.kpiMeans.filter((k) => k.mean !== null).map((k) => [k.id, num(k.mean, 4), k.members]));
  const body = `<h1>${esc(t.team)} ${esc(p.teamId)}</h1><p>${esc(t.period)} ${esc(p.periodId)} · ${esc(t.mean)} ${esc(num(p.row.mean, 1))}</p>
<section aria-labelledby="h-m"><h2 id="h-m">${esc(t.members)}</h2>${members}</section>
<section aria-labelledby="h-d"><h2 id="h-d">${esc(t.gradeDistribution)}</h2>${dist}</section>
<section aria-labelledby="h-k"><h2 id="h-k">${esc(t.teamKpis)}</h2>${kpis}</section>
<section aria-labelledby="h-t"><h2 id="h-t">${esc(t.trend6)}</h2>${chart('trend', t.trend6, p.trend.map((x) => x.periodId), p.trend.map((x) => x.mean))}
${table(t.trend6, [t.period, t.mean], p.trend.map((x) => [x.periodId, num(x.mean, 1)]))}</section>
<section aria-labelledby="h-tt"><h2 id="h-tt">${esc(t.teamTrends)}</h2>${teamTrendSection(trends, t, c.lang)}</section>`;
  return layout({ lang: c.lang, t, title: `${t.team} ${p.teamId}`, body, path: `/team/${encodeURIComponent(p.teamId)}`, scripts: ['/static/uPlot.iife.min.js', '/static/charts.js'] });
}

function arithmetic(x: MemberExplanation | undefined, t: Labels): string {
  if (!x) return `<p>${esc(t.explainUnavailable)}</p>`;
  const dims = table(
    t.dimensions,
    [t.dimension, t.score, t.weight, t.arithmetic],
    x.dimensions.map((d) => [
      d.id, num(d.score, 1), num(d.roleWeight),
      d.kpis.length ? `(${d.kpis.map((k) => `${num(k.weight)} × ${num(k.score, 1)} ${k.id}`).join(' + ')}) / ${num(d.kpis.reduce((s, k) => s + k.weight, 0))}${d.penalty ? ` − ${num(d.penalty)}` : ''}` : d.id === 'workload' ? `100 × ${num(x.workload.units)} / (${num(x.workload.referenceFactor)} × ${num(x.workload.reference)})` : '–',
    ]),
  );
  const comp = x.composite.value === null ? esc(t.notGraded) : `Σ ${esc(t.weight)} × ${esc(t.dimension)} / Σ ${esc(t.weight)} = ${esc(num(x.composite.weightedSum, 4))} / ${esc(num(x.composite.weightSum))} = <strong>${esc(num(x.composite.value, 1))}</strong>`;
  const g = x.grade;
  const r = x.ranking;
  return `${dims}
<p>${esc(t.composite)}: ${comp}</p>
<p>${esc(t.thresholds)}: A ≥ ${esc(g.thresholds.A)}, B ≥ ${esc(g.thresholds.B)}, C ≥ ${esc(g.thresholds.C)} → ${esc(g.beforeQuota)}</p>
<p>${esc(t.ranking)}: ${esc(t.rank)} ${esc(r.teamRank ?? '–')} / ${esc(r.teamSize)}${r.applies ? ` · A quota ${esc(r.aQuota)} · ${r.capped ? `<strong>${esc(t.quotaCut)}</strong>` : ''}` : ''} → ${esc(t.grade)} <strong>${esc(g.final)}</strong></p>`;
}

export function staffPageHtml(p: StaffPage, explanation: MemberExplanation | undefined, elig: Eligibility | undefined, c: PageContext, trend: StaffTrend | undefined): string {
  const { t } = c;
  const card = p.card;
  const pid = periodIdOfRecord(card.period);
  const summary = `<dl class="summary">
<dt>${esc(t.grade)}</dt><dd data-field="grade">${esc(card.grade)}</dd>
<dt>${esc(t.composite)}</dt><dd data-field="composite">${esc(card.composite ?? '–')}</dd>
<dt>${esc(t.rank)}</dt><dd data-field="teamRank">${esc(card.teamRank ?? '–')} / ${esc(card.teamSize)}</dd>
<dt>${esc(t.team)}</dt><dd><a href="/team/${encodeURIComponent(card.teamId)}?lang=${c.lang}">${esc(card.teamId)}</a></dd>
<dt>${esc(t.role)}</dt><dd>${esc(card.role)}</dd>
<dt>${esc(t.status)}</dt><dd data-field="status">${esc(card.status)} (${esc(t.revision)} ${esc(card.revision)})</dd>
<dt>${esc(t.rules)}</dt><dd>${esc(card.rulesVersion)}</dd>
<dt>${esc(t.computedAt)}</dt><dd><time datetime="${esc(card.computedAt)}">${esc(c.time(card.computedAt))}</time></dd></dl>`;
  const kpis = table(
    `${t.kpi} — ${pid}`,
    [t.kpi, t.numerator, t.denominator, t.value, t.score],
    kpiRows(card).map((k) => [k.id, cell({ kpi: k.id, field: 'numerator' }, String(k.numerator ?? '–')), cell({ kpi: k.id, field: 'denominator' }, String(k.denominator ?? '–')), num(k.value, 4), num(k.score, 1)]),
  );
  const reasons = card.reasons.length
    ? table(t.reasons, [t.kind, t.reason, t.requestedBy, t.approvedBy, t.computedAt], card.reasons.map((r) => [`${r.kind}${r.adjustment ? ` ${r.adjustment.target} ${r.adjustment.id} ${r.adjustment.mode} ${r.adjustment.amount}` : ''}`, r.reason, r.requestedBy, r.approvedBy, c.time(r.at)]))
    : `<p>${esc(t.none)}</p>`;
  const e = elig ?? explanation?.eligibility ?? null;
  const eligibility = e
    ? `<ul><li>${esc(t.coefficient)}: ${esc(e.bonusCoefficient)}</li><li>${esc(t.awards)}: ${esc(e.awards.join(', ') || t.none)}</li><li>${esc(t.veto)}: ${esc(e.vetoReasons.join(', ') || t.none)}</li></ul>
<h3>${esc(t.training)}</h3><p data-field="training">${esc(e.trainingRecommendations.join(', ') || t.none)}</p>`
    : `<p>${esc(t.none)}</p>`;
  const history = table(t.pastCards, [t.period, t.grade, t.composite, t.status], p.history.map((h) => [raw(`<a href="/staff/${encodeURIComponent(p.staffId)}?period=${encodeURIComponent(periodIdOfRecord(h.period))}&amp;lang=${c.lang}">${esc(periodIdOfRecord(h.period))}</a>`), h.grade, num(h.composite, 1), `${h.status} ${h.revision}`]));
  const body = `<h1>${esc(t.staff)} ${esc(p.staffId)} <small>${esc(pid)}</small></h1>
${summary}
<section aria-labelledby="h-k"><h2 id="h-k">${esc(t.kpi)}</h2>${kpis}</section>
<section aria-labelledby="h-a"><h2 id="h-a">${esc(t.arithmetic)}</h2>${arithmetic(explanation, t)}</section>
<section aria-labelledby="h-r"><h2 id="h-r">${esc(t.reasons)}</h2>${reasons}</section>
<section aria-labelledby="h-tr"><h2 id="h-tr">${esc(t.trends)}</h2>${staffTrendSection(trend, t)}</section>
<section aria-labelledby="h-e"><h2 id="h-e">${esc(t.eligibility)}</h2>${eligibility}</section>
<section aria-labelledby="h-s"><h2 id="h-s">${esc(t.staticProfile)}</h2>${staticProfileSection(card.staticProfile, t, c.time)}</section>
<section aria-labelledby="h-t"><h2 id="h-t">${esc(t.monthTrend)}</h2>${p.days.length ? chart('days', t.monthTrend, p.days.map((d) => d.day), p.days.map((d) => d.composite)) : `<p>${esc(t.noData)}</p>`}</section>
<section aria-labelledby="h-h"><h2 id="h-h">${esc(t.pastCards)}</h2>${history}</section>`;
  return layout({ lang: c.lang, t, title: `${t.staff} ${p.staffId}`, body, path: `/staff/${encodeURIComponent(p.staffId)}`, scripts: ['/static/uPlot.iife.min.js', '/static/charts.js'] });
}

/** /teams: the month's team board (docs/team-scorecards.md): rank, score, composite mean and spread, team KPIs, grades, workload per head. */
export function teamsPageHtml(p: TeamsPage, c: PageContext): string {
  const t = c.t;
  const kpi = (team: TeamsPage['teams'][number], id: string) => team.kpis.find((k) => k.kpiId === id)?.value ?? null;
  const body = p.teams.length === 0
    ? `<h1>${esc(t.teamCards)} · ${esc(p.periodId)}</h1><p>${esc(fill(t.teamCardsNone, { period: p.periodId }))}</p>`
    : `<h1>${esc(t.teamCards)} · ${esc(p.periodId)}</h1>${table(
        `${t.teamCards} · ${p.periodId}`,
        [t.rank, t.team, t.status, t.score, t.mean, t.spread, t.serviceLevel, t.repairRate, t.collectionRate, t.readingRate, t.complaintsPer1000, ...GRADES, t.members, t.workloadPerHead],
        p.teams.map((x) => [
          x.rank ?? '–', raw(`<a href="/team/${encodeURIComponent(x.teamId)}?lang=${c.lang}">${esc(x.teamId)}</a>`), x.revision > 0 ? `${x.status} ${x.revision}` : x.status,
          num(x.score, 1), num(x.compositeMean, 1), num(x.compositeSpread, 1),
          pct(kpi(x, 'service_level')), pct(kpi(x, 'repair_commitment_rate')), pct(kpi(x, 'fee_collection_rate')), pct(kpi(x, 'meter_reading_rate')), num(kpi(x, 'complaints_per_1000_contacts'), 2),
          ...GRADES.map((g) => x.grades[g as keyof typeof x.grades] ?? 0), x.members, num(x.workloadPerHead, 1),
        ]),
      )}`;
  return layout({ lang: c.lang, t, title: t.teamCards, body, path: '/teams' });
}

export function messagePage(c: PageContext, title: string, text: string, path: string): string {
  return layout({ lang: c.lang, t: c.t, title, path, body: `<h1>${esc(title)}</h1><p class="message">${esc(text)}</p><p><a href="/wallboard?lang=${c.lang}">${esc(c.t.back)}</a></p>` });
}

export const notFoundText = (t: Labels, what: 'staff' | 'team', id: string) => fill(what === 'staff' ? t.notFoundStaff : t.notFoundTeam, { id });
export type { Scorecard };
