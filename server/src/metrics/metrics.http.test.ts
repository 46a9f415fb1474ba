import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as M from '@otel-rum/model';
import { apiFetch, getJson, startTestServer, type TestServer } from '../../../tests/support/server';
import { sendRumEvents, type RumEvent } from '../../../tests/support/rum-events';
import { SKETCH_RELATIVE_ACCURACY } from './sketch';

const APP = 'shop';

function resource(path: string, status: number, durationMs: number): RumEvent {
  return {
    eventName: M.EventName.RESOURCE,
    attributes: {
      [M.SESSION_ID]: 'sess-1',
      [M.URL_FULL]: `https://api.shop.test${path}`,
      [M.HTTP_RESPONSE_STATUS_CODE]: status,
      [M.RUM_RESOURCE_DURATION]: durationMs,
    },
  };
}

async function send(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- API answers are checked field by field
): Promise<{ status: number; json: any }> {
  const res = await apiFetch(base, path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

/** Samples of a Prometheus text exposition: name, labels, value. */
function parseExposition(text: string): { name: string; labels: Record<string, string>; value: number }[] {
  const out = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not an exposition line: ${line}`);
    const labels: Record<string, string> = {};
    const re = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
    for (let l = re.exec(m[3] ?? ''); l; l = re.exec(m[3] ?? ''))
      labels[l[1]!] = l[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    out.push({ name: m[1]!, labels, value: Number(m[4]) });
  }
  return out;
}

async function scrape(base: string) {
  const res = await fetch(`${base}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  return { text: await res.clone().text(), samples: parseExposition(await res.text()) };
}

async function documented(base: string, path: string): Promise<string[]> {
  const doc = await (await fetch(`${base}/api/v1/openapi.json`)).json();
  return Object.keys(doc.paths[path] ?? {});
}

const ERRORS_RULE = {
  name: 'shop_failed_requests_total',
  description: 'Failed API requests',
  kind: 'resource',
  filter: 'status >= 500',
  aggregation: 'count',
  dimensions: ['path', { field: 'status', label: 'code' }],
  intervalSeconds: 60,
};
const LATENCY_RULE = {
  name: 'shop_request_duration_p95',
  kind: 'resource',
  filter: 'path ~ "/api/*"',
  aggregation: 'percentile',
  field: 'duration',
  percentile: 95,
  dimensions: ['path'],
  intervalSeconds: 60,
};

describe('generated metrics over HTTP', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ apps: [APP] });
  });
  afterAll(() => server.close());

  it('creates, lists, reads, updates and deletes rules, refusing bad ones with the reason', async () => {
    const created = await send(server.url, 'POST', '/api/v1/metrics/rules', ERRORS_RULE);
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      name: 'shop_failed_requests_total',
      dimensions: [
        { field: 'path', label: 'path' },
        { field: 'status', label: 'code' },
      ],
      series: 0,
    });
    expect((await send(server.url, 'POST', '/api/v1/metrics/rules', ERRORS_RULE)).status).toBe(409);
    const list = await getJson(server.url, '/api/v1/metrics/rules');
    expect(list.items.map((r: { name: string }) => r.name)).toEqual(['shop_failed_requests_total']);

    const refusals: [Record<string, unknown>, RegExp][] = [
      [{ ...ERRORS_RULE, name: 'bad-name' }, /Prometheus metric name/],
      [{ ...ERRORS_RULE, name: 'rum_generated_metrics_x' }, /may not start with/],
      [{ ...ERRORS_RULE, name: 'x', kind: 'click' }, /kind must be one of/],
      [{ ...ERRORS_RULE, name: 'x', filter: 'status >= ' }, /filter: .*position/],
      [{ ...ERRORS_RULE, name: 'x', filter: 'colour = "red"' }, /unknown field 'colour'/],
      [{ ...ERRORS_RULE, name: 'x', filter: 'has_replay' }, /whole session/],
      [{ ...ERRORS_RULE, name: 'x', field: 'duration' }, /field is not used by count/],
      [{ ...LATENCY_RULE, name: 'x', percentile: 101 }, /percentile must be a number from 0 to 100/],
      [{ ...LATENCY_RULE, name: 'x', field: 'label' }, /not a numeric field/],
      [{ ...ERRORS_RULE, name: 'x', dimensions: ['path', 'browser', 'os', 'country'] }, /at most 3/],
      [{ ...ERRORS_RULE, name: 'x', dimensions: ['session'] }, /one series per session/],
      [{ ...ERRORS_RULE, name: 'x', dimensions: ['path', { field: 'url', label: 'path' }] }, /used twice/],
      [{ ...ERRORS_RULE, name: 'x', dimensions: [{ field: 'path', label: 'quantile' }] }, /reserved/],
      [{ ...ERRORS_RULE, name: 'x', intervalSeconds: 5 }, /from 10 to 3600/],
      [{ ...ERRORS_RULE, name: 'x', colour: 'red' }, /unknown property "colour"/],
    ];
    for (const [body, reason] of refusals) {
      const res = await send(server.url, 'POST', '/api/v1/metrics/rules', body);
      expect([body, res.status]).toEqual([body, 400]);
      expect(res.json.error).toMatch(reason);
    }
    const clash = await send(server.url, 'POST', '/api/v1/metrics/rules', {
      ...LATENCY_RULE,
      name: 'shop_failed_requests',
      field: 'duration',
    });
    expect(clash.status).toBe(201);
    const exposesSame = await send(server.url, 'POST', '/api/v1/metrics/rules', {
      ...ERRORS_RULE,
      name: 'shop_failed_requests_count',
    });
    expect(exposesSame.status).toBe(409);
    expect(exposesSame.json.error).toMatch(/already exposes/);

    const described = await send(server.url, 'PUT', '/api/v1/metrics/rules/shop_failed_requests_total', {
      ...ERRORS_RULE,
      description: 'Failed API requests (5xx)',
    });
    expect(described.status).toBe(200);
    expect(described.json.warnings).toEqual([]);
    const changed = await send(server.url, 'PUT', '/api/v1/metrics/rules/shop_failed_requests', {
      ...LATENCY_RULE,
      name: undefined,
      percentile: 99,
    });
    expect(changed.status).toBe(200);
    expect(changed.json.warnings[0]).toMatch(/discarded/);
    const renamed = await send(server.url, 'PUT', '/api/v1/metrics/rules/shop_failed_requests', {
      ...LATENCY_RULE,
    });
    expect(renamed.status).toBe(400);
    expect((await send(server.url, 'DELETE', '/api/v1/metrics/rules/shop_failed_requests')).status).toBe(204);
    expect((await send(server.url, 'GET', '/api/v1/metrics/rules/shop_failed_requests')).status).toBe(404);
    expect(
      (await send(server.url, 'DELETE', '/api/v1/metrics/rules/shop_failed_requests_total')).status,
    ).toBe(204);
  });

  it('is described in the OpenAPI document', async () => {
    expect(await documented(server.url, '/metrics')).toEqual(['get']);
    expect(await documented(server.url, '/api/v1/metrics/rules')).toEqual(['get', 'post']);
    expect(await documented(server.url, '/api/v1/metrics/rules/{name}')).toEqual(['get', 'put', 'delete']);
    expect(await documented(server.url, '/api/v1/metrics/rules/{name}/series')).toEqual(['get']);
  });

  it('needs a token for the rules API, but /metrics is open to Prometheus', async () => {
    expect((await fetch(`${server.url}/api/v1/metrics/rules`)).status).toBe(401);
    expect((await fetch(`${server.url}/metrics`)).status).toBe(200);
  });

  it('counts and measures arriving events, exposes them for Prometheus and as time series', async () => {
    expect((await send(server.url, 'POST', '/api/v1/metrics/rules', ERRORS_RULE)).status).toBe(201);
    expect((await send(server.url, 'POST', '/api/v1/metrics/rules', LATENCY_RULE)).status).toBe(201);
    const vitals = {
      name: 'shop_web_vital_avg',
      kind: 'web_vital',
      aggregation: 'avg',
      field: 'value',
      dimensions: [`attr."${M.WEB_VITAL_NAME}"`, 'url'],
      intervalSeconds: 10,
    };
    expect((await send(server.url, 'POST', '/api/v1/metrics/rules', vitals)).status).toBe(201);

    const events: RumEvent[] = [];
    for (let i = 1; i <= 100; i++) events.push(resource('/api/cart', 200, i));
    events.push(resource('/api/pay', 502, 30), resource('/api/pay', 502, 40), resource('/api/pay', 503, 50));
    events.push(resource('/static/app.js', 500, 5000));
    const weird = 'https://shop.test/a"b\\c\nd';
    for (const [name, value] of [
      ['lcp', 2000],
      ['lcp', 3000],
      ['cls', 0.1],
    ] as const)
      events.push({
        eventName: M.EventName.WEB_VITAL,
        attributes: {
          [M.SESSION_ID]: 'sess-1',
          [M.URL_FULL]: weird,
          [M.WEB_VITAL_NAME]: name,
          [M.WEB_VITAL_VALUE]: value,
        },
      });
    await sendRumEvents(server.url, APP, events);

    const { text, samples } = await scrape(server.url);
    const one = (name: string, labels: Record<string, string>) =>
      samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
    expect(text).toContain('# TYPE shop_failed_requests_total counter');
    expect(one('shop_failed_requests_total', { path: '/api/pay', code: '502' })[0]?.value).toBe(2);
    expect(one('shop_failed_requests_total', { path: '/api/pay', code: '503' })[0]?.value).toBe(1);
    expect(one('shop_failed_requests_total', { path: '/static/app.js', code: '500' })[0]?.value).toBe(1);
    expect(one('shop_failed_requests_total', {})).toHaveLength(3);

    expect(text).toContain('# TYPE shop_request_duration_p95 summary');
    const p95 = one('shop_request_duration_p95', { path: '/api/cart', quantile: '0.95' })[0]!.value;
    expect(Math.abs(p95 - 95) / 95).toBeLessThanOrEqual(SKETCH_RELATIVE_ACCURACY);
    expect(one('shop_request_duration_p95_count', { path: '/api/cart' })[0]?.value).toBe(100);
    expect(one('shop_request_duration_p95_sum', { path: '/api/cart' })[0]?.value).toBe(5050);
    expect(one('shop_request_duration_p95_count', { path: '/static/app.js' })).toHaveLength(0);

    expect(text).toContain('# TYPE shop_web_vital_avg gauge');
    expect(text).toContain('url="https://shop.test/a\\"b\\\\c\\nd"');
    expect(one('shop_web_vital_avg', { browser_web_vital_name: 'lcp', url: weird })[0]?.value).toBe(2500);
    expect(one('shop_web_vital_avg', { browser_web_vital_name: 'cls' })[0]?.value).toBe(0.1);

    const series = await getJson(server.url, '/api/v1/metrics/rules/shop_request_duration_p95/series');
    expect(series).toMatchObject({
      rule: 'shop_request_duration_p95',
      aggregation: 'percentile',
      intervalSeconds: 60,
    });
    const cart = series.series.find((s: { labels: { path: string } }) => s.labels.path === '/api/cart');
    expect(cart.points).toHaveLength(1);
    expect(cart.points[0].count).toBe(100);
    expect(Math.abs(cart.points[0].value - 95) / 95).toBeLessThanOrEqual(SKETCH_RELATIVE_ACCURACY);
    expect(Date.parse(cart.points[0].time) % 60_000).toBe(0);

    const counted = await getJson(server.url, '/api/v1/metrics/rules/shop_failed_requests_total/series');
    const total = counted.series.reduce(
      (n: number, s: { points: { value: number }[] }) => n + s.points[0]!.value,
      0,
    );
    expect(total).toBe(4);
    const empty = await getJson(
      server.url,
      `/api/v1/metrics/rules/shop_failed_requests_total/series?from=${Date.now() - 7_200_000}&to=${Date.now() - 3_600_000}`,
    );
    expect(empty.series).toEqual([]);
    const tooLong = await send(server.url, 'GET', '/api/v1/metrics/rules/shop_web_vital_avg/series?from=0');
    expect(tooLong.status).toBe(400);
    expect(tooLong.json.error).toMatch(/MAX_SERIES_QUERY_BUCKETS/);
    expect(
      (await send(server.url, 'GET', '/api/v1/metrics/rules/shop_web_vital_avg/series?step=1')).status,
    ).toBe(400);
  });

  it('keeps at most MAX_GENERATED_METRIC_SERIES series per rule, dropping and counting the rest', async () => {
    expect(
      (
        await send(server.url, 'POST', '/api/v1/metrics/rules', {
          name: 'shop_views_by_path_total',
          kind: 'view',
          aggregation: 'count',
          dimensions: ['path'],
          intervalSeconds: 60,
        })
      ).status,
    ).toBe(201);
    const extra = 7;
    const views: RumEvent[] = [];
    for (let i = 0; i < M.MAX_GENERATED_METRIC_SERIES + extra; i++)
      views.push({
        eventName: M.EventName.VIEW,
        attributes: {
          [M.SESSION_ID]: 's',
          [M.RUM_VIEW_ID]: `v${i}`,
          [M.URL_FULL]: `https://shop.test/p/${i}`,
        },
      });
    views.push({
      eventName: M.EventName.VIEW,
      timeMs: Date.now() - 2 * 86_400_000,
      attributes: { [M.SESSION_ID]: 's', [M.RUM_VIEW_ID]: 'old', [M.URL_FULL]: 'https://shop.test/p/0' },
    });
    await sendRumEvents(server.url, APP, views);
    const rule = await getJson(server.url, '/api/v1/metrics/rules/shop_views_by_path_total');
    expect(rule.series).toBe(M.MAX_GENERATED_METRIC_SERIES);
    expect(rule.droppedEvents).toEqual({ series_limit: extra, late: 1, future: 0 });
    const { samples } = await scrape(server.url);
    expect(samples.filter((s) => s.name === 'shop_views_by_path_total')).toHaveLength(
      M.MAX_GENERATED_METRIC_SERIES,
    );
    const dropped = samples.find(
      (s) =>
        s.name === 'rum_generated_metrics_dropped_events_total' &&
        s.labels.rule === 'shop_views_by_path_total' &&
        s.labels.reason === 'series_limit',
    );
    expect(dropped?.value).toBe(extra);
  });
});

