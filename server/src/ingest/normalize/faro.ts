/*
 * Grafana Faro's records in the RUM model. Faro (@grafana/faro-web-sdk) sends either its own JSON to a
 * collect URL (see ../faro/native.ts, which turns it into the records below) or OTLP through
 * @grafana/faro-transport-otlp-http: one log record per Faro item (event, measurement, exception, log)
 * under the scope `@grafana/faro-web-sdk`, its page, view, session and user as attributes. The names
 * below are spelled by Faro, read only here; README.md beside this file has the mapping table.
 */
import * as M from '@otel-rum/model';
import type { EventKind } from '@otel-rum/model';
import type { OtlpLogRecord } from '../otlp/decode';
import { keyValues, num, str, toBigInt, toHexId, type Attributes } from '../otlp/values';
import type { EventRow } from '../../store/rows';
import {
  derivedSessionId,
  nanosToMicros,
  pathOf,
  resourceType,
  shortHash,
  trimAttributes,
  type ResourceContext,
} from './context';
import type { Rejections } from './rejections';

/** The instrumentation scope of every log record Faro sends (both transports). */
export const FARO_SCOPE = '@grafana/faro-web-sdk';

/**
 * How a Faro resource is told: its OTLP transport sets telemetry.sdk.name to Faro's SDK name; the
 * spans of @grafana/faro-web-tracing name Faro as their distribution.
 */
export const FARO_SDK_NAME = 'faro-web';
export const FARO_DISTRO_NAME = 'faro-web-sdk';
const TELEMETRY_DISTRO_NAME = 'telemetry.distro.name';

/** Faro's event names (faro-core and faro-web-sdk constants). */
export const FARO_EVENTS = {
  sessionStart: 'session_start',
  sessionResume: 'session_resume',
  sessionExtend: 'session_extend',
  viewChanged: 'view_changed',
  navigation: 'faro.performance.navigation',
  resource: 'faro.performance.resource',
  userAction: 'faro.user.action',
  /** faro.tracing.fetch, faro.tracing.xml-http-request: one per request span of faro-web-tracing. */
  tracingPrefix: 'faro.tracing.',
} as const;

/** Attribute names of Faro's OTLP records. */
export const FARO_ATTRS = {
  viewName: 'view.name',
  pageId: 'page.id',
  eventName: 'event.name',
  eventAttributes: 'event.attributes',
  measurementType: 'measurement.type',
  measurementName: 'measurement.name',
  measurementValue: 'measurement.value',
  measurementContext: 'faro.measurement.context',
  /** The frames Faro parsed from the error's stack: {frames: [{filename, function, lineno, colno}]}. */
  errorStacktrace: 'faro.error.stacktrace',
  errorContext: 'faro.error.context',
} as const;

/** The measurement type of Faro's web vitals. */
const WEB_VITALS_MEASUREMENT = 'web-vitals';

/** OTel SeverityNumber ERROR and above. */
const SEVERITY_ERROR = 17;

/** A resource that Faro sent: its OTLP transport's logs and traces, or faro-web-tracing's spans. */
export function isFaroResource(attrs: Attributes): boolean {
  return attrs[M.TELEMETRY_SDK_NAME] === FARO_SDK_NAME || attrs[TELEMETRY_DISTRO_NAME] === FARO_DISTRO_NAME;
}

function objectOf(v: unknown): Attributes {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Attributes) : {};
}

/** The kind of one Faro record, or why it is not a RUM event. */
function kindOf(rec: OtlpLogRecord, a: Attributes): EventKind | { refused: string } {
  const name = str(a[FARO_ATTRS.eventName]);
  if (name !== null) {
    if (
      name === FARO_EVENTS.sessionStart ||
      name === FARO_EVENTS.sessionResume ||
      name === FARO_EVENTS.sessionExtend
    )
      return 'session';
    if (name === FARO_EVENTS.viewChanged || name === FARO_EVENTS.navigation) return 'view';
    if (name === FARO_EVENTS.resource || name.startsWith(FARO_EVENTS.tracingPrefix)) return 'resource';
    // faro.user.action and the application's own events (faro.api.pushEvent): actions.
    return 'action';
  }
  if (a[M.EXCEPTION_TYPE] !== undefined || a[M.EXCEPTION_MESSAGE] !== undefined) return 'error';
  const measurement = str(a[FARO_ATTRS.measurementType]);
  if (measurement !== null) {
    if (measurement === WEB_VITALS_MEASUREMENT) return 'web_vital';
    return { refused: `Faro measurement of type "${measurement}" is not a RUM event (only web-vitals are)` };
  }
  if ((rec.severityNumber ?? 0) >= SEVERITY_ERROR) return 'error';
  return {
    refused: `Faro log at severity ${rec.severityText ?? rec.severityNumber ?? 'unset'} is not a RUM event (only errors are)`,
  };
}

