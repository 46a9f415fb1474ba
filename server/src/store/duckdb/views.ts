import type { DuckDBAppender } from '@duckdb/node-api';
import { DuckDBTimestampValue } from '@duckdb/node-api';
import type { EventRow } from '../rows';

/**
 * The views table holds each view once: its latest state (the record sent last: time spent, timings,
 * counts) at its start time. A view is sent when it starts and again as it goes on, so reading views
 * from the events table would need a window over every view record. Each write appends the latest
 * state of its views to `view_deltas` inside its transaction; `FOLD_VIEWS` later merges the deltas of
 * many writes into the views table with one upsert.
 */

/** Columns of events, in table order; the views table has these and `last_time`. */
export const EVENT_TABLE_COLUMNS = [
  'id',
  'kind',
  'time',
  'app_id',
  'session_id',
  'view_id',
  'trace_id',
  'span_id',
  'name',
  'label',
  'url',
  'path',
  'duration_ms',
  'value',
  'status',
  'service_name',
  'service_version',
  'environment',
  'user_id',
  'user_agent',
  'source',
  'attributes',
  'fingerprint',
  'browser',
  'browser_version',
  'os',
  'device',
  'country',
  'type',
] as const;

const KEPT = new Set(['app_id', 'view_id', 'time']);
const STATE_COLUMNS = EVENT_TABLE_COLUMNS.filter((c) => !KEPT.has(c));

/**
 * Merges every pending delta into the views table and empties view_deltas: per view, the latest
 * state at the earliest start time, then one upsert.
 */
export const FOLD_VIEWS = `INSERT INTO views
  SELECT * EXCLUDE (first_time, rn) REPLACE (first_time AS time) FROM (
    SELECT *, min(time) OVER w AS first_time, row_number() OVER (w ORDER BY last_time DESC) AS rn
    FROM view_deltas WINDOW w AS (PARTITION BY app_id, view_id))
  WHERE rn = 1
  ON CONFLICT (app_id, view_id) DO UPDATE SET
    ${STATE_COLUMNS.map((c) => `${c} = CASE WHEN excluded.last_time >= views.last_time THEN excluded.${c} ELSE views.${c} END`).join(',\n    ')},
    time = least(views.time, excluded.time),
    last_time = greatest(views.last_time, excluded.last_time);
  DELETE FROM view_deltas;`;

interface ViewState {
  latest: EventRow;
  startUs: bigint;
}

/** The latest record and the first time of each view in a batch. */
export function viewStates(events: readonly EventRow[]): ViewState[] {
  const byKey = new Map<string, ViewState>();
  for (const e of events) {
    if (e.kind !== 'view' || !e.viewId) continue;
    const key = `${e.appId}\u0000${e.viewId}`;
    const s = byKey.get(key);
    if (!s) byKey.set(key, { latest: e, startUs: e.timeUs });
    else {
      if (e.timeUs >= s.latest.timeUs) s.latest = e;
      if (e.timeUs < s.startUs) s.startUs = e.timeUs;
    }
  }
  return [...byKey.values()];
}

/** Appends one view's state as a row of view_deltas (the caller ends the row). */
export function appendViewState(
  a: DuckDBAppender,
  { latest, startUs }: ViewState,
  appendEvent: (a: DuckDBAppender, e: EventRow) => void,
): void {
  appendEvent(a, { ...latest, timeUs: startUs });
  a.appendTimestamp(new DuckDBTimestampValue(latest.timeUs));
  // Columns added to events after the views table was made come after last_time.
  if (latest.type === null || latest.type === undefined) a.appendNull();
  else a.appendVarchar(latest.type);
}
