import type { EventKind } from '@otel-rum/model';
import { HttpError } from '../http/http-error';
import { intParam, onlyParams, timeParam } from '../http/query-params';
import { sendJson, type RequestContext, type Router } from '../http/router';
import { MAX_PAGE_SIZE, type EventQuery, type RumStore } from '../store/store';
import { decodeCursor } from '../store/cursor';
import { OPENAPI } from './openapi';
import { addAnalyticsRoutes } from './analytics-routes';
import { parseFilter } from '../query/filter';
import { DEFAULT_PAGE_SIZE, LIST_PATHS } from './paths';

/** Parses the filter once here so that a syntax error is a 400 naming where it is. */
function filterOf(raw: string | null): string | undefined {
  if (raw === null || raw.trim() === '') return undefined;
  parseFilter(raw);
  return raw;
}

/** `duration` sorts ascending, `-duration` descending; which fields a list sorts by is the store's to say. */
function sortOf(raw: string | null): EventQuery['sort'] {
  if (raw === null || raw === '') return undefined;
  const m = /^(-?)([a-z_]{1,32})$/.exec(raw);
  if (!m)
    throw new HttpError(
      400,
      `query parameter sort must be a field name, with - for descending, got "${raw}"`,
    );
  return { field: m[2]!, desc: m[1] === '-' };
}

/** Reads the common list parameters, refusing unknown ones so that typos do not silently widen a query. */
export function eventQuery(
  url: URL,
  allowed: readonly string[] = [],
  defaultLimit = DEFAULT_PAGE_SIZE,
): EventQuery {
  const known = [
    'app_id',
    'session_id',
    'view_id',
    'trace_id',
    'from',
    'to',
    'filter',
    'sort',
    'limit',
    'cursor',
    ...allowed,
  ];
  onlyParams(url, known);
  const p = url.searchParams;
  const limit = intParam(url, 'limit', 1, MAX_PAGE_SIZE, defaultLimit);
  const cursor = p.get('cursor') ?? undefined;
  if (cursor !== undefined && decodeCursor(cursor) === null)
    throw new HttpError(400, 'query parameter cursor is not a cursor this API issued');
  const traceId = p.get('trace_id') ?? undefined;
  if (traceId !== undefined && !/^[0-9a-fA-F]{32}$/.test(traceId))
    throw new HttpError(400, 'query parameter trace_id must be 32 hex digits');
  return {
    appId: p.get('app_id') ?? undefined,
    sessionId: p.get('session_id') ?? undefined,
    viewId: p.get('view_id') ?? undefined,
    traceId,
    fromMs: timeParam(url, 'from'),
    toMs: timeParam(url, 'to'),
    filter: filterOf(p.get('filter')),
    sort: sortOf(p.get('sort')),
    limit,
    cursor,
  };
}

export function addApiRoutes(router: Router, store: RumStore): void {
  router.add('GET', '/api/v1/openapi.json', ({ res }) => sendJson(res, 200, OPENAPI));

  router.add('GET', '/api/v1/sessions', async ({ res, url }) => {
    sendJson(res, 200, await store.listSessions(eventQuery(url)));
  });
  router.add('GET', '/api/v1/sessions/:id', async ({ res, url, params }) => {
    const appId = url.searchParams.get('app_id') ?? undefined;
    const session = await store.getSession(params.id!, appId);
    if (!session) throw new HttpError(404, `session "${params.id}" not found`);
    sendJson(res, 200, session);
  });
  router.add('GET', '/api/v1/sessions/:id/timeline', async ({ res, url, params }) => {
    const appId = url.searchParams.get('app_id') ?? undefined;
    const items = await store.timeline(params.id!, appId);
    if (items.length === 0) throw new HttpError(404, `session "${params.id}" not found`);
    sendJson(res, 200, { items });
  });
  for (const [kind, path] of Object.entries(LIST_PATHS) as [EventKind, string][]) {
    router.add('GET', `/api/v1/${path}`, async ({ res, url }: RequestContext) => {
      sendJson(res, 200, await store.listEvents(kind, eventQuery(url)));
    });
  }
  addAnalyticsRoutes(router, store);
  router.add('GET', '/api/v1/events/:id', async ({ res, params }) => {
    const event = await store.getEvent(params.id!);
    if (!event) throw new HttpError(404, `event "${params.id}" not found`);
    sendJson(res, 200, event);
  });
  router.add('GET', '/api/v1/traces/:traceId', async ({ res, params }) => {
    const id = params.traceId!;
    if (!/^[0-9a-fA-F]{32}$/.test(id)) throw new HttpError(400, 'trace id must be 32 hex digits');
    const spans = await store.trace(id);
    if (spans.length === 0) throw new HttpError(404, `trace "${id}" not found`);
    sendJson(res, 200, { traceId: id.toLowerCase(), spans });
  });
}
