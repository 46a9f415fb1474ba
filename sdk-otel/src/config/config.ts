import { DEFAULT_PRIVACY_LEVEL, MAX_APP_ID_LENGTH, PRIVACY_LEVELS, type PrivacyLevel } from '@otel-rum/model';
import type { Attributes } from '../lifecycle/rumEvents';

/** A URL rule: a prefix string, a regular expression, or a predicate. */
export type UrlMatcher = string | RegExp | ((url: string) => boolean);

/** An event as `beforeSend` sees it; edit `attributes` in place or return false to drop it. */
export interface RumEventForHook {
  /** The event name (EventName from @otel-rum/model), or 'span' for a fetch/XHR span. */
  name: string;
  /** Epoch milliseconds. */
  time: number;
  attributes: Attributes;
}

export type { PrivacyLevel };
export type TrackingConsent = 'granted' | 'not-granted';
export type Propagator = 'tracecontext' | 'b3';

/** What `init` accepts. README.md lists every option with its default. */
export interface RumInitOptions {
  appId: string;
  endpoint?: string;
  service?: { name?: string; version?: string };
  environment?: string;
  headers?: Record<string, string>;
  sessionSampleRate?: number;
  traceSampleRate?: number;
  /** Percent of sampled sessions whose replay is recorded (decided from the session id); 0 by default. */
  replaySampleRate?: number;
  /** CSS selector of further elements replay leaves out (shown as empty boxes); `.rum-block` and `[data-rum-block]` always are. */
  replayBlockSelector?: string;
  /** CSS selector of further elements whose text replay masks; `.rum-mask` and `[data-rum-mask]` always are. */
  replayMaskTextSelector?: string;
  sessionIdleTimeoutMs?: number;
  sessionMaxDurationMs?: number;
  sessionCookieDomain?: string;
  trackingConsent?: TrackingConsent;
  allowedTracingUrls?: UrlMatcher[];
  propagators?: Propagator[];
  trackViewsManually?: boolean;
  trackErrors?: boolean;
  trackConsoleErrors?: boolean;
  trackActions?: boolean;
  trackResources?: boolean;
  trackLongTasks?: boolean;
  trackWebVitals?: boolean;
  traceFetch?: boolean;
  traceXhr?: boolean;
  actionNameAttribute?: string;
  /** The page's privacy level for replay and action names: 'mask' (default), 'mask-user-input' or 'allow'; elements override it with data-rum-privacy. */
  privacy?: PrivacyLevel;
  ignoreErrors?: (string | RegExp)[];
  beforeSend?: (event: RumEventForHook) => boolean | void;
  redactUrls?: boolean;
  redactQueryParams?: string[];
  redactUrl?: (url: string) => string;
  flushIntervalMs?: number;
  protocol?: 'json' | 'protobuf';
  compression?: boolean;
  offlineQueue?: boolean;
  user?: RumUser;
  globalAttributes?: Attributes;
}

export interface RumUser {
  id?: string;
  name?: string;
  email?: string;
  hash?: string;
  roles?: string[];
}

/** Options after defaults are applied. */
export type RumConfig = Required<
  Omit<
    RumInitOptions,
    | 'beforeSend'
    | 'redactUrl'
    | 'user'
    | 'globalAttributes'
    | 'service'
    | 'environment'
    | 'sessionCookieDomain'
    | 'replayBlockSelector'
    | 'replayMaskTextSelector'
  >
> &
  Pick<
    RumInitOptions,
    | 'beforeSend'
    | 'redactUrl'
    | 'user'
    | 'globalAttributes'
    | 'environment'
    | 'sessionCookieDomain'
    | 'replayBlockSelector'
    | 'replayMaskTextSelector'
  > & {
    service: { name: string; version?: string };
  };

/** Thrown by init when an option is wrong; the message names the option. */
export class RumConfigError extends Error {}
// On the prototype rather than a class field (see Writer in transport/otlpProtobuf.ts).
RumConfigError.prototype.name = 'RumConfigError';

