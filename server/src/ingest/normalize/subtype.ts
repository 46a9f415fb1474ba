import {
  EXCEPTION_TYPE,
  RUM_ACTION_TYPE,
  RUM_LONG_TASK_TYPE,
  RUM_RESOURCE_TYPE,
  RUM_VIEW_LOADING_TYPE,
  WEB_VITAL_NAME,
  type EventKind,
} from '@otel-rum/model';
import type { EventRow } from '../../store/rows';

/**
 * The attribute that says which sort of its kind an event is: the exception type of an error, the
 * resource type, the action type, the long task type, the web vital's name, how a view loaded. It is
 * kept in a column of its own so that issues and facets do not read it out of JSON.
 */
export const SUBTYPE_ATTRIBUTES: Readonly<Partial<Record<EventKind, string>>> = {
  error: EXCEPTION_TYPE,
  resource: RUM_RESOURCE_TYPE,
  action: RUM_ACTION_TYPE,
  long_task: RUM_LONG_TASK_TYPE,
  web_vital: WEB_VITAL_NAME,
  view: RUM_VIEW_LOADING_TYPE,
};

export function subtypeOf(e: EventRow): string | null {
  const key = SUBTYPE_ATTRIBUTES[e.kind];
  const v = key ? e.attributes[key] : undefined;
  return typeof v === 'string' ? v : null;
}
