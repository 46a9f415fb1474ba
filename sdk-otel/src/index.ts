/** @otel-rum/sdk-otel: Real User Monitoring for the browser over OpenTelemetry (OTLP/HTTP). */
import {
  addAction,
  addError,
  flush,
  getRumContext,
  getSessionId,
  init,
  setConsent,
  setGlobalAttributes,
  setUser,
  shutdown,
  startView,
} from './api/publicApi';
import { SDK_VERSION } from './version';

export {
  addAction,
  addError,
  flush,
  getRumContext,
  getSessionId,
  init,
  setConsent,
  setGlobalAttributes,
  setUser,
  shutdown,
  startView,
  SDK_VERSION,
};
export { RumConfigError } from './config/config';
export type {
  RumInitOptions,
  RumUser,
  RumEventForHook,
  UrlMatcher,
  PrivacyLevel,
  TrackingConsent,
  Propagator,
} from './config/config';
export type { Attributes, AttributeValue } from './lifecycle/rumEvents';
export type { RumExportContext } from './api/publicApi';
export type { RumSpanContext } from './boot/startRum';

/** The whole API as one object: the shape of the CDN global. */
export const OtelRum = {
  init,
  setConsent,
  addAction,
  addError,
  setUser,
  setGlobalAttributes,
  startView,
  getSessionId,
  getRumContext,
  flush,
  shutdown,
  version: SDK_VERSION,
};