export const DEFAULT_ENDPOINT = 'http://localhost:4318';
export const DEFAULT_SESSION_IDLE_MS = 15 * 60 * 1000;
export const DEFAULT_SESSION_MAX_MS = 4 * 60 * 60 * 1000;
export const DEFAULT_FLUSH_INTERVAL_MS = 5000;
export const DEFAULT_ACTION_NAME_ATTRIBUTE = 'data-rum-action';
export const DEFAULT_SERVICE_NAME = 'browser-app';

function fail(option: string, expected: string, got: unknown): never {
  throw new RumConfigError(
    `OtelRum.init: option "${option}" must be ${expected} (got ${JSON.stringify(got)})`,
  );
}

const isPercent = (v: unknown): v is number => typeof v === 'number' && v >= 0 && v <= 100;
const isPositive = (v: unknown): v is number => typeof v === 'number' && v > 0 && isFinite(v);

/**
 * Whether `id` has the shape of the model's APP_ID_PATTERN (1 to MAX_APP_ID_LENGTH letters, digits or
 * underscores), checked without the regular expression, which V8 compiles at its first use (about
 * 0.15 ms of init): parseInt in base 36 reads exactly the ASCII letters and digits. config.test.ts
 * checks that both agree.
 */
export function isAppId(id: unknown): id is string {
  if (typeof id !== 'string' || !id || id.length > MAX_APP_ID_LENGTH) return false;
  for (const c of id) if (c !== '_' && !(parseInt(c, 36) >= 0)) return false;
  return true;
}

