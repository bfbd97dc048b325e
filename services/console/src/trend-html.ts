// The trends as HTML (every value escaped by html.ts): a member's sparkline and figures, a team's
// members with their direction, and the wallboard's counts per team. The sparkline is inline SVG
// drawn on the server (presentation attributes and classes only: the console's CSP allows no inline
// style and no inline script).
import { trendDirection, type TeamTrendSummary, type TrendDirection } from '@cs/appraisal';
import { esc, num, raw, table } from './html.ts';
import { fill, type Lang, type Labels } from './labels.ts';
import type { CardTrend, StaffTrend, TeamTrends } from './trend-view.ts';

const W = 240;
const H = 60;
const PAD = 6;
/** The y axis spans at least this many points, so a wobble of a fraction of a point is not drawn as a cliff. */
const MIN_SPAN = 10;

/** Inline SVG of the composites (gaps where a month has none), with a title for screen readers. */
export function sparkline(points: StaffTrend['points'], title: string): string {
  const ys = points.map((p) => p.composite).filter((v): v is number => v !== null);
  const mid = ys.length ? (Math.min(...ys) + Math.max(...ys)) / 2 : 50;
  const half = Math.max(MIN_SPAN, ys.length ? Math.max(...ys) - Math.min(...ys) : 0) / 2;
  const x = (i: number) => PAD + (points.length > 1 ? (i * (W - 2 * PAD)) / (points.length - 1) : (W - 2 * PAD) / 2);
  const y = (v: number) => H - PAD - ((v - (mid - half)) * (H - 2 * PAD)) / (2 * half);
  const runs: string[][] = [];
  let run: string[] = [];
  const dots: string[] = [];
  points.forEach((p, i) => {
    if (p.composite === null) {
      if (run.length) runs.push(run);
      run = [];
      return;
    }
    const xy = `${x(i).toFixed(1)},${y(p.composite).toFixed(1)}`;
    run.push(xy);
    const [cx, cy] = xy.split(',');
    dots.push(`<circle cx="${cx}" cy="${cy}" r="3"><title>${esc(`${p.month}: ${num(p.composite, 1)}`)}</title></circle>`);
  });
  if (run.length) runs.push(run);
  const lines = runs.filter((r) => r.length > 1).map((r) => `<polyline points="${r.join(' ')}" fill="none" stroke="#0b3d2e" stroke-width="2"/>`);
  return `<svg class="sparkline" role="img" aria-label="${esc(title)}" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" xmlns="http://www.w3.org/2000/svg"><title>${esc(title)}</title><rect x="0.5" y="0.5" width="${W - 1}" height="${H - 1}" fill="none" stroke="#bbb"/>${lines.join('')}<g fill="#0b3d2e">${dots.join('')}</g></svg>`;
}

const ARROW: Record<TrendDirection, string> = { IMPROVING: '↑', STEADY: '→', DECLINING: '↓', UNKNOWN: '' };

/** A slope as its arrow and size (`↑ 4.0`, `↓ 3.0`; the arrow carries the sign), classed for colour; `–` without one. */
function slope(value: number | null, direction: TrendDirection, field: string): string {
  const cls = direction === 'IMPROVING' ? 'ok' : direction === 'DECLINING' ? 'bad' : '';
  return `<span class="${cls}" data-field="${esc(field)}">${value === null ? '–' : esc(`${ARROW[direction]} ${Math.abs(value).toFixed(1)}`)}</span>`;
}

function trainingText(t: CardTrend, l: Labels): string {
  if (t.trainingMonth === null) return l.noCourse;
  const gain = t.trainingGain === null ? '–' : `${t.trainingGain >= 0 ? '+' : ''}${t.trainingGain.toFixed(1)}`;
  return fill(l.trainingGainText, { month: t.trainingMonth, skills: t.trainingSkills.join(', '), gain, score: num(t.trainingGainScore, 0) });
}

