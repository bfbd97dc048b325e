// PromQL read by Prometheus's own grammar (@prometheus-io/lezer-promql, the parser of the
// Prometheus web UI): one walk of the syntax tree lists what a query selects and calls. Every
// monitoring check (rules, dashboards, promtool tests, the end-to-end run) reads PromQL through here.
import type { SyntaxNode } from '@lezer/common';
import { parser } from '@prometheus-io/lezer-promql';

export type MatchOp = '=' | '!=' | '=~' | '!~';
export interface LabelMatcher {
  label: string;
  op: MatchOp;
  value: string;
}
/** One series selector: `name{matchers}` (name undefined for `{__name__=~"…"}` and the like). */
export interface Selector {
  metric: string | undefined;
  matchers: LabelMatcher[];
}
export interface PromQLSyntax {
  selectors: Selector[];
  /** Names of the series selected (`x{…}` and `{__name__="x"}`), each once, in order of appearance. */
  metrics: string[];
  /** Functions and aggregation operators called (`rate`, `sum`, `histogram_quantile`, …). */
  functions: string[];
  /** Durations of range selectors, subqueries (`5m:1m`) and offsets, as written. */
  ranges: string[];
  /** Numeric literals (thresholds, function parameters), not durations. */
  numbers: number[];
  /** Syntax errors: where and what the parser could not read. Empty for a valid query. */
  errors: string[];
}

export class PromQLSyntaxError extends Error {
  constructor(
    readonly expr: string,
    readonly errors: string[],
  ) {
    super(`invalid PromQL ${JSON.stringify(expr)}: ${errors.join('; ')}`);
  }
}

/** A PromQL string literal's value ("…", '…' with Go escapes, or a raw `…`). */
function unquote(lit: string): string {
  const body = lit.slice(1, -1);
  if (lit.startsWith('`')) return body;
  const dq = lit.startsWith("'") ? body.replace(/\\'/g, "'").replace(/"/g, '\\"') : body;
  try {
    return JSON.parse(`"${dq}"`) as string;
  } catch {
    return body;
  }
}

const MATCH_OPS: Record<string, MatchOp> = { EqlSingle: '=', Neq: '!=', EqlRegex: '=~', NeqRegex: '!~' };

function selector(node: SyntaxNode, text: (n: SyntaxNode) => string): Selector {
  const name = node.getChild('Identifier');
  const matchers: LabelMatcher[] = [];
  const list = node.getChild('LabelMatchers');
  for (const m of list?.getChildren('UnquotedLabelMatcher') ?? []) matchers.push(matcher(m, 'LabelName', text));
  for (const m of list?.getChildren('QuotedLabelMatcher') ?? []) matchers.push(matcher(m, 'QuotedLabelName', text));
  // {"metric.name", …}: a quoted name standing alone is the metric name (UTF-8 names, Prometheus 3).
  for (const m of list?.getChildren('QuotedLabelName') ?? []) matchers.push({ label: '__name__', op: '=', value: unquote(text(m)) });
  const byName = matchers.find((m) => m.label === '__name__' && m.op === '=');
  return { metric: name ? text(name) : byName?.value, matchers: matchers.filter((m) => m !== byName) };
}

function matcher(m: SyntaxNode, labelNode: string, text: (n: SyntaxNode) => string): LabelMatcher {
  const label = text(m.getChild(labelNode)!);
  const op = m.getChild('MatchOp')?.firstChild;
  const value = m.getChild('StringLiteral');
  return { label: labelNode === 'QuotedLabelName' ? unquote(label) : label, op: MATCH_OPS[op?.name ?? ''] ?? '=', value: value ? unquote(text(value)) : '' };
}

/** Parses `expr` and lists what it selects and calls; syntax errors are reported, not thrown. */
export function parsePromQL(expr: string): PromQLSyntax {
  const tree = parser.parse(expr);
  const text = (n: SyntaxNode) => expr.slice(n.from, n.to);
  const out: PromQLSyntax = { selectors: [], metrics: [], functions: [], ranges: [], numbers: [], errors: [] };
  // Errors first, over the whole tree: the walk below does not descend into selectors.
  tree.iterate({
    enter: (n) => {
      if (n.type.isError) out.errors.push(`unexpected ${JSON.stringify(expr.slice(n.from, n.to + 1) || 'end of query')} at ${n.from}`);
    },
  });
  tree.iterate({
    enter: (ref) => {
      const n = ref.node;
      switch (n.name) {
        case 'VectorSelector':
          out.selectors.push(selector(n, text));
          return false;
        case 'FunctionIdentifier':
        case 'AggregateOp':
          out.functions.push(text(n));
          return false;
        case 'NumberDurationLiteralInDurationContext':
          out.ranges.push(text(n));
          return false;
        case 'NumberDurationLiteral': {
          const v = Number(text(n));
          if (Number.isNaN(v)) out.ranges.push(text(n));
          else out.numbers.push(v);
          return false;
        }
        default:
          return undefined;
      }
    },
  });
  out.metrics = [...new Set(out.selectors.flatMap((s) => (s.metric ? [s.metric] : [])))];
  return out;
}

/** The parsed query; throws PromQLSyntaxError when it is not valid PromQL. */
export function parseValidPromQL(expr: string): PromQLSyntax {
  const p = parsePromQL(expr);
  if (p.errors.length > 0) throw new PromQLSyntaxError(expr, p.errors);
  return p;
}

/** Metric names a (valid) query selects. */
export const metricNames = (expr: string): string[] => parseValidPromQL(expr).metrics;

/** Numeric literals of a (valid) query: thresholds and function parameters, not durations. */
export const numericLiterals = (expr: string): number[] => parseValidPromQL(expr).numbers;
