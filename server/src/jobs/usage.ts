/*
 * Daily usage per application, for the usage page: page views (distinct views: a view is sent when
 * it starts and again when it ends), sessions (distinct sessions with any event that UTC day), and
 * replay minutes (the sum of rum.replay.end_ms - rum.replay.start_ms over replay segments).
 * Committed batches mark the (application, day) pairs they touch; every USAGE_REFRESH_INTERVAL_MS,
 * and before usage is read, those days are recounted from the events table, so the numbers are exact
 * and late data lands on the right day. Rows are kept when retention deletes the events under them.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { RUM_REPLAY_END, RUM_REPLAY_START } from '@otel-rum/model';
import type { Logger } from '../log';
import { Serial } from '../metrics/serial';
import type { WriteBatch } from '../store/rows';

/**
 * How often marked days are recounted in the background. Reads recount first, so this only bounds the
 * work that waits: a recount reads the whole day, which a busy application should not pay every few
 * seconds.
 */
export const USAGE_REFRESH_INTERVAL_MS = 300_000;
/** (application, day) pairs waiting to be recounted; further pairs are dropped and counted until the next refresh. */
export const MAX_PENDING_USAGE_DAYS = 10_000;

const DAY_US = 86_400_000_000n;

export interface UsageDay {
  appId: string;
  /** UTC date, YYYY-MM-DD. */
  day: string;
  pageViews: number;
  sessions: number;
  replayMinutes: number;
}

type Connect = () => Promise<DuckDBConnection>;

export class UsageJob {
  /** app id -> days since the epoch awaiting a recount. */
  private pending = new Map<string, Set<number>>();
  private pendingCount = 0;
  private dropped = 0;
  private readonly serial = new Serial();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly connect: Connect,
    private readonly log: Logger,
  ) {}

  /** Marks days that have events but no usage row (data from before this table existed), and starts refreshing. */
  async start(intervalMs = USAGE_REFRESH_INTERVAL_MS): Promise<void> {
    const c = await this.connect();
    try {
      const rows = (
        await c.runAndReadAll(
          `SELECT e.app_id, CAST(epoch(e.day) / 86400 AS BIGINT) AS d
           FROM (SELECT DISTINCT app_id, CAST(time AS DATE) AS day FROM events) e
           ANTI JOIN usage_daily u ON u.app_id = e.app_id AND u.day = e.day
           LIMIT ${MAX_PENDING_USAGE_DAYS}`,
        )
      ).getRowObjectsJS();
      for (const r of rows) this.mark(String(r.app_id), Number(r.d));
    } finally {
      c.closeSync();
    }
    this.timer = setInterval(() => void this.refresh().catch(() => undefined), intervalMs);
    this.timer.unref();
  }

  /** The WriteQueue listener: notes which (application, day) pairs the batch touched. */
  onCommit(batch: WriteBatch): void {
    let lastApp = '';
    let lastDay = -1;
    for (const e of batch.events) {
      const day = Number(e.timeUs / DAY_US);
      if (day === lastDay && e.appId === lastApp) continue;
      lastApp = e.appId;
      lastDay = day;
      this.mark(e.appId, day);
    }
  }

  private mark(appId: string, day: number): void {
    let days = this.pending.get(appId);
    if (days?.has(day)) return;
    if (this.pendingCount >= MAX_PENDING_USAGE_DAYS) {
      this.dropped += 1;
      return;
    }
    if (!days) {
      days = new Set();
      this.pending.set(appId, days);
    }
    days.add(day);
    this.pendingCount += 1;
  }

  /** Recounts the days marked since the last refresh. */
  refresh(): Promise<number> {
    return this.serial.run(async () => {
      if (this.pendingCount === 0) return 0;
      const work = this.pending;
      const n = this.pendingCount;
      this.pending = new Map();
      this.pendingCount = 0;
      if (this.dropped > 0) {
        this.log.warn('usage: days were not recounted, the pending set was full', {
          dropped: this.dropped,
          limit: MAX_PENDING_USAGE_DAYS,
        });
        this.dropped = 0;
      }
      const c = await this.connect();
      try {
        for (const [appId, days] of work) {
          for (const day of days) {
            const from = BigInt(day) * DAY_US;
            await c.run(
              `INSERT OR REPLACE INTO usage_daily (app_id, day, page_views, sessions, replay_ms, updated_at)
               SELECT ?, CAST(make_timestamp(CAST(? AS BIGINT)) AS DATE),
                 count(DISTINCT view_id) FILTER (WHERE kind = 'view'),
                 count(DISTINCT session_id),
                 coalesce(sum(greatest(0,
                   TRY_CAST(json_extract_string(attributes, ?) AS DOUBLE)
                   - TRY_CAST(json_extract_string(attributes, ?) AS DOUBLE))) FILTER (WHERE kind = 'replay_segment'), 0),
                 now()
               FROM events
               WHERE app_id = ? AND time >= make_timestamp(CAST(? AS BIGINT)) AND time < make_timestamp(CAST(? AS BIGINT))`,
              [appId, from, `/${RUM_REPLAY_END}`, `/${RUM_REPLAY_START}`, appId, from, from + DAY_US],
            );
          }
        }
      } catch (e) {
        for (const [appId, days] of work) for (const d of days) this.mark(appId, d);
        this.log.warn('usage refresh failed; retrying at the next refresh', { reason: (e as Error).message });
        throw e;
      } finally {
        c.closeSync();
      }
      return n;
    });
  }

  /** Daily rows of the days that overlap [fromMs, toMs), of one application or all, oldest first. */
  async read(fromMs: number, toMs: number, appId: string | null): Promise<UsageDay[]> {
    await this.refresh();
    const c = await this.connect();
    try {
      const rows = (
        await c.runAndReadAll(
          `SELECT app_id, strftime(day, '%Y-%m-%d') AS day, page_views, sessions, replay_ms
           FROM usage_daily
           WHERE day >= CAST(make_timestamp(CAST(? AS BIGINT)) AS DATE)
             AND CAST(day AS TIMESTAMP) < make_timestamp(CAST(? AS BIGINT))
             ${appId ? 'AND app_id = ?' : ''}
           ORDER BY day, app_id`,
          appId ? [fromMs * 1000, toMs * 1000, appId] : [fromMs * 1000, toMs * 1000],
        )
      ).getRowObjectsJS();
      return rows.map((r) => ({
        appId: String(r.app_id),
        day: String(r.day),
        pageViews: Number(r.page_views),
        sessions: Number(r.sessions),
        replayMinutes: Number(r.replay_ms) / 60_000,
      }));
    } finally {
      c.closeSync();
    }
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.refresh().catch(() => undefined);
  }
}
