import type { EventKind } from '@otel-rum/model';
import { EVENT_COLUMN_FIELDS, HAS_REPLAY, SESSION_COLUMN_FIELDS, TEXT_FIELDS } from '../event-fields';
import { HttpError } from '../../http/http-error';
import { compileFilter, parseFilter, type FieldMap } from '../../query/filter';
import { clickhouseQueryParams } from '../../query/filter/compile';
import {
  MAX_AGGREGATE_BUCKETS,
  MAX_AGGREGATE_GROUPS,
  MAX_FACET_VALUES,
  type AggregateQuery,
  type AggregateResult,
  type AggregateSeries,
  type FacetQuery,
  type FacetValue,
  type IssueStatus,
} from '../analytics';
import { decodeCursor, encodeCursor, resolveSort, type SortColumn } from '../cursor';
import { uuidv7 } from '../ids';
import type { EventRow, MetricPointRow, ReplaySegmentRow, SpanRow, WriteBatch } from '../rows';
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
import { sessionDeltas } from '../duckdb/sessions';
import { viewStates } from '../duckdb/views';
import type { Attributes } from '../../ingest/otlp/values';
import type { ClickHouseExecutor, QueryParams, Row } from './executor';
import { ClickHouseApplicationRepository, ClickHouseTokenRepository } from './state';
import { ClickHouseRetention, ClickHouseUsage } from './jobs';
import { ClickHouseJourneys } from './journeys';
import { ClickHouseMetricTables } from './metric-tables';
import { ClickHouseErasure } from './erasure';
import { schemaBootstrap, schemaMigrations, tableRef, type SchemaOptions } from './schema';
import type { PrivacyLevel, ReplayEncoding } from '@otel-rum/model';
import { isoFromMicros, toSessionItem } from '../session-item';

/** Inserts a store runs at once; each is one batch of one replica. */
export const CLICKHOUSE_WRITE_CONCURRENCY = 4;

/** Named placeholders of one query: `{v<n>:Type}` for the store's own values, `{p<n>:...}` for a filter's. */
class Params {
  readonly values: QueryParams = {};
  private n = 0;
  private f = 0;

  add(value: string | number, type: string): string {
    const name = `v${this.n++}`;
    this.values[name] = value;
    return `{${name}:${type}}`;
  }

  str(value: string): string {
    return this.add(value, 'String');
  }

  /** An instant given in epoch microseconds. */
  micros(us: bigint | number): string {
    return `fromUnixTimestamp64Micro(${this.add(String(us), 'Int64')}, 'UTC')`;
  }

  filter(filter: string, fields: FieldMap): string {
    const compiled = compileFilter(parseFilter(filter), fields, 'clickhouse', { paramOffset: this.f });
    Object.assign(this.values, clickhouseQueryParams(compiled, this.f));
    this.f += compiled.params.length;
    return compiled.sql;
  }
}

const EVENT_SORTS: Record<string, SortColumn> = {
  time: { column: 'time', value: 'time_us', timestamp: true },
  duration: { column: 'duration_ms', value: 'duration_ms' },
  status: { column: 'status', value: 'status' },
  value: { column: 'value', value: 'value' },
};

const SESSION_SORTS: Record<string, SortColumn> = {
  start: { column: 'start_time', value: 'start_us', timestamp: true },
  end: { column: 'end_time', value: 'end_us', timestamp: true },
  duration: { column: 'duration_us', value: 'duration_us' },
  views: { column: 'view_count', value: 'view_count' },
  errors: { column: 'error_count', value: 'error_count' },
  events: { column: 'event_count', value: 'event_count' },
};

const EVENT_COLUMNS = `id, kind, time, toUnixTimestamp64Micro(time) AS time_us, app_id, session_id, view_id, trace_id,
  span_id, name, label, url, path, duration_ms, value, status, service_name, service_version, environment, user_id,
  source, attributes_json, fingerprint, browser, browser_version, os, device, country, type`;

/**
 * A store over ClickHouse (README.md beside this file). Everything it keeps is in ClickHouse, so any
 * number of server processes may share one database.
 */
export class ClickHouseStore implements RumStore {
  readonly writeConcurrency = CLICKHOUSE_WRITE_CONCURRENCY;
  private readonly fields: FieldMap;
  private readonly sessionFields: FieldMap;

