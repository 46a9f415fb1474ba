/*
 * Small builders of OTLP/JSON requests, as a browser SDK or a backend SDK would send them. Names of
 * events and attributes come from the RUM model, never spelled here.
 */

export type AttributeValue = string | number | boolean;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- OTLP JSON AnyValue
function anyValue(v: AttributeValue): any {
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
}

export function attributes(attrs: Record<string, AttributeValue>): { key: string; value: unknown }[] {
  return Object.entries(attrs).map(([key, value]) => ({ key, value: anyValue(value) }));
}

export interface LogEvent {
  eventName: string;
  attributes: Record<string, AttributeValue>;
}

/** An ExportLogsServiceRequest with one resource and its events. */
export function logsRequest(resource: Record<string, AttributeValue>, events: LogEvent[]): unknown {
  const now = String(BigInt(Date.now()) * 1_000_000n);
  return {
    resourceLogs: [
      {
        resource: { attributes: attributes(resource) },
        scopeLogs: [
          {
            scope: { name: 'collector-config-test' },
            logRecords: events.map((e) => ({
              timeUnixNano: now,
              eventName: e.eventName,
              attributes: attributes(e.attributes),
            })),
          },
        ],
      },
    ],
  };
}

/** An ExportTraceServiceRequest with one resource and one span. */
export function traceRequest(
  resource: Record<string, AttributeValue>,
  span: { traceId: string; spanId: string; name: string; attributes: Record<string, AttributeValue> },
): unknown {
  const now = String(BigInt(Date.now()) * 1_000_000n);
  return {
    resourceSpans: [
      {
        resource: { attributes: attributes(resource) },
        scopeSpans: [
          {
            scope: { name: 'collector-config-test' },
            spans: [
              {
                traceId: span.traceId,
                spanId: span.spanId,
                name: span.name,
                kind: 2,
                startTimeUnixNano: now,
                endTimeUnixNano: now,
                attributes: attributes(span.attributes),
              },
            ],
          },
        ],
      },
    ],
  };
}

/** POSTs an OTLP/JSON request and fails with the collector's answer unless it is 200. */
export async function postOtlp(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  if (res.status !== 200) throw new Error(`POST ${url} answered ${res.status}: ${await res.text()}`);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- OTLP JSON as decoded by the sink
type Json = any;

/** Every log record in the recorded requests, with its resource attributes flattened. */
export function recordedLogs(bodies: Json[]): { resource: Record<string, unknown>; record: Json }[] {
  return bodies.flatMap((b) =>
    (b.resourceLogs ?? []).flatMap((rl: Json) =>
      (rl.scopeLogs ?? []).flatMap((sl: Json) =>
        (sl.logRecords ?? []).map((record: Json) => ({ resource: flatten(rl.resource?.attributes), record })),
      ),
    ),
  );
}

/** Every span in the recorded requests, with its resource attributes flattened. */
export function recordedSpans(bodies: Json[]): { resource: Record<string, unknown>; span: Json }[] {
  return bodies.flatMap((b) =>
    (b.resourceSpans ?? []).flatMap((rs: Json) =>
      (rs.scopeSpans ?? []).flatMap((ss: Json) =>
        (ss.spans ?? []).map((span: Json) => ({ resource: flatten(rs.resource?.attributes), span })),
      ),
    ),
  );
}

/** OTLP JSON KeyValue list to a plain object of primitive values. */
export function flatten(list: Json[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const kv of list ?? []) {
    const v = kv.value ?? {};
    out[kv.key] =
      v.stringValue ??
      v.boolValue ??
      v.doubleValue ??
      (v.intValue !== undefined ? Number(v.intValue) : undefined);
  }
  return out;
}
