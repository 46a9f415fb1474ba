import { mkdirSync } from 'node:fs';
import { EVENT_COLUMN_FIELDS, HAS_REPLAY, SESSION_COLUMN_FIELDS, TEXT_FIELDS } from '../event-fields';
import { dirname } from 'node:path';
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { EVENT_KINDS, type EventKind } from '@otel-rum/model';
import type { IdempotencyKeyRow, WriteBatch } from '../rows';
import {
  MAX_PAGE_SIZE,
  MAX_TIMELINE_EVENTS,
  MAX_TRACE_SPANS,
  type EventItem,
  type EventQuery,
  type IssueItem,
  type Page,
  type ReplayPosition,
  type RumStore,
  type SessionItem,
  type SpanItem,
  type StoredReplaySegment,
} from '../store';
import { MIGRATIONS } from './migrations';
import { decodeCursor, encodeCursor, resolveSort, type SortColumn } from '../cursor';
import { FOLD_SESSIONS } from './sessions';
import { FOLD_VIEWS } from './views';
import { readReplaySegments } from './replay';
import { DuckDbWriter } from './writer';
import { aggregate, eventSource, facet } from './analytics';
import { ALL_EVENTS, eventTable } from './event-tables';
import type { AggregateQuery, AggregateResult, FacetQuery, FacetValue, IssueStatus } from '../analytics';
import { compileFilter, parseFilter, type FieldMap } from '../../query/filter';
import { RollupJob, Rollups } from './rollups';
import { rollupIssues } from './rollup-reads';
import { isoFromMicros, toSessionItem } from '../session-item';

type Row = Record<string, unknown>;

const EVENT_COLUMNS = `id, kind, time, epoch_us(time) AS time_us, app_id, session_id, view_id, trace_id, span_id, name,
  label, url, path, duration_ms, value, status, service_name, service_version, environment, user_id, source,
  attributes, fingerprint, browser, browser_version, os, device, country, type`;

/**
 * Longest time, in ms, that session and view summary deltas wait before they are folded into the
 * sessions and views tables. Reads of those tables fold first, so they never see a stale summary.
 */
export const SUMMARY_FOLD_INTERVAL_MS = 1000;
/** Pending summary delta rows (session_deltas + view_deltas) past which a write folds them at once. */
export const MAX_UNFOLDED_SUMMARY_ROWS = 50_000;

/**
 * Connections that write ingest batches, each in a transaction of its own. Two let one batch be
 * appended while the one before it commits (DuckDB commits on its own threads), so the JavaScript
 * thread is not left waiting; writes are appends only, so they never conflict.
 */
export const WRITER_CONNECTIONS = 2;

export interface StoreOptions {
  /** Write-ahead log size at which DuckDB checkpoints; DuckDB's default (16 MiB) when absent. */
  checkpointMib?: number;
  /** DuckDB's memory limit in MiB; DuckDB's default (80 % of RAM) when absent. */
  memoryMib?: number;
  /**
   * Whether the store schedules its rollup job (rollups.ts) itself; false for tests and tools that
   * run it with runRollups(). The rollups are read either way.
   */
  rollupJob?: boolean;
  /** Where a failed run of the scheduled rollup job is reported. */
  onRollupError?: (e: Error) => void;
}

export class DuckDbStore implements RumStore {
  readonly writeConcurrency = WRITER_CONNECTIONS;
  /** Connection for the store's own small writes outside the ingest path (issue status). */
  private management: DuckDBConnection | null = null;
  /** Writers not writing now, and the writes waiting for one. */
  private readonly idle: DuckDbWriter[];
  private readonly waiting: ((w: DuckDbWriter) => void)[] = [];
  private readonly writes = new Set<Promise<unknown>>();
  /** Writes committed with summary deltas, and how many of them the last finished fold covered. */
  private committed = 0;
  private foldedUpTo = 0;
  /** Summary delta rows committed and not yet folded (an estimate: it triggers an early fold). */
  private unfoldedRows = 0;
  private fold: Promise<void> | null = null;
  /** Work that must not overlap a fold (withSummariesFolded), while it runs. */
  private summaryWork: Promise<unknown> | null = null;
  private foldTimer: NodeJS.Timeout | null = null;
  /** Hourly rollups for issues, facets and aggregates, and the job that folds them. */
  private rollups!: Rollups;
  private rollupJob!: RollupJob;
  private rollupConn: DuckDBConnection | null = null;

