/*
 * The query API's answers (server/README.md, HTTP interface; the OpenAPI document at
 * /api/v1/openapi.json describes the same), shared by the server that writes them and the Grafana
 * plugins that read them.
 */
import type { AppType } from './apps';
import type { EventKind } from './kinds';

/**
 * Version of the query and management API, in the OpenAPI document's info.version. Raised when a
 * client may depend on something new; the Grafana data source refuses a server older than the one
 * it was built with (its health check says so).
 */
export const QUERY_API_VERSION = '0.2.0';

/** URL segment of each event list, e.g. /api/v1/long-tasks. */
export const LIST_PATHS: Record<Exclude<EventKind, 'session'>, string> = {
  view: 'views',
  action: 'actions',
  resource: 'resources',
  error: 'errors',
  long_task: 'long-tasks',
  web_vital: 'web-vitals',
  replay_segment: 'replay-segments',
};

export const AGGREGATIONS = [
  'count',
  'rate',
  'sum',
  'avg',
  'min',
  'max',
  'p50',
  'p75',
  'p90',
  'p95',
  'p99',
] as const;
export type Aggregation = (typeof AGGREGATIONS)[number];

/** Issue workflow: resolved issues reopen when the error is seen after they were resolved. */
export const ISSUE_STATUSES = ['open', 'resolved', 'ignored'] as const;
export type IssueStatus = (typeof ISSUE_STATUSES)[number];

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface EventItem {
  id: string;
  kind: EventKind;
  time: string;
  appId: string;
  sessionId: string;
  viewId: string | null;
  traceId: string | null;
  spanId: string | null;
  name: string;
  label: string | null;
  url: string | null;
  path: string | null;
  durationMs: number | null;
  value: number | null;
  status: number | null;
  serviceName: string | null;
  serviceVersion: string | null;
  environment: string | null;
  userId: string | null;
  source: string;
  /** Which sort of its kind: exception type, resource type, action type, vital name, view loading type. */
  type: string | null;
  fingerprint: string | null;
  browser: string | null;
  browserVersion: string | null;
  os: string | null;
  device: string | null;
  country: string | null;
  attributes: Record<string, unknown>;
}

/** Errors grouped by fingerprint. */
export interface IssueItem {
  appId: string;
  fingerprint: string;
  /** open, resolved or ignored; a resolved issue seen again after it was resolved is open (regressed). */
  status: IssueStatus;
  regressed: boolean;
  type: string | null;
  message: string | null;
  count: number;
  sessions: number;
  firstSeen: string;
  lastSeen: string;
}

/** One frame of an issue's stack trace, as the server parsed it; `inApp`: in the application's own code. */
export interface IssueFrame {
  function: string | null;
  file: string | null;
  line: number | null;
  column: number | null;
  inApp: boolean;
}

/** GET /api/v1/issues/{fingerprint}: the issue, its latest occurrence's stack and where its occurrences are. */
export interface IssueDetail extends IssueItem {
  /** The error list filtered on the fingerprint (a path of the query API). */
  occurrences: string;
  /** The latest occurrence's stack, outermost call last; empty when none was recorded. */
  frames: IssueFrame[];
}

export interface SessionItem {
  appId: string;
  sessionId: string;
  start: string;
  end: string;
  durationMs: number;
  viewCount: number;
  errorCount: number;
  actionCount: number;
  resourceCount: number;
  eventCount: number;
  userId: string | null;
  userAgent: string | null;
  firstUrl: string | null;
  environment: string | null;
  serviceVersion: string | null;
  browser: string | null;
  os: string | null;
  device: string | null;
  country: string | null;
  hasReplay: boolean;
}

/** A span event as stored: time in microseconds since the epoch (a decimal string). */
export interface SpanEventItem {
  timeUs: string;
  name: string;
  attributes: Record<string, unknown>;
}

export interface SpanItem {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  kind: number;
  start: string;
  durationMs: number;
  statusCode: number;
  statusMessage: string | null;
  serviceName: string | null;
  appId: string | null;
  sessionId: string | null;
  scopeName: string | null;
  attributes: Record<string, unknown>;
  events: SpanEventItem[];
}

export interface FacetValue {
  value: string | number | boolean | null;
  count: number;
}

export interface AggregateSeries {
  /** The group's value for each groupBy dimension, in order. */
  group: Record<string, string | number | boolean | null>;
  /** [bucket start (ISO), value] in time order; buckets without events are absent. */
  points: [string, number][];
}

