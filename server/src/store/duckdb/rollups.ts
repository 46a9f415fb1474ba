/*
 * Hourly rollups of the DuckDB store (ROLLUPS.md beside this file): per application, source table,
 * hour and dimension value, the event count; the same with a log-scale histogram of each numeric field
 * (count, sum, min and max per histogram bucket); per error fingerprint and hour, the issue's counts
 * and its distinct sessions. A background job (RollupJob) folds closed hours from the raw events and
 * folds again the hours that late events touched; the issue list, facets and aggregates read them for
 * the complete folded hours of their range and the raw events for the rest.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import {
  EVENT_KINDS,
  ROLLUP_CLOSE_DELAY_MS,
  ROLLUP_FIRST_RUN_DELAY_MS,
  ROLLUP_HISTOGRAM_GAMMA,
  ROLLUP_JOB_INTERVAL_MS,
  ROLLUP_LATE_MARGIN_MS,
} from '@otel-rum/model';
import { EVENT_COLUMN_FIELDS } from '../event-fields';
import { eventTable } from './event-tables';

export const HOUR_MS = 3_600_000;

/**
 * Filter-language fields kept as rollup dimensions: those with few values per hour. A facet or a
 * group-by of any other field (url, user, label, attr.<key>...) reads the raw events.
 */
export const ROLLUP_DIMENSIONS = [
  'browser',
  'os',
  'device',
  'country',
  'path',
  'env',
  'version',
  'type',
  'status',
] as const;
/** Numeric fields kept as histograms. */
export const ROLLUP_VALUE_FIELDS = ['duration', 'value'] as const;

/** The table holding the views (each once, latest state, at its start), which kind=view queries read. */
export const VIEWS_SOURCE = 'views';
/** Every table a rollup is kept of: one per event kind, and the views table. */
export const ROLLUP_SOURCES = [...EVENT_KINDS.map(eventTable), VIEWS_SOURCE];

const column = (field: string) => EVENT_COLUMN_FIELDS[field]!.column;

/** Histogram buckets: 0 holds zero, k > 0 the values in (g^(k-1-OFFSET), g^(k-OFFSET)], k < 0 the negatives. */
const BUCKET_OFFSET = 2000;
const LN_GAMMA = Math.log(ROLLUP_HISTOGRAM_GAMMA);

/** SQL of the histogram bucket of the DOUBLE expression `x`. */
export function bucketSql(x: string): string {
  const k = (v: string) => `least(greatest(ceil(ln(${v}) / ${LN_GAMMA}) + ${BUCKET_OFFSET}, 1), 100000)`;
  return `(CASE WHEN ${x} > 0 THEN ${k(x)} WHEN ${x} < 0 THEN -${k(`-(${x})`)} ELSE 0 END)::INTEGER`;
}

/**
 * SQL of the value a bucket `k` stands for: the middle (in relative terms) of its range, within
 * (g - 1) / (g + 1) of any value in it, held to the smallest and largest value it saw.
 */
export function bucketValueSql(k: string, lo: string, hi: string): string {
  const g = ROLLUP_HISTOGRAM_GAMMA;
  const mid = `(2 * pow(${g}, abs(${k}) - ${BUCKET_OFFSET}) / ${g + 1})`;
  return `least(greatest(CASE WHEN ${k} > 0 THEN ${mid} WHEN ${k} < 0 THEN -${mid} ELSE 0 END, ${lo}), ${hi})`;
}

const ts = (ms: number) => `make_timestamp(${BigInt(Math.trunc(ms)) * 1000n}::BIGINT)`;

/**
 * Dimensions the value histograms are kept by (a percentile grouped by another dimension reads the
 * raw events): each multiplies the histogram rows by its values.
 */
export const ROLLUP_VALUE_DIMENSIONS = ['browser', 'device', 'country', 'path', 'version'] as const;

/** The dimension columns as text, under their field names. */
const dimSelect = (dims: readonly string[]) =>
  dims.map((d) => `CAST(${column(d)} AS VARCHAR) AS d_${d}`).join(', ');
const dimList = (dims: readonly string[]) => dims.map((d) => `d_${d}`).join(', ');
const dimSets = (dims: readonly string[], base: string) =>
  [`(${base})`, ...dims.map((d) => `(${base}, d_${d})`)].join(', ');
const dimName = (dims: readonly string[]) =>
  `CASE ${dims.map((d) => `WHEN grouping(d_${d}) = 0 THEN '${d}'`).join(' ')} ELSE '' END`;
