import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildRequest } from '../../../plugins/src/datasource/query/request';
import type { RumQuery } from '../../../plugins/src/datasource/types';
import { getJson } from '../../support/server';

function hasData(body: Record<string, unknown>): boolean {
  if (Array.isArray(body.items)) return body.items.length > 0;
  if (Array.isArray(body.series))
    return (body.series as { points: [string, number | null][] }[]).some((s) =>
      s.points.some((p) => p[1] !== null),
    );
  if (Array.isArray(body.values)) return (body.values as { value: unknown }[]).some((v) => v.value !== null);
  throw new Error(`unknown answer: ${JSON.stringify(body).slice(0, 200)}`);
}

/**
 * The titles of a bundled dashboard's panels that have no data for one application over the last hour:
 * each panel's queries built by the data source's own request builder (every variable at All but the
 * application) and asked of the server.
 */
export async function emptyPanels(serverUrl: string, file: string, appId: string): Promise<string[]> {
  const path = join(__dirname, '..', '..', '..', 'plugins', 'src', 'dashboards', file);
  const dashboard = JSON.parse(readFileSync(path, 'utf8')) as {
    panels: { title: string; targets?: RumQuery[] }[];
  };
  const toMs = Date.now() + 60_000;
  const ctx = {
    fromMs: toMs - 3600_000,
    toMs,
    intervalMs: 60_000,
    adHocFilters: [],
    interpolate: (text: string) => text.replace('$app', appId).replace(/\$(env|version)/, '$__all'),
  };
  const empty: string[] = [];
  for (const panel of dashboard.panels) {
    let data = false;
    for (const target of panel.targets ?? []) {
      const { path: apiPath, params } = buildRequest(target, ctx);
      const search = new URLSearchParams(
        Object.entries(params)
          .filter((e): e is [string, string | number] => e[1] !== undefined)
          .map(([k, v]) => [k, String(v)]),
      );
      data ||= hasData(await getJson(serverUrl, `${apiPath}?${search}`));
    }
    if (!data) empty.push(panel.title);
  }
  return empty.sort();
}
