/*
 * Journey analysis in SQL on DuckDB (the ClickHouse store's is ../store/clickhouse/journeys.ts; both
 * end in analysisOf). The journey's patterns are bound as parameters; only the number
 * of steps shapes the SQL text. See README.md beside this file for the definitions.
 */
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { HttpError } from '../http/http-error';
import { globToLike } from '../query/filter/dialect';
import { eventTable } from '../store/duckdb/event-tables';
import type { JourneyAnalysis, JourneyStepAnalysis } from '@otel-rum/model';
import type { Journey, JourneyStep } from './journey';

export type { JourneyAnalysis } from '@otel-rum/model';

/** A resource slower than this (ms) counts as slow unless the query names another threshold (slow_ms). */
export const DEFAULT_SLOW_RESOURCE_MS = 1000;
/** Error groups and slow resources listed per step (the counts cover all of them). */
export const TOP_PER_STEP = 5;

export interface AnalysisQuery {
  fromMs: number;
  toMs: number;
  appId: string | null;
  slowMs: number;
  limit: number;
  /** Pages the completed sessions, or the dropped ones when `droppedAt` is set. */
  cursor: string | null;
  /** A step (1 to steps − 1) whose dropped sessions to list: reached it and not the next. */
  droppedAt?: number | null;
}

export type Row = Record<string, unknown>;

const msToUs = (ms: number) => BigInt(Math.trunc(ms)) * 1000n;
const isoUs = (v: unknown) => new Date(Number(BigInt(v as bigint | string) / 1000n)).toISOString();

function encodeCursor(us: bigint, appId: string, sessionId: string): string {
  return Buffer.from(JSON.stringify([String(us), appId, sessionId])).toString('base64url');
}

/** The cursor of a completed-sessions page, or a 400 when it is not one this API issued. */
export function decodeCompletedCursor(cursor: string): [bigint, string, string] {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(v) &&
      v.length === 3 &&
      typeof v[0] === 'string' &&
      /^\d+$/.test(v[0]) &&
      typeof v[1] === 'string' &&
      typeof v[2] === 'string'
    )
      return [BigInt(v[0]), v[1], v[2]];
  } catch {
    // refused below
  }
  throw new HttpError(400, 'query parameter cursor is not a cursor this API issued');
}

/**
 * The temporary table `journey_reach` (step, app_id, session_id, t, prev_t, next_t): for each session,
 * when it first reached step 1, then step 2 strictly after that, and so on.
 */
function reachSql(steps: JourneyStep[], q: AnalysisQuery): { sql: string; params: DuckDBValue[] } {
  const params: DuckDBValue[] = [];
  const range = () => {
    params.push(msToUs(q.fromMs), msToUs(q.toMs));
    let s = 'time >= make_timestamp(CAST(? AS BIGINT)) AND time < make_timestamp(CAST(? AS BIGINT))';
    if (q.appId !== null) {
      s += ' AND app_id = ?';
      params.push(q.appId);
    }
    return s;
  };
  const candidates = `
    candidates AS MATERIALIZED (
      SELECT app_id, session_id, 'view' AS type, path AS subject, min(time) AS time
      FROM ${eventTable('view')} WHERE path IS NOT NULL AND ${range()}
      GROUP BY app_id, session_id, view_id, path
      UNION ALL
      SELECT app_id, session_id, 'action', label, time
      FROM ${eventTable('action')} WHERE label IS NOT NULL AND ${range()}
    )`;
  const values = steps.map((s, i) => {
    params.push(i + 1, s.type, globToLike(s.type === 'view' ? s.path : s.name));
    return '(CAST(? AS INTEGER), CAST(? AS VARCHAR), CAST(? AS VARCHAR))';
  });
  const reached = steps.map((_, i) => {
    const k = i + 1;
    params.push(k);
    if (k === 1)
      return `r1 AS (SELECT app_id, session_id, min(time) AS t FROM m WHERE step = ? GROUP BY app_id, session_id)`;
    return `r${k} AS (
      SELECT m.app_id, m.session_id, min(m.time) AS t
      FROM m JOIN r${k - 1} p ON m.app_id = p.app_id AND m.session_id = p.session_id
      WHERE m.step = ? AND m.time > p.t
      GROUP BY m.app_id, m.session_id)`;
  });
  const union = steps
    .map((_, i) => `SELECT ${i + 1} AS step, app_id, session_id, t FROM r${i + 1}`)
    .join(' UNION ALL ');
  const sql = `CREATE OR REPLACE TEMP TABLE journey_reach AS
    WITH ${candidates},
    steps(step, type, pattern) AS (VALUES ${values.join(', ')}),
    m AS MATERIALIZED (
      SELECT c.app_id, c.session_id, c.time, s.step
      FROM candidates c JOIN steps s ON c.type = s.type AND c.subject LIKE s.pattern ESCAPE '\\'
    ),
    ${reached.join(',\n    ')},
    reach AS (${union})
    SELECT step, app_id, session_id, t,
      lag(t) OVER w AS prev_t, lead(t) OVER w AS next_t
    FROM reach
    WINDOW w AS (PARTITION BY app_id, session_id ORDER BY step)`;
  return { sql, params };
}

