/*
 * The data source plugin as Grafana runs it, short of Grafana's server: the built
 * plugins/dist/datasource/module.js loaded in real Chromium by the Grafana host (tests/grafana-host),
 * with Grafana's own packages, its runtime services and its data proxy, against the real otel-rum
 * server that the real SDK filled by driving a real page whose fetch reached a backend instrumented
 * with the OpenTelemetry Node SDK.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { freePort } from '../../collector-config/testing/freePort';
import { startInstrumentedBackend, stopBackend, visitShop } from '../support/backend';
import { launchChromium } from '../support/chromium';
import { apiFetch, eventually, getJson, startTestServer, type TestServer } from '../support/server';
import { startGrafanaHost, type GrafanaHost, type SavedDataSource } from '../grafana-host/host-server';
import { openHost, recordResponses, screenshot } from '../grafana-host/page';
import { startFrontProxy, type FrontProxy } from '../grafana-host/tls-proxy';

jest.setTimeout(120_000);

const APP_ID = 'rum_shop';
const DIST = join(__dirname, '..', '..', 'plugins', 'dist');
const DS_TYPE = 'otelrum-rum-datasource';

let server: TestServer;
let emptyServer: TestServer;
let backend: ChildProcess;
let backendUrl: string;
let browser: Browser;
let host: GrafanaHost;
let page: Page;
let tls: FrontProxy;
let slow: FrontProxy;
let readToken: string;
let traceId: string;
let sessionId: string;
let fromMs: number;
let toMs: number;

function dataSource(
  uid: string,
  jsonData: Record<string, unknown>,
  secureJsonData: Record<string, string> = {},
): SavedDataSource {
  return { uid, name: `otel-rum ${uid}`, type: DS_TYPE, jsonData, secureJsonData };
}

/** Saves settings the way the settings page's Save does (PUT), from outside the browser. */
async function save(
  uid: string,
  jsonData: Record<string, unknown>,
  secureJsonData: Record<string, string> = {},
): Promise<void> {
  const res = await fetch(`${host.url}/api/datasources/uid/${uid}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonData, secureJsonData }),
  });
  expect(res.status).toBe(200);
}

type Frame = {
  name?: string;
  refId?: string;
  fields: Array<{
    name: string;
    type: string;
    values: unknown[];
    config: Record<string, unknown>;
    labels?: Record<string, string>;
  }>;
  meta?: Record<string, unknown>;
};
type QueryResult = {
  frames: Frame[];
  errors: Array<{ message: string; refId?: string; parameter?: string }>;
};

function query(
  targets: Array<Record<string, unknown>>,
  extra: Record<string, unknown> = {},
  uid = 'rum',
): Promise<QueryResult> {
  return page.evaluate(
    ([u, t, f, to, e]) =>
      (window as never as { __host: { query: (...a: unknown[]) => Promise<unknown> } }).__host.query(
        u,
        t,
        f,
        to,
        e,
      ),
    [
      uid,
      targets.map((t, i) => ({ refId: String.fromCharCode(65 + i), ...t })),
      fromMs,
      toMs,
      extra,
    ] as const,
  ) as Promise<QueryResult>;
}

function testDatasource(
  uid: string,
): Promise<{ status: string; message: string; details?: { message?: string } }> {
  return page.evaluate(
    (u) =>
      (
        window as never as { __host: { testDatasource: (u: string) => Promise<never> } }
      ).__host.testDatasource(u),
    uid,
  );
}

const field = (f: Frame, name: string) => f.fields.find((x) => x.name === name)!;

/** Retries `read` until `check` passes (the editor runs its query after React renders), or fails with the last reason. */
async function settles<T>(read: () => Promise<T>, check: (v: T) => void, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      check(await read());
      return;
    } catch (e) {
      if (Date.now() > until) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

beforeAll(async () => {
  server = await startTestServer({ apps: [APP_ID], demo: false });
  emptyServer = await startTestServer({ demo: false });
  const res = await apiFetch(server.url, '/api/v1/tokens', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'grafana', role: 'read' }),
  });
  readToken = (await res.json()).token;
  const port = await freePort();
  backendUrl = `http://127.0.0.1:${port}`;
  backend = await startInstrumentedBackend(port, server.url, APP_ID, { SERVICE_VERSION: '2.0.0' });
  browser = await launchChromium();
  fromMs = Date.now() - 60_000;
  traceId = (await visitShop(browser, backendUrl)).traceId;
  // Everything the visit sent has been stored: views, the error, and the backend span with its parent.
  await eventually(async () => {
    const s = await getJson(server.url, `/api/v1/sessions?app_id=${APP_ID}`);
    const t = await getJson(server.url, `/api/v1/traces/${traceId}`).catch(() => undefined);
    const backendSpan = t?.spans.find((x: { serviceName: string }) => x.serviceName === 'checkout-backend');
    const ready =
      s.items[0]?.viewCount >= 2 &&
      s.items[0]?.errorCount >= 1 &&
      backendSpan &&
      t.spans.some((x: { spanId: string }) => x.spanId === backendSpan.parentSpanId);
    return ready ? s : undefined;
  }, 30_000).then((s) => (sessionId = s.items[0].sessionId));
  toMs = Date.now() + 60_000;
  tls = await startFrontProxy(server.url, { tls: true });
  slow = await startFrontProxy(server.url, { delayMs: 3000 });
  host = await startGrafanaHost({
    pluginDist: [DIST],
    settingsFile: join(mkdtempSync(join(tmpdir(), 'grafana-host-')), 'datasources.json'),
    dataSources: [
      dataSource('rum', { serverUrl: server.url, defaultAppId: APP_ID }, { apiToken: readToken }),
      dataSource('cfg', {}),
      dataSource('check', {}),
      dataSource('slow', { serverUrl: slow.url, defaultAppId: APP_ID }, { apiToken: readToken }),
      { uid: 'tempo', name: 'Tempo', type: 'tempo', jsonData: {} },
    ],
  });
  page = await openHost(browser, host.url);
}, 120_000);

