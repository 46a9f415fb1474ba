import type { EventKind, PrivacyLevel, ReplayEncoding } from '@otel-rum/model';
import type { Attributes } from '../ingest/otlp/values';

/** One RUM event as stored: common dimensions as columns, everything else in `attributes`. */
export interface EventRow {
  /** Set by the store when it writes the row. */
  id?: string;
  /** Address of the client that sent it (for the country), when the mapping knows it. */
  clientAddress?: string;
  kind: EventKind;
  /** Event time, microseconds since the epoch. */
  timeUs: bigint;
  appId: string;
  sessionId: string;
  viewId: string | null;
  traceId: string | null;
  spanId: string | null;
  /** Event name as received (EventName, or the span name). */
  name: string;
  url: string | null;
  path: string | null;
  durationMs: number | null;
  /** The measured value where the event is a measurement (web vitals). */
  value: number | null;
  status: number | null;
  /** The readable line of the event: view name, action name, error message, resource URL. */
  label: string | null;
  serviceName: string | null;
  serviceVersion: string | null;
  environment: string | null;
  userId: string | null;
  userAgent: string | null;
  /** Which mapping produced the row: sdk-otel, otel-browser, otel-web-instrumentation, faro, otel-native. */
  source: string;
  attributes: Attributes;
  /** Which sort of its kind the event is, set at ingest (server/src/ingest/normalize/subtype.ts). */
  type?: string | null;
  /** Error group key, set at ingest for errors: see server/src/errors/fingerprint.ts. */
  fingerprint?: string | null;
  /** Set at ingest from the user agent and the client address (server/src/enrich/). */
  browser?: string | null;
  browserVersion?: string | null;
  os?: string | null;
  device?: string | null;
  country?: string | null;
}

/** One span, browser or backend, kept whole for trace views. */
export interface SpanRow {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  kind: number;
  startUs: bigint;
  durationMs: number;
  statusCode: number;
  statusMessage: string | null;
  serviceName: string | null;
  appId: string | null;
  sessionId: string | null;
  scopeName: string | null;
  attributes: Attributes;
  events: { timeUs: string; name: string; attributes: Attributes }[];
  resource: Attributes;
}

export interface MetricPointRow {
  timeUs: bigint;
  appId: string | null;
  serviceName: string | null;
  name: string;
  unit: string | null;
  value: number;
  attributes: Attributes;
}

/** The recording of one replay segment (its metadata row is an EventRow of kind replay_segment). */
export interface ReplaySegmentRow {
  appId: string;
  sessionId: string;
  /** '' when the record names no view. */
  viewId: string;
  sequence: number;
  /** First rrweb event, microseconds since the epoch (retention reads it). */
  timeUs: bigint;
  startMs: number;
  endMs: number;
  eventCount: number;
  hasFullSnapshot: boolean;
  encoding: ReplayEncoding;
  /** The privacy level it was recorded under (rum.replay.privacy); null when the sender did not say. */
  privacy: PrivacyLevel | null;
  /** The body as received: gzip bytes or JSON text bytes, per `encoding`. */
  payload: Uint8Array;
}

/** The Idempotency-Key of a request, committed with its rows (server/src/ingest/idempotency.ts). */
export interface IdempotencyKeyRow {
  /** The route's path and the header's value. */
  key: string;
  committedMs: number;
  /** Records the request refused (OTLP partial success), and why: what a repeat is answered. */
  rejected: number;
  errorMessage: string;
}

export interface WriteBatch {
  events: EventRow[];
  spans: SpanRow[];
  metricPoints: MetricPointRow[];
  /** Recordings of the replay_segment events in `events` (server/src/replay). */
  replaySegments?: ReplaySegmentRow[];
  /** Keys of the requests whose rows these are, stored in the same transaction where the store can. */
  idempotencyKeys?: IdempotencyKeyRow[];
}