  private constructor(
    private readonly x: ClickHouseExecutor,
    private readonly o: SchemaOptions,
  ) {
    this.fields = {
      fields: {
        ...EVENT_COLUMN_FIELDS,
        // From the sessions summary, which counts each session's replay segments.
        [HAS_REPLAY]: {
          column: `toBool((app_id, session_id) IN (SELECT app_id, session_id FROM ${this.t('sessions')}
            GROUP BY app_id, session_id HAVING sum(replay_count) > 0))`,
          type: 'boolean',
        },
      },
      attributes: { column: 'attributes', storage: 'map' },
      text: TEXT_FIELDS,
    };
    this.sessionFields = {
      fields: { ...SESSION_COLUMN_FIELDS, [HAS_REPLAY]: { column: 'has_replay', type: 'boolean' } },
    };
  }

  /** Connects through `executor`, and brings the schema up to date. */
  static async open(executor: ClickHouseExecutor, options: SchemaOptions): Promise<ClickHouseStore> {
    const store = new ClickHouseStore(executor, options);
    await store.migrate();
    return store;
  }

  /** Applications, kept in ClickHouse for every replica (state.ts). */
  applications(): ClickHouseApplicationRepository {
    return new ClickHouseApplicationRepository(this.x, this.t('applications'));
  }

  /** API tokens, kept in ClickHouse for every replica (state.ts). */
  tokens(): ClickHouseTokenRepository {
    return new ClickHouseTokenRepository(this.x, this.t('api_tokens'));
  }

  /** Retention over this store's tables, with the windows of the applications kept in ClickHouse (jobs.ts). */
  retention(): ClickHouseRetention {
    return new ClickHouseRetention(this.x, this.o, this.applications());
  }

  /** Daily usage, kept by a materialized view over the events (jobs.ts). */
  usage(): ClickHouseUsage {
    return new ClickHouseUsage(this.x, this.o);
  }

  /** Generated metric rules, series and buckets, shared by every replica (metric-tables.ts). */
  metricTables(): ClickHouseMetricTables {
    return new ClickHouseMetricTables(this.x, (table) => this.t(table));
  }

  /** Journeys and their analysis (journeys.ts). */
  journeys(): ClickHouseJourneys {
    return new ClickHouseJourneys(this.x, (table) => this.t(table));
  }

  /** Erasure of a user's or a session's data from every table (erasure.ts). */
  erasure(): ClickHouseErasure {
    return new ClickHouseErasure(this.x, this.o);
  }

  /** A table's qualified name (the Distributed one on a cluster). */
  private t(table: string): string {
    return tableRef(this.o, table);
  }

  private async migrate(): Promise<void> {
    for (const s of schemaBootstrap(this.o)) await this.x.command(s);
    const done = new Set(
      (await this.x.query(`SELECT DISTINCT version FROM ${this.t('schema_migrations')}`)).map((r) =>
        Number(r.version),
      ),
    );
    for (const m of schemaMigrations(this.o)) {
      if (done.has(m.version)) continue;
      try {
        for (const s of m.statements) await this.x.command(s);
      } catch (e) {
        throw new Error(
          `ClickHouse schema migration ${m.version} (${m.name}) failed: ${(e as Error).message}`,
        );
      }
      await this.x.insert(this.t('schema_migrations'), [{ version: m.version, name: m.name }]);
    }
  }

  /**
   * Inserts the batch table by table; resolves once ClickHouse has acknowledged every insert.
   * ClickHouse has no transaction over tables: a batch that fails part way may be partly written.
   */
  async write(batch: WriteBatch): Promise<void> {
    if (batch.events.length) {
      for (const e of batch.events) e.id ??= uuidv7();
      await this.x.insert(this.t('events'), batch.events.map(eventRow));
      await this.x.insert(
        this.t('session_deltas'),
        sessionDeltas(batch.events).map((d) => ({
          app_id: d.appId,
          session_id: d.sessionId,
          start_time: micros(d.startUs),
          end_time: micros(d.endUs),
          view_count: d.views,
          error_count: d.errors,
          action_count: d.actions,
          resource_count: d.resources,
          replay_count: d.replays,
          event_count: d.events,
          user_id: d.userId,
          user_agent: d.userAgent,
          first_url: d.firstUrl,
          first_url_time: micros(d.firstUrlUs ?? d.startUs),
          environment: d.environment,
          service_version: d.serviceVersion,
          browser: d.browser,
          os: d.os,
          device: d.device,
          country: d.country,
        })),
      );
      await this.x.insert(
        this.t('view_deltas'),
        viewStates(batch.events).map((v) => ({
          ...eventRow({ ...v.latest, timeUs: v.startUs }),
          last_time: micros(v.latest.timeUs),
        })),
      );
    }
    if (batch.replaySegments?.length)
      await this.x.insert(this.t('replay_segments'), batch.replaySegments.map(replayRow));
    if (batch.spans.length) await this.x.insert(this.t('otel_traces'), batch.spans.map(spanRow));
    if (batch.metricPoints.length)
      await this.x.insert(this.t('metric_points'), batch.metricPoints.map(metricRow));
  }

