import { APP_ID_PATTERN } from '@otel-rum/model';
import { HttpError } from '../http/http-error';
import { onlyParams, timeRange } from '../http/query-params';
import { sendJson, type Router } from '../http/router';
import type { RetentionJob } from './retention';
import type { UsageDay } from './usage';

/** Days of usage returned when the query names no `from`. */
export const DEFAULT_USAGE_SPAN_DAYS = 30;
/** Longest range of one usage query, in days. */
export const MAX_USAGE_SPAN_DAYS = 400;

/** Daily usage as a store keeps it (UsageJob on DuckDB, a materialized view on ClickHouse). */
export interface UsageReader {
  /** Daily rows of the days that overlap [fromMs, toMs), of one application or all, oldest first. */
  read(fromMs: number, toMs: number, appId: string | null): Promise<UsageDay[]>;
  /** Brings the rows up to date with what was written; resolves to the days recounted. */
  refresh(): Promise<number>;
}

/** GET /api/v1/usage (daily rows) and POST /api/v1/retention/run (apply retention now). */
export function addJobRoutes(router: Router, usage: UsageReader, retention: RetentionJob): void {
  router.add('GET', '/api/v1/usage', async ({ res, url }) => {
    onlyParams(url, ['app_id', 'from', 'to']);
    const appId = url.searchParams.get('app_id') || null;
    if (appId !== null && !APP_ID_PATTERN.test(appId))
      throw new HttpError(400, 'query parameter app_id is not an application id');
    const { fromMs, toMs } = timeRange(url, DEFAULT_USAGE_SPAN_DAYS * 86_400_000);
    if (toMs - fromMs > MAX_USAGE_SPAN_DAYS * 86_400_000)
      throw new HttpError(400, `from..to spans more than ${MAX_USAGE_SPAN_DAYS} days (MAX_USAGE_SPAN_DAYS)`);
    sendJson(res, 200, {
      from: new Date(fromMs).toISOString(),
      to: new Date(toMs).toISOString(),
      items: await usage.read(fromMs, toMs, appId),
    });
  });
  router.add('POST', '/api/v1/retention/run', async ({ res }) => {
    sendJson(res, 200, await retention.runOnce());
  });
}
