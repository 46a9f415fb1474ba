/*
 * Grafana's runtime services as the host provides them: the backend service over the browser's fetch
 * (errors shaped as Grafana's FetchError, requests cancelled when unsubscribed or superseded by the
 * same requestId), template variables, and the data source service over the host's saved settings.
 */
import type {
  DataSourceApi,
  DataSourceInstanceSettings,
  ScopedVars,
  TypedVariableModel,
} from '@grafana/data';
import type {
  BackendSrv,
  BackendSrvRequest,
  DataSourceSrv,
  FetchResponse,
  TemplateSrv,
} from '@grafana/runtime';
import { Observable, lastValueFrom } from 'rxjs';

const inflight = new Map<string, AbortController>();

function withParams(url: string, params?: BackendSrvRequest['params']): string {
  if (!params || typeof params !== 'object') return url;
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params as Record<string, unknown>)) {
    if (v === undefined || v === null) continue;
    for (const one of Array.isArray(v) ? v : [v]) q.append(k, String(one));
  }
  const s = q.toString();
  return s ? `${url}${url.includes('?') ? '&' : '?'}${s}` : url;
}

export const backendSrv = {
  fetch<T>(options: BackendSrvRequest): Observable<FetchResponse<T>> {
    return new Observable<FetchResponse<T>>((sub) => {
      const ctrl = new AbortController();
      if (options.requestId) {
        inflight.get(options.requestId)?.abort();
        inflight.set(options.requestId, ctrl);
      }
      const headers: Record<string, string> = { ...(options.headers ?? {}) };
      let body: BodyInit | undefined;
      if (options.data !== undefined) {
        body = typeof options.data === 'string' ? options.data : JSON.stringify(options.data);
        headers['content-type'] ??= 'application/json';
      }
      fetch(withParams(options.url, options.params), {
        method: options.method ?? 'GET',
        headers,
        body,
        signal: ctrl.signal,
      })
        .then(async (res) => {
          const text = await res.text();
          let data: unknown = text;
          try {
            data = text ? JSON.parse(text) : text;
          } catch {
            /* not JSON: the text itself, as Grafana gives it */
          }
          if (!res.ok) {
            sub.error({ status: res.status, statusText: res.statusText, data, config: options });
            return;
          }
          sub.next({
            data: data as T,
            status: res.status,
            statusText: res.statusText,
            ok: true,
            headers: res.headers,
            url: res.url,
            type: res.type,
            redirected: res.redirected,
            config: options,
          });
          sub.complete();
        })
        .catch((err: unknown) => {
          if (ctrl.signal.aborted)
            sub.error({
              status: -1,
              statusText: 'Request was aborted',
              data: {},
              cancelled: true,
              config: options,
            });
          else sub.error({ status: 0, statusText: String(err), data: {}, config: options });
        })
        .finally(() => {
          if (options.requestId && inflight.get(options.requestId) === ctrl)
            inflight.delete(options.requestId);
        });
      return () => ctrl.abort();
    });
  },
  request<T>(options: BackendSrvRequest): Promise<T> {
    return lastValueFrom(this.fetch<T>(options)).then((r) => r.data);
  },
  get<T>(url: string, params?: BackendSrvRequest['params']): Promise<T> {
    return this.request<T>({ url, params });
  },
  delete<T>(url: string): Promise<T> {
    return this.request<T>({ url, method: 'DELETE' });
  },
  post<T>(url: string, data?: unknown): Promise<T> {
    return this.request<T>({ url, method: 'POST', data });
  },
  put<T>(url: string, data?: unknown): Promise<T> {
    return this.request<T>({ url, method: 'PUT', data });
  },
  patch<T>(url: string, data?: unknown): Promise<T> {
    return this.request<T>({ url, method: 'PATCH', data });
  },
  datasourceRequest<T>(options: BackendSrvRequest): Promise<FetchResponse<T>> {
    return lastValueFrom(this.fetch<T>(options));
  },
} as unknown as BackendSrv;

