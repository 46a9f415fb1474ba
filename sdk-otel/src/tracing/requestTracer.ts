import { HTTP_REQUEST_METHOD, HTTP_RESPONSE_STATUS_CODE, URL_FULL } from '@otel-rum/model';
import type { Propagator } from '../config/config';
import { newId128, newId64 } from '../ids';
import type { Attributes, RumBus } from '../lifecycle/rumEvents';
import { propagationHeaders } from './traceContext';
import { absoluteUrl } from './urlMatcher';

/** OTLP SpanKind CLIENT. */
export const SPAN_KIND_CLIENT = 3;

/** A request in flight: the headers to add (when propagation is allowed) and how to end its span. */
export interface TracedRequest {
  headers?: Record<string, string>;
  /** `status` 0 means the request failed without a response. */
  end(status: number, error?: string): void;
}

/** Starts the client span of one fetch/XHR, or returns undefined for requests we do not trace. */
export type RequestTracer = (method: string, url: string) => TracedRequest | undefined;

export interface TracerOptions {
  bus: RumBus;
  propagators: Propagator[];
  /** Whether headers may go to this absolute URL. */
  allowed(url: string): boolean;
  /** Whether this URL is never traced (the SDK's own endpoint). */
  ignored(url: string): boolean;
  /** Context fixed when the request starts (view and action ids). */
  startAttributes(): Attributes;
  /** The session's trace sampling decision. */
  sampled(): boolean;
  now(): number;
}

/**
 * One client span per fetch/XHR (OTel HTTP client conventions: name is the method, status error on
 * network failure or HTTP >= 400), with a W3C traceparent (and b3 if asked) for allowed URLs.
 */
export function createRequestTracer(o: TracerOptions): RequestTracer {
  return (method, rawUrl) => {
    const url = absoluteUrl(rawUrl);
    if (o.ignored(url)) return undefined;
    const traceId = newId128();
    const spanId = newId64();
    const sampled = o.sampled();
    const start = o.now();
    const context = o.startAttributes();
    let ended = false;
    o.bus.emit('requestStarted', { url, start, traceId, spanId });
    return {
      headers: o.allowed(url) ? propagationHeaders(o.propagators, traceId, spanId, sampled) : undefined,
      end(status, error) {
        if (ended) return;
        ended = true;
        const failed = status === 0 || status >= 400;
        o.bus.emit('spanEnded', {
          traceId,
          spanId,
          name: method,
          kind: SPAN_KIND_CLIENT,
          start,
          end: o.now(),
          attributes: {
            ...context,
            [URL_FULL]: url,
            [HTTP_REQUEST_METHOD]: method,
            [HTTP_RESPONSE_STATUS_CODE]: status || undefined,
          },
          status: failed ? 2 : 0,
          statusMessage: failed ? error || (status ? `HTTP ${status}` : 'network error') : undefined,
          sampled,
        });
      },
    };
  };
}