describe('generated metrics across a restart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'otel-rum-metrics-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps rules, counters and buckets in the database file', async () => {
    const dbPath = join(dir, 'rum.duckdb');
    let server = await startTestServer({ dbPath, apps: [APP] });
    try {
      expect((await send(server.url, 'POST', '/api/v1/metrics/rules', ERRORS_RULE)).status).toBe(201);
      expect((await send(server.url, 'POST', '/api/v1/metrics/rules', LATENCY_RULE)).status).toBe(201);
      await sendRumEvents(server.url, APP, [resource('/api/pay', 502, 10), resource('/api/pay', 502, 20)]);
    } finally {
      await server.close();
    }
    server = await startTestServer({ dbPath });
    try {
      const rules = await getJson(server.url, '/api/v1/metrics/rules');
      expect(rules.items.map((r: { name: string }) => r.name)).toEqual([
        'shop_failed_requests_total',
        'shop_request_duration_p95',
      ]);
      const before = (await scrape(server.url)).samples;
      const counter = () => (s: { name: string; labels: Record<string, string> }) =>
        s.name === 'shop_failed_requests_total' && s.labels.path === '/api/pay';
      expect(before.find(counter())?.value).toBe(2);
      const p95 = before.find((s) => s.name === 'shop_request_duration_p95' && s.labels.quantile === '0.95');
      expect(Math.abs(p95!.value - 20) / 20).toBeLessThanOrEqual(SKETCH_RELATIVE_ACCURACY);
      await sendRumEvents(server.url, APP, [resource('/api/pay', 502, 30)]);
      expect((await scrape(server.url)).samples.find(counter())?.value).toBe(3);
      const series = await getJson(server.url, '/api/v1/metrics/rules/shop_request_duration_p95/series');
      expect(series.series[0].points[0]).toMatchObject({ count: 3 });
      expect(Math.abs(series.series[0].points[0].value - 30) / 30).toBeLessThanOrEqual(
        SKETCH_RELATIVE_ACCURACY,
      );
    } finally {
      await server.close();
    }
  });
});
