/*
 * Retention: deletes events, replay recordings, spans and OTLP metric points older than their application's window
 * (applications.retention_days), and generated metric buckets older than
 * GENERATED_METRIC_RETENTION_DAYS. Runs every RETENTION_JOB_INTERVAL_MS, and on demand.
 */
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { DEFAULT_RETENTION_DAYS, EVENT_KINDS } from '@otel-rum/model';
import { eventTable } from '../store/duckdb/event-tables';
import type { Logger } from '../log';
import { ROLLUP_HOUR_TABLES, type Refold, type WithRollupsHeld } from '../store/duckdb/rollups';

/** How often the retention job runs. */
export const RETENTION_JOB_INTERVAL_MS = 3_600_000;
/** Wait after start before the first run, so that starting the server stays quick. */
export const RETENTION_FIRST_RUN_DELAY_MS = 60_000;
/** Days generated metric buckets are kept, whatever the applications' windows (Prometheus keeps its own copy). */
export const GENERATED_METRIC_RETENTION_DAYS = 90;

const DAY_US = 86_400_000_000;

export interface RetentionRun {
  ranAt: string;
  durationMs: number;
  /** Days kept for data of an application id that has no applications row. */
  defaultDays: number;
  /** Days kept for data with no application id (backend spans, metric points): the longest window. */
  unattributedDays: number;
  deleted: {
    events: number;
    sessions: number;
    /** View summaries (a view goes when its start is past the window). */
    views: number;
    spans: number;
    metricPoints: number;
    generatedMetricBuckets: number;
    /** Replay recordings (server/src/replay), on the window of their application like events. */
    replaySegments: number;
  };
}

type Connect = () => Promise<DuckDBConnection>;

/** What one store deletes when retention runs at `nowMs` (DuckDbRetention here, ClickHouseRetention in store/clickhouse). */
export interface RetentionTarget {
  apply(nowMs: number): Promise<Pick<RetentionRun, 'unattributedDays' | 'deleted'>>;
}

async function count(c: DuckDBConnection, sql: string, params: DuckDBValue[]): Promise<number> {
  const rows = (await c.runAndReadAll(sql, params)).getRowObjectsJS();
  return Number(rows[0]?.Count ?? 0);
}

/** The rows several statements deleted, run one after another. */
async function countEach(c: DuckDBConnection, sqls: string[], params: DuckDBValue[]): Promise<number> {
  let n = 0;
  for (const sql of sqls) n += await count(c, sql, params);
  return n;
}

/** The delete statement for one table: rows older than the window of their application. */
function deleteOld(table: string, timeColumn: string): string {
  return `DELETE FROM ${table} WHERE ${timeColumn} < make_timestamp(CAST(? AS BIGINT))
    AND ${timeColumn} < CASE WHEN ${table}.app_id IS NULL THEN make_timestamp(CAST(? AS BIGINT))
      ELSE coalesce(
        (SELECT w.cutoff FROM retention_windows w WHERE w.app_id = ${table}.app_id),
        make_timestamp(CAST(? AS BIGINT)))
      END`;
}

/** Rollup rows of hours that end before the window of their application (as deleteOld decides for rows). */
function deleteExpiredRollups(table: string): string {
  return `DELETE FROM ${table} WHERE hour < make_timestamp(CAST(? AS BIGINT))
    AND hour + INTERVAL 1 HOUR <= CASE WHEN ${table}.app_id IS NULL THEN make_timestamp(CAST(? AS BIGINT))
      ELSE coalesce(
        (SELECT w.cutoff FROM retention_windows w WHERE w.app_id = ${table}.app_id),
        make_timestamp(CAST(? AS BIGINT)))
      END`;
}

export class RetentionJob {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<RetentionRun> | null = null;

  constructor(
    private readonly target: RetentionTarget,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Schedules the job: first after RETENTION_FIRST_RUN_DELAY_MS, then every RETENTION_JOB_INTERVAL_MS. */
  schedule(firstDelayMs = RETENTION_FIRST_RUN_DELAY_MS, intervalMs = RETENTION_JOB_INTERVAL_MS): void {
    const tick = (delay: number) => {
      this.timer = setTimeout(() => {
        this.runOnce()
          .catch((e: Error) => this.log.warn('retention job failed', { reason: e.message }))
          .finally(() => {
            if (this.timer) tick(intervalMs);
          });
      }, delay);
      this.timer.unref();
    };
    tick(firstDelayMs);
  }

  /** Runs the job now (or joins the run in progress). */
  runOnce(): Promise<RetentionRun> {
    this.running ??= this.run().finally(() => (this.running = null));
    return this.running;
  }

  private async run(): Promise<RetentionRun> {
    const started = this.now();
    const { unattributedDays, deleted } = await this.target.apply(started);
    const run: RetentionRun = {
      ranAt: new Date(started).toISOString(),
      durationMs: this.now() - started,
      defaultDays: DEFAULT_RETENTION_DAYS,
      unattributedDays,
      deleted,
    };
    this.log.info('retention applied', { ...deleted, durationMs: run.durationMs });
    return run;
  }

  /** Stops scheduling and waits for a run in progress. */
  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }
}

