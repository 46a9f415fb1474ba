/*
 * Where the replay panel reads a recording: the otel-rum data source's API (through Grafana's data
 * proxy, so the token stays in Grafana) and the session the panel's query returned.
 */
import type { DataFrame, DataSourceApi } from '@grafana/data';
import { getDataSourceSrv } from '@grafana/runtime';
import { lastValueFrom, type Observable } from 'rxjs';
import { DATASOURCE_PLUGIN_ID } from '../../shared/links';
import type { RumGet } from '../../components/ReplayPlayer/recording';

type RumApiLike = { get<T>(path: string, params?: Record<string, unknown>): Observable<T> };

/** The otel-rum data source: the one the panel's query uses, else the first of its type. */
export async function rumDataSource(ref?: unknown): Promise<DataSourceApi & { api: RumApiLike }> {
  const srv = getDataSourceSrv();
  const uid =
    (ref as { uid?: string } | undefined)?.uid ?? srv.getList({ type: DATASOURCE_PLUGIN_ID })[0]?.uid;
  if (!uid) throw new Error('no otel-rum data source is configured');
  const ds = (await srv.get(uid)) as DataSourceApi & { api?: RumApiLike };
  if (ds.type !== DATASOURCE_PLUGIN_ID || !ds.api)
    throw new Error(`data source ${ds.name} is not an otel-rum data source`);
  return ds as DataSourceApi & { api: RumApiLike };
}

/** The data source's API as the player's getter. */
export function dataSourceGet(ds: { api: RumApiLike }): RumGet {
  return (path, params) => lastValueFrom(ds.api.get(path, params));
}

/** A session id from the panel's frames (a sessions or events table: the first row's session). */
export function sessionFromFrames(frames: readonly DataFrame[]): { sessionId?: string; appId?: string } {
  for (const f of frames) {
    const s = f.fields.find((x) => x.name === 'session');
    if (s && f.length) {
      const app = f.fields.find((x) => x.name === 'app');
      return { sessionId: String(s.values[0]), appId: app ? String(app.values[0]) : undefined };
    }
  }
  return {};
}
