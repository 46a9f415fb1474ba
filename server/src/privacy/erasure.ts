/*
 * Erasure on request: everything stored of one user id, or of one session, of one application. A
 * user's sessions go whole (their events before sign-in carry no user id but are theirs all the
 * same), with the spans of the traces those sessions started (backend spans included: they may
 * hold the user's URLs and parameters) and the OTLP metric points that name the user or a session.
 * Aggregates (usage counts, generated metric buckets) stay.
 *
 * `Erasure` checks nothing and deletes nothing itself: it runs a store's `ErasureTarget` and writes the
 * audit line. On DuckDB (`DuckDbErasure`, below) everything goes in one transaction, with the
 * summaries folded first and no fold meanwhile, so that no delta written before brings a deleted
 * session summary back. On ClickHouse see ../store/clickhouse/erasure.ts.
 */
import { createHash } from 'node:crypto';
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { EVENT_KINDS } from '@otel-rum/model';
import { eventTable } from '../store/duckdb/event-tables';
import type { Refold, WithRollupsHeld } from '../store/duckdb/rollups';
import type { Logger } from '../log';

export interface ErasureRequest {
  appId: string;
  /** Exactly one of userId and sessionId. */
  userId?: string;
  sessionId?: string;
}

export interface ErasureResult {
  appId: string;
  subject: 'user' | 'session';
  /** Sessions erased (a user's, or the one named). */
  sessions: number;
  /** Rows deleted, by table. */
  deleted: Record<string, number>;
}

async function run(c: DuckDBConnection, sql: string, params: DuckDBValue[] = []): Promise<number> {
  const rows = (await c.runAndReadAll(sql, params)).getRowObjectsJS();
  return Number(rows[0]?.Count ?? 0);
}

/** What a store erased: the sessions, and the rows deleted by table (the DuckDB store's table names). */
export type ErasureCounts = Pick<ErasureResult, 'sessions' | 'deleted'>;

/** A store's side of an erasure: finds the sessions and traces of the subject and deletes them everywhere. */
export interface ErasureTarget {
  apply(request: ErasureRequest, subject: 'user' | 'session'): Promise<ErasureCounts>;
}

/** A short digest of the erased id for the audit line: it proves which id was erased to whoever knows it, without storing it again. */
export function auditDigest(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 16);
}

export class Erasure {
  constructor(
    private readonly target: ErasureTarget,
    private readonly log: Logger,
  ) {}

  async erase(request: ErasureRequest, requestedBy: string): Promise<ErasureResult> {
    const subject = request.userId !== undefined ? 'user' : 'session';
    const started = Date.now();
    const { sessions, deleted } = await this.target.apply(request, subject);
    const result: ErasureResult = { appId: request.appId, subject, sessions, deleted };
    // The audit line: who asked, for what, and what went; the id itself only as a digest.
    this.log.info('audit: erasure', {
      requestedBy,
      appId: request.appId,
      subject,
      idSha256: auditDigest((request.userId ?? request.sessionId)!),
      sessions: result.sessions,
      deleted: result.deleted,
      durationMs: Date.now() - started,
    });
    return result;
  }
}

/** Erasure on the DuckDB store: one transaction, summaries folded first (the file's comment). */
export class DuckDbErasure implements ErasureTarget {
  constructor(
    private readonly connect: () => Promise<DuckDBConnection>,
    private readonly withSummariesFolded: <T>(work: () => Promise<T>) => Promise<T>,
    /** The store's hourly rollups: the folded hours the erased events were in are folded again. */
    private readonly withRollupsHeld?: WithRollupsHeld,
  ) {}

  apply(request: ErasureRequest, subject: 'user' | 'session'): Promise<ErasureCounts> {
    const held: WithRollupsHeld = this.withRollupsHeld ?? ((work) => work(() => Promise.resolve(0)));
    return this.withSummariesFolded(() =>
      held(async (refold) => {
        const c = await this.connect();
        try {
          return await this.inTransaction(c, request, subject, refold);
        } finally {
          c.closeSync();
        }
      }),
    );
  }

