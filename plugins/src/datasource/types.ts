import type { DataQuery } from '@grafana/schema';
import type { DataSourceJsonData } from '@grafana/data';
import { LIST_PATHS, type Aggregation, type IssueStatus } from '@otel-rum/model';

/** What a query asks the server for; each returns the frame Grafana's own panels expect. */
export type QueryType = 'events' | 'timeseries' | 'issues' | 'timeline' | 'trace' | 'facets' | 'funnel';

export const QUERY_TYPES: ReadonlyArray<{ value: QueryType; label: string; description: string }> = [
  {
    value: 'events',
    label: 'Events',
    description: 'Sessions, views, actions, resources, errors, long tasks or web vitals as a table',
  },
  {
    value: 'timeseries',
    label: 'Time series',
    description: 'Count, rate, sum, average, min, max or a percentile over time, by group',
  },
  { value: 'issues', label: 'Issues', description: 'Errors grouped by fingerprint, with status and counts' },
  { value: 'timeline', label: 'Session timeline', description: 'Every event of one session, as logs' },
  { value: 'trace', label: 'Trace', description: 'Browser and backend spans of one trace id' },
  { value: 'facets', label: 'Facets', description: 'Top values of a field with their counts' },
  { value: 'funnel', label: 'Journey funnel', description: 'Conversion and drop-off per step of a journey' },
];

/** Lists of the events query; `session` lists sessions (one row per session). */
export type ListKind = 'session' | 'view' | 'action' | 'resource' | 'error' | 'long_task' | 'web_vital';

/** The lists, with the URL segment the server gives each (the model's LIST_PATHS). */
export const LIST_KINDS: ReadonlyArray<{ value: ListKind; label: string; path: string }> = [
  { value: 'session', label: 'Sessions', path: 'sessions' },
  { value: 'view', label: 'Views', path: LIST_PATHS.view },
  { value: 'action', label: 'Actions', path: LIST_PATHS.action },
  { value: 'resource', label: 'Resources', path: LIST_PATHS.resource },
  { value: 'error', label: 'Errors', path: LIST_PATHS.error },
  { value: 'long_task', label: 'Long tasks', path: LIST_PATHS.long_task },
  { value: 'web_vital', label: 'Web vitals', path: LIST_PATHS.web_vital },
];

export { AGGREGATIONS, ISSUE_STATUSES } from '@otel-rum/model';
export type { Aggregation, IssueStatus };

/** Operators of the visual filter builder; each is one of the filter language's. */
export const FILTER_OPERATORS = [
  '=',
  '!=',
  '>',
  '>=',
  '<',
  '<=',
  '~',
  '!~',
  'contains',
  'in',
  'exists',
] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

/** One condition of the visual builder: a field of the model (or attr."key"), an operator, a value. */
export interface FilterTerm {
  field: string;
  op: FilterOperator;
  /** Text as the user typed it (may hold template variables); several for `in`. */
  value?: string;
  values?: string[];
}

export type AnnotationKind = 'version' | 'error_spike';

export interface RumQuery extends DataQuery {
  queryType?: QueryType;
  /** Application id; empty: the data source's default application. May hold a template variable. */
  appId?: string;
  /** Events and facets: which list; time series: which kind of event (empty: all kinds). */
  kind?: ListKind;
  /** The visual builder's conditions (ANDed), and the code mode's text, also ANDed with them. */
  filters?: FilterTerm[];
  filter?: string;
  editorMode?: 'builder' | 'code';
  sort?: string;
  limit?: number;
  cursor?: string;
  aggregation?: Aggregation;
  field?: string;
  groupBy?: string[];
  status?: IssueStatus;
  sessionId?: string;
  traceId?: string;
  facetField?: string;
  journeyId?: string;
  /** Annotation queries only. */
  annotation?: AnnotationKind;
}

export const DEFAULT_QUERY: Partial<RumQuery> = {
  queryType: 'events',
  kind: 'view',
  editorMode: 'builder',
  limit: 100,
};

/** Settings saved with the data source; serverUrl is where Grafana's proxy route sends requests. */
export interface RumJsonData extends DataSourceJsonData {
  serverUrl?: string;
  defaultAppId?: string;
  /** A Tempo or Jaeger data source that trace ids link to; empty: this data source's trace query. */
  tracesDatasourceUid?: string;
  /** Grafana's own TLS settings of a proxied data source. */
  tlsSkipVerify?: boolean;
  tlsAuthWithCACert?: boolean;
}

/** Kept encrypted by Grafana, never sent to the browser. */
export interface RumSecureJsonData {
  apiToken?: string;
  tlsCACert?: string;
}

/** A template variable's query: the applications, or the top values of any field. */
export interface RumVariableQuery extends DataQuery {
  type: 'applications' | 'facet';
  field?: string;
  kind?: ListKind;
  appId?: string;
  filter?: string;
}
