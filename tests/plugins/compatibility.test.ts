/*
 * The plugins claim in plugin.json only the Grafana versions their code is checked against:
 * @grafana/levitate compares each module's use of Grafana's public API with the packages of the
 * oldest version claimed (downloaded from the npm registry), and plugin.json matches Grafana's schema.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

const PLUGINS = join(__dirname, '..', '..', 'plugins');

/** plugin.json of the app and of every nested plugin under plugins/src. */
function pluginJsons(dir = join(PLUGINS, 'src')): Array<{ id: string }> {
  const here = existsSync(join(dir, 'plugin.json'))
    ? [JSON.parse(readFileSync(join(dir, 'plugin.json'), 'utf8'))]
    : [];
  return here.concat(
    readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .flatMap((d) => pluginJsons(join(dir, d.name))),
  );
}

it('uses only the API of the oldest Grafana each plugin claims (levitate)', () => {
  let out: string;
  try {
    out = execFileSync(process.execPath, [join(PLUGINS, 'scripts', 'levitate.mjs')], {
      encoding: 'utf8',
      cwd: PLUGINS,
    });
  } catch (e) {
    throw new Error(
      `levitate found incompatibilities:\n${(e as { stdout?: string }).stdout}${(e as { stderr?: string }).stderr}`,
    );
  }
  // Every plugin of the app (the app, its data source and its panels) was compared.
  const ids = pluginJsons().map((p) => p.id);
  expect(ids).toEqual(expect.arrayContaining(['otelrum-rum-app', 'otelrum-rum-datasource']));
  for (const id of ids) expect(out).toContain(`== ${id}:`);
  expect(out.match(/^compatible with /gm)).toHaveLength(ids.length);
}, 300_000);

it('declares one Grafana range for the app and its nested plugins, and ids of the <org>-<name>-<type> form', () => {
  const app = JSON.parse(readFileSync(join(PLUGINS, 'src', 'plugin.json'), 'utf8'));
  const ds = JSON.parse(readFileSync(join(PLUGINS, 'src', 'datasource', 'plugin.json'), 'utf8'));
  expect(app.id).toMatch(/^[a-z0-9]+-[a-z0-9]+-app$/);
  expect(ds.id).toMatch(/^[a-z0-9]+-[a-z0-9]+-datasource$/);
  expect(ds.dependencies.grafanaDependency).toBe(app.dependencies.grafanaDependency);
  expect(app.includes).toContainEqual({ type: 'datasource', name: ds.name, path: 'datasource/plugin.json' });
  // The token only ever travels in the route's header, filled by Grafana's server.
  expect(ds.routes).toEqual([
    {
      path: 'rum',
      url: '{{ .JsonData.serverUrl }}',
      headers: [{ name: 'Authorization', content: 'Bearer {{ .SecureJsonData.apiToken }}' }],
    },
  ]);
});

it("passes Grafana's plugin validator on the built archive and on each nested plugin's folder (no errors)", () => {
  // ../shared/tools/plugin-validator: Grafana's catalog checks, built from source (its npm package
  // only downloads a binary, which cannot be fetched here). Warnings (unsigned, offline checks) are
  // listed in plugins/README.md. Each nested plugin is checked on its own too, as a plugin of its own
  // (README without relative links, logo and screenshots inside its folder, license, changelog).
  const validate = join(PLUGINS, '..', '..', 'shared', 'tools', 'plugin-validator', 'validate');
  const dist = join(PLUGINS, 'dist');
  const appJson = JSON.parse(readFileSync(join(PLUGINS, 'src', 'plugin.json'), 'utf8'));
  const nested = (appJson.includes as Array<{ type: string; path?: string }>)
    .filter((i) => i.type === 'datasource' || i.type === 'panel')
    .map((i) => join(dist, dirname(i.path!)));
  expect(nested.length).toBe(4);
  const out = execFileSync(validate, [dist, ...nested], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  expect(out).toContain('== otelrum-rum-app');
  for (const dir of nested) {
    const id = JSON.parse(readFileSync(join(dir, 'plugin.json'), 'utf8')).id as string;
    expect(out).toContain(`== ${id} (${dir})`);
  }
  expect(out).not.toMatch(/^error:/m);
}, 900_000);