afterAll(async () => {
  await page?.close();
  await browser?.close();
  await stopBackend(backend);
  await host?.close();
  await tls?.close();
  await slow?.close();
  await emptyServer?.close();
  await server?.close();
});

describe('config editor and health check', () => {
  it('saves the URL, token and default application through the config editor, keeps the token out of the browser, and tests green', async () => {
    const seenBodies = recordResponses(page, host.url);
    await page.evaluate(() =>
      (window as never as { __host: { showSettings: (u: string) => Promise<void> } }).__host.showSettings(
        'cfg',
      ),
    );
    await page.fill('#rum-server-url', server.url);
    await page.fill('#rum-api-token', readToken);
    await page.fill('#rum-default-app', APP_ID);
    await screenshot(page, 'config-editor');
    await page.click('[data-testid="save-and-test"]');
    const outcome = page.locator('[data-testid="test-outcome"]');
    await outcome.waitFor({ timeout: 20_000 });
    expect(await outcome.getAttribute('data-status')).toBe('success');
    expect(await outcome.textContent()).toContain(
      'Connected to otel-rum server 0.2.0: 1 application (rum_shop)',
    );
    await screenshot(page, 'config-editor-tested');
    // Saved as Grafana saves it: the token in secureJsonData on the server side only.
    expect(host.saved('cfg')?.secureJsonData?.apiToken).toBe(readToken);
    expect(host.saved('cfg')?.jsonData).toMatchObject({ serverUrl: server.url, defaultAppId: APP_ID });
    // The secret field now shows "configured"; nothing the browser received holds the token.
    await page.waitForTimeout(200);
    expect(await page.locator('#rum-api-token').inputValue()).not.toContain(readToken);
    expect(seenBodies.length).toBeGreaterThan(3);
    expect(seenBodies.some((b) => b.includes(readToken))).toBe(false);
    // The requests reached the server through the proxy route, which added the token.
    expect(host.proxied.some((r) => r.target === `${server.url}/api/v1/apps`)).toBe(true);
  });

  it('shows an unreachable server in the settings page', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    await save('check', { serverUrl: closed }, { apiToken: readToken });
    await page.evaluate(() =>
      (window as never as { __host: { showSettings: (u: string) => Promise<void> } }).__host.showSettings(
        'check',
      ),
    );
    await page.click('[data-testid="save-and-test"]');
    const outcome = page.locator('[data-testid="test-outcome"]');
    await outcome.waitFor({ timeout: 20_000 });
    expect(await outcome.getAttribute('data-status')).toBe('error');
    expect(await outcome.textContent()).toContain(
      `Grafana could not connect to the otel-rum server at ${closed}`,
    );
    expect(await outcome.textContent()).toContain('not reachable from the machine Grafana runs on');
    await screenshot(page, 'config-editor-unreachable');
  });

  it.each([
    [
      'an untrusted TLS certificate',
      () => ({ serverUrl: tls.url }),
      () => ({ apiToken: readToken }),
      'error',
      'TLS certificate is not trusted',
    ],
    [
      'a trusted CA certificate',
      () => ({ serverUrl: tls.url, tlsAuthWithCACert: true }),
      () => ({ apiToken: readToken, tlsCACert: tls.certificate! }),
      'success',
      'Connected to otel-rum server',
    ],
    [
      'a skipped TLS verification',
      () => ({ serverUrl: tls.url, tlsSkipVerify: true }),
      () => ({ apiToken: readToken }),
      'success',
      'Connected to otel-rum server',
    ],
    [
      'an unknown token',
      () => ({ serverUrl: server.url }),
      () => ({ apiToken: 'rum_not_a_token_of_this_server' }),
      'error',
      'The server refused the API token: the token is not known',
    ],
    ['no token', () => ({ serverUrl: server.url }), () => ({}), 'error', 'No API token is set'],
    [
      'a server without applications',
      () => ({ serverUrl: emptyServer.url }),
      () => ({ apiToken: emptyServer.token }),
      'warning',
      'has no applications yet',
    ],
    [
      'a URL that is not an otel-rum server',
      () => ({ serverUrl: backendUrl }),
      () => ({ apiToken: readToken }),
      'error',
      'is not an otel-rum server',
    ],
    [
      'a default application that is not registered',
      () => ({ serverUrl: server.url, defaultAppId: 'nope' }),
      () => ({ apiToken: readToken }),
      'error',
      'The default application "nope" is not registered',
    ],
    ['no URL', () => ({}), () => ({ apiToken: readToken }), 'error', 'Set the URL of the otel-rum server'],
  ])('reports %s', async (_what, json, secure, status, text) => {
    // Each case replaces the secrets, as Save does after the fields were reset.
    await save('check', json(), { apiToken: '', tlsCACert: '', ...secure() });
    const r = await testDatasource('check');
    expect(r.status).toBe(status);
    expect(`${r.message} ${r.details?.message ?? ''}`).toContain(text);
  });
});

