/*
 * Evaluates generated metric rules on every committed batch (WriteQueue.onCommit), keeps what the
 * Prometheus exposition needs in memory (bounded: MAX_GENERATED_METRIC_RULES rules of at most
 * MAX_GENERATED_METRIC_SERIES series, each with the bucket of the current interval), and flushes
 * what arrived to the generated metric tables every GENERATED_METRICS_FLUSH_INTERVAL_MS.
 */
import { MAX_GENERATED_METRIC_RULES, MAX_GENERATED_METRIC_SERIES } from '@otel-rum/model';
import { HttpError } from '../http/http-error';
import type { Logger } from '../log';
import type { EventRow, WriteBatch } from '../store/rows';
import { mergeBuckets, type BucketRow, type MetricStorage, type SeriesRow } from './metric-tables';
import { compileRule, exposedNames, sameMeasure, type CompiledRule } from './rule';
import type { MetricRule, MetricRuleDefinition } from '@otel-rum/model';
import { Serial } from './serial';
import { QuantileSketch } from './sketch';

/** How often what arrived is written to the generated metric tables. */
export const GENERATED_METRICS_FLUSH_INTERVAL_MS = 1000;
/** Events older than this (by their own time) are not added to any bucket: dropped and counted as late. */
export const GENERATED_METRIC_MAX_LATENESS_S = 86_400;
/** Events further ahead of the server clock than this are dropped and counted as future. */
export const GENERATED_METRIC_MAX_FUTURE_S = 300;

export const DROP_REASONS = ['series_limit', 'late', 'future'] as const;
export type DropReason = (typeof DROP_REASONS)[number];

interface Series {
  key: string;
  labels: string[];
  totalCount: number;
  totalSum: number;
  /** The newest bucket (by event time) this process has seen, merged with its stored state. */
  current: BucketRow | null;
  /** The value of the bucket before `current`, kept once `current` moved on. */
  previous: { start: number; value: number | null } | null;
}

export interface RuleState {
  compiled: CompiledRule;
  series: Map<string, Series>;
  dropped: Record<DropReason, number>;
  /** Bucket deltas since the last flush, by `seriesKey|start`. */
  dirty: Map<string, BucketRow>;
  dirtySeries: Set<string>;
}

export interface SeriesPoint {
  time: string;
  value: number | null;
  count: number;
}

export interface SeriesResult {
  labels: Record<string, string>;
  points: SeriesPoint[];
}

function emptyBucket(seriesKey: string, start: number, percentile: boolean): BucketRow {
  return {
    seriesKey,
    start,
    count: 0,
    sum: 0,
    min: Infinity,
    max: -Infinity,
    sketch: percentile ? new QuantileSketch() : null,
  };
}

function addTo(b: BucketRow, v: number): void {
  b.count += 1;
  b.sum += v;
  if (v < b.min) b.min = v;
  if (v > b.max) b.max = v;
  b.sketch?.add(v);
}

/** The value of one bucket under the rule's aggregation. */
export function bucketValue(rule: MetricRule, b: BucketRow): number | null {
  switch (rule.aggregation) {
    case 'count':
      return b.count;
    case 'sum':
      return b.sum;
    case 'avg':
      return b.count > 0 ? b.sum / b.count : null;
    case 'percentile':
      return b.sketch?.quantile((rule.percentile ?? 0) / 100) ?? null;
  }
}

export class MetricsEngine {
  private readonly rules = new Map<string, RuleState>();
  private readonly byKind = new Map<string, RuleState[]>();
  private readonly serial = new Serial();
  private timer: NodeJS.Timeout | null = null;

  private constructor(
    private readonly tables: MetricStorage,
    private readonly log: Logger,
    private readonly now: () => number,
  ) {}

