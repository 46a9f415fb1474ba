/*
 * The ClickHouse schema, as versioned migrations (README.md beside this file). A migration is never
 * edited once released: a change is a new migration. Each is a list of statements, each run once, in
 * order; every statement is idempotent (IF NOT EXISTS), so a migration interrupted half way, or run by
 * two replicas starting at once, runs again to the same end.
 *
 * One schema serves a single node and a cluster. On a cluster (`cluster` set) every statement runs
 * ON CLUSTER; each table is a Replicated table named `<name>_local` on every node, with a Distributed
 * table `<name>` over it, sharded so that a session's rows are on one shard. Queries and inserts always
 * name `<name>`: on a single node that is the table itself.
 */

import { RUM_REPLAY_END, RUM_REPLAY_START } from '@otel-rum/model';
import { GENERATED_METRIC_RETENTION_DAYS } from '../../jobs/retention';

export interface SchemaOptions {
  /** Database holding the tables (made when missing). */
  database: string;
  /** Cluster name from the servers' remote_servers configuration; absent on a single node. */
  cluster?: string;
}

export interface ClickHouseMigration {
  version: number;
  name: string;
  statements: string[];
}

/** Time columns: microseconds in UTC, as the DuckDB store keeps them. */
const TIME = "DateTime64(6, 'UTC')";
/** Text whose values repeat (names, kinds, versions, client facts): stored once per part per value. */
const LC = 'LowCardinality(String)';
const LCN = 'LowCardinality(Nullable(String))';

/** Columns every event has, in the order the writer sends them (writer.ts eventRow). */
const EVENT_COLUMNS = `
    id String CODEC(ZSTD(1)),
    kind ${LC},
    time ${TIME} CODEC(Delta, ZSTD(1)),
    app_id ${LC},
    session_id String CODEC(ZSTD(1)),
    view_id Nullable(String) CODEC(ZSTD(1)),
    trace_id Nullable(String) CODEC(ZSTD(1)),
    span_id Nullable(String) CODEC(ZSTD(1)),
    name ${LC},
    label Nullable(String) CODEC(ZSTD(3)),
    url Nullable(String) CODEC(ZSTD(3)),
    path Nullable(String) CODEC(ZSTD(3)),
    duration_ms Nullable(Float64) CODEC(Gorilla, ZSTD(1)),
    value Nullable(Float64) CODEC(Gorilla, ZSTD(1)),
    status Nullable(Int32),
    service_name ${LCN},
    service_version ${LCN},
    environment ${LCN},
    user_id Nullable(String) CODEC(ZSTD(1)),
    user_agent ${LCN},
    source ${LC},
    attributes Map(${LC}, String) CODEC(ZSTD(3)),
    attributes_json String CODEC(ZSTD(3)),
    fingerprint Nullable(String) CODEC(ZSTD(1)),
    browser ${LCN},
    browser_version ${LCN},
    os ${LCN},
    device ${LCN},
    country ${LCN},
    type ${LCN}`;

/** Builds the statements of one table for a single node or a cluster. */
class Ddl {
  constructor(private readonly o: SchemaOptions) {}

  private get on(): string {
    return this.o.cluster ? ` ON CLUSTER ${quoteIdent(this.o.cluster)}` : '';
  }

  private name(table: string): string {
    return `${quoteIdent(this.o.database)}.${quoteIdent(table)}`;
  }

  /** The local table's name: itself on a single node, `<table>_local` under a Distributed table. */
  local(table: string): string {
    return this.o.cluster ? `${table}_local` : table;
  }

  database(): string {
    return `CREATE DATABASE IF NOT EXISTS ${quoteIdent(this.o.database)}${this.on}`;
  }

  /**
   * A MergeTree-family table (`engine` without its Replicated prefix, e.g. `AggregatingMergeTree`),
   * and on a cluster the Distributed table over it sharded by `shardBy`; `null` for a table only its
   * materialized view writes, on the node of its source rows: its Distributed table only reads, and a
   * cluster of several shards refuses an insert through it.
   */
  table(
    table: string,
    columns: string,
    engine: string,
    engineArgs: string,
    rest: string,
    shardBy: string | null,
  ): string[] {
    const eng = this.o.cluster
      ? `Replicated${engine}('/clickhouse/tables/{shard}/${this.o.database}/${table}', '{replica}'${engineArgs ? `, ${engineArgs}` : ''})`
      : `${engine}(${engineArgs})`;
    const out = [
      `CREATE TABLE IF NOT EXISTS ${this.name(this.local(table))}${this.on} (${columns}\n  ) ENGINE = ${eng} ${rest}`,
    ];
    if (this.o.cluster) out.push(this.distributed(table, shardBy));
    return out;
  }

