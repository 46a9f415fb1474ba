/*
 * The Faro receiver over real HTTP: which application a Faro payload is for, what is refused and why.
 * The payloads have the shape Faro 2.12's fetch transport posts (see tests/sources/faro.test.ts for
 * the real SDK in Chromium).
 */
import { FARO_COLLECT_PATH } from '@otel-rum/model';
import { startTestServer, getJson, eventually, type TestServer } from '../../../../tests/support/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({
    demo: false,
    apps: ['shop', { appId: 'checkout', allowedOrigins: ['https://checkout.test'] }],
  });
});
afterAll(() => server.close());

const now = () => new Date().toISOString();

function payload(appName: string, sessionId: string) {
  return {
    meta: {
      sdk: { name: 'faro-web', version: '2.12.1' },
      app: { name: appName, version: '3.1.0', environment: 'production' },
      user: { id: 'u-7' },
      session: { id: sessionId },
      page: { url: 'https://shop.test/basket?x=1' },
      view: { name: 'basket' },
      browser: {
        name: 'Firefox',
        version: '140',
        os: 'Linux',
        userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0',
        mobile: false,
      },
    },
    events: [
      {
        name: 'view_changed',
        domain: 'browser',
        attributes: { fromView: 'home', toView: 'basket' },
        timestamp: now(),
      },
    ],
    measurements: [
      {
        type: 'web-vitals',
        values: { lcp: 812.5, delta: 812.5 },
        context: { rating: 'good', id: 'v6-1' },
        timestamp: now(),
      },
    ],
    exceptions: [
      {
        type: 'RangeError',
        value: 'quantity out of range',
        timestamp: now(),
        stacktrace: {
          frames: [
            {
              filename: 'https://shop.test/assets/app.1a2b3c4d.js',
              function: 'addItem',
              lineno: 10,
              colno: 3,
            },
          ],
        },
      },
    ],
    logs: [{ message: 'basket opened', level: 'info', timestamp: now() }],
  };
}

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(server.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return {
    status: res.status,
    body: (await res.json()) as { rejected?: number; errorMessage?: string; error?: string },
  };
}

it('takes the application from the collect path, and maps session, view, user, version and error', async () => {
  const res = await post(`${FARO_COLLECT_PATH}/shop`, payload('shop-frontend', 'faro-s1'));
  expect(res.status).toBe(202);
  // The info log is not a RUM event: refused and said so, the rest is stored.
  expect(res.body).toEqual({
    rejected: 1,
    errorMessage: expect.stringContaining('Faro log at severity INFO is not a RUM event'),
  });
  const errors = await eventually(async () => {
    const items = (await getJson(server.url, '/api/v1/errors?app_id=shop')).items;
    return items.length === 1 ? items : undefined;
  });
  expect(errors[0]).toMatchObject({
    sessionId: 'faro-s1',
    userId: 'u-7',
    serviceName: 'shop-frontend',
    serviceVersion: '3.1.0',
    environment: 'production',
    label: 'quantity out of range',
    url: 'https://shop.test/basket?x=1',
    source: 'faro',
  });
  expect(errors[0].attributes['exception.stacktrace']).toBe(
    'RangeError: quantity out of range\n    at addItem (https://shop.test/assets/app.1a2b3c4d.js:10:3)',
  );
  const views = (await getJson(server.url, '/api/v1/views?app_id=shop')).items;
  expect(views.map((v: { label: string; viewId: string }) => [v.label, v.viewId])).toEqual([
    ['basket', errors[0].viewId],
  ]);
  const vitals = (await getJson(server.url, '/api/v1/web-vitals?app_id=shop')).items;
  expect(vitals.map((v: { label: string; value: number }) => [v.label, v.value])).toEqual([['lcp', 812.5]]);
});

it('without a key in the path, takes Faro’s app name as the application id', async () => {
  const res = await post(FARO_COLLECT_PATH, { ...payload('shop', 'faro-s2'), logs: [] });
  expect(res).toEqual({ status: 202, body: { rejected: 0, errorMessage: '' } });
});

