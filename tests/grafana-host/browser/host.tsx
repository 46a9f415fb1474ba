/*
 * The browser side of the Grafana host: Grafana's public packages (the real ones, one copy each),
 * an AMD loader for built plugin modules as Grafana's loader gives them their dependencies, the
 * runtime services, and the two pages a data source needs: its settings page (config editor, Save &
 * test) and a query editor beside its result. App plugins: their root page mounted at a path under
 * /a/<id> with Grafana's locationService as its router (links to /a/... and /explore are handled in
 * the page, as Grafana's link interception does), and their configuration page. Tests drive it
 * through window.__host.
 */
import './boot';
import React, { useState } from 'react';
import * as ReactAll from 'react';
import * as ReactDOM from 'react-dom';
import * as ReactDOMClient from 'react-dom/client';
import * as JsxRuntime from 'react/jsx-runtime';
import * as GrafanaData from '@grafana/data';
import * as GrafanaUi from '@grafana/ui';
import * as GrafanaRuntime from '@grafana/runtime';
import * as Rxjs from 'rxjs';
import * as EmotionCss from '@emotion/css';
import {
  applyFieldOverrides,
  dateTime,
  toDataFrameDTO,
  type DataQuery,
  type DataSourceInstanceSettings,
  type DataSourceSettings,
  type DataQueryRequest,
  type DataSourceApi,
  type PanelData,
  LoadingState,
} from '@grafana/data';
import {
  Alert,
  BarGauge,
  BarGaugeDisplayMode,
  BigValue,
  BigValueColorMode,
  BigValueGraphMode,
  BigValueJustifyMode,
  BigValueTextMode,
  Button,
  ErrorBoundaryAlert,
  GlobalStyles,
  LegendDisplayMode,
  PanelChrome,
  ThemeContext,
  TimeSeries,
} from '@grafana/ui';
import { setBackendSrv, setDataSourceSrv, setTemplateSrv, config, locationService } from '@grafana/runtime';
import { lastValueFrom } from 'rxjs';
import { backendSrv, HostDataSourceSrv, HostTemplateSrv, type HostVariable } from './services';

const SHARED: Record<string, unknown> = {
  react: ReactAll,
  'react-dom': ReactDOM,
  'react-dom/client': ReactDOMClient,
  'react/jsx-runtime': JsxRuntime,
  'react/jsx-dev-runtime': JsxRuntime,
  '@grafana/data': GrafanaData,
  '@grafana/ui': GrafanaUi,
  '@grafana/runtime': GrafanaRuntime,
  rxjs: Rxjs,
  '@emotion/css': EmotionCss,
};

const templateSrv = new HostTemplateSrv();
const dataSourceSrv = new HostDataSourceSrv();
setBackendSrv(backendSrv);
setTemplateSrv(templateSrv);
setDataSourceSrv(dataSourceSrv);

type PluginModule = { plugin: GrafanaData.DataSourcePlugin<DataSourceApi> & GrafanaData.AppPlugin };
const modules = new Map<string, PluginModule>();
let pendingDefine: ((uri: string) => unknown) | null = null;

/** The AMD `define` that plugin bundles call: dependencies resolved to Grafana's shared packages. */
(window as unknown as { define: unknown }).define = Object.assign(
  (deps: string[], factory: (...args: unknown[]) => unknown) => {
    pendingDefine = (uri: string) =>
      factory(
        ...deps.map((d) => {
          if (d === 'module') return { id: uri, uri };
          if (!(d in SHARED)) throw new Error(`plugin needs ${d}, which the host does not share`);
          return SHARED[d];
        }),
      );
  },
  { amd: {} },
);

/** Loads public/plugins/<id>/module.js as Grafana does, once. */
async function loadPlugin(id: string): Promise<PluginModule> {
  const known = modules.get(id);
  if (known) return known;
  const uri = `/public/plugins/${id}/module.js`;
  await new Promise<void>((resolve, reject) => {
    const s = document.createElement('script');
    s.src = uri;
    s.onload = () => resolve();
    s.onerror = () => reject(new Error(`could not load ${uri}`));
    document.head.appendChild(s);
  });
  if (!pendingDefine) throw new Error(`${uri} did not call define()`);
  const mod = pendingDefine(uri) as PluginModule;
  pendingDefine = null;
  modules.set(id, mod);
  return mod;
}

