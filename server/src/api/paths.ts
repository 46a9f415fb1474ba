import type { EventKind } from '@otel-rum/model';

/** Items in a page when the request does not say. */
export const DEFAULT_PAGE_SIZE = 100;

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
