// Dynamic appraisal (docs/dynamic-appraisal.md): a member's composite over the last months, its
// slope, consecutive D grades, the gain after a course, and the MOST_IMPROVED test on the trend.
// Pure: the history comes in as the scorer kept it (earlier months' FINAL/REVISED cards).

import { trainedOkCounter, type Counters } from './counters.ts';
import { DIMENSIONS, SKILLS, type Grade, type Skill } from './domain.ts';
import type { Hasher } from './hasher.ts';
import { clamp01, roundTo } from './numbers.ts';
import type { Rules } from './rules/schema.ts';

/** One month of a member's history: what their card of that month said. */
export interface MonthRecord {
  /** 'YYYY-MM' */
  month: string;
  composite: number | null;
  grade: Grade;
  /** the seven dimension scores in DIMENSIONS order (null: not applicable) */
  dimensions: readonly (number | null)[];
  /** skills with a course passed that month (trained_ok_<skill> > 0), sorted; absent = none */
  trained?: readonly Skill[];
}

/** The dynamic figures of a card (appraisal schema v6 `trend`). */
export interface Trend {
  /** months of the short window (rules trend.shortMonths) */
  shortWindow: number;
  /** months of the short window with a composite */
  shortGraded: number;
  shortMean: number | null;
  /** least-squares slope, points per month */
  shortSlope: number | null;
  longWindow: number;
  longGraded: number;
  longMean: number | null;
  longSlope: number | null;
  /** consecutive months ending with this one graded incentives.improvementPlanGrade */
  consecutiveD: number;
  /** 'YYYY-MM' of the course measured, or null */
  trainingMonth: string | null;
  trainingSkills: Skill[];
  /** mean related-dimension score after the course minus that of its month, points */
  trainingGain: number | null;
  /** 0..100 on the line floor 0 -> target trend.trainingGainTargetPoints */
  trainingGainScore: number | null;
}

/** Months since year 0 of 'YYYY-MM' (or a 'YYYY-MM-DD' date): consecutive months differ by 1. */
export function monthIndex(month: string): number {
  // Digits by char code (no substrings, no closure): this runs for every kept month of every
  // member in each scoring round.
  const year = (month.charCodeAt(0) - 48) * 1000 + (month.charCodeAt(1) - 48) * 100 + (month.charCodeAt(2) - 48) * 10 + (month.charCodeAt(3) - 48);
  return year * 12 + (month.charCodeAt(5) - 48) * 10 + (month.charCodeAt(6) - 48) - 1;
}

/** The month record of a MONTH card and its counters. */
export function monthRecordOf(
  card: { period: { start: string }; composite: number | null; grade: Grade; dimensions: Readonly<Record<(typeof DIMENSIONS)[number], number | null>> },
  counters: Counters | undefined,
): MonthRecord {
  const dimensions: (number | null)[] = new Array(DIMENSIONS.length);
  for (let i = 0; i < DIMENSIONS.length; i++) dimensions[i] = card.dimensions[DIMENSIONS[i]!];
  const rec: MonthRecord = { month: card.period.start.slice(0, 7), composite: card.composite, grade: card.grade, dimensions };
  if (counters !== undefined) {
    let trained: Skill[] | undefined;
    for (const s of SKILLS) if ((counters[trainedOkCounter(s)] ?? 0) > 0) (trained ??= []).push(s);
    if (trained !== undefined) rec.trained = trained.sort();
  }
  return rec;
}

/**
 * What to keep of a member after this month's card: this month, then the kept months of the
 * long window before it, newest first (the next month's history).
 */
export function historyToKeep(current: MonthRecord, history: readonly MonthRecord[], rules: Rules): MonthRecord[] {
  const m = monthIndex(current.month);
  const oldest = m - rules.trend.longMonths + 1;
  const out = history.filter((h) => {
    const i = monthIndex(h.month);
    return i >= oldest && i < m;
  });
  out.sort((a, b) => monthIndex(b.month) - monthIndex(a.month));
  return [current, ...out];
}

/** The months of the long window by offset: back[k] = the record of month M − k, or undefined. */
type Back = (MonthRecord | undefined)[];

// Scratch of the points being fitted (windows are at most 24 months, rules schema); scoring is synchronous.
const XS = new Float64Array(24);
const YS = new Float64Array(24);

/** Fills XS/YS with the points (x = −k for month M − k, y = composite) of the graded months of the last `window`; returns how many. */
function points(back: Back, window: number): number {
  let n = 0;
  for (let k = window - 1; k >= 0; k--) {
    const c = back[k]?.composite;
    if (c !== undefined && c !== null) (XS[n] = -k), (YS[n++] = c);
  }
  return n;
}

/** Mean of YS[0..n) and the least-squares slope of YS on XS (null with fewer than 2 points). */
function fit(n: number): { mean: number | null; slope: number | null } {
  if (n === 0) return { mean: null, slope: null };
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) (sx += XS[i]!), (sy += YS[i]!);
  const mx = sx / n;
  const my = sy / n;
  if (n < 2) return { mean: my, slope: null };
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const dx = XS[i]! - mx;
    (sxx += dx * dx), (sxy += dx * (YS[i]! - my));
  }
  return { mean: my, slope: sxy / sxx };
}

/** Mean of y and the least-squares slope of y on x (null with fewer than 2 points), of up to 24 points. */
export function meanAndSlope(pts: readonly (readonly [number, number])[]): { mean: number | null; slope: number | null } {
  pts.forEach(([x, y], i) => ((XS[i] = x), (YS[i] = y)));
  return fit(pts.length);
}

const RELATED = new WeakMap<Rules, Map<Skill, number[]>>();

const round = (x: number | null, decimals: number) => (x === null ? null : roundTo(x, decimals));

