/*
 * The queries that read the hourly rollups (rollups.ts) for the folded whole hours of their range and
 * the raw events for the edges. Each builder answers null when the rollups cannot give the raw query's
 * answer (a filter, a field that is no rollup dimension, no folded hour in range...): the caller then
 * runs the raw query.
 */
import type { DuckDBValue } from '@duckdb/node-api';
import { EVENT_KINDS, MAX_AGGREGATE_GROUPS, type EventKind } from '@otel-rum/model';
import type { AggregateQuery, FacetQuery } from '../analytics';
import type { EventQuery } from '../store';
import type { FieldMap } from '../../query/filter';
import { eventSource, fieldExpression, type WhereBuilder } from './analytics';
import { eventTable } from './event-tables';
import {
  HOUR_MS,
  ROLLUP_DIMENSIONS,
  ROLLUP_VALUE_DIMENSIONS,
  ROLLUP_VALUE_FIELDS,
  VIEWS_SOURCE,
  bucketSql,
  bucketValueSql,
  type Rollups,
  type Span,
} from './rollups';

export interface RollupSql {
  sql: string;
  params: DuckDBValue[];
}

const ts = (ms: number) => `make_timestamp(${BigInt(Math.trunc(ms)) * 1000n}::BIGINT)`;

/** Whether the query narrows events in a way the rollups do not keep. */
function narrowed(q: Partial<EventQuery>): boolean {
  return Boolean(q.filter || q.sessionId || q.viewId || q.traceId);
}

/** The rollup sources a query of `kind` reads (kind=view reads the views table, as raw queries do). */
function sources(kind: EventKind | undefined): string {
  const list = kind === 'view' ? [VIEWS_SOURCE] : kind ? [eventTable(kind)] : EVENT_KINDS.map(eventTable);
  return `source IN (${list.map((s) => `'${s}'`).join(', ')})`;
}

const spanSql = (col: string, [a, b]: Span) =>
  [
    Number.isFinite(a) ? `${col} >= ${ts(a)}` : 'TRUE',
    Number.isFinite(b) ? `${col} < ${ts(b)}` : 'TRUE',
  ].join(' AND ');

/** The rollup rows of the application and the runs of folded hours. */
function rollupWhere(q: Partial<EventQuery>, runs: Span[]): { sql: string; params: DuckDBValue[] } {
  const app = q.appId === undefined ? 'TRUE' : 'app_id = ?';
  return {
    sql: `${app} AND (${runs.map((r) => `(${spanSql('hour', r)})`).join(' OR ')})`,
    params: q.appId === undefined ? [] : [q.appId],
  };
}

/**
 * The raw events of the edges, as a FROM item named `events`: one scan per edge, each with its own
 * time range, so that DuckDB skips the row groups of the folded hours.
 */
function rawEdges(
  kind: EventKind | undefined,
  where: { where: string; params: DuckDBValue[] },
  edges: Span[],
): { sql: string; params: DuckDBValue[] } {
  if (edges.length === 0) return { sql: eventSource(kind, 'FALSE'), params: [] };
  const parts = edges.map(
    (e) => `SELECT * FROM ${eventSource(kind, `${where.where} AND ${spanSql('time', e)}`)}`,
  );
  return {
    sql: `(${parts.join(' UNION ALL ')}) AS events`,
    params: edges.flatMap(() => where.params),
  };
}

const isDimension = (field: string): boolean => (ROLLUP_DIMENSIONS as readonly string[]).includes(field);

/** The value of a dimension as both sides of the union give it: numbers as DOUBLE, the rest as text. */
function dimCast(fields: FieldMap, field: string, sql: string): string {
  return fields.fields[field]!.type === 'number' ? `TRY_CAST(${sql} AS DOUBLE)` : `CAST(${sql} AS VARCHAR)`;
}

export function rollupFacet(
  rollups: Rollups,
  where: WhereBuilder,
  fields: FieldMap,
  q: FacetQuery,
  limit: number,
): RollupSql | null {
  if (narrowed(q) || !isDimension(q.field)) return null;
  const cov = rollups.coverage(q.fromMs, q.toMs);
  if (cov.runs.length === 0) return null;
  const f = fieldExpression(fields, q.field, false);
  const w = q.kind ? where(q, 'kind = ?', [q.kind]) : where(q, 'TRUE', []);
  const raw = rawEdges(q.kind, w, cov.edges);
  const r = rollupWhere(q, cov.runs);
  return {
    sql: `SELECT value, sum(n) AS n FROM (
        SELECT ${dimCast(fields, q.field, 'value')} AS value, n FROM rollup_counts
        WHERE ${sources(q.kind)} AND dim = '${q.field}' AND ${r.sql}
        UNION ALL
        SELECT ${dimCast(fields, q.field, f.sql)} AS value, count(*) AS n FROM ${raw.sql} GROUP BY 1)
      GROUP BY 1 ORDER BY n DESC, value NULLS LAST LIMIT ${limit}`,
    params: [...r.params, ...f.params, ...raw.params],
  };
}

const QUANTILES: Record<string, number> = { p50: 0.5, p75: 0.75, p90: 0.9, p95: 0.95, p99: 0.99 };