/** Retention on the DuckDB store's tables. */
export class DuckDbRetention implements RetentionTarget {
  constructor(
    private readonly connect: Connect,
    /**
     * Runs work on the session and view summaries with the store's pending deltas folded in and no
     * fold running meanwhile (DuckDbStore.withSummariesFolded), so that the deletes see every summary
     * and do not conflict with a fold.
     */
    private readonly withSummariesFolded: <T>(work: () => Promise<T>) => Promise<T>,
    /**
     * The store's hourly rollups (DuckDbStore.withRollupsHeld): rollup rows of hours wholly past an
     * application's window go with its events, and the folded hours a window ends in are folded again.
     */
    private readonly withRollupsHeld?: WithRollupsHeld,
  ) {}

  /**
   * Deletes the rollup rows of hours wholly past their application's window and folds again the
   * folded hours that a window ends in (they hold events on both sides of the cutoff), in one
   * transaction.
   */
  private async rollups(c: DuckDBConnection, params: number[], refold: Refold): Promise<void> {
    await c.run('BEGIN TRANSACTION');
    try {
      for (const t of ROLLUP_HOUR_TABLES) await c.run(deleteExpiredRollups(t), params);
      const edges = (
        await c.runAndReadAll(
          `SELECT epoch_ms(date_trunc('hour', cutoff)) AS h FROM retention_windows
           UNION SELECT unnest([?::BIGINT, ?::BIGINT, ?::BIGINT]) // 3600000000 * 3600000`,
          params,
        )
      )
        .getRowObjectsJS()
        .map((r) => Number(r.h));
      await refold(c, edges);
      await c.run('COMMIT');
    } catch (e) {
      await c.run('ROLLBACK').catch(() => undefined);
      throw e;
    }
  }

  async apply(nowMs: number): Promise<Pick<RetentionRun, 'unattributedDays' | 'deleted'>> {
    const nowUs = nowMs * 1000;
    const c = await this.connect();
    try {
      // Each application's window also covers the ids it had before (their data stays under them).
      await c.run(
        `CREATE OR REPLACE TEMP TABLE retention_windows AS
        SELECT app_id, make_timestamp(CAST(? AS BIGINT)) - to_days(max(days)) AS cutoff, max(days) AS days
        FROM (
          SELECT app_id, retention_days AS days FROM applications
          UNION ALL
          SELECT unnest(CAST(previous_app_ids AS VARCHAR[])) AS app_id, retention_days FROM applications
        ) GROUP BY app_id`,
        [nowUs],
      );
      const [w] = (
        await c.runAndReadAll('SELECT min(days) AS shortest, max(days) AS longest FROM retention_windows')
      ).getRowObjectsJS();
      const shortest = Math.min(DEFAULT_RETENTION_DAYS, Number(w?.shortest ?? DEFAULT_RETENTION_DAYS));
      const longest = Math.max(DEFAULT_RETENTION_DAYS, Number(w?.longest ?? DEFAULT_RETENTION_DAYS));
      const cutoff = (days: number) => nowUs - days * DAY_US;
      // Rows newer than the shortest window are never deleted: the first condition lets DuckDB skip them.
      const params = [cutoff(shortest), cutoff(longest), cutoff(DEFAULT_RETENTION_DAYS)];
      const events = await countEach(
        c,
        EVENT_KINDS.map((k) => deleteOld(eventTable(k), 'time')),
        params,
      );
      // A session summary goes when its last event does. The deltas are folded just before; any
      // written since that are as old go too, or a later fold would bring the summary back.
      // Only summaries are counted: a delta is part of a summary, not one of its own.
      const summaries = await this.withSummariesFolded(async () => {
        const sessions = await count(c, deleteOld('sessions', 'end_time'), params);
        await count(c, deleteOld('session_deltas', 'end_time'), params);
        const views = await count(c, deleteOld('views', 'time'), params);
        await count(c, deleteOld('view_deltas', 'time'), params);
        // Then the rollups of what went (as erasure does: summaries first, then rollups).
        if (this.withRollupsHeld) await this.withRollupsHeld((refold) => this.rollups(c, params, refold));
        return { sessions, views };
      });
      const deleted = {
        events,
        ...summaries,
        spans: await count(c, deleteOld('spans', 'start_time'), params),
        metricPoints: await count(c, deleteOld('metric_points', 'time'), params),
        replaySegments: await count(c, deleteOld('replay_segments', 'time'), params),
        generatedMetricBuckets: await count(
          c,
          'DELETE FROM generated_metric_buckets WHERE bucket_start < make_timestamp(CAST(? AS BIGINT))',
          [cutoff(GENERATED_METRIC_RETENTION_DAYS)],
        ),
      };
      return { unattributedDays: longest, deleted };
    } finally {
      c.closeSync();
    }
  }
}
