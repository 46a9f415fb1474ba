/** The kinds of event the RUM model knows. Every stored event has exactly one. */
export const EVENT_KINDS = [
  'session',
  'view',
  'action',
  'resource',
  'error',
  'long_task',
  'web_vital',
  'replay_segment',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export function isEventKind(value: unknown): value is EventKind {
  return typeof value === 'string' && (EVENT_KINDS as readonly string[]).includes(value);
}

/**
 * Event names, carried in the OTLP log record's EventName field. OpenTelemetry's own names first;
 * `rum.*` names only where no convention exists.
 */
export const EventName = {
  /** OTel semantic convention: a session began. */
  SESSION_START: 'session.start',
  /** OTel semantic convention: a session ended. */
  SESSION_END: 'session.end',
  /** OTel semantic convention: an exception. */
  EXCEPTION: 'exception',
  /** OTel semantic convention: a web vital measurement. */
  WEB_VITAL: 'browser.web_vital',
  /** OpenTelemetry browser SDK (experimental): a page navigation. */
  BROWSER_NAVIGATION: 'browser.navigation',
  /** OpenTelemetry browser SDK (experimental): a click. */
  BROWSER_CLICK: 'browser.user_action.click',
  /** OpenTelemetry browser SDK (experimental): a console message. */
  BROWSER_CONSOLE: 'browser.console',
  /** A view: the initial page load, a route change or a bfcache restore. Sent when it starts and updated when it ends. */
  VIEW: 'rum.view',
  /** A user action (click or custom). */
  ACTION: 'rum.action',
  /** A resource fetched by the page (from resource timing). */
  RESOURCE: 'rum.resource',
  /** A long task or long animation frame. */
  LONG_TASK: 'rum.long_task',
  /** A chunk of session replay (rrweb events). */
  REPLAY_SEGMENT: 'rum.replay.segment',
} as const;
export type EventName = (typeof EventName)[keyof typeof EventName];

/**
 * Event names of native apps (OpenTelemetry's app.* conventions), apart from EventName so that the
 * browser SDK, which imports EventName, does not carry them.
 */
export const AppEventName = {
  /** The application crashed (OpenTelemetry Android names it device.crash in compatibility mode). */
  APP_CRASH: 'app.crash',
  /** A tap or click on a UI element of a native app. */
  APP_WIDGET_CLICK: 'app.widget.click',
} as const;
export type AppEventName = (typeof AppEventName)[keyof typeof AppEventName];

/** How a view began; `app_start`: the first screen of a native app's start (cold, warm or hot). */
export const VIEW_LOADING_TYPES = ['initial_load', 'route_change', 'bf_cache', 'app_start'] as const;
export type ViewLoadingType = (typeof VIEW_LOADING_TYPES)[number];

/** Where an error was caught. */
export const ERROR_SOURCES = [
  'uncaught',
  'unhandled_rejection',
  'console',
  'resource',
  'csp',
  'custom',
  'span',
  /** A native app crashed (app.crash, an unhandled exception recorded by a crash handler). */
  'crash',
  /** Android: the main thread did not respond for 5 seconds (device.anr). */
  'anr',
  /** iOS: the main thread hung (MetricKit's hang diagnostic). */
  'hang',
] as const;
export type ErrorSource = (typeof ERROR_SOURCES)[number];

/** telemetry.sdk.name of our browser SDK; the server tells its data from other senders' by it. */
export const SDK_NAME = '@otel-rum/sdk-otel';

/** How a replay segment's body is encoded (rum.replay.encoding): gzip bytes of the JSON array of rrweb events, or that JSON as text. */
export const REPLAY_ENCODINGS = ['gzip', 'json'] as const;
export type ReplayEncoding = (typeof REPLAY_ENCODINGS)[number];

/**
 * What replay records of a page (rum.replay.privacy) and what action names may read:
 * - `allow`: text and input values as they are (passwords are always masked);
 * - `mask-user-input`: input values masked, other text as it is;
 * - `mask` (the SDK's default): every text and input value masked, one `*` per character, layout kept.
 */
export const PRIVACY_LEVELS = ['allow', 'mask-user-input', 'mask'] as const;
export type PrivacyLevel = (typeof PRIVACY_LEVELS)[number];
/** The default privacy level of the browser SDK. */
export const DEFAULT_PRIVACY_LEVEL: PrivacyLevel = 'mask';
/**
 * HTML attribute that sets the privacy level of an element and everything inside it, overriding the
 * page's level in either direction: one of ELEMENT_PRIVACY_LEVELS. The nearest ancestor carrying it wins.
 */
export const PRIVACY_HTML_ATTRIBUTE = 'data-rum-privacy';
/** Values of PRIVACY_HTML_ATTRIBUTE: a PrivacyLevel, or `hidden` (left out of replays: an empty box of its size). */
export const ELEMENT_PRIVACY_LEVELS = ['allow', 'mask-user-input', 'mask', 'hidden'] as const;
export type ElementPrivacyLevel = (typeof ELEMENT_PRIVACY_LEVELS)[number];
