/*
 * Retention and daily usage on the ClickHouse store (README.md beside this file, "Retention" and
 * "Usage"), with the answers of the DuckDB store's jobs (server/src/jobs/).
 */
import { DEFAULT_RETENTION_DAYS } from '@otel-rum/model';
import type { ApplicationRepository } from '../../apps/repository';
import type { RetentionRun, RetentionTarget } from '../../jobs/retention';
import type { UsageReader } from '../../jobs/routes';
import type { UsageDay } from '../../jobs/usage';
import type { ClickHouseExecutor, QueryParams } from './executor';
import { alterTable, tableRef, type SchemaOptions } from './schema';

const DAY_US = 86_400_000_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A table of rows deleted one by one when they are past their application's window. */
interface RowTable {
  table: string;
  time: string;
  appId: string;
}

/**
 * Deletes what is past each application's window, table by table: whole daily partitions where every
 * application's window has passed (DROP PARTITION, nothing rewritten), then the rest by one mutation
 * per table (ALTER TABLE ... DELETE, mutations_sync = 2: the run answers once every replica applied
 * it). The windows are read from the applications kept in ClickHouse at each run.
 */
export class ClickHouseRetention implements RetentionTarget {
  constructor(
    private readonly x: ClickHouseExecutor,
    private readonly o: SchemaOptions,
    private readonly apps: ApplicationRepository,
  ) {}

  private t(table: string): string {
    return tableRef(this.o, table);
  }

  private alter(table: string): string {
    return alterTable(this.o, table);
  }

  /** The local table a mutation's subquery reads: on a cluster a session's rows are on one shard. */
  private local(table: string): string {
    return this.t(this.o.cluster ? `${table}_local` : table);
  }

  /** Settings of a mutation; one with a subquery on a replicated table must say it may differ per replica. */
  private mutationSettings(subquery: boolean): string {
    return `SETTINGS mutations_sync = 2${subquery && this.o.cluster ? ', allow_nondeterministic_mutations = 1' : ''}`;
  }

  async apply(nowMs: number): Promise<Pick<RetentionRun, 'unattributedDays' | 'deleted'>> {
    const nowUs = nowMs * 1000;
    // Each application's window also covers the ids it had before (their data stays under them).
    const days = new Map<string, number>();
    for (const a of await this.apps.list()) {
      for (const id of [a.appId, ...(a.previousAppIds ?? [])])
        days.set(id, Math.max(days.get(id) ?? 0, a.retentionDays));
    }
    const all = [...days.values()];
    const shortest = Math.min(DEFAULT_RETENTION_DAYS, ...all);
    const longest = Math.max(DEFAULT_RETENTION_DAYS, ...all);
    const cutoff = (d: number) => nowUs - d * DAY_US;
    const params: QueryParams = {
      shortest: String(cutoff(shortest)),
      unattributed: String(cutoff(longest)),
      fallback: String(cutoff(DEFAULT_RETENTION_DAYS)),
      apps: JSON.stringify([...days.keys()]),
      cutoffs: JSON.stringify([...days.values()].map(cutoff)),
    };
    /** The cutoff (epoch µs) of a row's application: its window, the default, or the longest when it has none. */
    const cut = (appId: string) =>
      `multiIf(isNull(${appId}), {unattributed:Int64}, transform(toString(assumeNotNull(${appId})),
        JSONExtract({apps:String}, 'Array(String)'), JSONExtract({cutoffs:String}, 'Array(Int64)'), {fallback:Int64}))`;
    const old = (time: string, appId: string) =>
      `${time} < fromUnixTimestamp64Micro({shortest:Int64}, 'UTC') AND toUnixTimestamp64Micro(${time}) < ${cut(appId)}`;
    // Days before this one are wholly older than the longest window: every row of them is past its window.
    const keptFrom = new Date(Math.floor(cutoff(longest) / DAY_US) * 86_400_000).toISOString().slice(0, 10);

    const rows = async ({ table, time, appId }: RowTable): Promise<number> => {
      let n = 0;
      const parts = await this.x.query(
        `SELECT toString(toDate(${time})) AS day, count() AS n FROM ${this.t(table)}
         WHERE toDate(${time}) < {keptFrom:Date} GROUP BY day ORDER BY day`,
        { keptFrom },
      );
      for (const p of parts) {
        const day = String(p.day);
        if (!DATE.test(day)) throw new Error(`retention: unexpected partition day "${day}" of ${table}`);
        await this.x.command(`${this.alter(table)} DROP PARTITION '${day}'`);
        n += Number(p.n);
      }
      n += await this.deleteWhere(table, old(time, appId), params, false);
      return n;
    };

    const events = await rows({ table: 'events', time: 'time', appId: 'app_id' });
    // A session goes when its last event does, whole (all its partial aggregates).
    const sessions = await this.deleteKeys(
      ['sessions'],
      'session_id',
      `SELECT app_id, session_id FROM {table} GROUP BY app_id, session_id
       HAVING ${old('max(end_time)', 'app_id')}`,
      'sessions',
      params,
    );
    // A view goes when its first record does: its latest states and its start together.
    const views = await this.deleteKeys(
      ['views', 'view_starts'],
      'view_id',
      `SELECT app_id, view_id FROM {table} GROUP BY app_id, view_id HAVING ${old('min(time)', 'app_id')}`,
      'view_starts',
      params,
    );
    return {
      unattributedDays: longest,
      deleted: {
        events,
        sessions,
        views,
        spans: await rows({ table: 'otel_traces', time: 'Timestamp', appId: 'RumAppId' }),
        metricPoints: await rows({ table: 'metric_points', time: 'time', appId: 'app_id' }),
        replaySegments: await rows({ table: 'replay_segments', time: 'time', appId: 'app_id' }),
        // Generated metrics are not kept on this store (README.md, "What is not ported yet").
        generatedMetricBuckets: 0,
      },
    };
  }

