import { RUM_ACTION_ID, RUM_VIEW_ID, SDK_NAME, type ViewLoadingType } from '@otel-rum/model';
import { startActionCollection } from '../action/actionCollection';
import { startAssembly } from '../assembly/assembly';
import { now } from '../clock';
import type { RumConfig, RumUser } from '../config/config';
import { resourceAttributes } from '../context/resourceAttributes';
import { userAttributes } from '../context/userContext';
import { startErrorCollection } from '../error/errorCollection';
import { createEventBus } from '../lifecycle/eventBus';
import { forgetStorage } from './forgetStorage';
import { runInSlices } from './slices';
import type { Attributes, RumBusEvents } from '../lifecycle/rumEvents';
import { watchPage } from '../page/pageLifecycle';
import { createTimeline } from '../page/timeline';
import { startLongTaskCollection } from '../longTask/longTaskCollection';
import { createPrivacyOf } from '../privacy/elementPrivacy';
import { createUrlRedactor } from '../privacy/redactUrl';
import { startReplay } from '../replay/startReplay';
import { startResourceCollection } from '../resource/resourceCollection';
import { isSampled } from '../session/sampling';
import { createSessionManager, type SessionManager } from '../session/sessionManager';
import { mirrorCookies } from '../session/cookieMirror';
import { createSessionStore } from '../session/sessionStore';
import { instrumentFetch } from '../tracing/fetchInstrumentation';
import { createRequestTracer } from '../tracing/requestTracer';
import { createTracingMatcher } from '../tracing/urlMatcher';
import { instrumentXhr } from '../tracing/xhrInstrumentation';
import { createTransport, type Transport } from '../transport/transport';
import { SDK_VERSION } from '../version';
import { trackViewLoading } from '../view/viewLoading';
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
  /** The live context spans of other tracers join (see RumSpanContext). */
  spanContext(): RumSpanContext;
  flush(): void;
  /** Stops collecting; `forget` also drops unsent data and the stored session (consent revoked). */
  stop(forget: boolean): void;
}

/** What a span started outside the SDK needs to join the RUM data (the `/otel` entry reads it). */
export interface RumSpanContext {
  sessionId: string;
  viewId: string;
  /** The action in progress, if any. */
  actionId?: string;
  /** Whether this session's spans are sent (sessionSampleRate and traceSampleRate both sampled it in). */
  sampled: boolean;
  /** The user.* and global attributes of every event. */
  attributes: Attributes;
}

/** Prefix of every key the SDK stores (cookies, localStorage, IndexedDB) for one application. */
export function storageKey(appId: string): string {
  return `otel_rum_${appId}`;
}

/** Name of the performance measures of the deferred start's steps (transport, session, held events, observers). */
export const START_MEASURE = 'otel-rum:start';

/**
 * Wires every domain to one bus and starts collecting. What must not miss anything (error
 * handlers, fetch/XHR and History API hooks, click listener, the first view) is installed now;
 * what touches storage or the performance timeline (transport, session, buffered observers) starts
 * right after in a task of its own, so that no task is long. Events collected in between wait
 * in the assembly's pre-start buffer. Page hide, getSessionId and traced requests finish it at once
 * if needed.
 */
