import type { DuckDBConnection } from '@duckdb/node-api';
import type { Router } from '../http/router';
import type { WriteQueue } from '../ingest/write-queue';
import type { Logger } from '../log';
import { MetricsEngine } from './engine';
import { MetricTables } from './metric-tables';
import { addMetricsRoutes } from './routes';

export { MetricsEngine } from './engine';

/** Starts evaluating generated metric rules on committed data and serves their routes and /metrics. */
export async function startMetrics(
  connect: () => Promise<DuckDBConnection>,
  queue: WriteQueue,
  router: Router,
  log: Logger,
): Promise<MetricsEngine> {
  const engine = await MetricsEngine.start(new MetricTables(await connect()), log);
  queue.onCommit((batch) => engine.onCommit(batch));
  addMetricsRoutes(router, engine);
  return engine;
}