  /** Loads the rules, their series and their recent buckets, and starts flushing. */
  static async start(
    tables: MetricStorage,
    log: Logger,
    options: { now?: () => number; flushIntervalMs?: number } = {},
  ): Promise<MetricsEngine> {
    const engine = new MetricsEngine(tables, log, options.now ?? Date.now);
    for (const rule of await tables.listRules()) {
      let compiled: CompiledRule;
      try {
        compiled = compileRule(rule);
      } catch (e) {
        log.warn('generated metric rule no longer compiles; it is not evaluated', {
          rule: rule.name,
          reason: (e as Error).message,
        });
        continue;
      }
      const state = engine.install(compiled);
      await engine.loadState(state);
    }
    const every = options.flushIntervalMs ?? GENERATED_METRICS_FLUSH_INTERVAL_MS;
    engine.timer = setInterval(() => void engine.flush().catch(() => undefined), every);
    engine.timer.unref();
    return engine;
  }

  private install(compiled: CompiledRule): RuleState {
    const state: RuleState = {
      compiled,
      series: new Map(),
      dropped: { series_limit: 0, late: 0, future: 0 },
      dirty: new Map(),
      dirtySeries: new Set(),
    };
    this.rules.set(compiled.rule.name, state);
    this.index();
    return state;
  }

  private index(): void {
    this.byKind.clear();
    for (const s of this.rules.values()) {
      const list = this.byKind.get(s.compiled.rule.kind) ?? [];
      list.push(s);
      this.byKind.set(s.compiled.rule.kind, list);
    }
  }

  /** The start (epoch seconds) of the interval before the current one: what loading a rule reads from. */
  private recentSince(rule: MetricRule): number {
    const nowS = this.now() / 1000;
    return (Math.floor(nowS / rule.intervalSeconds) - 1) * rule.intervalSeconds;
  }

  private async loadState(state: RuleState): Promise<void> {
    const rule = state.compiled.rule;
    const stored = await this.tables.loadSeries(rule.name);
    const buckets = await this.tables.readBuckets(
      rule.name,
      this.recentSince(rule),
      Number.MAX_SAFE_INTEGER / 1e6,
    );
    this.applyState(state, stored, buckets);
  }

  /**
   * Replaces the rule's series by those stored and their recent buckets, with what this process
   * evaluated and has not flushed yet on top (events evaluated while the reads waited are in
   * `state.dirty` too). Synchronous: nothing is evaluated in between.
   */
  private applyState(state: RuleState, stored: SeriesRow[], buckets: BucketRow[]): void {
    const rule = state.compiled.rule;
    const series = new Map<string, Series>();
    for (const s of stored) {
      if (series.size >= MAX_GENERATED_METRIC_SERIES) break;
      series.set(s.key, { ...s, current: null, previous: null });
    }
    for (const b of buckets) {
      const s = series.get(b.seriesKey);
      if (!s) continue;
      if (s.current === null || b.start > s.current.start) {
        if (s.current) s.previous = { start: s.current.start, value: bucketValue(rule, s.current) };
        s.current = b;
      }
    }
    for (const d of state.dirty.values()) {
      let s = series.get(d.seriesKey);
      if (!s) {
        if (series.size >= MAX_GENERATED_METRIC_SERIES) continue;
        const labels = JSON.parse(d.seriesKey) as string[];
        s = { key: d.seriesKey, labels, totalCount: 0, totalSum: 0, current: null, previous: null };
        series.set(d.seriesKey, s);
      }
      s.totalCount += d.count;
      s.totalSum += d.sum;
      if (s.current === null || d.start > s.current.start) {
        if (s.current) s.previous = { start: s.current.start, value: bucketValue(rule, s.current) };
        s.current = mergeBuckets(emptyBucket(d.seriesKey, d.start, d.sketch !== null), d);
      } else if (d.start === s.current.start) s.current = mergeBuckets(s.current, d);
    }
    state.series = series;
  }

