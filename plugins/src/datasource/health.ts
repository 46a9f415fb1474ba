/*
 * The data source's "Save & test": each step says exactly what is wrong and what to do next.
 */
import { QUERY_API_VERSION } from '@otel-rum/model';
import { lastValueFrom } from 'rxjs';
import { RumApiError, type RumApi } from './api';
import type { Application } from './frames/types';

/** Paths this plugin calls; a server whose OpenAPI document lacks one is too old for it. */
export const REQUIRED_PATHS = [
  '/api/v1/sessions',
  '/api/v1/views',
  '/api/v1/errors',
  '/api/v1/sessions/{id}/timeline',
  '/api/v1/traces/{traceId}',
  '/api/v1/issues',
  '/api/v1/facets',
  '/api/v1/aggregate',
  '/api/v1/apps',
  '/api/v1/journeys/{id}/analysis',
];

export interface HealthResult {
  status: 'success' | 'error' | 'warning';
  message: string;
  details?: { message?: string; verboseMessage?: string };
}

/** -1, 0 or 1 as a is older, the same as or newer than b (dotted whole numbers). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((x) => parseInt(x, 10) || 0);
  const pb = b.split('.').map((x) => parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

interface OpenApiDoc {
  info?: { version?: unknown; title?: unknown };
  paths?: Record<string, unknown>;
}

export interface HealthSettings {
  serverUrl?: string;
  defaultAppId?: string;
}

const fail = (message: string, details?: string): HealthResult => ({
  status: 'error',
  message,
  details: details ? { message: details } : undefined,
});

export async function checkHealth(api: RumApi, settings: HealthSettings): Promise<HealthResult> {
  if (!settings.serverUrl?.trim())
    return fail('Set the URL of the otel-rum server (for example http://localhost:4318) and save.');
  if (!/^https?:\/\/[^/\s]+/.test(settings.serverUrl.trim()))
    return fail(`The server URL "${settings.serverUrl}" is not an http:// or https:// URL.`);

  let doc: OpenApiDoc;
  try {
    doc = await lastValueFrom(api.get<OpenApiDoc>('/api/v1/openapi.json'));
  } catch (e) {
    const err = e as RumApiError;
    if (err.status === 404)
      return fail(
        `${settings.serverUrl} answers, but it is not an otel-rum server (it has no /api/v1/openapi.json), or it is older than any this plugin knows.`,
        'Check the URL: it is the address of the otel-rum server itself (port 4318 by default), not of a collector or of Grafana.',
      );
    return fail(err.message);
  }
  const version = typeof doc?.info?.version === 'string' ? doc.info.version : undefined;
  if (!version || !doc.paths)
    return fail(
      `${settings.serverUrl}/api/v1/openapi.json is not the otel-rum server's API description: check the URL.`,
    );
  const missing = REQUIRED_PATHS.filter((p) => !(p in doc.paths!));
  if (compareVersions(version, QUERY_API_VERSION) < 0 || missing.length)
    return fail(
      `The otel-rum server is too old for this plugin: it serves API ${version}, the plugin needs ${QUERY_API_VERSION} or newer.`,
      missing.length ? `Missing: ${missing.join(', ')}. Upgrade the server.` : 'Upgrade the server.',
    );

  let apps: Application[];
  try {
    apps = (await lastValueFrom(api.get<{ items: Application[] }>('/api/v1/apps'))).items;
  } catch (e) {
    return fail((e as RumApiError).message);
  }
  if (apps.length === 0)
    return {
      status: 'warning',
      message: `Connected to otel-rum server ${version}, but it has no applications yet.`,
      details: {
        message:
          'Register an application in the otel-rum app (Applications, New) or with POST /api/v1/apps, then load the SDK in your pages with its app id; data appears here as soon as the first page sends it.',
      },
    };
  const ids = apps.map((a) => a.appId);
  if (settings.defaultAppId && !ids.includes(settings.defaultAppId))
    return fail(
      `The default application "${settings.defaultAppId}" is not registered on the server.`,
      `Registered: ${ids.join(', ')}.`,
    );
  return {
    status: 'success',
    message: `Connected to otel-rum server ${version}: ${apps.length} application${apps.length === 1 ? '' : 's'} (${ids.slice(0, 10).join(', ')}${ids.length > 10 ? ', …' : ''}).`,
  };
}
