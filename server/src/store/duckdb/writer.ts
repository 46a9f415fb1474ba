import type { DuckDBAppender, DuckDBConnection, DuckDBPreparedStatement } from '@duckdb/node-api';
import { DuckDBTimestampValue } from '@duckdb/node-api';
import type { EventKind } from '@otel-rum/model';
import type { EventRow, IdempotencyKeyRow, MetricPointRow, SpanRow, WriteBatch } from '../rows';
import { uuidv7 } from '../ids';
import { eventTable } from './event-tables';
import { insertReplaySegments } from './replay';
import { SESSION_DELTA_COLUMNS, sessionDeltaColumns, sessionDeltas } from './sessions';
import { EVENT_COLUMN_TYPES, eventColumns, VIEW_DELTA_COLUMNS, viewDeltaColumns, viewStates } from './views';
import { COLUMN_INSERT_MAX_ROWS, columnInsertSql, columnsJson, type ColumnTypes } from './columns';
import { runOnWorkers } from './worker-run';

/**
 * One connection of the ingest path. A batch is written in one transaction of its own: events by
 * kind, then the session and view summary deltas, replay segments, spans and metric points. Events
 * and summary deltas go to DuckDB as one JSON text of column arrays per table, which DuckDB unpacks
 * and inserts on its own worker threads (columns.ts, worker-run.ts); spans and metric points through
 * appenders. Everything
 * it does is an append (or an insert of a new replay segment), so writers on different connections
 * commit side by side without conflicting.
 */
export class DuckDbWriter {
  /** The appender of each table this writer appends to, made on first use. */
  private readonly appenders = new Map<string, DuckDBAppender>();
  /** The prepared column insert of each table, made on first use. */
  private readonly inserts = new Map<string, DuckDBPreparedStatement>();

  constructor(
    private readonly conn: DuckDBConnection,
    /** DuckDB's worker threads (its `threads` setting less the calling thread), see worker-run.ts. */
    private readonly workers: number,
  ) {}

  /** Commits the batch; returns how many summary delta rows it appended. */
  async write(batch: WriteBatch): Promise<number> {
    let deltas = 0;
    await this.conn.run('BEGIN TRANSACTION');
    try {
      if (batch.events.length) {
        const byKind = new Map<EventKind, EventRow[]>();
        for (const e of batch.events) {
          e.id ??= uuidv7();
          const rows = byKind.get(e.kind);
          if (rows) rows.push(e);
          else byKind.set(e.kind, [e]);
        }
        for (const [kind, rows] of byKind)
          await this.insert(eventTable(kind), EVENT_COLUMN_TYPES, rows, eventColumns);
        const sessions = sessionDeltas(batch.events);
        const views = viewStates(batch.events);
        await this.insert('session_deltas', SESSION_DELTA_COLUMNS, sessions, sessionDeltaColumns);
        await this.insert('view_deltas', VIEW_DELTA_COLUMNS, views, viewDeltaColumns);
        deltas = sessions.length + views.length;
      }
      if (batch.replaySegments?.length) await insertReplaySegments(this.conn, batch.replaySegments);
      if (batch.spans.length) await this.append('spans', batch.spans, appendSpan);
      if (batch.metricPoints.length)
        await this.append('metric_points', batch.metricPoints, appendMetricPoint);
      // In the same transaction: a request is remembered as committed exactly when its rows are.
      if (batch.idempotencyKeys?.length)
        await this.append('idempotency_keys', batch.idempotencyKeys, appendIdempotencyKey);
      await this.conn.run('COMMIT');
    } catch (e) {
      await this.conn.run('ROLLBACK').catch(() => undefined);
      throw e;
    }
    return deltas;
  }

  close(): void {
    for (const a of this.appenders.values()) a.closeSync();
    for (const s of this.inserts.values()) s.destroySync();
    this.conn.closeSync();
  }

