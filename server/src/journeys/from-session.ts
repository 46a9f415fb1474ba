/*
 * A journey from the views of an existing session: each view's path in the order they were shown,
 * generalised so that the journey matches other sessions too (the view's url.template where the
 * SDK gave one, else id-like path segments become `*`), without repeats.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { MAX_JOURNEY_STEPS, URL_TEMPLATE } from '@otel-rum/model';
import { HttpError } from '../http/http-error';
import { eventTable } from '../store/duckdb/event-tables';
import type { JourneyDefinition, JourneyStep } from './journey';

/** Path segments that name one thing rather than a page: numbers, UUIDs, long hex or token-like ids. */
const ID_SEGMENT =
  /^(?:\d+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{12,}|(?=[^/]*\d)[A-Za-z0-9_-]{20,})$/i;
/** Route parameters in a template: `:id` or `{id}`. */
const TEMPLATE_PARAM = /^(?::[^/]+|\{[^/]+\})$/;

/** A literal text as a glob that matches only it. */
function escapeGlob(text: string): string {
  return text.replace(/[\\*?]/g, (c) => `\\${c}`);
}

/** The glob a view's path (or route template) becomes in a journey. */
export function pathPattern(path: string, template: string | null): string {
  const source = template && template.startsWith('/') ? template : path;
  const isTemplate = source === template;
  return source
    .split('/')
    .map((seg) => {
      if (seg === '') return '';
      if (isTemplate ? TEMPLATE_PARAM.test(seg) : ID_SEGMENT.test(seg)) return '*';
      return escapeGlob(seg);
    })
    .join('/');
}

export interface FromSession {
  definition: JourneyDefinition;
  warnings: string[];
}

/** One view of a session as the stores read it: its application, path and route template. */
export interface SessionView {
  appId: string;
  path: string;
  template: string | null;
}

/** The session's views (path not null) in the order they were first shown, ties by path (DuckDB). */
export async function sessionViews(
  c: DuckDBConnection,
  sessionId: string,
  appId: string | null,
): Promise<SessionView[]> {
  const params = appId ? [sessionId, appId] : [sessionId];
  const rows = (
    await c.runAndReadAll(
      `SELECT app_id, path, json_extract_string(attributes, ?) AS template, min(time) AS first
       FROM ${eventTable('view')}
       WHERE path IS NOT NULL AND session_id = ? ${appId ? 'AND app_id = ?' : ''}
       GROUP BY app_id, view_id, path, template
       ORDER BY first, path`,
      [`/${URL_TEMPLATE}`, ...params],
    )
  ).getRowObjectsJS();
  return rows.map((r) => ({
    appId: String(r.app_id),
    path: String(r.path),
    template: (r.template as string | null) ?? null,
  }));
}

/** The journey definition from a session's views; 404 when it has none, 400 when its id is in two apps. */
export function journeyFromViews(
  rows: SessionView[],
  sessionId: string,
  appId: string | null,
  name: string | null,
): FromSession {
  if (rows.length === 0)
    throw new HttpError(
      404,
      `session "${sessionId}" has no views${appId ? ` in application "${appId}"` : ''}`,
    );
  const apps = [...new Set(rows.map((r) => r.appId))];
  if (apps.length > 1)
    throw new HttpError(
      400,
      `session "${sessionId}" exists in applications ${apps.join(', ')}: name one with appId`,
    );
  const steps: JourneyStep[] = [];
  const seen = new Set<string>();
  for (const r of rows) {
    const pattern = pathPattern(r.path, r.template);
    if (seen.has(pattern)) continue;
    seen.add(pattern);
    steps.push({ type: 'view', path: pattern });
  }
  const warnings: string[] = [];
  if (steps.length > MAX_JOURNEY_STEPS) {
    warnings.push(
      `the session has ${steps.length} distinct views; the journey keeps the first ${MAX_JOURNEY_STEPS} (MAX_JOURNEY_STEPS)`,
    );
    steps.length = MAX_JOURNEY_STEPS;
  }
  return {
    definition: {
      name: name ?? `Journey of session ${sessionId}`.slice(0, 200),
      appId: apps[0] as string,
      steps,
    },
    warnings,
  };
}

/** The journey definition for a session on DuckDB (see journeyFromViews). */
export async function journeyFromSession(
  c: DuckDBConnection,
  sessionId: string,
  appId: string | null,
  name: string | null,
): Promise<FromSession> {
  return journeyFromViews(await sessionViews(c, sessionId, appId), sessionId, appId, name);
}