  /** A table that keeps nothing: inserts into it only feed its materialized views. */
  nullTable(table: string, columns: string, shardBy: string): string[] {
    const out = [
      `CREATE TABLE IF NOT EXISTS ${this.name(this.local(table))}${this.on} (${columns}\n  ) ENGINE = Null`,
    ];
    if (this.o.cluster) out.push(this.distributed(table, shardBy));
    return out;
  }

  /** A materialized view from one local table into another: on a cluster it runs on every node. */
  view(name: string, from: string, to: string, select: string): string {
    return `CREATE MATERIALIZED VIEW IF NOT EXISTS ${this.name(this.local(name))}${this.on} TO ${this.name(this.local(to))} AS ${select.replace('{from}', this.name(this.local(from)))}`;
  }

  private distributed(table: string, shardBy: string | null): string {
    return `CREATE TABLE IF NOT EXISTS ${this.name(table)}${this.on} AS ${this.name(this.local(table))}
  ENGINE = Distributed(${quoteString(this.o.cluster!)}, ${quoteString(this.o.database)}, ${quoteString(this.local(table))}${shardBy ? `, ${shardBy}` : ''})`;
  }

  /**
   * Fills `to` from `from` by `select` once: only while `to` is empty, so that a migration run again
   * after an interruption does not add the rows twice.
   */
  backfill(to: string, from: string, select: string): string {
    return `INSERT INTO ${this.name(to)} ${select.replace('{from}', this.name(from))}
  WHERE (SELECT count() FROM ${this.name(to)}) = 0 GROUP BY app_id, day`;
  }

  /** The table of applied migrations. */
  migrations(): string[] {
    return this.table(
      'schema_migrations',
      `version UInt32, name String, applied_at DateTime DEFAULT now()`,
      'ReplacingMergeTree',
      '',
      'ORDER BY version',
      'version',
    );
  }
}

const SESSION_SHARD = 'cityHash64(app_id, session_id)';

/** A record kept whole as JSON, versioned; a deletion is a row with `deleted = 1` (state.ts). */
const RECORD_COLUMNS = `
    id String,
    doc String CODEC(ZSTD(3)),
    version UInt64,
    deleted UInt8`;

/**
 * One application-day of usage from events (`{from}`), as the DuckDB store's UsageJob counts it:
 * distinct views among view records, distinct sessions among all events, and the sum of
 * rum.replay.end_ms - rum.replay.start_ms over replay segments (missing or negative counts 0).
 */
const USAGE_SELECT = `SELECT app_id, toDate(time) AS day,
    uniqExactStateIf(assumeNotNull(view_id), kind = 'view' AND view_id IS NOT NULL) AS page_views,
    uniqExactState(session_id) AS sessions,
    sumIf(ifNull(greatest(0, toFloat64OrNull(attributes['${RUM_REPLAY_END}'])
      - toFloat64OrNull(attributes['${RUM_REPLAY_START}'])), 0), kind = 'replay_segment') AS replay_ms
  FROM {from}`;

