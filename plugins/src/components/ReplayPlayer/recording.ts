/*
 * A session's recording as the server pages it (GET /api/v1/sessions/{id}/replay) and the markers
 * under the player (errors, actions and page changes of the session's timeline). Read through any
 * getter: the data source's API for the panel, the app's API for the session page.
 */
import { MAX_REPLAY_SEGMENTS_PER_PAGE } from '@otel-rum/model';

/** The speeds offered under the player. */
export const SPEEDS = [1, 2, 4, 8];

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
  /** Epoch ms. */
  time: number;
  kind: 'error' | 'action' | 'view';
  label: string;
}

/** A GET of the otel-rum API, resolved with its JSON body. */
export type RumGet = <T>(path: string, params?: Record<string, string | number | undefined>) => Promise<T>;

/** One page of a session's recording; `cursor` is the previous page's nextCursor. */
export function replayPage(
  get: RumGet,
  sessionId: string,
  appId: string | undefined,
  cursor?: string,
): Promise<ReplayPage> {
  return get<ReplayPage>(`/api/v1/sessions/${encodeURIComponent(sessionId)}/replay`, {
    app_id: appId || undefined,
    limit: MAX_REPLAY_SEGMENTS_PER_PAGE,
    cursor,
  });
}

interface TimelineItem {
  kind: string;
  time: string;
  name: string;
  label: string | null;
  path: string | null;
}

/** The markers of a session's timeline items: its errors, actions and views (by path). */
export function timelineMarkers(items: readonly TimelineItem[]): Marker[] {
  return items
    .filter((e) => e.kind === 'error' || e.kind === 'action' || e.kind === 'view')
    .map((e) => ({
      time: Date.parse(e.time),
      kind: e.kind as Marker['kind'],
      label: e.kind === 'view' ? (e.path ?? '') : (e.label ?? e.name),
    }));
}

/** The session's markers, read from its timeline. */
export async function sessionMarkers(
  get: RumGet,
  sessionId: string,
  appId: string | undefined,
): Promise<Marker[]> {
  const t = await get<{ items: TimelineItem[] }>(
    `/api/v1/sessions/${encodeURIComponent(sessionId)}/timeline`,
    {
      app_id: appId || undefined,
    },
  );
  return timelineMarkers(t.items);
}

/**
 * The index of the item the player's position is on: the last one at or before `at` (epoch ms), in
 * items sorted by time; -1 before the first.
 */
export function currentIndex(times: readonly number[], at: number): number {
  let lo = 0;
  let hi = times.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid]! <= at) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}