  private constructor(
    private readonly instance: DuckDBInstance,
    /** Runs the migrations, then the folds, one at a time. */
    private readonly folder: DuckDBConnection,
    private readonly writers: DuckDbWriter[],
    private readonly reader: DuckDBConnection,
  ) {
    this.idle = [...writers];
  }

  /** Opens (creating if needed) the database file and brings its schema up to date. */
  static async open(path: string, options: StoreOptions = {}): Promise<DuckDbStore> {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const settings: Record<string, string> = {};
    if (options.checkpointMib !== undefined) settings.checkpoint_threshold = `${options.checkpointMib}MiB`;
    if (options.memoryMib !== undefined) settings.memory_limit = `${options.memoryMib}MiB`;
    const instance = await DuckDBInstance.create(path, settings);
    const folder = await instance.connect();
    const threads = Number(
      (await folder.runAndReadAll("SELECT current_setting('threads') AS n")).getRowObjectsJS()[0]!.n,
    );
    const writers: DuckDbWriter[] = [];
    for (let i = 0; i < WRITER_CONNECTIONS; i++)
      writers.push(new DuckDbWriter(await instance.connect(), threads - 1));
    const reader = await instance.connect();
    const store = new DuckDbStore(instance, folder, writers, reader);
    await store.migrate();
    // Deltas a previous run committed but did not fold (it stopped in between).
    await store.runFold();
    store.rollupConn = await instance.connect();
    store.rollups = new Rollups(store.rollupConn);
    await store.rollups.load();
    store.rollupJob = new RollupJob(
      store.rollups,
      () => store.foldSummaries(),
      options.onRollupError ?? (() => undefined),
    );
    if (options.rollupJob !== false) store.rollupJob.start();
    return store;
  }