/**
 * Events of `kind` (and `extra` condition) that happened while a session was at a step: from
 * reaching it until reaching the next, or until the end of the range for a session that went no
 * further. Grouped by `key`, ranked per step by count.
 */
function perStepSql(kind: string, extra: string, key: string, measures: string): string {
  return `WITH hits AS MATERIALIZED (
      SELECT r.step, r.app_id, r.session_id, e.fingerprint, e.label, e.url, e.duration_ms
      FROM journey_reach r JOIN events e ON e.app_id = r.app_id AND e.session_id = r.session_id
      WHERE e.kind = '${kind}' ${extra}
        AND e.time >= make_timestamp(CAST(? AS BIGINT)) AND e.time < make_timestamp(CAST(? AS BIGINT))
        AND e.time >= r.t AND (r.next_t IS NULL OR e.time < r.next_t)
    ),
    totals AS (
      SELECT step, count(*) AS total, count(DISTINCT (app_id, session_id)) AS sessions FROM hits GROUP BY step
    ),
    groups AS (
      SELECT step, ${key} AS key, count(*) AS n, ${measures},
        row_number() OVER (PARTITION BY step ORDER BY count(*) DESC, ${key}) AS rank
      FROM hits GROUP BY step, ${key}
    )
    SELECT g.*, t.total, t.sessions FROM groups g JOIN totals t USING (step)
    WHERE g.rank <= ${TOP_PER_STEP} ORDER BY g.step, g.rank`;
}

async function all(c: DuckDBConnection, sql: string, params: DuckDBValue[] = []): Promise<Row[]> {
  return (await c.runAndReadAll(sql, params)).getRowObjectsJS() as Row[];
}

/** Conversion, drop-off, errors and slow resources per step, and the sessions that completed the journey. */
export async function analyseJourney(
  c: DuckDBConnection,
  journey: Journey,
  q: AnalysisQuery,
): Promise<JourneyAnalysis> {
  const reach = reachSql(journey.steps, q);
  await c.run(reach.sql, reach.params);
  try {
    const range = [msToUs(q.fromMs), msToUs(q.toMs)];
    const counts = await all(
      c,
      `SELECT step, count(*) AS sessions, median(epoch_ms(t) - epoch_ms(prev_t)) AS median_ms
       FROM journey_reach GROUP BY step`,
    );
    const errors = await all(
      c,
      perStepSql(
        'error',
        '',
        'coalesce(fingerprint, label)',
        'any_value(label) AS message, any_value(fingerprint) AS fingerprint',
      ),
      range,
    );
    const slow = await all(
      c,
      perStepSql(
        'resource',
        'AND e.duration_ms > ?',
        'coalesce(url, label)',
        'avg(duration_ms) AS avg_ms, max(duration_ms) AS max_ms',
      ),
      [q.slowMs, ...range],
    );
    const droppedAt = q.droppedAt ?? null;
    const after = q.cursor ? decodeCompletedCursor(q.cursor) : null;
    const page = await all(
      c,
      ...sessionsAtSql(journey.steps.length, droppedAt === null ? after : null, q.limit),
    );
    const dropped = droppedAt === null ? null : await all(c, ...sessionsAtSql(droppedAt, after, q.limit));
    return analysisOf(journey, q, { counts, errors, slow, page, dropped });
  } finally {
    await c.run('DROP TABLE IF EXISTS journey_reach');
  }
}

/**
 * The sessions whose furthest step is `step` (for the last step: those that completed), most recent
 * arrival first, one page after the cursor's position.
 */
