import { randomBytes } from 'node:crypto';
import { DEFAULT_CONFIG, type ServerConfig } from '../../server/src/config';
import { startServer, type RunningServer } from '../../server/src/app';
import { createLogger, type Logger } from '../../server/src/log';

/** An application a test registers: an id, or the fields of POST /api/v1/apps. */
export type TestApp = string | ({ appId: string } & Record<string, unknown>);

export interface TestServerOptions extends Partial<ServerConfig> {
  /** Registered through the real API before the server is handed out; by default they allow any origin. */
  apps?: TestApp[];
  /** Where the server logs; by default errors only, to stdout. */
  log?: Logger;
}

export interface TestServer extends RunningServer {
  /** An admin token of this server, sent by getJson and apiFetch. */
  token: string;
}

/** Admin token of each running test server, by URL, so that getJson(base, path) can authenticate. */
const tokens = new Map<string, string>();

/**
 * The real server, in this process, on a free loopback port with an in-memory DuckDB, an admin token
 * of its own, and the given applications registered.
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const { apps = [], log = createLogger('error'), ...overrides } = options;
  const token = overrides.adminToken || `rum_test_${randomBytes(16).toString('hex')}`;
  const server = await startServer(
    { ...DEFAULT_CONFIG, host: '127.0.0.1', port: 0, dbPath: ':memory:', adminToken: token, ...overrides },
    log,
  );
  tokens.set(server.url, token);
  const close = server.close;
  const test: TestServer = Object.assign(server, {
    token,
    close: async () => {
      tokens.delete(server.url);
      await close();
    },
  });
  for (const app of apps) await registerApp(test.url, app);
  return test;
}

/** Registers an application through POST /api/v1/apps (type web, any origin allowed, unless given). */
export async function registerApp(base: string, app: TestApp): Promise<void> {
  const fields = typeof app === 'string' ? { appId: app } : app;
  const res = await apiFetch(base, '/api/v1/apps', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: fields.appId, type: 'web', allowedOrigins: ['*'], ...fields }),
  });
  if (res.status !== 201)
    throw new Error(`registering ${fields.appId} answered ${res.status}: ${await res.text()}`);
}

/** fetch against the server's API with its admin token. */
export function apiFetch(base: string, path: string, init: RequestInit = {}): Promise<Response> {
  const token = tokens.get(base);
  const headers = new Headers(init.headers);
  if (token && !headers.has('authorization')) headers.set('authorization', `Bearer ${token}`);
  return fetch(base + path, { ...init, headers });
}

/** GETs a JSON document from the server's API (with its admin token), failing with the server's reason when not 200. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- API answers are checked field by field in tests
export async function getJson<T = any>(base: string, path: string): Promise<T> {
  const res = await apiFetch(base, path);
  const body = await res.text();
  if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${body}`);
  return JSON.parse(body) as T;
}

/** Polls until `check` returns a value that is not undefined, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > until)
      throw new Error(`condition not met in ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
