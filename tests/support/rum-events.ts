/*
 * RUM events as an SDK sends them: OTLP/JSON log records with an EventName, posted to the server's
 * /v1/logs. Event and attribute names come from the RUM model.
 */
import { RUM_APP_ID } from '@otel-rum/model';

export type RumAttribute = string | number | boolean;

export interface RumEvent {
  eventName: string;
  /** Event time, epoch ms; now when absent. */
  timeMs?: number;
  attributes: Record<string, RumAttribute>;
}

function anyValue(v: RumAttribute): Record<string, unknown> {
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
}

/** OTLP/JSON KeyValue list of attributes: strings, booleans, integers as intValue, other numbers as doubleValue. */
export function keyValues(
  attrs: Record<string, RumAttribute>,
): { key: string; value: Record<string, unknown> }[] {
  return Object.entries(attrs).map(([key, value]) => ({ key, value: anyValue(value) }));
}

/** The ExportLogsServiceRequest of one application's events. */
export function rumLogsRequest(
  appId: string,
  events: RumEvent[],
  resource: Record<string, RumAttribute> = {},
): unknown {
  const now = Date.now();
  return {
    resourceLogs: [
      {
        resource: { attributes: keyValues({ [RUM_APP_ID]: appId, ...resource }) },
        scopeLogs: [
          {
            scope: { name: 'otel-rum-test' },
            logRecords: events.map((e) => ({
              timeUnixNano: String(BigInt(Math.round((e.timeMs ?? now) * 1000)) * 1000n),
              eventName: e.eventName,
              attributes: keyValues(e.attributes),
            })),
          },
        ],
      },
    ],
  };
}

/** Posts the events to the server's OTLP/HTTP logs endpoint; fails unless all were accepted. */
export async function sendRumEvents(
  base: string,
  appId: string,
  events: RumEvent[],
  resource: Record<string, RumAttribute> = {},
): Promise<void> {
  const res = await fetch(`${base}/v1/logs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(rumLogsRequest(appId, events, resource)),
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`POST /v1/logs answered ${res.status}: ${text}`);
  const rejected = (JSON.parse(text) as { partialSuccess?: { rejectedLogRecords?: string | number } })
    .partialSuccess?.rejectedLogRecords;
  if (rejected && Number(rejected) > 0) throw new Error(`POST /v1/logs rejected records: ${text}`);
}