  private async migrate(): Promise<void> {
    const c = this.folder;
    await c.run(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP)',
    );
    const done = new Set(
      (await c.runAndReadAll('SELECT version FROM schema_migrations'))
        .getRowObjectsJS()
        .map((r) => Number(r.version)),
    );
    for (const m of MIGRATIONS) {
      if (done.has(m.version)) continue;
      await c.run('BEGIN TRANSACTION');
      try {
        await c.run(m.sql);
        await c.run('INSERT INTO schema_migrations VALUES ($1, $2, now())', [m.version, m.name]);
        await c.run('COMMIT');
      } catch (e) {
        await c.run('ROLLBACK');
        throw new Error(`schema migration ${m.version} (${m.name}) failed: ${(e as Error).message}`);
      }
    }
  }

  async write(batch: WriteBatch): Promise<void> {
    const writer = this.idle.pop() ?? (await new Promise<DuckDbWriter>((r) => this.waiting.push(r)));
    const run = writer.write(batch);
    this.writes.add(run);
    let deltas: number;
    try {
      deltas = await run;
    } finally {
      this.writes.delete(run);
      const next = this.waiting.shift();
      if (next) next(writer);
      else this.idle.push(writer);
    }
    if (deltas === 0) return;
    this.committed++;
    this.unfoldedRows += deltas;
    if (this.unfoldedRows >= MAX_UNFOLDED_SUMMARY_ROWS) void this.foldSummaries().catch(() => undefined);
    else
      this.foldTimer ??= setTimeout(() => {
        this.foldTimer = null;
        // A failed fold leaves its deltas in place; the next read folds again and reports the error.
        void this.foldSummaries().catch(() => undefined);
      }, SUMMARY_FOLD_INTERVAL_MS).unref();
  }

  /**
   * Merges the session and view deltas of every write committed so far into their summary tables.
   * Every read of those tables calls it first (a no-op when nothing is pending). A fold that started
   * before the last of those commits does not count: another one follows it.
   */
  async foldSummaries(): Promise<void> {
    const target = this.committed;
    while (this.foldedUpTo < target) {
      this.fold ??= this.runFold().finally(() => {
        this.fold = null;
      });
      await this.fold;
    }
  }

  /**
   * One fold, in a transaction of its own beside the writers'. Its snapshot holds every write counted
   * before it began; deltas committed meanwhile are invisible to it, so its DELETE leaves them too.
   */
  private async runFold(): Promise<void> {
    while (this.summaryWork) await this.summaryWork.catch(() => undefined);
    const upTo = this.committed;
    const rows = this.unfoldedRows;
    const c = this.folder;
    await c.run('BEGIN TRANSACTION');
    try {
      await c.run(FOLD_SESSIONS);
      await c.run(FOLD_VIEWS);
      await c.run('COMMIT');
    } catch (e) {
      await c.run('ROLLBACK').catch(() => undefined);
      throw e;
    }
    this.foldedUpTo = Math.max(this.foldedUpTo, upTo);
    this.unfoldedRows = Math.max(0, this.unfoldedRows - rows);
  }

  /**
   * Runs `work` on summaries with every committed delta folded in, while no fold runs: for work that
   * deletes from the summary or delta tables (retention), which would otherwise conflict with a fold
   * deleting the same delta rows or updating the same summaries, and make one of the two fail. Folds
   * asked for meanwhile (by writes and reads) wait for it.
   */
  async withSummariesFolded<T>(work: () => Promise<T>): Promise<T> {
    for (;;) {
      await this.foldSummaries();
      // A fold started for writes committed since, or other such work: wait, and fold again.
      if (this.fold) await this.fold.catch(() => undefined);
      else if (this.summaryWork) await this.summaryWork.catch(() => undefined);
      else break;
    }
    const run = work();
    this.summaryWork = run;
    try {
      return await run;
    } finally {
      this.summaryWork = null;
    }
  }

  /**
   * Folds first when a query reads the summaries: views come from the views table, and the has_replay
   * field from the sessions table. Other queries read the event tables only and need not wait.
   */
  private foldFor(kind: EventKind | undefined, q: EventQuery): Promise<void> {
    // has_replay may be in the filter, the facet's field or the aggregate's dimensions.
    return kind === 'view' || JSON.stringify(q).includes(HAS_REPLAY)
      ? this.foldSummaries()
      : Promise.resolve();
  }

  async listEvents(kind: EventKind, q: EventQuery): Promise<Page<EventItem>> {
    await this.foldFor(kind, q);
    const { where, params } = eventWhere(q, 'kind = ?', [kind]);
    // Views are sent when they start and again when they end: eventSource shows each once.
    const rows = `SELECT ${EVENT_COLUMNS} FROM ${eventSource(kind, where)}`;
    const page = await this.keysetPage(rows, params, q, EVENT_SORTS, 'id');
    return { items: page.rows.map(toEventItem), nextCursor: page.nextCursor };
  }

  async listSessions(q: EventQuery): Promise<Page<SessionItem>> {
    await this.foldSummaries();
    const { where, params } = sessionWhere(q);
    let rows = `SELECT ${SESSION_COLUMNS} FROM sessions WHERE ${where}`;
    const allParams = [...params];
    const own = !q.viewId && !q.traceId && q.filter ? sessionFilter(q.filter) : null;
    if (own) {
      // The filter names only what a session has once (browser, country...): its summary row answers.
      rows += ` AND ${own.sql}`;
      allParams.push(...own.params);
    } else if (q.filter || q.viewId || q.traceId) {
      // Sessions with at least one matching event in the range.
      const e = eventWhere(q, 'TRUE', []);
      rows += ` AND (app_id, session_id) IN (SELECT app_id, session_id FROM ${ALL_EVENTS} WHERE ${e.where})`;
      allParams.push(...e.params);
    }
    const page = await this.keysetPage(rows, allParams, q, SESSION_SORTS, 'session_id');
    return { items: page.rows.map(toSessionItem), nextCursor: page.nextCursor };
  }

  /**
   * One page of `rowsSql` in the requested order, continued by keyset: the cursor holds the sort
   * value and the id of the last row, so pages neither skip nor repeat rows while data arrives.
   */
  private async keysetPage(
    rowsSql: string,
    params: DuckDBValue[],
    q: EventQuery,
    sorts: Record<string, SortColumn>,
    idColumn: string,
  ): Promise<{ rows: Row[]; nextCursor: string | null }> {
    const { spec, name, desc, after } = resolveSort(sorts, q.sort, q.cursor);
    // Order by the column itself (not an expression of it) so that DuckDB's top-N can skip row groups;
    // missing values come last in either direction.
    const { column } = spec;
    const op = desc ? '<' : '>';
    const dir = desc ? 'DESC' : 'ASC';
    let cursorSql = '';
    const cursorParams: DuckDBValue[] = [];
    if (after) {
      if (after.value === null) {
        cursorSql = `WHERE (${column} IS NULL AND ${idColumn} ${op} ?)`;
        cursorParams.push(after.id);
      } else {
        const x = spec.timestamp ? 'make_timestamp(?::BIGINT)' : '?::DOUBLE';
        const v = spec.timestamp ? BigInt(after.value) : after.value;
        cursorSql = `WHERE (${column} ${op} ${x} OR (${column} = ${x} AND ${idColumn} ${op} ?) OR ${column} IS NULL)`;
        cursorParams.push(v, v, after.id);
      }
    }
    const limit = Math.min(q.limit, MAX_PAGE_SIZE);
    // A column in no time order (duration, status...) is sorted over every matching row, and whole
    // rows are costly to sort. The value the page ends at, found on that column alone, bounds the rows
    // that need sorting whole (ties included; missing values sort last and are past it anyway).
    let bound = '';
    const boundParams: DuckDBValue[] = [];
    if (!spec.timestamp) {
      const [edge] = await this.all(
        `SELECT ${column} AS v FROM (${rowsSql}) ${cursorSql} ORDER BY ${column} ${dir} NULLS LAST LIMIT 1 OFFSET ${limit}`,
        [...params, ...cursorParams],
      );
      if (edge && edge.v !== null && edge.v !== undefined) {
        bound = `${cursorSql ? 'AND' : 'WHERE'} ${column} ${desc ? '>=' : '<='} ?::DOUBLE`;
        boundParams.push(Number(edge.v));
      }
    }
    const rows = await this.all(
      `SELECT * FROM (${rowsSql}) ${cursorSql} ${bound} ORDER BY ${column} ${dir} NULLS LAST, ${idColumn} ${dir} LIMIT ${limit + 1}`,
      [...params, ...cursorParams, ...boundParams],
    );
    const last = rows.length > limit ? rows[limit - 1] : undefined;
    const lastValue = last?.[spec.value];
    return {
      rows: rows.slice(0, limit),
      nextCursor: last
        ? encodeCursor({
            sort: name,
            value: lastValue === null || lastValue === undefined ? null : Number(lastValue),
            id: String(last[idColumn]),
          })
        : null,
    };
  }

  async listIssues(q: EventQuery & { status?: IssueStatus }): Promise<Page<IssueItem>> {
    await this.foldFor('error', q);
    const raw = eventWhere(q, 'fingerprint IS NOT NULL', []);
    // The folded whole hours of the range from the hourly rollups, the rest from the errors table.
    const fromRollups = rollupIssues(this.rollups, eventWhere, q);
    const select = fromRollups ? fromRollups.sql : issueSelect(raw.where);
    const params = fromRollups ? fromRollups.params : raw.params;
    const limit = Math.min(q.limit, MAX_PAGE_SIZE);
    const offset = q.cursor ? (decodeCursor(q.cursor)?.value ?? 0) : 0;
    const rows = await this.all(
      `SELECT * FROM (${select})
       ${q.status ? 'WHERE status = ?' : ''}
       ORDER BY n DESC, last_us DESC, fingerprint LIMIT ${limit + 1} OFFSET ${offset}`,
      q.status ? [...params, q.status] : params,
    );
    return {
      items: rows.slice(0, limit).map(toIssueItem),
      // Issues are ranked by count, which changes as errors arrive: the cursor is an offset.
      nextCursor:
        rows.length > limit ? encodeCursor({ sort: 'issues', value: offset + limit, id: '' }) : null,
    };
  }

  /**
   * The event of an id. The store gives each event its id (ids.ts) and writes it in its kind's table
   * only, so the kinds' tables are looked in one after another, the largest first (the likeliest to
   * hold it), until one holds it: each lookup reads only the row groups whose id range holds the id,
   * and the tables after the hit are not read at all (through the union of all kinds every table was).
   */
  async getEvent(id: string): Promise<EventItem | null> {
    const sizes = await this.all(
      `SELECT table_name AS t FROM duckdb_tables() WHERE schema_name = 'main' AND table_name IN (${EVENT_KINDS.map(
        (k) => `'${eventTable(k)}'`,
      ).join(', ')}) ORDER BY estimated_size DESC, table_name`,
      [],
    );
    for (const { t } of sizes) {
      const rows = await this.all(
        `SELECT ${EVENT_COLUMNS} FROM ${String(t)} WHERE id = ? ORDER BY time DESC LIMIT 1`,
        [id],
      );
      if (rows[0]) return toEventItem(rows[0]);
    }
    return null;
  }

  async getIssue(appId: string, fingerprint: string): Promise<IssueItem | null> {
    const rows = await this.all(issueSelect('app_id = ? AND fingerprint = ?'), [appId, fingerprint]);
    return rows[0] ? toIssueItem(rows[0]) : null;
  }

  async setIssueStatus(appId: string, fingerprint: string, status: IssueStatus): Promise<IssueItem | null> {
    const exists = await this.all(
      `SELECT 1 FROM ${eventTable('error')} WHERE app_id = ? AND fingerprint = ? LIMIT 1`,
      [appId, fingerprint],
    );
    if (exists.length === 0) return null;
    const conn = (this.management ??= await this.instance.connect());
    await conn.run(
      `INSERT INTO issue_status VALUES (?, ?, ?, CASE WHEN ? = 'resolved' THEN now() END, now())
       ON CONFLICT (app_id, fingerprint) DO UPDATE SET status = excluded.status,
         resolved_at = excluded.resolved_at, updated_at = excluded.updated_at`,
      [appId, fingerprint, status, status],
    );
    return this.getIssue(appId, fingerprint);
  }

  async facet(q: FacetQuery): Promise<FacetValue[]> {
    await this.foldFor(q.kind, q);
    return facet((sql, p) => this.all(sql, p), eventWhere, EVENT_FIELDS, q, this.rollups);
  }

  async aggregate(q: AggregateQuery): Promise<AggregateResult> {
    await this.foldFor(q.kind, q);
    return aggregate((sql, p) => this.all(sql, p), eventWhere, EVENT_FIELDS, q, this.rollups);
  }

  async getSession(sessionId: string, appId?: string): Promise<SessionItem | null> {
    await this.foldSummaries();
    const { where, params } = sessionWhere({ sessionId, appId });
    const rows = await this.all(`SELECT ${SESSION_COLUMNS} FROM sessions WHERE ${where} LIMIT 1`, params);
    return rows[0] ? toSessionItem(rows[0]) : null;
  }

  async timeline(sessionId: string, appId?: string): Promise<EventItem[]> {
    const { where, params } = eventWhere({ sessionId, appId, limit: 1 }, 'TRUE', []);
    const rows = await this.all(
      `SELECT ${EVENT_COLUMNS} FROM ${ALL_EVENTS} WHERE ${where} ORDER BY time, id LIMIT ${MAX_TIMELINE_EVENTS}`,
      params,
    );
    return rows.map(toEventItem);
  }

  async trace(traceId: string): Promise<SpanItem[]> {
    const rows = await this.all(
      `SELECT trace_id, span_id, parent_span_id, name, kind, epoch_us(start_time) AS start_us, duration_ms,
         status_code, status_message, service_name, app_id, session_id, scope_name, attributes, events
       FROM spans WHERE trace_id = ? ORDER BY start_time, span_id LIMIT ${MAX_TRACE_SPANS}`,
      [traceId.toLowerCase()],
    );
    return rows.map((r) => ({
      traceId: String(r.trace_id),
      spanId: String(r.span_id),
      parentSpanId: (r.parent_span_id as string | null) ?? null,
      name: String(r.name),
      kind: Number(r.kind),
      start: isoFromMicros(r.start_us),
      durationMs: Number(r.duration_ms),
      statusCode: Number(r.status_code),
      statusMessage: (r.status_message as string | null) ?? null,
      serviceName: (r.service_name as string | null) ?? null,
      appId: (r.app_id as string | null) ?? null,
      sessionId: (r.session_id as string | null) ?? null,
      scopeName: (r.scope_name as string | null) ?? null,
      attributes: parseJson(r.attributes) as Record<string, unknown>,
      events: (parseJson(r.events) as SpanItem['events'] | null) ?? [],
    }));
  }

  replaySegments(q: {
    sessionId: string;
    appId?: string;
    after?: ReplayPosition;
    limit: number;
  }): Promise<StoredReplaySegment[]> {
    return readReplaySegments(this.reader, q);
  }

  /**
   * One run of the rollup job now (or at `nowMs`): folds the closed hours not folded yet and folds
   * again those that late events touched. The scheduled job calls the same.
   */
  runRollups(nowMs?: number): Promise<{ folded: number; refolded: number }> {
    return this.rollupJob.runOnce(nowMs);
  }

  /** Whether reads use the rollups; off, every query reads the raw events (for comparisons). */
  setRollupReads(on: boolean): void {
    this.rollups.enabled = on;
  }

  /**
   * Runs `work` while no rollup fold runs, for work that deletes events (erasure, retention): it
   * folds again, with `refold`, the folded hours it changed (inside its transaction when it has one).
   */
  withRollupsHeld<T>(
    work: (refold: (c: DuckDBConnection, hours: Iterable<number>) => Promise<number>) => Promise<T>,
  ): Promise<T> {
    return this.rollups.exclusive(() => work((c, hours) => this.rollups.refoldIn(c, hours)));
  }

  /** Folded hours (start, ms), oldest first. */
  rollupHours(): number[] {
    return this.rollups.foldedHours();
  }

  /**
   * A connection of its own for another domain (applications, tokens, jobs). Never share the writer:
   * its transaction spans awaits, and anything run on it would join the ingest transaction.
   */
  connect(): Promise<DuckDBConnection> {
    return this.instance.connect();
  }

  async recentIdempotencyKeys(sinceMs: number, limit: number): Promise<IdempotencyKeyRow[]> {
    const rows = await this.reader.runAndReadAll(
      `SELECT key, committed_ms, rejected, error_message FROM (
         SELECT * FROM idempotency_keys WHERE committed_ms >= $1 ORDER BY committed_ms DESC LIMIT $2
       ) ORDER BY committed_ms`,
      [BigInt(sinceMs), limit],
    );
    return rows.getRowObjectsJS().map((r) => ({
      key: String(r.key),
      committedMs: Number(r.committed_ms),
      rejected: Number(r.rejected),
      errorMessage: String(r.error_message),
    }));
  }

  async forgetIdempotencyKeys(beforeMs: number): Promise<void> {
    // On a connection of its own, outside any ingest or fold transaction. Rows this old are appended
    // by no running write, so the deletion conflicts with none.
    const c = await this.instance.connect();
    try {
      await c.run('DELETE FROM idempotency_keys WHERE committed_ms < $1', [BigInt(beforeMs)]);
    } finally {
      c.closeSync();
    }
  }

  async ready(): Promise<boolean> {
    await this.reader.run('SELECT 1');
    return true;
  }

  async close(): Promise<void> {
    if (this.foldTimer) clearTimeout(this.foldTimer);
    await this.rollupJob.close().catch(() => undefined);
    // Finish the writes and the fold under way; deltas left unfolded are folded when the file is opened next.
    await Promise.allSettled([...this.writes, this.fold]);
    // The checkpoint that closing the last connection would run, here on DuckDB's side of the binding
    // rather than blocking the JavaScript thread (as the checkpoints a commit triggers do).
    await this.folder.run('CHECKPOINT').catch(() => undefined);
    for (const w of this.writers) w.close();
    this.management?.closeSync();
    this.rollupConn?.closeSync();
    this.folder.closeSync();
    this.reader.closeSync();
    this.instance.closeSync();
  }

  private async all(sql: string, params: DuckDBValue[]): Promise<Row[]> {
    const reader = await this.reader.runAndReadAll(sql, params);
    return reader.getRowObjectsJS() as Row[];
  }
}

