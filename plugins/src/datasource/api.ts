/*
 * Requests to the otel-rum server through Grafana's data proxy: `<data source url>/rum/...` is the
 * route in plugin.json, which Grafana's server forwards to the configured server URL with the token
 * from secureJsonData. Nothing here ever holds the token.
 */
import { getBackendSrv, isFetchError, type FetchError } from '@grafana/runtime';
import { Observable, catchError, map, throwError } from 'rxjs';

/** The path of the proxy route in plugin.json. */
export const PROXY_ROUTE = 'rum';

export type Params = Record<string, string | number | undefined>;

/** A refusal or failure, with the server's own message when it sent one. */
export class RumApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    /** The query parameter the server's message names, when it names one (see errorParameter). */
    readonly parameter?: string,
  ) {
    super(message);
    this.name = 'RumApiError';
  }
}

/** Query parameters, and the editor field each is set by, named in the server's 400 messages. */
const PARAMETER_PATTERNS: Array<[RegExp, string]> = [
  [/\(at position \d+\)|\bfilter\b|unknown field|is a number field|is a string field/, 'filter'],
  [/\bgroup_by\b/, 'groupBy'],
  [/\baggregation\b/, 'aggregation'],
  [/\binterval\b|buckets/, 'interval'],
  [/\bsort\b/, 'sort'],
  [/\blimit\b/, 'limit'],
  [/\bapp_id\b|application/, 'appId'],
  [/\btrace(_id| id)\b/, 'traceId'],
  [/\bsession\b/, 'sessionId'],
  [/\bjourney\b/, 'journeyId'],
  [/\bfield\b/, 'field'],
];

/** Which editor field a server message is about, so the editor can show it under that field. */
export function errorParameter(message: string): string | undefined {
  return PARAMETER_PATTERNS.find(([re]) => re.test(message))?.[1];
}

function serverMessage(data: unknown): string | undefined {
  if (data && typeof data === 'object' && typeof (data as { error?: unknown }).error === 'string')
    return (data as { error: string }).error;
  return undefined;
}

/** Where the user fixes the connection, and which token role it needs: the data source's or the app's. */
export interface SettingsPlace {
  /** Words naming the settings page, e.g. "the data source settings". */
  page: string;
  /** The token role that page needs. */
  role: 'read' | 'admin';
}

const DATASOURCE_SETTINGS: SettingsPlace = { page: 'the data source settings', role: 'read' };

/** What went wrong, in words a Grafana user can act on. */
export function toRumError(
  err: unknown,
  serverUrl?: string,
  place: SettingsPlace = DATASOURCE_SETTINGS,
): RumApiError {
  if (err instanceof RumApiError) return err;
  if (!isFetchError(err)) return new RumApiError(err instanceof Error ? err.message : String(err), 0);
  const e = err as FetchError;
  const msg = serverMessage(e.data);
  const where = serverUrl ? ` at ${serverUrl}` : '';
  switch (e.status) {
    case 502:
      return new RumApiError(
        `Grafana could not connect to the otel-rum server${where}: it is down, the URL is wrong, or ` +
          (serverUrl?.startsWith('https:')
            ? `its TLS certificate is not trusted by Grafana's server (add its CA certificate, or turn on "Skip TLS verify" for a self-signed one)`
            : 'it is not reachable from the machine Grafana runs on'),
        502,
      );
    case 504:
      return new RumApiError(
        `The otel-rum server${where} did not answer in time (Grafana's data proxy timed out)`,
        504,
      );
    case 401:
      if (msg?.includes('needs a token') || msg?.includes('must be "Bearer <token>"'))
        return new RumApiError(
          `No API token is set: create ${place.role === 'admin' ? 'an admin' : 'a read'} token on the server (POST /api/v1/tokens with role "${place.role}") and paste it in ${place.page}`,
          401,
        );
      return new RumApiError(
        `The server refused the API token: ${msg ?? 'unknown token'}. Create ${place.role === 'admin' ? 'an admin' : 'a read'} token (POST /api/v1/tokens) and paste it in ${place.page}`,
        401,
      );
    case 403: {
      // Grafana's own refusal: the user's role lacks the route's reqAction (or reqRole).
      const grafana = (e.data as { message?: unknown } | undefined)?.message;
      if (!msg && typeof grafana === 'string' && grafana.includes('access denied'))
        return new RumApiError(
          `Your Grafana role may not do this (${grafana}): ask an administrator for the plugin role it needs`,
          403,
        );
      return new RumApiError(`The API token's role is too weak: ${msg ?? 'forbidden'}`, 403);
    }
    default:
      return new RumApiError(
        msg ?? `The otel-rum server answered ${e.status} ${e.statusText ?? ''}`.trim(),
        e.status,
        e.status === 400 && msg ? errorParameter(msg) : undefined,
      );
  }
}

/** Drops empty parameters; the server refuses unknown ones, so nothing is sent that it did not ask for. */
export function cleanParams(params: Params): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') out[k] = String(v);
  return out;
}

export class RumApi {
  constructor(
    /** The proxy base: /api/datasources/proxy/uid/<uid> for the data source, /api/plugin-proxy/<app id> for the app. */
    private readonly baseUrl: string,
    private readonly serverUrl?: string,
    private readonly place: SettingsPlace = DATASOURCE_SETTINGS,
  ) {}

  /** GET a JSON document; unsubscribing cancels the request. */
  get<T>(path: string, params: Params = {}, requestId?: string): Observable<T> {
    return getBackendSrv()
      .fetch<T>({
        url: `${this.baseUrl}/${PROXY_ROUTE}${path}`,
        method: 'GET',
        params: cleanParams(params),
        requestId,
        showErrorAlert: false,
        showSuccessAlert: false,
      })
      .pipe(
        map((r) => r.data),
        catchError((err) => throwError(() => toRumError(err, this.serverUrl, this.place))),
      );
  }

  /** POST, PUT, PATCH or DELETE a JSON body; resolves to the answer's JSON (undefined for 204). */
  send<T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown, params: Params = {}) {
    return getBackendSrv()
      .fetch<T>({
        url: `${this.baseUrl}/${PROXY_ROUTE}${path}`,
        method,
        params: cleanParams(params),
        data: body,
        showErrorAlert: false,
        showSuccessAlert: false,
      })
      .pipe(
        map((r) => r.data),
        catchError((err) => throwError(() => toRumError(err, this.serverUrl, this.place))),
      );
  }
}
