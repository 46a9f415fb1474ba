/*
 * The server side of the Grafana host: serves the host page and bundle, the built plugins at
 * public/plugins/<id>/ as Grafana does, data source settings (secrets kept here, only their names
 * sent to the browser), and Grafana's data proxy: /api/datasources/proxy/uid/<uid>/<route>/... goes
 * to the route's URL with its headers, both filled from the saved jsonData and secureJsonData, with
 * the data source's TLS settings, and failures answered as Grafana's proxy answers them.
 *
 * App plugins: their settings (/api/plugins/<id>/settings, secrets kept here as for data sources) and
 * their own proxy routes (/api/plugin-proxy/<app id>/<route path>/...): the first route of plugin.json
 * whose method and path match, as Grafana's app proxy picks it, gated by the route's reqAction against
 * the plugin's roles (plugin.json `roles` granted to the host user's basic role, Viewer < Editor <
 * Admin) and answered 403 "plugin proxy route access denied" as Grafana does. Any GET under /a/ serves
 * the host page, so a reload of an app page keeps working. /api/search lists the dashboards given to
 * the host, matched on title as Grafana's search does.
 */
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { request as httpsRequest } from 'node:https';
import { readFileSync, readdirSync, existsSync, statSync, writeFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { hostBundle } from './bundle';

export interface SavedDataSource {
  uid: string;
  name: string;
  type: string;
  jsonData: Record<string, unknown>;
  secureJsonData?: Record<string, string>;
}

export interface ProxiedRequest {
  method: string;
  /** Path and query the browser asked the proxy for. */
  path: string;
  /** The URL the proxy sent it to, or null when it found no route. */
  target: string | null;
  /** Whether the browser went away before the answer was complete (a cancelled query). */
  aborted: boolean;
  status?: number;
}

export interface GrafanaHost {
  url: string;
  /** The basic role of the host's user as the server side checks it; the page reads it from ?role=. */
  setUserRole(role: BasicRole): void;
  /** An app plugin's settings, secrets included. */
  pluginSettings(id: string): SavedPluginSettings | undefined;
  /** Every request the data proxy received, in order. */
  proxied: ProxiedRequest[];
  /** What the settings store holds, secrets included (what Grafana's database would). */
  saved(uid: string): SavedDataSource | undefined;
  close(): Promise<void>;
}

interface PluginRoute {
  path: string;
  url?: string;
  method?: string;
  reqAction?: string;
  reqRole?: BasicRole;
  headers?: Array<{ name: string; content: string }>;
}

export type BasicRole = 'Viewer' | 'Editor' | 'Admin';
const ROLE_RANK: Record<BasicRole, number> = { Viewer: 0, Editor: 1, Admin: 2 };

/** An app plugin's saved settings, as Grafana's plugin settings API keeps them. */
export interface SavedPluginSettings {
  enabled: boolean;
  pinned: boolean;
  jsonData: Record<string, unknown>;
  secureJsonData?: Record<string, string>;
}

interface PluginRole {
  role: { name: string; permissions: Array<{ action: string }> };
  grants: string[];
}

/** Grafana's timeout of a proxied request (dataproxy.timeout), seconds. */
const PROXY_TIMEOUT_S = 30;

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.css': 'text/css',
  '.map': 'application/json',
  '.md': 'text/markdown',
  '.html': 'text/html; charset=utf-8',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
};

/** Plugin id → folder, for the app at distDir and every nested plugin below it. */
function pluginFolders(distDirs: string[]): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (dir: string) => {
    const pj = join(dir, 'plugin.json');
    if (existsSync(pj)) found.set(JSON.parse(readFileSync(pj, 'utf8')).id, dir);
    for (const d of readdirSync(dir, { withFileTypes: true })) if (d.isDirectory()) walk(join(dir, d.name));
  };
  for (const d of distDirs) walk(resolve(d));
  return found;
}

/** Go template fields as Grafana's route templates use them; a missing key prints <no value>, as Go does. */
export function interpolateRoute(
  text: string,
  ds: Pick<SavedDataSource, 'jsonData' | 'secureJsonData'>,
): string {
  return text.replace(/{{\s*\.(JsonData|SecureJsonData)\.(\w+)\s*}}/g, (_, where: string, key: string) => {
    const source = where === 'JsonData' ? ds.jsonData : (ds.secureJsonData ?? {});
    const v = source[key];
    return v === undefined || v === null ? '<no value>' : String(v);
  });
}