  /** Conditions on events, with their parameters added to `p`. */
  private eventWhere(q: Partial<EventQuery>, p: Params, kind?: EventKind): string {
    const c: string[] = ['1'];
    if (kind) c.push(`kind = ${p.str(kind)}`);
    const eq = (col: string, v: string | undefined) => {
      if (v !== undefined) c.push(`${col} = ${p.str(v)}`);
    };
    eq('app_id', q.appId);
    eq('session_id', q.sessionId);
    eq('view_id', q.viewId);
    eq('trace_id', q.traceId?.toLowerCase());
    if (q.fromMs !== undefined) c.push(`time >= ${p.micros(BigInt(Math.trunc(q.fromMs)) * 1000n)}`);
    if (q.toMs !== undefined) c.push(`time < ${p.micros(BigInt(Math.trunc(q.toMs)) * 1000n)}`);
    if (q.filter) c.push(p.filter(q.filter, this.fields));
    return c.join(' AND ');
  }

  /**
   * The events matching `where`, as a FROM item named `events`. Views come from the views summary:
   * each view's latest record (FINAL) at its first time (view_starts).
   */
  private eventSource(kind: EventKind | undefined, where: string, q: Partial<EventQuery>, p: Params): string {
    if (kind !== 'view') return `(SELECT * FROM ${this.t('events')} WHERE ${where}) AS events`;
    const id = q.appId === undefined ? null : p.str(q.appId);
    return `(SELECT * FROM (
        SELECT v.* REPLACE (s.time AS time) FROM ${this.t('views')} AS v FINAL
        INNER JOIN (SELECT app_id, view_id, min(time) AS time FROM ${this.t('view_starts')} WHERE ${id ? `app_id = ${id}` : '1'}
                    GROUP BY app_id, view_id) AS s ON s.app_id = v.app_id AND s.view_id = v.view_id
        WHERE ${id ? `v.app_id = ${id}` : '1'}
      ) WHERE ${where}) AS events`;
  }

  /** Sessions, finished from their partial aggregates; `inner` narrows the summary rows read (by key). */
  private sessionSource(inner = '1'): string {
    return `(SELECT app_id, session_id, start_time, end_time, toUnixTimestamp64Micro(start_time) AS start_us,
        toUnixTimestamp64Micro(end_time) AS end_us, end_us - start_us AS duration_us, view_count, error_count,
        action_count, resource_count, event_count, user_id, user_agent, first_url, environment, service_version,
        browser, os, device, country, toBool(replay_count > 0) AS has_replay
      FROM (SELECT app_id, session_id, min(start_time) AS start_time, max(end_time) AS end_time,
          sum(view_count) AS view_count, sum(error_count) AS error_count, sum(action_count) AS action_count,
          sum(resource_count) AS resource_count, sum(replay_count) AS replay_count, sum(event_count) AS event_count,
          any(user_id) AS user_id, any(user_agent) AS user_agent, nullIf(argMinMerge(first_url), '') AS first_url,
          any(environment) AS environment, any(service_version) AS service_version, any(browser) AS browser,
          any(os) AS os, any(device) AS device, any(country) AS country
        FROM ${this.t('sessions')} WHERE ${inner} GROUP BY app_id, session_id))`;
  }

  async listEvents(kind: EventKind, q: EventQuery): Promise<Page<EventItem>> {
    const p = new Params();
    const rows = `SELECT ${EVENT_COLUMNS} FROM ${this.eventSource(kind, this.eventWhere(q, p, kind), q, p)}`;
    const page = await this.keysetPage(rows, p, q, EVENT_SORTS, 'id');
    return { items: page.rows.map(toEventItem), nextCursor: page.nextCursor };
  }

