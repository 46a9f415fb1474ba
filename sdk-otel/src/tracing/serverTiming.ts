import { parseTraceparent } from './traceContext';

/**
 * The backend trace that served the document, from a `Server-Timing: traceparent;desc="00-…"` response
 * header, so the page load links to it.
 */
export function documentTraceparent(nav: PerformanceNavigationTiming | undefined) {
  const entry = nav?.serverTiming?.find((t) => t.name === 'traceparent');
  return parseTraceparent(entry?.description);
}
