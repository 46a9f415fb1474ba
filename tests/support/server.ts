import { DEFAULT_CONFIG, type ServerConfig } from '../../server/src/config';
import { startServer, type RunningServer } from '../../server/src/app';
import { createLogger } from '../../server/src/log';

/** The real server, in this process, on a free loopback port with an in-memory DuckDB. */
export async function startTestServer(overrides: Partial<ServerConfig> = {}): Promise<RunningServer> {
  return startServer(
    { ...DEFAULT_CONFIG, host: '127.0.0.1', port: 0, dbPath: ':memory:', ...overrides },
    createLogger('error'),
  );
}

/** GETs a JSON document from the server's API, failing with the server's reason when not 200. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- API answers are checked field by field in tests
export async function getJson<T = any>(base: string, path: string): Promise<T> {
  const res = await fetch(base + path);
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