  async listSessions(q: EventQuery): Promise<Page<SessionItem>> {
    const p = new Params();
    const c = ['1'];
    const inner = ['1'];
    if (q.appId !== undefined) inner.push(`app_id = ${p.str(q.appId)}`);
    if (q.sessionId !== undefined) inner.push(`session_id = ${p.str(q.sessionId)}`);
    if (q.fromMs !== undefined) c.push(`end_time >= ${p.micros(BigInt(Math.trunc(q.fromMs)) * 1000n)}`);
    if (q.toMs !== undefined) c.push(`start_time < ${p.micros(BigInt(Math.trunc(q.toMs)) * 1000n)}`);
    const own = !q.viewId && !q.traceId && q.filter ? this.sessionFilter(q.filter, p) : null;
    if (own) c.push(own);
    else if (q.filter || q.viewId || q.traceId) {
      c.push(
        `(app_id, session_id) IN (SELECT app_id, session_id FROM ${this.t('events')} AS events WHERE ${this.eventWhere(q, p)})`,
      );
    }
    const rows = `SELECT * FROM ${this.sessionSource(inner.join(' AND '))} WHERE ${c.join(' AND ')}`;
    const page = await this.keysetPage(rows, p, q, SESSION_SORTS, 'session_id');
    return { items: page.rows.map(toSessionItem), nextCursor: page.nextCursor };
  }

  /** The filter on the sessions summary, or null when it names anything a session has per event. */
  private sessionFilter(filter: string, p: Params): string | null {
    try {
      compileFilter(parseFilter(filter), this.sessionFields, 'clickhouse');
    } catch {
      return null;
    }
    return p.filter(filter, this.sessionFields);
  }

