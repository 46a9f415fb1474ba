import * as Model from '@otel-rum/model';
import type { EventKind } from '@otel-rum/model';
import type { LogsRequest, OtlpLogRecord } from '../otlp/decode';
import { keyValues, num, str, toBigInt, toHexId, type Attributes } from '../otlp/values';
import type { EventRow, ReplaySegmentRow } from '../../store/rows';
import { replaySegmentOf } from '../../replay/ingest';
import {
  derivedSessionId,
  nanosToMicros,
  pathOf,
  resourceContext,
  resourceType,
  shortHash,
  trimAttributes,
  type ClientInfo,
  type ResourceContext,
} from './context';
import { FARO_SCOPE, mapFaroRecord } from './faro';
import { fillNativeLogRow, NATIVE_LOG_KINDS, NATIVE_SOURCE } from './native-apps';
import { Rejections } from './rejections';

// The model's names as plain properties: its compiled index re-exports them through getters, a call
// for each of the dozen names read per record.
const M = { ...Model };

/**
 * Event and attribute names of the OpenTelemetry browser instrumentations
 * (@opentelemetry/browser-instrumentation) that are not part of our model: spelled by that package,
 * read only here. README.md beside this file has the mapping table.
 */
export const OTEL_BROWSER_EVENTS = {
  resourceTiming: 'browser.resource_timing',
  navigationTiming: 'browser.navigation_timing',
} as const;
const OTEL_BROWSER_ATTRS = {
  tagName: 'browser.tag_name',
  cssSelector: 'browser.css_selector',
  sameDocument: 'browser.navigation.same_document',
  /** The navigation timing event reuses the resource timing names for the phases it shares. */
  timing: 'browser.resource_timing.',
  initiatorType: 'browser.resource_timing.initiator_type',
} as const;

/** Log record EventName to RUM kind. The mapping table in README.md lists the same. */
const KIND_OF_EVENT: Record<string, EventKind> = {
  [OTEL_BROWSER_EVENTS.resourceTiming]: 'resource',
  [OTEL_BROWSER_EVENTS.navigationTiming]: 'resource',
  [M.EventName.SESSION_START]: 'session',
  [M.EventName.SESSION_END]: 'session',
  [M.EventName.VIEW]: 'view',
  [M.EventName.BROWSER_NAVIGATION]: 'view',
  [M.EventName.ACTION]: 'action',
  [M.EventName.BROWSER_CLICK]: 'action',
  [M.EventName.RESOURCE]: 'resource',
  [M.EventName.EXCEPTION]: 'error',
  [M.EventName.WEB_VITAL]: 'web_vital',
  [M.EventName.LONG_TASK]: 'long_task',
  [M.EventName.REPLAY_SEGMENT]: 'replay_segment',
  ...NATIVE_LOG_KINDS,
};

/** OTel SeverityNumber ERROR and above. */
const SEVERITY_ERROR = 17;

export interface MappedLogs {
  events: EventRow[];
  /** The recordings of the replay_segment events (their bodies), kept apart from the events. */
  replaySegments: ReplaySegmentRow[];
}

/** Maps OTLP log records (our SDK's events, the OpenTelemetry browser SDK's, Grafana Faro's) into RUM events. */
export function mapLogs(
  req: LogsRequest,
  client: ClientInfo,
  nowUs: bigint,
  rejections: Rejections,
): MappedLogs {
  const events: EventRow[] = [];
  const replaySegments: ReplaySegmentRow[] = [];
  for (const rl of req.resourceLogs ?? []) {
    const ctx = resourceContext(keyValues(rl?.resource?.attributes), client);
    const sdkName = str(ctx.attributes[M.TELEMETRY_SDK_NAME]);
    for (const sl of rl?.scopeLogs ?? []) {
      const faro = sl?.scope?.name === FARO_SCOPE;
      for (const rec of sl?.logRecords ?? []) {
        if (!rec) continue;
        const row = faro
          ? mapFaroRecord(rec, ctx, nowUs, rejections)
          : mapRecord(rec, ctx, nowUs, sdkName, rejections);
        if (row?.kind === 'replay_segment') {
          const segment = replaySegmentOf(row, row.attributes, rec.body);
          if (typeof segment === 'string') {
            rejections.add(segment);
            continue;
          }
          if (segment) replaySegments.push(segment);
        }
        if (row) events.push(row);
      }
    }
  }
  return { events, replaySegments };
}

