import { RUM_VIEW_ENDED } from '@otel-rum/model';
import type { EventRow } from '../rows';
import { micros, type ColumnTypes } from './columns';

/**
 * The sessions table summarises each session (times, counts, client facts) so that the session list
 * reads one row per session instead of grouping every event. Each write folds its events into one
 * row per session and appends it to `session_deltas` inside the write's transaction (an append is
 * cheap; an upsert into a large keyed table is not); `FOLD_SESSIONS` later merges the deltas of many
 * writes into the sessions table with one upsert.
 */
interface SessionDelta {
  appId: string;
  sessionId: string;
  startUs: bigint;
  endUs: bigint;
  views: number;
  errors: number;
  actions: number;
  resources: number;
  replays: number;
  events: number;
  userId: string | null;
  userAgent: string | null;
  firstUrl: string | null;
  firstUrlUs: bigint | null;
  environment: string | null;
  serviceVersion: string | null;
  browser: string | null;
  os: string | null;
  device: string | null;
  country: string | null;
}

/** A view counts once: on its first record (later updates of the same view carry rum.view.ended). */
function startsView(e: EventRow): boolean {
  return e.kind === 'view' && e.attributes[RUM_VIEW_ENDED] === undefined;
}

export function sessionDeltas(events: readonly EventRow[]): SessionDelta[] {
  const byKey = new Map<string, SessionDelta>();
  for (const e of events) {
    const key = `${e.appId}\u0000${e.sessionId}`;
    let d = byKey.get(key);
    if (!d) {
      d = {
        appId: e.appId,
        sessionId: e.sessionId,
        startUs: e.timeUs,
        endUs: e.timeUs,
        views: 0,
        errors: 0,
        actions: 0,
        resources: 0,
        replays: 0,
        events: 0,
        userId: null,
        userAgent: null,
        firstUrl: null,
        firstUrlUs: null,
        environment: null,
        serviceVersion: null,
        browser: null,
        os: null,
        device: null,
        country: null,
      };
      byKey.set(key, d);
    }
    if (e.timeUs < d.startUs) d.startUs = e.timeUs;
    if (e.timeUs > d.endUs) d.endUs = e.timeUs;
    d.events++;
    if (startsView(e)) d.views++;
    else if (e.kind === 'error') d.errors++;
    else if (e.kind === 'action') d.actions++;
    else if (e.kind === 'resource') d.resources++;
    else if (e.kind === 'replay_segment') d.replays++;
    if (e.kind === 'view' && e.url && (d.firstUrlUs === null || e.timeUs < d.firstUrlUs)) {
      d.firstUrl = e.url;
      d.firstUrlUs = e.timeUs;
    }
    d.userId ??= e.userId;
    d.userAgent ??= e.userAgent;
    d.environment ??= e.environment;
    d.serviceVersion ??= e.serviceVersion;
    d.browser ??= e.browser ?? null;
    d.os ??= e.os ?? null;
    d.device ??= e.device ?? null;
    d.country ??= e.country ?? null;
  }
  return [...byKey.values()];
}

/** Columns of session_deltas as written (columns.ts). */
export const SESSION_DELTA_COLUMNS: ColumnTypes = {
  app_id: 'VARCHAR',
  session_id: 'VARCHAR',
  start_time: 'TIMESTAMP',
  end_time: 'TIMESTAMP',
  view_count: 'BIGINT',
  error_count: 'BIGINT',
  action_count: 'BIGINT',
  resource_count: 'BIGINT',
  replay_count: 'BIGINT',
  event_count: 'BIGINT',
  user_id: 'VARCHAR',
  user_agent: 'VARCHAR',
  first_url: 'VARCHAR',
  environment: 'VARCHAR',
  service_version: 'VARCHAR',
  browser: 'VARCHAR',
  os: 'VARCHAR',
  device: 'VARCHAR',
  country: 'VARCHAR',
};

/** The deltas as column arrays of session_deltas. */
export function sessionDeltaColumns(deltas: readonly SessionDelta[]): Record<string, unknown[]> {
  const c: Record<string, unknown[]> = Object.fromEntries(
    Object.keys(SESSION_DELTA_COLUMNS).map((k) => [k, []]),
  );
  for (const d of deltas) {
    c.app_id!.push(d.appId);
    c.session_id!.push(d.sessionId);
    c.start_time!.push(micros(d.startUs));
    c.end_time!.push(micros(d.endUs));
    c.view_count!.push(d.views);
    c.error_count!.push(d.errors);
    c.action_count!.push(d.actions);
    c.resource_count!.push(d.resources);
    c.replay_count!.push(d.replays);
    c.event_count!.push(d.events);
    c.user_id!.push(d.userId);
    c.user_agent!.push(d.userAgent);
    c.first_url!.push(d.firstUrl);
    c.environment!.push(d.environment);
    c.service_version!.push(d.serviceVersion);
    c.browser!.push(d.browser);
    c.os!.push(d.os);
    c.device!.push(d.device);
    c.country!.push(d.country);
  }
  return c;
}

/**
 * Merges every pending delta into the sessions table and empties session_deltas: one row per
 * session (sums of counts, the earliest start and first URL, the latest end), then one upsert.
 */
export const FOLD_SESSIONS = `INSERT INTO sessions
    SELECT app_id, session_id, min(start_time), max(end_time), sum(view_count), sum(error_count),
      sum(action_count), sum(resource_count), sum(replay_count), sum(event_count), any_value(user_id),
      any_value(user_agent), arg_min(first_url, start_time) FILTER (WHERE first_url IS NOT NULL),
      any_value(environment), any_value(service_version), any_value(browser), any_value(os),
      any_value(device), any_value(country)
    FROM session_deltas GROUP BY app_id, session_id
    ON CONFLICT (app_id, session_id) DO UPDATE SET
      first_url = CASE WHEN excluded.first_url IS NOT NULL AND (sessions.first_url IS NULL OR excluded.start_time < sessions.start_time)
                       THEN excluded.first_url ELSE sessions.first_url END,
      start_time = least(sessions.start_time, excluded.start_time),
      end_time = greatest(sessions.end_time, excluded.end_time),
      view_count = sessions.view_count + excluded.view_count,
      error_count = sessions.error_count + excluded.error_count,
      action_count = sessions.action_count + excluded.action_count,
      resource_count = sessions.resource_count + excluded.resource_count,
      replay_count = sessions.replay_count + excluded.replay_count,
      event_count = sessions.event_count + excluded.event_count,
      user_id = coalesce(sessions.user_id, excluded.user_id),
      user_agent = coalesce(sessions.user_agent, excluded.user_agent),
      environment = coalesce(sessions.environment, excluded.environment),
      service_version = coalesce(sessions.service_version, excluded.service_version),
      browser = coalesce(sessions.browser, excluded.browser),
      os = coalesce(sessions.os, excluded.os),
      device = coalesce(sessions.device, excluded.device),
      country = coalesce(sessions.country, excluded.country);
  DELETE FROM session_deltas;`;