const dimValue = (dims: readonly string[]) =>
  `CASE ${dims.map((d) => `WHEN grouping(d_${d}) = 0 THEN d_${d}`).join(' ')} END`;

/** Statements that replace the rollup rows of the hours in [fromMs, toMs) by those of the raw events. */
export function foldStatements(fromMs: number, toMs: number): string[] {
  const range = `time >= ${ts(fromMs)} AND time < ${ts(toMs)}`;
  const hourRange = `hour >= ${ts(fromMs)} AND hour < ${ts(toMs)}`;
  const out = ROLLUP_HOUR_TABLES.map((t) => `DELETE FROM ${t} WHERE ${hourRange}`);
  const dims = ROLLUP_DIMENSIONS;
  const vdims = ROLLUP_VALUE_DIMENSIONS;
  for (const source of ROLLUP_SOURCES) {
    // Each statement first groups by every dimension at once (few rows per hour), then rolls that up
    // by each dimension alone.
    out.push(`INSERT INTO rollup_counts
      SELECT '${source}', app_id, hour, ${dimName(dims)}, ${dimValue(dims)}, sum(n)
      FROM (SELECT app_id, date_trunc('hour', time) AS hour, ${dimSelect(dims)}, count(*) AS n
        FROM ${source} WHERE ${range} GROUP BY ALL)
      GROUP BY GROUPING SETS (${dimSets(dims, 'app_id, hour')})`);
    const values = ROLLUP_VALUE_FIELDS.map(
      (f) =>
        `SELECT app_id, date_trunc('hour', time) AS hour, ${dimSelect(vdims)}, '${f}' AS field, ${column(f)} AS x
         FROM ${source} WHERE ${range} AND ${column(f)} IS NOT NULL`,
    ).join(' UNION ALL ');
    out.push(`INSERT INTO rollup_values
      SELECT '${source}', app_id, hour, field, ${dimName(vdims)}, ${dimValue(vdims)}, k, sum(n), sum(total), min(lo), max(hi)
      FROM (SELECT app_id, hour, field, ${dimList(vdims)}, ${bucketSql('x')} AS k,
          count(*) AS n, sum(x) AS total, min(x) AS lo, max(x) AS hi
        FROM (${values}) GROUP BY ALL)
      GROUP BY GROUPING SETS (${dimSets(vdims, 'app_id, hour, field, k')})`);
  }
  const errors = `FROM ${eventTable('error')} WHERE ${range} AND fingerprint IS NOT NULL`;
  out.push(`INSERT INTO rollup_issues
    SELECT app_id, date_trunc('hour', time) AS hour, fingerprint, count(*), min(time), max(time),
      arg_max(label, time), arg_max(type, time),
      count(DISTINCT hash(session_id)) FILTER (WHERE session_id IS NOT NULL)
    ${errors} GROUP BY ALL`);
  out.push(`INSERT INTO rollup_issue_sessions
    SELECT DISTINCT app_id, date_trunc('hour', time) AS hour, fingerprint, hash(session_id)
    ${errors} AND session_id IS NOT NULL`);
  // The pairs of these hours seen in another hour too: every hour's row of them is marked (once).
  // A mark outlives the other hour's pair when that is deleted (erasure): too many marks cost time,
  // never exactness (ROLLUPS.md).
  const same = (a: string, b: string) =>
    `${a}.session_hash = ${b}.session_hash AND ${a}.fingerprint = ${b}.fingerprint
     AND ${a}.app_id IS NOT DISTINCT FROM ${b}.app_id`;
  out.push(`INSERT INTO rollup_issue_sessions_multi
    WITH fresh AS (SELECT * FROM rollup_issue_sessions WHERE ${hourRange}),
      spread AS (SELECT s.app_id, s.fingerprint, s.session_hash FROM rollup_issue_sessions s
        SEMI JOIN fresh f ON ${same('s', 'f')} GROUP BY ALL HAVING count(*) > 1)
    SELECT s.app_id, s.hour, s.fingerprint, s.session_hash FROM rollup_issue_sessions s
    SEMI JOIN spread p ON ${same('s', 'p')}
    ANTI JOIN rollup_issue_sessions_multi m ON ${same('s', 'm')} AND s.hour = m.hour`);
  return out;
}

/**
 * The tables with rollup rows per application and hour. `rollup_issue_sessions` holds each hour's
 * distinct (issue, session hash) pairs; `rollup_issue_sessions_multi` those of its rows whose pair is
 * in another hour too, so that a range's distinct sessions per issue are the sum of the hours'
 * (`rollup_issues.sessions`) less the marked rows plus the marked pairs, distinct.
 */
