import type { ViewLoadingType } from '@otel-rum/model';
import type { EventBus } from './eventBus';

/** An attribute value as the SDK carries it before encoding. */
export type AttributeValue = string | number | boolean | string[] | undefined;
export type Attributes = Record<string, AttributeValue>;

/** Context an event may pin instead of taking the current one (a view update sent after the view changed). */
export interface EventContext {
  sessionId?: string;
  viewId?: string;
  url?: string;
}

/** An event as a domain collects it, before the common context is added. */
export interface RawEvent {
  /** One of EventName from @otel-rum/model. */
  name: string;
  /** Epoch milliseconds. */
  time: number;
  attributes: Attributes;
  /** OTLP severity number; 17 (ERROR) for exceptions, 9 (INFO) otherwise. */
  severity?: number;
  body?: string;
  /** A binary body (OTLP bytesValue), e.g. a gzip replay segment; wins over `body`. */
  bodyBytes?: Uint8Array;
  /**
   * Replay segments: gzip of a whole request, synchronous (from the lazily loaded recorder, so that
   * the eager bundle holds no compressor); their requests are sent with Content-Encoding gzip.
   */
  gzip?(body: Uint8Array): Uint8Array<ArrayBuffer>;
  traceId?: string;
  spanId?: string;
  context?: EventContext;
}

/** A finished client span (fetch or XHR), W3C trace context ids in lowercase hex. */
export interface RawSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** OTLP SpanKind: 3 = CLIENT. */
  kind: number;
  start: number;
  end: number;
  attributes: Attributes;
  /** OTLP status code: 0 unset, 2 error. */
  status: 0 | 2;
  statusMessage?: string;
  /** Whether the trace was sampled (flag sent in traceparent). Unsampled spans are not exported. */
  sampled: boolean;
}

/** Messages on the RUM bus. */
export interface RumBusEvents {
  /** A domain collected an event. */
  collected: RawEvent;
  /** A fetch/XHR started (actions wait for it; resources take its trace ids). Absolute URL, epoch ms. */
  requestStarted: { url: string; start: number; traceId: string; spanId: string };
  /** A client span ended. */
  spanEnded: RawSpan;
  /** A new view began (after the previous one ended). */
  viewStarted: { id: string; url: string; time: number; loadingType: ViewLoadingType };
  /** A timing of a view was measured (vitals feed rum.view.fcp_ms, lcp_ms, inp_ms, cls). */
  viewTiming: { viewId: string; key: string; value: number };
  /** The app called flush(): what is collected is to be sent now (the open replay segment too). */
  flush: undefined;
  /** The page is being hidden; `final` is true on pagehide (the document may be unloaded). */
  pageHidden: { final: boolean };
  /** The page is visible again after being hidden. */
  pageShown: undefined;
  /** The page was restored from the back/forward cache (pageshow with persisted). */
  pageRestored: undefined;
  /** A trusted pointerdown or keydown, each one (the first ends LCP). */
  userInput: undefined;
  /** Any user interaction (extends the session), at most once per ACTIVITY_THROTTLE_MS. */
  activity: undefined;
  /** The session id changed (expired and renewed here, or renewed by another tab). */
  sessionRenewed: { id: string; previousId?: string };
}

export type RumBus = EventBus<RumBusEvents>;
