import type { EventItem, EventKind, IssueItem, Page, SessionItem, SpanItem } from '@otel-rum/model';

export type { EventItem, IssueItem, Page, SessionItem, SpanItem } from '@otel-rum/model';
import type { IdempotencyKeyRow, ReplaySegmentRow, WriteBatch } from './rows';
import type { AggregateQuery, AggregateResult, FacetQuery, FacetValue, IssueStatus } from './analytics';

/** Which events a list asks for. Every field narrows; none widens. */
export interface EventQuery {
  appId?: string;
  sessionId?: string;
  viewId?: string;
  traceId?: string;
  /** Inclusive lower bound, ms since the epoch. */
  fromMs?: number;
  /** Exclusive upper bound, ms since the epoch. */
  toMs?: number;
  /** A filter expression (server/src/query/filter/README.md). */
  filter?: string;
  /** Order of a list; each list documents its sortable fields and its default. */
  sort?: { field: string; desc: boolean };
  limit: number;
  /** Opaque cursor from a previous page's nextCursor. */
  cursor?: string;
}

/** A stored segment as read back, recording still encoded. */
export type StoredReplaySegment = Omit<ReplaySegmentRow, 'sessionId' | 'timeUs'>;

/** Where a page of segments continues: after this segment in (start_ms, sequence, view_id) order. */
export interface ReplayPosition {
  startMs: number;
  sequence: number;
  viewId: string;
}

/**
 * The one storage interface. The DuckDB adapter implements it for one machine; a ClickHouse adapter
 * implements the same contract at scale.
 */
export interface RumStore {
  /** Commits the batch; resolves only when it is durable. */
  write(batch: WriteBatch): Promise<void>;
  /** How many writes the store runs at once; the write queue keeps up to that many in flight. */
  readonly writeConcurrency: number;
  listEvents(kind: EventKind, q: EventQuery): Promise<Page<EventItem>>;
  listSessions(q: EventQuery): Promise<Page<SessionItem>>;
  /** Errors grouped by fingerprint, most frequent first; `status` narrows to one status. */
  listIssues(q: EventQuery & { status?: IssueStatus }): Promise<Page<IssueItem>>;
  /** One event by its id. */
  getEvent(id: string): Promise<EventItem | null>;
  /** One issue of an application. */
  getIssue(appId: string, fingerprint: string): Promise<IssueItem | null>;
  /** Sets an issue's status; null when the app has no errors with that fingerprint. */
  setIssueStatus(appId: string, fingerprint: string, status: IssueStatus): Promise<IssueItem | null>;
  /** Top values of one field with their counts. */
  facet(q: FacetQuery): Promise<FacetValue[]>;
  /** Time series of one aggregation, grouped. */
  aggregate(q: AggregateQuery): Promise<AggregateResult>;
  getSession(sessionId: string, appId?: string): Promise<SessionItem | null>;
  /** Every event of a session in time order (bounded by MAX_TIMELINE_EVENTS). */
  timeline(sessionId: string, appId?: string): Promise<EventItem[]>;
  trace(traceId: string): Promise<SpanItem[]>;
  /** Up to `limit` replay segments of a session in playback order, after `after` when given. */
  replaySegments(q: {
    sessionId: string;
    appId?: string;
    after?: ReplayPosition;
    limit: number;
  }): Promise<StoredReplaySegment[]>;
  /**
   * Stores that keep the idempotency keys of committed requests (written with the batch): the keys
   * committed at or after `sinceMs`, the newest `limit`, oldest first; and the deletion of older ones.
   * A store without them leaves the keys in each server process's memory only.
   */
  recentIdempotencyKeys?(sinceMs: number, limit: number): Promise<IdempotencyKeyRow[]>;
  forgetIdempotencyKeys?(beforeMs: number): Promise<void>;
  /** True when the store answers queries. */
  ready(): Promise<boolean>;
  close(): Promise<void>;
}

/** Events returned by one session timeline. */
export const MAX_TIMELINE_EVENTS = 5000;
/** Spans returned for one trace. */
export const MAX_TRACE_SPANS = 10_000;
export { MAX_PAGE_SIZE } from '@otel-rum/model';
