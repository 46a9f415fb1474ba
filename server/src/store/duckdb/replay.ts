/* The replay_segments table (migration 40): one row per replay segment, with its recording. */
import { blobValue, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import type { PrivacyLevel, ReplayEncoding } from '@otel-rum/model';
import type { ReplaySegmentRow } from '../rows';
import type { ReplayPosition, StoredReplaySegment } from '../store';

const INSERT = `INSERT OR IGNORE INTO replay_segments
  (app_id, session_id, view_id, sequence, time, start_ms, end_ms, event_count, has_full_snapshot, encoding, payload, privacy)
  VALUES (?, ?, ?, ?, make_timestamp(?::BIGINT), ?, ?, ?, ?, ?, ?, ?)`;

/**
 * Writes segments inside the caller's transaction. A segment already stored (the same app, session,
 * view and sequence: a request the SDK sent again) is kept as it was.
 */
export async function insertReplaySegments(c: DuckDBConnection, rows: ReplaySegmentRow[]): Promise<void> {
  const stmt = await c.prepare(INSERT);
  try {
    for (const r of rows) {
      stmt.bind([
        r.appId,
        r.sessionId,
        r.viewId,
        r.sequence,
        r.timeUs,
        r.startMs,
        r.endMs,
        r.eventCount,
        r.hasFullSnapshot,
        r.encoding,
        blobValue(r.payload),
        r.privacy,
      ]);
      await stmt.run();
    }
  } finally {
    stmt.destroySync();
  }
}

/** Up to `limit` segments of a session in playback order, after `after` when given. */
export async function readReplaySegments(
  c: DuckDBConnection,
  q: { sessionId: string; appId?: string; after?: ReplayPosition; limit: number },
): Promise<StoredReplaySegment[]> {
  const where = ['session_id = ?'];
  const params: DuckDBValue[] = [q.sessionId];
  if (q.appId) {
    where.push('app_id = ?');
    params.push(q.appId);
  }
  if (q.after) {
    where.push('(start_ms > ? OR (start_ms = ? AND (sequence > ? OR (sequence = ? AND view_id > ?))))');
    const a = q.after;
    params.push(a.startMs, a.startMs, a.sequence, a.sequence, a.viewId);
  }
  const rows = (
    await c.runAndReadAll(
      `SELECT app_id, view_id, sequence, start_ms, end_ms, event_count, has_full_snapshot, encoding, payload, privacy
       FROM replay_segments WHERE ${where.join(' AND ')}
       ORDER BY start_ms, sequence, view_id LIMIT ${Math.max(1, Math.floor(q.limit))}`,
      params,
    )
  ).getRowObjectsJS();
  return rows.map((r) => ({
    appId: String(r.app_id),
    viewId: String(r.view_id),
    sequence: Number(r.sequence),
    startMs: Number(r.start_ms),
    endMs: Number(r.end_ms),
    eventCount: Number(r.event_count),
    hasFullSnapshot: r.has_full_snapshot === true,
    encoding: String(r.encoding) as ReplayEncoding,
    payload: r.payload as Uint8Array,
    privacy: r.privacy === null ? null : (String(r.privacy) as PrivacyLevel),
  }));
}