const metas = new Map<string, GrafanaData.DataSourcePluginMeta>();

async function pluginMeta(id: string): Promise<GrafanaData.DataSourcePluginMeta> {
  if (!metas.has(id)) {
    const res = await fetch(`/public/plugins/${id}/plugin.json`);
    const json = await res.json();
    metas.set(id, { ...json, baseUrl: `public/plugins/${id}`, module: `public/plugins/${id}/module` });
  }
  return metas.get(id)!;
}

/** Saved settings as Grafana's /api/datasources/uid/:uid gives them (secrets only as secureJsonFields). */
async function savedSettings(uid: string): Promise<DataSourceSettings> {
  const res = await fetch(`/api/datasources/uid/${uid}`);
  if (!res.ok) throw new Error(`data source ${uid}: ${res.status}`);
  return res.json();
}

/** Instance settings as Grafana's frontend settings give them: proxy URL, jsonData, no secrets. */
async function instanceSettings(s: DataSourceSettings): Promise<DataSourceInstanceSettings> {
  const meta =
    s.type === 'otelrum-rum-datasource'
      ? await pluginMeta(s.type)
      : ({
          id: s.type,
          name: s.type,
          tracing: true,
          info: { logos: {} },
        } as unknown as GrafanaData.DataSourcePluginMeta);
  return {
    id: s.id,
    uid: s.uid,
    type: s.type,
    name: s.name,
    meta,
    url: `/api/datasources/proxy/uid/${s.uid}`,
    jsonData: s.jsonData,
    access: 'proxy',
    readOnly: false,
  } as DataSourceInstanceSettings;
}

async function refreshDataSources(): Promise<void> {
  const list: DataSourceSettings[] = await (await fetch('/api/datasources')).json();
  dataSourceSrv.settings.clear();
  for (const s of list) dataSourceSrv.settings.set(s.uid, await instanceSettings(s));
  await dataSourceSrv.reload();
}

async function dataSource(uid: string): Promise<DataSourceApi> {
  const mod = await loadPlugin('otelrum-rum-datasource');
  dataSourceSrv.create = (s) => {
    const ds = new mod.plugin.DataSourceClass(s);
    ds.components = mod.plugin.components;
    ds.meta = s.meta;
    return ds;
  };
  return dataSourceSrv.get(uid);
}

// ---------------------------------------------------------------------------------------------
// Pages

let root: ReactDOMClient.Root | null = null;
/** Renders a page; `wide`: the whole width, as Grafana gives an app page. */
function mount(node: React.ReactNode, wide = false) {
  const el = document.getElementById('root')!;
  root ??= ReactDOMClient.createRoot(el);
  root.render(
    <ThemeContext.Provider value={config.theme2}>
      <GlobalStyles />
      <div style={{ padding: 24, maxWidth: wide ? undefined : 1100 }}>{node}</div>
    </ThemeContext.Provider>,
  );
}

interface TestOutcome {
  status: string;
  message: string;
  details?: { message?: string };
}