  private async inTransaction(
    c: DuckDBConnection,
    request: ErasureRequest,
    subject: 'user' | 'session',
    refold: Refold,
  ): Promise<ErasureCounts> {
    const app = request.appId;
    await c.run('BEGIN TRANSACTION');
    try {
      await c.run('CREATE OR REPLACE TEMP TABLE erase_sessions (session_id VARCHAR)');
      if (subject === 'session') {
        await c.run('INSERT INTO erase_sessions VALUES (?)', [request.sessionId!]);
      } else {
        const user = request.userId!;
        const sources = [
          'SELECT session_id FROM sessions WHERE app_id = ? AND user_id = ?',
          'SELECT session_id FROM session_deltas WHERE app_id = ? AND user_id = ?',
          ...EVENT_KINDS.map(
            (k) => `SELECT session_id FROM ${eventTable(k)} WHERE app_id = ? AND user_id = ?`,
          ),
          `SELECT session_id FROM spans WHERE app_id = ? AND json_extract_string(attributes, '$."user.id"') = ?`,
        ];
        await c.run(
          `INSERT INTO erase_sessions SELECT DISTINCT session_id FROM (${sources.join(' UNION ')}) WHERE session_id IS NOT NULL`,
          sources.flatMap(() => [app, user]),
        );
      }
      const user = request.userId ?? null;
      const sessions = await run(c, 'SELECT count(*) AS Count FROM erase_sessions');
      // Traces the sessions started: their spans go too, backend ones included.
      await c.run('CREATE OR REPLACE TEMP TABLE erase_traces (trace_id VARCHAR)');
      await c.run(
        `INSERT INTO erase_traces SELECT DISTINCT trace_id FROM (
           SELECT trace_id FROM spans WHERE app_id = ? AND session_id IN (SELECT session_id FROM erase_sessions)
           ${EVENT_KINDS.map((k) => `UNION SELECT trace_id FROM ${eventTable(k)} WHERE app_id = ? AND session_id IN (SELECT session_id FROM erase_sessions)`).join(' ')}
         ) WHERE trace_id IS NOT NULL AND trace_id <> ''`,
        [app, ...EVENT_KINDS.map(() => app)],
      );
      const inSessions = 'session_id IN (SELECT session_id FROM erase_sessions)';
      const orUser = user === null ? '' : ' OR user_id = ?';
      const params = user === null ? [app] : [app, user];
      const deleted: Record<string, number> = {};
      // The hours the erased events and views are in: their rollups are folded again below.
      const touched = [...EVENT_KINDS.map(eventTable), 'views'].map(
        (t) => `SELECT time FROM ${t} WHERE app_id = ? AND (${inSessions}${orUser})`,
      );
      const hours = (
        await c.runAndReadAll(
          `SELECT DISTINCT epoch_ms(date_trunc('hour', time)) AS h FROM (${touched.join(' UNION ALL ')})`,
          touched.flatMap(() => params),
        )
      )
        .getRowObjectsJS()
        .map((r) => Number(r.h));
      for (const k of EVENT_KINDS)
        deleted[eventTable(k)] = await run(
          c,
          `DELETE FROM ${eventTable(k)} WHERE app_id = ? AND (${inSessions}${orUser})`,
          params,
        );
      for (const t of ['sessions', 'session_deltas', 'views', 'view_deltas'])
        deleted[t] = await run(c, `DELETE FROM ${t} WHERE app_id = ? AND (${inSessions}${orUser})`, params);
      deleted.replay_segments = await run(
        c,
        `DELETE FROM replay_segments WHERE app_id = ? AND ${inSessions}`,
        [app],
      );
      deleted.spans = await run(
        c,
        `DELETE FROM spans WHERE (app_id = ? AND ${inSessions}) OR trace_id IN (SELECT trace_id FROM erase_traces)${
          user === null ? '' : ` OR (app_id = ? AND json_extract_string(attributes, '$."user.id"') = ?)`
        }`,
        user === null ? [app] : [app, app, user],
      );
      deleted.metric_points = await run(
        c,
        `DELETE FROM metric_points WHERE app_id = ? AND (json_extract_string(attributes, '$."session.id"') IN (SELECT session_id FROM erase_sessions)${
          user === null ? '' : ` OR json_extract_string(attributes, '$."user.id"') = ?`
        })`,
        params,
      );
      await refold(c, hours);
      await c.run('COMMIT');
      return { sessions, deleted };
    } catch (e) {
      await c.run('ROLLBACK').catch(() => undefined);
      throw e;
    }
  }
}