function mapRecord(
  rec: OtlpLogRecord,
  ctx: ResourceContext,
  nowUs: bigint,
  sdkName: string | null,
  rejections: Rejections,
): EventRow | null {
  // A native app's device and OS version travel on its resource; its events carry them for filters.
  const raw = ctx.native
    ? { ...ctx.native.attributes, ...keyValues(rec.attributes) }
    : keyValues(rec.attributes);
  // Before the EventName field existed, event names travelled as the `event.name` attribute.
  const eventName = rec.eventName || str(raw['event.name']) || '';
  let kind = KIND_OF_EVENT[eventName];
  if (!kind && eventName === M.EventName.BROWSER_CONSOLE && (rec.severityNumber ?? 0) >= SEVERITY_ERROR)
    kind = 'error';
  if (!kind && raw[M.EXCEPTION_TYPE] !== undefined) kind = 'error';
  if (!kind) {
    rejections.add(`log record with event name "${eventName}" is not a RUM event (see the mapping table)`);
    return null;
  }
  if (!ctx.appId) {
    rejections.add(
      `resource attribute ${M.RUM_APP_ID} is missing: every RUM record needs its application id`,
    );
    return null;
  }
  const { attributes: attrs, dropped } = trimAttributes(raw);
  if (dropped > 0)
    rejections.note(`${dropped} attributes over the limit of ${M.MAX_ATTRIBUTES_PER_EVENT} were dropped`);
  const timeUs = nanosToMicros(toBigInt(rec.timeUnixNano) ?? toBigInt(rec.observedTimeUnixNano), nowUs);
  const sessionId =
    str(attrs[M.SESSION_ID]) ?? ctx.sessionId ?? derivedSessionId(ctx.appId, ctx.client, timeUs);
  const url = str(attrs[M.URL_FULL]);
  const row: EventRow = {
    kind,
    timeUs,
    appId: ctx.appId,
    sessionId,
    clientAddress: ctx.client.address,
    viewId: str(attrs[M.RUM_VIEW_ID]),
    traceId: toHexId(rec.traceId) || null,
    spanId: toHexId(rec.spanId) || null,
    name: eventName || 'exception',
    url,
    path: str(attrs[M.URL_PATH]) ?? pathOf(url),
    durationMs: null,
    value: null,
    status: null,
    label: null,
    serviceName: ctx.serviceName,
    serviceVersion: ctx.serviceVersion,
    environment: ctx.environment,
    userId: str(attrs[M.USER_ID]) ?? ctx.userId,
    userAgent: ctx.userAgent,
    source: sdkName === M.SDK_NAME ? 'sdk-otel' : ctx.native ? NATIVE_SOURCE : 'otel-browser',
    attributes: attrs,
    os: ctx.native?.os,
    device: ctx.native?.device,
  };
  if (!fillNativeLogRow(row, attrs)) fillKind(row, attrs, rec);
  return row;
}

