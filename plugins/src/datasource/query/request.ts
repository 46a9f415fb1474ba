/*
 * A panel's query as the server's request: which path, which parameters. Template variables,
 * ad hoc filters and the default application are resolved here; nothing else builds requests.
 */
import {
  MAX_AGGREGATE_BUCKETS,
  MAX_AGGREGATE_GROUP_BY,
  MAX_AGGREGATE_INTERVAL_S,
  MAX_PAGE_SIZE,
  MIN_AGGREGATE_INTERVAL_S,
} from '@otel-rum/model';
import { LIST_KINDS, type RumQuery } from '../types';
import type { Params } from '../api';
import {
  adHocToFilter,
  andAll,
  codeFormat,
  expandValues,
  FilterBuildError,
  termsToFilter,
  type AdHocFilter,
  type Interpolate,
} from './filter';

export interface RequestContext {
  fromMs: number;
  toMs: number;
  /** Grafana's interval for the panel's width and max data points. */
  intervalMs: number;
  defaultAppId?: string;
  adHocFilters: readonly AdHocFilter[];
  interpolate: Interpolate;
}

export interface ServerRequest {
  path: string;
  params: Params;
}

/** `app_id` when the application resolves to one id; an `app in (...)` condition when it resolves to several. */
export function appScope(query: RumQuery, ctx: RequestContext): { appId?: string; condition?: string } {
  const raw = query.appId?.trim() || ctx.defaultAppId?.trim();
  if (!raw) return {};
  const values = expandValues({ field: 'app', op: '=', value: raw }, ctx.interpolate);
  if (values === null || values.length === 0) return {};
  if (values.length === 1) return { appId: values[0] };
  return { condition: termsToFilter([{ field: 'app', op: 'in', values }], (t) => t) };
}

/** The whole filter: code mode text (variables quoted), builder terms, ad hoc filters, and the app scope. */
export function buildFilter(query: RumQuery, ctx: RequestContext, appCondition?: string): string | undefined {
  const code = query.filter?.trim() ? ctx.interpolate(query.filter.trim(), codeFormat) : undefined;
  const filter = andAll([
    code,
    termsToFilter(query.filters ?? [], ctx.interpolate),
    adHocToFilter(ctx.adHocFilters),
    appCondition,
  ]);
  return filter || undefined;
}

/**
 * Seconds per bucket: Grafana's interval, widened so that the range holds at most the server's bucket
 * limit, less one for the bucket that `alignedFrom` may add.
 */
export function bucketSeconds(fromMs: number, toMs: number, intervalMs: number): number {
  const wanted = Math.ceil(intervalMs / 1000);
  const fitting = Math.ceil((toMs - fromMs) / 1000 / (MAX_AGGREGATE_BUCKETS - 1));
  return Math.min(MAX_AGGREGATE_INTERVAL_S, Math.max(MIN_AGGREGATE_INTERVAL_S, wanted, fitting));
}

/**
 * The start of a time series, moved back to a whole multiple of its bucket (since the epoch), as
 * Prometheus aligns a range query's start to its step: buckets then fall on the same instants
 * whatever the picked range, and hourly buckets on the hour, which the server answers from its
 * hourly rollups instead of reading every event.
 */
export function alignedFrom(fromMs: number, bucketS: number): number {
  const step = bucketS * 1000;
  return Math.floor(fromMs / step) * step;
}

function one(
  query: RumQuery,
  key: 'sessionId' | 'traceId' | 'journeyId',
  label: string,
  ctx: RequestContext,
): string {
  const v = query[key]?.trim()
    ? ctx.interpolate(query[key]!.trim(), (x) => String(Array.isArray(x) ? x[0] : x))
    : '';
  if (!v) throw new FilterBuildError(`${label} is required for this query type`);
  return v;
}

function limitOf(query: RumQuery): number | undefined {
  if (query.limit === undefined || query.limit === null) return undefined;
  if (!Number.isInteger(query.limit) || query.limit < 1 || query.limit > MAX_PAGE_SIZE)
    throw new FilterBuildError(`limit must be a whole number from 1 to ${MAX_PAGE_SIZE}, got ${query.limit}`);
  return query.limit;
}

export function buildRequest(query: RumQuery, ctx: RequestContext): ServerRequest {
  const type = query.queryType ?? 'events';
  const scope = appScope(query, ctx);
  const range = { from: ctx.fromMs, to: ctx.toMs };
  switch (type) {
    case 'events': {
      const kind = LIST_KINDS.find((k) => k.value === (query.kind ?? 'view'));
      if (!kind) throw new FilterBuildError(`kind "${query.kind}" is not a list of the server`);
      return {
        path: `/api/v1/${kind.path}`,
        params: {
          app_id: scope.appId,
          ...range,
          filter: buildFilter(query, ctx, scope.condition),
          sort: query.sort,
          limit: limitOf(query),
          cursor: query.cursor,
        },
      };
    }
    case 'timeseries': {
      const groupBy = (query.groupBy ?? []).filter(Boolean);
      if (groupBy.length > MAX_AGGREGATE_GROUP_BY)
        throw new FilterBuildError(
          `group by takes at most ${MAX_AGGREGATE_GROUP_BY} fields, got ${groupBy.length}`,
        );
      const aggregation = query.aggregation ?? 'count';
      if (aggregation !== 'count' && aggregation !== 'rate' && !query.field)
        throw new FilterBuildError(
          `${aggregation} needs a numeric field (duration, value, status or attr.<key>)`,
        );
      const bucket = bucketSeconds(ctx.fromMs, ctx.toMs, ctx.intervalMs);
      return {
        path: '/api/v1/aggregate',
        params: {
          app_id: scope.appId,
          from: alignedFrom(ctx.fromMs, bucket),
          to: ctx.toMs,
          kind: query.kind && query.kind !== 'session' ? query.kind : undefined,
          aggregation,
          field: aggregation === 'count' || aggregation === 'rate' ? undefined : query.field,
          interval: `${bucket}s`,
          group_by: groupBy.length ? groupBy.join(',') : undefined,
          filter: buildFilter(query, ctx, scope.condition),
        },
      };
    }
    case 'issues':
      return {
        path: '/api/v1/issues',
        params: {
          app_id: scope.appId,
          ...range,
          status: query.status,
          filter: buildFilter(query, ctx, scope.condition),
          limit: limitOf(query),
          cursor: query.cursor,
        },
      };
    case 'timeline':
      return {
        path: `/api/v1/sessions/${encodeURIComponent(one(query, 'sessionId', 'a session id', ctx))}/timeline`,
        params: { app_id: scope.appId },
      };
    case 'trace': {
      const id = one(query, 'traceId', 'a trace id', ctx);
      if (!/^[0-9a-fA-F]{32}$/.test(id))
        throw new FilterBuildError(`trace id must be 32 hex digits, got "${id}"`);
      return { path: `/api/v1/traces/${id.toLowerCase()}`, params: {} };
    }
    case 'facets': {
      if (!query.facetField) throw new FilterBuildError('a field is required for a facet');
      return {
        path: '/api/v1/facets',
        params: {
          app_id: scope.appId,
          ...range,
          field: query.facetField,
          kind: query.kind && query.kind !== 'session' ? query.kind : undefined,
          filter: buildFilter(query, ctx, scope.condition),
          limit: limitOf(query),
        },
      };
    }
    case 'funnel':
      return {
        path: `/api/v1/journeys/${encodeURIComponent(one(query, 'journeyId', 'a journey', ctx))}/analysis`,
        params: { app_id: scope.appId, ...range },
      };
  }
}