// The effective status: a resolved issue whose error is seen after it was resolved is open again.
const issueSelect = (
  where: string,
) => `SELECT e.app_id, e.fingerprint, count(*) AS n, count(DISTINCT e.session_id) AS sessions,
    epoch_us(min(e.time)) AS first_us, epoch_us(max(e.time)) AS last_us,
    arg_max(e.label, e.time) AS message, arg_max(e.type, e.time) AS type,
    CASE WHEN any_value(s.status) = 'resolved' AND max(e.time) > any_value(s.resolved_at) THEN 'open'
         ELSE coalesce(any_value(s.status), 'open') END AS status,
    coalesce(any_value(s.status) = 'resolved' AND max(e.time) > any_value(s.resolved_at), false) AS regressed
  FROM (SELECT * FROM ${eventTable('error')} AS events WHERE ${where}) e
  LEFT JOIN issue_status s ON s.app_id = e.app_id AND s.fingerprint = e.fingerprint
  GROUP BY e.app_id, e.fingerprint`;

function toIssueItem(r: Row): IssueItem {
  return {
    appId: String(r.app_id),
    fingerprint: String(r.fingerprint),
    status: r.status as IssueStatus,
    regressed: Boolean(r.regressed),
    type: (r.type as string | null) ?? null,
    message: (r.message as string | null) ?? null,
    count: Number(r.n),
    sessions: Number(r.sessions),
    firstSeen: isoFromMicros(r.first_us),
    lastSeen: isoFromMicros(r.last_us),
  };
}

