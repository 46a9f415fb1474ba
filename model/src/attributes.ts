/*
 * Attribute names. OpenTelemetry semantic conventions are spelled exactly as the conventions spell
 * them; what RUM needs beyond them lives under `rum.*`. Each name is a separate export so that the
 * SDK bundle carries only the names it uses. registry.ts describes every one of them.
 */

// --- OpenTelemetry semantic conventions: resource ---
export const SERVICE_NAME = 'service.name';
export const SERVICE_VERSION = 'service.version';
export const DEPLOYMENT_ENVIRONMENT_NAME = 'deployment.environment.name';
export const TELEMETRY_SDK_NAME = 'telemetry.sdk.name';
export const TELEMETRY_SDK_VERSION = 'telemetry.sdk.version';
export const TELEMETRY_SDK_LANGUAGE = 'telemetry.sdk.language';
export const USER_AGENT_ORIGINAL = 'user_agent.original';
export const BROWSER_BRANDS = 'browser.brands';
export const BROWSER_PLATFORM = 'browser.platform';
export const BROWSER_MOBILE = 'browser.mobile';
export const BROWSER_LANGUAGE = 'browser.language';
/** Address of the browser; set by the gateway collector from the connection it received. */
export const CLIENT_ADDRESS = 'client.address';

// --- OpenTelemetry semantic conventions: session and user ---
export const SESSION_ID = 'session.id';
export const SESSION_PREVIOUS_ID = 'session.previous_id';
export const USER_ID = 'user.id';
export const USER_NAME = 'user.name';
export const USER_EMAIL = 'user.email';
export const USER_HASH = 'user.hash';
export const USER_ROLES = 'user.roles';

// --- OpenTelemetry semantic conventions: URL and HTTP ---
export const URL_FULL = 'url.full';
export const URL_PATH = 'url.path';
export const URL_QUERY = 'url.query';
export const URL_SCHEME = 'url.scheme';
export const URL_FRAGMENT = 'url.fragment';
export const URL_TEMPLATE = 'url.template';
export const SERVER_ADDRESS = 'server.address';
export const HTTP_REQUEST_METHOD = 'http.request.method';
export const HTTP_RESPONSE_STATUS_CODE = 'http.response.status_code';
/** Older HTTP conventions still emitted by the upstream fetch/XHR instrumentations. */
export const HTTP_URL_LEGACY = 'http.url';
export const HTTP_METHOD_LEGACY = 'http.method';
export const HTTP_STATUS_CODE_LEGACY = 'http.status_code';

// --- OpenTelemetry semantic conventions: exceptions ---
export const EXCEPTION_TYPE = 'exception.type';
export const EXCEPTION_MESSAGE = 'exception.message';
export const EXCEPTION_STACKTRACE = 'exception.stacktrace';

// --- OpenTelemetry semantic conventions: web vitals (event browser.web_vital) ---
export const WEB_VITAL_NAME = 'browser.web_vital.name';
export const WEB_VITAL_VALUE = 'browser.web_vital.value';
export const WEB_VITAL_DELTA = 'browser.web_vital.delta';
export const WEB_VITAL_ID = 'browser.web_vital.id';
export const WEB_VITAL_NAVIGATION_TYPE = 'browser.web_vital.navigation_type';
export const WEB_VITAL_RATING = 'browser.web_vital.rating';
/** CSS selector of the element the web vital is attributed to (LCP element, INP target, largest CLS shift). */
export const RUM_WEB_VITAL_TARGET = 'rum.web_vital.target';

// --- native applications (OpenTelemetry app.*, device.*, os.* conventions) ---
/** Name of the screen shown (an Android activity or fragment, an iOS view controller, a Flutter route). */
export const APP_SCREEN_NAME = 'app.screen.name';
/** Older name of app.screen.name, sent by OpenTelemetry Android in its compatibility mode. */
export const SCREEN_NAME_LEGACY = 'screen.name';
/** Id of the UI element tapped (app.widget.click). */
export const APP_WIDGET_ID = 'app.widget.id';
/** Name of the UI element tapped (app.widget.click). */
export const APP_WIDGET_NAME = 'app.widget.name';
export const DEVICE_MODEL_NAME = 'device.model.name';
export const DEVICE_MODEL_IDENTIFIER = 'device.model.identifier';
export const DEVICE_MANUFACTURER = 'device.manufacturer';
export const OS_NAME = 'os.name';
export const OS_VERSION = 'os.version';