  /** One page in the requested order, continued by keyset (the same cursors as the DuckDB store). */
  private async keysetPage(
    rowsSql: string,
    p: Params,
    q: EventQuery,
    sorts: Record<string, SortColumn>,
    idColumn: string,
  ): Promise<{ rows: Row[]; nextCursor: string | null }> {
    const { spec, name, desc, after } = resolveSort(sorts, q.sort, q.cursor);
    const { column } = spec;
    const op = desc ? '<' : '>';
    const dir = desc ? 'DESC' : 'ASC';
    let cursorSql = '';
    if (after) {
      const id = p.str(after.id);
      if (after.value === null) cursorSql = `WHERE (${column} IS NULL AND ${idColumn} ${op} ${id})`;
      else {
        const x = spec.timestamp ? p.micros(Math.trunc(after.value)) : p.add(after.value, 'Float64');
        cursorSql = `WHERE (${column} ${op} ${x} OR (${column} = ${x} AND ${idColumn} ${op} ${id}) OR ${column} IS NULL)`;
      }
    }
    const limit = Math.min(q.limit, MAX_PAGE_SIZE);
    const rows = await this.x.query(
      `SELECT * FROM (${rowsSql}) ${cursorSql} ORDER BY ${column} ${dir} NULLS LAST, ${idColumn} ${dir} LIMIT ${limit + 1}`,
      p.values,
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

  /** Errors grouped by fingerprint, with the effective status (a resolved issue seen again is open). */
  private issueSelect(where: string): string {
    return `SELECT e.app_id AS app_id, e.fingerprint AS fingerprint, count() AS n, uniqExact(e.session_id) AS sessions,
        toUnixTimestamp64Micro(min(e.time)) AS first_us, toUnixTimestamp64Micro(max(e.time)) AS last_us,
        argMax(e.label, e.time) AS message, argMax(e.type, e.time) AS type,
        if(any(s.status) = 'resolved' AND max(e.time) > any(s.resolved_at), 'open', coalesce(any(s.status), 'open')) AS status,
        coalesce(any(s.status) = 'resolved' AND max(e.time) > any(s.resolved_at), false) AS regressed
      FROM (SELECT * FROM ${this.t('events')} AS events WHERE kind = 'error' AND fingerprint IS NOT NULL AND ${where}) AS e
      LEFT JOIN (SELECT app_id, fingerprint, argMax(status, updated_at) AS status,
          argMax(resolved_at, updated_at) AS resolved_at
        FROM ${this.t('issue_status')} GROUP BY app_id, fingerprint) AS s
        ON s.app_id = e.app_id AND s.fingerprint = e.fingerprint
      GROUP BY e.app_id, e.fingerprint`;
  }

  async listIssues(q: EventQuery & { status?: IssueStatus }): Promise<Page<IssueItem>> {
    const p = new Params();
    const where = this.eventWhere(q, p);
    const limit = Math.min(q.limit, MAX_PAGE_SIZE);
    const offset = q.cursor ? (decodeCursor(q.cursor)?.value ?? 0) : 0;
    const rows = await this.x.query(
      `SELECT * FROM (${this.issueSelect(where)}) ${q.status ? `WHERE status = ${p.str(q.status)}` : ''}
       ORDER BY n DESC, last_us DESC, fingerprint LIMIT ${limit + 1} OFFSET ${Math.trunc(offset)}
       SETTINGS join_use_nulls = 1`,
      p.values,
    );
    return {
      items: rows.slice(0, limit).map(toIssueItem),
      nextCursor:
        rows.length > limit ? encodeCursor({ sort: 'issues', value: offset + limit, id: '' }) : null,
    };
  }

  async getEvent(id: string): Promise<EventItem | null> {
    const p = new Params();
    const rows = await this.x.query(
      `SELECT ${EVENT_COLUMNS} FROM ${this.t('events')} WHERE id = ${p.str(id)} ORDER BY time DESC LIMIT 1`,
      p.values,
    );
    return rows[0] ? toEventItem(rows[0]) : null;
  }

  async getIssue(appId: string, fingerprint: string): Promise<IssueItem | null> {
    const p = new Params();
    const rows = await this.x.query(
      `${this.issueSelect(`app_id = ${p.str(appId)} AND fingerprint = ${p.str(fingerprint)}`)} SETTINGS join_use_nulls = 1`,
      p.values,
    );
    return rows[0] ? toIssueItem(rows[0]) : null;
  }

  async setIssueStatus(appId: string, fingerprint: string, status: IssueStatus): Promise<IssueItem | null> {
    const p = new Params();
    const exists = await this.x.query(
      `SELECT 1 FROM ${this.t('events')} WHERE kind = 'error' AND app_id = ${p.str(appId)}
         AND fingerprint = ${p.str(fingerprint)} LIMIT 1`,
      p.values,
    );
    if (exists.length === 0) return null;
    const now = micros(BigInt(Date.now()) * 1000n);
    await this.x.insert(this.t('issue_status'), [
      {
        app_id: appId,
        fingerprint,
        status,
        resolved_at: status === 'resolved' ? now : null,
        updated_at: now,
      },
    ]);
    return this.getIssue(appId, fingerprint);
  }

  async facet(q: FacetQuery): Promise<FacetValue[]> {
    const p = new Params();
    const f = this.fieldExpression(q.field, false, p);
    const where = this.eventWhere(q, p, q.kind);
    const limit = Math.min(q.limit, MAX_FACET_VALUES);
    const rows = await this.x.query(
      `SELECT ${f.sql} AS value, count() AS n FROM ${this.eventSource(q.kind, where, q, p)}
       GROUP BY value ORDER BY n DESC, value ASC NULLS LAST LIMIT ${limit}`,
      p.values,
    );
    return rows.map((r) => ({ value: plain(r.value, f.type), count: Number(r.n) }));
  }

  /** SQL of a filter-language field name, or attr.<key>: NULL where an attribute is missing. */
  private fieldExpression(name: string, numeric: boolean, p: Params): { sql: string; type: string } {
    if (name.startsWith('attr.')) {
      const key = name.slice(5);
      if (!/^[A-Za-z0-9_.:-]{1,128}$/.test(key))
        throw new HttpError(400, `attribute name "${key}" must be letters, digits, _ . : or -`);
      const k = p.str(key);
      const text = `if(mapContains(attributes, ${k}), attributes[${k}], NULL)`;
      return numeric ? { sql: `toFloat64OrNull(${text})`, type: 'number' } : { sql: text, type: 'string' };
    }
    const spec = Object.prototype.hasOwnProperty.call(this.fields.fields, name)
      ? this.fields.fields[name]
      : undefined;
    if (!spec) {
      throw new HttpError(
        400,
        `unknown field "${name}"; known: ${Object.keys(this.fields.fields).join(', ')}, attr.<key>`,
      );
    }
    if (numeric && spec.type !== 'number') throw new HttpError(400, `field "${name}" is not numeric`);
    return { sql: spec.column, type: spec.type };
  }

  async aggregate(q: AggregateQuery): Promise<AggregateResult> {
    const needsField = q.aggregation !== 'count' && q.aggregation !== 'rate';
    if (needsField && !q.field)
      throw new HttpError(400, `aggregation ${q.aggregation} needs a numeric field`);
    const p = new Params();
    const value = needsField ? this.fieldExpression(q.field!, true, p).sql : 'NULL';
    const toMs = q.toMs ?? Date.now();
    const fromMs = q.fromMs ?? toMs - 24 * 3600 * 1000;
    const buckets = Math.ceil((toMs - fromMs) / (q.intervalS * 1000));
    if (buckets > MAX_AGGREGATE_BUCKETS) {
      throw new HttpError(
        400,
        `${buckets} buckets of ${q.intervalS} s is over the limit of ${MAX_AGGREGATE_BUCKETS}: widen the interval`,
      );
    }
    const groups = q.groupBy.map((g) => this.fieldExpression(g, false, p));
    const gcols = groups.map((_, i) => `g${i}`);
    const quantile = (x: number) => `quantileExactInclusive(${x})(x)`;
    const agg: Record<string, string> = {
      count: 'toFloat64(count())',
      rate: `count() / ${q.intervalS}`,
      sum: 'sum(x)',
      avg: 'avg(x)',
      min: 'min(x)',
      max: 'max(x)',
      p50: quantile(0.5),
      p75: quantile(0.75),
      p90: quantile(0.9),
      p95: quantile(0.95),
      p99: quantile(0.99),
    };
    const fromUs = BigInt(Math.trunc(fromMs)) * 1000n;
    const from = p.add(String(fromUs), 'Int64');
    const width = p.add(String(BigInt(q.intervalS) * 1_000_000n), 'Int64');
    const where = this.eventWhere({ ...q, fromMs, toMs }, p, q.kind);
    // Same as the DuckDB store: one pass of (group, bucket) cells, then the groups with the most rows.
    const cells = `SELECT intDiv(toUnixTimestamp64Micro(time) - ${from}, ${width}) AS b,
        ${groups.map((g, i) => `${g.sql} AS g${i}, `).join('')}${agg[q.aggregation]} AS v, count() AS n, count(x) AS nx
      FROM (SELECT *, ${value} AS x FROM ${this.eventSource(q.kind, where, q, p)}) AS events
      GROUP BY b${gcols.map((g) => `, ${g}`).join('')}`;
    const keep = needsField ? 'nx > 0' : '1';
    const sql = gcols.length
      ? `SELECT ${gcols.join(', ')}, b, v FROM (
          SELECT *, dense_rank() OVER (ORDER BY total DESC, ${gcols.map((g) => `${g} ASC NULLS LAST`).join(', ')}) AS r
          FROM (SELECT *, sum(n) OVER (PARTITION BY ${gcols.join(', ')}) AS total FROM (${cells})))
        WHERE r <= ${MAX_AGGREGATE_GROUPS} AND ${keep}
        ORDER BY ${gcols.map((g) => `${g} ASC NULLS LAST`).join(', ')}, b`
      : `SELECT b, v FROM (${cells}) WHERE ${keep} ORDER BY b`;
    const rows = await this.x.query(sql, p.values);
    const series = new Map<string, AggregateSeries>();
    for (const r of rows) {
      const group = Object.fromEntries(
        q.groupBy.map((name, i) => [name, plain(r[`g${i}`], groups[i]!.type)]),
      );
      const key = JSON.stringify(group);
      let s = series.get(key);
      if (!s) series.set(key, (s = { group, points: [] }));
      const v = Number(r.v);
      const bucketMs = Math.trunc(fromMs) + Number(r.b) * q.intervalS * 1000;
      s.points.push([new Date(bucketMs).toISOString(), Number.isFinite(v) ? v : 0]);
    }
    return {
      aggregation: q.aggregation,
      field: q.field ?? null,
      intervalS: q.intervalS,
      series: [...series.values()],
    };
  }

  async getSession(sessionId: string, appId?: string): Promise<SessionItem | null> {
    const page = await this.listSessions({ sessionId, appId, limit: 1 });
    return page.items[0] ?? null;
  }

  async timeline(sessionId: string, appId?: string): Promise<EventItem[]> {
    const p = new Params();
    const where = this.eventWhere({ sessionId, appId }, p);
    const rows = await this.x.query(
      `SELECT ${EVENT_COLUMNS} FROM ${this.t('events')} WHERE ${where} ORDER BY time, id LIMIT ${MAX_TIMELINE_EVENTS}`,
      p.values,
    );
    return rows.map(toEventItem);
  }

  async trace(traceId: string): Promise<SpanItem[]> {
    const p = new Params();
    const rows = await this.x.query(
      `SELECT TraceId, SpanId, RumParentSpanId, SpanName, RumKind, toUnixTimestamp64Micro(Timestamp) AS start_us,
         RumDurationMs, RumStatusCode, RumStatusMessage, RumServiceName, RumAppId, RumSessionId, RumScopeName,
         RumAttributesJson, RumEventsJson
       FROM ${this.t('otel_traces')} WHERE TraceId = ${p.str(traceId.toLowerCase())}
       ORDER BY Timestamp, SpanId LIMIT ${MAX_TRACE_SPANS}`,
      p.values,
    );
    return rows.map((r) => ({
      traceId: String(r.TraceId),
      spanId: String(r.SpanId),
      parentSpanId: (r.RumParentSpanId as string | null) ?? null,
      name: String(r.SpanName),
      kind: Number(r.RumKind),
      start: isoFromMicros(r.start_us),
      durationMs: Number(r.RumDurationMs),
      statusCode: Number(r.RumStatusCode),
      statusMessage: (r.RumStatusMessage as string | null) ?? null,
      serviceName: (r.RumServiceName as string | null) ?? null,
      appId: (r.RumAppId as string | null) ?? null,
      sessionId: (r.RumSessionId as string | null) ?? null,
      scopeName: (r.RumScopeName as string | null) ?? null,
      attributes: JSON.parse(String(r.RumAttributesJson)) as Record<string, unknown>,
      events: JSON.parse(String(r.RumEventsJson)) as SpanItem['events'],
    }));
  }

  async replaySegments(q: {
    sessionId: string;
    appId?: string;
    after?: ReplayPosition;
    limit: number;
  }): Promise<StoredReplaySegment[]> {
    const p = new Params();
    const where = [`session_id = ${p.str(q.sessionId)}`];
    if (q.appId) where.push(`app_id = ${p.str(q.appId)}`);
    if (q.after) {
      const a = q.after;
      const s = p.add(a.startMs, 'Float64');
      const n = p.add(a.sequence, 'Int64');
      where.push(
        `(start_ms > ${s} OR (start_ms = ${s} AND (sequence > ${n} OR (sequence = ${n} AND view_id > ${p.str(a.viewId)}))))`,
      );
    }
    // A segment sent twice is stored twice: the first copy counts.
    const rows = await this.x.query(
      `SELECT app_id, view_id, sequence, start_ms, end_ms, event_count, has_full_snapshot, encoding, privacy,
         payload_base64
       FROM ${this.t('replay_segments')} WHERE ${where.join(' AND ')}
       ORDER BY start_ms, sequence, view_id, inserted_at LIMIT 1 BY app_id, view_id, sequence
       LIMIT ${Math.max(1, Math.floor(q.limit))}`,
      p.values,
    );
    return rows.map((r) => ({
      appId: String(r.app_id),
      viewId: String(r.view_id),
      sequence: Number(r.sequence),
      startMs: Number(r.start_ms),
      endMs: Number(r.end_ms),
      eventCount: Number(r.event_count),
      hasFullSnapshot: r.has_full_snapshot === true || r.has_full_snapshot === 1,
      encoding: String(r.encoding) as ReplayEncoding,
      payload: Buffer.from(String(r.payload_base64), 'base64'),
      privacy: r.privacy === null ? null : (String(r.privacy) as PrivacyLevel),
    }));
  }

  async ready(): Promise<boolean> {
    await this.x.query('SELECT 1');
    return true;
  }

  /** Closes the executor too. */
  close(): Promise<void> {
    return this.x.close();
  }
}

/** 'YYYY-MM-DD hh:mm:ss.ffffff' in UTC, which every DateTime64(6) column reads. */
function micros(us: bigint): string {
  const s = us / 1_000_000n;
  const frac = us - s * 1_000_000n;
  return `${new Date(Number(s) * 1000).toISOString().slice(0, 19).replace('T', ' ')}.${frac.toString().padStart(6, '0')}`;
}

/** The same instant with nanoseconds, for the otel_traces DateTime64(9) columns. */
function nanos(us: bigint): string {
  return `${micros(us)}000`;
}

/** Attribute values as the Map(String, String) columns hold them: text as is, anything else as JSON. */
function attributeMap(a: Attributes): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(a)) out[k] = typeof v === 'string' ? v : JSON.stringify(v);
  return out;
}

