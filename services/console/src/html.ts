// HTML building blocks: every interpolated value goes through `esc`.
import type { Lang, Labels } from './labels.ts';

export function esc(v: unknown): string {
  return String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Marks a string as already-escaped HTML. */
export interface Html {
  html: string;
}
export const raw = (html: string): Html => ({ html });
const part = (v: Html | string | number | null | undefined): string => (v && typeof v === 'object' ? v.html : esc(v));

/** A table with a caption and header cells (scope=col); cells are escaped unless raw. */
export function table(caption: string, head: string[], rows: (Html | string | number | null)[][], cls = ''): string {
  const th = head.map((h) => `<th scope="col">${esc(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c, i) => (i === 0 ? `<th scope="row">${part(c)}</th>` : `<td>${part(c)}</td>`)).join('')}</tr>`).join('\n');
  return `<table class="${esc(cls)}"><caption>${esc(caption)}</caption><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table>`;
}

export function pct(r: number | null | undefined): string {
  return r === null || r === undefined ? '–' : `${(100 * r).toFixed(1)}%`;
}

export function num(x: number | null | undefined, digits = 2): string {
  return x === null || x === undefined ? '–' : String(Number(x.toFixed(digits)));
}

export function layout(o: { lang: Lang; t: Labels; title: string; body: string; /** the page's path, without the query */
  path: string; scripts?: string[]; bodyClass?: string }): string {
  const other: Lang = o.lang === 'zh' ? 'en' : 'zh';
  const scripts = (o.scripts ?? []).map((s) => `<script src="${esc(s)}" defer></script>`).join('');
  return `<!doctype html>
<html lang="${o.lang === 'zh' ? 'zh-CN' : 'en'}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(o.title)} · ${esc(o.t.title)}</title>
<link rel="stylesheet" href="/static/console.css"><link rel="stylesheet" href="/static/uPlot.min.css">${scripts}</head>
<body class="${esc(o.bodyClass ?? '')}">
<header><nav aria-label="${esc(o.t.title)}"><a href="/wallboard?lang=${o.lang}">${esc(o.t.wallboard)}</a>
<a href="/teams?lang=${o.lang}">${esc(o.t.teamCards)}</a>
<a href="${esc(`${o.path}?lang=${other}`)}" lang="${other === 'zh' ? 'zh-CN' : 'en'}">${other === 'zh' ? '中文' : 'English'}</a></nav></header>
<main>
${o.body}
</main>
</body></html>`;
}
