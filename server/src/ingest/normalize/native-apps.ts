import * as M from '@otel-rum/model';
import type { EventKind } from '@otel-rum/model';
import { metricKitStackText } from '../../errors/native-stack';
import { num, str, type Attributes } from '../otlp/values';
import type { EventRow, SpanRow } from '../../store/rows';

/*
 * Native applications: what the OpenTelemetry Android agent, OpenTelemetry Swift, and the OpenTelemetry
 * SDKs that our integration guides set up for React Native, mini programs, uni-app, Flutter and C++
 * send. The names below that are not conventions of the model are spelled by those SDKs, and read only
 * here; README.md beside this file has the mapping tables and the SDK versions they were read from.
 */

/** `source` column of the rows mapped here. */
export const NATIVE_SOURCE = 'otel-native';

/** OpenTelemetry Android (android-agent 1.x): scopes, span names, attributes and events. */
export const ANDROID = {
  /** Scope of the activity and fragment lifecycle spans (instrumentation/common-api Constants.kt). */
  lifecycleScope: 'io.opentelemetry.lifecycle',
  /** Lifecycle spans that end when a screen is shown (ActivityCallbacks.kt, RumFragmentLifecycleCallbacks.kt). */
  screenShownSpans: ['Created', 'Restarted', 'Resumed', 'AppStart'],
  /** The app start: a cold one from process start to the first screen (AppStartupTimer.kt), or warm and hot. */
  appStartSpan: 'AppStart',
  startType: 'start.type',
  activityName: 'activity.name',
  fragmentName: 'fragment.name',
  /** The crash event's name before app.crash (SemconvCompat.kt). */
  crashLegacy: 'device.crash',
  /** Application Not Responding (AnrWatcher.kt, semconv/model/android/events.yaml). */
  anr: 'device.anr',
} as const;

/** OpenTelemetry Swift's MetricKit instrumentation (Sources/Instrumentation/MetricKit). */
export const METRICKIT = {
  crash: 'metrickit.diagnostic.crash',
  hang: 'metrickit.diagnostic.hang',
  hangDuration: 'metrickit.diagnostic.hang.hang_duration',
} as const;

/** The kinds of the native apps' log events (their EventName). */
export const NATIVE_LOG_KINDS: Readonly<Record<string, EventKind>> = {
  [M.AppEventName.APP_CRASH]: 'error',
  [ANDROID.crashLegacy]: 'error',
  [ANDROID.anr]: 'error',
  [METRICKIT.crash]: 'error',
  [METRICKIT.hang]: 'error',
  [M.AppEventName.APP_WIDGET_CLICK]: 'action',
};

/** How each native error event is told apart: its rum.error.source, and a type when the event has none. */
const ERROR_EVENTS: Readonly<Record<string, { source: M.ErrorSource; type?: string; message?: string }>> = {
  [M.AppEventName.APP_CRASH]: { source: 'crash' },
  [ANDROID.crashLegacy]: { source: 'crash' },
  [METRICKIT.crash]: { source: 'crash' },
  [ANDROID.anr]: {
    source: 'anr',
    type: 'ANR',
    message: 'Application Not Responding: the main thread was blocked',
  },
  [METRICKIT.hang]: { source: 'hang', type: 'Hang', message: 'The main thread hung' },
};

/** The resource type of a request made by a native HTTP client (OkHttp, URLSession, wx.request...). */
export const NATIVE_RESOURCE_TYPE = 'native';

/** Operating systems whose devices are phones; iPadOS is a tablet's. */
const MOBILE_OS = /^(android|ios|iphone ?os|watchos|harmonyos)$/i;
const TABLET_OS = /^ipados$/i;

/** Resource attributes of a native app copied onto each of its events, so that filters can read them. */
const DEVICE_ATTRIBUTES = [
  M.OS_VERSION,
  M.DEVICE_MODEL_NAME,
  M.DEVICE_MODEL_IDENTIFIER,
  M.DEVICE_MANUFACTURER,
] as const;

export interface NativeClientFacts {
  os: string;
  device: string;
  /** The device and OS version attributes of the resource, put on every event (DEVICE_ATTRIBUTES). */
  attributes: Attributes;
}

