/*
 * Small builders of OTLP/JSON requests for the native SDK fixtures: attributes, spans and log records
 * in the shape the OTLP/HTTP JSON encoding gives them (ids in hex, times as decimal nanoseconds).
 */
import { randomBytes } from 'node:crypto';

export type Value = string | number | boolean;
export type KeyValue = { key: string; value: Record<string, unknown> };

export function kv(attrs: Record<string, Value | undefined>): KeyValue[] {
  return Object.entries(attrs)
    .filter((e): e is [string, Value] => e[1] !== undefined)
    .map(([key, v]) => ({
      key,
      value:
        typeof v === 'string'
          ? { stringValue: v }
          : typeof v === 'boolean'
            ? { boolValue: v }
            : Number.isInteger(v)
              ? { intValue: String(v) }
              : { doubleValue: v },
    }));
}

export const hexId = (bytes: number): string => randomBytes(bytes).toString('hex');
export const nanos = (ms: number): string => `${BigInt(Math.round(ms * 1000)) * 1000n}`;

/** OTLP SpanKind values. */
export const SPAN_KIND = { internal: 1, server: 2, client: 3 } as const;

export interface SpanSpec {
  name: string;
  traceId?: string;
  spanId?: string;
  parentSpanId?: string;
  kind?: number;
  startMs: number;
  endMs: number;
  attributes?: Record<string, Value | undefined>;
  events?: { name: string; timeMs: number; attributes: Record<string, Value | undefined> }[];
}

export function span(s: SpanSpec): Record<string, unknown> & { traceId: string; spanId: string } {
  return {
    traceId: s.traceId ?? hexId(16),
    spanId: s.spanId ?? hexId(8),
    ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
    name: s.name,
    kind: s.kind ?? SPAN_KIND.internal,
    startTimeUnixNano: nanos(s.startMs),
    endTimeUnixNano: nanos(s.endMs),
    attributes: kv(s.attributes ?? {}),
    events: (s.events ?? []).map((e) => ({
      name: e.name,
      timeUnixNano: nanos(e.timeMs),
      attributes: kv(e.attributes),
    })),
    status: {},
  };
}

export interface LogSpec {
  eventName: string;
  timeMs: number;
  severityNumber?: number;
  attributes: Record<string, Value | undefined>;
}

export function logRecord(l: LogSpec): Record<string, unknown> {
  return {
    timeUnixNano: nanos(l.timeMs),
    observedTimeUnixNano: nanos(l.timeMs),
    eventName: l.eventName,
    severityNumber: l.severityNumber ?? 0,
    attributes: kv(l.attributes),
  };
}

export function tracesRequest(
  resource: Record<string, Value | undefined>,
  scopes: Record<string, Record<string, unknown>[]>,
): Record<string, unknown> {
  return {
    resourceSpans: [
      {
        resource: { attributes: kv(resource) },
        scopeSpans: Object.entries(scopes).map(([name, spans]) => ({ scope: { name }, spans })),
      },
    ],
  };
}

export function logsRequest(
  resource: Record<string, Value | undefined>,
  scopes: Record<string, Record<string, unknown>[]>,
): Record<string, unknown> {
  return {
    resourceLogs: [
      {
        resource: { attributes: kv(resource) },
        scopeLogs: Object.entries(scopes).map(([name, logRecords]) => ({ scope: { name }, logRecords })),
      },
    ],
  };
}
