import { MAX_EVENTS_PER_REQUEST, RUM_APP_ID } from '@otel-rum/model';
import { HttpError } from '../http/http-error';
import type { Signal } from '../ingest/otlp/decode';
import { anyValue, str, type OtlpKeyValue } from '../ingest/otlp/values';
import { originAllowed } from './origins';
import type { AppRegistry } from './registry';

/** Where a request came from, as far as admission cares. */
export interface RequestOrigin {
  /** The Origin header: set by browsers, absent from SDKs of other platforms and from collectors. */
  origin: string | undefined;
  /** The Host header, to recognise pages served by this server ('self'). */
  host: string | undefined;
}

export interface Admission {
  /** The request with only the resources that were admitted. */
  request: unknown;
  /** Admitted records per application id. */
  perApp: Map<string, number>;
  /** Admitted records without rum.app.id (backend spans, metrics). */
  unattributed: number;
  rejected: number;
  /** Why records were refused, for OTLP partial success. */
  message: string;
}

const TOP: Record<Signal, string> = {
  traces: 'resourceSpans',
  logs: 'resourceLogs',
  metrics: 'resourceMetrics',
};

type ResourceEntry = { resource?: { attributes?: OtlpKeyValue[] | null } | null } & Record<string, unknown>;
type Scope = Record<string, unknown[] | null | undefined>;

/** Records (spans, log records, data points) of one resource entry. */
function recordsOf(signal: Signal, entry: ResourceEntry): number {
  let n = 0;
  if (signal === 'traces')
    for (const s of (entry.scopeSpans as Scope[] | null) ?? []) n += s?.spans?.length ?? 0;
  else if (signal === 'logs')
    for (const s of (entry.scopeLogs as Scope[] | null) ?? []) n += s?.logRecords?.length ?? 0;
  else
    for (const s of (entry.scopeMetrics as
      { metrics?: Record<string, { dataPoints?: unknown[] }>[] }[] | null) ?? [])
      for (const m of s?.metrics ?? [])
        n +=
          m?.gauge?.dataPoints?.length ?? m?.sum?.dataPoints?.length ?? m?.histogram?.dataPoints?.length ?? 0;
  return n;
}

function appIdOf(entry: ResourceEntry): string | null {
  for (const kv of entry?.resource?.attributes ?? [])
    if (kv?.key === RUM_APP_ID) return str(anyValue(kv.value));
  return null;
}

/**
 * Ingest admission: records must name a registered application (resource attribute rum.app.id), and a
 * browser (a request with an Origin) must be on a page the application allows. Records that name no
 * application (backend spans, metrics) are admitted for trace views, but from a browser only when its
 * origin is allowed by some application. When nothing is admitted the request is refused with 403.
 */
export function admit(
  signal: Signal,
  decoded: unknown,
  apps: AppRegistry,
  from: RequestOrigin,
  globalOrigins: readonly string[],
): Admission {
  const list =
    ((decoded as Record<string, unknown>)[TOP[signal]] as ResourceEntry[] | null | undefined) ?? [];
  const total = list.reduce((n, e) => n + recordsOf(signal, e), 0);
  if (total > MAX_EVENTS_PER_REQUEST)
    throw new HttpError(
      413,
      `request holds ${total} records, over the limit of ${MAX_EVENTS_PER_REQUEST} per request`,
    );
  const { origin, host } = from;
  const globallyAllowed = origin === undefined || originAllowed(globalOrigins, origin, host);
  const reasons = new Map<string, number>();
  const refuse = (reason: string, n: number) => reasons.set(reason, (reasons.get(reason) ?? 0) + n);
  const kept: ResourceEntry[] = [];
  const perApp = new Map<string, number>();
  let unattributed = 0;
  let rejected = 0;
  for (const entry of list) {
    const n = recordsOf(signal, entry);
    const appId = appIdOf(entry);
    let reason: string | null = null;
    if (appId === null) {
      if (!globallyAllowed && !apps.anyAllows(origin!, host))
        reason = `origin "${origin}" is not allowed by any application`;
    } else {
      const app = apps.get(appId);
      if (!app) reason = `application "${appId}" is not registered (register it with POST /api/v1/apps)`;
      else if (!globallyAllowed && !originAllowed(app.allowedOrigins, origin!, host))
        reason = `origin "${origin}" is not allowed for application "${appId}" (add it to its allowedOrigins)`;
    }
    if (reason) {
      if (n > 0) refuse(reason, n);
      rejected += n;
      continue;
    }
    kept.push(entry);
    if (appId === null) unattributed += n;
    else perApp.set(appId, (perApp.get(appId) ?? 0) + n);
  }
  const message = [...reasons.entries()].map(([r, n]) => `${n} rejected: ${r}`).join('; ');
  if (rejected > 0 && rejected === total) throw new HttpError(403, message);
  const request = kept.length === list.length ? decoded : { ...(decoded as object), [TOP[signal]]: kept };
  return { request, perApp, unattributed, rejected, message };
}