// --- rum.*: application ---
/** Resource attribute naming the registered application that sent the data. */
export const RUM_APP_ID = 'rum.app.id';

// --- rum.*: view ---
export const RUM_VIEW_ID = 'rum.view.id';
export const RUM_VIEW_NAME = 'rum.view.name';
export const RUM_VIEW_LOADING_TYPE = 'rum.view.loading_type';
export const RUM_VIEW_REFERRER = 'rum.view.referrer';
export const RUM_VIEW_TIME_SPENT = 'rum.view.time_spent_ms';
/** Time from the view's start until the page settled (DOM quiet, no request in flight); route changes too. */
export const RUM_VIEW_LOADING_TIME = 'rum.view.loading_time_ms';
export const RUM_VIEW_TTFB = 'rum.view.ttfb_ms';
export const RUM_VIEW_FCP = 'rum.view.fcp_ms';
export const RUM_VIEW_LCP = 'rum.view.lcp_ms';
export const RUM_VIEW_DOM_CONTENT_LOADED = 'rum.view.dom_content_loaded_ms';
export const RUM_VIEW_LOAD = 'rum.view.load_ms';
export const RUM_VIEW_INP = 'rum.view.inp_ms';
export const RUM_VIEW_CLS = 'rum.view.cls';
export const RUM_VIEW_ERROR_COUNT = 'rum.view.error_count';
export const RUM_VIEW_ACTION_COUNT = 'rum.view.action_count';
export const RUM_VIEW_RESOURCE_COUNT = 'rum.view.resource_count';
export const RUM_VIEW_LONG_TASK_COUNT = 'rum.view.long_task_count';
/** Whether the view has ended (true on its final update). */
export const RUM_VIEW_ENDED = 'rum.view.ended';

// --- rum.*: action ---
export const RUM_ACTION_ID = 'rum.action.id';
export const RUM_ACTION_TYPE = 'rum.action.type';
export const RUM_ACTION_NAME = 'rum.action.name';
export const RUM_ACTION_TARGET = 'rum.action.target';
export const RUM_ACTION_DURATION = 'rum.action.duration_ms';
export const RUM_ACTION_FRUSTRATION = 'rum.action.frustration';

// --- rum.*: resource ---
export const RUM_RESOURCE_TYPE = 'rum.resource.type';
export const RUM_RESOURCE_DURATION = 'rum.resource.duration_ms';
export const RUM_RESOURCE_DNS = 'rum.resource.dns_ms';
export const RUM_RESOURCE_CONNECT = 'rum.resource.connect_ms';
export const RUM_RESOURCE_TLS = 'rum.resource.tls_ms';
export const RUM_RESOURCE_FIRST_BYTE = 'rum.resource.first_byte_ms';
export const RUM_RESOURCE_DOWNLOAD = 'rum.resource.download_ms';
export const RUM_RESOURCE_TRANSFER_SIZE = 'rum.resource.transfer_size';
export const RUM_RESOURCE_DECODED_SIZE = 'rum.resource.decoded_size';
export const RUM_RESOURCE_INITIATOR = 'rum.resource.initiator';

// --- rum.*: error ---
export const RUM_ERROR_SOURCE = 'rum.error.source';
export const RUM_ERROR_FINGERPRINT = 'rum.error.fingerprint';
export const RUM_ERROR_HANDLED = 'rum.error.handled';

// --- rum.*: long task ---
export const RUM_LONG_TASK_DURATION = 'rum.long_task.duration_ms';
export const RUM_LONG_TASK_TYPE = 'rum.long_task.type';
export const RUM_LONG_TASK_SCRIPT = 'rum.long_task.script';

// --- rum.*: replay ---
export const RUM_REPLAY_SEQUENCE = 'rum.replay.sequence';
export const RUM_REPLAY_START = 'rum.replay.start_ms';
export const RUM_REPLAY_END = 'rum.replay.end_ms';
export const RUM_REPLAY_EVENT_COUNT = 'rum.replay.event_count';
/** How the segment's body is encoded: one of ReplayEncoding. */
export const RUM_REPLAY_ENCODING = 'rum.replay.encoding';
/** Whether the segment holds an rrweb full snapshot (a player may start there). */
export const RUM_REPLAY_HAS_FULL_SNAPSHOT = 'rum.replay.has_full_snapshot';
/** The privacy level the segment was recorded under (the page's default): one of PRIVACY_LEVELS. */
export const RUM_REPLAY_PRIVACY = 'rum.replay.privacy';
