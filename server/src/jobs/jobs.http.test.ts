import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as M from '@otel-rum/model';
import { apiFetch, getJson, startTestServer, type TestServer } from '../../../tests/support/server';
import { sendRumEvents, type RumEvent } from '../../../tests/support/rum-events';
import type { DuckDbStore } from '../store/duckdb/duckdb-store';

const DAY = 86_400_000;
const NOW = Date.now();

function view(
  session: string,
  viewId: string,
  atMs: number,
  extra: Record<string, string | boolean> = {},
): RumEvent {
  return {
    eventName: M.EventName.VIEW,
    timeMs: atMs,
    attributes: {
      [M.SESSION_ID]: session,
      [M.RUM_VIEW_ID]: viewId,
      [M.URL_FULL]: `https://x.test/${viewId}`,
      ...extra,
    },
  };
}

function replay(session: string, startMs: number, endMs: number): RumEvent {
  return {
    eventName: M.EventName.REPLAY_SEGMENT,
    timeMs: endMs,
    attributes: {
      [M.SESSION_ID]: session,
      [M.RUM_REPLAY_START]: startMs,
      [M.RUM_REPLAY_END]: endMs,
      [M.RUM_REPLAY_SEQUENCE]: 0,
    },
  };
}

async function post(base: string, path: string, body: unknown): Promise<Response> {
  return apiFetch(base, path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function sql(server: TestServer, query: string): Promise<Record<string, unknown>[]> {
  const c = await (server.store as DuckDbStore).connect();
  try {
    return (await c.runAndReadAll(query)).getRowObjectsJS() as Record<string, unknown>[];
  } finally {
    c.closeSync();
  }
}

/** A backend span (no rum.app.id) `ageDays` old. */
function backendSpan(traceId: string, ageDays: number): unknown {
  const start = BigInt(NOW - ageDays * DAY) * 1_000_000n;
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: M.SERVICE_NAME, value: { stringValue: 'api' } }] },
        scopeSpans: [
          {
            spans: [
              {
                traceId,
                spanId: traceId.slice(0, 16),
                name: 'GET /pay',
                kind: 2,
                startTimeUnixNano: String(start),
                endTimeUnixNano: String(start + 5_000_000n),
              },
            ],
          },
        ],
      },
    ],
  };
}

/** A gauge point of application `appId`, `ageDays` old. */
function gauge(appId: string, ageDays: number): unknown {
  return {
    resourceMetrics: [
      {
        resource: { attributes: [{ key: M.RUM_APP_ID, value: { stringValue: appId } }] },
        scopeMetrics: [
          {
            metrics: [
              {
                name: 'memory.used',
                gauge: {
                  dataPoints: [
                    { timeUnixNano: String(BigInt(NOW - ageDays * DAY) * 1_000_000n), asDouble: 1 },
                  ],
                },
              },
            ],
          },
        ],
      },
    ],
  };
}