describe('query types, through the data proxy', () => {
  it('lists sessions with links to the session page', async () => {
    const { frames, errors } = await query([{ queryType: 'events', kind: 'session' }]);
    expect(errors).toEqual([]);
    const f = frames[0]!;
    expect(field(f, 'session').values).toEqual([sessionId]);
    expect(field(f, 'views').values[0]).toBeGreaterThanOrEqual(2);
    expect(field(f, 'start').type).toBe('time');
    expect(field(f, 'duration').config.unit).toBe('ms');
    expect(JSON.stringify(field(f, 'session').config.links)).toContain(
      '/a/otelrum-rum-app/sessions/${__value.raw}',
    );
  });

  it('lists views, errors and resources as tables with units, display names and trace links', async () => {
    const { frames, errors } = await query([
      { queryType: 'events', kind: 'view', sort: 'time' },
      { queryType: 'events', kind: 'error' },
      {
        queryType: 'events',
        kind: 'resource',
        filters: [{ field: 'url', op: 'contains', value: '/api/checkout' }],
      },
    ]);
    expect(errors).toEqual([]);
    const [views, errs, resources] = frames as [Frame, Frame, Frame];
    expect(field(views, 'path').values).toEqual(['/', '/cart']);
    expect(field(views, 'version').values).toEqual(['2.0.0', '2.0.0']);
    expect(field(errs, 'label').values[0]).toBe('cart total is "NaN"');
    expect(field(errs, 'label').config.displayName).toBe('Message');
    expect(field(errs, 'type').values[0]).toBe('TypeError');
    expect(field(resources, 'trace').values).toEqual([traceId]);
    expect(field(resources, 'duration').config.unit).toBe('ms');
    const link = (
      field(resources, 'trace').config.links as Array<{ internal: { datasourceUid: string; query: unknown } }>
    )[0]!;
    expect(link.internal).toMatchObject({
      datasourceUid: 'rum',
      query: { queryType: 'trace', traceId: '${__value.raw}' },
    });
  });

  it('links trace ids to the Tempo data source chosen in the settings', async () => {
    await save(
      'check',
      { serverUrl: server.url, defaultAppId: APP_ID, tracesDatasourceUid: 'tempo' },
      { apiToken: readToken },
    );
    const { frames } = await query([{ queryType: 'events', kind: 'resource' }], {}, 'check');
    const link = (field(frames[0]!, 'trace').config.links as Array<{ title: string; internal: unknown }>)[0]!;
    expect(link.title).toBe('Open trace in Tempo');
    expect(link.internal).toEqual({
      datasourceUid: 'tempo',
      datasourceName: 'Tempo',
      query: { queryType: 'traceql', query: '${__value.raw}' },
    });
  });

  it('pages with the cursor the server gives', async () => {
    const first = await query([{ queryType: 'events', kind: 'view', limit: 1, sort: 'time' }]);
    const cursor = (first.frames[0]!.meta!.custom as { nextCursor: string }).nextCursor;
    expect(cursor).toBeTruthy();
    const second = await query([{ queryType: 'events', kind: 'view', limit: 1, sort: 'time', cursor }]);
    expect(field(first.frames[0]!, 'path').values).toEqual(['/']);
    expect(field(second.frames[0]!, 'path').values).toEqual(['/cart']);
  });

  it('draws time series: one frame per group, named by it, with the interval of the range', async () => {
    const { frames, errors } = await query([
      { queryType: 'timeseries', kind: 'view', aggregation: 'count', groupBy: ['path'] },
    ]);
    expect(errors).toEqual([]);
    expect(frames.map((f) => f.name).sort()).toEqual(['/', '/cart']);
    for (const f of frames) {
      expect(f.fields[0]!.type).toBe('time');
      expect(f.fields[1]!.config.displayNameFromDS).toBe(f.name);
      expect(f.fields[1]!.labels).toEqual({ path: f.name });
      expect((f.fields[1]!.values as number[]).reduce((a, b) => a + b, 0)).toBe(1);
    }
    const p95 = await query([
      { queryType: 'timeseries', kind: 'resource', aggregation: 'p95', field: 'duration' },
    ]);
    expect(p95.frames[0]!.fields[1]!.config.unit).toBe('ms');
    expect((p95.frames[0]!.fields[1]!.values as number[]).some((v) => v > 0)).toBe(true);
  });

  it('lists issues, shows a session as logs and a trace with its browser and backend spans', async () => {
    const { frames, errors } = await query([
      { queryType: 'issues' },
      { queryType: 'timeline', sessionId },
      { queryType: 'trace', traceId },
    ]);
    expect(errors).toEqual([]);
    const [issues, timeline, trace] = frames as [Frame, Frame, Frame];
    expect(field(issues, 'message').values).toEqual(['cart total is "NaN"']);
    expect(field(issues, 'status').values).toEqual(['open']);
    expect(field(issues, 'count').values).toEqual([1]);

    expect(timeline.meta).toMatchObject({ type: 'log-lines', preferredVisualisationType: 'logs' });
    const severities = field(timeline, 'severity').values;
    const bodies = field(timeline, 'body').values as string[];
    expect(bodies[severities.indexOf('error')]).toBe('TypeError: cart total is "NaN"');
    expect(bodies.some((b) => b.startsWith('view /cart'))).toBe(true);

    expect(trace.meta).toMatchObject({ preferredVisualisationType: 'trace' });
    const services = field(trace, 'serviceName').values;
    const backendIndex = services.indexOf('checkout-backend');
    expect(backendIndex).toBeGreaterThanOrEqual(0);
    const parent = field(trace, 'parentSpanID').values[backendIndex];
    const parentIndex = field(trace, 'spanID').values.indexOf(parent);
    expect(parentIndex).toBeGreaterThanOrEqual(0);
    expect(field(trace, 'kind').values[backendIndex]).toBe('server');
    expect(field(trace, 'kind').values[parentIndex]).toBe('client');
    const tags = field(trace, 'serviceTags').values[parentIndex] as Array<{ key: string; value: unknown }>;
    expect(tags).toContainEqual({ key: 'rum.app.id', value: APP_ID });
  });

  it('gives facets and a journey funnel as frames for bar charts', async () => {
    const created = await apiFetch(server.url, '/api/v1/journeys', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'to cart',
        appId: APP_ID,
        steps: [
          { type: 'view', path: '/' },
          { type: 'view', path: '/cart' },
        ],
      }),
    });
    expect(created.status).toBe(201);
    const journey = await created.json();
    const { frames, errors } = await query([
      { queryType: 'facets', kind: 'view', facetField: 'path' },
      { queryType: 'funnel', journeyId: journey.id },
    ]);
    expect(errors).toEqual([]);
    const [facet, funnel] = frames as [Frame, Frame];
    expect(
      Object.fromEntries(field(facet, 'path').values.map((v, i) => [v, field(facet, 'count').values[i]])),
    ).toEqual({ '/': 1, '/cart': 1 });
    expect(field(funnel, 'step').values).toEqual(['1. view /', '2. view /cart']);
    expect(field(funnel, 'sessions').values).toEqual([1, 1]);
    expect(field(funnel, 'conversion').values).toEqual([1, 1]);
    expect(field(funnel, 'conversion').config.unit).toBe('percentunit');
  });

  it('annotates the first sighting of a version', async () => {
    const { frames, errors } = await query([{ annotation: 'version' }]);
    expect(errors).toEqual([]);
    expect(field(frames[0]!, 'title').values).toEqual(['Version 2.0.0 first seen']);
    const spikes = await query([{ annotation: 'error_spike' }]);
    // One error is no spike: the rule wants at least five in a bucket.
    expect(field(spikes.frames[0]!, 'title').values).toEqual([]);
  });

  it('names the server refusal and the parameter it is about', async () => {
    const { errors } = await query([
      { queryType: 'events', kind: 'view', editorMode: 'code', filter: 'brwoser = "Chrome"' },
    ]);
    expect(errors[0]!.message).toContain("unknown field 'brwoser'");
    expect(errors[0]!.parameter).toBe('filter');
  });
});

