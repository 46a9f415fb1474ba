/*
 * Links into Grafana's Explore on the otel-rum data source: the explorer's current query ("Open in
 * Explore") and a trace id (its trace view shows the browser and backend spans together, or the
 * Tempo/Jaeger data source the otel-rum data source names). One piece for the app's pages; the data
 * source's frames use the same rule for their trace links (frames.traceLink).
 */
import type { DataSourceInstanceSettings } from '@grafana/data';
import { getDataSourceSrv } from '@grafana/runtime';
import type { RumQuery } from '../datasource/types';
import { DATASOURCE_PLUGIN_ID } from './links';

function rumDataSource(): DataSourceInstanceSettings | undefined {
  return getDataSourceSrv().getList({ type: DATASOURCE_PLUGIN_ID })[0];
}

function paneUrl(datasource: string, queries: object[], from: string, to: string): string {
  const pane = { datasource, queries, range: { from, to } };
  return `/explore?schemaVersion=1&panes=${encodeURIComponent(JSON.stringify({ a: pane }))}`;
}

/** Explore on the same query as a page shows; undefined when no otel-rum data source exists. */
export function exploreUrl(query: Omit<RumQuery, 'refId'>, from: string, to: string): string | undefined {
  const ds = rumDataSource();
  if (!ds) return undefined;
  return paneUrl(ds.uid, [{ refId: 'A', datasource: { uid: ds.uid, type: ds.type }, ...query }], from, to);
}

export function traceExploreUrl(traceId: string): string | undefined {
  const ds = rumDataSource();
  if (!ds) return undefined;
  // Provisioning writes an empty uid when no traces data source is switched on.
  const tempo = (ds.jsonData as { tracesDatasourceUid?: string }).tracesDatasourceUid || undefined;
  const query = tempo
    ? { refId: 'A', datasource: { uid: tempo }, queryType: 'traceql', query: traceId }
    : { refId: 'A', datasource: { uid: ds.uid, type: ds.type }, queryType: 'trace', traceId };
  return paneUrl(tempo ?? ds.uid, [query], 'now-7d', 'now');
}