export function startRum(config: RumConfig): RumHandle {
  const bus = createEventBus<RumBusEvents>();
  // Captured before the fetch instrumentation, so our own requests are never traced.
  const nativeFetch = globalThis.fetch.bind(globalThis);
  let user = userAttributes(config.user);
  let globals: Attributes = { ...config.globalAttributes };
  let running = true;
  const stops: (() => void)[] = [];
  // Resolved at the first request or resource entry, which parse URLs anyway.
  let endpointPrefix: string | undefined;
  const ignored = (url: string) =>
    url.startsWith((endpointPrefix ??= new URL(config.endpoint + '/v1/', location.href).href));

  // Started later (see above); `core` exists once start() ran.
  let core: { sessions: SessionManager; transport: Transport } | undefined;
  // Session replay, once started; stopped before the last flush so that its last segment goes too.
  let stopReplay = () => {};
  // The view and action trackers start after the assembly, which must hear their first events: until
  // they exist, an event has no view or action of its own (it takes those current at the start).
  let currentView: () => { id: string; url: string } | undefined = () => undefined;
  let currentAction: () => string | undefined = () => undefined;
  const assembly = startAssembly(bus, {
    tracking: () => running,
    session: (pinned) => {
      // An event pinned to a session (one that ended) must not renew the live one.
      const id = pinned ?? start().sessions.current().id;
      return { id, sampled: isSampled(id, config.sessionSampleRate, SAMPLE_EVENTS) };
    },
    view: () => currentView(),
    actionId: () => currentAction(),
    common: () => ({ ...globals, ...user }),
    redact:
      config.redactUrls || config.redactUrl
        ? createUrlRedactor(config.redactUrls, config.redactQueryParams, config.redactUrl)
        : (u) => u,
    beforeSend: config.beforeSend,
  });
  stops.push(assembly.stop);

  stops.push(trackViewLoading(bus, now));
  const views = startViewTracking({ bus, manual: config.trackViewsManually, now });
  currentView = () => views.current();
  const errors = startErrorCollection({
    bus,
    console: config.trackConsoleErrors,
    ignore: config.ignoreErrors,
    now,
  });
  if (!config.trackErrors) errors.stop();
  const actions = startActionCollection({
    bus,
    nameAttribute: config.actionNameAttribute,
    privacy: createPrivacyOf({
      privacy: config.privacy,
      blockSelector: config.replayBlockSelector,
      maskTextSelector: config.replayMaskTextSelector,
    }),
    trackClicks: config.trackActions,
    now,
  });
  currentAction = () => actions.currentId();
  stops.push(actions.stop);

  const trace = createRequestTracer({
    bus,
    propagators: config.propagators,
    allowed: createTracingMatcher(config.allowedTracingUrls),
    ignored,
    startAttributes: () => ({ [RUM_VIEW_ID]: views.current().id, [RUM_ACTION_ID]: actions.currentId() }),
    sampled: () => isSampled(start().sessions.current().id, config.traceSampleRate, SAMPLE_TRACES),
    now,
  });
  if (config.traceFetch) stops.push(instrumentFetch(trace));
  if (config.traceXhr) stops.push(instrumentXhr(trace));
  stops.push(
    watchPage(
      bus,
      (final) => start().transport.flush(final),
      () => slices.finish(),
    ),
  );

  // The cookies are mirrored from now (read asynchronously, so that no read of document.cookie
  // blocks on the browser process). The deferred start, in the task after they are (or after
  // COOKIE_MIRROR_WAIT_MS): the transport (which reads cookies before the session cookie is written:
  // without the mirror, a read after a write is another round trip), the session (and replay, which
  // depends on it) and the events held meanwhile; then the buffered observers (whose entries,
  // however many, are delivered in tasks of their own and go straight out). One step, not more:
  // each task costs its own overhead. start() runs it at once when needed.
  let transport: Transport | undefined;
  const slices = runInSlices(
    [
      () => {
        transport = createTransport({
          endpoint: config.endpoint,
          headers: config.headers,
          compression: config.compression,
          flushIntervalMs: config.flushIntervalMs,
          resource: () => resourceAttributes(config),
          scopeName: SDK_NAME,
          scopeVersion: SDK_VERSION,
          fetch: nativeFetch,
          now,
          storageKey: storageKey(config.appId),
          offlineQueue: config.offlineQueue,
          protocol: config.protocol,
        });
        const sessions = createSessionManager({
          store: createSessionStore(
            `${storageKey(config.appId)}_session`,
            config.sessionMaxDurationMs,
            config.sessionCookieDomain,
          ),
          bus,
          idleMs: config.sessionIdleTimeoutMs,
          maxMs: config.sessionMaxDurationMs,
          now,
        });
        stops.push(
          bus.on('activity', () => sessions.touch()),
          bus.on('pageShown', () => transport!.resume()),
        );
        sessions.current();
        stopReplay = startReplay(config, {
          bus,
          sessionId: () => sessions.current().id,
          context() {
            const s = sessions.peek();
            return s && { sessionId: s.id, viewId: views.current().id, url: views.current().url };
          },
          sessionSampled: (id) => isSampled(id, config.sessionSampleRate, SAMPLE_EVENTS),
        });
        core = { sessions, transport };
        assembly.ready(transport);
        const timeline = createTimeline();
        stops.push(timeline.stop);
        if (config.trackResources) stops.push(startResourceCollection({ bus, ignored, timeline }));
        if (config.trackWebVitals)
          stops.push(startVitalsCollection({ bus, viewId: () => views.current().id, now, timeline }));
        if (config.trackLongTasks) startLongTaskCollection(bus, timeline);
      },
    ],
    START_MEASURE,
    mirrorCookies(),
  );
  /** The session and transport, started now if they were not yet. */
  function start() {
    if (!core) slices.finish();
    return core!;
  }

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
    getSessionId: () => start().sessions.current().id,
    spanContext() {
      const id = start().sessions.current().id;
      return {
        sessionId: id,
        viewId: views.current().id,
        actionId: actions.currentId(),
        sampled:
          isSampled(id, config.sessionSampleRate, SAMPLE_EVENTS) &&
          isSampled(id, config.traceSampleRate, SAMPLE_TRACES),
        attributes: { ...globals, ...user },
      };
    },
    flush() {
      bus.emit('flush', undefined);
      start().transport.flush(false);
    },
    stop(forget) {
      // Revoked consent: nothing more leaves, not even the final view update.
      if (forget) {
        running = false;
        slices.cancel();
      }
      actions.stop();
      views.stop();
      stopReplay();
      if (!forget) start().transport.flush(true);
      running = false;
      errors.stop();
      stops.forEach((s) => s());
      transport?.stop();
      if (forget) forgetStorage(storageKey(config.appId), config.sessionCookieDomain);
    },
  };
}
