import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, BlockList } from 'node:net';
import { addApiRoutes } from './api/routes';
import type { ServerConfig } from './config';
import { addDemoRoutes } from './demo/routes';
import { parseProxyList } from './http/client-address';
import { HttpError } from './http/http-error';
import { FilterError } from './query/filter';
import { Router, sendJson } from './http/router';
import { addIngestRoutes } from './ingest/routes';
import { WriteQueue } from './ingest/write-queue';
import { IdempotencyKeys } from './ingest/idempotency';
import type { Logger } from './log';
import { DuckDbStore } from './store/duckdb/duckdb-store';
import type { RumStore } from './store/store';
import { ClientExecutor } from './store/clickhouse/executor';
import { ClickHouseStore } from './store/clickhouse/clickhouse-store';
import type { ApplicationRepository } from './apps/repository';
import type { TokenRepository } from './auth/repository';
import { REPLICA_STATE_REFRESH_MS } from '@otel-rum/model';
import { corsHeaders } from './apps/cors';
import { ensureDemoApp } from './apps/demo';
import { DuckDbApplicationRepository } from './apps/duckdb-repository';
import { AppRegistry } from './apps/registry';
import { addApplicationRoutes } from './apps/routes';
import { addSdkRoutes } from './apps/snippet/sdk-files';
import { bootstrapAdminToken, type AdminTokenNotice } from './auth/bootstrap';
import { DuckDbTokenRepository } from './auth/duckdb-repository';
import { authenticate, requiredRole } from './auth/guard';
import { TokenRegistry } from './auth/registry';
import { addTokenRoutes } from './auth/routes';
import { IngestRateLimits } from './ratelimit/ingest-limits';
import { MetricTables, startMetrics, type MetricsEngine } from './metrics';
import { addJourneyRoutes } from './journeys/routes';
import { JourneyStore } from './journeys/journey-store';
import { serveJobs, startJobs, type ServerJobs } from './jobs';
import { addReplayRoutes } from './replay/routes';
import { DuckDbErasure, Erasure } from './privacy/erasure';
import { addErasureRoutes } from './privacy/routes';

export interface RunningServer {
  url: string;
  /** The URL SDKs are told to send to (config publicUrl, else `url`). */
  publicUrl: string;
  store: RumStore;
  apps: AppRegistry;
  tokens: TokenRegistry;
  /** How to administer this server: printed at start-up by main.ts. */
  adminToken: AdminTokenNotice;
  /** Generated metric rules, evaluated on committed data. */
  metrics: MetricsEngine;
  /** Retention and usage; tests run them on demand. */
  jobs: ServerJobs;
  close(): Promise<void>;
}

