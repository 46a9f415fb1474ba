/*
 * Where the replay panel reads a recording: the otel-rum data source's API (through Grafana's data
 * proxy, so the token stays in Grafana), page by page as the server pages it, and the session's
 * events for the markers under the player.
 */
import type { DataFrame, DataSourceApi } from '@grafana/data';
import { getDataSourceSrv } from '@grafana/runtime';
import { MAX_REPLAY_SEGMENTS_PER_PAGE } from '@otel-rum/model';
import { lastValueFrom, type Observable } from 'rxjs';
import { DATASOURCE_PLUGIN_ID } from '../../shared/links';

export interface ReplaySegment {
  appId: string;
  viewId: string;
  sequence: number;
  startMs: number;
  endMs: number;
  hasFullSnapshot: boolean;
  events: Array<{ type: number; timestamp: number; data?: unknown }>;
  error?: string;
}

export interface ReplayPage {
  sessionId: string;
  segments: ReplaySegment[];
  nextCursor: string | null;
}

export interface Marker {
  time: number;
  kind: 'error' | 'action' | 'view';
  label: string;
}

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

export function replayPage(
  ds: { api: RumApiLike },
  sessionId: string,
  appId: string | undefined,
  cursor?: string,
): Promise<ReplayPage> {
  return lastValueFrom(
    ds.api.get<ReplayPage>(`/api/v1/sessions/${encodeURIComponent(sessionId)}/replay`, {
      app_id: appId || undefined,
      limit: MAX_REPLAY_SEGMENTS_PER_PAGE,
      cursor,
    }),
  );
}

/** Errors, actions and page changes of the session, for the markers on the player's time line. */
export async function sessionMarkers(
  ds: { api: RumApiLike },
  sessionId: string,
  appId: string | undefined,
): Promise<Marker[]> {
  const t = await lastValueFrom(
    ds.api.get<{
      items: Array<{ kind: string; time: string; name: string; label: string | null; path: string | null }>;
    }>(`/api/v1/sessions/${encodeURIComponent(sessionId)}/timeline`, { app_id: appId || undefined }),
  );
  return t.items
    .filter((e) => e.kind === 'error' || e.kind === 'action' || e.kind === 'view')
    .map((e) => ({
      time: Date.parse(e.time),
      kind: e.kind as Marker['kind'],
      label: e.kind === 'view' ? (e.path ?? '') : (e.label ?? e.name),
    }));
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
