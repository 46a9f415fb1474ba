/** The server's answers, as its OpenAPI document describes them (server/src/api/openapi.ts). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface EventItem {
  id: string;
  kind: string;
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
  type: string | null;
  fingerprint: string | null;
  browser: string | null;
  browserVersion: string | null;
  os: string | null;
  device: string | null;
  country: string | null;
  attributes: Record<string, unknown>;
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

export interface IssueItem {
  appId: string;
  fingerprint: string;
  status: string;
  regressed: boolean;
  type: string | null;
  message: string | null;
  count: number;
  sessions: number;
  firstSeen: string;
  lastSeen: string;
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
  events: Array<{ timeUs?: string; name?: string; attributes?: Record<string, unknown> }>;
}

export interface AggregateAnswer {
  aggregation: string;
  field: string | null;
  intervalS: number;
  series: Array<{ group: Record<string, string | number | boolean | null>; points: Array<[string, number]> }>;
}

export interface FacetAnswer {
  field: string;
  values: Array<{ value: unknown; count: number }>;
}

export interface JourneyStepAnswer {
  index: number;
  step: { type: 'view'; path: string } | { type: 'action'; name: string };
  sessions: number;
  conversionFromPrevious: number | null;
  conversionFromFirst: number | null;
  dropOff: number | null;
  dropOffRate: number | null;
  medianMsFromPrevious: number | null;
  errors?: { count: number; sessions: number };
}

export interface JourneyAnalysisAnswer {
  journey: { id: string; name: string };
  steps: JourneyStepAnswer[];
}

export interface Application {
  appId: string;
  name: string;
  type: string;
}