/** Dimension indices (DIMENSIONS order) the rules tie to each skill (incentives.trainingSkills), once per rules object. */
function relatedDimensions(rules: Rules): Map<Skill, number[]> {
  const cached = RELATED.get(rules);
  if (cached !== undefined) return cached;
  const out = new Map<Skill, number[]>();
  RELATED.set(rules, out);
  DIMENSIONS.forEach((d, i) => {
    const s = rules.incentives.trainingSkills[d];
    if (s === undefined) return;
    let a = out.get(s);
    if (!a) out.set(s, (a = []));
    a.push(i);
  });
  return out;
}

/** Mean of the non-null scores at the indices, or null. */
function meanAt(dims: readonly (number | null)[], idx: readonly number[]): number | null {
  let s = 0;
  let n = 0;
  for (const i of idx) {
    const v = dims[i];
    if (v !== null && v !== undefined) (s += v), n++;
  }
  return n === 0 ? null : s / n;
}

function trainingOf(back: Back, rules: Rules): Pick<Trend, 'trainingMonth' | 'trainingSkills' | 'trainingGain' | 'trainingGainScore'> {
  const decimals = rules.scoring.decimals;
  for (let t = 1; t <= rules.trend.trainingGainMonths; t++) {
    const rec = back[t];
    if (rec === undefined || rec.trained === undefined || rec.trained.length === 0) continue;
    const related = relatedDimensions(rules);
    const skills = rec.trained.filter((s) => related.has(s));
    if (skills.length === 0) continue;
    const idx = [...new Set(skills.flatMap((s) => related.get(s)!))];
    const before = meanAt(rec.dimensions, idx);
    const afters: number[] = [];
    for (let k = t - 1; k >= 0; k--) {
      const r = back[k];
      const v = r === undefined ? null : meanAt(r.dimensions, idx);
      if (v !== null) afters.push(v);
    }
    const after = afters.length === 0 ? null : afters.reduce((a, b) => a + b, 0) / afters.length;
    const gain = before === null || after === null ? null : roundTo(after - before, decimals);
    return {
      trainingMonth: rec.month,
      trainingSkills: [...skills].sort(),
      trainingGain: gain,
      trainingGainScore: gain === null ? null : roundTo(100 * clamp01(gain / rules.trend.trainingGainTargetPoints), decimals),
    };
  }
  return { trainingMonth: null, trainingSkills: [], trainingGain: null, trainingGainScore: null };
}

/**
 * The trend of a card of `current`'s month from the member's history (earlier months; entries
 * outside the long window, or not before the current month, are ignored).
 */
export function trendOf(current: MonthRecord, history: readonly MonthRecord[], rules: Rules): Trend {
  const m = monthIndex(current.month);
  const { shortMonths, longMonths } = rules.trend;
  const back: Back = new Array(longMonths);
  back[0] = current;
  for (const h of history) {
    const k = m - monthIndex(h.month);
    if (k > 0 && k < longMonths) back[k] = h;
  }
  const decimals = rules.scoring.decimals;
  const shortGraded = points(back, shortMonths);
  const s = fit(shortGraded);
  const longGraded = points(back, longMonths);
  const l = fit(longGraded);
  const plan = rules.incentives.improvementPlanGrade;
  let consecutiveD = 0;
  while (consecutiveD < longMonths && back[consecutiveD]?.grade === plan) consecutiveD++;
  return {
    shortWindow: shortMonths,
    shortGraded,
    shortMean: round(s.mean, decimals),
    shortSlope: round(s.slope, decimals),
    longWindow: longMonths,
    longGraded,
    longMean: round(l.mean, decimals),
    longSlope: round(l.slope, decimals),
    consecutiveD,
    ...trainingOf(back, rules),
  };
}

/**
 * MOST_IMPROVED on the trend: the fitted rise over the short window (slope × (window − 1)) when
 * every month of it is graded and the rise reaches incentives.mostImprovedMinPoints, else null.
 */
export function mostImprovedRise(trend: Trend | null | undefined, rules: Rules): number | null {
  if (!trend || trend.shortSlope === null || trend.shortGraded < trend.shortWindow) return null;
  const rise = roundTo(trend.shortSlope * (trend.shortWindow - 1), rules.scoring.decimals);
  return rise >= rules.incentives.mostImprovedMinPoints ? rise : null;
}

/** Whether the run of improvementPlanGrade months requires an improvement plan. */
export function improvementPlanDue(trend: Trend, rules: Rules): boolean {
  return trend.consecutiveD >= rules.trend.improvementPlanAfter;
}

/** Feeds every field of a trend to `h` in a fixed order (card ids and the scorer's content hash). */
export function hashTrend(h: Hasher, t: Trend): Hasher {
  h.str('trend')
    .num(t.shortWindow)
    .num(t.shortGraded)
    .num(t.shortMean)
    .num(t.shortSlope)
    .num(t.longWindow)
    .num(t.longGraded)
    .num(t.longMean)
    .num(t.longSlope)
    .num(t.consecutiveD)
    .str(t.trainingMonth ?? '')
    .num(t.trainingSkills.length);
  for (const s of t.trainingSkills) h.str(s);
  return h.num(t.trainingGain).num(t.trainingGainScore);
}

/** The history a previous FINAL alone gives (callers without the scorer's kept months): one month, no dimensions. */
export function historyOfPrevious(month: string, prev: { composite: number | null; grade: Grade } | undefined): MonthRecord[] {
  if (prev === undefined) return [];
  const i = monthIndex(month) - 1;
  const m = `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
  return [{ month: m, composite: prev.composite, grade: prev.grade, dimensions: NO_DIMENSIONS }];
}
const NO_DIMENSIONS: readonly (number | null)[] = Object.freeze(DIMENSIONS.map(() => null));
