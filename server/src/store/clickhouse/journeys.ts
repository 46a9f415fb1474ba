/*
 * Journeys on the ClickHouse store: definitions are records like applications (state.ts, migration
 * 5), read from ClickHouse on every request, so a journey made through one replica is in force on
 * every replica at once. The analysis follows ../../journeys/README.md with the same answers as the
 * DuckDB store's SQL, written for ClickHouse:
 *
 * - Each session's step events become one array, in time order, of (time, which steps the event
 *   matches); `arrayFold` walks it once and keeps, step after step, the first time the session reached
 *   the next step strictly after the previous one. `windowFunnel(..., 'strict_increase')` gives the
 *   same number of steps, but not the times, which the medians, the per-step errors and resources and
 *   the completed sessions need.
 * - `ARRAY JOIN` of that array gives one row per session and step, with the previous and next times.
 * - Errors and slow resources are joined to those rows in one pass and ranked per kind and step with
 *   `row_number()`; the completed and dropped sessions are one statement, `LIMIT n BY` list.
 * Only the number of steps shapes the SQL text; types and patterns are query parameters.
 */
import { randomUUID } from 'node:crypto';
import { MAX_JOURNEYS, URL_TEMPLATE } from '@otel-rum/model';
import { HttpError } from '../../http/http-error';
import { globToLike } from '../../query/filter/dialect';
import {
  TOP_PER_STEP,
  analysisOf,
  decodeCompletedCursor,
  type AnalysisQuery,
  type JourneyAnalysis,
} from '../../journeys/analysis';
import { journeyFromViews, type FromSession } from '../../journeys/from-session';
import type { Journey, JourneyDefinition } from '../../journeys/journey';
import type { Journeys } from '../../journeys/journey-store';
import type { ClickHouseExecutor, QueryParams } from './executor';
import { Records } from './state';

const TIME = "DateTime64(6, 'UTC')";

export class ClickHouseJourneys implements Journeys {
  private readonly records: Records<Journey>;

  constructor(
    private readonly x: ClickHouseExecutor,
    private readonly t: (table: string) => string,
  ) {
    this.records = new Records(x, t('journeys'));
  }