export const ROLLUP_HOUR_TABLES = [
  'rollup_counts',
  'rollup_values',
  'rollup_issues',
  'rollup_issue_sessions',
  'rollup_issue_sessions_multi',
] as const;

/** SQL counting the rows (events of every kind, and views) in [fromMs, toMs). */
function rowCount(fromMs: number, toMs: number): string {
  return ROLLUP_SOURCES.map(
    (s) => `(SELECT count(*) FROM ${s} WHERE time >= ${ts(fromMs)} AND time < ${ts(toMs)})`,
  ).join(' + ');
}

/** The 48-bit millisecond prefix of the time-ordered ids (ids.ts) written at `ms`, for comparison. */
export function idPrefix(ms: number): string {
  const t = Math.max(0, Math.trunc(ms)).toString(16).padStart(12, '0');
  return `${t.slice(0, 8)}-${t.slice(8)}`;
}

/** The write time, in ms, of a time-ordered id; NaN for another kind of id. */
export function idMs(id: string): number {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-7/.test(id) ? parseInt(id.slice(0, 8) + id.slice(9, 13), 16) : NaN;
}

export const floorHour = (ms: number) => Math.floor(ms / HOUR_MS) * HOUR_MS;

/** A range [from, to) of ms; either end may be open (±Infinity). */
export type Span = [number, number];

/**
 * Which part of a range the rollups answer: `runs`, contiguous folded whole hours (each also inside
 * one bucket when `sameBucket` is given), and `edges`, the rest of the range, read raw.
 */
export interface Coverage {
  runs: Span[];
  edges: Span[];
}

export class Rollups {
  /**
   * Folded hours (start, ms): the time each fold's snapshot was taken, and the rows (events and
   * views) the hour held then.
   */
  private readonly folded = new Map<number, { at: number; rows: number }>();
  private lock: Promise<unknown> = Promise.resolve();
  /** Ids written from this time on (less the margin) are looked at for late events. */
  private lateCheckedMs = 0;
  /** Whether reads may use the rollups (a test turns them off to compare with raw answers). */
  enabled = true;

  constructor(private readonly conn: DuckDBConnection) {}

  /** Loads what was folded; drops every rollup when DuckDB's version (and so its hash()) changed. */
  async load(): Promise<void> {
    const version = String((await this.rows('SELECT version() AS v'))[0]!.v);
    const state = new Map(
      (await this.rows('SELECT key, value FROM rollup_state')).map((r) => [String(r.key), String(r.value)]),
    );
    if (state.get('duckdb_version') !== version) {
      await this.conn.run('BEGIN TRANSACTION');
      for (const t of ['rollup_hours', ...ROLLUP_HOUR_TABLES]) await this.conn.run(`DELETE FROM ${t}`);
      await this.conn.run('DELETE FROM rollup_state');
      await this.conn.run(`INSERT INTO rollup_state VALUES ('duckdb_version', ?)`, [version]);
      await this.conn.run('COMMIT');
      state.clear();
    }
    this.lateCheckedMs = Number(state.get('late_checked_ms') ?? 0);
    this.folded.clear();
    for (const r of await this.rows('SELECT epoch_ms(hour) AS h, folded_at_ms, rows FROM rollup_hours'))
      this.folded.set(Number(r.h), { at: Number(r.folded_at_ms), rows: Number(r.rows) });
  }