describe('variables, ad hoc filters and escaping', () => {
  it('lists applications and the values of a field as variables', async () => {
    const values = (q: Record<string, unknown>) =>
      page.evaluate(
        ([f, t, qq]) =>
          (
            window as never as { __host: { variableValues: (...a: unknown[]) => Promise<Frame[]> } }
          ).__host.variableValues('rum', { refId: 'V', ...qq }, f, t),
        [fromMs, toMs, q] as const,
      );
    const apps = (await values({ type: 'applications' }))[0]!;
    expect(field(apps, 'value').values).toEqual([APP_ID]);
    const paths = (await values({ type: 'facet', field: 'path', kind: 'view' }))[0]!;
    expect((field(paths, 'value').values as string[]).sort()).toEqual(['/', '/cart']);
  });

  it('turns multi-value variables and ad hoc filters into filter terms, and no value can change the query', async () => {
    const setVariables = (vars: unknown) =>
      page.evaluate(
        (v) => (window as never as { __host: { setVariables: (v: unknown) => void } }).__host.setVariables(v),
        vars,
      );
    await setVariables([
      { name: 'paths', value: ['/', '/cart'], multi: true },
      { name: 'evil', value: '/" or path != "x' },
      { name: 'app', value: APP_ID },
    ]);
    const multi = await query([
      {
        queryType: 'events',
        kind: 'view',
        appId: '$app',
        filters: [{ field: 'path', op: '=', value: '$paths' }],
      },
    ]);
    expect(field(multi.frames[0]!, 'path').values).toHaveLength(2);
    const code = await query([
      { queryType: 'events', kind: 'view', editorMode: 'code', filter: 'path in $paths' },
    ]);
    expect(field(code.frames[0]!, 'path').values).toHaveLength(2);

    // A value holding quotes and a filter of its own stays one quoted string: nothing matches it.
    const before = host.proxied.length;
    const evil = await query([
      { queryType: 'events', kind: 'view', filters: [{ field: 'path', op: '=', value: '$evil' }] },
    ]);
    expect(evil.errors).toEqual([]);
    expect(field(evil.frames[0]!, 'path').values).toEqual([]);
    const sent = new URL(
      host.proxied.slice(before).find((r) => r.path.startsWith('/rum/api/v1/views'))!.target!,
    );
    expect(sent.searchParams.get('filter')).toBe('path = "/\\" or path != \\"x"');
    const evilCode = await query([
      { queryType: 'events', kind: 'view', editorMode: 'code', filter: 'path = $evil' },
    ]);
    expect(field(evilCode.frames[0]!, 'path').values).toEqual([]);

    const adhoc = await query([{ queryType: 'events', kind: 'view' }], {
      filters: [{ key: 'path', operator: '=', value: '/cart' }],
    });
    expect(field(adhoc.frames[0]!, 'path').values).toEqual(['/cart']);
    const keys = await page.evaluate(() =>
      (
        window as never as {
          __host: {
            tagKeysAndValues: (
              u: string,
              k: string,
            ) => Promise<{ keys: Array<{ text: string }>; values: Array<{ text: string }> }>;
          };
        }
      ).__host.tagKeysAndValues('rum', 'path'),
    );
    expect(keys.keys.map((k) => k.text)).toEqual(
      expect.arrayContaining(['browser', 'path', 'status', 'version']),
    );
    // Values of every kind of event: pages, and the paths of the resources they loaded.
    expect(keys.values.map((v) => v.text)).toEqual(expect.arrayContaining(['/', '/cart', '/api/checkout']));
    await setVariables([]);
  });

  it('cancels a running query when the user moves on', async () => {
    const before = host.proxied.length;
    const r = await page.evaluate(
      ([f, t]) =>
        (
          window as never as {
            __host: { startAndCancel: (...a: unknown[]) => Promise<{ settledBeforeCancel: boolean }> };
          }
        ).__host.startAndCancel('slow', { refId: 'A', queryType: 'events', kind: 'view' }, f, t, 500),
      [fromMs, toMs] as const,
    );
    expect(r.settledBeforeCancel).toBe(false);
    const request = await eventually(async () => {
      const q = host.proxied.slice(before).find((x) => x.path.startsWith('/rum/api/v1/views'));
      return q?.aborted ? q : undefined;
    }, 5_000);
    expect(request.aborted).toBe(true);
  });
});