/** The data source's settings page: its config editor, and Save & test as Grafana runs it. */
function SettingsPage({
  initial,
  ConfigEditor,
}: {
  initial: DataSourceSettings;
  ConfigEditor: React.ComponentType<GrafanaData.DataSourcePluginOptionsEditorProps>;
}) {
  const [options, setOptions] = useState(initial);
  const [outcome, setOutcome] = useState<TestOutcome | null>(null);
  const [busy, setBusy] = useState(false);
  const saveAndTest = async () => {
    setBusy(true);
    setOutcome(null);
    try {
      const res = await fetch(`/api/datasources/uid/${options.uid}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(options),
      });
      const saved = (await res.json()).datasource as DataSourceSettings;
      setOptions(saved);
      await refreshDataSources();
      const ds = await dataSource(saved.uid);
      const r = (await ds.testDatasource()) as TestOutcome;
      setOutcome(r);
    } catch (e) {
      setOutcome({ status: 'error', message: e instanceof Error ? e.message : JSON.stringify(e) });
    } finally {
      setBusy(false);
    }
  };
  const [ctx] = useState(
    () => ({ ...options, meta: metas.get(options.type) }) as unknown as DataSourceInstanceSettings,
  );
  return (
    <GrafanaData.DataSourcePluginContextProvider instanceSettings={ctx}>
      <h2>Settings: {options.name}</h2>
      <ConfigEditor options={options} onOptionsChange={setOptions} />
      <div style={{ marginTop: 16 }}>
        <Button onClick={saveAndTest} disabled={busy} data-testid="save-and-test">
          Save &amp; test
        </Button>
      </div>
      {outcome && (
        <div data-testid="test-outcome" data-status={outcome.status} style={{ marginTop: 16 }}>
          <Alert
            severity={
              outcome.status === 'success' ? 'success' : outcome.status === 'warning' ? 'warning' : 'error'
            }
            title={outcome.message}
          >
            {outcome.details?.message}
          </Alert>
        </div>
      )}
    </GrafanaData.DataSourcePluginContextProvider>
  );
}

function rangeOf(fromMs: number, toMs: number): GrafanaData.TimeRange {
  const from = dateTime(fromMs);
  const to = dateTime(toMs);
  return { from, to, raw: { from, to } };
}

function request(
  ds: DataSourceApi,
  targets: DataQuery[],
  fromMs: number,
  toMs: number,
  extra: Partial<DataQueryRequest> = {},
): DataQueryRequest {
  const range = rangeOf(fromMs, toMs);
  const maxDataPoints = 500;
  return {
    requestId: extra.requestId ?? `Q${Math.random().toString(36).slice(2, 8)}`,
    interval: '1m',
    intervalMs: Math.max(1000, Math.floor((toMs - fromMs) / maxDataPoints)),
    maxDataPoints,
    range,
    scopedVars: {},
    targets: targets.map((t) => ({ ...t, datasource: { uid: ds.uid, type: ds.type } })),
    timezone: 'utc',
    app: 'dashboard',
    startTime: Date.now(),
    ...extra,
  } as DataQueryRequest;
}

/** A query editor beside what its query returns, as a panel editor shows it. */
function QueryPage({
  ds,
  initial,
  fromMs,
  toMs,
}: {
  ds: DataSourceApi;
  initial: DataQuery;
  fromMs: number;
  toMs: number;
}) {
  const QueryEditor = ds.components!.QueryEditor!;
  const [query, setQuery] = useState(initial);
  const [data, setData] = useState<PanelData | undefined>();
  const run = async (q: DataQuery) => {
    const req = request(ds, [q], fromMs, toMs);
    const resp = await lastValueFrom(ds.query(req) as Rxjs.Observable<GrafanaData.DataQueryResponse>);
    setData({
      series: resp.data,
      errors: resp.errors,
      error: resp.error,
      state: resp.errors?.length ? LoadingState.Error : LoadingState.Done,
      timeRange: req.range,
    });
    host.lastResponse = {
      frames: resp.data.map((f: GrafanaData.DataFrame) => toDataFrameDTO(f)),
      errors: resp.errors ?? [],
    };
  };
  host.lastQuery = query;
  return (
    <>
      <h2>Query editor: {ds.name}</h2>
      <QueryEditor
        datasource={ds}
        query={query}
        range={rangeOf(fromMs, toMs)}
        data={data}
        onChange={(q: DataQuery) => {
          setQuery(q);
          host.lastQuery = q;
        }}
        onRunQuery={() => setTimeout(() => run(host.lastQuery as DataQuery), 0)}
      />
      <div data-testid="result" style={{ marginTop: 16 }}>
        {data
          ? `${data.series.length} frame(s): ${data.series.map((f) => `${f.name ?? ''} (${f.length} rows)`).join(', ')}`
          : 'not run'}
      </div>
    </>
  );
}

/** Saved app settings as Grafana's /api/plugins/<id>/settings gives them (secrets as secureJsonFields). */
async function appMeta(id: string): Promise<GrafanaData.AppPluginMeta> {
  const res = await fetch(`/api/plugins/${id}/settings`);
  if (!res.ok) throw new Error(`plugin ${id}: ${res.status}`);
  return res.json();
}

// Grafana opens its own links (/a/..., /explore, /d/...) in the page, without reloading it.
document.addEventListener('click', (e) => {
  const a = (e.target as HTMLElement | null)?.closest?.('a');
  const href = a?.getAttribute('href');
  if (!a || !href || a.target === '_blank' || e.defaultPrevented || e.button !== 0) return;
  if (/^\/(a|explore|d)\b/.test(href)) {
    e.preventDefault();
    locationService.push(href);
  }
});

async function mountApp(id: string) {
  const mod = await loadPlugin(id);
  const meta = await appMeta(id);
  const plugin = mod.plugin as GrafanaData.AppPlugin;
  plugin.meta = meta;
  const Root = plugin.root!;
  const AppRoot = () => {
    const [loc, setLoc] = useState(() => locationService.getLocation());
    React.useEffect(() => {
      const sub = locationService.getLocationObservable().subscribe(setLoc);
      return () => sub.unsubscribe();
    }, []);
    return (
      <div data-testid="host-app-root" data-path={loc.pathname}>
        <Root
          meta={meta}
          basename={`/a/${id}`}
          path={loc.pathname}
          query={locationService.getSearchObject() as GrafanaData.KeyValue}
          onNavChanged={() => undefined}
        />
      </div>
    );
  };
  return { plugin, meta, AppRoot };
}

/**
 * A panel plugin's panel as a dashboard shows it: the data source's frames after Grafana's field
 * overrides (units, data links), in a box of the panel's size, with the options given.
 */
async function renderPanel(
  pluginId: string,
  uid: string,
  targets: DataQuery[],
  fromMs: number,
  toMs: number,
  options: Record<string, unknown>,
  size: { width: number; height: number } = { width: 1100, height: 420 },
) {
  await refreshDataSources();
  const ds = await dataSource(uid);
  const mod = (await loadPlugin(pluginId)) as unknown as { plugin: GrafanaData.PanelPlugin };
  const req = request(ds, targets, fromMs, toMs);
  const resp = await lastValueFrom(ds.query(req) as Rxjs.Observable<GrafanaData.DataQueryResponse>);
  const fieldConfig = { defaults: {}, overrides: [] };
  const series = applyFieldOverrides({
    data: resp.data,
    fieldConfig,
    replaceVariables: (s: string) => templateSrv.replace(s),
    theme: config.theme2,
    timeZone: 'utc',
  });
  const data: PanelData = {
    series,
    errors: resp.errors,
    error: resp.error,
    state: resp.errors?.length ? LoadingState.Error : LoadingState.Done,
    timeRange: req.range,
  };
  const Panel = mod.plugin.panel as unknown as React.ComponentType<Record<string, unknown>>;
  const props = {
    id: 1,
    data,
    timeRange: req.range,
    timeZone: 'utc',
    options,
    fieldConfig,
    transparent: false,
    width: size.width,
    height: size.height,
    renderCounter: 1,
    title: pluginId,
    eventBus: new GrafanaData.EventBusSrv(),
    replaceVariables: (s: string) => templateSrv.replace(s),
    onOptionsChange: () => undefined,
    onFieldConfigChange: () => undefined,
    onChangeTimeRange: () => undefined,
  };
  mount(
    <div data-testid="panel-box" style={{ width: size.width, height: size.height, overflow: 'hidden' }}>
      <Panel key={Math.random()} {...props} />
    </div>,
  );
  return { frames: series.length, rows: series.reduce((n, f) => n + f.length, 0), errors: resp.errors ?? [] };
}

/**
 * The options a panel plugin's options editor offers (kind and path of each), as its supplier
 * registers them with Grafana's panel editor; the host has no editor registry, so it records them.
 */
async function panelOptionPaths(pluginId: string): Promise<string[]> {
  const mod = (await loadPlugin(pluginId)) as unknown as { plugin: GrafanaData.PanelPlugin };
  const items: string[] = [];
  const recorder: object = new Proxy(
    {},
    {
      get: (_t, method: string) => (config: { path: string }) => {
        items.push(`${method.replace(/^add/, '')}:${config.path}`);
        return recorder;
      },
    },
  );
  mod.plugin.getPanelOptionsSupplier()(recorder as never, { data: [] } as never);
  return items;
}

/** Grafana's dashboard grid: 24 columns, rows of 30 px, 8 px between panels. */
const GRID_COLUMNS = 24;
const GRID_ROW_PX = 30;
const GRID_GAP_PX = 8;

type DashboardPanel = {
  type: string;
  title?: string;
  gridPos: { x: number; y: number; w: number; h: number };
  targets?: DataQuery[];
  options?: Record<string, unknown>;
  fieldConfig?: GrafanaData.FieldConfigSource;
};

/**
 * A dashboard as Grafana lays it out (gridPos on its grid), each panel in Grafana's PanelChrome with
 * the frames of its queries through the data source. Our panels are drawn by their plugins; Grafana's
 * stat, time series and table panels by the @grafana/ui components those panels are built on
 * (BigValue, TimeSeries, Table); the bar chart and pie chart panels, whose components are not in
 * @grafana/ui, as bar gauges of the same values. Not Grafana's own panel code: a close likeness for
 * screenshots and a check that every panel gets drawable data.
 */
async function renderDashboard(
  dashboard: { title: string; panels: DashboardPanel[] },
  uid: string,
  fromMs: number,
  toMs: number,
  width = 1232,
) {
  await refreshDataSources();
  const ds = await dataSource(uid);
  const theme = config.theme2;
  const replaceVariables = (s: string) => templateSrv.replace(s);
  const results = [];
  for (const p of dashboard.panels) {
    const req = request(ds, p.targets ?? [], fromMs, toMs);
    const resp = await lastValueFrom(ds.query(req) as Rxjs.Observable<GrafanaData.DataQueryResponse>);
    // The colour defaults Grafana's panels bring: a palette per series, thresholds (green) for stat.
    const colors: GrafanaData.FieldConfig =
      p.type === 'stat'
        ? {
            color: { mode: GrafanaData.FieldColorModeId.Thresholds },
            thresholds: {
              mode: GrafanaData.ThresholdsMode.Absolute,
              steps: [{ value: -Infinity, color: 'green' }],
            },
          }
        : { color: { mode: GrafanaData.FieldColorModeId.PaletteClassic } };
    // The time series panel's own defaults for how a series is drawn (its field config registry).
    const custom =
      p.type === 'timeseries'
        ? {
            drawStyle: 'line',
            lineWidth: 1,
            fillOpacity: 10,
            showPoints: 'never',
            spanNulls: true,
            pointSize: 4,
          }
        : {};
    const fieldConfig = {
      defaults: {
        ...colors,
        ...(p.fieldConfig?.defaults ?? {}),
        custom: { ...custom, ...(p.fieldConfig?.defaults?.custom ?? {}) },
      },
      overrides: p.fieldConfig?.overrides ?? [],
    };
    // Points in time order, as Grafana's time series panel prepares them.
    const sorted = resp.data.map((f: GrafanaData.DataFrame) => {
      const t = f.fields.findIndex((x) => x.type === GrafanaData.FieldType.time);
      return t < 0 ? f : GrafanaData.sortDataFrame(f, t);
    });
    const series = applyFieldOverrides({
      data: sorted,
      fieldConfig,
      replaceVariables,
      theme,
      timeZone: 'utc',
    });
    // Each plotted series its index, which picks its colour from the palette (as Grafana's time series
    // panel does before drawing).
    let seriesIndex = 0;
    for (const f of series)
      for (const x of f.fields)
        if (x.type === GrafanaData.FieldType.number) x.state = { ...x.state, seriesIndex: seriesIndex++ };
    results.push({ p, req, series, errors: resp.errors ?? [], fieldConfig });
  }
  const col = (width + GRID_GAP_PX) / GRID_COLUMNS;
  const box = (g: DashboardPanel['gridPos']) => ({
    left: g.x * col,
    top: g.y * (GRID_ROW_PX + GRID_GAP_PX),
    width: g.w * col - GRID_GAP_PX,
    height: g.h * (GRID_ROW_PX + GRID_GAP_PX) - GRID_GAP_PX,
  });
  const bottom = Math.max(...results.map((r) => box(r.p.gridPos).top + box(r.p.gridPos).height));
  const panelPlugins = new Map<string, React.ComponentType<Record<string, unknown>>>();
  for (const r of results)
    if (r.p.type.startsWith('otelrum-') && !panelPlugins.has(r.p.type)) {
      const mod = (await loadPlugin(r.p.type)) as unknown as { plugin: GrafanaData.PanelPlugin };
      panelPlugins.set(r.p.type, mod.plugin.panel as unknown as React.ComponentType<Record<string, unknown>>);
    }
  const body = (r: (typeof results)[number], w: number, h: number): React.ReactNode => {
    const { p, series } = r;
    const displays = (values: boolean) =>
      GrafanaData.getFieldDisplayValues({
        fieldConfig: r.fieldConfig,
        reduceOptions: values
          ? { values: true, calcs: [], limit: 10 }
          : ((p.options?.reduceOptions as GrafanaData.ReduceDataOptions) ?? { calcs: ['lastNotNull'] }),
        data: series,
        theme,
        replaceVariables,
        timeZone: 'utc',
      });
    const Plugin = panelPlugins.get(p.type);
    if (Plugin)
      return (
        <Plugin
          id={1}
          data={{
            series,
            errors: r.errors,
            state: LoadingState.Done,
            timeRange: r.req.range,
            request: r.req,
          }}
          timeRange={r.req.range}
          timeZone="utc"
          options={p.options ?? {}}
          fieldConfig={r.fieldConfig}
          transparent={false}
          width={w}
          height={h}
          renderCounter={1}
          title={p.title}
          eventBus={new GrafanaData.EventBusSrv()}
          replaceVariables={replaceVariables}
          onOptionsChange={() => undefined}
          onFieldConfigChange={() => undefined}
          onChangeTimeRange={() => undefined}
        />
      );
    if (!series.some((f) => f.length > 0)) return <div data-testid="dashboard-nodata">No data</div>;
    if (p.type === 'stat') {
      const values = displays(false);
      return (
        <div style={{ display: 'flex' }}>
          {values.map((v, i) => (
            <BigValue
              key={i}
              theme={theme}
              width={w / values.length}
              height={h}
              value={v.display}
              colorMode={BigValueColorMode.Value}
              graphMode={BigValueGraphMode.None}
              justifyMode={BigValueJustifyMode.Auto}
              textMode={BigValueTextMode.Value}
            />
          ))}
        </div>
      );
    }
    if (p.type === 'timeseries')
      return (
        <TimeSeries
          frames={series}
          width={w}
          height={h}
          timeRange={r.req.range}
          timeZone="utc"
          legend={{ displayMode: LegendDisplayMode.List, placement: 'bottom', showLegend: true, calcs: [] }}
        >
          {() => null}
        </TimeSeries>
      );
    if (p.type === 'table') {
      // @grafana/ui's Table does not run in the host's bundle; its cells' text, as Grafana formats it.
      const f = series[0]!;
      return (
        <div style={{ width: w, height: h, overflow: 'hidden', fontSize: 13 }}>
          <table style={{ width: '100%', borderCollapse: 'collapse' }}>
            <thead>
              <tr>
                {f.fields.map((x) => (
                  <th
                    key={x.name}
                    style={{ textAlign: 'left', padding: '4px 8px', color: theme.colors.text.secondary }}
                  >
                    {GrafanaData.getFieldDisplayName(x, f)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {Array.from({ length: Math.min(f.length, 20) }, (_, i) => (
                <tr key={i} style={{ borderTop: `1px solid ${theme.colors.border.weak}` }}>
                  {f.fields.map((x) => (
                    <td key={x.name} style={{ padding: '4px 8px', whiteSpace: 'nowrap' }}>
                      {x.display
                        ? GrafanaData.formattedValueToString(x.display(x.values[i]))
                        : String(x.values[i])}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      );
    }
    // Bars named by the frame's first text field (page, browser...), as the bar chart's x axis is.
    const names = series[0]?.fields.find((x) => x.type === GrafanaData.FieldType.string)?.values ?? [];
    const rows = displays(true).map((v) => ({
      ...v,
      display: { ...v.display, title: String(names[v.rowIndex ?? -1] ?? v.display.title ?? '') },
    }));
    const rowHeight = Math.min(32, h / Math.max(rows.length, 1));
    return (
      <div>
        {rows.map((v, i) => (
          <BarGauge
            key={i}
            theme={theme}
            width={w}
            height={rowHeight}
            field={v.field}
            value={v.display}
            orientation={GrafanaData.VizOrientation.Horizontal}
            displayMode={BarGaugeDisplayMode.Basic}
            showUnfilled
          />
        ))}
      </div>
    );
  };
  mount(
    <div data-testid="dashboard" style={{ position: 'relative', width, height: bottom }}>
      {results.map((r, i) => {
        const b = box(r.p.gridPos);
        return (
          <div
            key={i}
            data-testid="dashboard-panel"
            data-type={r.p.type}
            style={{ position: 'absolute', ...b }}
          >
            <PanelChrome title={r.p.title} width={b.width} height={b.height}>
              {(w: number, h: number) => (
                // As in Grafana, a panel that fails to draw shows its error in its place.
                <ErrorBoundaryAlert>
                  <div data-testid="dashboard-panel-body">{body(r, w, h)}</div>
                </ErrorBoundaryAlert>
              )}
            </PanelChrome>
          </div>
        );
      })}
    </div>,
    true,
  );
  return results.map((r) => ({
    title: r.p.title,
    type: r.p.type,
    rows: r.series.reduce((n, f) => n + f.length, 0),
    errors: r.errors.map((e: GrafanaData.DataQueryError) => e.message),
  }));
}

const host = {
  renderPanel,
  renderDashboard,
  panelOptionPaths,
  lastQuery: undefined as unknown,
  /** Opens an app's page: the URL becomes `path` (below /a/<id>), the app's root page renders it. */
  async showApp(id: string, path: string) {
    await refreshDataSources();
    locationService.push(path);
    const { AppRoot } = await mountApp(id);
    mount(<AppRoot key={Math.random()} />, true);
  },
  /** The app's configuration page as Grafana shows it under Administration > Plugins. */
  async showAppConfig(id: string) {
    const { plugin, meta } = await mountApp(id);
    const page = plugin.configPages![0]!;
    const Body = page.body;
    mount(
      <div data-testid="host-app-config" data-enabled={String(meta.enabled)}>
        <h2>{page.title}</h2>
        <Body plugin={plugin} query={{}} />
      </div>,
    );
  },
  lastResponse: undefined as unknown,
  setVariables(vars: HostVariable[]) {
    templateSrv.variables = vars;
  },
  async showSettings(uid: string) {
    const mod = await loadPlugin('otelrum-rum-datasource');
    await pluginMeta('otelrum-rum-datasource');
    const initial = await savedSettings(uid);
    mount(
      <SettingsPage
        key={`${uid}-${Date.now()}`}
        initial={initial}
        ConfigEditor={mod.plugin.components.ConfigEditor as never}
      />,
    );
  },
  async showQueryEditor(uid: string, query: DataQuery, fromMs: number, toMs: number) {
    await refreshDataSources();
    const ds = await dataSource(uid);
    mount(<QueryPage key={Math.random()} ds={ds} initial={query} fromMs={fromMs} toMs={toMs} />);
  },
  async testDatasource(uid: string) {
    await refreshDataSources();
    return (await dataSource(uid)).testDatasource();
  },
  /** Runs queries as a panel would; frames come back as DTOs, errors as Grafana shows them. */
  async query(
    uid: string,
    targets: DataQuery[],
    fromMs: number,
    toMs: number,
    extra: Partial<DataQueryRequest> = {},
  ) {
    await refreshDataSources();
    const ds = await dataSource(uid);
    const resp = await lastValueFrom(
      ds.query(request(ds, targets, fromMs, toMs, extra)) as Rxjs.Observable<GrafanaData.DataQueryResponse>,
    );
    return {
      frames: resp.data.map((f: GrafanaData.DataFrame) => toDataFrameDTO(f)),
      errors: resp.errors ?? [],
    };
  },
  /** Starts a query and unsubscribes after `afterMs`, as Grafana does when the user moves on. */
  async startAndCancel(uid: string, target: DataQuery, fromMs: number, toMs: number, afterMs: number) {
    await refreshDataSources();
    const ds = await dataSource(uid);
    let settled = false;
    const sub = (ds.query(request(ds, [target], fromMs, toMs)) as Rxjs.Observable<unknown>).subscribe({
      next: () => (settled = true),
      error: () => (settled = true),
    });
    await new Promise((r) => setTimeout(r, afterMs));
    sub.unsubscribe();
    return { settledBeforeCancel: settled };
  },
  async variableValues(uid: string, query: DataQuery, fromMs: number, toMs: number) {
    await refreshDataSources();
    const ds = await dataSource(uid);
    const support = ds.variables as unknown as {
      query: (r: DataQueryRequest) => Rxjs.Observable<GrafanaData.DataQueryResponse>;
    };
    const resp = await lastValueFrom(support.query(request(ds, [query], fromMs, toMs)));
    return resp.data.map((f: GrafanaData.DataFrame) => toDataFrameDTO(f));
  },
  async tagKeysAndValues(uid: string, key: string) {
    await refreshDataSources();
    const ds = await dataSource(uid);
    return { keys: await ds.getTagKeys!({} as never), values: await ds.getTagValues!({ key } as never) };
  },
};

(window as unknown as { __host: typeof host }).__host = host;
document.body.dataset.hostReady = 'true';
