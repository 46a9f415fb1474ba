import type { DuckDBValue } from '@duckdb/node-api';
import type { EventKind } from '@otel-rum/model';
import { HttpError } from '../../http/http-error';
import {
  MAX_AGGREGATE_BUCKETS,
  MAX_AGGREGATE_GROUPS,
  MAX_FACET_VALUES,
  type AggregateQuery,
  type AggregateResult,
  type AggregateSeries,
  type FacetQuery,
  type FacetValue,
} from '../analytics';
import type { FieldMap } from '../../query/filter';
import { ALL_EVENTS, eventTable } from './event-tables';
import { rollupAggregate, rollupFacet } from './rollup-reads';
import type { Rollups } from './rollups';

type Row = Record<string, unknown>;
export type Reader = (sql: string, params: DuckDBValue[]) => Promise<Row[]>;
export type WhereBuilder = (
  q: Partial<import('../store').EventQuery>,
  first: string,
  firstParams: DuckDBValue[],
) => {
  where: string;
  params: DuckDBValue[];
};

/** Attribute keys that can be written as a JSON path without escaping. */
const ATTR_KEY = /^[A-Za-z0-9_.:-]{1,128}$/;

/**
 * The events matching `where`, as a FROM item named `events`. Views come from the views table, which
 * holds each view once in its latest state at its start time (see views.ts); other kinds from their own
 * table (event-tables.ts).
 */
export function eventSource(kind: EventKind | undefined, where: string): string {
  if (kind === 'view') return `(SELECT * EXCLUDE (last_time) FROM views AS events WHERE ${where}) AS events`;
  return `(SELECT * FROM ${kind ? eventTable(kind) : ALL_EVENTS} AS events WHERE ${where}) AS events`;
}

/** SQL expression and parameters of a field name of the filter language, or attr.<key>. */
export function fieldExpression(
  fields: FieldMap,
  name: string,
  numeric: boolean,
): { sql: string; params: DuckDBValue[]; type: string } {
  if (name.startsWith('attr.')) {
    const key = name.slice(5);
    if (!ATTR_KEY.test(key))
      throw new HttpError(400, `attribute name "${key}" must be letters, digits, _ . : or -`);
    const extract = 'json_extract_string(attributes, ?)';
    return {
      sql: numeric ? `TRY_CAST(${extract} AS DOUBLE)` : extract,
      params: [`$."${key}"`],
      type: numeric ? 'number' : 'string',
    };
  }
  const spec = Object.prototype.hasOwnProperty.call(fields.fields, name) ? fields.fields[name] : undefined;
  if (!spec) {
    throw new HttpError(
      400,
      `unknown field "${name}"; known: ${Object.keys(fields.fields).join(', ')}, attr.<key>`,
    );
  }
  if (numeric && spec.type !== 'number') throw new HttpError(400, `field "${name}" is not numeric`);
  return { sql: spec.column, params: [], type: spec.type };
}

export async function facet(
  all: Reader,
  where: WhereBuilder,
  fields: FieldMap,
  q: FacetQuery,
  rollups?: Rollups,
): Promise<FacetValue[]> {
  const f = fieldExpression(fields, q.field, false);
  const limit = Math.min(q.limit, MAX_FACET_VALUES);
  // The folded whole hours of the range from the hourly rollups, when they keep this field.
  const fromRollups = rollups ? rollupFacet(rollups, where, fields, q, limit) : null;
  const w = q.kind ? where(q, 'kind = ?', [q.kind]) : where(q, 'TRUE', []);
  const rows = fromRollups
    ? await all(fromRollups.sql, fromRollups.params)
    : await all(
        `SELECT ${f.sql} AS value, count(*) AS n FROM ${eventSource(q.kind, w.where)}
     GROUP BY 1 ORDER BY n DESC, value NULLS LAST LIMIT ${limit}`,
        [...f.params, ...w.params],
      );
  return rows.map((r) => ({ value: plain(r.value), count: Number(r.n) }));
}

