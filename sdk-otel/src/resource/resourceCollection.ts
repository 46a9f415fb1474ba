import { EventName } from '@otel-rum/model';
import { fromPerf } from '../clock';
import type { RumBus } from '../lifecycle/rumEvents';
import type { Timeline } from '../page/timeline';
import { documentTraceparent } from '../tracing/serverTiming';
import { resourceAttributes } from './resourceTiming';

/** How far apart (ms) a fetch/XHR span and its resource timing entry may start and still be matched. */
export const SPAN_MATCH_MS = 50;
/** Requests remembered for matching with resource timing entries. */
export const SPAN_MATCH_MEMORY = 50;

export interface ResourceOptions {
  bus: RumBus;
  /** URLs never reported (the SDK's own endpoint). */
  ignored(url: string): boolean;
  timeline: Timeline;
}

/**
 * Resources from the resource timing buffer, and the document itself once loaded. Fetch/XHR entries
 * carry the trace and span ids of the client span that made them.
 */
export function startResourceCollection(o: ResourceOptions): () => void {
  if (typeof PerformanceObserver === 'undefined') return () => undefined;
  const recentSpans: { url: string; start: number; traceId: string; spanId: string }[] = [];
  const offSpan = o.bus.on('spanEnded', (s) => {
    recentSpans.push({
      url: String(s.attributes['url.full']),
      start: s.start,
      traceId: s.traceId,
      spanId: s.spanId,
    });
    if (recentSpans.length > SPAN_MATCH_MEMORY) recentSpans.shift();
  });

  const report = (e: PerformanceResourceTiming, ids?: { traceId: string; spanId: string }) => {
    if (o.ignored(e.name)) return;
    const time = fromPerf(e.startTime);
    if (!ids && (e.initiatorType === 'fetch' || e.initiatorType === 'xmlhttprequest')) {
      const i = recentSpans.findIndex((s) => s.url === e.name && Math.abs(s.start - time) < SPAN_MATCH_MS);
      if (i >= 0) ids = recentSpans.splice(i, 1)[0];
    }
    o.bus.emit('collected', {
      name: EventName.RESOURCE,
      time,
      attributes: resourceAttributes(e),
      traceId: ids?.traceId,
      spanId: ids?.spanId,
    });
  };

  o.timeline.observe('resource', (e) => report(e as PerformanceResourceTiming));
  o.timeline.observe('navigation', (e) => {
    const nav = e as PerformanceNavigationTiming;
    if (nav.responseEnd > 0) report(nav, documentTraceparent(nav));
  });
  return offSpan;
}