function send(res: ServerResponse, status: number, body: unknown, type = 'application/json') {
  res.writeHead(status, { 'content-type': type });
  res.end(typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** What the browser may see of saved settings: secrets replaced by secureJsonFields. */
function publicView(ds: SavedDataSource, id: number) {
  const { secureJsonData, ...rest } = ds;
  const secureJsonFields = Object.fromEntries(
    Object.entries(secureJsonData ?? {})
      .filter(([, v]) => v !== '')
      .map(([k]) => [k, true]),
  );
  return { id, orgId: 1, access: 'proxy', url: '', readOnly: false, ...rest, secureJsonFields };
}

export async function startGrafanaHost(options: {
  pluginDist: string[];
  dataSources: SavedDataSource[];
  /** JSON file the settings are saved to, as Grafana's database would keep them. */
  settingsFile: string;
  /** App plugin settings by plugin id; an app without any is enabled with empty settings. */
  pluginSettings?: Record<string, SavedPluginSettings>;
  /** Dashboards of the instance, as Grafana's search API lists them (/api/search). */
  dashboards?: Array<{ uid: string; title: string; tags?: string[]; folderTitle?: string }>;
}): Promise<GrafanaHost> {
  const plugins = pluginFolders(options.pluginDist);
  const appSettings = new Map(Object.entries(options.pluginSettings ?? {}));
  let userRole: BasicRole = 'Admin';
  writeFileSync(options.settingsFile, JSON.stringify(options.dataSources, null, 2));
  const load = (): SavedDataSource[] => JSON.parse(readFileSync(options.settingsFile, 'utf8'));
  const store = (list: SavedDataSource[]) =>
    writeFileSync(options.settingsFile, JSON.stringify(list, null, 2));
  const bundle = await hostBundle();
  const iconsDir = join(require.resolve('@grafana/ui/package.json'), '..', 'dist', 'public', 'img', 'icons');
  const proxied: ProxiedRequest[] = [];

  const pluginJson = (id: string): Record<string, unknown> | undefined => {
    const dir = plugins.get(id);
    return dir ? JSON.parse(readFileSync(join(dir, 'plugin.json'), 'utf8')) : undefined;
  };
  const routesOf = (type: string): PluginRoute[] => (pluginJson(type)?.routes ?? []) as PluginRoute[];

  /** Whether the host user may use a route: its reqAction granted by a plugin role, or its reqRole. */
  const allowed = (pluginId: string, route: PluginRoute): boolean => {
    if (route.reqRole && ROLE_RANK[userRole] < ROLE_RANK[route.reqRole]) return false;
    if (!route.reqAction) return true;
    const roles = (pluginJson(pluginId)?.roles ?? []) as PluginRole[];
    return roles.some(
      (r) =>
        r.role.permissions.some((p) => p.action === route.reqAction) &&
        r.grants.some((g) => g in ROLE_RANK && ROLE_RANK[userRole] >= ROLE_RANK[g as BasicRole]),
    );
  };

  /** An app's own proxy: the first route (plugin.json order) whose method and path match. */
  function appProxy(req: IncomingMessage, res: ServerResponse, appId: string, rest: string, search: string) {
    const entry: ProxiedRequest = {
      method: req.method ?? 'GET',
      path: `/${rest}${search}`,
      target: null,
      aborted: false,
    };
    proxied.push(entry);
    const settings = appSettings.get(appId);
    if (!plugins.has(appId) || !settings?.enabled) return send(res, 404, { message: 'Plugin not found' });
    const route = routesOf(appId).find(
      (r) =>
        (!r.method || r.method === '*' || r.method === req.method) &&
        (rest === r.path || rest.startsWith(`${r.path}/`)),
    );
    if (!route?.url) return send(res, 404, { message: 'Plugin route not found' });
    if (!allowed(appId, route)) {
      entry.status = 403;
      return send(res, 403, { message: 'plugin proxy route access denied' });
    }
    forward(req, res, entry, route, settings, rest, search);
  }

  function proxy(req: IncomingMessage, res: ServerResponse, uid: string, rest: string, search: string) {
    const entry: ProxiedRequest = {
      method: req.method ?? 'GET',
      path: `/${rest}${search}`,
      target: null,
      aborted: false,
    };
    proxied.push(entry);
    const ds = load().find((d) => d.uid === uid);
    if (!ds) return send(res, 404, { message: 'Data source not found' });
    // The longest route path that prefixes the request's path wins, as in Grafana.
    const route = routesOf(ds.type)
      .filter((r) => rest === r.path || rest.startsWith(`${r.path}/`))
      .filter((r) => !r.method || r.method === '*' || r.method === req.method)
      .sort((a, b) => b.path.length - a.path.length)[0];
    if (!route?.url) return send(res, 502, '', 'text/plain');
    forward(req, res, entry, route, ds, rest, search);
  }

  /** Sends a proxied request to the route's URL with its headers, both filled from the settings. */
  function forward(
    req: IncomingMessage,
    res: ServerResponse,
    entry: ProxiedRequest,
    route: PluginRoute,
    ds: Pick<SavedDataSource, 'jsonData' | 'secureJsonData'>,
    rest: string,
    search: string,
  ) {
    let target: URL;
    try {
      const base = interpolateRoute(route.url!, ds).replace(/\/+$/, '');
      target = new URL(`${base}${rest.slice(route.path.length)}${search}`);
    } catch {
      // An unparseable URL fails in Grafana's director; its error handler answers 502.
      entry.status = 502;
      return send(res, 502, '', 'text/plain');
    }
    entry.target = target.toString();
    const headers: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      // Grafana drops the browser's cookies, origin and referer, and its own auth headers.
      if (
        v === undefined ||
        ['host', 'cookie', 'origin', 'referer', 'authorization', 'connection'].includes(k)
      )
        continue;
      headers[k] = v;
    }
    for (const h of route.headers ?? []) headers[h.name.toLowerCase()] = interpolateRoute(h.content, ds);
    const tls = target.protocol === 'https:';
    const secure = ds.secureJsonData ?? {};
    const upstream = (tls ? httpsRequest : httpRequest)(target, {
      method: req.method,
      headers,
      timeout: PROXY_TIMEOUT_S * 1000,
      ...(tls
        ? {
            rejectUnauthorized: ds.jsonData.tlsSkipVerify !== true,
            ca: ds.jsonData.tlsAuthWithCACert && secure.tlsCACert ? secure.tlsCACert : undefined,
          }
        : {}),
    });
    res.on('close', () => {
      if (!res.writableFinished) {
        entry.aborted = true;
        upstream.destroy();
      }
    });
    upstream.on('timeout', () =>
      upstream.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })),
    );
    upstream.on('response', (up) => {
      entry.status = up.statusCode;
      const out = { ...up.headers };
      delete out['set-cookie'];
      res.writeHead(up.statusCode ?? 502, out);
      up.pipe(res);
    });
    upstream.on('error', (err: NodeJS.ErrnoException) => {
      if (res.headersSent) return res.destroy();
      // Grafana's proxy: 504 on a timeout, 502 with an empty body on any other failure (refused, TLS).
      entry.status = err.code === 'ETIMEDOUT' ? 504 : 502;
      res.writeHead(entry.status);
      res.end();
    });
    req.pipe(upstream);
  }

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://host');
    const p = url.pathname;
    try {
      if (p === '/' || p === '/index.html' || (req.method === 'GET' && p.startsWith('/a/'))) {
        return send(
          res,
          200,
          `<!doctype html><html><head><meta charset="utf-8"><title>Grafana host</title><link rel="stylesheet" href="/host/host.css"></head><body><div id="root"></div><script src="/host/host.js"></script></body></html>`,
          TYPES['.html'],
        );
      }
      if (p === '/host/host.js') return send(res, 200, bundle.js, TYPES['.js']);
      if (p === '/host/host.css') return send(res, 200, bundle.css, TYPES['.css']);
      const icon = /^\/public\/(?:build\/)?img\/icons\/(.+\.svg)$/.exec(p);
      if (icon) {
        const f = resolve(iconsDir, icon[1]!);
        if (f.startsWith(iconsDir) && existsSync(f)) return send(res, 200, readFileSync(f), TYPES['.svg']);
        return send(res, 404, '', 'text/plain');
      }
      const plugin = /^\/public\/plugins\/([^/]+)\/(.+)$/.exec(p);
      if (plugin) {
        const dir = plugins.get(plugin[1]!);
        const f = dir ? resolve(dir, plugin[2]!) : '';
        if (dir && f.startsWith(dir) && existsSync(f) && statSync(f).isFile())
          return send(res, 200, readFileSync(f), TYPES[extname(f)] ?? 'application/octet-stream');
        return send(res, 404, 'not found', 'text/plain');
      }
      if (p === '/api/search' && req.method === 'GET') {
        // Grafana's search: title contains the query (any case), dashboards only for type=dash-db.
        const q = (url.searchParams.get('query') ?? '').toLowerCase();
        const type = url.searchParams.get('type');
        const limit = Number(url.searchParams.get('limit') ?? 1000);
        if (type && type !== 'dash-db') return send(res, 200, []);
        return send(
          res,
          200,
          (options.dashboards ?? [])
            .filter((d) => d.title.toLowerCase().includes(q))
            .slice(0, limit)
            .map((d) => ({
              uid: d.uid,
              title: d.title,
              url: `/d/${d.uid}/${d.title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
              type: 'dash-db',
              tags: d.tags ?? [],
              folderTitle: d.folderTitle,
            })),
        );
      }
      const appProxyMatch = /^\/api\/plugin-proxy\/([^/]+)\/?(.*)$/.exec(p);
      if (appProxyMatch) return appProxy(req, res, appProxyMatch[1]!, appProxyMatch[2]!, url.search);
      const settingsMatch = /^\/api\/plugins\/([^/]+)\/settings$/.exec(p);
      if (settingsMatch) {
        const id = settingsMatch[1]!;
        const meta = pluginJson(id);
        if (!meta) return send(res, 404, { message: 'Plugin not found' });
        const current = appSettings.get(id) ?? { enabled: false, pinned: false, jsonData: {} };
        if (req.method === 'POST') {
          // Grafana: only Admins change plugin settings.
          if (userRole !== 'Admin') return send(res, 403, { message: 'Permission denied' });
          const body = JSON.parse((await readBody(req)).toString('utf8'));
          const secure = { ...(current.secureJsonData ?? {}) };
          for (const [k, v] of Object.entries((body.secureJsonData ?? {}) as Record<string, string>)) {
            if (v) secure[k] = v;
            else delete secure[k];
          }
          appSettings.set(id, {
            enabled: body.enabled ?? current.enabled,
            pinned: body.pinned ?? current.pinned,
            jsonData: body.jsonData ?? current.jsonData,
            secureJsonData: secure,
          });
          return send(res, 200, { message: 'Plugin settings updated' });
        }
        const secureJsonFields = Object.fromEntries(
          Object.keys(current.secureJsonData ?? {}).map((k) => [k, true]),
        );
        return send(res, 200, {
          ...meta,
          enabled: current.enabled,
          pinned: current.pinned,
          jsonData: current.jsonData,
          secureJsonFields,
          baseUrl: `public/plugins/${id}`,
          module: `public/plugins/${id}/module`,
        });
      }
      const proxyMatch = /^\/api\/datasources\/proxy\/uid\/([^/]+)\/?(.*)$/.exec(p);
      if (proxyMatch) return proxy(req, res, proxyMatch[1]!, proxyMatch[2]!, url.search);
      if (p === '/api/datasources' && req.method === 'GET')
        return send(
          res,
          200,
          load().map((d, i) => publicView(d, i + 1)),
        );
      const dsMatch = /^\/api\/datasources\/uid\/([^/]+)$/.exec(p);
      if (dsMatch) {
        const list = load();
        const i = list.findIndex((d) => d.uid === dsMatch[1]);
        if (i < 0) return send(res, 404, { message: 'Data source not found' });
        if (req.method === 'GET') return send(res, 200, publicView(list[i]!, i + 1));
        if (req.method === 'PUT') {
          const body = JSON.parse((await readBody(req)).toString('utf8'));
          const current = list[i]!;
          // Secrets: a key sent replaces (an empty value, what a reset field sends, empties it); a key
          // not sent is kept, so saving other settings never needs the secret again.
          const secure = { ...(current.secureJsonData ?? {}) };
          for (const [k, v] of Object.entries((body.secureJsonData ?? {}) as Record<string, string>)) {
            if (v) secure[k] = v;
            else delete secure[k];
          }
          list[i] = {
            ...current,
            name: body.name ?? current.name,
            jsonData: body.jsonData ?? {},
            secureJsonData: secure,
          };
          store(list);
          return send(res, 200, { message: 'Datasource updated', datasource: publicView(list[i]!, i + 1) });
        }
      }
      send(res, 404, { message: `host: no route for ${req.method} ${p}` });
    } catch (e) {
      send(res, 500, { message: String(e) });
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    proxied,
    setUserRole: (role) => (userRole = role),
    pluginSettings: (id) => appSettings.get(id),
    saved: (uid) => load().find((d) => d.uid === uid),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
