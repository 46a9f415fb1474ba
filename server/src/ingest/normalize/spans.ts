import * as M from '@otel-rum/model';
import type { OtlpSpan, TracesRequest } from '../otlp/decode';
import { keyValues, num, str, toBigInt, toHexId, toNumber, type Attributes } from '../otlp/values';
import type { EventRow, SpanRow } from '../../store/rows';
import {
  derivedSessionId,
  nanosToMicros,
  pathOf,
  resourceContext,
  trimAttributes,
  type ClientInfo,
  type ResourceContext,
} from './context';
import { Rejections } from './rejections';

/** Instrumentation scopes of the upstream OpenTelemetry JS web instrumentations. */
export const UPSTREAM_SCOPES = {
  documentLoad: '@opentelemetry/instrumentation-document-load',
  fetch: '@opentelemetry/instrumentation-fetch',
  xhr: '@opentelemetry/instrumentation-xml-http-request',
  userInteraction: '@opentelemetry/instrumentation-user-interaction',
  longTask: '@opentelemetry/instrumentation-long-task',
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
  const events: EventRow[] = [];
  for (const rs of req.resourceSpans ?? []) {
    const ctx = resourceContext(keyValues(rs?.resource?.attributes), client);
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
        if (ctx.appId) events.push(...spanEvents(row, ctx, client, scope));
      }
    }
  }
  return { spans, events };
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
    kind: toNumber(span.kind) ?? 0,
    startUs,
    durationMs: start && end && end > start ? Number(end - start) / 1e6 : 0,
    statusCode: toNumber(span.status?.code) ?? 0,
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

/** Milliseconds between two named span events, or null when either is missing. */
function between(row: SpanRow, from: string, to: string): number | null {
  const a = row.events.find((e) => e.name === from);
  const b = row.events.find((e) => e.name === to);
  if (!a || !b) return null;
  return Number(BigInt(b.timeUs) - BigInt(a.timeUs)) / 1000;
}

function spanEvents(
  row: SpanRow,
  ctx: ResourceContext,
  client: ClientInfo,
  scope: string | null,
): EventRow[] {
  const appId = ctx.appId!;
  const a = row.attributes;
  const url = str(a[M.URL_FULL]) ?? str(a[M.HTTP_URL_LEGACY]);
  const base = (kind: M.EventKind, overrides: Partial<EventRow>): EventRow => ({
    kind,
    timeUs: row.startUs,
    appId,
    sessionId: row.sessionId ?? derivedSessionId(appId, client, row.startUs),
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
    source: 'otel-web-instrumentation',
    attributes: a,
    ...overrides,
  });
  const out: EventRow[] = [];
  const status = num(a[M.HTTP_RESPONSE_STATUS_CODE]) ?? num(a[M.HTTP_STATUS_CODE_LEGACY]);

  if (scope === UPSTREAM_SCOPES.documentLoad) {
    if (row.name === 'documentLoad') {
      const timings: Attributes = {
        [M.RUM_VIEW_LOADING_TYPE]: 'initial_load',
        [M.RUM_VIEW_TTFB]: between(row, 'fetchStart', 'responseStart'),
        [M.RUM_VIEW_FCP]: between(row, 'fetchStart', 'firstContentfulPaint'),
        [M.RUM_VIEW_DOM_CONTENT_LOADED]: between(row, 'fetchStart', 'domContentLoadedEventEnd'),
        [M.RUM_VIEW_LOAD]: between(row, 'fetchStart', 'loadEventEnd'),
      };
      out.push(
        base('view', {
          viewId: row.spanId,
          label: pathOf(url),
          attributes: { ...a, ...timings },
        }),
      );
    } else {
      // documentFetch and resourceFetch are children of documentLoad: their view is the parent span.
      out.push(
        base('resource', {
          viewId: row.parentSpanId,
          label: url,
          status,
          attributes: { ...a, [M.RUM_RESOURCE_TYPE]: row.name === 'documentFetch' ? 'document' : 'other' },
        }),
      );
    }
  } else if (scope === UPSTREAM_SCOPES.fetch || scope === UPSTREAM_SCOPES.xhr) {
    out.push(
      base('resource', {
        label: url,
        status,
        attributes: { ...a, [M.RUM_RESOURCE_TYPE]: scope === UPSTREAM_SCOPES.fetch ? 'fetch' : 'xhr' },
      }),
    );
  } else if (scope === UPSTREAM_SCOPES.userInteraction) {
    const target = str(a['target_element']) ?? 'element';
    const label = `${str(a['event_type']) ?? row.name} on ${target}${a['target_xpath'] ? ` ${str(a['target_xpath'])}` : ''}`;
    out.push(
      base('action', {
        label,
        attributes: { ...a, [M.RUM_ACTION_TYPE]: 'click', [M.RUM_ACTION_NAME]: label },
      }),
    );
  } else if (scope === UPSTREAM_SCOPES.longTask) {
    out.push(base('long_task', { attributes: { ...a, [M.RUM_LONG_TASK_TYPE]: 'longtask' } }));
  }

  for (const e of row.events) {
    if (e.name !== M.EventName.EXCEPTION) continue;
    out.push(
      base('error', {
        timeUs: BigInt(e.timeUs),
        name: M.EventName.EXCEPTION,
        durationMs: null,
        label: str(e.attributes[M.EXCEPTION_MESSAGE]) ?? str(e.attributes[M.EXCEPTION_TYPE]),
        attributes: { ...e.attributes, [M.RUM_ERROR_SOURCE]: 'span' },
      }),
    );
  }
  return out;
}