/**
 * An aggregate from the rollups: the query's buckets start at `fromMs` (as the raw query's), so an
 * hour is read from the rollups only when it lies whole inside one bucket; with an interval that is
 * no whole number of hours, or 1 h buckets not starting on the hour, nothing is.
 */
export function rollupAggregate(
  rollups: Rollups,
  where: WhereBuilder,
  fields: FieldMap,
  q: AggregateQuery,
  fromMs: number,
  toMs: number,
): RollupSql | null {
  const intervalMs = q.intervalS * 1000;
  const valued = q.aggregation !== 'count' && q.aggregation !== 'rate';
  if (narrowed(q) || q.groupBy.length > 1 || !q.groupBy.every(isDimension) || intervalMs % HOUR_MS !== 0)
    return null;
  if (valued && !(ROLLUP_VALUE_FIELDS as readonly string[]).includes(q.field ?? '')) return null;
  if (valued && !q.groupBy.every((d) => (ROLLUP_VALUE_DIMENSIONS as readonly string[]).includes(d)))
    return null;
  const from = Math.trunc(fromMs);
  const cov = rollups.coverage(from, toMs, (ms) => Math.floor((ms - from) / intervalMs));
  if (cov.runs.length === 0) return null;
  const w = q.kind
    ? where({ ...q, fromMs, toMs }, 'kind = ?', [q.kind])
    : where({ ...q, fromMs, toMs }, 'TRUE', []);
  const raw = rawEdges(q.kind, w, cov.edges);
  const r = rollupWhere(q, cov.runs);
  const dim = q.groupBy[0];
  const g = dim ? fieldExpression(fields, dim, false) : null;
  const fromUs = BigInt(from) * 1000n;
  const intervalUs = BigInt(intervalMs) * 1000n;
  const bRollup = `(epoch_us(hour) - ${fromUs}) // ${intervalUs}`;
  const bRaw = `(epoch_us(time) - ${fromUs}) // ${intervalUs}`;
  const gRollup = dim ? dimCast(fields, dim, 'value') : 'NULL';
  const gRaw = dim ? dimCast(fields, dim, g!.sql) : 'NULL';
  const rollupRows = `${sources(q.kind)} AND dim = '${dim ?? ''}' AND ${r.sql}`;
  const counts = `SELECT b, g0, sum(n) AS n FROM (
      SELECT ${bRollup} AS b, ${gRollup} AS g0, n FROM rollup_counts WHERE ${rollupRows}
      UNION ALL
      SELECT ${bRaw} AS b, ${gRaw} AS g0, count(*) AS n FROM ${raw.sql} GROUP BY ALL)
    GROUP BY ALL`;
  const params: DuckDBValue[] = [...r.params, ...(g?.params ?? []), ...raw.params];
  let cells: string;
  if (!valued) {
    cells = `SELECT b, g0, ${q.aggregation === 'rate' ? `n / ${q.intervalS}` : 'n'} AS v, n, 1 AS nx FROM counts`;
  } else {
    const field = q.field!;
    const x = fieldExpression(fields, field, true);
    const hist = `SELECT b, g0, k, sum(n) AS n, sum(total) AS total, min(lo) AS lo, max(hi) AS hi FROM (
        SELECT ${bRollup} AS b, ${gRollup} AS g0, k, n, total, lo, hi FROM rollup_values
        WHERE ${rollupRows} AND field = '${field}'
        UNION ALL
        SELECT b, g0, ${bucketSql('x')} AS k, count(*), sum(x), min(x), max(x) FROM (
          SELECT ${bRaw} AS b, ${gRaw} AS g0, ${x.sql} AS x FROM ${raw.sql}) WHERE x IS NOT NULL GROUP BY ALL)
      GROUP BY ALL`;
    params.push(...r.params, ...(g?.params ?? []), ...x.params, ...raw.params);
    const quantile = QUANTILES[q.aggregation];
    const value =
      quantile === undefined
        ? `SELECT b, g0, ${{ sum: 'sum(total)', avg: 'sum(total) / sum(n)', min: 'min(lo)', max: 'max(hi)' }[q.aggregation as 'sum']} AS v
           FROM hist GROUP BY b, g0`
        : // The two ranks quantile_cont interpolates between, each read as its bucket's value.
          `SELECT b, g0, v_lo + (pos - floor(pos)) * (v_hi - v_lo) AS v FROM (
            SELECT b, g0, any_value(pos) AS pos,
              arg_min(rep, k) FILTER (WHERE cum > floor(pos)) AS v_lo,
              arg_min(rep, k) FILTER (WHERE cum > ceil(pos)) AS v_hi
            FROM (SELECT *, ${quantile} * (sum(n) OVER w - 1) AS pos,
                sum(n) OVER (w ORDER BY k ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS cum,
                ${bucketValueSql('k', 'lo', 'hi')} AS rep
              FROM hist WINDOW w AS (PARTITION BY b, g0))
            GROUP BY b, g0)`;
    cells = `SELECT c.b, c.g0, v.v, c.n, CASE WHEN v.b IS NULL THEN 0 ELSE 1 END AS nx
      FROM counts c LEFT JOIN (${value}) v ON c.b = v.b AND c.g0 IS NOT DISTINCT FROM v.g0`;
    return {
      sql: tail(`WITH counts AS (${counts}), hist AS (${hist}), cells AS (${cells})`, Boolean(dim), true),
      params,
    };
  }
  return { sql: tail(`WITH counts AS (${counts}), cells AS (${cells})`, Boolean(dim), false), params };
}

