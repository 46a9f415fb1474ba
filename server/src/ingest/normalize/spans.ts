import * as M from '@otel-rum/model';
import type { OtlpSpan, TracesRequest } from '../otlp/decode';
import { keyValues, num, str, toBigInt, toHexId, toNumber, type Attributes } from '../otlp/values';
import type { EventRow, SpanRow } from '../../store/rows';
import {
  derivedSessionId,
  nanosToMicros,
  pathOf,
  resourceType,
  resourceContext,
  trimAttributes,
  type ClientInfo,
  type ResourceContext,
} from './context';
import { isFaroResource } from './faro';
import { appStartsOf, nativeSpanEvents, spanErrorAttributes } from './native-apps';
import { Rejections } from './rejections';

/**
 * Instrumentation scopes of the upstream OpenTelemetry JS web instrumentations. These, and the span,
 * span event and attribute names below, are spelled by those packages, not by us; README.md beside
 * this file has the mapping table.
 */
export const UPSTREAM_SCOPES = {
  documentLoad: '@opentelemetry/instrumentation-document-load',
  fetch: '@opentelemetry/instrumentation-fetch',
  xhr: '@opentelemetry/instrumentation-xml-http-request',
  userInteraction: '@opentelemetry/instrumentation-user-interaction',
  longTask: '@opentelemetry/instrumentation-long-task',
} as const;

/** Span names of instrumentation-document-load. */
export const DOCUMENT_LOAD_SPANS = {
  documentLoad: 'documentLoad',
  documentFetch: 'documentFetch',
  resourceFetch: 'resourceFetch',
} as const;

/** Span event names: PerformanceTiming marks (sdk-trace-web's addSpanNetworkEvents) and paints. */
const TIMING = {
  fetchStart: 'fetchStart',
  domainLookupStart: 'domainLookupStart',
  domainLookupEnd: 'domainLookupEnd',
  connectStart: 'connectStart',
  secureConnectionStart: 'secureConnectionStart',
  connectEnd: 'connectEnd',
  requestStart: 'requestStart',
  responseStart: 'responseStart',
  responseEnd: 'responseEnd',
  domContentLoadedEventEnd: 'domContentLoadedEventEnd',
  loadEventEnd: 'loadEventEnd',
  firstContentfulPaint: 'firstContentfulPaint',
} as const;

/** Span attributes of instrumentation-user-interaction. */
const USER_INTERACTION_ATTRS = {
  eventType: 'event_type',
  targetElement: 'target_element',
  targetXpath: 'target_xpath',
} as const;

export interface MappedSpans {
  spans: SpanRow[];
  events: EventRow[];
}

/**
 * Keeps every span (browser and backend) for trace views, and turns the spans of the upstream web
 * instrumentations, and exception span events, into RUM events.
 */
export function mapSpans(
  req: TracesRequest,
  client: ClientInfo,
  nowUs: bigint,
  rejections: Rejections,
): MappedSpans {
  const spans: SpanRow[] = [];
  const mapped: { row: SpanRow; ctx: ResourceContext }[] = [];
  for (const rs of req.resourceSpans ?? []) {
    const ctx = resourceContext(keyValues(rs?.resource?.attributes), client);
    // Faro's request spans are kept for traces; their RUM events are Faro's faro.tracing.* events,
    // which also carry the view.
    const rumEvents = ctx.appId !== null && !isFaroResource(ctx.attributes);
    for (const ss of rs?.scopeSpans ?? []) {
      const scope = str(ss?.scope?.name ?? null);
      for (const span of ss?.spans ?? []) {
        if (!span) continue;
        const row = spanRow(span, ctx, scope, nowUs);
        if (!row) {
          rejections.add('span without a valid trace id and span id');
          continue;
        }
        spans.push(row);
        if (rumEvents) mapped.push({ row, ctx });
      }
    }
  }
  // The document's own request (documentFetch) carries the page's time to first byte; it is a child of
  // documentLoad and, with the batch span processor, travels in the same request.
  const documentFetches = new Map<string, SpanRow>();
  for (const { row } of mapped) {
    if (
      row.scopeName === UPSTREAM_SCOPES.documentLoad &&
      row.name === DOCUMENT_LOAD_SPANS.documentFetch &&
      row.parentSpanId
    )
      documentFetches.set(row.parentSpanId, row);
  }
  // Android's cold app start ends with the first screen's span, its child, in the same export.
  const appStarts = appStartsOf(mapped.map((m) => m.row));
  const events: EventRow[] = [];
  for (const { row, ctx } of mapped) events.push(...spanEvents(row, ctx, documentFetches, appStarts));
  return { spans, events };
}

