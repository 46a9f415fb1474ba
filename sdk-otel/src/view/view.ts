import {
  EventName,
  RUM_VIEW_ACTION_COUNT,
  RUM_VIEW_ENDED,
  RUM_VIEW_ERROR_COUNT,
  RUM_VIEW_LOADING_TYPE,
  RUM_VIEW_LONG_TASK_COUNT,
  RUM_VIEW_NAME,
  RUM_VIEW_REFERRER,
  RUM_VIEW_RESOURCE_COUNT,
  RUM_VIEW_TIME_SPENT,
  URL_PATH,
  type ViewLoadingType,
} from '@otel-rum/model';
import type { Attributes, RawEvent } from '../lifecycle/rumEvents';

/** One view: what the user saw between two navigations. */
export interface View {
  id: string;
  name: string;
  url: string;
  loadingType: ViewLoadingType;
  referrer: string;
  /** Epoch ms. */
  start: number;
  sessionId?: string;
  counts: { errors: number; actions: number; resources: number; longTasks: number };
  /** rum.view.* timing attributes known so far (ttfb, fcp, lcp, dom_content_loaded, load, inp, cls). */
  timings: Attributes;
  ended: boolean;
  /** The backend trace that served the document (initial load only). */
  trace?: { traceId: string; spanId: string };
}

/**
 * The path of a URL (without query and fragment), or the URL itself when it does not parse. An http(s)
 * URL as the browser serialised it (location.href) is cut as a string: the URL parser costs more than
 * the rest of the first view (its first use sets up the URL interface).
 */
export function pathOf(url: string): string {
  if (url.startsWith('http://') || url.startsWith('https://')) {
    const rest = url.split('#')[0]!.split('?')[0]!;
    const at = rest.indexOf('/', 8);
    return at < 0 ? '/' : rest.slice(at);
  }
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

/** The record announcing a view, sent when it starts. */
export function viewStartEvent(v: View): RawEvent {
  return {
    name: EventName.VIEW,
    time: v.start,
    attributes: {
      [RUM_VIEW_NAME]: v.name,
      [RUM_VIEW_LOADING_TYPE]: v.loadingType,
      [URL_PATH]: pathOf(v.url),
      [RUM_VIEW_REFERRER]: v.referrer || undefined,
    },
    context: { sessionId: v.sessionId, viewId: v.id, url: v.url },
    traceId: v.trace?.traceId,
    spanId: v.trace?.spanId,
  };
}

/**
 * The same view again with what was measured since (time spent, counts, timings); `at` (now) is the
 * record's time, so the latest record of a view id is its most complete state.
 */
export function viewUpdateEvent(v: View, at: number): RawEvent {
  const e = viewStartEvent(v);
  e.time = Math.max(at, v.start + 0.001);
  Object.assign(e.attributes, v.timings, {
    [RUM_VIEW_TIME_SPENT]: Math.max(0, at - v.start),
    [RUM_VIEW_ERROR_COUNT]: v.counts.errors,
    [RUM_VIEW_ACTION_COUNT]: v.counts.actions,
    [RUM_VIEW_RESOURCE_COUNT]: v.counts.resources,
    [RUM_VIEW_LONG_TASK_COUNT]: v.counts.longTasks,
    [RUM_VIEW_ENDED]: v.ended,
  });
  return e;
}

/** Which counter of the view an event name increments. */
export const COUNTED: Record<string, keyof View['counts']> = {
  [EventName.EXCEPTION]: 'errors',
  [EventName.ACTION]: 'actions',
  [EventName.RESOURCE]: 'resources',
  [EventName.LONG_TASK]: 'longTasks',
};