function eventRow(e: EventRow): Record<string, unknown> {
  return {
    id: e.id ?? uuidv7(),
    kind: e.kind,
    time: micros(e.timeUs),
    app_id: e.appId,
    session_id: e.sessionId,
    view_id: e.viewId,
    trace_id: e.traceId,
    span_id: e.spanId,
    name: e.name,
    label: e.label,
    url: e.url,
    path: e.path,
    duration_ms: finite(e.durationMs),
    value: finite(e.value),
    status: e.status === null || !Number.isInteger(e.status) ? null : e.status,
    service_name: e.serviceName,
    service_version: e.serviceVersion,
    environment: e.environment,
    user_id: e.userId,
    user_agent: e.userAgent,
    source: e.source,
    attributes: attributeMap(e.attributes),
    attributes_json: JSON.stringify(e.attributes),
    fingerprint: e.fingerprint ?? null,
    browser: e.browser ?? null,
    browser_version: e.browserVersion ?? null,
    os: e.os ?? null,
    device: e.device ?? null,
    country: e.country ?? null,
    type: e.type ?? null,
  };
}

const finite = (v: number | null) => (v === null || !Number.isFinite(v) ? null : v);

/** OpenTelemetry span kinds and status codes as the Collector's ClickHouse exporter writes them. */
const SPAN_KINDS = ['Unspecified', 'Internal', 'Server', 'Client', 'Producer', 'Consumer'];
const STATUS_CODES = ['Unset', 'Ok', 'Error'];