export function schemaMigrations(o: SchemaOptions): ClickHouseMigration[] {
  const d = new Ddl(o);
  return [
    {
      version: 1,
      name: 'events, spans (otel_traces), metric points, replay segments, issue status',
      statements: [
        // Explorer queries name an application, a kind and a time range, newest first: the key
        // reads that range in order. Session, view, trace and event ids are found by skip index.
        ...d.table(
          'events',
          `${EVENT_COLUMNS},
    INDEX idx_session session_id TYPE bloom_filter(0.01) GRANULARITY 4,
    INDEX idx_view view_id TYPE bloom_filter(0.01) GRANULARITY 4,
    INDEX idx_trace trace_id TYPE bloom_filter(0.01) GRANULARITY 4,
    INDEX idx_id id TYPE bloom_filter(0.01) GRANULARITY 4,
    INDEX idx_fingerprint fingerprint TYPE bloom_filter(0.01) GRANULARITY 4`,
          'MergeTree',
          '',
          'PARTITION BY toDate(time) ORDER BY (app_id, kind, time)',
          SESSION_SHARD,
        ),
        // The OpenTelemetry Collector ClickHouse exporter's otel_traces columns, so that Grafana's
        // ClickHouse data source reads them as it reads the exporter's; the Rum* columns keep what
        // the trace view needs back exactly (typed attributes, the RUM ids).
        ...d.table(
          'otel_traces',
          `
    Timestamp DateTime64(9, 'UTC') CODEC(Delta, ZSTD(1)),
    TraceId String CODEC(ZSTD(1)),
    SpanId String CODEC(ZSTD(1)),
    ParentSpanId String CODEC(ZSTD(1)),
    TraceState String CODEC(ZSTD(1)),
    SpanName ${LC} CODEC(ZSTD(1)),
    SpanKind ${LC} CODEC(ZSTD(1)),
    ServiceName ${LC} CODEC(ZSTD(1)),
    ResourceAttributes Map(${LC}, String) CODEC(ZSTD(1)),
    ScopeName String CODEC(ZSTD(1)),
    ScopeVersion String CODEC(ZSTD(1)),
    SpanAttributes Map(${LC}, String) CODEC(ZSTD(1)),
    Duration UInt64 CODEC(ZSTD(1)),
    StatusCode ${LC} CODEC(ZSTD(1)),
    StatusMessage String CODEC(ZSTD(1)),
    Events Nested (Timestamp DateTime64(9, 'UTC'), Name ${LC}, Attributes Map(${LC}, String)) CODEC(ZSTD(1)),
    Links Nested (TraceId String, SpanId String, TraceState String, Attributes Map(${LC}, String)) CODEC(ZSTD(1)),
    RumAppId ${LCN},
    RumSessionId Nullable(String) CODEC(ZSTD(1)),
    RumServiceName Nullable(String) CODEC(ZSTD(1)),
    RumScopeName Nullable(String) CODEC(ZSTD(1)),
    RumParentSpanId Nullable(String) CODEC(ZSTD(1)),
    RumStatusMessage Nullable(String) CODEC(ZSTD(1)),
    RumKind UInt8,
    RumStatusCode UInt8,
    RumDurationMs Float64,
    RumAttributesJson String CODEC(ZSTD(3)),
    RumEventsJson String CODEC(ZSTD(3)),
    INDEX idx_trace_id TraceId TYPE bloom_filter(0.001) GRANULARITY 1,
    INDEX idx_duration Duration TYPE minmax GRANULARITY 1`,
          'MergeTree',
          '',
          'PARTITION BY toDate(Timestamp) ORDER BY (ServiceName, SpanName, toDateTime(Timestamp))',
          'cityHash64(TraceId)',
        ),
        ...d.table(
          'metric_points',
          `
    time ${TIME} CODEC(Delta, ZSTD(1)),
    app_id ${LCN},
    service_name ${LCN},
    name ${LC},
    unit ${LCN},
    value Float64 CODEC(Gorilla, ZSTD(1)),
    attributes Map(${LC}, String) CODEC(ZSTD(3))`,
          'MergeTree',
          '',
          'PARTITION BY toDate(time) ORDER BY (name, time)',
          'rand()',
        ),
        // A segment sent again keeps the first copy: reads take the earliest inserted per key.
        ...d.table(
          'replay_segments',
          `
    app_id ${LC},
    session_id String,
    view_id String,
    sequence UInt32,
    time ${TIME},
    start_ms Float64,
    end_ms Float64,
    event_count UInt32,
    has_full_snapshot Bool,
    encoding ${LC},
    privacy ${LCN},
    payload_base64 String CODEC(ZSTD(3)),
    inserted_at ${TIME} DEFAULT now64(6)`,
          'MergeTree',
          '',
          'PARTITION BY toDate(time) ORDER BY (app_id, session_id, start_ms, sequence, view_id)',
          SESSION_SHARD,
        ),
        // The latest status wins (ReplacingMergeTree by updated_at; reads take argMax of it).
        ...d.table(
          'issue_status',
          `
    app_id ${LC},
    fingerprint String,
    status ${LC},
    resolved_at Nullable(${TIME}),
    updated_at ${TIME}`,
          'ReplacingMergeTree',
          'updated_at',
          'ORDER BY (app_id, fingerprint)',
          'cityHash64(app_id, fingerprint)',
        ),
      ],
    },
    {
      version: 2,
      name: 'session and view summaries fed by materialized views',
      statements: [
        // Each write inserts one delta per session into session_deltas (which keeps nothing); the
        // materialized view turns them into partial aggregates that ClickHouse merges in the
        // background. Reads group by session and finish the aggregation (sessions.ts).
        ...d.nullTable(
          'session_deltas',
          `
    app_id String, session_id String, start_time ${TIME}, end_time ${TIME},
    view_count UInt64, error_count UInt64, action_count UInt64, resource_count UInt64, replay_count UInt64,
    event_count UInt64, user_id Nullable(String), user_agent Nullable(String), first_url Nullable(String),
    first_url_time ${TIME}, environment Nullable(String), service_version Nullable(String),
    browser Nullable(String), os Nullable(String), device Nullable(String), country Nullable(String)`,
          SESSION_SHARD,
        ),
        ...d.table(
          'sessions',
          `
    app_id ${LC},
    session_id String,
    start_time SimpleAggregateFunction(min, ${TIME}),
    end_time SimpleAggregateFunction(max, ${TIME}),
    view_count SimpleAggregateFunction(sum, UInt64),
    error_count SimpleAggregateFunction(sum, UInt64),
    action_count SimpleAggregateFunction(sum, UInt64),
    resource_count SimpleAggregateFunction(sum, UInt64),
    replay_count SimpleAggregateFunction(sum, UInt64),
    event_count SimpleAggregateFunction(sum, UInt64),
    user_id SimpleAggregateFunction(any, Nullable(String)),
    user_agent SimpleAggregateFunction(any, Nullable(String)),
    first_url AggregateFunction(argMin, String, ${TIME}),
    environment SimpleAggregateFunction(any, Nullable(String)),
    service_version SimpleAggregateFunction(any, Nullable(String)),
    browser SimpleAggregateFunction(any, Nullable(String)),
    os SimpleAggregateFunction(any, Nullable(String)),
    device SimpleAggregateFunction(any, Nullable(String)),
    country SimpleAggregateFunction(any, Nullable(String)),
    INDEX idx_session session_id TYPE bloom_filter(0.01) GRANULARITY 4`,
          'AggregatingMergeTree',
          '',
          'ORDER BY (app_id, session_id)',
          SESSION_SHARD,
        ),
        d.view(
          'sessions_mv',
          'session_deltas',
          'sessions',
          `SELECT app_id, session_id, min(start_time) AS start_time, max(end_time) AS end_time,
    sum(view_count) AS view_count, sum(error_count) AS error_count, sum(action_count) AS action_count,
    sum(resource_count) AS resource_count, sum(replay_count) AS replay_count, sum(event_count) AS event_count,
    any(d.user_id) AS user_id, any(d.user_agent) AS user_agent,
    argMinStateIf(assumeNotNull(d.first_url), d.first_url_time, d.first_url IS NOT NULL) AS first_url,
    any(d.environment) AS environment, any(d.service_version) AS service_version, any(d.browser) AS browser,
    any(d.os) AS os, any(d.device) AS device, any(d.country) AS country
  FROM {from} AS d GROUP BY app_id, session_id`,
        ),
        // Each view in its latest state (the record with the greatest time: ReplacingMergeTree by
        // last_time, read FINAL) at its first time (view_starts: the least time of any of its records).
        // An argMax state of the whole record per view was tried first: finishing it cost ~10x more.
        ...d.nullTable(
          'view_deltas',
          `${EVENT_COLUMNS},
    last_time ${TIME}`,
          SESSION_SHARD,
        ),
        ...d.table(
          'views',
          `${EVENT_COLUMNS.replace('view_id Nullable(String)', 'view_id String')},
    last_time ${TIME}`,
          'ReplacingMergeTree',
          'last_time',
          'ORDER BY (app_id, view_id)',
          SESSION_SHARD,
        ),
        d.view(
          'views_mv',
          'view_deltas',
          'views',
          `SELECT * REPLACE (assumeNotNull(view_id) AS view_id) FROM {from} WHERE view_id IS NOT NULL`,
        ),
        ...d.table(
          'view_starts',
          `
    app_id ${LC},
    view_id String,
    time SimpleAggregateFunction(min, ${TIME})`,
          'AggregatingMergeTree',
          '',
          'ORDER BY (app_id, view_id)',
          // No session_id to shard by: its rows are written by view_starts_mv on the shard of the
          // view's session. (Was SESSION_SHARD, which a cluster refuses for want of the column: this
          // migration never completed on a cluster, so no cluster has it to run differently.)
          null,
        ),
        d.view(
          'view_starts_mv',
          'view_deltas',
          'view_starts',
          `SELECT app_id, assumeNotNull(view_id) AS view_id, min(time) AS time FROM {from}
  WHERE view_id IS NOT NULL GROUP BY app_id, view_id`,
        ),
      ],
    },
    {
      version: 3,
      name: 'server state shared by replicas: applications and API tokens (state.ts)',
      statements: ['applications', 'api_tokens'].flatMap((table) =>
        d.table(table, RECORD_COLUMNS, 'ReplacingMergeTree', 'version', 'ORDER BY id', 'cityHash64(id)'),
      ),
    },
    {
      version: 4,
      name: 'daily usage per application, kept by a materialized view over the events',
      statements: [
        // One row per application and UTC day (merged in the background; reads finish the states):
        // distinct views and sessions are exact (uniqExact keeps each day's ids), replay time a sum.
        // Retention leaves these rows, as on the DuckDB store.
        ...d.table(
          'usage_daily',
          `
    app_id ${LC},
    day Date,
    page_views AggregateFunction(uniqExact, String),
    sessions AggregateFunction(uniqExact, String),
    replay_ms SimpleAggregateFunction(sum, Float64)`,
          'AggregatingMergeTree',
          '',
          'ORDER BY (app_id, day)',
          'cityHash64(app_id)',
        ),
        // Events written before this migration; then the view counts every insert.
        d.backfill('usage_daily', 'events', USAGE_SELECT),
        d.view('usage_daily_mv', 'events', 'usage_daily', `${USAGE_SELECT} GROUP BY app_id, day`),
      ],
    },
    {
      version: 5,
      name: 'generated metrics (rules, series totals, buckets) and journeys shared by replicas',
      statements: [
        // Rules and journeys are records like applications (state.ts): the latest version of an id wins.
        ...['generated_metric_rules', 'journeys'].flatMap((table) =>
          d.table(table, RECORD_COLUMNS, 'ReplacingMergeTree', 'version', 'ORDER BY id', 'cityHash64(id)'),
        ),
        // Every replica inserts what it evaluated since its last flush; ClickHouse adds the deltas up.
        // A rule's data belongs to one generation: resetting a rule starts a new one (nothing deleted).
        ...d.table(
          'generated_metric_series',
          `
    rule ${LC},
    generation UInt64,
    series_key String,
    labels SimpleAggregateFunction(any, String),
    total_count SimpleAggregateFunction(sum, UInt64),
    total_sum SimpleAggregateFunction(sum, Float64),
    first_seen SimpleAggregateFunction(min, ${TIME})`,
          'AggregatingMergeTree',
          '',
          'ORDER BY (rule, generation, series_key)',
          'cityHash64(rule)',
        ),
        // One row per series and interval once merged: counts and sums add, sketch bins add by index.
        ...d.table(
          'generated_metric_buckets',
          `
    rule ${LC},
    generation UInt64,
    series_key String,
    bucket_start ${TIME},
    count SimpleAggregateFunction(sum, UInt64),
    sum SimpleAggregateFunction(sum, Float64),
    min SimpleAggregateFunction(min, Float64),
    max SimpleAggregateFunction(max, Float64),
    sketch_pos SimpleAggregateFunction(sumMap, Map(Int32, UInt64)),
    sketch_neg SimpleAggregateFunction(sumMap, Map(Int32, UInt64)),
    sketch_zero SimpleAggregateFunction(sum, UInt64)`,
          'AggregatingMergeTree',
          '',
          `ORDER BY (rule, generation, series_key, bucket_start)
  TTL toDateTime(bucket_start) + INTERVAL ${GENERATED_METRIC_RETENTION_DAYS} DAY`,
          'cityHash64(rule)',
        ),
      ],
    },
  ];
}

/** The statements that make the database and the migrations table. */
export function schemaBootstrap(o: SchemaOptions): string[] {
  const d = new Ddl(o);
  return [d.database(), ...d.migrations()];
}

/** A name that may be used as an identifier: letters, digits and underscores, not starting with a digit. */
/** A table as queries name it (the Distributed one on a cluster). */
export function tableRef(o: SchemaOptions, table: string): string {
  return `\`${o.database}\`.\`${table}\``;
}

/** The head of an ALTER of a table: the local one, on every node of a cluster. */
export function alterTable(o: SchemaOptions, table: string): string {
  return o.cluster
    ? `ALTER TABLE \`${o.database}\`.\`${table}_local\` ON CLUSTER \`${o.cluster}\``
    : `ALTER TABLE ${tableRef(o, table)}`;
}

export const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

function quoteIdent(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`"${name}" is not a valid ClickHouse identifier`);
  return `\`${name}\``;
}

function quoteString(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