  /** Deletes the rows matching `where`, after counting them; no mutation when there are none. */
  private async deleteWhere(table: string, where: string, params: QueryParams, subquery: boolean) {
    const [c] = await this.x.query(`SELECT count() AS n FROM ${this.t(table)} WHERE ${where}`, params);
    const n = Number(c?.n ?? 0);
    if (n > 0)
      await this.x.command(
        `${this.alter(table)} DELETE WHERE ${where} ${this.mutationSettings(subquery)}`,
        params,
      );
    return n;
  }

  /**
   * Deletes from `tables`, in order, the rows of the (app_id, `key`) pairs `select` lists from
   * `source`; answers how many pairs that was.
   */
  private async deleteKeys(
    tables: string[],
    key: string,
    select: string,
    source: string,
    params: QueryParams,
  ): Promise<number> {
    const [c] = await this.x.query(
      `SELECT count() AS n FROM (${select.replace('{table}', this.t(source))})`,
      params,
    );
    const n = Number(c?.n ?? 0);
    if (n === 0) return 0;
    for (const table of tables) {
      await this.x.command(
        `${this.alter(table)} DELETE WHERE (app_id, ${key}) IN (${select.replace('{table}', this.local(source))})
         ${this.mutationSettings(true)}`,
        params,
      );
    }
    return n;
  }
}

/** Daily usage from the usage_daily materialized view (schema.ts, migration 4). */
export class ClickHouseUsage implements UsageReader {
  constructor(
    private readonly x: ClickHouseExecutor,
    private readonly o: SchemaOptions,
  ) {}

  async read(fromMs: number, toMs: number, appId: string | null): Promise<UsageDay[]> {
    const params: QueryParams = { from: Math.trunc(fromMs), to: Math.trunc(toMs) };
    if (appId !== null) params.app = appId;
    const rows = await this.x.query(
      `SELECT app_id, toString(day) AS utc_day, uniqExactMerge(page_views) AS page_views,
         uniqExactMerge(sessions) AS sessions, sum(replay_ms) AS replay_ms
       FROM \`${this.o.database}\`.\`usage_daily\`
       WHERE day >= toDate(fromUnixTimestamp64Milli({from:Int64}, 'UTC'))
         AND toDateTime64(day, 3, 'UTC') < fromUnixTimestamp64Milli({to:Int64}, 'UTC')
         ${appId !== null ? 'AND app_id = {app:String}' : ''}
       GROUP BY app_id, day ORDER BY day, app_id`,
      params,
    );
    return rows.map((r) => ({
      appId: String(r.app_id),
      day: String(r.utc_day),
      pageViews: Number(r.page_views),
      sessions: Number(r.sessions),
      replayMinutes: Number(r.replay_ms) / 60_000,
    }));
  }

  /** Nothing to do: the materialized view counts each insert as it is written. */
  refresh(): Promise<number> {
    return Promise.resolve(0);
  }
}