/** Values of the OTLP enums SpanKind (0 to 5) and Status.StatusCode (0 to 2); anything else is 0 (unspecified). */
const SPAN_KINDS = 5;
const STATUS_CODES = 2;
function enumValue(v: unknown, max: number): number {
  const n = toNumber(v);
  return n !== null && Number.isInteger(n) && n >= 0 && n <= max ? n : 0;
}

function spanRow(span: OtlpSpan, ctx: ResourceContext, scope: string | null, nowUs: bigint): SpanRow | null {
  const traceId = toHexId(span.traceId);
  const spanId = toHexId(span.spanId);
  if (!/^[0-9a-f]{32}$/.test(traceId) || !/^[0-9a-f]{16}$/.test(spanId) || /^0+$/.test(traceId)) return null;
  const attrs = trimAttributes(keyValues(span.attributes)).attributes;
  const start = toBigInt(span.startTimeUnixNano);
  const end = toBigInt(span.endTimeUnixNano);
  const startUs = nanosToMicros(start, nowUs);
  return {
    traceId,
    spanId,
    parentSpanId: toHexId(span.parentSpanId) || null,
    name: str(span.name ?? null) ?? '',
    kind: enumValue(span.kind, SPAN_KINDS),
    startUs,
    durationMs: start && end && end > start ? Number(end - start) / 1e6 : 0,
    statusCode: enumValue(span.status?.code, STATUS_CODES),
    statusMessage: str(span.status?.message ?? null),
    serviceName: ctx.serviceName,
    appId: ctx.appId,
    sessionId: str(attrs[M.SESSION_ID]) ?? ctx.sessionId,
    scopeName: scope,
    attributes: attrs,
    events: (span.events ?? []).map((e) => ({
      timeUs: String(nanosToMicros(toBigInt(e?.timeUnixNano), startUs)),
      name: str(e?.name ?? null) ?? '',
      attributes: keyValues(e?.attributes),
    })),
    resource: ctx.attributes,
  };
}

/**
 * Milliseconds between two named span events, or null when either is missing, or when the first lies
 * before fetchStart (a PerformanceTiming mark of 0, such as secureConnectionStart over plain HTTP, is
 * added as the time origin), or when the two are out of order.
 */
function between(row: SpanRow | undefined, from: string, to: string): number | null {
  const a = row?.events.find((e) => e.name === from);
  const b = row?.events.find((e) => e.name === to);
  if (!a || !b) return null;
  const start = row?.events.find((e) => e.name === TIMING.fetchStart);
  if (start && BigInt(a.timeUs) < BigInt(start.timeUs)) return null;
  const ms = Number(BigInt(b.timeUs) - BigInt(a.timeUs)) / 1000;
  return ms >= 0 ? ms : null;
}

/** The attributes whose value is known. */
function known(attrs: Attributes): Attributes {
  return Object.fromEntries(Object.entries(attrs).filter(([, v]) => v !== null && v !== undefined));
}

/** Resource timing phases from the span's network events (documentFetch, resourceFetch, fetch, XHR). */
function networkTimings(row: SpanRow): Attributes {
  return known({
    [M.RUM_RESOURCE_DURATION]: row.durationMs,
    [M.RUM_RESOURCE_DNS]: between(row, TIMING.domainLookupStart, TIMING.domainLookupEnd),
    [M.RUM_RESOURCE_CONNECT]: between(row, TIMING.connectStart, TIMING.connectEnd),
    [M.RUM_RESOURCE_TLS]: between(row, TIMING.secureConnectionStart, TIMING.connectEnd),
    [M.RUM_RESOURCE_FIRST_BYTE]: between(row, TIMING.requestStart, TIMING.responseStart),
    [M.RUM_RESOURCE_DOWNLOAD]: between(row, TIMING.responseStart, TIMING.responseEnd),
  });
}

