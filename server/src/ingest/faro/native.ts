/*
 * Grafana Faro's own payload, as its fetch transport posts it and Alloy's faro.receiver takes it:
 * `{meta, logs, events, measurements, exceptions, traces}`, one `meta` (sdk, app, user, session, page,
 * browser, view) for every item of the request, `traces` being OTLP/JSON. It is turned into the OTLP
 * records that Faro's OTLP transport (@grafana/faro-transport-otlp-http) would have sent for the same
 * items, so that one mapping (../normalize/faro.ts) serves both transports.
 */
import {
  DEPLOYMENT_ENVIRONMENT_NAME,
  RUM_APP_ID,
  SERVICE_NAME,
  SERVICE_VERSION,
  SESSION_ID,
} from '@otel-rum/model';
import * as M from '@otel-rum/model';
import { HttpError } from '../../http/http-error';
import type { LogsRequest, OtlpLogRecord, TracesRequest } from '../otlp/decode';
import { keyValues, str, type OtlpAnyValue, type OtlpKeyValue } from '../otlp/values';
import { FARO_ATTRS, FARO_SCOPE, isFaroResource } from '../normalize/faro';

/** The item lists of a Faro payload. */
const ITEM_LISTS = ['logs', 'events', 'measurements', 'exceptions'] as const;

/** Faro's log levels and their OTLP severity, as Faro's OTLP transport sets them. */
const SEVERITY: Record<string, [number, string]> = {
  trace: [1, 'TRACE'],
  debug: [5, 'DEBUG'],
  info: [9, 'INFO'],
  log: [10, 'INFO2'],
  warn: [13, 'WARN'],
  error: [17, 'ERROR'],
};

/** Web vital names among a web-vitals measurement's values: the first found names the measurement. */
const VITAL_NAMES = ['lcp', 'inp', 'cls', 'fcp', 'ttfb', 'fid'];

type Obj = Record<string, unknown>;

