/*
 * The bundled dashboards as shipped (the JSON files beside this test, which plugin.json includes):
 * written from the typed definitions (UPDATE_DASHBOARDS=1 rewrites them; then run Prettier on them), checked against Grafana's
 * dashboard schema from @grafana/schema by the TypeScript compiler, and checked for what the schema
 * cannot say: a grid that fits, unique ids, variables that exist, queries the data source knows.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import type { Dashboard, Panel } from '@grafana/schema';
import { BUNDLED_DASHBOARDS } from './index';
import { bundledFor, DASHBOARD_CATALOG } from './catalog';
import { QUERY_TYPES } from '../datasource/types';
import { DATASOURCE_PLUGIN_ID } from '../shared/links';

const DIR = __dirname;
const SRC = join(DIR, '..');
const text = (d: Dashboard) => `${JSON.stringify(d, null, 2)}\n`;

if (process.env.UPDATE_DASHBOARDS === '1')
  for (const b of BUNDLED_DASHBOARDS) writeFileSync(join(DIR, b.file), text(b.dashboard));

const shipped = BUNDLED_DASHBOARDS.map((b) => ({
  ...b,
  json: JSON.parse(readFileSync(join(DIR, b.file), 'utf8')) as Dashboard,
}));

/** Panel types Grafana ships, and the ones this app carries. */
const CORE_PANELS = [
  'stat',
  'timeseries',
  'table',
  'barchart',
  'piechart',
  'bargauge',
  'text',
  'logs',
  'traces',
];
const appPanels = (): string[] =>
  (
    JSON.parse(readFileSync(join(SRC, 'plugin.json'), 'utf8')).includes as Array<{
      type: string;
      path?: string;
    }>
  )
    .filter((i) => i.type === 'panel')
    .map((i) => JSON.parse(readFileSync(join(SRC, i.path!), 'utf8')).id as string);

it('ships each dashboard as written from its definition', () => {
  // Compared as JSON: the files are kept in Prettier's layout.
  for (const b of shipped) expect(b.json).toEqual(JSON.parse(text(b.dashboard)));
});

it('lists every bundled dashboard in the catalog the app pages read, and nothing else', () => {
  expect(Object.keys(DASHBOARD_CATALOG).sort()).toEqual(BUNDLED_DASHBOARDS.map((b) => b.file).sort());
  expect(bundledFor('web').map((d) => d.uid)).toContain('otelrum-web-overview');
  expect(bundledFor('custom').map((d) => d.uid)).toEqual(['otelrum-generated-metrics']);
});

it('includes every dashboard in the app plugin', () => {
  const includes = JSON.parse(readFileSync(join(SRC, 'plugin.json'), 'utf8')).includes as Array<{
    type: string;
    path?: string;
  }>;
  const paths = includes.filter((i) => i.type === 'dashboard').map((i) => i.path);
  expect(paths.sort()).toEqual(BUNDLED_DASHBOARDS.map((b) => `dashboards/${b.file}`).sort());
});

it("passes Grafana's dashboard schema (@grafana/schema 13.2.3 types, checked by the TypeScript compiler)", () => {
  // Each JSON file becomes an object literal typed as Dashboard (string enums as their values, as JSON
  // spells them): unknown keys, missing required keys and wrong types are compile errors. Every
  // otel-rum query is checked the same way against the data source's query model.
  const files = new Map<string, string>();
  for (const b of shipped) {
    const rumTargets = (b.json.panels ?? [])
      .flatMap((p) => (p as Panel).targets ?? [])
      .filter((t) => (t.datasource as { type?: string } | undefined)?.type === DATASOURCE_PLUGIN_ID);
    files.set(
      join(DIR, `__schema_${b.file}.ts`),
      [
        `import type { AnnotationQuery, Dashboard } from '@grafana/schema';`,
        `import type { Json } from './build';`,
        `import type { RumQuery } from '../datasource/types';`,
        // Annotation targets are the schema's generic DataQuery; ours are the data source's queries.
        `type D = Omit<Dashboard, 'annotations'> & { annotations?: { list?: Array<AnnotationQuery<RumQuery>> } };`,
        `export const dashboard: Json<D> = ${JSON.stringify(b.json)};`,
        `export const targets: RumQuery[] = ${JSON.stringify(rumTargets)};`,
      ].join('\n'),
    );
  }
  const configPath = join(SRC, '..', 'tsconfig.json');
  const config = ts.parseJsonConfigFileContent(
    ts.readConfigFile(configPath, ts.sys.readFile).config,
    ts.sys,
    join(SRC, '..'),
  );
  const host = ts.createCompilerHost(config.options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.readFile = (f) => files.get(f) ?? readFile(f);
  host.fileExists = (f) => files.has(f) || fileExists(f);
  const program = ts.createProgram([...files.keys()], { ...config.options, noEmit: true, types: [] }, host);
  const diagnostics = ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file && files.has(d.file.fileName))
    .map((d) => `${d.file!.fileName}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
  expect(diagnostics).toEqual([]);
  expect(program.getSourceFiles().some((f) => f.fileName.includes('@grafana/schema'))).toBe(true);
}, 60_000);

describe.each(shipped.map((b) => [b.file, b] as const))('%s', (_file, b) => {
  const d = b.json;
  const panels = (d.panels ?? []) as Panel[];
  const variables = (d.templating?.list ?? []).map((v) => v.name);

  it('has a stable uid, a title, the otel-rum tag and the schema version', () => {
    expect(d.uid).toMatch(/^otelrum-[a-z-]+$/);
    expect(d.uid!.length).toBeLessThanOrEqual(40);
    expect(d.title).toMatch(/^otel-rum \//);
    expect(d.tags).toContain('otel-rum');
    expect(d.schemaVersion).toBeGreaterThanOrEqual(39);
  });

  it('lays its panels on the 24-column grid without overlap, with unique ids', () => {
    expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
    const cells = new Set<string>();
    for (const p of panels) {
      const g = p.gridPos!;
      expect(g.x + g.w).toBeLessThanOrEqual(24);
      for (let x = g.x; x < g.x + g.w; x++)
        for (let y = g.y; y < g.y + g.h; y++) {
          const key = `${x},${y}`;
          expect(cells.has(key)).toBe(false);
          cells.add(key);
        }
    }
  });

  it('uses only panels Grafana or this app provides, and only variables it defines', () => {
    const known = [...CORE_PANELS, ...appPanels()];
    for (const p of panels) expect(known).toContain(p.type);
    const used = JSON.stringify(panels).match(/\$\{?(\w+)/g) ?? [];
    const builtIn = ['__rate_interval', '__interval', '__value', '__data'];
    for (const u of used) {
      const name = u.replace(/^\$\{?/, '');
      if (!builtIn.includes(name)) expect(variables).toContain(name);
    }
  });

  it('queries its data source with query types it has, every panel', () => {
    expect(panels.length).toBeGreaterThan(3);
    for (const p of panels) {
      expect(p.targets?.length).toBeGreaterThan(0);
      for (const t of p.targets!) {
        const ds = t.datasource as { type: string; uid: string };
        if (b.source === 'rum') {
          expect(ds).toEqual({ type: DATASOURCE_PLUGIN_ID, uid: '${ds}' });
          expect(QUERY_TYPES.map((x) => x.value)).toContain(t.queryType);
          expect(t.appId).toBe('$app');
        } else {
          expect(ds).toEqual({ type: 'prometheus', uid: '${prom}' });
          expect(typeof t.expr).toBe('string');
        }
      }
    }
  });
});