  /**
   * Takes in what other server processes sharing the tables changed (the ClickHouse store): rules
   * created, replaced or deleted there, and the series totals and recent buckets they stored. Run
   * every REPLICA_STATE_REFRESH_MS on such a store.
   */
  refresh(): Promise<void> {
    return this.serial.run(async () => {
      const rules = await this.tables.listRules();
      const names = new Set(rules.map((r) => r.name));
      for (const name of [...this.rules.keys()]) if (!names.has(name)) this.rules.delete(name);
      this.index();
      for (const rule of rules) {
        let state = this.rules.get(rule.name);
        const old = state?.compiled.rule;
        if (!state || !old || old.createdAt !== rule.createdAt || !sameMeasure(old, rule)) {
          try {
            state = this.install(compileRule(rule));
          } catch (e) {
            this.log.warn('generated metric rule no longer compiles; it is not evaluated', {
              rule: rule.name,
              reason: (e as Error).message,
            });
            continue;
          }
        } else if (JSON.stringify(old) !== JSON.stringify(rule)) state.compiled = compileRule(rule);
        if (!this.tables.loadMany) await this.loadState(state);
      }
      if (this.tables.loadMany) {
        const states = [...this.rules.values()];
        const loaded = await this.tables.loadMany(
          states.map((st) => ({ rule: st.compiled.rule.name, sinceS: this.recentSince(st.compiled.rule) })),
        );
        for (const st of states) {
          const got = loaded.get(st.compiled.rule.name);
          if (got && this.rules.get(st.compiled.rule.name) === st)
            this.applyState(st, got.series, got.buckets);
        }
      }
    });
  }

  /** The WriteQueue listener: adds every matching event to its series and bucket. */
  onCommit(batch: WriteBatch): void {
    if (this.rules.size === 0) return;
    const nowS = this.now() / 1000;
    for (const e of batch.events) {
      const states = this.byKind.get(e.kind);
      if (!states) continue;
      for (const state of states) this.evaluate(state, e, nowS);
    }
  }

  private evaluate(state: RuleState, e: EventRow, nowS: number): void {
    const { compiled } = state;
    if (!compiled.matches(e)) return;
    const v = compiled.measure(e);
    if (v === null) return;
    const t = Number(e.timeUs) / 1e6;
    if (t < nowS - GENERATED_METRIC_MAX_LATENESS_S) {
      state.dropped.late += 1;
      return;
    }
    if (t > nowS + GENERATED_METRIC_MAX_FUTURE_S) {
      state.dropped.future += 1;
      return;
    }
    const rule = compiled.rule;
    const labels = compiled.labels(e);
    const key = JSON.stringify(labels);
    let series = state.series.get(key);
    if (!series) {
      if (state.series.size >= MAX_GENERATED_METRIC_SERIES) {
        state.dropped.series_limit += 1;
        return;
      }
      series = { key, labels, totalCount: 0, totalSum: 0, current: null, previous: null };
      state.series.set(key, series);
    }
    const percentile = rule.aggregation === 'percentile';
    const start = Math.floor(t / rule.intervalSeconds) * rule.intervalSeconds;
    series.totalCount += 1;
    series.totalSum += v;
    state.dirtySeries.add(key);
    if (series.current === null || start > series.current.start) {
      if (series.current)
        series.previous = { start: series.current.start, value: bucketValue(rule, series.current) };
      series.current = emptyBucket(key, start, percentile);
    }
    if (start === series.current.start) addTo(series.current, v);
    const dirtyKey = `${key}|${start}`;
    let delta = state.dirty.get(dirtyKey);
    if (!delta) {
      delta = emptyBucket(key, start, percentile);
      state.dirty.set(dirtyKey, delta);
    }
    addTo(delta, v);
  }

  /** Writes what arrived since the last flush. Resolves when it is stored. */
  flush(): Promise<void> {
    return this.serial.run(async () => {
      for (const state of this.rules.values()) {
        if (state.dirty.size === 0 && state.dirtySeries.size === 0) continue;
        const deltas = [...state.dirty.values()];
        const keys = [...state.dirtySeries];
        state.dirty = new Map();
        state.dirtySeries = new Set();
        const series: SeriesRow[] = [];
        for (const k of keys) {
          const s = state.series.get(k);
          if (s)
            series.push({ key: s.key, labels: s.labels, totalCount: s.totalCount, totalSum: s.totalSum });
        }
        try {
          await this.tables.flush(state.compiled.rule.name, series, deltas);
        } catch (e) {
          this.log.warn('generated metrics could not be stored; retrying at the next flush', {
            rule: state.compiled.rule.name,
            reason: (e as Error).message,
          });
          for (const d of deltas) {
            const k = `${d.seriesKey}|${d.start}`;
            const later = state.dirty.get(k);
            state.dirty.set(k, later ? mergeBuckets(d, later) : d);
          }
          for (const k of keys) state.dirtySeries.add(k);
          throw e;
        }
      }
    });
  }

