/*
 * Generated metrics in ClickHouse (migration 5), shared by every replica. Rules are records like
 * applications (state.ts). Each replica evaluates the events it ingests and, every flush, inserts
 * what it added: one delta row per series and per series-bucket. The tables are AggregatingMergeTree,
 * so ClickHouse adds the deltas of every replica up (sums, min, max, and the quantile sketch's bins by
 * index with sumMap); reads finish the aggregation, right whether parts were merged or not.
 *
 * A rule's data belongs to a generation, kept with the rule: changing what a rule measures (or
 * deleting and creating it again) starts a new generation, and reads name only the current one, so
 * nothing has to be deleted at once. Buckets of old generations leave with the TTL
 * (GENERATED_METRIC_RETENTION_DAYS); series totals of old generations (one row per label set) stay.
 */
import type { MetricRule } from '@otel-rum/model';
import type { BucketRow, MetricStorage, SeriesRow } from '../../metrics/metric-tables';
import { QuantileSketch } from '../../metrics/sketch';
import type { ClickHouseExecutor, QueryParams, Row } from './executor';
import { Records, nextVersion } from './state';

interface StoredRule {
  rule: MetricRule;
  /** The generation of the rule's data: a version (microseconds), as text. */
  generation: string;
}

/** 'YYYY-MM-DD hh:mm:ss' of an instant in epoch seconds, in UTC. */
function dateTime(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 19).replace('T', ' ');
}

/** A sketch's bins as ClickHouse gives a Map back: an object of index (as text) to count. */
function bins(v: unknown): [number, number][] {
  return Object.entries((v ?? {}) as Record<string, unknown>).map(([k, n]) => [Number(k), Number(n)]);
}

/** A bucket's aggregation finished, grouped by series and bucket start. */
const BUCKET_COLUMNS = `series_key, toUnixTimestamp(bucket_start) AS start, sum(count) AS count, sum(sum) AS sum,
  min(min) AS min, max(max) AS max, sumMap(sketch_pos) AS pos, sumMap(sketch_neg) AS neg, sum(sketch_zero) AS zero`;

function toSeries(r: Row): SeriesRow {
  return {
    key: String(r.series_key),
    labels: JSON.parse(String(r.labels)) as string[],
    totalCount: Number(r.total_count),
    totalSum: Number(r.total_sum),
  };
}

function toBucket(r: Row): BucketRow {
  const min = Number(r.min);
  const max = Number(r.max);
  const p = bins(r.pos);
  const n = bins(r.neg);
  const z = Number(r.zero);
  return {
    seriesKey: String(r.series_key),
    start: Number(r.start),
    count: Number(r.count),
    sum: Number(r.sum),
    min,
    max,
    // Only percentile rules fill the sketch columns, and then with every value.
    sketch: p.length || n.length || z ? QuantileSketch.fromJSON({ p, n, z }, min, max) : null,
  };
}

export class ClickHouseMetricTables implements MetricStorage {
  private readonly rules: Records<StoredRule>;
  /** The current generation of each rule, as last listed or saved by this process. */
  private readonly generations = new Map<string, string>();

  constructor(
    private readonly x: ClickHouseExecutor,
    private readonly t: (table: string) => string,
  ) {
    this.rules = new Records(x, t('generated_metric_rules'));
  }