it('refuses unknown applications, other origins and malformed payloads, naming what is wrong', async () => {
  expect(await post(`${FARO_COLLECT_PATH}/nope`, payload('shop', 's3'))).toEqual({
    status: 403,
    body: { error: expect.stringContaining('application "nope" is not registered') },
  });
  expect(await post(FARO_COLLECT_PATH, payload('shop-frontend', 's3'))).toEqual({
    status: 403,
    body: { error: expect.stringContaining('application "shop-frontend" is not registered') },
  });
  expect(
    await post(`${FARO_COLLECT_PATH}/checkout`, payload('x', 's3'), { origin: 'https://evil.test' }),
  ).toEqual({
    status: 403,
    body: { error: expect.stringContaining('origin "https://evil.test" is not allowed') },
  });
  expect(await post(`${FARO_COLLECT_PATH}/shop`, '{"meta": 1}')).toEqual({
    status: 400,
    body: { error: 'malformed Faro payload: "meta" must be an object' },
  });
  expect(await post(`${FARO_COLLECT_PATH}/shop`, { meta: {}, events: {} })).toEqual({
    status: 400,
    body: { error: 'malformed Faro payload: "events" must be an array' },
  });
  expect((await post(`${FARO_COLLECT_PATH}/shop`, 'not json')).status).toBe(400);
});

it('takes Faro’s OTLP transport at the collect path, and at /v1/logs by its service.name', async () => {
  const record = {
    timeUnixNano: String(BigInt(Date.now()) * 1_000_000n),
    attributes: [
      { key: 'session.id', value: { stringValue: 'faro-otlp-1' } },
      { key: 'url.full', value: { stringValue: 'https://shop.test/' } },
      { key: 'event.name', value: { stringValue: 'session_start' } },
    ],
  };
  const logs = (serviceName: string) => ({
    resourceLogs: [
      {
        resource: {
          attributes: [
            { key: 'service.name', value: { stringValue: serviceName } },
            { key: 'telemetry.sdk.name', value: { stringValue: 'faro-web' } },
          ],
        },
        scopeLogs: [{ scope: { name: '@grafana/faro-web-sdk' }, logRecords: [record] }],
      },
    ],
  });
  const viaPath = await post(`${FARO_COLLECT_PATH}/shop/v1/logs`, logs('shop-frontend'));
  expect(viaPath).toEqual({ status: 200, body: {} });
  const viaName = await post('/v1/logs', logs('shop'));
  expect(viaName).toEqual({ status: 200, body: {} });
  const unknown = await post('/v1/logs', logs('shop-frontend'));
  expect(unknown).toEqual({
    status: 403,
    body: { error: expect.stringContaining('application "shop-frontend" is not registered') },
  });
  // Both records are in the application "shop", as the session Faro named.
  await eventually(async () => {
    const items = (await getJson(server.url, '/api/v1/sessions?app_id=shop')).items;
    return items.find(
      (s: { sessionId: string; eventCount: number }) => s.sessionId === 'faro-otlp-1' && s.eventCount === 2,
    );
  });
});

it('leaves a sender’s own export requests out of the resources, for every source', async () => {
  const resource = (url: string) => ({
    eventName: 'rum.resource',
    timeUnixNano: String(BigInt(Date.now()) * 1_000_000n),
    attributes: [
      { key: 'session.id', value: { stringValue: 'own-requests' } },
      { key: 'url.full', value: { stringValue: url } },
      { key: 'rum.resource.type', value: { stringValue: 'fetch' } },
    ],
  });
  const urls = [
    'https://rum.example.com/v1/logs',
    'https://gateway.example.com/otlp/v1/traces',
    'https://rum.example.com/collect/shop',
    'https://rum.example.com/collect',
    'https://shop.test/api/items',
    'https://shop.test/collect/shop/items',
  ];
  const res = await post('/v1/logs', {
    resourceLogs: [
      {
        resource: { attributes: [{ key: 'rum.app.id', value: { stringValue: 'shop' } }] },
        scopeLogs: [{ logRecords: urls.map(resource) }],
      },
    ],
  });
  expect(res.status).toBe(200);
  const kept = await eventually(async () => {
    const items = (await getJson(server.url, '/api/v1/resources?app_id=shop&session_id=own-requests')).items;
    return items.length > 0 ? items : undefined;
  });
  expect(kept.map((r: { url: string }) => r.url).sort()).toEqual([
    'https://shop.test/api/items',
    'https://shop.test/collect/shop/items',
  ]);
});