/** The staff page's trend section: sparkline and the month-by-month figures, then the trend's figures. */
export function staffTrendSection(s: StaffTrend | undefined, l: Labels): string {
  if (!s) return `<p>${esc(l.trendNone)}</p>`;
  const t = s.trend;
  const caption = fill(l.sparkline, { n: String(t.longWindow) });
  const figures = table(caption, [l.period, l.composite], s.points.map((p) => [p.month, num(p.composite, 1)]), 'sparkline-figures');
  return `<figure class="trend">${sparkline(s.points, caption)}</figure>
${figures}
<dl class="summary trend-figures">
<dt>${esc(fill(l.windowMean, { n: String(t.shortWindow) }))}</dt><dd><span data-field="shortMean">${esc(num(t.shortMean, 1))}</span> · ${esc(l.slope)} ${slope(t.shortSlope, s.direction, 'shortSlope')}</dd>
<dt>${esc(fill(l.windowMean, { n: String(t.longWindow) }))}</dt><dd><span data-field="longMean">${esc(num(t.longMean, 1))}</span> · ${esc(l.slope)} ${slope(t.longSlope, trendDirection({ shortSlope: t.longSlope }), 'longSlope')}</dd>
<dt>${esc(l.consecutiveD)}</dt><dd data-field="consecutiveD">${esc(t.consecutiveD)}</dd>
<dt>${esc(l.improvementPlan)}</dt><dd data-field="improvementPlan">${s.plan ? `<strong class="bad">${esc(l.planRequired)}</strong>` : esc(l.none)}</dd>
<dt>${esc(l.trainingGain)}</dt><dd data-field="trainingGain">${esc(trainingText(t, l))}</dd>
</dl>`;
}

/** The team page's trend section: the counts, then each member's figures (rank order). */
export function teamTrendSection(tt: TeamTrends, l: Labels, lang: Lang): string {
  if (!tt.summary) return `<p>${esc(l.trendNone)}</p>`;
  const members = table(
    l.teamTrends,
    [l.staff, fill(l.windowMean, { n: String(tt.members[0]!.trend.shortWindow) }), l.slope, fill(l.windowMean, { n: String(tt.members[0]!.trend.longWindow) }), l.slope, l.consecutiveD, l.improvementPlan, l.trainingGain],
    tt.members.map((m) => [
      raw(`<a href="/staff/${encodeURIComponent(m.staffId)}?lang=${lang}">${esc(m.staffId)}</a>`),
      num(m.trend.shortMean, 1),
      raw(slope(m.trend.shortSlope, m.direction, 'shortSlope')),
      num(m.trend.longMean, 1),
      raw(slope(m.trend.longSlope, trendDirection({ shortSlope: m.trend.longSlope }), 'longSlope')),
      m.trend.consecutiveD,
      m.plan ? raw(`<strong class="bad" data-staff="${esc(m.staffId)}" data-field="plan">${esc(l.planRequired)}</strong>`) : '',
      m.trend.trainingGain === null ? '–' : `${num(m.trend.trainingGain, 1)} (${num(m.trend.trainingGainScore, 0)})`,
    ]),
  );
  return `${trendCounts(l, l.teamTrends, [tt.summary], lang)}\n${members}`;
}

/** Per team: members improving, steady, declining, unknown, on an improvement plan, and the mean training gain. */
export function trendCounts(l: Labels, caption: string, rows: readonly TeamTrendSummary[], lang: Lang, cls = ''): string {
  if (rows.length === 0) return `<p>${esc(caption)}: ${esc(l.noData)}</p>`;
  return table(
    caption,
    [l.team, l.improving, l.steady, l.declining, l.trendUnknown, l.improvementPlan, l.trainingGainMean],
    rows.map((r) => [
      raw(`<a href="/team/${encodeURIComponent(r.teamId)}?lang=${lang}">${esc(r.teamId)}</a>`),
      raw(`<span data-team="${esc(r.teamId)}" data-field="improving">${esc(r.byDirection.IMPROVING)}</span>`),
      r.byDirection.STEADY,
      raw(`<span data-team="${esc(r.teamId)}" data-field="declining">${esc(r.byDirection.DECLINING)}</span>`),
      r.byDirection.UNKNOWN,
      raw(`<span class="${r.plans.length ? 'bad' : ''}" data-team="${esc(r.teamId)}" data-field="plans">${esc(r.plans.length)}</span>`),
      num(r.trainingGainMean, 1),
    ]),
    cls,
  );
}
