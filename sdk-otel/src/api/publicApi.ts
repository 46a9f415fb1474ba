import type { ViewLoadingType } from '@otel-rum/model';
import { startRum, type RumHandle, type RumSpanContext } from '../boot/startRum';
import { resourceAttributes } from '../context/resourceAttributes';
import {
  resolveConfig,
  type RumConfig,
  type RumInitOptions,
  type RumUser,
  type TrackingConsent,
} from '../config/config';
import type { Attributes } from '../lifecycle/rumEvents';

let config: RumConfig | undefined;
let rum: RumHandle | undefined;

const warnNotStarted = (method: string) =>
  console.warn(`OtelRum.${method}: call init() first (or grant consent); the call is ignored`);

/**
 * Starts the SDK. Idempotent: a second call while running is ignored with a warning. Throws a
 * RumConfigError naming the option when an option is wrong. With trackingConsent 'not-granted'
 * nothing is collected, stored or sent until setConsent('granted').
 */
export function init(options: RumInitOptions): void {
  if (config) {
    console.warn('OtelRum.init: already initialised; the call is ignored');
    return;
  }
  config = resolveConfig(options);
  if (config.trackingConsent === 'granted') rum = startRum(config);
}

/** Grants or revokes tracking consent. Revoking stops collection and clears the stored session and unsent data. */
export function setConsent(consent: TrackingConsent): void {
  if (consent !== 'granted' && consent !== 'not-granted')
    throw new TypeError(
      `OtelRum.setConsent: expected "granted" or "not-granted" (got ${JSON.stringify(consent)})`,
    );
  if (!config) return warnNotStarted('setConsent');
  config.trackingConsent = consent;
  if (consent === 'granted' && !rum) rum = startRum(config);
  else if (consent === 'not-granted') {
    rum?.stop(true);
    rum = undefined;
  }
}

/** Records a custom action with a name and optional attributes. */
export function addAction(name: string, attributes?: Attributes): void {
  if (typeof name !== 'string' || !name)
    throw new TypeError('OtelRum.addAction: name must be a non-empty string');
  if (rum) rum.addAction(name, attributes);
  else warnNotStarted('addAction');
}

/** Records a handled error (any thrown value) with an optional grouping fingerprint and attributes. */
export function addError(error: unknown, options?: { fingerprint?: string; attributes?: Attributes }): void {
  if (rum) rum.addError(error, options);
  else warnNotStarted('addError');
}

/** Sets (or clears, with undefined) the user attached to every later event. */
export function setUser(user: RumUser | undefined): void {
  if (user !== undefined && (typeof user !== 'object' || user === null))
    throw new TypeError('OtelRum.setUser: expected an object { id, name, email, hash, roles } or undefined');
  if (config) config.user = user;
  rum?.setUser(user);
}

/** Merges attributes into those attached to every later event. */
export function setGlobalAttributes(attributes: Attributes): void {
  if (!attributes || typeof attributes !== 'object')
    throw new TypeError('OtelRum.setGlobalAttributes: expected an object of attributes');
  if (config) config.globalAttributes = { ...config.globalAttributes, ...attributes };
  rum?.setGlobalAttributes(attributes);
}

/** Ends the current view and starts a new one (for routers the automatic tracking does not see). */
export function startView(name?: string, loadingType?: ViewLoadingType): void {
  if (rum) rum.startView(name, loadingType);
  else warnNotStarted('startView');
}

/** The current session id, or undefined before init or without consent. */
export function getSessionId(): string | undefined {
  return rum?.getSessionId();
}

/** Where the SDK sends and who it is: what another exporter needs to land beside its data. */
export interface RumExportContext {
  /** OTLP/HTTP base URL (or absolute path) without a trailing slash. */
  endpoint: string;
  headers: Record<string, string>;
  /** The Resource attributes the SDK sends (rum.app.id, service.*, telemetry.sdk.*, browser.*). */
  resource: Attributes;
  /** The live session and view, or undefined while not collecting (consent not granted). */
  span?: RumSpanContext;
}

/**
 * The RUM context for spans of other tracers (the `@otel-rum/sdk-otel/otel` bridge), or undefined
 * before init.
 */
export function getRumContext(): RumExportContext | undefined {
  if (!config) return undefined;
  return {
    endpoint: config.endpoint,
    headers: config.headers,
    resource: resourceAttributes(config),
    span: rum?.spanContext(),
  };
}

/** Sends what is batched now. */
export function flush(): void {
  rum?.flush();
}

/** Ends the current view, sends what is batched and stops collecting. init may be called again after. */
export function shutdown(): void {
  rum?.stop(false);
  rum = undefined;
  config = undefined;
}
