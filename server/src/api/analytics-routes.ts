import {
  EXCEPTION_STACKTRACE,
  isEventKind,
  MAX_AGGREGATE_INTERVAL_S,
  MIN_AGGREGATE_INTERVAL_S,
  type EventKind,
  type IssueDetail,
  type IssueFrame,
} from '@otel-rum/model';
import { isInAppFrame } from '../errors/in-app';
import { parseStack } from '../errors/stack';
import { HttpError } from '../http/http-error';
import { readJsonObject } from '../http/json-body';
import { sendJson, type Router } from '../http/router';
import {
  AGGREGATIONS,
  ISSUE_STATUSES,
  MAX_AGGREGATE_GROUP_BY,
  type Aggregation,
  type IssueStatus,
} from '../store/analytics';
import type { RumStore } from '../store/store';
import { eventQuery } from './routes';

/** Values in a facet when the request does not say. */
export const DEFAULT_FACET_SIZE = 10;
const MIN_INTERVAL_S = MIN_AGGREGATE_INTERVAL_S;
const MAX_INTERVAL_S = MAX_AGGREGATE_INTERVAL_S;

function kindOf(raw: string | null): EventKind | undefined {
  if (raw === null || raw === '') return undefined;
  if (!isEventKind(raw)) throw new HttpError(400, `kind "${raw}" is not an event kind`);
  return raw;
}

/** "30s", "5m", "1h", "1d" or a number of seconds. */
export function parseInterval(raw: string | null): number {
  if (raw === null || raw === '') return 60;
  const m = /^(\d+)([smhd]?)$/.exec(raw);
  const s = m
    ? Number(m[1]) * { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2] as '' | 's' | 'm' | 'h' | 'd']
    : NaN;
  if (!Number.isInteger(s) || s < MIN_INTERVAL_S || s > MAX_INTERVAL_S) {
    throw new HttpError(
      400,
      `interval must be like 30s, 5m, 1h or 1d, from ${MIN_INTERVAL_S} s to 7 d, got "${raw}"`,
    );
  }
  return s;
}

/** Facets, aggregates for dashboards, and the issue workflow. */
export function addAnalyticsRoutes(router: Router, store: RumStore): void {
  router.add('GET', '/api/v1/facets', async ({ res, url }) => {
    const field = url.searchParams.get('field');
    if (!field)
      throw new HttpError(400, 'query parameter field is required (e.g. browser, path, status, attr.<key>)');
    const q = eventQuery(url, ['kind', 'field'], DEFAULT_FACET_SIZE);
    const values = await store.facet({ ...q, kind: kindOf(url.searchParams.get('kind')), field });
    sendJson(res, 200, { field, values });
  });

  router.add('GET', '/api/v1/aggregate', async ({ res, url }) => {
    const p = url.searchParams;
    const aggregation = (p.get('aggregation') ?? 'count') as Aggregation;
    if (!AGGREGATIONS.includes(aggregation)) {
      throw new HttpError(400, `aggregation must be one of ${AGGREGATIONS.join(', ')}, got "${aggregation}"`);
    }
    const groupBy = (p.get('group_by') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (groupBy.length > MAX_AGGREGATE_GROUP_BY) {
      throw new HttpError(
        400,
        `group_by takes at most ${MAX_AGGREGATE_GROUP_BY} fields, got ${groupBy.length}`,
      );
    }
    const q = eventQuery(url, ['kind', 'aggregation', 'field', 'interval', 'group_by']);
    sendJson(
      res,
      200,
      await store.aggregate({
        ...q,
        kind: kindOf(p.get('kind')),
        aggregation,
        field: p.get('field') ?? undefined,
        intervalS: parseInterval(p.get('interval')),
        groupBy,
      }),
    );
  });

  router.add('GET', '/api/v1/issues', async ({ res, url }) => {
    const status = url.searchParams.get('status');
    if (status !== null && !ISSUE_STATUSES.includes(status as IssueStatus)) {
      throw new HttpError(400, `status must be one of ${ISSUE_STATUSES.join(', ')}`);
    }
    sendJson(
      res,
      200,
      await store.listIssues({
        ...eventQuery(url, ['status']),
        status: (status as IssueStatus) ?? undefined,
      }),
    );
  });

  router.add('GET', '/api/v1/issues/:fingerprint', async ({ res, url, params }) => {
    const appId = url.searchParams.get('app_id');
    if (!appId)
      throw new HttpError(400, 'query parameter app_id is required: an issue belongs to one application');
    const issue = await store.getIssue(appId, params.fingerprint!);
    if (!issue) throw new HttpError(404, `application "${appId}" has no issue "${params.fingerprint}"`);
    // Occurrences are the error list filtered on the fingerprint.
    const filter = `fingerprint = "${issue.fingerprint}"`;
    const occurrences = `/api/v1/errors?app_id=${encodeURIComponent(appId)}&filter=${encodeURIComponent(filter)}`;
    // The latest occurrence's stack, parsed and marked by the rule that grouped it.
    const latest = await store.listEvents('error', {
      appId,
      filter,
      sort: { field: 'time', desc: true },
      limit: 1,
    });
    const stack = latest.items[0]?.attributes[EXCEPTION_STACKTRACE];
    const frames: IssueFrame[] = parseStack(typeof stack === 'string' ? stack : null).map((f) => ({
      ...f,
      inApp: isInAppFrame(f),
    }));
    const detail: IssueDetail = { ...issue, occurrences, frames };
    sendJson(res, 200, detail);
  });

  router.add('PATCH', '/api/v1/issues/:fingerprint', async ({ req, res, url, params }) => {
    const appId = url.searchParams.get('app_id');
    if (!appId)
      throw new HttpError(400, 'query parameter app_id is required: an issue belongs to one application');
    const body = await readJsonObject(req);
    if (!ISSUE_STATUSES.includes(body.status as IssueStatus)) {
      throw new HttpError(400, `body field status must be one of ${ISSUE_STATUSES.join(', ')}`);
    }
    const issue = await store.setIssueStatus(appId, params.fingerprint!, body.status as IssueStatus);
    if (!issue) throw new HttpError(404, `application "${appId}" has no issue "${params.fingerprint}"`);
    sendJson(res, 200, issue);
  });
}