export interface FaroRequests {
  /** The application the payload is for: the key in the path, else Faro's app name. */
  appId: string;
  logs: LogsRequest;
  traces: TracesRequest;
  /** Records in the payload, for the per-request limit. */
  count: number;
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function text(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

/** A JavaScript value as an OTLP/JSON AnyValue. */
function anyOf(v: unknown): OtlpAnyValue {
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  if (typeof v === 'number') return Number.isInteger(v) ? { intValue: v } : { doubleValue: v };
  if (Array.isArray(v)) return { arrayValue: { values: v.map(anyOf) } };
  if (isObj(v)) return { kvlistValue: { values: kvs(v) } };
  return {};
}

function kvs(o: Obj): OtlpKeyValue[] {
  return Object.entries(o)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([key, v]) => ({ key, value: anyOf(v) }));
}

/** Key-values of the entries whose value is set. */
function attrs(entries: [string, unknown][]): OtlpKeyValue[] {
  return kvs(Object.fromEntries(entries.filter(([, v]) => v !== undefined && v !== null && v !== '')));
}

function timeOf(v: unknown): string | undefined {
  const ms = typeof v === 'string' ? Date.parse(v) : NaN;
  return Number.isFinite(ms) ? String(BigInt(Math.trunc(ms)) * 1_000_000n) : undefined;
}

function traceOf(item: Obj): Pick<OtlpLogRecord, 'traceId' | 'spanId'> {
  const trace = isObj(item.trace) ? item.trace : {};
  return { traceId: text(trace.trace_id) ?? undefined, spanId: text(trace.span_id) ?? undefined };
}

/** Checks the shape of a Faro payload, naming what is wrong. */
function checked(body: unknown): Obj {
  if (!isObj(body)) throw new HttpError(400, 'malformed Faro payload: the body must be a JSON object');
  if (!isObj(body.meta)) throw new HttpError(400, 'malformed Faro payload: "meta" must be an object');
  for (const list of ITEM_LISTS) {
    const v = body[list];
    if (v === undefined || v === null) continue;
    if (!Array.isArray(v)) throw new HttpError(400, `malformed Faro payload: "${list}" must be an array`);
    v.forEach((item, i) => {
      if (!isObj(item)) throw new HttpError(400, `malformed Faro payload: ${list}[${i}] must be an object`);
    });
  }
  const traces = body.traces;
  if (
    traces !== undefined &&
    traces !== null &&
    !(isObj(traces) && Array.isArray(traces.resourceSpans ?? []))
  )
    throw new HttpError(400, 'malformed Faro payload: "traces" must be OTLP/JSON with a resourceSpans array');
  return body;
}

/**
 * Turns a Faro payload (parsed JSON) into OTLP logs and traces requests. `pathKey` is the application
 * id from the collect URL; without it Faro's `meta.app.name` names the application.
 */
export function faroToOtlp(body: unknown, pathKey: string | null): FaroRequests {
  const payload = checked(body);
  const meta = payload.meta as Obj;
  const app = isObj(meta.app) ? meta.app : {};
  const appId = pathKey ?? text(app.name);
  if (!appId)
    throw new HttpError(
      400,
      `Faro payload names no application: post to ${M.FARO_COLLECT_PATH}/<application id>, or set Faro's app name to a registered application id`,
    );
  const browser = isObj(meta.browser) ? meta.browser : {};
  const sdk = isObj(meta.sdk) ? meta.sdk : {};
  const page = isObj(meta.page) ? meta.page : {};
  const session = isObj(meta.session) ? meta.session : {};
  const user = isObj(meta.user) ? meta.user : {};
  const view = isObj(meta.view) ? meta.view : {};

  const resource = {
    attributes: attrs([
      [RUM_APP_ID, appId],
      [SERVICE_NAME, text(app.name)],
      [SERVICE_VERSION, text(app.version)],
      ['service.namespace', text(app.namespace)],
      [DEPLOYMENT_ENVIRONMENT_NAME, text(app.environment)],
      [M.USER_AGENT_ORIGINAL, text(browser.userAgent)],
      ['browser.language', text(browser.language)],
      ['browser.mobile', typeof browser.mobile === 'boolean' ? browser.mobile : null],
      ['browser.platform', text(browser.os)],
      ['browser.name', text(browser.name)],
      ['browser.version', text(browser.version)],
      [M.TELEMETRY_SDK_NAME, text(sdk.name)],
      [M.TELEMETRY_SDK_VERSION, text(sdk.version)],
    ]),
  };
  const common: [string, unknown][] = [
    [FARO_ATTRS.viewName, text(view.name)],
    [M.URL_FULL, text(page.url)],
    [FARO_ATTRS.pageId, text(page.id)],
    ['page.attributes', isObj(page.attributes) ? page.attributes : null],
    [SESSION_ID, text(session.id)],
    ['session.attributes', isObj(session.attributes) ? session.attributes : null],
    [M.USER_ID, text(user.id)],
    [M.USER_NAME, text(user.username)],
    [M.USER_EMAIL, text(user.email)],
    ['user.attributes', isObj(user.attributes) ? user.attributes : null],
  ];

  const records: OtlpLogRecord[] = [];
  const items = (list: (typeof ITEM_LISTS)[number]) => (payload[list] as Obj[] | undefined) ?? [];
  for (const e of items('events')) {
    records.push({
      timeUnixNano: timeOf(e.timestamp),
      body: { stringValue: text(e.name) ?? '' },
      attributes: attrs([
        ...common,
        [FARO_ATTRS.eventName, text(e.name) ?? ''],
        ['event.domain', text(e.domain)],
        [FARO_ATTRS.eventAttributes, isObj(e.attributes) ? e.attributes : null],
      ]),
      ...traceOf(e),
    });
  }
  for (const m of items('measurements')) {
    const values = isObj(m.values) ? m.values : {};
    const name = VITAL_NAMES.find((n) => typeof values[n] === 'number') ?? Object.keys(values)[0] ?? null;
    records.push({
      timeUnixNano: timeOf(m.timestamp),
      attributes: attrs([
        ...common,
        [FARO_ATTRS.measurementType, text(m.type) ?? ''],
        [FARO_ATTRS.measurementName, name],
        [FARO_ATTRS.measurementValue, name === null ? null : values[name]],
        [FARO_ATTRS.measurementContext, isObj(m.context) ? m.context : null],
        ['faro.measurement.values', values],
      ]),
      ...traceOf(m),
    });
  }
  for (const x of items('exceptions')) {
    records.push({
      timeUnixNano: timeOf(x.timestamp),
      attributes: attrs([
        ...common,
        [M.EXCEPTION_TYPE, text(x.type)],
        [M.EXCEPTION_MESSAGE, typeof x.value === 'string' ? x.value : null],
        [FARO_ATTRS.errorStacktrace, isObj(x.stacktrace) ? x.stacktrace : null],
        [FARO_ATTRS.errorContext, isObj(x.context) ? x.context : null],
      ]),
      ...traceOf(x),
    });
  }
  for (const l of items('logs')) {
    const [severityNumber, severityText] = SEVERITY[String(l.level)] ?? [0, String(l.level ?? '')];
    records.push({
      timeUnixNano: timeOf(l.timestamp),
      severityNumber,
      severityText,
      body: { stringValue: typeof l.message === 'string' ? l.message : '' },
      attributes: attrs([...common, ['faro.log.context', isObj(l.context) ? l.context : null]]),
      ...traceOf(l),
    });
  }

  const traces = (isObj(payload.traces) ? payload.traces : { resourceSpans: [] }) as TracesRequest;
  withAppId(traces.resourceSpans ?? [], appId);
  let spans = 0;
  for (const rs of traces.resourceSpans ?? [])
    for (const ss of rs?.scopeSpans ?? []) spans += ss?.spans?.length ?? 0;
  return {
    appId,
    logs: {
      resourceLogs: records.length
        ? [{ resource, scopeLogs: [{ scope: { name: FARO_SCOPE }, logRecords: records }] }]
        : [],
    },
    traces,
    count: records.length + spans,
  };
}

type ResourceEntry = { resource?: { attributes?: OtlpKeyValue[] | null } | null };

/**
 * Names the application on every resource that names none: `appId` when given (the key of the collect
 * path), else, for Faro's own resources, their service.name (Faro's app name).
 */
export function withAppId(
  entries: readonly (ResourceEntry | null | undefined)[],
  appId: string | null,
): void {
  for (const entry of entries) {
    if (!entry) continue;
    const list = (entry.resource ??= {}).attributes ?? [];
    if (list.some((kv) => kv?.key === RUM_APP_ID)) continue;
    let id = appId;
    if (id === null) {
      const resource = keyValues(list);
      id = isFaroResource(resource) ? str(resource[SERVICE_NAME]) : null;
    }
    if (id) entry.resource.attributes = [...list, { key: RUM_APP_ID, value: { stringValue: id } }];
  }
}
