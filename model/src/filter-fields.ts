/*
 * The field names of the query API's filter language (server/src/query/filter/README.md), with the
 * type of each. The server maps them to its columns; the Grafana plugins offer them in their query
 * builders and check ad hoc filters against them, so one filter means the same thing everywhere.
 */

/** How a filter field compares: which operators it takes and what values. */
export type FilterFieldType = 'string' | 'number' | 'boolean' | 'time';

export interface FilterFieldSpec {
  type: FilterFieldType;
  description: string;
  /** Unit of a number field's values, as Grafana names units. */
  unit?: 'ms';
}

export const FILTER_FIELDS = {
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
  duration: { type: 'number', description: 'duration in milliseconds', unit: 'ms' },
  value: { type: 'number', description: 'measured value (web vitals: ms, CLS: unitless)' },
  name: { type: 'string', description: 'event name (action type, web vital name, resource type)' },
  label: { type: 'string', description: 'label: action target, error message, view title' },
  fingerprint: { type: 'string', description: 'error group key (errors only)' },
  type: { type: 'string', description: 'error type or resource initiator' },
  has_replay: { type: 'boolean', description: 'whether the session has a replay' },
} as const satisfies Readonly<Record<string, FilterFieldSpec>>;

export type FilterField = keyof typeof FILTER_FIELDS;

/** Fields a session holds once, answered from its summary row on /api/v1/sessions. */
export const SESSION_FILTER_FIELDS: readonly FilterField[] = [
  'app',
  'session',
  'browser',
  'os',
  'device',
  'country',
  'has_replay',
];

/** Prefix of a filter field that names one event attribute: attr."http.route". */
export const ATTRIBUTE_FIELD_PREFIX = 'attr.';
