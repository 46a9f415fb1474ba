/*
 * OTLP/HTTP request bodies, protobuf or JSON, decoded into one object shape. Protobuf is decoded by
 * protobufjs with the code generated from the official opentelemetry-proto definitions that
 * @opentelemetry/otlp-transformer 0.212 ships (the last release that carried them, including the
 * LogRecord event_name field); JSON follows the OTLP/JSON encoding, which uses the same field names.
 */
import { HttpError } from '../../http/http-error';
import type { OtlpKeyValue } from './values';
import { checkRequestShape } from './shape';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const root = require('@opentelemetry/otlp-transformer/build/src/generated/root') as ProtoRoot;

interface ProtoType {
  decode(buf: Uint8Array): unknown;
  encode(msg: unknown): { finish(): Uint8Array };
  fromObject(obj: unknown): unknown;
}
interface ProtoRoot {
  opentelemetry: {
    proto: {
      collector: Record<'trace' | 'logs' | 'metrics', { v1: Record<string, ProtoType> }>;
    };
  };
}

export type Signal = 'traces' | 'logs' | 'metrics';
export type Encoding = 'json' | 'protobuf';

export interface OtlpResource {
  attributes?: OtlpKeyValue[] | null;
}
export interface OtlpScope {
  name?: string | null;
  version?: string | null;
}
export interface OtlpLogRecord {
  timeUnixNano?: unknown;
  observedTimeUnixNano?: unknown;
  severityNumber?: number | null;
  severityText?: string | null;
  eventName?: string | null;
  body?: import('./values').OtlpAnyValue | null;
  attributes?: OtlpKeyValue[] | null;
  traceId?: unknown;
  spanId?: unknown;
}
export interface OtlpSpanEvent {
  timeUnixNano?: unknown;
  name?: string | null;
  attributes?: OtlpKeyValue[] | null;
}
export interface OtlpSpan {
  traceId?: unknown;
  spanId?: unknown;
  parentSpanId?: unknown;
  name?: string | null;
  kind?: number | string | null;
  startTimeUnixNano?: unknown;
  endTimeUnixNano?: unknown;
  attributes?: OtlpKeyValue[] | null;
  events?: OtlpSpanEvent[] | null;
  status?: { code?: number | string | null; message?: string | null } | null;
}
export interface LogsRequest {
  resourceLogs?:
    | {
        resource?: OtlpResource | null;
        scopeLogs?: { scope?: OtlpScope | null; logRecords?: OtlpLogRecord[] | null }[] | null;
      }[]
    | null;
}
export interface TracesRequest {
  resourceSpans?:
    | {
        resource?: OtlpResource | null;
        scopeSpans?: { scope?: OtlpScope | null; spans?: OtlpSpan[] | null }[] | null;
      }[]
    | null;
}
export interface MetricsRequest {
  resourceMetrics?:
    | {
        resource?: OtlpResource | null;
        scopeMetrics?: { scope?: OtlpScope | null; metrics?: OtlpMetric[] | null }[] | null;
      }[]
    | null;
}
export interface OtlpNumberPoint {
  timeUnixNano?: unknown;
  asDouble?: number | null;
  asInt?: unknown;
  attributes?: OtlpKeyValue[] | null;
}
export interface OtlpMetric {
  name?: string | null;
  unit?: string | null;
  gauge?: { dataPoints?: OtlpNumberPoint[] | null } | null;
  sum?: { dataPoints?: OtlpNumberPoint[] | null } | null;
  histogram?: { dataPoints?: (OtlpNumberPoint & { sum?: number | null; count?: unknown })[] | null } | null;
}

const MESSAGES: Record<Signal, { pkg: 'trace' | 'logs' | 'metrics'; req: string; res: string; top: string }> =
  {
    traces: {
      pkg: 'trace',
      req: 'ExportTraceServiceRequest',
      res: 'ExportTraceServiceResponse',
      top: 'resourceSpans',
    },
    logs: {
      pkg: 'logs',
      req: 'ExportLogsServiceRequest',
      res: 'ExportLogsServiceResponse',
      top: 'resourceLogs',
    },
    metrics: {
      pkg: 'metrics',
      req: 'ExportMetricsServiceRequest',
      res: 'ExportMetricsServiceResponse',
      top: 'resourceMetrics',
    },
  };

function messageType(signal: Signal, which: 'req' | 'res'): ProtoType {
  const m = MESSAGES[signal];
  const t = root.opentelemetry.proto.collector[m.pkg].v1[m[which]];
  if (!t) throw new Error(`protobuf type for ${signal} ${which} is missing`);
  return t;
}

/** Maps a Content-Type header to the OTLP encoding, or refuses it with 415. */
export function encodingOf(contentType: string | undefined): Encoding {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/x-protobuf' || type === 'application/protobuf') return 'protobuf';
  if (type === 'application/json') return 'json';
  throw new HttpError(
    415,
    `unsupported content type "${type || '(none)'}": OTLP/HTTP takes application/x-protobuf or application/json`,
  );
}

/** Decodes an OTLP request body; a body that is not a valid request of that signal is a 400. */
export function decodeRequest(signal: Signal, encoding: Encoding, body: Buffer): unknown {
  let decoded: unknown;
  if (encoding === 'protobuf') {
    try {
      decoded = messageType(signal, 'req').decode(body);
    } catch (e) {
      throw new HttpError(400, `malformed OTLP protobuf for ${signal}: ${(e as Error).message}`);
    }
  } else {
    try {
      decoded = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
    } catch (e) {
      throw new HttpError(400, `malformed OTLP JSON for ${signal}: ${(e as Error).message}`);
    }
  }
  const top = MESSAGES[signal].top;
  if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded)) {
    throw new HttpError(
      400,
      `malformed OTLP ${encoding} for ${signal}: the body must be an object with "${top}"`,
    );
  }
  const list = (decoded as Record<string, unknown>)[top];
  if (list !== undefined && list !== null && !Array.isArray(list)) {
    throw new HttpError(400, `malformed OTLP ${encoding} for ${signal}: "${top}" must be an array`);
  }
  checkRequestShape(signal, decoded as Record<string, unknown>);
  return decoded;
}

export interface PartialSuccess {
  rejected: number;
  errorMessage: string;
}

/** The Export*ServiceResponse body, with partial_success when some records were rejected. */
export function encodeResponse(signal: Signal, encoding: Encoding, partial: PartialSuccess | null): Buffer {
  const field =
    signal === 'traces' ? 'rejectedSpans' : signal === 'logs' ? 'rejectedLogRecords' : 'rejectedDataPoints';
  const obj =
    partial && (partial.rejected > 0 || partial.errorMessage)
      ? { partialSuccess: { [field]: partial.rejected, errorMessage: partial.errorMessage } }
      : {};
  if (encoding === 'json') return Buffer.from(JSON.stringify(obj));
  const type = messageType(signal, 'res');
  return Buffer.from(type.encode(type.fromObject(obj)).finish());
}