/** Operating system and device type of a native app, from its resource; null when it names no OS. */
export function nativeClientFacts(resource: Attributes): NativeClientFacts | null {
  const os = str(resource[M.OS_NAME]);
  if (!os) return null;
  const device = TABLET_OS.test(os) ? 'tablet' : MOBILE_OS.test(os) ? 'mobile' : 'desktop';
  const attributes: Attributes = {};
  for (const key of DEVICE_ATTRIBUTES) if (resource[key] !== undefined) attributes[key] = resource[key];
  return { os, device, attributes };
}

/** The screen a record names: app.screen.name, its older name, or Android's activity or fragment. */
export function screenName(a: Attributes): string | null {
  return (
    str(a[M.APP_SCREEN_NAME]) ??
    str(a[M.SCREEN_NAME_LEGACY]) ??
    str(a[ANDROID.activityName]) ??
    str(a[ANDROID.fragmentName])
  );
}

/** Fills an error or action row of a native log event; false when the event is not one of them. */
export function fillNativeLogRow(row: EventRow, a: Attributes): boolean {
  const error = ERROR_EVENTS[row.name];
  if (row.kind === 'error' && error) {
    const attrs: Attributes = { ...a };
    const stack = str(a[M.EXCEPTION_STACKTRACE]);
    // MetricKit writes its call stack tree as JSON: kept as the lines of a crash report, to group by.
    if (stack?.trimStart().startsWith('{')) {
      const text = metricKitStackText(stack);
      if (text !== null) attrs[M.EXCEPTION_STACKTRACE] = text;
    }
    if (error.type && attrs[M.EXCEPTION_TYPE] === undefined) attrs[M.EXCEPTION_TYPE] = error.type;
    if (error.message && attrs[M.EXCEPTION_MESSAGE] === undefined) attrs[M.EXCEPTION_MESSAGE] = error.message;
    attrs[M.RUM_ERROR_SOURCE] = error.source;
    attrs[M.RUM_ERROR_HANDLED] = false;
    row.attributes = attrs;
    row.label = str(attrs[M.EXCEPTION_MESSAGE]) ?? str(attrs[M.EXCEPTION_TYPE]);
    const hang = num(a[METRICKIT.hangDuration]);
    if (hang !== null) row.durationMs = hang * 1000;
    row.source = NATIVE_SOURCE;
    return true;
  }
  if (row.kind === 'action' && row.name === M.AppEventName.APP_WIDGET_CLICK) {
    const id = str(a[M.APP_WIDGET_ID]);
    const label = str(a[M.APP_WIDGET_NAME]) ?? (id ? `widget ${id}` : 'widget');
    row.label = `tap on ${label}`;
    row.attributes = {
      ...a,
      [M.RUM_ACTION_TYPE]: 'click',
      [M.RUM_ACTION_NAME]: row.label,
      ...(id ? { [M.RUM_ACTION_TARGET]: id } : {}),
    };
    row.source = NATIVE_SOURCE;
    return true;
  }
  return false;
}

/** A builder of event rows from one span, as spans.ts makes them. */
export type SpanEventBase = (kind: EventKind, overrides: Partial<EventRow>) => EventRow;

/**
 * The cold app starts of one request (Android's AppStart span, parent of the first screen's Created
 * span), by span id: the first screen's view takes the start's duration as its loading time.
 */
export function appStartsOf(rows: readonly SpanRow[]): Map<string, SpanRow> {
  const starts = new Map<string, SpanRow>();
  for (const row of rows) {
    if (row.scopeName === ANDROID.lifecycleScope && row.name === ANDROID.appStartSpan && !screenOfSpan(row))
      starts.set(row.spanId, row);
  }
  return starts;
}

/** The screen of an Android lifecycle span: the activity or fragment it traces. */
function screenOfSpan(row: SpanRow): string | null {
  const a = row.attributes;
  return str(a[ANDROID.activityName]) ?? str(a[ANDROID.fragmentName]);
}

/**
 * The RUM events of a native app's span (`a`: its attributes, with the resource's device attributes),
 * or null when the span is none of them:
 * - Android's lifecycle spans that end when a screen is shown: a view, loading time the span's duration;
 * - spans named rum.view (the guides' screen helper, for SDKs without screen instrumentation): a view,
 *   time spent the span's duration;
 * - spans named rum.action (the guides' tap helper): an action;
 * - client spans of an HTTP request (OkHttp, URLSession, the guides' request helpers): a resource.
 */
