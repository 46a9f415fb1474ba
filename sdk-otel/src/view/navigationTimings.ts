import { RUM_VIEW_DOM_CONTENT_LOADED, RUM_VIEW_LOAD, RUM_VIEW_TTFB } from '@otel-rum/model';
import type { Attributes } from '../lifecycle/rumEvents';

let entry: PerformanceNavigationTiming | undefined;

/**
 * The document's navigation entry, if the browser has one. Kept once its load event has ended (its
 * timings are final then): each getEntriesByType call builds a new list.
 */
export function navigationEntry(): PerformanceNavigationTiming | undefined {
  return entry?.loadEventEnd
    ? entry
    : (entry = performance.getEntriesByType?.('navigation')[0] as PerformanceNavigationTiming | undefined);
}

/** TTFB, DOMContentLoaded and load of the initial document, ms from navigation start; missing ones left out. */
export function navigationTimings(): Attributes {
  const nav = navigationEntry();
  const out: Attributes = {};
  if (!nav) return out;
  if (nav.responseStart > 0) out[RUM_VIEW_TTFB] = nav.responseStart;
  if (nav.domContentLoadedEventEnd > 0) out[RUM_VIEW_DOM_CONTENT_LOADED] = nav.domContentLoadedEventEnd;
  if (nav.loadEventEnd > 0) out[RUM_VIEW_LOAD] = nav.loadEventEnd;
  return out;
}