/** Sortable fields of event lists, the first being the default (newest first). */
export const EVENT_SORTS: Record<string, SortColumn> = {
  time: { column: 'time', value: 'time_us', timestamp: true },
  duration: { column: 'duration_ms', value: 'duration_ms' },
  status: { column: 'status', value: 'status' },
  value: { column: 'value', value: 'value' },
};

/** Sortable fields of the session list, the first being the default (newest first). */
export const SESSION_SORTS: Record<string, SortColumn> = {
  start: { column: 'start_time', value: 'start_us', timestamp: true },
  end: { column: 'end_time', value: 'end_us', timestamp: true },
  duration: { column: 'duration_us', value: 'duration_us' },
  views: { column: 'view_count', value: 'view_count' },
  errors: { column: 'error_count', value: 'error_count' },
  events: { column: 'event_count', value: 'event_count' },
};

const SESSION_COLUMNS = `app_id, session_id, start_time, end_time, epoch_us(start_time) AS start_us,
  epoch_us(end_time) AS end_us, epoch_us(end_time) - epoch_us(start_time) AS duration_us,
  view_count, error_count, action_count, resource_count, event_count, user_id, user_agent, first_url,
  environment, service_version, browser, os, device, country, replay_count > 0 AS has_replay`;

/** Conditions on the sessions table: a session is in a time range when it overlaps it. */
function sessionWhere(q: Partial<EventQuery>): { where: string; params: DuckDBValue[] } {
  const clauses = ['TRUE'];
  const params: DuckDBValue[] = [];
  if (q.appId !== undefined) {
    clauses.push('app_id = ?');
    params.push(q.appId);
  }
  if (q.sessionId !== undefined) {
    clauses.push('session_id = ?');
    params.push(q.sessionId);
  }
  if (q.fromMs !== undefined) {
    clauses.push('end_time >= make_timestamp(?::BIGINT)');
    params.push(BigInt(Math.trunc(q.fromMs)) * 1000n);
  }
  if (q.toMs !== undefined) {
    clauses.push('start_time < make_timestamp(?::BIGINT)');
    params.push(BigInt(Math.trunc(q.toMs)) * 1000n);
  }
  return { where: clauses.join(' AND '), params };
}