async function postOtlp(base: string, signal: string, body: unknown): Promise<void> {
  const res = await fetch(`${base}/v1/${signal}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
}

async function documented(base: string, path: string): Promise<string[]> {
  const doc = await (await fetch(`${base}/api/v1/openapi.json`)).json();
  return Object.keys(doc.paths[path] ?? {});
}

describe('retention', () => {
  let server: TestServer;
  const ages = [2, 5, 10, 20];
  beforeAll(async () => {
    server = await startTestServer({
      apps: [
        { appId: 'short', retentionDays: 3 },
        { appId: 'long', retentionDays: 14 },
        'ghost',
        { appId: 'old_id', retentionDays: 14 },
      ],
    });
    for (const app of ['short', 'long', 'ghost', 'old_id'])
      await sendRumEvents(
        server.url,
        app,
        ages.map((age) => view(`${app}-s`, `${app}-${age}d`, NOW - age * DAY)),
      );
    // A session of 'short' that ended 10 days ago goes as a whole, its summary with it.
    await sendRumEvents(server.url, 'short', [view('short-old', 'short-old-10d', NOW - 10 * DAY)]);
    // ghost loses its applications row (its data stays): the default window applies to it.
    expect((await apiFetch(server.url, '/api/v1/apps/ghost', { method: 'DELETE' })).status).toBe(204);
    // old_id is renamed: data under the old id keeps the application's window.
    const renamed = await apiFetch(server.url, '/api/v1/apps/old_id', {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ appId: 'new_id' }),
    });
    expect(renamed.status).toBe(200);
    for (const age of [10, 20])
      await postOtlp(server.url, 'traces', backendSpan(`${age}`.padStart(32, 'a'), age));
    for (const age of [2, 5]) await postOtlp(server.url, 'metrics', gauge('short', age));
    await sql(
      server,
      `INSERT INTO generated_metric_buckets VALUES
        ('r', '[]', make_timestamp(epoch_us(now())) - INTERVAL 100 DAY, 1, 1, 1, 1, NULL),
        ('r', '[]', make_timestamp(epoch_us(now())) - INTERVAL 1 DAY, 1, 1, 1, 1, NULL)`,
    );
  });
  afterAll(() => server.close());

  it('deletes data older than each application window and keeps the rest', async () => {
    const res = await post(server.url, '/api/v1/retention/run', {});
    expect(res.status).toBe(200);
    const run = await res.json();
    expect(run).toMatchObject({
      defaultDays: M.DEFAULT_RETENTION_DAYS,
      unattributedDays: 14,
      deleted: {
        events: 3 + 1 + 2 + 1 + 1,
        sessions: 1,
        views: 3 + 1 + 2 + 1 + 1,
        spans: 1,
        metricPoints: 1,
        generatedMetricBuckets: 1,
      },
    });
    const kept = async (app: string) =>
      (await getJson(server.url, `/api/v1/views?app_id=${app}`)).items
        .map((v: { viewId: string }) => v.viewId)
        .sort();
    expect(await kept('short')).toEqual(['short-2d']);
    expect(await kept('long')).toEqual(['long-10d', 'long-2d', 'long-5d']);
    expect(await kept('ghost')).toEqual(['ghost-2d', 'ghost-5d']);
    expect(await kept('old_id')).toEqual(['old_id-10d', 'old_id-2d', 'old_id-5d']);
    expect((await apiFetch(server.url, `/api/v1/traces/${'10'.padStart(32, 'a')}`)).status).toBe(200);
    expect((await apiFetch(server.url, `/api/v1/traces/${'20'.padStart(32, 'a')}`)).status).toBe(404);
    expect(await sql(server, 'SELECT count(*)::INTEGER AS n FROM metric_points')).toEqual([{ n: 1 }]);
    expect(await sql(server, 'SELECT count(*)::INTEGER AS n FROM generated_metric_buckets')).toEqual([
      { n: 1 },
    ]);

    const again = await server.jobs!.retention.runOnce();
    expect(again.deleted).toEqual({
      events: 0,
      sessions: 0,
      views: 0,
      replaySegments: 0,
      spans: 0,
      metricPoints: 0,
      generatedMetricBuckets: 0,
    });
    const sessions = await getJson(server.url, '/api/v1/sessions?app_id=short');
    expect(sessions.items.map((x: { sessionId: string }) => x.sessionId)).toEqual(['short-s']);
  });

  it('is described in the OpenAPI document, with usage', async () => {
    expect(await documented(server.url, '/api/v1/retention/run')).toEqual(['post']);
    expect(await documented(server.url, '/api/v1/usage')).toEqual(['get']);
  });

  it('needs an admin token to run on demand', async () => {
    expect((await fetch(`${server.url}/api/v1/retention/run`, { method: 'POST' })).status).toBe(401);
  });
});

describe('daily usage', () => {
  let server: TestServer;
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const d1 = Date.parse(`${day(NOW - 2 * DAY)}T12:00:00Z`);
  const d2 = Date.parse(`${day(NOW)}T00:00:01Z`);
  beforeAll(async () => {
    server = await startTestServer({ apps: [{ appId: 'shop', retentionDays: 3 }, 'blog'] });
    await sendRumEvents(server.url, 'shop', [
      view('a', 'a1', d1),
      view('a', 'a1', d1 + 60_000, { [M.RUM_VIEW_ENDED]: true }),
      view('a', 'a2', d1 + 70_000),
      replay('a', d1, d1 + 60_000),
      replay('a', d1 + 60_000, d1 + 90_000),
      view('b', 'b1', d1 + 3_600_000),
      view('c', 'c1', d2),
    ]);
    await sendRumEvents(server.url, 'blog', [view('z', 'z1', d2)]);
  });
  afterAll(() => server.close());

  it('counts page views, sessions and replay minutes per application and UTC day', async () => {
    const from = day(NOW - 3 * DAY);
    const usage = await getJson(server.url, `/api/v1/usage?from=${from}`);
    expect(usage.items).toEqual([
      { appId: 'shop', day: day(d1), pageViews: 3, sessions: 2, replayMinutes: 1.5 },
      { appId: 'blog', day: day(d2), pageViews: 1, sessions: 1, replayMinutes: 0 },
      { appId: 'shop', day: day(d2), pageViews: 1, sessions: 1, replayMinutes: 0 },
    ]);
    const shop = await getJson(server.url, `/api/v1/usage?app_id=shop&from=${from}&to=${day(NOW - DAY)}`);
    expect(shop.items.map((i: { day: string }) => i.day)).toEqual([day(d1)]);
  });

  it('recounts a day when late data arrives, and keeps usage when retention deletes the events', async () => {
    await sendRumEvents(server.url, 'shop', [view('late', 'l1', d1 + 7_200_000)]);
    const from = day(NOW - 3 * DAY);
    const recounted = await getJson(server.url, `/api/v1/usage?app_id=shop&from=${from}`);
    expect(recounted.items[0]).toMatchObject({ day: day(d1), pageViews: 4, sessions: 3 });

    const old = Date.parse(`${day(NOW - 5 * DAY)}T12:00:00Z`);
    await sendRumEvents(server.url, 'shop', [view('o', 'o1', old)]);
    await server.jobs!.usage.refresh();
    expect((await server.jobs!.retention.runOnce()).deleted.events).toBe(1);
    const after = await getJson(server.url, `/api/v1/usage?app_id=shop&from=${day(old)}`);
    expect(after.items[0]).toEqual({
      appId: 'shop',
      day: day(old),
      pageViews: 1,
      sessions: 1,
      replayMinutes: 0,
    });
  });

  it('refuses bad parameters with the reason', async () => {
    const cases = [
      ['app_id=no%20spaces', /app_id/],
      ['from=yesterday', /from/],
      ['from=0', /400 days/],
      ['days=3', /unknown query parameter "days"/],
    ] as const;
    for (const [query, reason] of cases) {
      const res = await apiFetch(server.url, `/api/v1/usage?${query}`);
      expect([query, res.status]).toEqual([query, 400]);
      expect((await res.json()).error).toMatch(reason);
    }
  });
});

describe('daily usage for data from before the usage table', () => {
  const dir = mkdtempSync(join(tmpdir(), 'otel-rum-usage-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is counted at start for days that have events but no usage row', async () => {
    const dbPath = join(dir, 'rum.duckdb');
    let server = await startTestServer({ dbPath, apps: ['shop'] });
    try {
      await sendRumEvents(server.url, 'shop', [view('a', 'a1', NOW), view('b', 'b1', NOW)]);
      await server.jobs!.usage.refresh();
      await sql(server, 'DELETE FROM usage_daily');
    } finally {
      await server.close();
    }
    server = await startTestServer({ dbPath });
    try {
      const usage = await getJson(server.url, '/api/v1/usage?app_id=shop');
      expect(usage.items).toEqual([
        {
          appId: 'shop',
          day: new Date(NOW).toISOString().slice(0, 10),
          pageViews: 2,
          sessions: 2,
          replayMinutes: 0,
        },
      ]);
    } finally {
      await server.close();
    }
  });
});
