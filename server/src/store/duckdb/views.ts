import type { EventRow } from '../rows';
import { uuidv7 } from '../ids';
import { micros, type ColumnTypes } from './columns';

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

/** Type of each column of the event tables as written (columns.ts). */
export const EVENT_COLUMN_TYPES: ColumnTypes = Object.fromEntries(
  EVENT_TABLE_COLUMNS.map((c) => [
    c,
    c === 'time'
      ? 'TIMESTAMP'
      : c === 'duration_ms' || c === 'value'
        ? 'DOUBLE'
        : c === 'status'
          ? 'INTEGER'
          : c === 'attributes'
            ? 'JSON'
            : 'VARCHAR',
  ]),
);

/** view_deltas: the event columns and the time of the view's latest record. */
export const VIEW_DELTA_COLUMNS: ColumnTypes = { ...EVENT_COLUMN_TYPES, last_time: 'TIMESTAMP' };

const finite = (v: number | null) => (v !== null && Number.isFinite(v) ? v : null);

/** Appends the event's values to the column arrays of the event tables; `timeUs` overrides its time. */
function pushEvent(c: Record<string, unknown[]>, e: EventRow, timeUs: bigint): void {
  c.id!.push(e.id ?? uuidv7());
  c.kind!.push(e.kind);
  c.time!.push(micros(timeUs));
  c.app_id!.push(e.appId);
  c.session_id!.push(e.sessionId);
  c.view_id!.push(e.viewId);
  c.trace_id!.push(e.traceId);
  c.span_id!.push(e.spanId);
  c.name!.push(e.name);
  c.label!.push(e.label);
  c.url!.push(e.url);
  c.path!.push(e.path);
  c.duration_ms!.push(finite(e.durationMs));
  c.value!.push(finite(e.value));
  // INTEGER column: a status beyond 32 bits is no HTTP status.
  c.status!.push(
    e.status !== null && Number.isInteger(e.status) && Math.abs(e.status) <= 0x7fffffff ? e.status : null,
  );
  c.service_name!.push(e.serviceName);
  c.service_version!.push(e.serviceVersion);
  c.environment!.push(e.environment);
  c.user_id!.push(e.userId);
  c.user_agent!.push(e.userAgent);
  c.source!.push(e.source);
  c.attributes!.push(e.attributes ?? null);
  c.fingerprint!.push(e.fingerprint ?? null);
  c.browser!.push(e.browser ?? null);
  c.browser_version!.push(e.browserVersion ?? null);
  c.os!.push(e.os ?? null);
  c.device!.push(e.device ?? null);
  c.country!.push(e.country ?? null);
  c.type!.push(e.type ?? null);
}

const emptyColumns = (types: ColumnTypes): Record<string, unknown[]> =>
  Object.fromEntries(Object.keys(types).map((c) => [c, []]));

/** Rows of an event table as column arrays (columns.ts). */
export function eventColumns(events: readonly EventRow[]): Record<string, unknown[]> {
  const c = emptyColumns(EVENT_COLUMN_TYPES);
  for (const e of events) pushEvent(c, e, e.timeUs);
  return c;
}

/** Rows of view_deltas as column arrays: each view's latest record at its first time. */
export function viewDeltaColumns(views: readonly ViewState[]): Record<string, unknown[]> {
  const c = emptyColumns(VIEW_DELTA_COLUMNS);
  for (const { latest, startUs } of views) {
    pushEvent(c, latest, startUs);
    c.last_time!.push(micros(latest.timeUs));
  }
  return c;
}