/** A dashboard variable of the host: a current value (or several) and its options. */
export interface HostVariable {
  name: string;
  value: string | string[];
  multi?: boolean;
  includeAll?: boolean;
}

type Format = string | ((value: unknown, variable?: unknown) => string) | undefined;

/** Grafana's variable syntaxes: $name, ${name}, ${name:format}, [[name]]. */
const VARIABLE = /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\${(\w+)(?:\.[^:^}]+)?(?::([^}]+))?}/g;

export class HostTemplateSrv implements TemplateSrv {
  variables: HostVariable[] = [];

  getVariables(): TypedVariableModel[] {
    return this.variables.map(
      (v) =>
        ({
          name: v.name,
          type: 'custom',
          multi: !!v.multi,
          includeAll: !!v.includeAll,
          current: { text: v.value, value: v.value },
          options: [],
        }) as unknown as TypedVariableModel,
    );
  }

  private apply(value: string | string[], v: HostVariable | undefined, format: Format): string {
    if (typeof format === 'function')
      return format(value, v && this.getVariables().find((x) => x.name === v.name));
    if (Array.isArray(value))
      return format === 'csv' ? value.join(',') : value.length === 1 ? value[0]! : `{${value.join(',')}}`;
    return value;
  }

  replace(target?: string, scopedVars?: ScopedVars, format?: Format): string {
    if (!target) return target ?? '';
    return target.replace(VARIABLE, (match, a, b, bFmt, c, cFmt) => {
      const name = a ?? b ?? c;
      const scoped = scopedVars?.[name];
      if (scoped) return this.apply(String(scoped.value), undefined, format);
      const v = this.variables.find((x) => x.name === name);
      if (!v) return match;
      return this.apply(v.value, v, (bFmt ?? cFmt) || format);
    });
  }

  containsTemplate(target?: string): boolean {
    return (
      !!target &&
      [...target.matchAll(VARIABLE)].some((m) =>
        this.variables.some((v) => v.name === (m[1] ?? m[2] ?? m[4])),
      )
    );
  }

  updateTimeRange(): void {}
}

/** Data sources the host knows: their saved settings, instantiated from the loaded plugin module. */
export class HostDataSourceSrv implements DataSourceSrv {
  settings = new Map<string, DataSourceInstanceSettings>();
  instances = new Map<string, DataSourceApi>();
  create?: (s: DataSourceInstanceSettings) => DataSourceApi;

  private find(ref?: unknown): DataSourceInstanceSettings | undefined {
    const key = typeof ref === 'string' ? ref : (ref as { uid?: string } | null | undefined)?.uid;
    if (!key) return undefined;
    return this.settings.get(key) ?? [...this.settings.values()].find((s) => s.name === key);
  }

  async get(ref?: unknown): Promise<DataSourceApi> {
    const s = this.find(ref);
    if (!s) throw new Error(`data source ${JSON.stringify(ref)} not found`);
    let ds = this.instances.get(s.uid);
    if (!ds) {
      if (!this.create || s.type !== 'otelrum-rum-datasource')
        throw new Error(`no plugin loaded for ${s.type}`);
      ds = this.create(s);
      this.instances.set(s.uid, ds);
    }
    return ds;
  }

  getList(
    filters: {
      tracing?: boolean;
      type?: string | string[];
      filter?: (s: DataSourceInstanceSettings) => boolean;
    } = {},
  ): DataSourceInstanceSettings[] {
    return [...this.settings.values()].filter(
      (s) =>
        (!filters.tracing || s.meta.tracing) &&
        (!filters.type || [filters.type].flat().includes(s.type)) &&
        (!filters.filter || filters.filter(s)),
    );
  }

  getInstanceSettings(ref?: unknown): DataSourceInstanceSettings | undefined {
    return this.find(ref);
  }

  async reload(): Promise<void> {
    this.instances.clear();
  }

  registerRuntimeDataSource(): void {}
}