  list(): { rule: MetricRule; series: number; dropped: Record<DropReason, number> }[] {
    return [...this.rules.values()]
      .map((s) => ({ rule: s.compiled.rule, series: s.series.size, dropped: { ...s.dropped } }))
      .sort((a, b) => a.rule.name.localeCompare(b.rule.name));
  }

  get(name: string): RuleState {
    const state = this.rules.get(name);
    if (!state) throw new HttpError(404, `generated metric rule "${name}" not found`);
    return state;
  }

  /** Every rule's state, for the exposition. */
  states(): RuleState[] {
    return [...this.rules.values()];
  }

  create(def: MetricRuleDefinition): Promise<MetricRule> {
    return this.serial.run(async () => {
      if (this.rules.has(def.name)) throw new HttpError(409, `generated metric rule "${def.name}" exists`);
      if (this.rules.size >= MAX_GENERATED_METRIC_RULES)
        throw new HttpError(
          409,
          `at most ${MAX_GENERATED_METRIC_RULES} generated metric rules (MAX_GENERATED_METRIC_RULES); delete one first`,
        );
      this.checkNames(def);
      const at = new Date(this.now()).toISOString();
      const rule: MetricRule = { ...def, createdAt: at, updatedAt: at };
      const compiled = compileRule(rule);
      await this.tables.saveRule(rule, true);
      this.install(compiled);
      return rule;
    });
  }

  /** Replaces a rule. When what it measures changes, what it measured so far is discarded. */
  update(def: MetricRuleDefinition): Promise<{ rule: MetricRule; reset: boolean }> {
    return this.serial.run(async () => {
      const old = this.get(def.name);
      this.checkNames(def);
      const reset = !sameMeasure(old.compiled.rule, def);
      const rule: MetricRule = {
        ...def,
        createdAt: old.compiled.rule.createdAt,
        updatedAt: new Date(this.now()).toISOString(),
      };
      const compiled = compileRule(rule);
      await this.tables.saveRule(rule, reset);
      if (reset) this.install(compiled);
      else old.compiled = compiled;
      return { rule, reset };
    });
  }

  delete(name: string): Promise<void> {
    return this.serial.run(async () => {
      this.get(name);
      this.rules.delete(name);
      this.index();
      await this.tables.deleteRule(name);
    });
  }

  /** The rule's buckets in [fromS, toS), one series per label set; stored data first flushed. */
  async series(name: string, fromS: number, toS: number): Promise<SeriesResult[]> {
    await this.flush();
    return this.serial.run(async () => {
      const state = this.get(name);
      const rule = state.compiled.rule;
      const bySeries = new Map<string, SeriesResult>();
      for (const b of await this.tables.readBuckets(name, fromS, toS)) {
        let out = bySeries.get(b.seriesKey);
        if (!out) {
          const values = JSON.parse(b.seriesKey) as string[];
          const labels = Object.fromEntries(rule.dimensions.map((d, i) => [d.label, values[i] ?? '']));
          out = { labels, points: [] };
          bySeries.set(b.seriesKey, out);
        }
        out.points.push({
          time: new Date(b.start * 1000).toISOString(),
          value: bucketValue(rule, b),
          count: b.count,
        });
      }
      return [...bySeries.values()];
    });
  }

  /** A rule's sample names must not be another rule's. */
  private checkNames(def: MetricRuleDefinition): void {
    const mine = new Set(exposedNames(def));
    for (const s of this.rules.values()) {
      if (s.compiled.rule.name === def.name) continue;
      const clash = exposedNames(s.compiled.rule).find((n) => mine.has(n));
      if (clash)
        throw new HttpError(
          409,
          `rule "${def.name}" would expose "${clash}", which rule "${s.compiled.rule.name}" already exposes`,
        );
    }
  }

  /** Stops flushing after a last flush. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush().catch(() => undefined);
    await this.serial.run(async () => this.tables.close());
  }
}
