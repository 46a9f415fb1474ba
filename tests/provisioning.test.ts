/*
 * provisioning/ and the Grafana half of docker-compose.yml, checked as far as this machine allows (no
 * Docker engine, no Grafana server): Debian's docker-compose reads the stack, Prometheus's promtool
 * reads its configuration and the alert rules' PromQL, and every reference between the files (plugin
 * ids, data source uids, environment variables, mounted paths, metric names, thresholds) is resolved.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { WEB_VITAL_THRESHOLDS } from '@otel-rum/model';

const ROOT = join(__dirname, '..');
const PROV = join(ROOT, 'provisioning');
const yaml = (path: string) => load(readFileSync(path, 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

type Service = {
  image?: string;
  environment?: Record<string, string>;
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
};
type Compose = { services: Record<string, Service> };
/** The stack as docker-compose reads it, from docker-compose.yml and the overlay files given. */
const composeConfig = (...overlays: string[]) =>
  load(
    execFileSync(
      'docker-compose',
      ['docker-compose.yml', ...overlays].flatMap((f) => ['-f', join(ROOT, f)]).concat('config'),
      { encoding: 'utf8', env: { ...process.env, RUM_API_TOKEN: '' } },
    ),
  ) as Compose;
const compose = composeConfig();
const grafana = compose.services.grafana!;
/** The stack with the traces switch on. */
const withTempo = composeConfig('docker-compose.tempo.yml');

/** Bind mounts of a service ("source:target[:mode]", as docker-compose config prints them). */
function binds(s: Service): Array<{ source: string; target: string }> {
  return (s.volumes ?? [])
    .map((v) => v.split(':'))
    .filter((p) => p[0]!.startsWith('/'))
    .map((p) => ({ source: p[0]!, target: p[1]! }));
}

/** Plugin ids of the app and of each nested plugin (every plugin.json under plugins/src). */
function pluginIds(): string[] {
  const ids: string[] = [];
  const walk = (dir: string) => {
    for (const d of readdirSync(dir, { withFileTypes: true })) {
      if (d.isDirectory()) walk(join(dir, d.name));
      else if (d.name === 'plugin.json') ids.push(JSON.parse(readFileSync(join(dir, d.name), 'utf8')).id);
    }
  };
  walk(join(ROOT, 'plugins', 'src'));
  return ids.sort();
}
const appJson = JSON.parse(readFileSync(join(ROOT, 'plugins', 'src', 'plugin.json'), 'utf8'));

it('runs an official Grafana image of a version the plugins claim, with every plugin allowed unsigned', () => {
  const version = /^grafana\/grafana:(\d+)\.(\d+)\.(\d+)$/.exec(grafana.image ?? '');
  expect(version).not.toBeNull();
  const min = /^>=(\d+)\.(\d+)\.(\d+)$/.exec(appJson.dependencies.grafanaDependency)!;
  const num = (m: RegExpExecArray) => Number(m[1]) * 1e6 + Number(m[2]) * 1e3 + Number(m[3]);
  expect(num(version!)).toBeGreaterThanOrEqual(num(min));
  expect(grafana.environment!.GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS!.split(',').sort()).toEqual(
    pluginIds(),
  );
});

it('mounts the built plugins and the provisioning folders that exist', () => {
  const mounts = binds(grafana);
  const plugin = mounts.find((v) => v.target.startsWith('/var/lib/grafana/plugins/'))!;
  expect(plugin.source).toBe(join(ROOT, 'plugins', 'dist'));
  expect(plugin.target).toBe(grafana.environment!.OTEL_RUM_PLUGIN_DIR);
  for (const kind of ['plugins', 'dashboards', 'alerting']) {
    const m = mounts.find((v) => v.target === `/etc/grafana/provisioning/${kind}`);
    expect(m?.source).toBe(join(PROV, kind));
    expect(existsSync(m!.source)).toBe(true);
  }
  // Data sources file by file, so that the traces switch can add one beside them.
  const ds = mounts.filter((v) => v.target.startsWith('/etc/grafana/provisioning/datasources/'));
  expect(ds).toEqual(
    readdirSync(join(PROV, 'datasources')).map((f) => ({
      source: join(PROV, 'datasources', f),
      target: `/etc/grafana/provisioning/datasources/${f}`,
    })),
  );
});

it('starts in order: server healthy, then Prometheus, then Grafana, each with a healthcheck', () => {
  expect(grafana.depends_on).toEqual({
    server: expect.objectContaining({ condition: 'service_healthy' }),
    prometheus: expect.objectContaining({ condition: 'service_healthy' }),
  });
  expect(compose.services.prometheus!.depends_on!.server!.condition).toBe('service_healthy');
  for (const s of ['server', 'prometheus', 'grafana'])
    expect(compose.services[s]!.healthcheck?.test.length).toBeGreaterThan(0);
  // Grafana reads the server with the token the server was started with.
  expect(grafana.environment!.RUM_API_TOKEN).toBe(compose.services.server!.environment!.RUM_ADMIN_TOKEN);
  expect(grafana.environment!.RUM_API_TOKEN!.length).toBeGreaterThanOrEqual(16);
});

