/*
 * The generated metric tables (migration 20): rules, series with their running totals, and one row
 * per series and interval bucket. All access goes through one connection of the engine's own,
 * serialised by the engine, so a read-merge-write of a bucket is never interleaved with another.
 */
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import type { EventKind } from '@otel-rum/model';
import type { MetricRuleAggregation, MetricRuleDimension, MetricRule } from '@otel-rum/model';
import { QuantileSketch, type SketchJson } from './sketch';

/** Rows written by one multi-row statement. */
const ROWS_PER_STATEMENT = 500;

export interface SeriesRow {
  key: string;
  labels: string[];
  totalCount: number;
  totalSum: number;
}

/** One series' bucket: start in epoch seconds; sketch only for percentile rules. */
export interface BucketRow {
  seriesKey: string;
  start: number;
  count: number;
  sum: number;
  min: number;
  max: number;
  sketch: QuantileSketch | null;
}

type Row = Record<string, unknown>;

const us = (seconds: number) => seconds * 1_000_000;
const iso = (v: unknown) => new Date(Number(BigInt(v as bigint) / 1000n)).toISOString();

function toRule(r: Row): MetricRule {
  return {
    name: String(r.name),
    description: (r.description as string | null) ?? null,
    kind: r.kind as EventKind,
    filter: String(r.filter),
    aggregation: r.aggregation as MetricRuleAggregation,
    field: (r.field as string | null) ?? null,
    percentile: r.percentile === null || r.percentile === undefined ? null : Number(r.percentile),
    dimensions: JSON.parse(String(r.dimensions)) as MetricRuleDimension[],
    intervalSeconds: Number(r.interval_s),
    createdAt: iso(r.created_us),
    updatedAt: iso(r.updated_us),
  };
}

function toBucket(r: Row): BucketRow {
  const min = Number(r.min);
  const max = Number(r.max);
  return {
    seriesKey: String(r.series_key),
    start: Number(BigInt(r.start_us as bigint) / 1_000_000n),
    count: Number(r.count),
    sum: Number(r.sum),
    min,
    max,
    sketch: r.sketch ? QuantileSketch.fromJSON(JSON.parse(String(r.sketch)) as SketchJson, min, max) : null,
  };
}

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += ROWS_PER_STATEMENT) out.push(items.slice(i, i + ROWS_PER_STATEMENT));
  return out;
}

/**
 * Where generated metrics are kept: the DuckDB tables below (one process), or the ClickHouse store's
 * (../store/clickhouse/metric-tables.ts), shared by every replica. The engine calls one at a time.
 */
export interface MetricStorage {
  listRules(): Promise<MetricRule[]>;
  /** Inserts or replaces a rule; `resetData` also forgets what it measured so far. */
  saveRule(rule: MetricRule, resetData: boolean): Promise<void>;
  deleteRule(name: string): Promise<void>;
  /** A rule's series with their running totals, in the order they were first seen. */
  loadSeries(rule: string): Promise<SeriesRow[]>;
  /** Buckets of a rule whose start is in [fromS, toS), in time order. */
  readBuckets(rule: string, fromS: number, toS: number): Promise<BucketRow[]>;
  /** Stores what arrived since the last flush: totals as the engine holds them, and bucket deltas. */
  flush(rule: string, series: SeriesRow[], deltas: BucketRow[]): Promise<void>;
  /**
   * Optional: the series and the buckets since `sinceS` of many rules in one read each, for a store
   * shared by replicas that reloads every rule on a schedule (the engine's refresh).
   */
  loadMany?(
    requests: { rule: string; sinceS: number }[],
  ): Promise<Map<string, { series: SeriesRow[]; buckets: BucketRow[] }>>;
  close(): void | Promise<void>;
}

export class MetricTables implements MetricStorage {
  constructor(private readonly conn: DuckDBConnection) {}

  private async all(sql: string, params: DuckDBValue[] = []): Promise<Row[]> {
    return (await this.conn.runAndReadAll(sql, params)).getRowObjectsJS() as Row[];
  }

  async listRules(): Promise<MetricRule[]> {
    const rows = await this.all(
      `SELECT *, epoch_us(created_at) AS created_us, epoch_us(updated_at) AS updated_us
       FROM generated_metric_rules ORDER BY name`,
    );
    return rows.map(toRule);
  }

  /** Inserts or replaces a rule; `resetData` also forgets what it measured so far. */
  async saveRule(rule: MetricRule, resetData: boolean): Promise<void> {
    await this.transaction(async () => {
      if (resetData) await this.deleteData(rule.name);
      await this.conn.run(
        `INSERT OR REPLACE INTO generated_metric_rules
           (name, description, kind, filter, aggregation, field, percentile, dimensions, interval_s, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, make_timestamp(CAST(? AS BIGINT)), make_timestamp(CAST(? AS BIGINT)))`,
        [
          rule.name,
          rule.description,
          rule.kind,
          rule.filter,
          rule.aggregation,
          rule.field,
          rule.percentile,
          JSON.stringify(rule.dimensions),
          rule.intervalSeconds,
          Date.parse(rule.createdAt) * 1000,
          Date.parse(rule.updatedAt) * 1000,
        ],
      );
    });
  }

