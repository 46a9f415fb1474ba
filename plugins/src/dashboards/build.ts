/*
 * Small builders for the bundled dashboards: every dashboard, variable and panel is typed with
 * Grafana's dashboard schema (@grafana/schema) and every query with the data source's query model, so
 * that a dashboard that Grafana would not read, or a query the data source does not know, fails to compile.
 */
import type { Dashboard, DataSourceRef, Panel, VariableModel } from '@grafana/schema';
import { VariableHide, VariableRefresh, VariableSort } from '@grafana/schema';
import type { Options as BarChartOptions } from '@grafana/schema/dist/esm/raw/composable/barchart/panelcfg/x/BarChartPanelCfg_types.gen';
import type { Options as PieChartOptions } from '@grafana/schema/dist/esm/raw/composable/piechart/panelcfg/x/PieChartPanelCfg_types.gen';
import type { Options as StatOptions } from '@grafana/schema/dist/esm/raw/composable/stat/panelcfg/x/StatPanelCfg_types.gen';
import type { Options as TableOptions } from '@grafana/schema/dist/esm/raw/composable/table/panelcfg/x/TablePanelCfg_types.gen';
import type { Options as TimeSeriesOptions } from '@grafana/schema/dist/esm/raw/composable/timeseries/panelcfg/x/TimeSeriesPanelCfg_types.gen';
import { APP_PLUGIN_ID, APP_ROOT, DATASOURCE_PLUGIN_ID } from '../shared/links';
import type { FilterTerm, RumQuery, RumVariableQuery } from '../datasource/types';
import { DASHBOARD_APP_VARIABLE } from './catalog';

/** A schema type as JSON spells it: string enums as their string values. */
export type Json<T> = T extends string
  ? `${T}`
  : T extends ReadonlyArray<infer U>
    ? Array<Json<U>>
    : T extends object
      ? { [K in keyof T]: Json<T[K]> }
      : T;

/** Grafana's dashboard schema version these dashboards are written in (Grafana 13.1 reads it as is). */
export const SCHEMA_VERSION = 41;
/** Every bundled dashboard carries this tag: their links list each other by it. */
export const DASHBOARD_TAG = 'otel-rum';
/** A custom "All" value that the data source reads as "no condition" (datasource/query/filter.ts). */
export const ALL_VALUE = '$__all';
/** Dashboard grid width, Grafana's. */
const GRID_COLUMNS = 24;

export const RUM_DS: DataSourceRef = { type: DATASOURCE_PLUGIN_ID, uid: '${ds}' };

/** A panel query: the data source's query model, scoped to the dashboard's application. */
export type Target = Omit<RumQuery, 'refId' | 'datasource'>;

/** Filters every query of a dashboard shares; `page` only applies to events that happen on a page. */
export const ENV_VERSION: FilterTerm[] = [
  { field: 'env', op: '=', value: '$env' },
  { field: 'version', op: '=', value: '$version' },
];
export const ON_PAGE: FilterTerm[] = [...ENV_VERSION, { field: 'path', op: '=', value: '$page' }];

export function q(target: Target, filters: FilterTerm[] = ON_PAGE): Target {
  return { appId: '$app', ...target, filters: [...filters, ...(target.filters ?? [])] };
}

type PanelSpec = Omit<Panel, 'gridPos' | 'id' | 'targets' | 'datasource'> & {
  targets: Target[];
  w: number;
  h: number;
};

function panel(type: string, title: string, targets: Target[], w: number, h: number, extra: Partial<Panel>) {
  return { type, title, targets, w, h, ...extra } as PanelSpec;
}

export function stat(
  title: string,
  target: Target,
  options: Partial<Json<StatOptions>> = {},
  fieldConfig: Panel['fieldConfig'] = { defaults: {}, overrides: [] },
  w = 6,
  h = 4,
): PanelSpec {
  const o: Partial<Json<StatOptions>> = {
    reduceOptions: { calcs: ['sum'], fields: '', values: false },
    colorMode: 'value',
    graphMode: 'area',
    textMode: 'value',
    justifyMode: 'auto',
    ...options,
  };
  return panel('stat', title, [target], w, h, { options: o, fieldConfig });
}

export function timeseries(
  title: string,
  targets: Target[],
  fieldConfig: Panel['fieldConfig'] = { defaults: {}, overrides: [] },
  w = 12,
  h = 8,
): PanelSpec {
  const o: Partial<Json<TimeSeriesOptions>> = {
    legend: { showLegend: true, displayMode: 'list', placement: 'bottom', calcs: [] },
    tooltip: { mode: 'multi', sort: 'desc' },
  };
  return panel('timeseries', title, targets, w, h, { options: o, fieldConfig });
}

export function table(
  title: string,
  target: Target,
  w = 12,
  h = 9,
  fieldConfig: Panel['fieldConfig'] = { defaults: {}, overrides: [] },
  transformations: Panel['transformations'] = [],
): PanelSpec {
  const o: Partial<Json<TableOptions>> = { showHeader: true, cellHeight: 'sm', frameIndex: 0 };
  return panel('table', title, [target], w, h, { options: o, fieldConfig, transformations });
}

/** Top values of a field (facets) as horizontal bars. */
export function bars(title: string, target: Target, w = 8, h = 8): PanelSpec {
  const o: Partial<Json<BarChartOptions>> = {
    orientation: 'horizontal',
    showValue: 'auto',
    legend: { showLegend: false, displayMode: 'list', placement: 'bottom', calcs: [] },
    xTickLabelRotation: 0,
  };
  return panel('barchart', title, [target], w, h, {
    options: o,
    fieldConfig: { defaults: {}, overrides: [] },
  });
}