function sessionsAtSql(
  step: number,
  after: [bigint, string, string] | null,
  limit: number,
): [string, DuckDBValue[]] {
  return [
    `SELECT r.app_id, r.session_id, epoch_us(f.t) AS start_us, epoch_us(r.t) AS done_us
     FROM journey_reach r JOIN journey_reach f ON f.app_id = r.app_id AND f.session_id = r.session_id AND f.step = 1
     WHERE r.step = ? AND r.next_t IS NULL
       ${after ? 'AND (epoch_us(r.t), r.app_id, r.session_id) < (CAST(? AS BIGINT), ?, ?)' : ''}
     ORDER BY r.t DESC, r.app_id DESC, r.session_id DESC LIMIT ${limit + 1}`,
    after ? [step, after[0], after[1], after[2]] : [step],
  ];
}

/**
 * The rows a store's queries gave, as the API answers: `counts` (step, sessions, median_ms), `errors`
 * and `slow` (step, key, n, total, sessions and their measures, ranked), `page` and `dropped` (app_id,
 * session_id, start_us, done_us; one more row than the limit when there is a next page).
 */
export interface AnalysisRows {
  counts: Row[];
  errors: Row[];
  slow: Row[];
  page: Row[];
  dropped: Row[] | null;
}

/** The analysis from the rows of a store's queries. */
export function analysisOf(journey: Journey, q: AnalysisQuery, rows: AnalysisRows): JourneyAnalysis {
  const droppedAt = q.droppedAt ?? null;
  return {
    journey,
    from: new Date(q.fromMs).toISOString(),
    to: new Date(q.toMs).toISOString(),
    appId: q.appId,
    slowResourceMs: q.slowMs,
    steps: assemble(journey.steps, rows.counts, rows.errors, rows.slow),
    completed: completedPage(rows.page, q.limit),
    dropped:
      rows.dropped && droppedAt !== null
        ? { step: droppedAt, ...completedPage(rows.dropped, q.limit) }
        : null,
  };
}

function assemble(steps: JourneyStep[], counts: Row[], errors: Row[], slow: Row[]): JourneyStepAnalysis[] {
  const reached = steps.map((_, i) => Number(counts.find((r) => Number(r.step) === i + 1)?.sessions ?? 0));
  const median = (k: number) => {
    const v = counts.find((r) => Number(r.step) === k)?.median_ms;
    return v === null || v === undefined ? null : Number(v);
  };
  const ratio = (a: number, b: number | undefined) => (b === undefined || b === 0 ? null : a / b);
  return steps.map((step, i) => {
    const k = i + 1;
    const n = reached[i] as number;
    const next = reached[i + 1];
    const err = errors.filter((r) => Number(r.step) === k);
    const res = slow.filter((r) => Number(r.step) === k);
    return {
      index: k,
      step,
      sessions: n,
      conversionFromPrevious: i === 0 ? (n > 0 ? 1 : null) : ratio(n, reached[i - 1]),
      conversionFromFirst: ratio(n, reached[0]),
      dropOff: next === undefined ? null : n - next,
      dropOffRate: next === undefined ? null : ratio(n - next, n),
      medianMsFromPrevious: i === 0 ? null : median(k),
      errors: {
        count: Number(err[0]?.total ?? 0),
        sessions: Number(err[0]?.sessions ?? 0),
        top: err.map((r) => ({
          message: (r.message as string | null) ?? null,
          fingerprint: (r.fingerprint as string | null) ?? null,
          count: Number(r.n),
        })),
      },
      slowResources: {
        count: Number(res[0]?.total ?? 0),
        sessions: Number(res[0]?.sessions ?? 0),
        top: res.map((r) => ({
          url: (r.key as string | null) ?? null,
          count: Number(r.n),
          avgDurationMs: Number(r.avg_ms),
          maxDurationMs: Number(r.max_ms),
        })),
      },
    };
  });
}

function completedPage(rows: Row[], limit: number): JourneyAnalysis['completed'] {
  const items = rows.slice(0, limit).map((r) => {
    const start = BigInt(r.start_us as bigint | string);
    const done = BigInt(r.done_us as bigint | string);
    return {
      appId: String(r.app_id),
      sessionId: String(r.session_id),
      startedAt: isoUs(start),
      completedAt: isoUs(done),
      durationMs: Number(done - start) / 1000,
    };
  });
  const lastRow = rows.length > limit ? rows[limit - 1] : undefined;
  return {
    items,
    nextCursor: lastRow
      ? encodeCursor(
          BigInt(lastRow.done_us as bigint | string),
          String(lastRow.app_id),
          String(lastRow.session_id),
        )
      : null,
  };
}
