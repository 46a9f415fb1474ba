/*
 * The explorer's state, all of it in the URL (tab, app, filter, sort, time range), and the data
 * source's query that each tab runs: the same request builder and frames as the data source's panels.
 */
import type { DataFrame, UrlQueryMap } from '@grafana/data';
import { MAX_PAGE_SIZE } from '@otel-rum/model';
import type { AppApi } from '../../shared/appApi';
import { queryText } from '../../shared/location';
import { buildRequest, type RequestContext } from '../../datasource/query/request';
import { andAll, condition, fieldRef } from '../../datasource/query/filter';
import { eventsFrame, issuesFrame, sessionsFrame } from '../../datasource/frames/frames';
import type { EventItem, IssueItem, Page, SessionItem } from '../../datasource/frames/types';
import type { ListKind, RumQuery } from '../../datasource/types';

export type TabId = 'sessions' | 'views' | 'errors' | 'resources' | 'actions' | 'long-tasks' | 'web-vitals';

export interface Tab {
  id: TabId;
  label: string;
  /** Which list of the server: an events kind, or issues for the errors tab. */
  query: Pick<RumQuery, 'queryType' | 'kind'>;
  /** Event kind whose values the facets count. */
  facetKind?: ListKind;
  facets: string[];
  /** Columns shown first; the others wait in the column chooser. */
  columns: string[];
}

const COMMON_FACETS = ['browser', 'os', 'device', 'country', 'version', 'env'];

export const TABS: readonly Tab[] = [
  {
    id: 'sessions',
    label: 'Sessions',
    query: { queryType: 'events', kind: 'session' },
    // Sessions filter on what a session holds once (model SESSION_FILTER_FIELDS).
    facets: ['browser', 'os', 'device', 'country'],
    columns: [
      'start',
      'session',
      'duration',
      'views',
      'errors',
      'actions',
      'user',
      'first_url',
      'browser',
      'country',
    ],
  },
  {
    id: 'views',
    label: 'Views',
    query: { queryType: 'events', kind: 'view' },
    facetKind: 'view',
    facets: ['path', ...COMMON_FACETS],
    columns: ['time', 'path', 'type', 'duration', 'session', 'browser', 'country'],
  },
  {
    id: 'errors',
    label: 'Errors',
    query: { queryType: 'issues' },
    facetKind: 'error',
    facets: ['type', 'path', ...COMMON_FACETS],
    columns: ['last_seen', 'type', 'message', 'status', 'count', 'sessions', 'first_seen', 'fingerprint'],
  },
  {
    id: 'resources',
    label: 'Resources',
    query: { queryType: 'events', kind: 'resource' },
    facetKind: 'resource',
    facets: ['type', 'status', 'path', ...COMMON_FACETS],
    columns: ['time', 'type', 'url', 'status', 'duration', 'trace', 'session'],
  },
  {
    id: 'actions',
    label: 'Actions',
    query: { queryType: 'events', kind: 'action' },
    facetKind: 'action',
    facets: ['type', 'label', 'path', ...COMMON_FACETS],
    columns: ['time', 'type', 'label', 'path', 'duration', 'session'],
  },
  {
    id: 'long-tasks',
    label: 'Long tasks',
    query: { queryType: 'events', kind: 'long_task' },
    facetKind: 'long_task',
    facets: ['path', ...COMMON_FACETS],
    columns: ['time', 'type', 'path', 'duration', 'session'],
  },
  {
    id: 'web-vitals',
    label: 'Web vitals',
    query: { queryType: 'events', kind: 'web_vital' },
    facetKind: 'web_vital',
    facets: ['type', 'path', ...COMMON_FACETS],
    columns: ['time', 'type', 'value', 'path', 'session', 'browser'],
  },
];

export interface ExplorerState {
  tab: Tab;
  app: string;
  filter: string;
  sort: string;
  /** Hidden columns chosen by the user (comma separated in the URL as `hide`). */
  columns?: string[];
}

export function stateOf(query: UrlQueryMap): ExplorerState {
  const tab = TABS.find((t) => t.id === queryText(query, 'tab')) ?? TABS[0]!;
  const cols = queryText(query, 'cols');
  return {
    tab,
    app: queryText(query, 'app'),
    filter: queryText(query, 'filter'),
    sort: queryText(query, 'sort'),
    columns: cols ? cols.split(',').filter(Boolean) : undefined,
  };
}

/**
 * The filter with one more condition `field = value` (or `!=`) ANDed on, each side parenthesised by
 * andAll, written by the data source's builder. A missing value ("(none)" in a facet) is `not field
 * exists`, or `field exists` when excluded.
 */
export function withCondition(filter: string, field: string, value: unknown, negate = false): string {
  const missing = value === null || value === undefined || value === '';
  const cond = missing
    ? `${negate ? '' : 'not '}${fieldRef(field)} exists`
    : condition(field, negate ? '!=' : '=', [String(value)]);
  return andAll([filter.trim() || undefined, cond]);
}

function context(fromMs: number, toMs: number): RequestContext {
  return { fromMs, toMs, intervalMs: 60_000, adHocFilters: [], interpolate: (t) => t };
}

/** The tab's rows as the data source's frame for the same query. */
export async function loadTab(
  api: AppApi,
  s: ExplorerState,
  fromMs: number,
  toMs: number,
): Promise<DataFrame> {
  const q: RumQuery = {
    refId: 'A',
    ...s.tab.query,
    appId: s.app,
    filter: s.filter,
    sort: s.sort || undefined,
    limit: MAX_PAGE_SIZE,
  };
  const req = buildRequest(q, context(fromMs, toMs));
  const ctx = { refId: 'A' };
  if (s.tab.query.queryType === 'issues')
    return issuesFrame(await api.get<Page<IssueItem>>(req.path, req.params), ctx);
  if (s.tab.query.kind === 'session')
    return sessionsFrame(await api.get<Page<SessionItem>>(req.path, req.params), ctx);
  return eventsFrame(await api.get<Page<EventItem>>(req.path, req.params), s.tab.query.kind, ctx);
}

export interface FacetValues {
  field: string;
  values: Array<{ value: unknown; count: number }>;
}

/** Top values of one field for autocomplete, under the tab's kind but not its filter. */
export async function loadFacetValues(
  api: AppApi,
  s: ExplorerState,
  field: string,
  fromMs: number,
  toMs: number,
): Promise<unknown[]> {
  const req = buildRequest(
    { refId: 'V', queryType: 'facets', facetField: field, kind: s.tab.facetKind, appId: s.app, limit: 20 },
    context(fromMs, toMs),
  );
  return (await api.get<FacetValues>(req.path, req.params)).values.map((v) => v.value);
}

/** Top values of each facet field of the tab, under the same filter. */
export async function loadFacets(
  api: AppApi,
  s: ExplorerState,
  fromMs: number,
  toMs: number,
): Promise<FacetValues[]> {
  return Promise.all(
    s.tab.facets.map(async (field) => {
      const req = buildRequest(
        {
          refId: 'F',
          queryType: 'facets',
          facetField: field,
          kind: s.tab.facetKind,
          appId: s.app,
          filter: s.filter,
          limit: 8,
        },
        context(fromMs, toMs),
      );
      return api.get<FacetValues>(req.path, req.params);
    }),
  );
}