export function pie(title: string, target: Target, w = 8, h = 8): PanelSpec {
  const o: Partial<Json<PieChartOptions>> = {
    pieType: 'donut',
    displayLabels: ['percent'],
    legend: {
      showLegend: true,
      displayMode: 'table',
      placement: 'right',
      values: ['value', 'percent'],
      calcs: [],
    },
    reduceOptions: { calcs: ['lastNotNull'], fields: '', values: true },
  };
  return panel('piechart', title, [target], w, h, {
    options: o,
    fieldConfig: { defaults: {}, overrides: [] },
  });
}

/** One of this app's own panels (plugins/src/panels). */
export function rumPanel(
  type: string,
  title: string,
  targets: Target[],
  options: Record<string, unknown>,
  w = 24,
  h = 10,
): PanelSpec {
  return panel(type, title, targets, w, h, { options, fieldConfig: { defaults: {}, overrides: [] } });
}

function variable(v: VariableModel): VariableModel {
  return v;
}

function facetVariable(name: string, label: string, field: string, kind?: RumQuery['kind']): VariableModel {
  const query: RumVariableQuery = {
    refId: name,
    type: 'facet',
    field,
    appId: '$app',
    ...(kind ? { kind } : {}),
  };
  return variable({
    name,
    label,
    type: 'query',
    datasource: RUM_DS,
    query: query as unknown as Record<string, unknown>,
    refresh: VariableRefresh.onTimeRangeChanged,
    multi: true,
    includeAll: true,
    allValue: ALL_VALUE,
    current: { text: ['All'], value: [ALL_VALUE] },
    sort: VariableSort.alphabeticalAsc,
  });
}

/** The variables every web dashboard has: data source, application, environment, version, page. */
export function webVariables(): VariableModel[] {
  const apps: RumVariableQuery = { refId: 'app', type: 'applications' };
  return [
    variable({
      name: 'ds',
      label: 'Data source',
      type: 'datasource',
      query: DATASOURCE_PLUGIN_ID,
      hide: VariableHide.dontHide,
    }),
    variable({
      name: DASHBOARD_APP_VARIABLE,
      label: 'Application',
      type: 'query',
      datasource: RUM_DS,
      query: apps as unknown as Record<string, unknown>,
      refresh: VariableRefresh.onDashboardLoad,
      multi: false,
      includeAll: false,
      sort: VariableSort.alphabeticalAsc,
    }),
    facetVariable('env', 'Environment', 'env'),
    facetVariable('version', 'Version', 'version'),
    facetVariable('page', 'Page', 'path', 'view'),
  ];
}

/** One session of the application, chosen among the sessions with the most views in the time range (or typed in the URL as var-session). */
export function sessionVariable(): VariableModel {
  const query: RumVariableQuery = {
    refId: 'session',
    type: 'facet',
    field: 'session',
    kind: 'view',
    appId: '$app',
  };
  return {
    name: 'session',
    label: 'Session',
    type: 'query',
    datasource: RUM_DS,
    query: query as unknown as Record<string, unknown>,
    refresh: VariableRefresh.onTimeRangeChanged,
    multi: false,
    includeAll: false,
    allowCustomValue: true,
  };
}

/** Lays panels out left to right, wrapping at the grid's width, and gives ids and refIds. */
function layout(specs: PanelSpec[]): Panel[] {
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  return specs.map((s, i) => {
    const { w, h, targets, ...rest } = s;
    if (x + w > GRID_COLUMNS) {
      x = 0;
      y += rowHeight;
      rowHeight = 0;
    }
    const p: Panel = {
      ...rest,
      id: i + 1,
      gridPos: { x, y, w, h },
      datasource: RUM_DS,
      targets: targets.map((t, j) => ({ refId: String.fromCharCode(65 + j), datasource: RUM_DS, ...t })),
    };
    x += w;
    rowHeight = Math.max(rowHeight, h);
    return p;
  });
}

export interface DashboardSpec {
  uid: string;
  title: string;
  description: string;
  tags?: string[];
  variables?: VariableModel[];
  panels: PanelSpec[];
}

const VERSION_ANNOTATION: RumQuery = { refId: 'version', appId: '$app', annotation: 'version' };

export function dashboard(spec: DashboardSpec): Dashboard {
  return {
    uid: spec.uid,
    title: spec.title,
    description: spec.description,
    tags: [DASHBOARD_TAG, ...(spec.tags ?? [])],
    editable: true,
    graphTooltip: 1,
    schemaVersion: SCHEMA_VERSION,
    time: { from: 'now-6h', to: 'now' },
    refresh: '',
    timezone: 'browser',
    links: [
      {
        title: 'otel-rum dashboards',
        type: 'dashboards',
        tags: [DASHBOARD_TAG],
        asDropdown: true,
        includeVars: true,
        keepTime: true,
        icon: 'external link',
        targetBlank: false,
        tooltip: '',
        url: '',
      },
      {
        title: 'Explorer',
        type: 'link',
        url: `${APP_ROOT}/explorer?app_id=\${app}`,
        keepTime: true,
        includeVars: false,
        asDropdown: false,
        icon: 'external link',
        tags: [],
        targetBlank: false,
        tooltip: `Events of the application in the ${APP_PLUGIN_ID} explorer`,
      },
    ],
    annotations: {
      list: [
        {
          name: 'New versions',
          datasource: RUM_DS,
          enable: true,
          iconColor: 'blue',
          target: VERSION_ANNOTATION,
        },
      ],
    },
    templating: { list: spec.variables ?? webVariables() },
    panels: layout(spec.panels),
  };
}
