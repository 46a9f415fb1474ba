import type { IncomingMessage } from 'node:http';
import { APP_ID_PATTERN } from '@otel-rum/model';
import { HttpError } from '../http/http-error';
import { readJsonObject } from '../http/json-body';
import { intParam, onlyParams, timeRange } from '../http/query-params';
import { sendJson, type Router } from '../http/router';
import { MAX_PAGE_SIZE } from '../store/store';
import { DEFAULT_SLOW_RESOURCE_MS } from './analysis';
import { readJourneyDefinition } from './journey';
import type { Journeys } from './journey-store';

/** Range analysed when the query names no `from`: the last 7 days. */
export const DEFAULT_ANALYSIS_SPAN_MS = 7 * 86_400_000;
/** Completed sessions in one page of an analysis when the query names no limit. */
export const DEFAULT_COMPLETED_PAGE_SIZE = 50;
/** Highest slow_ms an analysis accepts: ten minutes. */
export const MAX_SLOW_RESOURCE_MS = 600_000;

function appIdParam(url: URL): string | null {
  const v = url.searchParams.get('app_id');
  if (v === null || v === '') return null;
  if (!APP_ID_PATTERN.test(v)) throw new HttpError(400, 'query parameter app_id is not an application id');
  return v;
}

/** A JSON object body, or an empty one when the request has no body at all. */
async function optionalJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const length = Number(req.headers['content-length'] ?? 0);
  if (!req.headers['content-type'] && length === 0 && !req.headers['transfer-encoding']) return {};
  return readJsonObject(req);
}

/** Journeys at /api/v1/journeys: CRUD, analysis, and creation from a session. */
export function addJourneyRoutes(router: Router, journeys: Journeys): void {
  router.add('GET', '/api/v1/journeys', async ({ res, url }) => {
    onlyParams(url, ['app_id']);
    sendJson(res, 200, { items: await journeys.list(appIdParam(url) ?? undefined) });
  });
  router.add('POST', '/api/v1/journeys', async ({ req, res }) => {
    const journey = await journeys.create(readJourneyDefinition(await readJsonObject(req)));
    sendJson(res, 201, journey, { Location: `/api/v1/journeys/${journey.id}` });
  });
  router.add('GET', '/api/v1/journeys/:id', async ({ res, params }) => {
    sendJson(res, 200, await journeys.get(params.id!));
  });
  router.add('PUT', '/api/v1/journeys/:id', async ({ req, res, params }) => {
    sendJson(res, 200, await journeys.update(params.id!, readJourneyDefinition(await readJsonObject(req))));
  });
  router.add('DELETE', '/api/v1/journeys/:id', async ({ res, params }) => {
    await journeys.delete(params.id!);
    res.writeHead(204).end();
  });

  router.add('GET', '/api/v1/journeys/:id/analysis', async ({ res, url, params }) => {
    onlyParams(url, ['from', 'to', 'app_id', 'slow_ms', 'limit', 'cursor', 'dropped_at']);
    const journey = await journeys.get(params.id!);
    const asked = appIdParam(url);
    if (journey.appId && asked && asked !== journey.appId)
      throw new HttpError(
        400,
        `journey "${journey.id}" belongs to application "${journey.appId}", not "${asked}"`,
      );
    const { fromMs, toMs } = timeRange(url, DEFAULT_ANALYSIS_SPAN_MS);
    const analysis = await journeys.analyse(journey, {
      fromMs,
      toMs,
      appId: journey.appId ?? asked,
      slowMs: intParam(url, 'slow_ms', 1, MAX_SLOW_RESOURCE_MS, DEFAULT_SLOW_RESOURCE_MS),
      limit: intParam(url, 'limit', 1, MAX_PAGE_SIZE, DEFAULT_COMPLETED_PAGE_SIZE),
      cursor: url.searchParams.get('cursor') || null,
      droppedAt: url.searchParams.has('dropped_at')
        ? intParam(url, 'dropped_at', 1, Math.max(1, journey.steps.length - 1), 1)
        : null,
    });
    sendJson(res, 200, analysis);
  });

  router.add('POST', '/api/v1/journeys/from-session/:sessionId', async ({ req, res, params }) => {
    const body = await optionalJson(req);
    for (const key of Object.keys(body))
      if (key !== 'name' && key !== 'appId')
        throw new HttpError(400, `unknown property "${key}"; known: name, appId`);
    if (body.appId !== undefined && (typeof body.appId !== 'string' || !APP_ID_PATTERN.test(body.appId)))
      throw new HttpError(400, 'appId must be an application id');
    if (body.name !== undefined && typeof body.name !== 'string')
      throw new HttpError(400, 'name must be text');
    const made = await journeys.fromSession(
      params.sessionId!,
      (body.appId as string | undefined) ?? null,
      (body.name as string | undefined) ?? null,
    );
    const journey = await journeys.create(readJourneyDefinition({ ...made.definition }));
    sendJson(
      res,
      201,
      { ...journey, warnings: made.warnings },
      { Location: `/api/v1/journeys/${journey.id}` },
    );
  });
}