/** As the raw aggregate ends: the groups with the most events, each cell that has a value. */
function tail(withSql: string, grouped: boolean, valued: boolean): string {
  const keep = valued ? 'nx > 0' : 'TRUE';
  return grouped
    ? `${withSql},
        totals AS (SELECT *, sum(n) OVER (PARTITION BY g0) AS total FROM cells),
        ranked AS (SELECT *, dense_rank() OVER (ORDER BY total DESC, g0) AS r FROM totals)
      SELECT g0, b, v FROM ranked WHERE r <= ${MAX_AGGREGATE_GROUPS} AND ${keep} ORDER BY g0, b`
    : `${withSql} SELECT b, v FROM cells WHERE ${keep} ORDER BY b`;
}

/**
 * The issue list's rows (as issueSelect gives them) from the rollups: counts, first and last seen and
 * the latest message per hour. Distinct sessions per issue: the sum of each hour's, less the rows of
 * the pairs marked as seen in more than one hour plus those pairs counted once, plus the pairs of the
 * raw edges that no hour in range holds (ROLLUPS.md). Only the marked pairs and the edges' are
 * de-duplicated, not every pair of the range.
 */
export function rollupIssues(rollups: Rollups, where: WhereBuilder, q: EventQuery): RollupSql | null {
  if (narrowed(q)) return null;
  const cov = rollups.coverage(q.fromMs, q.toMs);
  if (cov.runs.length === 0) return null;
  const w = where(q, 'fingerprint IS NOT NULL', []);
  const r = rollupWhere(q, cov.runs);
  const raw = rawEdges('error', w, cov.edges);
  const same = (a: string, b: string) =>
    `${a}.session_hash = ${b}.session_hash AND ${a}.fingerprint = ${b}.fingerprint
     AND ${a}.app_id IS NOT DISTINCT FROM ${b}.app_id`;
  const sql = `WITH parts AS (
      SELECT app_id, fingerprint, n, first_time, last_time, message, type FROM rollup_issues WHERE ${r.sql}
      UNION ALL
      SELECT app_id, fingerprint, count(*), min(time), max(time), arg_max(label, time), arg_max(type, time)
      FROM ${raw.sql} GROUP BY app_id, fingerprint),
    agg AS (SELECT app_id, fingerprint, sum(n) AS n, min(first_time) AS first_time, max(last_time) AS last_time,
        arg_max(message, last_time) AS message, arg_max(type, last_time) AS type
      FROM parts GROUP BY app_id, fingerprint),
    edge AS (SELECT DISTINCT app_id, fingerprint, hash(session_id) AS session_hash
      FROM ${raw.sql} WHERE session_id IS NOT NULL),
    counted AS (SELECT app_id, fingerprint, sum(n) AS sessions FROM (
      SELECT app_id, fingerprint, sessions AS n FROM rollup_issues WHERE ${r.sql}
      UNION ALL
      SELECT app_id, fingerprint, count(DISTINCT session_hash) - count(*) FROM rollup_issue_sessions_multi
      WHERE ${r.sql} GROUP BY app_id, fingerprint
      UNION ALL
      SELECT app_id, fingerprint, 1 FROM edge
      UNION ALL
      -- The edges' pairs that an hour in range holds. The IN hashes the edges' sessions, and the
      -- range's pairs only probe it: an anti-join of the edges against them hashed every pair.
      SELECT app_id, fingerprint, -1 FROM (SELECT DISTINCT app_id, fingerprint, session_hash
        FROM rollup_issue_sessions WHERE ${r.sql} AND session_hash IN (SELECT session_hash FROM edge)) s
      SEMI JOIN edge e ON ${same('s', 'e')})
      GROUP BY app_id, fingerprint)
    SELECT e.app_id, e.fingerprint, e.n, coalesce(x.sessions, 0) AS sessions,
      epoch_us(e.first_time) AS first_us, epoch_us(e.last_time) AS last_us, e.message, e.type,
      CASE WHEN s.status = 'resolved' AND e.last_time > s.resolved_at THEN 'open'
           ELSE coalesce(s.status, 'open') END AS status,
      coalesce(s.status = 'resolved' AND e.last_time > s.resolved_at, false) AS regressed
    FROM agg e
    LEFT JOIN counted x ON x.app_id IS NOT DISTINCT FROM e.app_id AND x.fingerprint = e.fingerprint
    LEFT JOIN issue_status s ON s.app_id = e.app_id AND s.fingerprint = e.fingerprint`;
  return {
    sql,
    params: [...r.params, ...raw.params, ...raw.params, ...r.params, ...r.params, ...r.params],
  };
}