function spanRow(s: SpanRow): Record<string, unknown> {
  return {
    Timestamp: nanos(s.startUs),
    TraceId: s.traceId,
    SpanId: s.spanId,
    ParentSpanId: s.parentSpanId ?? '',
    TraceState: '',
    SpanName: s.name,
    SpanKind: SPAN_KINDS[s.kind] ?? 'Unspecified',
    ServiceName: s.serviceName ?? '',
    ResourceAttributes: attributeMap(s.resource),
    ScopeName: s.scopeName ?? '',
    ScopeVersion: '',
    SpanAttributes: attributeMap(s.attributes),
    Duration: Math.round(s.durationMs * 1e6),
    StatusCode: STATUS_CODES[s.statusCode] ?? 'Unset',
    StatusMessage: s.statusMessage ?? '',
    'Events.Timestamp': s.events.map((e) => nanos(BigInt(e.timeUs))),
    'Events.Name': s.events.map((e) => e.name),
    'Events.Attributes': s.events.map((e) => attributeMap(e.attributes)),
    'Links.TraceId': [],
    'Links.SpanId': [],
    'Links.TraceState': [],
    'Links.Attributes': [],
    RumAppId: s.appId,
    RumSessionId: s.sessionId,
    RumServiceName: s.serviceName,
    RumScopeName: s.scopeName,
    RumParentSpanId: s.parentSpanId,
    RumStatusMessage: s.statusMessage,
    RumKind: s.kind,
    RumStatusCode: s.statusCode,
    RumDurationMs: s.durationMs,
    RumAttributesJson: JSON.stringify(s.attributes),
    RumEventsJson: JSON.stringify(s.events),
  };
}

