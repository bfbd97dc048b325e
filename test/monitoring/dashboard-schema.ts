// The shape a dashboard of deploy/grafana/dashboards must have, from @grafana/schema (Grafana's own
// generated types): the Dashboard, its rows, and each panel with the options and field config of
// its plugin. test/unit/dashboard-schema.test.ts compiles every dashboard file against
// DashboardJson, so a misspelt key, a missing required option or a wrong value fails the unit tests.
import type * as schema from '@grafana/schema';
import type * as barchart from '@grafana/schema/dist/esm/raw/composable/barchart/panelcfg/x/BarChartPanelCfg_types.gen';
import type * as stat from '@grafana/schema/dist/esm/raw/composable/stat/panelcfg/x/StatPanelCfg_types.gen';
import type * as table from '@grafana/schema/dist/esm/raw/composable/table/panelcfg/x/TablePanelCfg_types.gen';
import type * as text from '@grafana/schema/dist/esm/raw/composable/text/panelcfg/x/TextPanelCfg_types.gen';
import type * as timeseries from '@grafana/schema/dist/esm/raw/composable/timeseries/panelcfg/x/TimeSeriesPanelCfg_types.gen';

/**
 * A type as it is written in JSON: Grafana stores a string enum member as its value ("value", not
 * BigValueColorMode.Value), which TypeScript would not accept for the enum type itself.
 */
export type AsJson<T> = T extends string
  ? string extends T
    ? string
    : `${T}`
  : T extends number | boolean | null | undefined
    ? T
    : T extends readonly (infer U)[]
      ? AsJson<U>[]
      : T extends object
        ? { [K in keyof T]: AsJson<T[K]> }
        : T;

/**
 * A Prometheus query of a panel or an annotation. The Prometheus data source's query type is not in
 * @grafana/schema (it lives in the plugin): these are the fields Grafana's PromQuery defines.
 */
export interface PromTarget extends schema.DataQuery {
  expr: string;
  legendFormat?: string;
  instant?: boolean;
  range?: boolean;
  exemplar?: boolean;
  format?: 'time_series' | 'table' | 'heatmap';
  interval?: string;
  intervalFactor?: number;
  editorMode?: 'code' | 'builder';
}

/** A panel of plugin `T` with that plugin's options and custom field config. */
type PluginPanel<T extends string, Options, Custom> = Omit<schema.Panel<Options, Custom>, 'type' | 'options' | 'targets'> & {
  type: T;
  options: Options;
  targets?: PromTarget[];
};

/** The panel plugins the dashboards use; a panel of any other type does not type-check. */
export type CheckedPanel =
  | PluginPanel<'timeseries', timeseries.Options, timeseries.FieldConfig>
  | PluginPanel<'stat', stat.Options, Record<string, never>>
  | PluginPanel<'table', table.Options, table.FieldConfig>
  | PluginPanel<'barchart', barchart.Options, barchart.FieldConfig>
  | PluginPanel<'text', text.Options, Record<string, never>>;

export interface CheckedRow extends Omit<schema.RowPanel, 'panels'> {
  /** The row's panels while it is collapsed (empty when expanded: they follow it at top level). */
  panels: CheckedPanel[];
}

export interface CheckedDashboard extends Omit<schema.Dashboard, 'panels'> {
  panels: (CheckedPanel | CheckedRow)[];
}

/** A dashboard file of deploy/grafana/dashboards, as JSON. */
export type DashboardJson = AsJson<CheckedDashboard>;
export type PanelJson = AsJson<CheckedPanel>;
export type RowJson = AsJson<CheckedRow>;