function spanEvents(
  row: SpanRow,
  ctx: ResourceContext,
  documentFetches: Map<string, SpanRow>,
  appStarts: Map<string, SpanRow>,
): EventRow[] {
  const appId = ctx.appId!;
  const scope = row.scopeName;
  // A native app's device and OS version travel on its resource; its events carry them for filters.
  const a = ctx.native ? { ...ctx.native.attributes, ...row.attributes } : row.attributes;
  const url = str(a[M.URL_FULL]) ?? str(a[M.HTTP_URL_LEGACY]);
  const base = (kind: M.EventKind, overrides: Partial<EventRow>): EventRow => ({
    kind,
    timeUs: row.startUs,
    appId,
    sessionId: row.sessionId ?? derivedSessionId(appId, ctx.client, row.startUs),
    clientAddress: ctx.client.address,
    viewId: str(a[M.RUM_VIEW_ID]),
    traceId: row.traceId,
    spanId: row.spanId,
    name: row.name,
    url,
    path: pathOf(url),
    durationMs: row.durationMs,
    value: null,
    status: null,
    label: null,
    serviceName: ctx.serviceName,
    serviceVersion: ctx.serviceVersion,
    environment: ctx.environment,
    userId: str(a[M.USER_ID]) ?? ctx.userId,
    userAgent: ctx.userAgent,
    source: ctx.native ? 'otel-native' : 'otel-web-instrumentation',
    attributes: a,
    os: ctx.native?.os,
    device: ctx.native?.device,
    ...overrides,
  });
  const out: EventRow[] = [];
  const status = num(a[M.HTTP_RESPONSE_STATUS_CODE]) ?? num(a[M.HTTP_STATUS_CODE_LEGACY]);

  if (scope === UPSTREAM_SCOPES.documentLoad) {
    if (row.name === DOCUMENT_LOAD_SPANS.documentLoad) {
      const documentFetch = documentFetches.get(row.spanId);
      const timings = known({
        [M.RUM_VIEW_LOADING_TYPE]: 'initial_load',
        [M.RUM_VIEW_TTFB]: between(documentFetch, TIMING.fetchStart, TIMING.responseStart),
        [M.RUM_VIEW_FCP]: between(row, TIMING.fetchStart, TIMING.firstContentfulPaint),
        [M.RUM_VIEW_DOM_CONTENT_LOADED]: between(row, TIMING.fetchStart, TIMING.domContentLoadedEventEnd),
        [M.RUM_VIEW_LOAD]: between(row, TIMING.fetchStart, TIMING.loadEventEnd),
      });
      out.push(
        base('view', {
          viewId: row.spanId,
          label: pathOf(url),
          // The span lasts until the load event; how long the page was shown is not sent.
          durationMs: null,
          attributes: { ...a, ...timings },
        }),
      );
    } else {
      // documentFetch and resourceFetch are children of documentLoad: their view is the parent span.
      const path = pathOf(url);
      // Resource timing's initiator type is not sent: the URL's extension tells what was loaded.
      const type = row.name === DOCUMENT_LOAD_SPANS.documentFetch ? 'document' : resourceType(null, path);
      out.push(
        base('resource', {
          viewId: row.parentSpanId,
          label: url,
          status,
          attributes: { ...a, ...networkTimings(row), [M.RUM_RESOURCE_TYPE]: type },
        }),
      );
    }
  } else if (scope === UPSTREAM_SCOPES.fetch || scope === UPSTREAM_SCOPES.xhr) {
    out.push(
      base('resource', {
        label: url,
        status,
        attributes: {
          ...a,
          ...networkTimings(row),
          [M.RUM_RESOURCE_TYPE]: scope === UPSTREAM_SCOPES.fetch ? 'fetch' : 'xhr',
        },
      }),
    );
  } else if (scope === UPSTREAM_SCOPES.userInteraction) {
    const eventType = str(a[USER_INTERACTION_ATTRS.eventType]) ?? row.name;
    const target = str(a[USER_INTERACTION_ATTRS.targetElement]) ?? 'element';
    const xpath = str(a[USER_INTERACTION_ATTRS.targetXpath]);
    const label = `${eventType} on ${target}${xpath ? ` ${xpath}` : ''}`;
    out.push(
      base('action', {
        label,
        attributes: known({
          ...a,
          [M.RUM_ACTION_TYPE]: eventType === 'click' ? 'click' : 'custom',
          [M.RUM_ACTION_NAME]: label,
          [M.RUM_ACTION_TARGET]: xpath,
          [M.RUM_ACTION_DURATION]: row.durationMs,
        }),
      }),
    );
  } else if (scope === UPSTREAM_SCOPES.longTask) {
    out.push(
      base('long_task', {
        attributes: {
          ...a,
          [M.RUM_LONG_TASK_TYPE]: 'longtask',
          [M.RUM_LONG_TASK_DURATION]: row.durationMs,
        },
      }),
    );
  } else if (ctx.native) {
    // Native apps (their resource names os.name): screens, taps and HTTP requests (native-apps.ts).
    // Our browser SDK's own fetch spans are not among them: its resources are its rum.resource events.
    const native = nativeSpanEvents(row, a, base, appStarts);
    if (native) out.push(...native);
  }

  for (const e of row.events) {
    if (e.name !== M.EventName.EXCEPTION) continue;
    out.push(
      base('error', {
        timeUs: BigInt(e.timeUs),
        name: M.EventName.EXCEPTION,
        durationMs: null,
        label: str(e.attributes[M.EXCEPTION_MESSAGE]) ?? str(e.attributes[M.EXCEPTION_TYPE]),
        attributes: {
          ...e.attributes,
          ...(ctx.native ? spanErrorAttributes(row) : { [M.RUM_ERROR_SOURCE]: 'span' }),
        },
      }),
    );
  }
  return out;
}
