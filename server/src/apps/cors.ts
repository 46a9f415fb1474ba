import type { IncomingMessage } from 'node:http';
import { FARO_COLLECT_PATH } from '@otel-rum/model';
import { originAllowed } from './origins';
import type { AppRegistry } from './registry';

const INGEST_PREFIX = '/v1/';

/** Ingest paths: OTLP (/v1/*) and Faro's collect URL (/collect, /collect/*). */
function isIngestPath(pathname: string): boolean {
  return (
    pathname.startsWith(INGEST_PREFIX) ||
    pathname === FARO_COLLECT_PATH ||
    pathname.startsWith(`${FARO_COLLECT_PATH}/`)
  );
}

/**
 * CORS headers for a browser request. OTLP ingest (/v1/*) and Faro's collect URL take pages that any registered application
 * allows (a preflight does not say which application the data is for; the POST itself is then checked
 * against its application) or that the global list allows; everything else only the global list.
 */
export function corsHeaders(
  req: IncomingMessage,
  pathname: string,
  apps: AppRegistry,
  globalOrigins: readonly string[],
): Record<string, string> {
  const origin = req.headers.origin;
  if (!origin) return {};
  const host = req.headers.host;
  const allowed =
    originAllowed(globalOrigins, origin, host) || (isIngestPath(pathname) && apps.anyAllows(origin, host));
  if (!allowed) return {};
  return {
    'Access-Control-Allow-Origin': origin,
    Vary: 'Origin',
    'Access-Control-Allow-Methods': 'GET, POST, PATCH, DELETE, OPTIONS',
    // x-faro-session-id, x-api-key and idempotency-key: sent by Grafana Faro's transports.
    'Access-Control-Allow-Headers':
      'Content-Type, Content-Encoding, Authorization, traceparent, tracestate, x-faro-session-id, x-api-key, idempotency-key',
    'Access-Control-Expose-Headers': 'Retry-After',
    'Access-Control-Max-Age': '600',
  };
}
