// A small PromQL reader: enough to list the metric names a query selects and the numeric literals
// it compares against. Not a parser: it strips what cannot be a metric name and tokenises the rest.

const KEYWORDS = new Set(['and', 'or', 'unless', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'offset', 'inf', 'nan', 'start', 'end']);

/** The query with strings, label matchers, ranges, grouping clauses and Grafana variables blanked. */
function skeleton(expr: string): string {
  return expr
    .replace(/\$\{[^}]*\}|\$\w+/g, ' ') // Grafana variables ($__rate_interval, ${queue})
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""') // string literals
    .replace(/\{[^}]*\}/g, ' ') // label matchers
    .replace(/\[[^\]]*\]/g, ' ') // range and subquery selectors
    .replace(/#[^\n]*/g, ' ') // comments
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' '); // label lists
}

/** Metric names selected by a PromQL expression (or a Grafana `label_values(expr, label)` query). */
export function metricNames(query: string): string[] {
  const lv = /^\s*label_values\(\s*(.*),\s*[a-zA-Z_][a-zA-Z0-9_]*\s*\)\s*$/s.exec(query);
  const expr = lv ? lv[1]! : query;
  const s = skeleton(expr);
  const names = new Set<string>();
  for (const m of s.matchAll(/(?<![\w:.])([a-zA-Z_:][a-zA-Z0-9_:]*)(?![\w:])/g)) {
    const name = m[1]!;
    const rest = s.slice(m.index! + name.length);
    if (/^\s*\(/.test(rest)) continue; // function or aggregation call
    if (KEYWORDS.has(name.toLowerCase())) continue;
    names.add(name);
  }
  // A selector written only as {__name__="x"}.
  for (const m of expr.matchAll(/__name__\s*=\s*"([a-zA-Z_:][a-zA-Z0-9_:]*)"/g)) names.add(m[1]!);
  return [...names];
}

/** Numeric literals in an expression outside ranges, label matchers and function calls' names. */
export function numericLiterals(expr: string): number[] {
  const s = skeleton(expr);
  return [...s.matchAll(/(?<![\w.:])(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|\.\d+)(?![\w.])/g)].map((m) => Number(m[1]));
}
