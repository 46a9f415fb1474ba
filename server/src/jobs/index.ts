import type { DuckDBConnection } from '@duckdb/node-api';
import type { Router } from '../http/router';
import type { WriteQueue } from '../ingest/write-queue';
import type { Logger } from '../log';
import { RetentionJob } from './retention';
import { addJobRoutes } from './routes';
import { UsageJob } from './usage';

export interface ServerJobs {
  retention: RetentionJob;
  usage: UsageJob;
  close(): Promise<void>;
}

/** Starts the retention and usage jobs on connections of their own and serves their routes. */
export async function startJobs(
  connect: () => Promise<DuckDBConnection>,
  withSummariesFolded: <T>(work: () => Promise<T>) => Promise<T>,
  queue: WriteQueue,
  router: Router,
  log: Logger,
): Promise<ServerJobs> {
  const retention = new RetentionJob(connect, withSummariesFolded, log);
  const usage = new UsageJob(connect, log);
  await usage.start();
  queue.onCommit((batch) => usage.onCommit(batch));
  retention.schedule();
  addJobRoutes(router, usage, retention);
  return {
    retention,
    usage,
    close: async () => {
      await retention.close();
      await usage.close();
    },
  };
}