export async function aggregate(
  all: Reader,
  where: WhereBuilder,
  fields: FieldMap,
  q: AggregateQuery,
  rollups?: Rollups,
): Promise<AggregateResult> {
  const needsField = q.aggregation !== 'count' && q.aggregation !== 'rate';
  if (needsField && !q.field) throw new HttpError(400, `aggregation ${q.aggregation} needs a numeric field`);
  const value = needsField ? fieldExpression(fields, q.field!, true) : { sql: 'NULL', params: [] };
  const toMs = q.toMs ?? Date.now();
  const fromMs = q.fromMs ?? toMs - 24 * 3600 * 1000;
  const buckets = Math.ceil((toMs - fromMs) / (q.intervalS * 1000));
  if (buckets > MAX_AGGREGATE_BUCKETS) {
    throw new HttpError(
      400,
      `${buckets} buckets of ${q.intervalS} s is over the limit of ${MAX_AGGREGATE_BUCKETS}: widen the interval`,
    );
  }
  const groups = q.groupBy.map((g) => fieldExpression(fields, g, false));
  const w = q.kind
    ? where({ ...q, fromMs, toMs }, 'kind = ?', [q.kind])
    : where({ ...q, fromMs, toMs }, 'TRUE', []);
  const gcols = groups.map((_, i) => `g${i}`);
  const agg: Record<string, string> = {
    count: 'count(*)',
    rate: `count(*) / ${q.intervalS}`,
    sum: 'sum(x)',
    avg: 'avg(x)',
    min: 'min(x)',
    max: 'max(x)',
    p50: 'quantile_cont(x, 0.5)',
    p75: 'quantile_cont(x, 0.75)',
    p90: 'quantile_cont(x, 0.9)',
    p95: 'quantile_cont(x, 0.95)',
    p99: 'quantile_cont(x, 0.99)',
  };
  // One pass: every (group, bucket) cell is aggregated with its row count, then the groups with the
  // most rows are kept. Buckets are whole intervals from `fromMs`, computed on integers (time_bucket
  // costs several times more per row).
  const fromUs = BigInt(Math.trunc(fromMs)) * 1000n;
  const cells = `SELECT (epoch_us(time) - ?::BIGINT) // ?::BIGINT AS b,
      ${groups.map((g, i) => `${g.sql} AS g${i}, `).join('')}${agg[q.aggregation]} AS v,
      count(*) AS n, count(x) AS nx
    FROM (SELECT *, ${value.sql} AS x FROM ${eventSource(q.kind, w.where)}) AS events GROUP BY ALL`;
  const baseParams: DuckDBValue[] = [
    fromUs,
    BigInt(q.intervalS) * 1_000_000n,
    ...groups.flatMap((g) => g.params),
    ...value.params,
    ...w.params,
  ];
  const keep = needsField ? 'nx > 0' : 'TRUE';
  const sql = gcols.length
    ? `WITH cells AS (${cells}),
        totals AS (SELECT *, sum(n) OVER (PARTITION BY ${gcols.join(', ')}) AS total FROM cells),
        ranked AS (SELECT *, dense_rank() OVER (ORDER BY total DESC, ${gcols.join(', ')}) AS r FROM totals)
      SELECT ${gcols.join(', ')}, b, v FROM ranked WHERE r <= ${MAX_AGGREGATE_GROUPS} AND ${keep}
      ORDER BY ${gcols.join(', ')}, b`
    : `SELECT b, v FROM (${cells}) WHERE ${keep} ORDER BY b`;
  const fromRollups = rollups ? rollupAggregate(rollups, where, fields, q, fromMs, toMs) : null;
  const rows = fromRollups ? await all(fromRollups.sql, fromRollups.params) : await all(sql, baseParams);
  const series = new Map<string, AggregateSeries>();
  for (const r of rows) {
    const group = Object.fromEntries(q.groupBy.map((name, i) => [name, plain(r[`g${i}`])]));
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

function plain(v: unknown): string | number | boolean | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return String(v);
}