export function nativeSpanEvents(
  row: SpanRow,
  a: Attributes,
  base: SpanEventBase,
  appStarts: ReadonlyMap<string, SpanRow>,
): EventRow[] | null {
  if (row.scopeName === ANDROID.lifecycleScope) {
    if (!(ANDROID.screenShownSpans as readonly string[]).includes(row.name)) return [];
    const screen = screenOfSpan(row);
    if (!screen) return []; // the cold AppStart: its time goes to the first screen below
    const coldStart = row.parentSpanId ? appStarts.get(row.parentSpanId) : undefined;
    const appStart = row.name === ANDROID.appStartSpan || coldStart !== undefined;
    const loading = coldStart ? coldStart.durationMs : row.durationMs;
    const label = str(a[M.APP_SCREEN_NAME]) ?? str(a[M.SCREEN_NAME_LEGACY]) ?? screen;
    return [
      base('view', {
        viewId: row.spanId,
        label,
        durationMs: null,
        source: NATIVE_SOURCE,
        attributes: {
          ...a,
          [M.RUM_VIEW_NAME]: label,
          [M.RUM_VIEW_LOADING_TYPE]: appStart ? 'app_start' : 'route_change',
          [M.RUM_VIEW_LOADING_TIME]: loading,
          ...(coldStart
            ? { [ANDROID.startType]: str(coldStart.attributes[ANDROID.startType]) ?? 'cold' }
            : {}),
        },
      }),
    ];
  }
  if (row.name === M.EventName.VIEW) {
    const label = screenName(a) ?? str(a[M.RUM_VIEW_NAME]) ?? 'screen';
    return [
      base('view', {
        viewId: str(a[M.RUM_VIEW_ID]) ?? row.spanId,
        label,
        durationMs: row.durationMs,
        source: NATIVE_SOURCE,
        attributes: {
          [M.RUM_VIEW_LOADING_TYPE]: 'route_change',
          ...a,
          [M.RUM_VIEW_NAME]: label,
          [M.RUM_VIEW_TIME_SPENT]: row.durationMs,
        },
      }),
    ];
  }
  if (row.name === M.EventName.ACTION) {
    const id = str(a[M.APP_WIDGET_ID]);
    const label = str(a[M.RUM_ACTION_NAME]) ?? `tap on ${str(a[M.APP_WIDGET_NAME]) ?? id ?? 'widget'}`;
    return [
      base('action', {
        label,
        source: NATIVE_SOURCE,
        attributes: {
          [M.RUM_ACTION_TYPE]: 'click',
          ...(id ? { [M.RUM_ACTION_TARGET]: id } : {}),
          ...a,
          [M.RUM_ACTION_NAME]: label,
          [M.RUM_ACTION_DURATION]: row.durationMs,
        },
      }),
    ];
  }
  const method = str(a[M.HTTP_REQUEST_METHOD]) ?? str(a[M.HTTP_METHOD_LEGACY]);
  const url = str(a[M.URL_FULL]) ?? str(a[M.HTTP_URL_LEGACY]);
  if (row.kind === SPAN_KIND_CLIENT && method && url) {
    return [
      base('resource', {
        label: url,
        status: num(a[M.HTTP_RESPONSE_STATUS_CODE]) ?? num(a[M.HTTP_STATUS_CODE_LEGACY]),
        source: NATIVE_SOURCE,
        attributes: {
          ...a,
          [M.RUM_RESOURCE_TYPE]: NATIVE_RESOURCE_TYPE,
          [M.RUM_RESOURCE_DURATION]: row.durationMs,
        },
      }),
    ];
  }
  return null;
}

/** OTLP SpanKind CLIENT. */
const SPAN_KIND_CLIENT = 3;

/**
 * The error source of an exception recorded on a span: `crash` on a span named app.crash (the guides'
 * crash handlers for SDKs whose crashes are not log events), else `span`.
 */
export function spanErrorAttributes(row: SpanRow): Attributes {
  return row.name === M.AppEventName.APP_CRASH
    ? { [M.RUM_ERROR_SOURCE]: 'crash', [M.RUM_ERROR_HANDLED]: false }
    : { [M.RUM_ERROR_SOURCE]: 'span' };
}
