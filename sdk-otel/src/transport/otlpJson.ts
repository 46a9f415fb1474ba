/*
 * OTLP/HTTP JSON encoding (opentelemetry-proto, JSON mapping): lowerCamelCase field names,
 * 64-bit integers as decimal strings, trace and span ids as lowercase hex, enums as numbers.
 * Each record is serialised once when it is queued, so batches are joined, never re-encoded.
 */
import { toUnixNano } from '../clock';
import type { AttributeValue, Attributes, RawEvent, RawSpan } from '../lifecycle/rumEvents';
import { DOUBLE_ATTRIBUTES } from './numberTypes';

type AnyValue =
  | { stringValue: string }
  | { boolValue: boolean }
  | { intValue: string }
  | { doubleValue: number }
  | { arrayValue: { values: AnyValue[] } };

function anyValue(key: string, v: AttributeValue): AnyValue | undefined {
  switch (typeof v) {
    case 'string':
      return { stringValue: v };
    case 'boolean':
      return { boolValue: v };
    case 'number':
      if (!isFinite(v)) return undefined;
      return Number.isInteger(v) && !DOUBLE_ATTRIBUTES.has(key)
        ? { intValue: String(v) }
        : { doubleValue: v };
    default:
      return Array.isArray(v)
        ? { arrayValue: { values: v.map((s) => ({ stringValue: String(s) })) } }
        : undefined;
  }
}

export interface KeyValue {
  key: string;
  value: AnyValue;
}

export function keyValues(attributes: Attributes): KeyValue[] {
  const out: KeyValue[] = [];
  for (const key in attributes) {
    const value = anyValue(key, attributes[key]);
    if (value) out.push({ key, value });
  }
  return out;
}

/** Severity numbers of the OTLP log data model. */
export const SEVERITY_INFO = 9;
export const SEVERITY_ERROR = 17;

/** Base64 of bytes (the JSON mapping of OTLP bytes fields), in slices so no argument list gets too long. */
export function base64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000) as unknown as number[]);
  return btoa(s);
}

/** One LogRecord, as JSON text. */
export function encodeLogRecord(e: RawEvent, observed: number): string {
  const severity = e.severity ?? SEVERITY_INFO;
  const record: Record<string, unknown> = {
    timeUnixNano: toUnixNano(e.time),
    observedTimeUnixNano: toUnixNano(observed),
    severityNumber: severity,
    severityText: severity >= SEVERITY_ERROR ? 'ERROR' : 'INFO',
    eventName: e.name,
    attributes: keyValues(e.attributes),
  };
  if (e.bodyBytes) record.body = { bytesValue: base64(e.bodyBytes) };
  else if (e.body !== undefined) record.body = { stringValue: e.body };
  if (e.traceId) record.traceId = e.traceId;
  if (e.spanId) record.spanId = e.spanId;
  return JSON.stringify(record);
}

/** One Span, as JSON text. */
export function encodeSpan(s: RawSpan): string {
  const span: Record<string, unknown> = {
    traceId: s.traceId,
    spanId: s.spanId,
    name: s.name,
    kind: s.kind,
    startTimeUnixNano: toUnixNano(s.start),
    endTimeUnixNano: toUnixNano(s.end),
    attributes: keyValues(s.attributes),
    status: s.statusMessage ? { code: s.status, message: s.statusMessage } : { code: s.status },
    flags: s.sampled ? 257 : 256,
  };
  if (s.parentSpanId) span.parentSpanId = s.parentSpanId;
  return JSON.stringify(span);
}

/** The Resource and InstrumentationScope, as JSON text, shared by every request. */
export function encodeEnvelope(resource: Attributes, scopeName: string, scopeVersion: string) {
  return {
    resource: JSON.stringify({ attributes: keyValues(resource) }),
    scope: JSON.stringify({ name: scopeName, version: scopeVersion }),
  };
}

/** An ExportLogsServiceRequest body from encoded records. */
export function logsRequest(env: { resource: string; scope: string }, records: string[]): string {
  return `{"resourceLogs":[{"resource":${env.resource},"scopeLogs":[{"scope":${env.scope},"logRecords":[${records.join(',')}]}]}]}`;
}

/** An ExportTraceServiceRequest body from encoded spans. */
export function tracesRequest(env: { resource: string; scope: string }, spans: string[]): string {
  return `{"resourceSpans":[{"resource":${env.resource},"scopeSpans":[{"scope":${env.scope},"spans":[${spans.join(',')}]}]}]}`;
}