it('provisions the data source with URL and token from the environment, Prometheus, and the app enabled', () => {
  const ds = yaml(join(PROV, 'datasources', 'otel-rum.yaml')).datasources as Array<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const rum = ds.find((d) => d.type === 'otelrum-rum-datasource')!;
  expect(rum.jsonData.serverUrl).toBe('${RUM_SERVER_URL}');
  expect(rum.secureJsonData).toEqual({ apiToken: '${RUM_API_TOKEN}' });
  expect(rum.jsonData.apiToken).toBeUndefined();
  expect(ds.find((d) => d.type === 'prometheus')?.url).toBe('${RUM_PROMETHEUS_URL}');
  const apps = yaml(join(PROV, 'plugins', 'otel-rum.yaml')).apps as Array<{
    type: string;
    disabled: boolean;
  }>;
  expect(apps).toEqual([expect.objectContaining({ type: appJson.id, disabled: false })]);
  // Every variable the provisioning files use is set for Grafana by the stack (the traces data
  // source's by the stack with the traces switch on).
  const envOf = (dir: string) => (dir === 'traces' ? withTempo : compose).services.grafana!.environment!;
  for (const dir of ['datasources', 'plugins', 'dashboards', 'alerting', 'traces'])
    for (const f of readdirSync(join(PROV, dir))) {
      const used = [...readFileSync(join(PROV, dir, f), 'utf8').matchAll(/(?<!\$)\$\{(\w+)\}/g)].map(
        (m) => m[1]!,
      );
      for (const v of used)
        expect({ file: f, variable: v, set: v in envOf(dir) }).toEqual({
          file: f,
          variable: v,
          set: true,
        });
    }
});

describe('the traces switch (docker-compose.tempo.yml)', () => {
  const rum = (yaml(join(PROV, 'datasources', 'otel-rum.yaml')).datasources as Array<Record<string, any>>) // eslint-disable-line @typescript-eslint/no-explicit-any
    .find((d) => d.type === 'otelrum-rum-datasource')!;
  const tempoFile = join(PROV, 'traces', 'tempo.yaml');
  const tempo = (yaml(tempoFile).datasources as Array<Record<string, string>>)[0]!;
  /** A value of a provisioning file as Grafana reads it: $-brace variables from its environment. */
  const expand = (value: string, env: Record<string, string>) =>
    value.replace(/\$\{(\w+)\}/g, (_m, v: string) => env[v] ?? '');

  it("off: no Tempo, and the data source's trace links open its own trace query", () => {
    expect(compose.services.tempo).toBeUndefined();
    expect(binds(grafana).some((v) => v.source === tempoFile)).toBe(false);
    expect(expand(rum.jsonData.tracesDatasourceUid, grafana.environment!)).toBe('');
    for (const list of ['COLLECTOR_BACKEND_TRACES_EXPORTERS', 'COLLECTOR_RUM_TRACES_EXPORTERS'])
      expect(compose.services.collector!.environment![list]).toBeUndefined();
  });

  it("on: Tempo runs, gets the collector's spans, is provisioned, and trace links point at it", () => {
    const g = withTempo.services.grafana!;
    const t = withTempo.services.tempo!;
    expect(t.image).toMatch(/^grafana\/tempo:\d+\.\d+\.\d+$/);
    const config = binds(t).find((v) => v.target === '/etc/tempo/tempo.yaml')!;
    expect(existsSync(config.source)).toBe(true);
    // Tempo listens for OTLP/HTTP where the collector's APM exporter sends, on all interfaces.
    const receiver = yaml(config.source).distributor.receivers.otlp.protocols.http.endpoint as string;
    const collector = withTempo.services.collector!.environment!;
    expect(receiver).toBe(`0.0.0.0:${new URL(collector.APM_OTLP_ENDPOINT!).port}`);
    expect(new URL(collector.APM_OTLP_ENDPOINT!).hostname).toBe('tempo');
    for (const list of ['COLLECTOR_BACKEND_TRACES_EXPORTERS', 'COLLECTOR_RUM_TRACES_EXPORTERS'])
      expect(load(collector[list]!)).toEqual(['otlp_http/rum_server', 'otlp_http/apm']);
    // Both exporters the switch names exist in the gateway's configuration.
    const gateway = yaml(join(ROOT, 'collector-config', 'gateway.yaml'));
    expect(Object.keys(gateway.exporters)).toEqual(
      expect.arrayContaining(['otlp_http/rum_server', 'otlp_http/apm']),
    );
    // Grafana: the Tempo data source beside the others, at Tempo's HTTP port...
    const mount = binds(g).find((v) => v.source === tempoFile)!;
    expect(mount.target).toMatch(/^\/etc\/grafana\/provisioning\/datasources\/[\w-]+\.yaml$/);
    expect(tempo.type).toBe('tempo');
    const url = new URL(expand(tempo.url!, g.environment!));
    expect(url.hostname).toBe('tempo');
    expect(yaml(config.source).server.http_listen_port).toBe(Number(url.port));
    // ...and the otel-rum data source's trace links name it.
    expect(expand(rum.jsonData.tracesDatasourceUid, g.environment!)).toBe(tempo.uid);
    // The rest of the stack is unchanged.
    expect(g.image).toBe(grafana.image);
    const sorted = (b: Array<{ target: string }>) => [...b].sort((x, y) => x.target.localeCompare(y.target));
    expect(sorted(binds(g).filter((v) => v.source !== tempoFile))).toEqual(sorted(binds(grafana)));
  });
});