/** Opens the store and serves ingest, health, the API and the demo on one port. */
export async function startServer(config: ServerConfig, log: Logger): Promise<RunningServer> {
  const backend = await openBackend(config, log);
  const { store, duck } = backend;
  const apps = await AppRegistry.open(backend.apps);
  const tokens = await TokenRegistry.open(backend.tokens);
  const adminToken = await bootstrapAdminToken(tokens, config);
  if (config.demo) await ensureDemoApp(apps);
  const rateLimits = new IngestRateLimits(apps, config.backendEventsPerSecond);
  let publicUrl = config.publicUrl.replace(/\/+$/, '');
  const queue = new WriteQueue(store);
  const idempotency = new IdempotencyKeys(store);
  await idempotency.load();
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
    { apps, rateLimits, globalOrigins: config.corsOrigins, trustedProxies: proxyList(config.trustedProxies) },
    idempotency,
  );
  addApiRoutes(router, store);
  addApplicationRoutes(router, apps, { publicUrl: () => publicUrl });
  addTokenRoutes(router, tokens);
  addSdkRoutes(router);
  const metrics = await startMetrics(
    duck ? new MetricTables(await duck.connect()) : backend.clickhouse!.metricTables(),
    queue,
    router,
    log,
  );
  addJourneyRoutes(router, duck ? new JourneyStore(() => duck.connect()) : backend.clickhouse!.journeys());
  // Replicas sharing one ClickHouse: what another replica changed is in force here within the bound.
  // A reload still under way (a slow ClickHouse) is not started again on top of itself.
  let reloading = false;
  const refresh = duck
    ? null
    : setInterval(() => {
        if (reloading) return;
        reloading = true;
        Promise.all([apps.refresh(), tokens.refresh(), metrics.refresh()])
          .catch((e: Error) =>
            log.warn('reloading applications, tokens and generated metric rules failed', {
              error: e.message,
            }),
          )
          .finally(() => (reloading = false));
      }, REPLICA_STATE_REFRESH_MS).unref();
  addReplayRoutes(router, store);
  const jobs = duck
    ? await startJobs(
        () => duck.connect(),
        (work) => duck.withSummariesFolded(work),
        queue,
        router,
        log,
        (work) => duck.withRollupsHeld(work),
      )
    : serveJobs(backend.clickhouse!.retention(), backend.clickhouse!.usage(), router, log);
  addErasureRoutes(
    router,
    new Erasure(
      duck
        ? new DuckDbErasure(
            () => duck.connect(),
            (work) => duck.withSummariesFolded(work),
            (work) => duck.withRollupsHeld(work),
          )
        : backend.clickhouse!.erasure(),
      log,
    ),
    tokens,
  );
  if (config.demo) addDemoRoutes(router);

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const cors = corsHeaders(req, url.pathname, apps, config.corsOrigins);
    for (const [k, v] of Object.entries(cors)) res.setHeader(k, v);
    if (req.method === 'OPTIONS') {
      if (req.headers.origin && !cors['Access-Control-Allow-Origin']) {
        sendJson(res, 403, {
          error: `origin ${req.headers.origin} is not allowed: add it to the allowedOrigins of the application that sends from it`,
        });
      } else {
        res.writeHead(204).end();
      }
      return;
    }
    try {
      const role = requiredRole(req.method ?? 'GET', url.pathname);
      if (role) authenticate(req, tokens, role);
      const m = router.match(req.method ?? 'GET', url.pathname);
      if (m === null) throw new HttpError(404, `no route for ${url.pathname}`);
      if (m === 'method') throw new HttpError(405, `${req.method} is not allowed on ${url.pathname}`);
      await m.handler({ req, res, url, params: m.params });
    } catch (e) {
      if (e instanceof FilterError) {
        sendJson(res, 400, { error: `filter: ${e.message}` });
      } else if (e instanceof HttpError) {
        if (e.status >= 500)
          log.warn('request refused', {
            path: url.pathname,
            status: e.status,
            reason: e.message,
            ...(e.cause instanceof Error ? { cause: e.cause.stack ?? e.cause.message } : {}),
          });
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
  const url = `http://${host}:${addr.port}`;
  publicUrl ||= url;
  return {
    url,
    publicUrl,
    store,
    apps,
    tokens,
    adminToken,
    metrics,
    jobs,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      if (refresh) clearInterval(refresh);
      idempotency.stop();
      await jobs.close();
      await metrics.close();
      await backend.close();
    },
  };
}

interface Backend {
  store: RumStore;
  apps: ApplicationRepository;
  tokens: TokenRepository;
  /** The DuckDB store, when it is the one. */
  duck: DuckDbStore | null;
  /** The ClickHouse store, when it is the one. */
  clickhouse: ClickHouseStore | null;
  close(): Promise<void>;
}

/** The store the configuration names, and where applications and tokens are kept beside it. */
async function openBackend(config: ServerConfig, log: Logger): Promise<Backend> {
  if (config.store === 'clickhouse') {
    const executor = new ClientExecutor({
      url: config.clickhouseUrl,
      username: config.clickhouseUser,
      password: config.clickhousePassword,
      database: config.clickhouseDatabase,
    });
    let store: ClickHouseStore;
    try {
      store = await ClickHouseStore.open(executor, {
        database: config.clickhouseDatabase,
        ...(config.clickhouseCluster ? { cluster: config.clickhouseCluster } : {}),
      });
    } catch (e) {
      await executor.close();
      throw new Error(`ClickHouse at ${config.clickhouseUrl} (RUM_CLICKHOUSE_URL): ${(e as Error).message}`);
    }
    return {
      store,
      apps: store.applications(),
      tokens: store.tokens(),
      duck: null,
      clickhouse: store,
      close: () => store.close(),
    };
  }
  const store = await DuckDbStore.open(config.dbPath, {
    checkpointMib: config.checkpointMib,
    memoryMib: config.duckdbMemoryMib,
    onRollupError: (e) => log.warn('rollup job failed', { reason: e.message }),
  });
  const appsConn = await store.connect();
  const tokensConn = await store.connect();
  return {
    store,
    apps: new DuckDbApplicationRepository(appsConn),
    tokens: new DuckDbTokenRepository(tokensConn),
    duck: store,
    clickhouse: null,
    close: async () => {
      appsConn.closeSync();
      tokensConn.closeSync();
      await store.close();
    },
  };
}

function proxyList(networks: readonly string[]): BlockList {
  const list = parseProxyList(networks);
  if ('error' in list) throw new Error(`trustedProxies: ${list.error}`);
  return list;
}