/** Validates options and applies defaults. Throws RumConfigError naming the wrong option. */
export function resolveConfig(options: RumInitOptions): RumConfig {
  if (!options || typeof options !== 'object') fail('options', 'an object', options);
  const o = options;
  if (!isAppId(o.appId)) fail('appId', 'letters, digits or underscore, 1 to 48 characters', o.appId);
  // Checked with string operations: V8 compiles a regular expression at its first use.
  let endpoint = String(o.endpoint ?? DEFAULT_ENDPOINT);
  while (endpoint.endsWith('/')) endpoint = endpoint.slice(0, -1);
  const host = endpoint.startsWith('https://') ? 8 : endpoint.startsWith('http://') ? 7 : 0;
  if (host ? !endpoint[host] || endpoint[host] === '/' : endpoint[0] !== '/')
    fail('endpoint', 'an http(s) URL or an absolute path', o.endpoint);
  const num = (name: keyof RumInitOptions, def: number, check: (v: unknown) => boolean, expected: string) => {
    const v = o[name];
    if (v === undefined) return def;
    if (!check(v)) fail(name, expected, v);
    return v as number;
  };
  const bool = (name: keyof RumInitOptions, def: boolean) => {
    const v = o[name];
    if (v === undefined) return def;
    if (typeof v !== 'boolean') fail(name, 'a boolean', v);
    return v;
  };
  if (o.protocol !== undefined && o.protocol !== 'json' && o.protocol !== 'protobuf')
    fail('protocol', '"json" or "protobuf"', o.protocol);
  const consent = o.trackingConsent ?? 'granted';
  if (consent !== 'granted' && consent !== 'not-granted')
    fail('trackingConsent', '"granted" or "not-granted"', consent);
  const privacy = o.privacy ?? DEFAULT_PRIVACY_LEVEL;
  if (!PRIVACY_LEVELS.includes(privacy)) fail('privacy', '"allow", "mask-user-input" or "mask"', privacy);
  const propagators = o.propagators ?? ['tracecontext'];
  if (!Array.isArray(propagators) || propagators.some((p) => p !== 'tracecontext' && p !== 'b3'))
    fail('propagators', 'an array of "tracecontext" and/or "b3"', propagators);
  for (const name of ['ignoreErrors', 'allowedTracingUrls', 'redactQueryParams'] as const) {
    const list = o[name];
    if (list !== undefined && !Array.isArray(list)) fail(name, 'an array', list);
  }
  if (o.ignoreErrors?.some((r) => typeof r !== 'string' && !(r instanceof RegExp)))
    fail('ignoreErrors', 'an array of strings and regular expressions', o.ignoreErrors);
  if (
    o.allowedTracingUrls?.some(
      (r) => typeof r !== 'string' && !(r instanceof RegExp) && typeof r !== 'function',
    )
  )
    fail(
      'allowedTracingUrls',
      'an array of URL prefixes, regular expressions or functions',
      o.allowedTracingUrls,
    );
  for (const name of ['beforeSend', 'redactUrl'] as const)
    if (o[name] !== undefined && typeof o[name] !== 'function') fail(name, 'a function', String(o[name]));
  if (o.sessionCookieDomain !== undefined && !/^\.?[a-z\d.-]+$/i.test(o.sessionCookieDomain))
    fail('sessionCookieDomain', 'a domain such as "example.com"', o.sessionCookieDomain);
  for (const name of ['replayBlockSelector', 'replayMaskTextSelector'] as const)
    if (o[name] !== undefined && (typeof o[name] !== 'string' || !o[name]))
      fail(name, 'a non-empty CSS selector string', o[name]);
  if (o.service !== undefined && (typeof o.service !== 'object' || o.service === null))
    fail('service', 'an object { name, version }', o.service);
  return {
    appId: o.appId,
    endpoint,
    service: { name: o.service?.name || DEFAULT_SERVICE_NAME, version: o.service?.version },
    environment: o.environment,
    headers: o.headers ?? {},
    sessionSampleRate: num('sessionSampleRate', 100, isPercent, 'a number from 0 to 100'),
    traceSampleRate: num('traceSampleRate', 100, isPercent, 'a number from 0 to 100'),
    replaySampleRate: num('replaySampleRate', 0, isPercent, 'a number from 0 to 100'),
    replayBlockSelector: o.replayBlockSelector,
    replayMaskTextSelector: o.replayMaskTextSelector,
    sessionIdleTimeoutMs: num(
      'sessionIdleTimeoutMs',
      DEFAULT_SESSION_IDLE_MS,
      isPositive,
      'a positive number',
    ),
    sessionMaxDurationMs: num(
      'sessionMaxDurationMs',
      DEFAULT_SESSION_MAX_MS,
      isPositive,
      'a positive number',
    ),
    sessionCookieDomain: o.sessionCookieDomain,
    trackingConsent: consent,
    allowedTracingUrls: o.allowedTracingUrls ?? [],
    propagators,
    trackViewsManually: bool('trackViewsManually', false),
    trackErrors: bool('trackErrors', true),
    trackConsoleErrors: bool('trackConsoleErrors', true),
    trackActions: bool('trackActions', true),
    trackResources: bool('trackResources', true),
    trackLongTasks: bool('trackLongTasks', true),
    trackWebVitals: bool('trackWebVitals', true),
    traceFetch: bool('traceFetch', true),
    traceXhr: bool('traceXhr', true),
    actionNameAttribute: o.actionNameAttribute ?? DEFAULT_ACTION_NAME_ATTRIBUTE,
    privacy,
    ignoreErrors: o.ignoreErrors ?? [],
    beforeSend: o.beforeSend,
    redactUrls: bool('redactUrls', true),
    redactQueryParams: o.redactQueryParams ?? [],
    redactUrl: o.redactUrl,
    flushIntervalMs: num('flushIntervalMs', DEFAULT_FLUSH_INTERVAL_MS, isPositive, 'a positive number'),
    protocol: o.protocol ?? 'json',
    compression: bool('compression', true),
    offlineQueue: bool('offlineQueue', false),
    user: o.user,
    globalAttributes: o.globalAttributes,
  };
}