  /**
   * Inserts the rows into `table` in the open transaction, as column arrays (`toColumns`, of `types`),
   * COLUMN_INSERT_MAX_ROWS at a time. A group whose JSON text would be longer than a JavaScript
   * string can be (large attributes from many requests) is inserted in halves.
   */
  private async insert<T>(
    table: string,
    types: ColumnTypes,
    rows: readonly T[],
    toColumns: (rows: readonly T[]) => Record<string, unknown[]>,
  ): Promise<void> {
    if (rows.length === 0) return;
    if (rows.length > COLUMN_INSERT_MAX_ROWS) {
      for (let i = 0; i < rows.length; i += COLUMN_INSERT_MAX_ROWS)
        await this.insert(table, types, rows.slice(i, i + COLUMN_INSERT_MAX_ROWS), toColumns);
      return;
    }
    let text: string;
    try {
      text = columnsJson(toColumns(rows));
    } catch (e) {
      if (!(e instanceof RangeError) || rows.length === 1) throw e;
      const half = Math.ceil(rows.length / 2);
      await this.insert(table, types, rows.slice(0, half), toColumns);
      await this.insert(table, types, rows.slice(half), toColumns);
      return;
    }
    let statement = this.inserts.get(table);
    if (!statement) {
      statement = await this.conn.prepare(columnInsertSql(table, types));
      this.inserts.set(table, statement);
    }
    statement.bindVarchar(1, text);
    await runOnWorkers(statement, this.workers);
  }

  /**
   * Appends the rows to `table` in the open transaction. Each table's appender is made once and
   * kept: making one reads the table's description, which cost about as much as appending a
   * hundred rows. A failed append discards the appender with whatever it still buffered.
   */
  private async append<T>(
    table: string,
    rows: T[],
    fill: (a: DuckDBAppender, row: T) => void,
  ): Promise<void> {
    if (rows.length === 0) return;
    let appender = this.appenders.get(table);
    if (!appender) {
      appender = await this.conn.createAppender(table);
      this.appenders.set(table, appender);
    }
    try {
      for (const row of rows) {
        fill(appender, row);
        appender.endRow();
      }
      appender.flushSync();
    } catch (e) {
      this.appenders.delete(table);
      try {
        appender.clear();
        appender.closeSync();
      } catch {
        // Closing a broken appender may fail too; it is dropped either way.
      }
      throw e;
    }
  }
}

const ts = (us: bigint) => new DuckDBTimestampValue(us);
const vs = (a: DuckDBAppender, v: string | null) => (v === null ? a.appendNull() : a.appendVarchar(v));

function appendSpan(a: DuckDBAppender, s: SpanRow): void {
  a.appendVarchar(s.traceId);
  a.appendVarchar(s.spanId);
  vs(a, s.parentSpanId);
  a.appendVarchar(s.name);
  a.appendInteger(s.kind);
  a.appendTimestamp(ts(s.startUs));
  a.appendDouble(s.durationMs);
  a.appendInteger(s.statusCode);
  vs(a, s.statusMessage);
  vs(a, s.serviceName);
  vs(a, s.appId);
  vs(a, s.sessionId);
  vs(a, s.scopeName);
  a.appendVarchar(JSON.stringify(s.attributes));
  a.appendVarchar(JSON.stringify(s.events));
  a.appendVarchar(JSON.stringify(s.resource));
}

function appendIdempotencyKey(a: DuckDBAppender, k: IdempotencyKeyRow): void {
  a.appendVarchar(k.key);
  a.appendBigInt(BigInt(k.committedMs));
  a.appendInteger(k.rejected);
  a.appendVarchar(k.errorMessage);
}

function appendMetricPoint(a: DuckDBAppender, m: MetricPointRow): void {
  a.appendTimestamp(ts(m.timeUs));
  vs(a, m.appId);
  vs(a, m.serviceName);
  a.appendVarchar(m.name);
  vs(a, m.unit);
  a.appendDouble(m.value);
  a.appendVarchar(JSON.stringify(m.attributes));
}
