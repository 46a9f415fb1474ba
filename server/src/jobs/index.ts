import type { DuckDBConnection } from '@duckdb/node-api';
import type { Router } from '../http/router';
import type { WriteQueue } from '../ingest/write-queue';
import type { Logger } from '../log';
import { DuckDbRetention, RetentionJob, type RetentionTarget } from './retention';
import { addJobRoutes, type UsageReader } from './routes';
import { UsageJob } from './usage';
import type { WithRollupsHeld } from '../store/duckdb/rollups';

export interface ServerJobs {
  retention: RetentionJob;
  usage: UsageReader;
  close(): Promise<void>;
}

/** Starts the retention and usage jobs of the DuckDB store on connections of their own and serves their routes. */
export async function startJobs(
  connect: () => Promise<DuckDBConnection>,
  withSummariesFolded: <T>(work: () => Promise<T>) => Promise<T>,
  queue: WriteQueue,
  router: Router,
  log: Logger,
  withRollupsHeld?: WithRollupsHeld,
): Promise<ServerJobs> {
  const usage = new UsageJob(connect, log);
  await usage.start();
  queue.onCommit((batch) => usage.onCommit(batch));
  return serveJobs(new DuckDbRetention(connect, withSummariesFolded, withRollupsHeld), usage, router, log);
}

/**
 * Schedules retention on `target` and serves the retention and usage routes; for a store whose usage
 * needs no job of the server's (ClickHouse keeps it by materialized view).
 */
export function serveJobs(
  target: RetentionTarget,
  usage: UsageReader & { close?(): Promise<void> },
  router: Router,
  log: Logger,
): ServerJobs {
  const retention = new RetentionJob(target, log);
  retention.schedule();
  addJobRoutes(router, usage, retention);
  return {
    retention,
    usage,
    close: async () => {
      await retention.close();
      await usage.close?.();
    },
  };
}
