import { RUM_ACTION_ID, RUM_VIEW_ID, SDK_NAME, type ViewLoadingType } from '@otel-rum/model';
import { startActionCollection } from '../action/actionCollection';
import { startAssembly } from '../assembly/assembly';
import { now } from '../clock';
import type { RumConfig, RumUser } from '../config/config';
import { resourceAttributes } from '../context/resourceAttributes';
import { userAttributes } from '../context/userContext';
import { startErrorCollection } from '../error/errorCollection';
import { createEventBus } from '../lifecycle/eventBus';
import type { Attributes, RumBusEvents } from '../lifecycle/rumEvents';
import { watchPage } from '../page/pageLifecycle';
import { startLongTaskCollection } from '../longTask/longTaskCollection';
import { createUrlRedactor } from '../privacy/redactUrl';
import { startResourceCollection } from '../resource/resourceCollection';
import { isSampled } from '../session/sampling';
import { createSessionManager } from '../session/sessionManager';
import { createSessionStore } from '../session/sessionStore';
import { instrumentFetch } from '../tracing/fetchInstrumentation';
import { createRequestTracer } from '../tracing/requestTracer';
import { createTracingMatcher } from '../tracing/urlMatcher';
import { instrumentXhr } from '../tracing/xhrInstrumentation';
import { createTransport } from '../transport/transport';
import { SDK_VERSION } from '../version';
import { startViewTracking } from '../view/viewTracker';
import { startVitalsCollection } from '../vitals/vitalsCollection';

/** Salts of the session-consistent sampling decisions. */
const SAMPLE_EVENTS = 0;
const SAMPLE_TRACES = 1;

/** A running SDK: what the public API drives. */
export interface RumHandle {
  addAction(name: string, attributes?: Attributes): void;
  addError(error: unknown, options?: { fingerprint?: string; attributes?: Attributes }): void;
  setUser(user: RumUser | undefined): void;
  setGlobalAttributes(attributes: Attributes): void;
  startView(name?: string, loadingType?: ViewLoadingType): void;
  getSessionId(): string;
  flush(): void;
  /** Stops collecting; `forget` also drops unsent data and the stored session (consent revoked). */
  stop(forget: boolean): void;
}

/** Prefix of every key the SDK stores (localStorage, IndexedDB) for one application. */
export function storageKey(appId: string): string {
  return `otel_rum_${appId}`;
}

/** Wires every domain to one bus and starts collecting. */
export function startRum(config: RumConfig): RumHandle {
  const bus = createEventBus<RumBusEvents>();
  // Captured before the fetch instrumentation, so our own requests are never traced.
  const nativeFetch = globalThis.fetch.bind(globalThis);
  let user = userAttributes(config.user);
  let globals: Attributes = { ...config.globalAttributes };
  let running = true;

  const sessions = createSessionManager({
    store: createSessionStore(`${storageKey(config.appId)}_session`),
    bus,
    idleMs: config.sessionIdleTimeoutMs,
    maxMs: config.sessionMaxDurationMs,
    now,
  });
  const transport = createTransport({
    endpoint: config.endpoint,
    headers: config.headers,
    compression: config.compression,
    flushIntervalMs: config.flushIntervalMs,
    resource: resourceAttributes(config),
    scopeName: SDK_NAME,
    scopeVersion: SDK_VERSION,
    fetch: nativeFetch,
    now,
    storageKey: storageKey(config.appId),
    offlineQueue: config.offlineQueue,
  });

  const stops: (() => void)[] = [];
  // Assigned once the session exists: the session.start event is assembled before any view or action.
  const viewRef: { tracker?: ReturnType<typeof startViewTracking> } = {};
  const actionRef: { collection?: ReturnType<typeof startActionCollection> } = {};
  stops.push(
    startAssembly(
      bus,
      {
        tracking: () => running,
        session: () => {
          const id = sessions.current().id;
          return { id, sampled: isSampled(id, config.sessionSampleRate, SAMPLE_EVENTS) };
        },
        view: () => viewRef.tracker?.current(),
        actionId: () => actionRef.collection?.currentId(),
        common: () => ({ ...globals, ...user }),
        redact:
          config.redactUrls || config.redactUrl
            ? createUrlRedactor(config.redactUrls, config.redactQueryParams, config.redactUrl)
            : (u) => u,
        beforeSend: config.beforeSend,
      },
      transport,
    ),
  );
  stops.push(bus.on('activity', () => sessions.touch()));
  sessions.current();

  const views = (viewRef.tracker = startViewTracking({ bus, manual: config.trackViewsManually, now }));
  const errors = startErrorCollection({
    bus,
    console: config.trackConsoleErrors,
    ignore: config.ignoreErrors,
    now,
  });
  if (!config.trackErrors) errors.stop();

  const actions = (actionRef.collection = startActionCollection({
    bus,
    nameAttribute: config.actionNameAttribute,
    privacy: config.privacy,
    trackClicks: config.trackActions,
    now,
  }));
  stops.push(actions.stop);

  const endpointPrefix = new URL(config.endpoint + '/v1/', location.href).href;
  const ignored = (url: string) => url.startsWith(endpointPrefix);
  if (config.trackResources) stops.push(startResourceCollection({ bus, ignored }));
  if (config.trackWebVitals)
    stops.push(startVitalsCollection({ bus, viewId: () => views.current().id, now }));
  if (config.trackLongTasks) stops.push(startLongTaskCollection(bus));

  const trace = createRequestTracer({
    bus,
    propagators: config.propagators,
    allowed: createTracingMatcher(config.allowedTracingUrls),
    ignored,
    startAttributes: () => ({ [RUM_VIEW_ID]: views.current().id, [RUM_ACTION_ID]: actions.currentId() }),
    sampled: () => isSampled(sessions.current().id, config.traceSampleRate, SAMPLE_TRACES),
    now,
  });
  if (config.traceFetch) stops.push(instrumentFetch(trace));
  if (config.traceXhr) stops.push(instrumentXhr(trace));
  stops.push(watchPage(bus, (final) => transport.flush(final)));

  return {
    addAction: (name, attributes) => actions.addCustom(name, attributes),
    addError: (error, options) => errors.add(error, options as never),
    setUser(u) {
      user = userAttributes(u);
    },
    setGlobalAttributes(attributes) {
      globals = { ...globals, ...attributes };
    },
    startView: (name, loadingType) => views.startView(name, loadingType),
    getSessionId: () => sessions.current().id,
    flush: () => transport.flush(false),
    stop(forget) {
      if (!forget) {
        actions.stop();
        views.stop();
        transport.flush(true);
      }
      running = false;
      errors.stop();
      stops.forEach((s) => s());
      transport.stop(forget);
      if (forget) sessions.clear();
    },
  };
}
