import type { Router } from '../http/router';
import type { WriteQueue } from '../ingest/write-queue';
import type { Logger } from '../log';
import { MetricsEngine } from './engine';
import type { MetricStorage } from './metric-tables';
import { addMetricsRoutes } from './routes';

export { MetricsEngine } from './engine';
export { MetricTables, type MetricStorage } from './metric-tables';

/** Starts evaluating generated metric rules on committed data and serves their routes and /metrics. */
export async function startMetrics(
  storage: MetricStorage,
  queue: WriteQueue,
  router: Router,
  log: Logger,
): Promise<MetricsEngine> {
  const engine = await MetricsEngine.start(storage, log);
  queue.onCommit((batch) => engine.onCommit(batch));
  addMetricsRoutes(router, engine);
  return engine;
}
