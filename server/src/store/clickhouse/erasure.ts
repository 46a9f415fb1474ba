/*
 * Erasure on the ClickHouse store (README.md beside this file, "Erasure"): the same subject, the same
 * sessions and traces, and the same answer as the DuckDB store's (../../privacy/erasure.ts), by one
 * mutation per table (ALTER TABLE ... DELETE, mutations_sync = 2) instead of one transaction.
 */
import { EVENT_KINDS, SESSION_ID, USER_ID } from '@otel-rum/model';
import type { ErasureCounts, ErasureRequest, ErasureTarget } from '../../privacy/erasure';
import { eventTable } from '../duckdb/event-tables';
import type { ClickHouseExecutor, QueryParams } from './executor';
import { alterTable, tableRef, type SchemaOptions } from './schema';

export class ClickHouseErasure implements ErasureTarget {
  constructor(
    private readonly x: ClickHouseExecutor,
    private readonly o: SchemaOptions,
  ) {}

  private t(table: string): string {
    return tableRef(this.o, table);
  }

  private alter(table: string): string {
    return alterTable(this.o, table);
  }

  private async ids(sql: string, params: QueryParams): Promise<string[]> {
    return (await this.x.query(sql, params)).map((r) => String(r.id));
  }

  private async count(sql: string, params: QueryParams): Promise<number> {
    const [c] = await this.x.query(sql, params);
    return Number(c?.n ?? 0);
  }

  /** Deletes the rows matching `where` from each table, waiting until every replica has. */
  private async delete(tables: string[], where: string, params: QueryParams): Promise<void> {
    for (const table of tables)
      await this.x.command(`${this.alter(table)} DELETE WHERE ${where} SETTINGS mutations_sync = 2`, params);
  }

  async apply(request: ErasureRequest, subject: 'user' | 'session'): Promise<ErasureCounts> {
    const user = subject === 'user' ? request.userId! : null;
    const p: QueryParams = { app: request.appId, user: user ?? '' };
    // The subject's sessions: the one named, or every session in which the user was seen (summary,
    // events, spans), whole: the events before sign-in are the user's too.
    const sessions =
      user === null
        ? [request.sessionId!]
        : await this.ids(
            `SELECT DISTINCT id FROM (
               SELECT session_id AS id FROM ${this.t('sessions')} WHERE app_id = {app:String} AND user_id = {user:String}
               UNION ALL SELECT session_id FROM ${this.t('events')} WHERE app_id = {app:String} AND user_id = {user:String}
               UNION ALL SELECT assumeNotNull(RumSessionId) FROM ${this.t('otel_traces')}
                 WHERE RumAppId = {app:String} AND SpanAttributes['${USER_ID}'] = {user:String} AND RumSessionId IS NOT NULL
             ) ORDER BY id`,
            p,
          );
    // Lists go as JSON text parameters, read by JSONExtract: no subquery in a mutation (which a
    // replicated table would refuse as nondeterministic), and the same list on every replica.
    p.sessions = JSON.stringify(sessions);
    const S = `JSONExtract({sessions:String}, 'Array(String)')`;
    // Traces the sessions started: their spans go too, backend ones (no application, no session) included.
    p.traces = JSON.stringify(
      await this.ids(
        `SELECT DISTINCT id FROM (
           SELECT TraceId AS id FROM ${this.t('otel_traces')} WHERE RumAppId = {app:String} AND has(${S}, ifNull(RumSessionId, ''))
           UNION ALL SELECT assumeNotNull(trace_id) FROM ${this.t('events')}
             WHERE app_id = {app:String} AND has(${S}, session_id) AND trace_id IS NOT NULL
         ) WHERE id <> '' ORDER BY id`,
        p,
      ),
    );
    const T = `JSONExtract({traces:String}, 'Array(String)')`;
    const orUser = (column: string) => (user === null ? '' : ` OR ${column} = {user:String}`);
    const ofSessions = `app_id = {app:String} AND (has(${S}, session_id)${orUser('user_id')})`;
    // The views, by id: view_starts has no session column.
    const views = await this.ids(
      `SELECT DISTINCT view_id AS id FROM ${this.t('views')} WHERE ${ofSessions} ORDER BY id`,
      p,
    );
    p.views = JSON.stringify(views);

    // What names the sessions and the traces goes last: the events. An erasure that fails part way,
    // asked again, finds the same sessions and traces in what is left, and deletes the rest.
    const deleted: Record<string, number> = {};
    const step = async (key: string, tables: string[], count: string, where: string) => {
      deleted[key] = await this.count(count, p);
      if (deleted[key] > 0) await this.delete(tables, where, p);
    };
    const spans = `(RumAppId = {app:String} AND has(${S}, ifNull(RumSessionId, ''))) OR has(${T}, TraceId)${
      user === null ? '' : ` OR (RumAppId = {app:String} AND SpanAttributes['${USER_ID}'] = {user:String})`
    }`;
    await step(
      'spans',
      ['otel_traces'],
      `SELECT count() AS n FROM ${this.t('otel_traces')} WHERE ${spans}`,
      spans,
    );
    const points = `app_id = {app:String} AND (has(${S}, attributes['${SESSION_ID}'])${orUser(`attributes['${USER_ID}']`)})`;
    await step(
      'metric_points',
      ['metric_points'],
      `SELECT count() AS n FROM ${this.t('metric_points')} WHERE ${points}`,
      points,
    );
    const replays = `app_id = {app:String} AND has(${S}, session_id)`;
    // A segment sent twice is stored twice (reads take the first): it counts once, as on DuckDB.
    await step(
      'replay_segments',
      ['replay_segments'],
      `SELECT count() AS n FROM (SELECT DISTINCT session_id, view_id, sequence FROM ${this.t('replay_segments')} WHERE ${replays})`,
      replays,
    );
    // A view's latest states and its start; a session's partial aggregates: each counts once.
    deleted.views = views.length;
    if (views.length > 0)
      await this.delete(
        ['views', 'view_starts'],
        `app_id = {app:String} AND has(JSONExtract({views:String}, 'Array(String)'), view_id)`,
        p,
      );
    await step(
      'sessions',
      ['sessions'],
      `SELECT count() AS n FROM (SELECT DISTINCT session_id FROM ${this.t('sessions')} WHERE ${ofSessions})`,
      ofSessions,
    );
    // The DuckDB store's deltas waiting for its fold: the Null tables here keep nothing.
    deleted.session_deltas = 0;
    deleted.view_deltas = 0;
    const byKind = new Map(
      (
        await this.x.query(
          `SELECT kind, count() AS n FROM ${this.t('events')} WHERE ${ofSessions} GROUP BY kind`,
          p,
        )
      ).map((r) => [String(r.kind), Number(r.n)]),
    );
    let events = 0;
    for (const kind of EVENT_KINDS) {
      deleted[eventTable(kind)] = byKind.get(kind) ?? 0;
      events += deleted[eventTable(kind)]!;
    }
    if (events > 0) await this.delete(['events'], ofSessions, p);
    return { sessions: sessions.length, deleted };
  }
}
