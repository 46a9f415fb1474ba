import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { addApiRoutes } from './api/routes';
import type { ServerConfig } from './config';
import { addDemoRoutes } from './demo/routes';
import { HttpError } from './http/http-error';
import { FilterError } from './query/filter';
import { Router, sendJson } from './http/router';
import { addIngestRoutes } from './ingest/routes';
import { WriteQueue } from './ingest/write-queue';
import type { Logger } from './log';
import { DuckDbStore } from './store/duckdb/duckdb-store';
import type { RumStore } from './store/store';

export interface RunningServer {
  url: string;
  store: RumStore;
  close(): Promise<void>;
}

function corsHeaders(req: IncomingMessage, origins: string[]): Record<string, string> {
  const origin = req.headers.origin;
  if (!origin) return {};
  if (!origins.includes('*') && !origins.includes(origin)) return {};
  return {
    'Access-Control-Allow-Origin': origin,
    Vary: 'Origin',
    'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
    'Access-Control-Allow-Headers': 'Content-Type, Content-Encoding, Authorization, traceparent, tracestate',
    'Access-Control-Max-Age': '600',
  };
}

/** Opens the store and serves ingest, health, the API and the demo on one port. */
export async function startServer(config: ServerConfig, log: Logger): Promise<RunningServer> {
  const store = await DuckDbStore.open(config.dbPath);
  const queue = new WriteQueue(store);
  const router = new Router();
  router.add('GET', '/healthz', ({ res }) => sendJson(res, 200, { status: 'ok' }));
  router.add('GET', '/readyz', async ({ res }) => {
    await store.ready();
    sendJson(res, 200, { status: 'ready', writeQueueRows: queue.depth });
  });
  addIngestRoutes(
    router,
    queue,
    { maxBodyBytes: config.maxBodyBytes, maxDecompressedBytes: config.maxDecompressedBytes },
    log,
  );
  addApiRoutes(router, store);
  if (config.demo) addDemoRoutes(router);

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const cors = corsHeaders(req, config.corsOrigins);
    for (const [k, v] of Object.entries(cors)) res.setHeader(k, v);
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'OPTIONS') {
      if (req.headers.origin && !cors['Access-Control-Allow-Origin']) {
        sendJson(res, 403, { error: `origin ${req.headers.origin} is not allowed` });
      } else {
        res.writeHead(204).end();
      }
      return;
    }
    try {
      const m = router.match(req.method ?? 'GET', url.pathname);
      if (m === null) throw new HttpError(404, `no route for ${url.pathname}`);
      if (m === 'method') throw new HttpError(405, `${req.method} is not allowed on ${url.pathname}`);
      await m.handler({ req, res, url, params: m.params });
    } catch (e) {
      if (e instanceof FilterError) {
        sendJson(res, 400, { error: `filter: ${e.message}` });
      } else if (e instanceof HttpError) {
        if (e.status >= 500)
          log.warn('request refused', { path: url.pathname, status: e.status, reason: e.message });
        if (!res.headersSent) sendJson(res, e.status, { error: e.message }, e.headers);
      } else {
        log.error('request failed', { path: url.pathname, error: (e as Error).stack ?? String(e) });
        if (!res.headersSent) sendJson(res, 500, { error: 'internal error: see the server log' });
      }
    }
  };
  const server: Server = createServer((req, res) => void handle(req, res));
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, resolve);
  });
  const addr = server.address() as AddressInfo;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  return {
    url: `http://${host}:${addr.port}`,
    store,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await store.close();
    },
  };
}
