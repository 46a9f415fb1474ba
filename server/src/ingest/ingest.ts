import { MAX_EVENTS_PER_REQUEST } from '@otel-rum/model';
import { HttpError } from '../http/http-error';
import type { WriteBatch } from '../store/rows';
import type { LogsRequest, MetricsRequest, Signal, TracesRequest } from './otlp/decode';
import { isExportRequestPath, type ClientInfo } from './normalize/context';
import { mapLogs } from './normalize/logs';
import { mapMetrics } from './normalize/metrics';
import { Rejections } from './normalize/rejections';
import { mapSpans } from './normalize/spans';
import { subtypeOf } from './normalize/subtype';
import { errorFingerprintFromAttributes } from '../errors/fingerprint';
import { countryOf } from '../enrich/country';
import { parseUserAgent } from '../enrich/user-agent';

/** Counts the records of a request before mapping, to refuse oversized requests whole. */
function recordCount(signal: Signal, req: unknown): number {
  let n = 0;
  if (signal === 'logs') {
    for (const r of (req as LogsRequest).resourceLogs ?? [])
      for (const s of r?.scopeLogs ?? []) n += s?.logRecords?.length ?? 0;
  } else if (signal === 'traces') {
    for (const r of (req as TracesRequest).resourceSpans ?? [])
      for (const s of r?.scopeSpans ?? []) n += s?.spans?.length ?? 0;
  } else {
    for (const r of (req as MetricsRequest).resourceMetrics ?? [])
      for (const s of r?.scopeMetrics ?? [])
        for (const m of s?.metrics ?? [])
          n +=
            m?.gauge?.dataPoints?.length ??
            m?.sum?.dataPoints?.length ??
            m?.histogram?.dataPoints?.length ??
            0;
  }
  return n;
}

export interface Normalised {
  batch: WriteBatch;
  rejections: Rejections;
}

/** Turns one decoded OTLP request into rows of the RUM model, and the records it refused. */
export function normalise(signal: Signal, req: unknown, client: ClientInfo, nowUs: bigint): Normalised {
  const count = recordCount(signal, req);
  if (count > MAX_EVENTS_PER_REQUEST) {
    throw new HttpError(
      413,
      `request holds ${count} records, over the limit of ${MAX_EVENTS_PER_REQUEST} per request`,
    );
  }
  const rejections = new Rejections();
  const batch: WriteBatch = { events: [], spans: [], metricPoints: [] };
  if (signal === 'logs') {
    const mapped = mapLogs(req as LogsRequest, client, nowUs, rejections);
    batch.events = mapped.events;
    batch.replaySegments = mapped.replaySegments;
  } else if (signal === 'traces') {
    const mapped = mapSpans(req as TracesRequest, client, nowUs, rejections);
    batch.spans = mapped.spans;
    batch.events = mapped.events;
  } else {
    batch.metricPoints = mapMetrics(req as MetricsRequest, client, nowUs, rejections);
  }
  // A sender's own export requests (to OTLP or Faro's collect path) are not the user's resources.
  if (batch.events.some((e) => e.kind === 'resource' && isExportRequestPath(e.path)))
    batch.events = batch.events.filter((e) => e.kind !== 'resource' || !isExportRequestPath(e.path));
  const countries = new Map<string, string | null>();
  for (const e of batch.events) {
    if (e.kind === 'error') e.fingerprint = errorFingerprintFromAttributes(e.attributes);
    e.type = subtypeOf(e);
    // A native app names its OS in its resource (os.name); its HTTP client's user agent is no browser.
    if (e.os) {
      e.browser = null;
      e.browserVersion = null;
    } else {
      const ua = parseUserAgent(e.userAgent);
      e.browser = ua.browser;
      e.browserVersion = ua.browserVersion;
      e.os = ua.os;
      e.device = ua.device;
    }
    const address = e.clientAddress ?? client.address;
    let country = countries.get(address);
    if (country === undefined) countries.set(address, (country = countryOf(address)));
    e.country = country;
  }
  return { batch, rejections };
}