function eventWhere(q: Partial<EventQuery>, first: string, firstParams: DuckDBValue[]) {
  const clauses = [first];
  const params: DuckDBValue[] = [...firstParams];
  const eq = (col: string, v: string | undefined) => {
    if (v !== undefined) {
      clauses.push(`${col} = ?`);
      params.push(v);
    }
  };
  eq('app_id', q.appId);
  eq('session_id', q.sessionId);
  eq('view_id', q.viewId);
  eq('trace_id', q.traceId?.toLowerCase());
  if (q.fromMs !== undefined) {
    clauses.push('time >= make_timestamp(?::BIGINT)');
    params.push(BigInt(Math.trunc(q.fromMs)) * 1000n);
  }
  if (q.toMs !== undefined) {
    clauses.push('time < make_timestamp(?::BIGINT)');
    params.push(BigInt(Math.trunc(q.toMs)) * 1000n);
  }
  if (q.filter) {
    const compiled = compileFilter(parseFilter(q.filter), EVENT_FIELDS, 'duckdb');
    clauses.push(compiled.sql);
    params.push(...compiled.params);
  }
  return { where: clauses.join(' AND '), params };
}

/**
 * The filter language's fields that hold one value for a whole session, read from its summary row.
 * A filter naming only these is answered by the sessions table without reading events.
 */