it("provisions the app's bundled dashboards from the mounted plugin", () => {
  const providers = yaml(join(PROV, 'dashboards', 'otel-rum.yaml')).providers as Array<{
    options: { path: string };
  }>;
  expect(providers[0]!.options.path).toBe('${OTEL_RUM_PLUGIN_DIR}/dashboards');
  const included = (appJson.includes as Array<{ type: string; path: string }>).filter(
    (i) => i.type === 'dashboard',
  );
  expect(included.length).toBeGreaterThanOrEqual(6);
  for (const d of included) expect(existsSync(join(ROOT, 'plugins', 'src', d.path))).toBe(true);
});

describe('alert rules', () => {
  const groups = yaml(join(PROV, 'alerting', 'otel-rum-rules.yaml')).groups as Array<{
    rules: Array<{ uid: string; condition: string; data: Array<Record<string, any>> }>; // eslint-disable-line @typescript-eslint/no-explicit-any
  }>;
  const rules = groups.flatMap((g) => g.rules);
  const promUid = (
    yaml(join(PROV, 'datasources', 'otel-rum.yaml')).datasources as Array<{ type: string; uid: string }>
  ).find((d) => d.type === 'prometheus')!.uid;

  it('are for the error rate and p75 LCP, read Prometheus, and end in a threshold', () => {
    expect(rules.map((r) => r.uid).sort()).toEqual(['otelrum-error-rate', 'otelrum-lcp-p75']);
    for (const r of rules) {
      expect(r.data.map((d) => d.datasourceUid)).toEqual([promUid, '__expr__']);
      const cond = r.data.find((d) => d.refId === r.condition)!;
      expect(cond.model).toMatchObject({ type: 'threshold', expression: 'A' });
    }
    const lcp = rules.find((r) => r.uid === 'otelrum-lcp-p75')!;
    expect(lcp.data[1]!.model.conditions[0].evaluator.params).toEqual([WEB_VITAL_THRESHOLDS.lcp[0]]);
  });

  it('query metrics the collector gateway generates, in PromQL that Prometheus parses', () => {
    const readme = readFileSync(join(ROOT, 'collector-config', 'README.md'), 'utf8');
    const dir = mkdtempSync(join(tmpdir(), 'rules-'));
    const exprs = rules.map((r) => r.data[0]!.model.expr as string);
    for (const e of exprs)
      for (const metric of e.match(/rum_[a-z_]+/g)!.filter((m) => m !== 'rum_app_id')) {
        const family = metric.replace(/_(bucket|sum|count)$/, '');
        expect({ metric, documented: readme.includes(family) }).toEqual({ metric, documented: true });
      }
    // The same expressions as Prometheus recording rules, for promtool's parser.
    const file = join(dir, 'rules.yml');
    writeFileSync(
      file,
      `groups:\n  - name: check\n    rules:\n${exprs.map((e, i) => `      - record: check_${i}\n        expr: ${JSON.stringify(e)}\n`).join('')}`,
    );
    expect(execFileSync('promtool', ['check', 'rules', file], { encoding: 'utf8' })).toContain(
      'SUCCESS: 2 rules found',
    );
  });
});

it("gives Prometheus a configuration promtool accepts, scraping the collector's and the server's metrics", () => {
  const path = join(PROV, 'prometheus', 'prometheus.yml');
  expect(execFileSync('promtool', ['check', 'config', path], { encoding: 'utf8' })).toContain('SUCCESS');
  const targets = (
    yaml(path).scrape_configs as Array<{ static_configs: Array<{ targets: string[] }> }>
  ).flatMap((s) => s.static_configs.flatMap((c) => c.targets));
  expect(targets.sort()).toEqual(['collector:8889', 'server:4318']);
  expect(
    binds(compose.services.prometheus!).find((v) => v.target === '/etc/prometheus/prometheus.yml')?.source,
  ).toBe(path);
});
