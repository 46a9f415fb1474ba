import { APP_ID_PATTERN, MAX_REPLAY_PAGE_DECODED_BYTES, MAX_REPLAY_SEGMENTS_PER_PAGE } from '@otel-rum/model';
import { HttpError } from '../http/http-error';
import { intParam, onlyParams } from '../http/query-params';
import { sendJson, type Router } from '../http/router';
import type { ReplayPosition, RumStore } from '../store/store';
import { segmentEvents } from './decode';

/** Segments in a page when the request names no limit. */
export const DEFAULT_REPLAY_PAGE_SIZE = 20;

/** One segment as the API answers it: metadata and the decoded rrweb events (or why they cannot be read). */
export interface ReplaySegmentItem {
  appId: string;
  viewId: string | null;
  sequence: number;
  startMs: number;
  endMs: number;
  eventCount: number;
  hasFullSnapshot: boolean;
  /** How it was stored: gzip or json. */
  encoding: string;
  /** The privacy level it was recorded under (allow, mask-user-input, mask); null when the sender did not say. */
  privacy: string | null;
  events: unknown[];
  /** Set when the stored recording cannot be decoded; `events` is then empty. */
  error?: string;
}

const encodeCursor = (p: ReplayPosition) =>
  Buffer.from(JSON.stringify(['replay', p.startMs, p.sequence, p.viewId])).toString('base64url');

function decodeCursor(raw: string): ReplayPosition {
  try {
    const v: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (
      Array.isArray(v) &&
      v[0] === 'replay' &&
      typeof v[1] === 'number' &&
      Number.isInteger(v[2]) &&
      typeof v[3] === 'string'
    )
      return { startMs: v[1], sequence: v[2] as number, viewId: v[3] };
  } catch {
    // not ours
  }
  throw new HttpError(400, 'query parameter cursor is not a replay cursor this API issued');
}

/**
 * GET /api/v1/sessions/{id}/replay: the session's replay segments in playback order (start time,
 * then sequence), each with its rrweb events decoded. A page holds at most `limit` segments
 * (MAX_REPLAY_SEGMENTS_PER_PAGE) and ends early once MAX_REPLAY_PAGE_DECODED_BYTES of events are in
 * it; nextCursor continues. 404 when the session has no replay.
 */
export function addReplayRoutes(router: Router, store: RumStore): void {
  router.add('GET', '/api/v1/sessions/:id/replay', async ({ res, url, params }) => {
    onlyParams(url, ['app_id', 'limit', 'cursor']);
    const sessionId = params.id!;
    const appId = url.searchParams.get('app_id') || undefined;
    if (appId !== undefined && !APP_ID_PATTERN.test(appId))
      throw new HttpError(400, 'query parameter app_id is not an application id');
    const limit = intParam(url, 'limit', 1, MAX_REPLAY_SEGMENTS_PER_PAGE, DEFAULT_REPLAY_PAGE_SIZE);
    const rawCursor = url.searchParams.get('cursor');
    const after = rawCursor ? decodeCursor(rawCursor) : undefined;
    const stored = await store.replaySegments({ sessionId, appId, after, limit: limit + 1 });
    if (!after && stored.length === 0)
      throw new HttpError(404, `session "${sessionId}" has no replay (or is not known)`);
    const segments: ReplaySegmentItem[] = [];
    let bytes = 0;
    for (const s of stored.slice(0, limit)) {
      if (segments.length > 0 && bytes >= MAX_REPLAY_PAGE_DECODED_BYTES) break;
      const decoded = await segmentEvents(s.encoding, s.payload);
      if (!('error' in decoded)) bytes += decoded.decodedBytes;
      segments.push({
        appId: s.appId,
        viewId: s.viewId || null,
        sequence: s.sequence,
        startMs: s.startMs,
        endMs: s.endMs,
        eventCount: s.eventCount,
        hasFullSnapshot: s.hasFullSnapshot,
        encoding: s.encoding,
        privacy: s.privacy,
        ...('error' in decoded ? { events: [], error: decoded.error } : { events: decoded.events }),
      });
    }
    const last = stored[segments.length - 1];
    const more = stored.length > segments.length;
    sendJson(res, 200, {
      sessionId,
      segments,
      nextCursor:
        more && last
          ? encodeCursor({ startMs: last.startMs, sequence: last.sequence, viewId: last.viewId })
          : null,
    });
  });
}