const SESSION_FIELDS: FieldMap = {
  fields: { ...SESSION_COLUMN_FIELDS, [HAS_REPLAY]: { column: '(replay_count > 0)', type: 'boolean' } },
};

/** The filter compiled on the sessions table, or null when it names anything a session has per event. */
function sessionFilter(filter: string): { sql: string; params: DuckDBValue[] } | null {
  const ast = parseFilter(filter);
  try {
    return compileFilter(ast, SESSION_FIELDS, 'duckdb');
  } catch {
    return null;
  }
}

/** The filter language's fields on the events table. */
export const EVENT_FIELDS: FieldMap = {
  fields: {
    ...EVENT_COLUMN_FIELDS,
    [HAS_REPLAY]: {
      // From the session's summary row, which counts its replay segments.
      column: `coalesce((SELECT s.replay_count > 0 FROM sessions s
        WHERE s.app_id = events.app_id AND s.session_id = events.session_id), false)`,
      type: 'boolean',
    },
  },
  attributes: { column: 'attributes', storage: 'json' },
  text: TEXT_FIELDS,
};

function parseJson(v: unknown): unknown {
  if (typeof v !== 'string') return v ?? null;
  try {
    return JSON.parse(v);
  } catch {
    return null;
  }
}

function toEventItem(r: Row): EventItem {
  return {
    id: String(r.id),
    kind: r.kind as EventKind,
    time: isoFromMicros(r.time_us),
    appId: String(r.app_id),
    sessionId: String(r.session_id),
    viewId: (r.view_id as string | null) ?? null,
    traceId: (r.trace_id as string | null) ?? null,
    spanId: (r.span_id as string | null) ?? null,
    name: String(r.name),
    label: (r.label as string | null) ?? null,
    url: (r.url as string | null) ?? null,
    path: (r.path as string | null) ?? null,
    durationMs: (r.duration_ms as number | null) ?? null,
    value: (r.value as number | null) ?? null,
    status: r.status === null || r.status === undefined ? null : Number(r.status),
    serviceName: (r.service_name as string | null) ?? null,
    serviceVersion: (r.service_version as string | null) ?? null,
    environment: (r.environment as string | null) ?? null,
    userId: (r.user_id as string | null) ?? null,
    source: String(r.source),
    fingerprint: (r.fingerprint as string | null) ?? null,
    browser: (r.browser as string | null) ?? null,
    browserVersion: (r.browser_version as string | null) ?? null,
    os: (r.os as string | null) ?? null,
    device: (r.device as string | null) ?? null,
    country: (r.country as string | null) ?? null,
    type: (r.type as string | null) ?? null,
    attributes: (parseJson(r.attributes) as Record<string, unknown>) ?? {},
  };
}
