/*
 * The filter language's fields as the columns every store names them (the events table and the
 * session summary's per-session columns). Each store adds what it computes its own way: whether a
 * session has a replay, and how attributes are stored.
 */
import type { FieldSpec } from '../query/filter/fields';

/** Filter field name → the events table's column. */
export const EVENT_COLUMN_FIELDS: Readonly<Record<string, FieldSpec>> = {
  time: { column: 'time', type: 'time', storage: 'timestamp' },
  app: { column: 'app_id', type: 'string' },
  env: { column: 'environment', type: 'string' },
  version: { column: 'service_version', type: 'string' },
  url: { column: 'url', type: 'string' },
  path: { column: 'path', type: 'string' },
  user: { column: 'user_id', type: 'string' },
  session: { column: 'session_id', type: 'string' },
  view: { column: 'view_id', type: 'string' },
  trace: { column: 'trace_id', type: 'string' },
  kind: { column: 'kind', type: 'string' },
  status: { column: 'status', type: 'number' },
  duration: { column: 'duration_ms', type: 'number' },
  value: { column: 'value', type: 'number' },
  name: { column: 'name', type: 'string' },
  label: { column: 'label', type: 'string' },
  fingerprint: { column: 'fingerprint', type: 'string' },
  browser: { column: 'browser', type: 'string' },
  os: { column: 'os', type: 'string' },
  device: { column: 'device', type: 'string' },
  country: { column: 'country', type: 'string' },
  type: { column: 'type', type: 'string' },
};

/** The fields that hold one value for a whole session, as the session summary's columns. */
export const SESSION_COLUMN_FIELDS: Readonly<Record<string, FieldSpec>> = {
  app: { column: 'app_id', type: 'string' },
  session: { column: 'session_id', type: 'string' },
  browser: { column: 'browser', type: 'string' },
  os: { column: 'os', type: 'string' },
  device: { column: 'device', type: 'string' },
  country: { column: 'country', type: 'string' },
};

/** The filter field of a session that has a replay. */
export const HAS_REPLAY = 'has_replay';

/** Free text searches these fields. */
export const TEXT_FIELDS = ['label', 'url'];