  /** Runs `work` while no fold runs and no other such work (erasure, retention) changes the rollups. */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.lock.then(work, work);
    this.lock = run.catch(() => undefined);
    return run;
  }

  /** Hours folded so far, oldest first (ms). */
  foldedHours(): number[] {
    return [...this.folded.keys()].sort((a, b) => a - b);
  }

  /**
   * The part of [fromMs, toMs) that folded whole hours cover, and the edges left for the raw events.
   * With `bucketOf`, an hour counts only when it lies inside one bucket.
   */
  coverage(
    fromMs: number | undefined,
    toMs: number | undefined,
    bucketOf?: (ms: number) => number,
  ): Coverage {
    const from = fromMs ?? -Infinity;
    const to = toMs ?? Infinity;
    const runs: Span[] = [];
    if (this.enabled)
      for (const h of this.foldedHours()) {
        if (h < from || h + HOUR_MS > to) continue;
        if (bucketOf && bucketOf(h) !== bucketOf(h + HOUR_MS - 1)) continue;
        const last = runs[runs.length - 1];
        if (last && last[1] === h) last[1] = h + HOUR_MS;
        else runs.push([h, h + HOUR_MS]);
      }
    const edges: Span[] = [];
    let at = from;
    for (const [a, b] of runs) {
      if (a > at) edges.push([at, a]);
      at = b;
    }
    if (at < to) edges.push([at, to]);
    return { runs, edges };
  }

  /**
   * One run of the job at `nowMs`: folds again the folded hours that events written since their fold
   * fall in, then every closed hour not folded yet from the first hour with data on.
   */
  async run(nowMs: number, beforeFold: () => Promise<void>): Promise<{ folded: number; refolded: number }> {
    // Before taking the lock: erasure holds the summaries' turn while it waits for the lock.
    await beforeFold();
    return this.exclusive(async () => {
      const closedEnd = floorHour(nowMs - ROLLUP_CLOSE_DELAY_MS);
      const since = this.lateCheckedMs - ROLLUP_LATE_MARGIN_MS;
      // Late events: the newest id written in each folded hour since the last check (ids are given
      // at write time, so the id's range skips the older row groups).
      // An hour with ids written since (less the margin) its fold is counted again: folded again when
      // its rows changed (a write caught by the margin but already in the fold changes nothing).
      const dirty = new Set<number>();
      const candidates = new Set<number>();
      if (this.folded.size) {
        const latest = await this.rows(
          ROLLUP_SOURCES.map(
            (s) => `SELECT epoch_ms(date_trunc('hour', time)) AS h, max(id) AS id FROM ${s}
              WHERE id >= '${idPrefix(since)}' GROUP BY 1`,
          ).join(' UNION ALL '),
        );
        for (const r of latest) {
          const h = Number(r.h);
          const foldedAt = this.folded.get(h);
          if (foldedAt !== undefined && idMs(String(r.id)) >= foldedAt.at - ROLLUP_LATE_MARGIN_MS)
            candidates.add(h);
        }
      }
      for (const h of candidates) {
        const [now] = await this.rows(`SELECT (${rowCount(h, h + HOUR_MS)}) AS n`);
        if (Number(now!.n) !== this.folded.get(h)!.rows) dirty.add(h);
      }
      const hours = [...dirty];
      const last = this.foldedHours().pop();
      let start = last === undefined ? null : last + HOUR_MS;
      if (start === null) {
        const [first] = await this.rows(
          `SELECT epoch_ms(min(t)) AS t FROM (${ROLLUP_SOURCES.map((s) => `SELECT min(time) AS t FROM ${s}`).join(' UNION ALL ')})`,
        );
        start = first?.t === null || first?.t === undefined ? closedEnd : floorHour(Number(first.t));
      }
      // Of the new hours, those without rows (the server was idle) are only marked folded.
      const withRows = new Set<number>();
      if (start < closedEnd)
        for (const r of await this.rows(
          `SELECT DISTINCT epoch_ms(date_trunc('hour', time)) AS h FROM (${ROLLUP_SOURCES.map(
            (s) => `SELECT time FROM ${s} WHERE time >= ${ts(start)} AND time < ${ts(closedEnd)}`,
          ).join(' UNION ALL ')})`,
        ))
          withRows.add(Number(r.h));
      const empty: number[] = [];
      for (let h = start; h < closedEnd; h += HOUR_MS) (withRows.has(h) ? hours : empty).push(h);
      if (empty.length) await this.markEmpty(empty);
      hours.sort((a, b) => a - b);
      // Contiguous hours are folded together, a few at a time (one transaction each).
      for (let i = 0; i < hours.length;) {
        let j = i + 1;
        while (j < hours.length && hours[j] === hours[j - 1]! + HOUR_MS && j - i < FOLD_CHUNK_HOURS) j++;
        await this.fold(this.conn, hours[i]!, hours[j - 1]! + HOUR_MS, true);
        i = j;
      }
      this.lateCheckedMs = nowMs;
      await this.conn.run(
        `INSERT INTO rollup_state VALUES ('late_checked_ms', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
        [String(nowMs)],
      );
      return { folded: hours.length - dirty.size, refolded: dirty.size };
    });
  }

  /**
   * Folds [fromMs, toMs) on `conn`, in a transaction of its own when `own`, otherwise inside the
   * caller's (erasure, retention), which must hold exclusive().
   */
  async fold(conn: DuckDBConnection, fromMs: number, toMs: number, own: boolean): Promise<void> {
    const at = Date.now();
    if (own) await conn.run('BEGIN TRANSACTION');
    try {
      for (const sql of foldStatements(fromMs, toMs)) await conn.run(sql);
      // Each hour's rows at the fold: a later count that differs says late events came in.
      const counted = new Map(
        (
          await conn.runAndReadAll(
            `SELECT epoch_ms(date_trunc('hour', time)) AS h, count(*) AS n FROM (${ROLLUP_SOURCES.map(
              (s) => `SELECT time FROM ${s} WHERE time >= ${ts(fromMs)} AND time < ${ts(toMs)}`,
            ).join(' UNION ALL ')}) GROUP BY 1`,
          )
        )
          .getRowObjectsJS()
          .map((r) => [Number(r.h), Number(r.n)]),
      );
      const counts: { h: number; n: number }[] = [];
      for (let h = fromMs; h < toMs; h += HOUR_MS) counts.push({ h, n: counted.get(h) ?? 0 });
      await this.markHours(conn, counts, at);
      if (own) await conn.run('COMMIT');
      for (const { h, n } of counts) this.folded.set(h, { at, rows: n });
    } catch (e) {
      if (own) await conn.run('ROLLBACK').catch(() => undefined);
      throw e;
    }
  }

  /** Records hours as folded at `at` with the rows they held. */
  private async markHours(
    conn: DuckDBConnection,
    counts: { h: number; n: number }[],
    at: number,
  ): Promise<void> {
    await conn.run(
      `INSERT INTO rollup_hours VALUES ${counts.map(({ h, n }) => `(${ts(h)}, ${at}, ${n})`).join(', ')}
       ON CONFLICT (hour) DO UPDATE SET folded_at_ms = excluded.folded_at_ms, rows = excluded.rows`,
    );
  }

  /** Marks hours without rows folded (they have no rollup rows either). */
  private async markEmpty(hours: number[]): Promise<void> {
    const at = Date.now();
    const counts = hours.map((h) => ({ h, n: 0 }));
    await this.conn.run('BEGIN TRANSACTION');
    try {
      await this.markHours(this.conn, counts, at);
      await this.conn.run('COMMIT');
    } catch (e) {
      await this.conn.run('ROLLBACK').catch(() => undefined);
      throw e;
    }
    for (const { h, n } of counts) this.folded.set(h, { at, rows: n });
  }

  /** Folds again, inside the caller's transaction, those of `hours` that are folded. */
  async refoldIn(conn: DuckDBConnection, hours: Iterable<number>): Promise<number> {
    const due = [...new Set([...hours].map(floorHour))]
      .filter((h) => this.folded.has(h))
      .sort((a, b) => a - b);
    for (const h of due) await this.fold(conn, h, h + HOUR_MS, false);
    return due.length;
  }

  private async rows(sql: string): Promise<Record<string, unknown>[]> {
    return (await this.conn.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
  }
}

/** Folds again, inside the caller's transaction on `c`, those of `hours` (ms) that are folded; how many. */
export type Refold = (c: DuckDBConnection, hours: Iterable<number>) => Promise<number>;
/** Runs work that deletes events while no rollup fold runs (DuckDbStore.withRollupsHeld). */
export type WithRollupsHeld = <T>(work: (refold: Refold) => Promise<T>) => Promise<T>;

/** Hours folded in one transaction by the job (bounds its memory when it catches up on many hours). */
export const FOLD_CHUNK_HOURS = 6;

/** Runs the rollup job every ROLLUP_JOB_INTERVAL_MS; a failed run is logged and tried again next time. */
export class RollupJob {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly rollups: Rollups,
    private readonly beforeFold: () => Promise<void>,
    private readonly onError: (e: Error) => void,
  ) {}

  start(firstDelayMs = ROLLUP_FIRST_RUN_DELAY_MS): void {
    const tick = (delay: number) => {
      this.timer = setTimeout(() => {
        this.running = this.runOnce()
          .catch((e: Error) => this.onError(e))
          .finally(() => {
            this.running = null;
            if (this.timer) tick(ROLLUP_JOB_INTERVAL_MS);
          });
      }, delay);
      this.timer.unref();
    };
    tick(firstDelayMs);
  }

  runOnce(nowMs = Date.now()): Promise<{ folded: number; refolded: number }> {
    return this.rollups.run(nowMs, this.beforeFold);
  }

  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }
}