export interface AggregateResult {
  aggregation: Aggregation;
  field: string | null;
  intervalS: number;
  series: AggregateSeries[];
}

// --- journeys (server/src/journeys/README.md) ---

export type JourneyStep =
  /** A view whose URL path matches the glob (`*` any run of characters, `?` one; `\*` `\?` `\\` literal). */
  | { type: 'view'; path: string }
  /** An action whose name matches the glob. */
  | { type: 'action'; name: string };

export interface JourneyDefinition {
  name: string;
  /** The application it belongs to; null: analysed over whichever app the query names (or all). */
  appId: string | null;
  steps: JourneyStep[];
}

export interface Journey extends JourneyDefinition {
  id: string;
  createdAt: string;
  updatedAt: string;
}

export interface JourneyStepAnalysis {
  /** 1-based. */
  index: number;
  step: JourneyStep;
  sessions: number;
  conversionFromPrevious: number | null;
  conversionFromFirst: number | null;
  /** Sessions that reached this step and not the next; null on the last step. */
  dropOff: number | null;
  dropOffRate: number | null;
  /** Median time from reaching the previous step to reaching this one. */
  medianMsFromPrevious: number | null;
  errors: {
    count: number;
    sessions: number;
    top: { message: string | null; fingerprint: string | null; count: number }[];
  };
  slowResources: {
    count: number;
    sessions: number;
    top: { url: string | null; count: number; avgDurationMs: number; maxDurationMs: number }[];
  };
}

/** A session in an analysis' list: completed, or dropped at a step (completedAt: when it reached it). */
export interface JourneySession {
  appId: string;
  sessionId: string;
  startedAt: string;
  completedAt: string;
  durationMs: number;
}

export interface JourneyAnalysis {
  journey: Journey;
  from: string;
  to: string;
  appId: string | null;
  slowResourceMs: number;
  steps: JourneyStepAnalysis[];
  /** Sessions that reached the last step, most recent first. */
  completed: { items: JourneySession[]; nextCursor: string | null };
  /**
   * With `droppedAt` k: the sessions that reached step k and not step k + 1, most recent arrival at
   * step k first (`completedAt` is when they reached step k); null otherwise.
   */
  dropped: { step: number; items: JourneySession[]; nextCursor: string | null } | null;
}

// --- applications (the management API, server/README.md) ---

/** A Grafana dashboard linked from the application: by uid, by URL, or both. */
export interface DashboardLink {
  title: string;
  uid?: string;
  url?: string;
}

/** A per-application ingest limit (token bucket): refill rate and bucket size, in events. */
export interface RateLimit {
  eventsPerSecond: number;
  burst: number;
}

/** A registered application: what the management API reads and writes, and what ingest admits. */
export interface Application {
  appId: string;
  name: string;
  type: AppType;
  /** Exact origins (scheme://host[:port]), wildcard subdomains (https://*.example.com), 'self' or '*'. */
  allowedOrigins: string[];
  /** 0..1 each. */
  sessionSampleRate: number;
  traceSampleRate: number;
  replaySampleRate: number;
  retentionDays: number;
  dashboards: DashboardLink[];
  /** Null: the defaults (DEFAULT_APP_EVENTS_PER_SECOND, DEFAULT_APP_EVENT_BURST). */
  rateLimit: RateLimit | null;
  /** Ids this application had before; data received under them stays under them. */
  previousAppIds: string[];
  createdAt: string;
  updatedAt: string;
}

/** What a client may set; the rest is kept by the server. */
export type ApplicationFields = Omit<Application, 'previousAppIds' | 'createdAt' | 'updatedAt'>;

/** Something a user must do after a change (an app id change), with a code a UI can key on. */
export interface ChangeWarning {
  code: 'sdk_config' | 'monitors' | 'dashboards' | 'history';
  message: string;
}

/** One piece of an integration guide: a file to add, a command to run. */
export interface Snippet {
  id: string;
  title: string;
  /** For highlighting: shell, typescript, javascript, html, kotlin, swift, dart, cpp. */
  language: string;
  code: string;
}

/** GET /api/v1/apps/{id}/snippet: the integration guide of an application for one type. */
export interface IntegrationGuide {
  appId: string;
  type: AppType;
  /** The public base URL of the OTLP/HTTP receiver the snippets send to. */
  endpoint: string;
  snippets: Snippet[];
}