  async deleteRule(name: string): Promise<void> {
    await this.transaction(async () => {
      await this.deleteData(name);
      await this.conn.run('DELETE FROM generated_metric_rules WHERE name = ?', [name]);
    });
  }

  private async deleteData(name: string): Promise<void> {
    await this.conn.run('DELETE FROM generated_metric_buckets WHERE rule = ?', [name]);
    await this.conn.run('DELETE FROM generated_metric_series WHERE rule = ?', [name]);
  }

  async loadSeries(rule: string): Promise<SeriesRow[]> {
    const rows = await this.all(
      'SELECT series_key, labels, total_count, total_sum FROM generated_metric_series WHERE rule = ? ORDER BY first_seen, series_key',
      [rule],
    );
    return rows.map((r) => ({
      key: String(r.series_key),
      labels: JSON.parse(String(r.labels)) as string[],
      totalCount: Number(r.total_count),
      totalSum: Number(r.total_sum),
    }));
  }

  /** Buckets of a rule whose start is in [fromS, toS), in time order. */
  async readBuckets(rule: string, fromS: number, toS: number): Promise<BucketRow[]> {
    const rows = await this.all(
      `SELECT series_key, epoch_us(bucket_start) AS start_us, count, sum, min, max, sketch
       FROM generated_metric_buckets
       WHERE rule = ? AND bucket_start >= make_timestamp(CAST(? AS BIGINT)) AND bucket_start < make_timestamp(CAST(? AS BIGINT))
       ORDER BY bucket_start, series_key`,
      [rule, us(fromS), us(toS)],
    );
    return rows.map(toBucket);
  }

  /**
   * Adds what arrived since the last flush: series totals are written as the engine holds them
   * (it loaded them at start), bucket deltas are merged into the stored buckets.
   */
  async flush(rule: string, series: SeriesRow[], deltas: BucketRow[]): Promise<void> {
    await this.transaction(async () => {
      for (const part of chunks(series)) {
        const params: DuckDBValue[] = [];
        for (const s of part) params.push(rule, s.key, JSON.stringify(s.labels), s.totalCount, s.totalSum);
        await this.conn.run(
          `INSERT INTO generated_metric_series (rule, series_key, labels, total_count, total_sum, first_seen, last_seen)
           VALUES ${part.map(() => '(?, ?, ?, ?, ?, now(), now())').join(', ')}
           ON CONFLICT (rule, series_key) DO UPDATE SET
             total_count = excluded.total_count, total_sum = excluded.total_sum, last_seen = excluded.last_seen`,
          params,
        );
      }
      for (const part of chunks(deltas)) {
        const keys: DuckDBValue[] = [];
        for (const d of part) keys.push(d.seriesKey, us(d.start));
        const stored = await this.all(
          `SELECT b.series_key, epoch_us(b.bucket_start) AS start_us, b.count, b.sum, b.min, b.max, b.sketch
           FROM generated_metric_buckets b
           JOIN (VALUES ${part.map(() => '(?, CAST(? AS BIGINT))').join(', ')}) AS k(series_key, start_us)
             ON b.series_key = k.series_key AND epoch_us(b.bucket_start) = k.start_us
           WHERE b.rule = ?`,
          [...keys, rule],
        );
        const before = new Map(stored.map(toBucket).map((b) => [`${b.seriesKey}|${b.start}`, b]));
        const params: DuckDBValue[] = [];
        for (const d of part) {
          const old = before.get(`${d.seriesKey}|${d.start}`);
          const merged = old ? mergeBuckets(old, d) : d;
          params.push(
            rule,
            merged.seriesKey,
            us(merged.start),
            merged.count,
            merged.sum,
            merged.min,
            merged.max,
            merged.sketch ? JSON.stringify(merged.sketch) : null,
          );
        }
        await this.conn.run(
          `INSERT OR REPLACE INTO generated_metric_buckets (rule, series_key, bucket_start, count, sum, min, max, sketch)
           VALUES ${part.map(() => '(?, ?, make_timestamp(CAST(? AS BIGINT)), ?, ?, ?, ?, ?)').join(', ')}`,
          params,
        );
      }
    });
  }

  close(): void {
    this.conn.closeSync();
  }

  private async transaction(work: () => Promise<void>): Promise<void> {
    await this.conn.run('BEGIN TRANSACTION');
    try {
      await work();
      await this.conn.run('COMMIT');
    } catch (e) {
      await this.conn.run('ROLLBACK').catch(() => undefined);
      throw e;
    }
  }
}

/** The sum of two states of one bucket. */
export function mergeBuckets(a: BucketRow, b: BucketRow): BucketRow {
  let sketch: QuantileSketch | null = null;
  if (a.sketch || b.sketch) {
    sketch = new QuantileSketch();
    if (a.sketch) sketch.merge(a.sketch);
    if (b.sketch) sketch.merge(b.sketch);
  }
  return {
    seriesKey: a.seriesKey,
    start: a.start,
    count: a.count + b.count,
    sum: a.sum + b.sum,
    min: Math.min(a.min, b.min),
    max: Math.max(a.max, b.max),
    sketch,
  };
}