function metricRow(m: MetricPointRow): Record<string, unknown> {
  return {
    time: micros(m.timeUs),
    app_id: m.appId,
    service_name: m.serviceName,
    name: m.name,
    unit: m.unit,
    value: m.value,
    attributes: attributeMap(m.attributes),
  };
}

function replayRow(r: ReplaySegmentRow): Record<string, unknown> {
  return {
    app_id: r.appId,
    session_id: r.sessionId,
    view_id: r.viewId,
    sequence: r.sequence,
    time: micros(r.timeUs),
    start_ms: r.startMs,
    end_ms: r.endMs,
    event_count: r.eventCount,
    has_full_snapshot: r.hasFullSnapshot,
    encoding: r.encoding,
    privacy: r.privacy,
    payload_base64: Buffer.from(r.payload).toString('base64'),
  };
}

function plain(v: unknown, type: string): string | number | boolean | null {
  if (v === null || v === undefined) return null;
  if (type === 'number') return Number(v);
  if (type === 'boolean') return v === true || v === 1 || v === 'true';
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return String(v);
}

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

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
    durationMs: num(r.duration_ms),
    value: num(r.value),
    status: num(r.status),
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
    attributes: JSON.parse(String(r.attributes_json || '{}')) as Record<string, unknown>,
  };
}

function toIssueItem(r: Row): IssueItem {
  return {
    appId: String(r.app_id),
    fingerprint: String(r.fingerprint),
    status: r.status as IssueStatus,
    regressed: r.regressed === true || r.regressed === 1,
    type: (r.type as string | null) ?? null,
    message: (r.message as string | null) ?? null,
    count: Number(r.n),
    sessions: Number(r.sessions),
    firstSeen: isoFromMicros(r.first_us),
    lastSeen: isoFromMicros(r.last_us),
  };
}
