import * as A from './attributes';
import type { EventKind } from './kinds';

export type AttributeType = 'string' | 'int' | 'double' | 'boolean' | 'string[]';

export interface AttributeSpec {
  name: string;
  type: AttributeType;
  /** Where the name comes from: an OpenTelemetry semantic convention, or our `rum.*` namespace. */
  origin: 'otel' | 'rum';
  /** Resource attribute, or the event kinds that carry it. */
  on: 'resource' | readonly EventKind[] | 'all';
  brief: string;
}

const otel = (name: string, type: AttributeType, on: AttributeSpec['on'], brief: string): AttributeSpec => ({
  name,
  type,
  origin: 'otel',
  on,
  brief,
});
const rum = (name: string, type: AttributeType, on: AttributeSpec['on'], brief: string): AttributeSpec => ({
  name,
  type,
  origin: 'rum',
  on,
  brief,
});

/** Every attribute of the model, described. The docs and the server's mapping are tested against it. */
export const ATTRIBUTES: readonly AttributeSpec[] = [
  otel(A.SERVICE_NAME, 'string', 'resource', 'Logical name of the application'),
  otel(A.SERVICE_VERSION, 'string', 'resource', 'Version of the application'),
  otel(A.DEPLOYMENT_ENVIRONMENT_NAME, 'string', 'resource', 'Environment (production, staging...)'),
  otel(A.TELEMETRY_SDK_NAME, 'string', 'resource', 'Name of the SDK that sent the data'),
  otel(A.TELEMETRY_SDK_VERSION, 'string', 'resource', 'Version of the SDK'),
  otel(A.TELEMETRY_SDK_LANGUAGE, 'string', 'resource', 'Always webjs for browsers'),
  otel(A.USER_AGENT_ORIGINAL, 'string', 'resource', 'The browser user agent string'),
  otel(A.BROWSER_BRANDS, 'string[]', 'resource', 'Client hint brands'),
  otel(A.BROWSER_PLATFORM, 'string', 'resource', 'Client hint platform'),
  otel(A.BROWSER_MOBILE, 'boolean', 'resource', 'Client hint mobile flag'),
  otel(A.BROWSER_LANGUAGE, 'string', 'resource', 'navigator.language'),
  otel(
    A.CLIENT_ADDRESS,
    'string',
    'resource',
    'Address of the browser, set by the gateway from its connection',
  ),
  otel(A.SESSION_ID, 'string', 'all', 'Id of the session the event belongs to'),
  otel(A.SESSION_PREVIOUS_ID, 'string', ['session'], 'Id of the session this one replaced'),
  otel(A.USER_ID, 'string', 'all', 'Id of the signed-in user'),
  otel(A.USER_NAME, 'string', 'all', 'Name of the user'),
  otel(A.USER_EMAIL, 'string', 'all', 'Email of the user'),
  otel(A.USER_HASH, 'string', 'all', 'Hash of the user id, when the id itself is not sent'),
  otel(A.USER_ROLES, 'string[]', 'all', 'Roles of the user'),
  otel(A.URL_FULL, 'string', 'all', 'URL of the page (or of the resource, on resources)'),
  otel(A.URL_PATH, 'string', 'all', 'Path part of url.full'),
  otel(A.URL_QUERY, 'string', 'all', 'Query part of url.full, redacted'),
  otel(A.URL_SCHEME, 'string', 'all', 'Scheme of url.full'),
  otel(A.URL_FRAGMENT, 'string', 'all', 'Fragment of url.full'),
  otel(A.URL_TEMPLATE, 'string', ['view'], 'Route template of the view, such as /users/:id'),
  otel(A.SERVER_ADDRESS, 'string', ['resource'], 'Host the resource came from'),
  otel(A.HTTP_REQUEST_METHOD, 'string', ['resource'], 'HTTP method of a fetch/XHR'),
  otel(A.HTTP_RESPONSE_STATUS_CODE, 'int', ['resource'], 'HTTP status of a fetch/XHR'),
  otel(A.HTTP_URL_LEGACY, 'string', ['resource'], 'Older name of url.full, read from upstream spans'),
  otel(A.HTTP_METHOD_LEGACY, 'string', ['resource'], 'Older name of http.request.method'),
  otel(A.HTTP_STATUS_CODE_LEGACY, 'int', ['resource'], 'Older name of http.response.status_code'),
  otel(A.EXCEPTION_TYPE, 'string', ['error'], 'Error class or name'),
  otel(A.EXCEPTION_MESSAGE, 'string', ['error'], 'Error message'),
  otel(A.EXCEPTION_STACKTRACE, 'string', ['error'], 'Stack trace as the runtime printed it'),
  otel(A.WEB_VITAL_NAME, 'string', ['web_vital'], 'cls, fcp, inp, lcp or ttfb'),
  otel(A.WEB_VITAL_VALUE, 'double', ['web_vital'], 'Value of the metric (ms, or unitless for CLS)'),
  otel(A.WEB_VITAL_DELTA, 'double', ['web_vital'], 'Change since the last report'),
  otel(A.WEB_VITAL_ID, 'string', ['web_vital'], 'Id of the metric instance'),
  otel(A.WEB_VITAL_NAVIGATION_TYPE, 'string', ['web_vital'], 'navigate, reload, back-forward...'),
  otel(A.WEB_VITAL_RATING, 'string', ['web_vital'], 'good, needs-improvement or poor'),
  rum(
    A.RUM_WEB_VITAL_TARGET,
    'string',
    ['web_vital'],
    'CSS selector of the element the vital is attributed to',
  ),
  rum(A.RUM_APP_ID, 'string', 'resource', 'Registered application id; required on every request'),
  rum(A.RUM_VIEW_ID, 'string', 'all', 'Id of the view the event happened in'),
  rum(A.RUM_VIEW_NAME, 'string', ['view'], 'Readable name of the view (route or path)'),
  rum(A.RUM_VIEW_LOADING_TYPE, 'string', ['view'], 'initial_load, route_change or bf_cache'),
  rum(A.RUM_VIEW_REFERRER, 'string', ['view'], 'document.referrer or the previous view URL'),
  rum(A.RUM_VIEW_TIME_SPENT, 'double', ['view'], 'Time the view was shown, ms'),
  rum(
    A.RUM_VIEW_LOADING_TIME,
    'double',
    ['view'],
    'View start until the page settled (DOM quiet, no request), ms',
  ),
  rum(A.RUM_VIEW_TTFB, 'double', ['view'], 'Time to first byte, ms'),
  rum(A.RUM_VIEW_FCP, 'double', ['view'], 'First contentful paint, ms'),
  rum(A.RUM_VIEW_LCP, 'double', ['view'], 'Largest contentful paint, ms'),
  rum(A.RUM_VIEW_DOM_CONTENT_LOADED, 'double', ['view'], 'DOMContentLoaded end, ms'),
  rum(A.RUM_VIEW_LOAD, 'double', ['view'], 'Load event end, ms'),
  rum(A.RUM_VIEW_INP, 'double', ['view'], 'Interaction to next paint, ms'),
  rum(A.RUM_VIEW_CLS, 'double', ['view'], 'Cumulative layout shift'),
  rum(A.RUM_VIEW_ERROR_COUNT, 'int', ['view'], 'Errors in the view'),
  rum(A.RUM_VIEW_ACTION_COUNT, 'int', ['view'], 'Actions in the view'),
  rum(A.RUM_VIEW_RESOURCE_COUNT, 'int', ['view'], 'Resources in the view'),
  rum(A.RUM_VIEW_LONG_TASK_COUNT, 'int', ['view'], 'Long tasks in the view'),
  rum(A.RUM_VIEW_ENDED, 'boolean', ['view'], 'True on the final update of a view'),
  rum(A.RUM_ACTION_ID, 'string', ['action', 'resource', 'error'], 'Id of the action'),
  rum(A.RUM_ACTION_TYPE, 'string', ['action'], 'click or custom'),
  rum(A.RUM_ACTION_NAME, 'string', ['action'], 'Readable name of the action'),
  rum(A.RUM_ACTION_TARGET, 'string', ['action'], 'CSS selector of the target element'),
  rum(A.RUM_ACTION_DURATION, 'double', ['action'], 'Time until the page settled, ms'),
  rum(A.RUM_ACTION_FRUSTRATION, 'string[]', ['action'], 'rage, dead and/or error'),
  rum(A.RUM_RESOURCE_TYPE, 'string', ['resource'], 'document, fetch, xhr, script, css, img...'),
  rum(A.RUM_RESOURCE_DURATION, 'double', ['resource'], 'Total duration, ms'),
  rum(A.RUM_RESOURCE_DNS, 'double', ['resource'], 'DNS lookup, ms'),
  rum(A.RUM_RESOURCE_CONNECT, 'double', ['resource'], 'TCP connect, ms'),
  rum(A.RUM_RESOURCE_TLS, 'double', ['resource'], 'TLS handshake, ms'),
  rum(A.RUM_RESOURCE_FIRST_BYTE, 'double', ['resource'], 'Request sent to first byte, ms'),
  rum(A.RUM_RESOURCE_DOWNLOAD, 'double', ['resource'], 'First to last byte, ms'),
  rum(A.RUM_RESOURCE_TRANSFER_SIZE, 'int', ['resource'], 'Bytes over the network'),
  rum(A.RUM_RESOURCE_DECODED_SIZE, 'int', ['resource'], 'Bytes after decoding'),
  rum(A.RUM_RESOURCE_INITIATOR, 'string', ['resource'], 'initiatorType from resource timing'),
  rum(A.RUM_ERROR_SOURCE, 'string', ['error'], 'uncaught, unhandled_rejection, console...'),
  rum(A.RUM_ERROR_FINGERPRINT, 'string', ['error'], 'Client-given grouping key'),
  rum(A.RUM_ERROR_HANDLED, 'boolean', ['error'], 'Whether the app caught the error itself'),
  rum(A.RUM_LONG_TASK_DURATION, 'double', ['long_task'], 'Duration, ms'),
  rum(A.RUM_LONG_TASK_TYPE, 'string', ['long_task'], 'long-animation-frame or longtask'),
  rum(A.RUM_LONG_TASK_SCRIPT, 'string', ['long_task'], 'Script that ran longest in the frame'),
  rum(A.RUM_REPLAY_SEQUENCE, 'int', ['replay_segment'], 'Order of the segment in the session'),
  rum(A.RUM_REPLAY_START, 'double', ['replay_segment'], 'First rrweb event time, epoch ms'),
  rum(A.RUM_REPLAY_END, 'double', ['replay_segment'], 'Last rrweb event time, epoch ms'),
  rum(A.RUM_REPLAY_EVENT_COUNT, 'int', ['replay_segment'], 'rrweb events in the segment'),
];
