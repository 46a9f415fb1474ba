/*
 * What the caller tells the compiler about its table: which filter field names exist, the column
 * expression behind each and its type. Column expressions are trusted SQL written by the server's
 * own code, never by the user; the user's text only ever selects among them.
 */

/**
 * - `string`: text; = != in ~ contains exists.
 * - `number`: = != < <= > >= in exists; compared with number values only.
 * - `boolean`: = != exists, and the bare name means `= true`.
 * - `time`: = != < <= > >= exists; values are ISO 8601 strings or epoch milliseconds.
 */
export type FieldType = 'string' | 'number' | 'boolean' | 'time';

/** How a `time` column stores instants. */
export type TimeStorage = 'timestamp' | 'epoch_ms' | 'epoch_us';

export interface FieldSpec {
  /** SQL expression of the column, e.g. `app_id` or `e.status`. */
  column: string;
  type: FieldType;
  /** For `time` fields; `timestamp` (DuckDB TIMESTAMP, ClickHouse DateTime64) unless told. */
  storage?: TimeStorage;
}

export interface AttributesSpec {
  /** SQL expression of the attributes column. */
  column: string;
  /**
   * `json`: a JSON object (DuckDB JSON or VARCHAR, ClickHouse String holding JSON);
   * `map`: a string-to-string map (DuckDB MAP(VARCHAR, VARCHAR), ClickHouse Map(String, String)).
   */
  storage: 'json' | 'map';
}

export interface FieldMap {
  /** Filter field name (as the user writes it) to its column. */
  fields: Readonly<Record<string, FieldSpec>>;
  /** The column `attr."key"` looks into; without it attribute lookups are refused. */
  attributes?: AttributesSpec;
  /** Column expressions that free text searches (any of them containing the text matches). */
  text?: readonly string[];
}

/**
 * The field names the query API gives every event table, with the type each has. A caller's
 * FieldMap uses these names so that one filter means the same thing on every endpoint.
 */
export const STANDARD_FIELDS: Readonly<Record<string, { type: FieldType; description: string }>> = {
  time: { type: 'time', description: 'event time' },
  app: { type: 'string', description: 'application id (rum.app.id)' },
  env: { type: 'string', description: 'deployment environment (deployment.environment.name)' },
  version: { type: 'string', description: 'application version (service.version)' },
  url: { type: 'string', description: 'full page or resource URL (url.full)' },
  path: { type: 'string', description: 'URL path (url.path)' },
  browser: { type: 'string', description: 'browser name' },
  os: { type: 'string', description: 'operating system name' },
  device: { type: 'string', description: 'device type: desktop, mobile, tablet' },
  country: { type: 'string', description: 'country code' },
  user: { type: 'string', description: 'user id (user.id)' },
  session: { type: 'string', description: 'session id (session.id)' },
  view: { type: 'string', description: 'view id (rum.view.id)' },
  trace: { type: 'string', description: 'trace id' },
  kind: { type: 'string', description: 'event kind: view, action, resource, error, ...' },
  status: { type: 'number', description: 'HTTP status code' },
  duration: { type: 'number', description: 'duration in milliseconds' },
  has_replay: { type: 'boolean', description: 'whether the session has a replay' },
};