  async list(appId?: string): Promise<Journey[]> {
    const all = await this.records.list();
    return all
      .filter((j) => !appId || j.appId === appId || j.appId === null)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  async get(id: string): Promise<Journey> {
    const j = await this.records.get(id);
    if (!j) throw new HttpError(404, `journey "${id}" not found`);
    return j;
  }

  /**
   * Refused past MAX_JOURNEYS. Replicas creating at the same instant may each pass the count, so the
   * limit may be passed by as many journeys as replicas at once.
   */
  async create(def: JourneyDefinition): Promise<Journey> {
    if ((await this.records.list()).length >= MAX_JOURNEYS)
      throw new HttpError(409, `at most ${MAX_JOURNEYS} journeys (MAX_JOURNEYS); delete one first`);
    const at = new Date().toISOString();
    const journey: Journey = { id: randomUUID(), ...def, createdAt: at, updatedAt: at };
    await this.records.put([{ id: journey.id, doc: journey }]);
    return journey;
  }

  async update(id: string, def: JourneyDefinition): Promise<Journey> {
    const old = await this.get(id);
    const journey: Journey = { id, ...def, createdAt: old.createdAt, updatedAt: new Date().toISOString() };
    await this.records.put([{ id, doc: journey }]);
    return journey;
  }

  async delete(id: string): Promise<void> {
    await this.get(id);
    await this.records.put([{ id, doc: null }]);
  }

  async fromSession(sessionId: string, appId: string | null, name: string | null): Promise<FromSession> {
    const params: QueryParams = { session: sessionId, template: URL_TEMPLATE };
    if (appId) params.app = appId;
    const rows = await this.x.query(
      `SELECT app_id, path, nullIf(attributes[{template:String}], '') AS template, min(time) AS first
       FROM ${this.t('events')}
       WHERE kind = 'view' AND path IS NOT NULL AND session_id = {session:String}
         ${appId ? 'AND app_id = {app:String}' : ''}
       GROUP BY app_id, view_id, path, template
       ORDER BY first, path`,
      params,
    );
    const views = rows.map((r) => ({
      appId: String(r.app_id),
      path: String(r.path),
      template: (r.template as string | null) ?? null,
    }));
    return journeyFromViews(views, sessionId, appId, name);
  }

  async analyse(journey: Journey, q: AnalysisQuery): Promise<JourneyAnalysis> {
    const params: QueryParams = {
      from: String(BigInt(Math.trunc(q.fromMs)) * 1000n),
      to: String(BigInt(Math.trunc(q.toMs)) * 1000n),
      slow: q.slowMs,
    };
    if (q.appId !== null) params.app = q.appId;
    journey.steps.forEach((s, i) => {
      params[`type${i}`] = s.type;
      params[`pattern${i}`] = globToLike(s.type === 'view' ? s.path : s.name);
    });
    const range = `time >= fromUnixTimestamp64Micro({from:Int64}, 'UTC') AND time < fromUnixTimestamp64Micro({to:Int64}, 'UTC')
      ${q.appId !== null ? 'AND app_id = {app:String}' : ''}`;
    const events = this.t('events');
    const matches = journey.steps
      .map((_, i) => `type = {type${i}:String} AND subject LIKE {pattern${i}:String}`)
      .join(',\n        ');
    // Per session: r, the times it reached step 1, 2, ... (as far as it went).
    const reached = `reached AS (
      SELECT app_id, session_id,
        arrayFold((acc, e) -> if(e.2[length(acc) + 1] AND (empty(acc) OR e.1 > acc[length(acc)]),
            arrayPushBack(acc, e.1), acc),
          arraySort(e -> e.1, groupArray((at, m))), CAST([] AS Array(${TIME}))) AS r
      FROM (
        SELECT app_id, session_id, at, [${matches}] AS m
        FROM (
          SELECT app_id, session_id, 'view' AS type, assumeNotNull(path) AS subject, min(time) AS at
          FROM ${events} WHERE kind = 'view' AND path IS NOT NULL AND ${range}
          GROUP BY app_id, session_id, view_id, path
          UNION ALL
          SELECT app_id, session_id, 'action' AS type, assumeNotNull(label) AS subject, time AS at
          FROM ${events} WHERE kind = 'action' AND label IS NOT NULL AND ${range}
        )
        WHERE arrayExists(x -> x, m)
      )
      GROUP BY app_id, session_id
      HAVING length(r) > 0
    )`;
    // One row per session and step reached, with when it reached the previous and the next one.
    const reach = `${reached},
    reach AS (
      SELECT app_id, session_id, step, r[step] AS t,
        if(step > 1, r[step - 1], NULL) AS prev_t, if(step < length(r), r[step + 1], NULL) AS next_t
      FROM reached ARRAY JOIN arrayEnumerate(r) AS step
    )`;
    const counts = await this.x.query(
      `WITH ${reach}
       SELECT step, count() AS sessions,
         quantileExactInclusiveIf(0.5)(toUnixTimestamp64Milli(t) - toUnixTimestamp64Milli(assumeNotNull(prev_t)),
           prev_t IS NOT NULL) AS median_ms
       FROM reach GROUP BY step ORDER BY step`,
      params,
    );
    // Errors and slow resources met at each step, in one pass: top groups per kind and step.
    const perStep = await this.x.query(
      `WITH ${reach},
      hits AS (
        SELECT r.step AS step, r.app_id AS app_id, r.session_id AS session_id, e.kind AS e_kind,
          e.fingerprint AS e_fingerprint, e.label AS e_label, e.url AS e_url, e.duration_ms AS e_duration_ms
        FROM reach AS r INNER JOIN (
          SELECT app_id, session_id, kind, time, fingerprint, label, url, duration_ms FROM ${events}
          WHERE (kind = 'error' OR (kind = 'resource' AND duration_ms > {slow:Float64}))
            AND time >= fromUnixTimestamp64Micro({from:Int64}, 'UTC') AND time < fromUnixTimestamp64Micro({to:Int64}, 'UTC')
        ) AS e ON e.app_id = r.app_id AND e.session_id = r.session_id
        WHERE e.time >= r.t AND (r.next_t IS NULL OR e.time < r.next_t)
      ),
      totals AS (
        SELECT e_kind, step, count() AS total, uniqExact(app_id, session_id) AS sessions FROM hits GROUP BY e_kind, step
      ),
      groups AS (
        SELECT *, row_number() OVER (PARTITION BY e_kind, step ORDER BY n DESC, key ASC NULLS LAST) AS rank
        FROM (
          SELECT e_kind, step, if(e_kind = 'error', coalesce(e_fingerprint, e_label), coalesce(e_url, e_label)) AS key,
            count() AS n, any(e_label) AS message, any(e_fingerprint) AS fingerprint,
            avg(e_duration_ms) AS avg_ms, max(e_duration_ms) AS max_ms
          FROM hits GROUP BY e_kind, step, key)
      )
      SELECT g.*, t.total AS total, t.sessions AS sessions
      FROM groups AS g INNER JOIN totals AS t ON g.e_kind = t.e_kind AND g.step = t.step
      WHERE g.rank <= ${TOP_PER_STEP} ORDER BY g.e_kind, g.step, g.rank`,
      params,
    );
    const errors = perStep.filter((r) => r.e_kind === 'error');
    const slow = perStep.filter((r) => r.e_kind === 'resource');
    // The sessions whose furthest step is the last (completed) or `dropped_at`, most recent arrival
    // first, each list after its cursor (the cursor pages the dropped list when there is one).
    const last = journey.steps.length;
    const droppedAt = q.droppedAt ?? null;
    const after = q.cursor ? decodeCompletedCursor(q.cursor) : null;
    if (after)
      Object.assign(params, { after_us: String(after[0]), after_app: after[1], after_session: after[2] });
    const afterSql =
      'AND (done_us, app_id, session_id) < ({after_us:Int64}, {after_app:String}, {after_session:String})';
    const lists = await this.x.query(
      `WITH ${reached}
       SELECT app_id, session_id, toUnixTimestamp64Micro(r[1]) AS start_us,
         toUnixTimestamp64Micro(r[length(r)]) AS done_us, length(r) AS furthest
       FROM reached
       WHERE (furthest = {last:UInt32} ${after && droppedAt === null ? afterSql : ''})
         ${droppedAt === null ? '' : `OR (furthest = {dropped:UInt32} ${after ? afterSql : ''})`}
       ORDER BY done_us DESC, app_id DESC, session_id DESC LIMIT ${q.limit + 1} BY furthest`,
      { ...params, last, dropped: droppedAt ?? 0 },
    );
    const page = lists.filter((r) => Number(r.furthest) === last);
    const dropped = droppedAt === null ? null : lists.filter((r) => Number(r.furthest) === droppedAt);
    return analysisOf(journey, q, { counts, errors, slow, page, dropped });
  }
}