function fillKind(row: EventRow, a: Attributes, rec: OtlpLogRecord): void {
  switch (row.kind) {
    case 'view': {
      if (!row.viewId) row.viewId = shortHash(row.sessionId, String(row.timeUs), row.url ?? '');
      row.label = str(a[M.RUM_VIEW_NAME]) ?? row.path;
      row.durationMs = num(a[M.RUM_VIEW_TIME_SPENT]);
      // browser.navigation: the first of a document, or a same-document (history API) navigation.
      const sameDocument = a[OTEL_BROWSER_ATTRS.sameDocument];
      if (a[M.RUM_VIEW_LOADING_TYPE] === undefined && typeof sameDocument === 'boolean')
        row.attributes = {
          ...a,
          [M.RUM_VIEW_LOADING_TYPE]: sameDocument ? 'route_change' : 'initial_load',
        };
      break;
    }
    case 'action': {
      // browser.user_action.click names no action: it is told by its element and CSS selector.
      const target = str(a[M.RUM_ACTION_TARGET]) ?? str(a[OTEL_BROWSER_ATTRS.cssSelector]);
      const tag = str(a[OTEL_BROWSER_ATTRS.tagName]);
      row.label =
        str(a[M.RUM_ACTION_NAME]) ?? `click on ${[tag ?? 'element', target].filter(Boolean).join(' ')}`;
      row.durationMs = num(a[M.RUM_ACTION_DURATION]);
      if (a[M.RUM_ACTION_TYPE] === undefined)
        row.attributes = known({ ...a, [M.RUM_ACTION_TYPE]: 'click', [M.RUM_ACTION_TARGET]: target });
      break;
    }
    case 'resource':
      row.label = row.url;
      if (
        row.name === OTEL_BROWSER_EVENTS.resourceTiming ||
        row.name === OTEL_BROWSER_EVENTS.navigationTiming
      )
        row.attributes = { ...a, ...resourceTimingAttributes(a, row) };
      row.durationMs = num(row.attributes[M.RUM_RESOURCE_DURATION]);
      row.status = num(a[M.HTTP_RESPONSE_STATUS_CODE]);
      break;
    case 'error': {
      const body = str(rec.body?.stringValue ?? null);
      row.label = str(a[M.EXCEPTION_MESSAGE]) ?? body ?? str(a[M.EXCEPTION_TYPE]);
      break;
    }
    case 'web_vital':
      row.label = str(a[M.WEB_VITAL_NAME]);
      row.value = num(a[M.WEB_VITAL_VALUE]);
      break;
    case 'long_task':
      row.durationMs = num(a[M.RUM_LONG_TASK_DURATION]);
      break;
    case 'session':
    case 'replay_segment':
      break;
  }
}

/** The attributes whose value is known. */
function known(attrs: Attributes): Attributes {
  return Object.fromEntries(Object.entries(attrs).filter(([, v]) => v !== null && v !== undefined));
}

/**
 * Our resource attributes from a browser.resource_timing or browser.navigation_timing record, whose
 * `browser.resource_timing.*` attributes are the PerformanceResourceTiming fields (ms since the time
 * origin; 0 when the browser withholds them, as for cross-origin resources without Timing-Allow-Origin).
 */
function resourceTimingAttributes(a: Attributes, row: EventRow): Attributes {
  const t = (field: string) => num(a[OTEL_BROWSER_ATTRS.timing + field]);
  const phase = (from: string, to: string) => {
    const start = t(from);
    const end = t(to);
    return start !== null && end !== null && start > 0 && end >= start ? end - start : null;
  };
  const initiator =
    row.name === OTEL_BROWSER_EVENTS.navigationTiming
      ? 'navigation'
      : str(a[OTEL_BROWSER_ATTRS.initiatorType]);
  return known({
    [M.RUM_RESOURCE_TYPE]: resourceType(initiator, row.path),
    [M.RUM_RESOURCE_INITIATOR]: initiator,
    [M.RUM_RESOURCE_DURATION]: t('duration'),
    [M.RUM_RESOURCE_DNS]: phase('domain_lookup_start', 'domain_lookup_end'),
    [M.RUM_RESOURCE_CONNECT]: phase('connect_start', 'connect_end'),
    [M.RUM_RESOURCE_TLS]: phase('secure_connection_start', 'connect_end'),
    [M.RUM_RESOURCE_FIRST_BYTE]: phase('request_start', 'response_start'),
    [M.RUM_RESOURCE_DOWNLOAD]: phase('response_start', 'response_end'),
    [M.RUM_RESOURCE_TRANSFER_SIZE]: t('transfer_size') || null,
    [M.RUM_RESOURCE_DECODED_SIZE]: t('decoded_body_size') || null,
  });
}
