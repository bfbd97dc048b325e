// A dashboard query as Grafana sends it to Prometheus: its template variables replaced, and a
// variable's `label_values(selector, label)` (Grafana syntax, not PromQL) split into the selector
// and the label asked for.

/** What Grafana substitutes when a dashboard opens with its defaults ("All" is allValue `.*`). */
export const GRAFANA_DEFAULTS: Readonly<Record<string, string>> = {
  __rate_interval: '1m',
  __interval: '15s',
  __range: '1h',
  period_kind: 'MONTH',
};
const ALL = '.*';

/** `$var`, `${var}`, `${var:format}` and `[[var]]` replaced by `values` (default: Grafana's, else `.*`). */
export function substituteVariables(query: string, values: Readonly<Record<string, string>> = GRAFANA_DEFAULTS): string {
  return query.replace(/\$\{(\w+)(?::\w+)?\}|\$(\w+)|\[\[(\w+)\]\]/g, (_m, a?: string, b?: string, c?: string) => values[(a ?? b ?? c)!] ?? ALL);
}

export interface GrafanaQuery {
  /** The PromQL Prometheus receives. */
  expr: string;
  /** For `label_values(selector, label)`: the label whose values Grafana lists. */
  labelValuesOf?: string;
}

/** A panel target's or a query variable's text, as the PromQL Grafana would send. */
export function grafanaQuery(query: string, values?: Readonly<Record<string, string>>): GrafanaQuery {
  const q = substituteVariables(query, values).trim();
  const prefix = 'label_values(';
  if (!q.startsWith(prefix) || !q.endsWith(')')) return { expr: q };
  const args = q.slice(prefix.length, -1);
  const comma = args.lastIndexOf(',');
  // label_values(label) asks across every series.
  if (comma < 0) return { expr: '{__name__=~".+"}', labelValuesOf: args.trim() };
  return { expr: args.slice(0, comma).trim(), labelValuesOf: args.slice(comma + 1).trim() };
}
