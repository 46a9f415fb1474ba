/*
 * Where a trace id opens: Grafana's Explore on the otel-rum data source's trace query (its trace view
 * shows the browser and backend spans together), or on the Tempo/Jaeger data source that data source
 * names. One piece for the app's pages; the data source's frames use the same rule (frames.traceLink).
 */
import { getDataSourceSrv } from '@grafana/runtime';
import { DATASOURCE_PLUGIN_ID } from './links';

export function traceExploreUrl(traceId: string): string | undefined {
  const ds = getDataSourceSrv().getList({ type: DATASOURCE_PLUGIN_ID })[0];
  if (!ds) return undefined;
  const tempo = (ds.jsonData as { tracesDatasourceUid?: string }).tracesDatasourceUid;
  const query = tempo
    ? { refId: 'A', datasource: { uid: tempo }, queryType: 'traceql', query: traceId }
    : { refId: 'A', datasource: { uid: ds.uid, type: ds.type }, queryType: 'trace', traceId };
  const pane = { datasource: tempo ?? ds.uid, queries: [query], range: { from: 'now-7d', to: 'now' } };
  return `/explore?schemaVersion=1&panes=${encodeURIComponent(JSON.stringify({ a: pane }))}`;
}