describe('query editor', () => {
  const show = (q: Record<string, unknown>) =>
    page.evaluate(
      ([qq, f, t]) =>
        (
          window as never as { __host: { showQueryEditor: (...a: unknown[]) => Promise<void> } }
        ).__host.showQueryEditor('rum', { refId: 'A', ...qq }, f, t),
      [q, fromMs, toMs] as const,
    );
  const lastQuery = () =>
    page.evaluate(
      () => (window as never as { __host: { lastQuery: Record<string, unknown> } }).__host.lastQuery,
    );
  const result = () => page.locator('[data-testid="result"]');

  it('builds each query type from its controls', async () => {
    await show({ queryType: 'events', kind: 'view' });
    for (const [label, type] of [
      ['Time series', 'timeseries'],
      ['Issues', 'issues'],
      ['Session timeline', 'timeline'],
      ['Trace', 'trace'],
      ['Facets', 'facets'],
      ['Journey funnel', 'funnel'],
      ['Events', 'events'],
    ] as const) {
      await page.getByRole('radio', { name: label, exact: true }).check({ force: true });
      await settles(
        async () => (await lastQuery()).queryType,
        (v) => expect(v).toBe(type),
      );
      await screenshot(page, `query-editor-${type}`);
    }
    // Events: sessions. (The mouse leaves the query type's tooltip first.)
    await page.mouse.move(1200, 880);
    await page.getByLabel('kind').click();
    await page.getByText('Sessions', { exact: true }).click();
    await settles(
      async () => (await result().textContent()) ?? '',
      (v) => expect(v).toContain('sessions (1 rows)'),
    );
    // A trace by id, typed.
    await page.getByRole('radio', { name: 'Trace', exact: true }).check({ force: true });
    await page.getByLabel('trace id').fill(traceId);
    await page.getByLabel('trace id').blur();
    await settles(
      async () => (await result().textContent()) ?? '',
      (v) => expect(v).toMatch(/trace [0-9a-f]{32} \(\d+ rows\)/),
    );
    // A session timeline.
    await page.getByRole('radio', { name: 'Session timeline', exact: true }).check({ force: true });
    await page.getByLabel('session id').fill(sessionId);
    await page.getByLabel('session id').blur();
    await settles(
      async () => (await result().textContent()) ?? '',
      (v) => expect(v).toContain('session timeline'),
    );
    await screenshot(page, 'query-editor-timeline-run');
  });

  it('builds a filter with autocomplete from facets, and shows a server 400 under the filter', async () => {
    await show({ queryType: 'events', kind: 'view' });
    await page.getByRole('button', { name: 'Add condition' }).click();
    await page.getByLabel('filter field').click();
    await page.keyboard.type('path');
    await page.keyboard.press('Enter');
    await page.getByLabel('value of path').click();
    // The values offered are the server's facets of the field.
    await page.getByText('/cart', { exact: true }).click();
    await settles(
      async () => (await lastQuery()).filters,
      (v) => expect(v).toEqual([{ field: 'path', op: '=', value: '/cart' }]),
    );
    await settles(
      async () => (await result().textContent()) ?? '',
      (v) => expect(v).toContain('view events (1 rows)'),
    );
    await screenshot(page, 'query-editor-builder');

    await page.getByRole('radio', { name: 'Code', exact: true }).check({ force: true });
    await page.getByLabel('filter expression').fill('brwoser = "Chrome"');
    await page.getByLabel('filter expression').blur();
    await settles(
      async () => (await page.locator('text=unknown field').count()) > 0,
      (v) => expect(v).toBe(true),
    );
    await screenshot(page, 'query-editor-error');
  });
});