  async listRules(): Promise<MetricRule[]> {
    const stored = await this.rules.list();
    this.generations.clear();
    for (const s of stored) this.generations.set(s.rule.name, s.generation);
    return stored.map((s) => s.rule).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async saveRule(rule: MetricRule, resetData: boolean): Promise<void> {
    const kept = this.generations.get(rule.name);
    const generation = resetData || kept === undefined ? String(nextVersion()) : kept;
    await this.rules.put([{ id: rule.name, doc: { rule, generation } }]);
    this.generations.set(rule.name, generation);
  }

  async deleteRule(name: string): Promise<void> {
    await this.rules.put([{ id: name, doc: null }]);
    this.generations.delete(name);
  }

  private generation(rule: string): string {
    const g = this.generations.get(rule);
    if (g === undefined) throw new Error(`generated metric rule "${rule}" is not stored`);
    return g;
  }

  async loadSeries(rule: string): Promise<SeriesRow[]> {
    const rows = await this.x.query(
      `SELECT series_key, any(labels) AS labels, sum(total_count) AS total_count, sum(total_sum) AS total_sum,
         min(first_seen) AS first
       FROM ${this.t('generated_metric_series')}
       WHERE rule = {rule:String} AND generation = {generation:UInt64}
       GROUP BY series_key ORDER BY first, series_key`,
      { rule, generation: this.generation(rule) },
    );
    return rows.map(toSeries);
  }

  async readBuckets(rule: string, fromS: number, toS: number): Promise<BucketRow[]> {
    const rows = await this.x.query(
      `SELECT ${BUCKET_COLUMNS}
       FROM ${this.t('generated_metric_buckets')}
       WHERE rule = {rule:String} AND generation = {generation:UInt64}
         AND bucket_start >= toDateTime64({from:Int64}, 6, 'UTC') AND bucket_start < toDateTime64({to:Int64}, 6, 'UTC')
       GROUP BY series_key, bucket_start ORDER BY bucket_start, series_key`,
      {
        rule,
        generation: this.generation(rule),
        from: Math.max(0, Math.floor(fromS)),
        to: Math.min(Math.floor(toS), 4_102_444_800),
      },
    );
    return rows.map(toBucket);
  }

  /**
   * Every rule's series and recent buckets in two reads (the engine's refresh, every
   * REPLICA_STATE_REFRESH_MS): one condition per rule on (rule, generation), the key's prefix.
   */
  async loadMany(
    requests: { rule: string; sinceS: number }[],
  ): Promise<Map<string, { series: SeriesRow[]; buckets: BucketRow[] }>> {
    const out = new Map<string, { series: SeriesRow[]; buckets: BucketRow[] }>();
    const known = requests.filter((q) => this.generations.has(q.rule));
    if (known.length === 0) return out;
    const params: QueryParams = {};
    const which = (since: boolean) =>
      known
        .map((q, i) => {
          params[`r${i}`] = q.rule;
          params[`g${i}`] = this.generation(q.rule);
          params[`s${i}`] = Math.max(0, Math.floor(q.sinceS));
          const from = since ? ` AND bucket_start >= toDateTime64({s${i}:Int64}, 6, 'UTC')` : '';
          return `(rule = {r${i}:String} AND generation = {g${i}:UInt64}${from})`;
        })
        .join(' OR ');
    for (const q of known) out.set(q.rule, { series: [], buckets: [] });
    const series = await this.x.query(
      `SELECT rule, series_key, any(labels) AS labels, sum(total_count) AS total_count, sum(total_sum) AS total_sum,
         min(first_seen) AS first
       FROM ${this.t('generated_metric_series')} WHERE ${which(false)}
       GROUP BY rule, series_key ORDER BY rule, first, series_key`,
      params,
    );
    for (const r of series) out.get(String(r.rule))?.series.push(toSeries(r));
    const buckets = await this.x.query(
      `SELECT rule, ${BUCKET_COLUMNS} FROM ${this.t('generated_metric_buckets')} WHERE ${which(true)}
       GROUP BY rule, series_key, bucket_start ORDER BY rule, bucket_start, series_key`,
      params,
    );
    for (const r of buckets) out.get(String(r.rule))?.buckets.push(toBucket(r));
    return out;
  }

  /** Inserts this flush's deltas: the series' totals grow by what their bucket deltas add up to. */
  async flush(rule: string, series: SeriesRow[], deltas: BucketRow[]): Promise<void> {
    const generation = this.generation(rule);
    const labels = new Map(series.map((s) => [s.key, s.labels]));
    const totals = new Map<string, { count: number; sum: number }>();
    for (const d of deltas) {
      const t = totals.get(d.seriesKey) ?? { count: 0, sum: 0 };
      t.count += d.count;
      t.sum += d.sum;
      totals.set(d.seriesKey, t);
    }
    const now = dateTime(Date.now() / 1000);
    await this.x.insert(
      this.t('generated_metric_series'),
      [...totals].map(([key, t]) => ({
        rule,
        generation,
        series_key: key,
        labels: JSON.stringify(labels.get(key) ?? (JSON.parse(key) as string[])),
        total_count: t.count,
        total_sum: t.sum,
        first_seen: now,
      })),
    );
    await this.x.insert(
      this.t('generated_metric_buckets'),
      deltas.map((d) => {
        const sketch = d.sketch?.toJSON();
        return {
          rule,
          generation,
          series_key: d.seriesKey,
          bucket_start: dateTime(d.start),
          count: d.count,
          sum: d.sum,
          min: d.min,
          max: d.max,
          sketch_pos: Object.fromEntries(sketch?.p ?? []),
          sketch_neg: Object.fromEntries(sketch?.n ?? []),
          sketch_zero: sketch?.z ?? 0,
        };
      }),
    );
  }

  close(): void {
    // The executor is the store's; it closes with the store.
  }
}