/**
 * The view a Faro record belongs to. Faro names views (faro.api.setView) and may give each page load an
 * id (page.id); a view is the session, the page id and the view's name, or, before the application
 * names one, the page's path.
 */
function faroViewId(sessionId: string, a: Attributes, path: string | null): string {
  return shortHash(
    sessionId,
    'faro',
    str(a[FARO_ATTRS.pageId]) ?? '',
    str(a[FARO_ATTRS.viewName]) ?? path ?? '',
  );
}

/** An exception's stack as the browser writes it (V8's form), from the frames Faro parsed. */
export function faroStackText(type: string | null, message: string | null, trace: unknown): string | null {
  const frames = objectOf(trace).frames;
  if (!Array.isArray(frames) || frames.length === 0) return null;
  const lines = [[type, message].filter(Boolean).join(': ')];
  for (const f of frames) {
    const frame = objectOf(f);
    const file = str(frame.filename) ?? '<anonymous>';
    const where = [file, num(frame.lineno), num(frame.colno)].filter((x) => x !== null).join(':');
    const fn = str(frame.function);
    lines.push(fn && fn !== '?' ? `    at ${fn} (${where})` : `    at ${where}`);
  }
  return lines.join('\n');
}

/** Maps one of Faro's log records (scope FARO_SCOPE) into a RUM event, or refuses it. */
export function mapFaroRecord(
  rec: OtlpLogRecord,
  ctx: ResourceContext,
  nowUs: bigint,
  rejections: Rejections,
): EventRow | null {
  const raw = keyValues(rec.attributes);
  const kind = kindOf(rec, raw);
  if (typeof kind !== 'string') {
    rejections.add(kind.refused);
    return null;
  }
  if (!ctx.appId) {
    rejections.add(
      `resource attribute ${M.RUM_APP_ID} is missing: every RUM record needs its application id`,
    );
    return null;
  }
  const { attributes: trimmed, dropped } = trimAttributes(raw);
  if (dropped > 0)
    rejections.note(`${dropped} attributes over the limit of ${M.MAX_ATTRIBUTES_PER_EVENT} were dropped`);
  const timeUs = nanosToMicros(toBigInt(rec.timeUnixNano) ?? toBigInt(rec.observedTimeUnixNano), nowUs);
  const sessionId =
    str(trimmed[M.SESSION_ID]) ?? ctx.sessionId ?? derivedSessionId(ctx.appId, ctx.client, timeUs);
  const pageUrl = str(trimmed[M.URL_FULL]);
  const pagePath = pathOf(pageUrl);
  const eventName = str(trimmed[FARO_ATTRS.eventName]);
  const data = objectOf(trimmed[FARO_ATTRS.eventAttributes]);
  const body = str(rec.body?.stringValue ?? null);
  const row: EventRow = {
    kind,
    timeUs,
    appId: ctx.appId,
    sessionId,
    clientAddress: ctx.client.address,
    viewId: faroViewId(sessionId, trimmed, pagePath),
    traceId: toHexId(rec.traceId) || null,
    spanId: toHexId(rec.spanId) || null,
    name: eventName ?? (kind === 'web_vital' ? M.EventName.WEB_VITAL : M.EventName.EXCEPTION),
    url: pageUrl,
    path: pagePath,
    durationMs: null,
    value: null,
    status: null,
    label: null,
    serviceName: ctx.serviceName,
    serviceVersion: ctx.serviceVersion,
    environment: ctx.environment,
    userId: str(trimmed[M.USER_ID]) ?? ctx.userId,
    userAgent: ctx.userAgent,
    source: 'faro',
    attributes: trimmed,
  };
  const add: Attributes = {};
  switch (row.kind) {
    case 'session':
      break;
    case 'view': {
      const viewName = str(trimmed[FARO_ATTRS.viewName]);
      const initial = eventName === FARO_EVENTS.navigation;
      if (initial) {
        row.url = str(data.name) ?? pageUrl;
        row.path = pathOf(row.url);
        row.viewId = faroViewId(sessionId, trimmed, row.path);
        add[M.RUM_VIEW_TTFB] = num(data.ttfb);
        add[M.RUM_VIEW_LOAD] = num(data.pageLoadTime);
      }
      row.label = (initial ? viewName : (str(data.toView) ?? viewName)) ?? row.path;
      add[M.RUM_VIEW_NAME] = row.label;
      add[M.RUM_VIEW_LOADING_TYPE] = initial ? 'initial_load' : 'route_change';
      break;
    }
    case 'action': {
      const isUserAction = eventName === FARO_EVENTS.userAction;
      row.label = (isUserAction ? str(data.userActionName) : null) ?? eventName;
      row.durationMs = isUserAction ? num(data.userActionDuration) : null;
      const trigger = str(data.userActionTrigger);
      add[M.RUM_ACTION_NAME] = row.label;
      add[M.RUM_ACTION_TYPE] = !isUserAction
        ? 'custom'
        : /click|pointer/.test(trigger ?? '')
          ? 'click'
          : trigger;
      add[M.RUM_ACTION_DURATION] = row.durationMs;
      break;
    }
    case 'resource': {
      // faro.performance.resource: a resource timing entry; faro.tracing.*: a request span's summary,
      // whose trace context links it to the backend trace.
      const timing = eventName === FARO_EVENTS.resource;
      // faro-web-tracing pushes its event when the span is exported, up to its span processor's delay
      // after the request: the page and view Faro attaches then may be later ones. It names no view.
      if (!timing) row.viewId = null;
      row.url = (timing ? str(data.name) : str(data[M.URL_FULL])) ?? pageUrl;
      row.path = pathOf(row.url);
      row.label = row.url;
      row.durationMs = timing ? num(data.duration) : nsToMs(num(data.duration_ns));
      row.status = num(timing ? data.responseStatus : data[M.HTTP_RESPONSE_STATUS_CODE]) || null;
      const initiator = timing
        ? str(data.initiatorType)
        : eventName === `${FARO_EVENTS.tracingPrefix}fetch`
          ? 'fetch'
          : 'xmlhttprequest';
      add[M.RUM_RESOURCE_TYPE] = resourceType(initiator, row.path);
      add[M.RUM_RESOURCE_INITIATOR] = initiator;
      add[M.RUM_RESOURCE_DURATION] = row.durationMs;
      add[M.HTTP_RESPONSE_STATUS_CODE] = row.status;
      if (timing) {
        add[M.RUM_RESOURCE_DNS] = num(data.dnsLookupTime);
        add[M.RUM_RESOURCE_CONNECT] = num(data.tcpHandshakeTime);
        add[M.RUM_RESOURCE_TLS] = num(data.tlsNegotiationTime);
        add[M.RUM_RESOURCE_FIRST_BYTE] = num(data.requestTime);
        add[M.RUM_RESOURCE_DOWNLOAD] = num(data.responseTime);
        add[M.RUM_RESOURCE_TRANSFER_SIZE] = num(data.transferSize) || null;
        add[M.RUM_RESOURCE_DECODED_SIZE] = num(data.decodedBodySize) || null;
      }
      break;
    }
    case 'error': {
      const type = str(trimmed[M.EXCEPTION_TYPE]);
      const message = str(trimmed[M.EXCEPTION_MESSAGE]) ?? body;
      row.label = message ?? type;
      add[M.EXCEPTION_TYPE] = type ?? (message === null ? null : 'Error');
      add[M.EXCEPTION_MESSAGE] = message;
      const stack = faroStackText(type, message, trimmed[FARO_ATTRS.errorStacktrace]);
      if (trimmed[M.EXCEPTION_STACKTRACE] === undefined && stack !== null)
        add[M.EXCEPTION_STACKTRACE] = stack.slice(0, M.MAX_STACKTRACE_LENGTH);
      if (type === null && message !== null) add[M.RUM_ERROR_SOURCE] = 'console';
      break;
    }
    case 'web_vital': {
      const name = str(trimmed[FARO_ATTRS.measurementName])?.toLowerCase() ?? null;
      const context = objectOf(trimmed[FARO_ATTRS.measurementContext]);
      row.label = name;
      row.value = num(trimmed[FARO_ATTRS.measurementValue]);
      add[M.WEB_VITAL_NAME] = name;
      add[M.WEB_VITAL_VALUE] = row.value;
      add[M.WEB_VITAL_ID] = str(context.id);
      add[M.WEB_VITAL_RATING] = str(context.rating);
      add[M.WEB_VITAL_NAVIGATION_TYPE] = str(context.navigation_type);
      break;
    }
    default:
      break;
  }
  add[M.RUM_VIEW_ID] = row.viewId;
  if (row.viewId === null) delete trimmed[M.RUM_VIEW_ID];
  for (const [k, v] of Object.entries(add)) if (v === null || v === undefined) delete add[k];
  row.attributes = { ...trimmed, ...add };
  return row;
}

function nsToMs(ns: number | null): number | null {
  return ns === null ? null : ns / 1e6;
}
