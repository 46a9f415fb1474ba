import { MAX_AGGREGATE_BUCKETS } from '@otel-rum/model';
import { bucketSeconds, buildRequest, type RequestContext } from './request';

const HOUR = 3_600_000;
const ctx = (over: Partial<RequestContext> = {}): RequestContext => ({
  fromMs: 1_000_000,
  toMs: 1_000_000 + HOUR,
  intervalMs: 15_000,
  defaultAppId: 'shop',
  adHocFilters: [],
  interpolate: (text, format) =>
    text.replace(/\$(\w+)/g, (m, n: string) =>
      n === 'apps' ? format(['shop', 'blog']) : n === 'app' ? format('blog') : m,
    ),
  ...over,
});

describe('requests per query type', () => {
  it('lists events of a kind with the range, the default application, sort, limit and cursor', () => {
    expect(
      buildRequest(
        { refId: 'A', queryType: 'events', kind: 'long_task', sort: '-duration', limit: 20, cursor: 'c1' },
        ctx(),
      ),
    ).toEqual({
      path: '/api/v1/long-tasks',
      params: {
        app_id: 'shop',
        from: 1_000_000,
        to: 1_000_000 + HOUR,
        filter: undefined,
        sort: '-duration',
        limit: 20,
        cursor: 'c1',
      },
    });
  });

  it('uses app_id for one application and an app condition for several', () => {
    expect(
      buildRequest({ refId: 'A', queryType: 'events', kind: 'view', appId: '$app' }, ctx()).params.app_id,
    ).toBe('blog');
    const many = buildRequest(
      { refId: 'A', queryType: 'events', kind: 'view', appId: '$apps', filter: 'status >= 500' },
      ctx(),
    );
    expect(many.params.app_id).toBeUndefined();
    expect(many.params.filter).toBe('(status >= 500) and (app in ("shop", "blog"))');
  });

  it('joins code, builder and ad hoc filters', () => {
    const r = buildRequest(
      {
        refId: 'A',
        queryType: 'issues',
        status: 'open',
        filter: 'browser = "Chrome"',
        filters: [{ field: 'version', op: '=', value: '1.2' }],
      },
      ctx({ adHocFilters: [{ key: 'env', operator: '=', value: 'prod' }] }),
    );
    expect(r.path).toBe('/api/v1/issues');
    expect(r.params.filter).toBe('(browser = "Chrome") and (version = "1.2") and (env = "prod")');
    expect(r.params.status).toBe('open');
  });

  it('asks for an aggregate with the interval of the panel, widened to the bucket limit', () => {
    const r = buildRequest(
      {
        refId: 'A',
        queryType: 'timeseries',
        kind: 'web_vital',
        aggregation: 'p75',
        field: 'value',
        groupBy: ['path', 'browser'],
      },
      ctx(),
    );
    expect(r).toEqual({
      path: '/api/v1/aggregate',
      params: expect.objectContaining({
        kind: 'web_vital',
        aggregation: 'p75',
        field: 'value',
        interval: '15s',
        group_by: 'path,browser',
      }),
    });
    const day = 24 * HOUR;
    expect(bucketSeconds(0, 30 * day, 1000)).toBe(Math.ceil((30 * day) / 1000 / (MAX_AGGREGATE_BUCKETS - 1)));
    expect(bucketSeconds(0, 60_000, 10)).toBe(1);
  });

  it('starts a time series on a whole bucket, so that hourly buckets fall on the hour', () => {
    const from = Date.UTC(2026, 11, 1, 10, 23, 17, 450);
    const to = from + 7 * 24 * HOUR;
    const r = buildRequest(
      { refId: 'A', queryType: 'timeseries', aggregation: 'count' },
      ctx({ fromMs: from, toMs: to, intervalMs: HOUR }),
    );
    expect(r.params).toMatchObject({ from: Date.UTC(2026, 11, 1, 10), to, interval: '3600s' });
    // The bucket added in front stays within the server's limit, however long the range.
    for (const [span, interval] of [
      [30 * 24 * HOUR, 1000],
      [MAX_AGGREGATE_BUCKETS * 60_000, 60_000],
    ] as const) {
      const q = buildRequest(
        { refId: 'A', queryType: 'timeseries', aggregation: 'count' },
        ctx({ fromMs: from, toMs: from + span, intervalMs: interval }),
      ).params as { from: number; to: number; interval: string };
      const buckets = Math.ceil((q.to - q.from) / 1000 / parseInt(q.interval, 10));
      expect(buckets).toBeLessThanOrEqual(MAX_AGGREGATE_BUCKETS);
      expect(q.from).toBeLessThanOrEqual(from);
    }
  });

  it('refuses what the server would refuse, naming it', () => {
    expect(() => buildRequest({ refId: 'A', queryType: 'timeseries', aggregation: 'avg' }, ctx())).toThrow(
      'avg needs a numeric field',
    );
    expect(() =>
      buildRequest({ refId: 'A', queryType: 'timeseries', groupBy: ['a', 'b', 'c', 'd'] }, ctx()),
    ).toThrow('group by takes at most 3 fields, got 4');
    expect(() => buildRequest({ refId: 'A', queryType: 'trace', traceId: 'xyz' }, ctx())).toThrow(
      'trace id must be 32 hex digits, got "xyz"',
    );
    expect(() => buildRequest({ refId: 'A', queryType: 'timeline' }, ctx())).toThrow(
      'a session id is required',
    );
    expect(() => buildRequest({ refId: 'A', queryType: 'events', limit: 5000 }, ctx())).toThrow(
      'limit must be a whole number from 1 to 1000',
    );
  });

  it('reads a session, a trace, a facet and a funnel', () => {
    expect(buildRequest({ refId: 'A', queryType: 'timeline', sessionId: 's/1' }, ctx())).toEqual({
      path: '/api/v1/sessions/s%2F1/timeline',
      params: { app_id: 'shop' },
    });
    expect(buildRequest({ refId: 'A', queryType: 'trace', traceId: 'AB'.repeat(16) }, ctx()).path).toBe(
      `/api/v1/traces/${'ab'.repeat(16)}`,
    );
    expect(
      buildRequest({ refId: 'A', queryType: 'facets', facetField: 'attr.plan', kind: 'action' }, ctx())
        .params,
    ).toMatchObject({ field: 'attr.plan', kind: 'action' });
    expect(buildRequest({ refId: 'A', queryType: 'funnel', journeyId: 'j1' }, ctx()).path).toBe(
      '/api/v1/journeys/j1/analysis',
    );
  });
});
