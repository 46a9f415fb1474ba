import { startTestServer, getJson, type TestServer } from '../../../tests/support/server';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const proto = require('@opentelemetry/otlp-transformer/build/src/generated/root').opentelemetry.proto
  .collector;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({
    demo: false,
    apps: [
      { appId: 'shop', allowedOrigins: ['https://shop.test', 'https://*.cdn.test'] },
      { appId: 'blog', allowedOrigins: ['https://blog.test'] },
      { appId: 'mobile', type: 'android', allowedOrigins: [] },
      { appId: 'own_page', allowedOrigins: ['self'] },
      { appId: 'tiny', allowedOrigins: [], rateLimit: { eventsPerSecond: 2, burst: 3 } },
    ],
  });
});
afterAll(() => server.close());

const kv = (o: Record<string, string>) =>
  Object.entries(o).map(([key, v]) => ({ key, value: { stringValue: v } }));

function resource(appId: string | null, n: number, eventName = 'rum.action') {
  return {
    resource: { attributes: kv(appId ? { 'rum.app.id': appId } : { 'service.name': 'api' }) },
    scopeLogs: [
      {
        logRecords: Array.from({ length: n }, (_, i) => ({
          eventName,
          attributes: kv({ 'session.id': `s-${appId}`, 'rum.action.name': `a${i}` }),
        })),
      },
    ],
  };
}

async function send(resources: unknown[], headers: Record<string, string> = {}) {
  const res = await fetch(server.url + '/v1/logs', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ resourceLogs: resources }),
  });
  return { status: res.status, headers: res.headers, body: await res.json() };
}

function backendSpans(traceId: string) {
  const now = BigInt(Date.now()) * 1_000_000n;
  return {
    resourceSpans: [
      {
        resource: { attributes: kv({ 'service.name': 'checkout-api' }) },
        scopeSpans: [
          {
            spans: [
              {
                traceId,
                spanId: '00f067aa0ba902b7',
                name: 'POST /pay',
                kind: 2,
                startTimeUnixNano: `${now}`,
                endTimeUnixNano: `${now + 3_000_000n}`,
              },
            ],
          },
        ],
      },
    ],
  };
}

describe('ingest admission: registered applications', () => {
  it('refuses a request whose records all name unregistered applications with 403 naming them', async () => {
    const r = await send([resource('nobody', 2), resource('ghost', 1)]);
    expect(r.status).toBe(403);
    expect(r.body.error).toBe(
      '2 rejected: application "nobody" is not registered (register it with POST /api/v1/apps); ' +
        '1 rejected: application "ghost" is not registered (register it with POST /api/v1/apps)',
    );
  });

  it('keeps the records of registered applications and names the others in partial success', async () => {
    const r = await send([resource('mobile', 2), resource('nobody', 3)]);
    expect(r.status).toBe(200);
    expect(r.body.partialSuccess).toEqual({
      rejectedLogRecords: 3,
      errorMessage: '3 rejected: application "nobody" is not registered (register it with POST /api/v1/apps)',
    });
    expect((await getJson(server.url, '/api/v1/actions?app_id=mobile')).items).toHaveLength(2);
    expect((await getJson(server.url, '/api/v1/actions?app_id=nobody')).items).toHaveLength(0);
  });

  it('refuses unknown applications in protobuf too, answering in protobuf when it accepts', async () => {
    const Req = proto.logs.v1.ExportLogsServiceRequest;
    const body = Req.encode(Req.fromObject({ resourceLogs: [resource('ghost', 1)] })).finish();
    const res = await fetch(server.url + '/v1/logs', {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body,
    });
    expect(res.status).toBe(403);
    expect((await res.json()).error).toContain('"ghost" is not registered');
    const mixed = Req.encode(
      Req.fromObject({ resourceLogs: [resource('mobile', 1), resource('ghost', 2)] }),
    ).finish();
    const ok = await fetch(server.url + '/v1/logs', {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body: mixed,
    });
    expect(ok.status).toBe(200);
    const decoded = proto.logs.v1.ExportLogsServiceResponse.decode(Buffer.from(await ok.arrayBuffer()));
    expect(Number(decoded.partialSuccess.rejectedLogRecords)).toBe(2);
  });

  it('accepts backend spans, which name no application, so that traces show the backend side', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const res = await fetch(server.url + '/v1/traces', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(backendSpans(traceId)),
    });
    expect(res.status).toBe(200);
    const trace = await getJson(server.url, `/api/v1/traces/${traceId}`);
    expect(trace.spans).toEqual([expect.objectContaining({ serviceName: 'checkout-api', appId: null })]);
  });
});

describe('ingest admission: origins and CORS', () => {
  const preflight = (origin: string, path = '/v1/logs') =>
    fetch(server.url + path, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });

  it('passes a preflight from an origin some application allows, and refuses others with 403', async () => {
    for (const origin of ['https://shop.test', 'https://blog.test', 'https://img.cdn.test']) {
      const ok = await preflight(origin);
      expect(ok.status).toBe(204);
      expect(ok.headers.get('access-control-allow-origin')).toBe(origin);
      expect(ok.headers.get('access-control-allow-headers')).toContain('Content-Type');
    }
    const bad = await preflight('https://evil.test');
    expect(bad.status).toBe(403);
    expect((await bad.json()).error).toContain('origin https://evil.test is not allowed');
    expect((await preflight('https://cdn.test')).status).toBe(403);
    // The API is not opened to application origins.
    expect((await preflight('https://shop.test', '/api/v1/sessions')).status).toBe(403);
  });

  it("refuses a browser's POST for an application that does not allow its page (403), accepts the allowed one", async () => {
    const wrong = await send([resource('blog', 1)], { origin: 'https://shop.test' });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error).toContain('origin "https://shop.test" is not allowed for application "blog"');
    expect(wrong.headers.get('access-control-allow-origin')).toBe('https://shop.test');
    const right = await send([resource('shop', 1)], { origin: 'https://shop.test' });
    expect(right.status).toBe(200);
    expect(right.headers.get('access-control-allow-origin')).toBe('https://shop.test');
    const wildcard = await send([resource('shop', 1)], { origin: 'https://static.cdn.test' });
    expect(wildcard.status).toBe(200);
    // An application with no allowed origins takes data only from senders that are not browsers.
    expect((await send([resource('mobile', 1)], { origin: 'https://shop.test' })).status).toBe(403);
    expect((await send([resource('mobile', 1)])).status).toBe(200);
  });

  it("allows 'self': pages served by this server, under whatever host name reached it", async () => {
    const host = new URL(server.url).host;
    const own = await send([resource('own_page', 1)], { origin: `http://${host}` });
    expect(own.status).toBe(200);
    const other = await send([resource('own_page', 1)], { origin: 'http://elsewhere.test' });
    expect(other.status).toBe(403);
  });

  it('refuses records without an application id from a page no application allows', async () => {
    const res = await fetch(server.url + '/v1/traces', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.test' },
      body: JSON.stringify(backendSpans('5bf92f3577b34da6a3ce929d0e0e4736')),
    });
    expect(res.status).toBe(403);
    expect((await res.json()).error).toContain(
      'origin "https://evil.test" is not allowed by any application',
    );
  });

  it('lets the global corsOrigins setting allow an origin for every application', async () => {
    const open = await startTestServer({ demo: false, corsOrigins: ['https://portal.test'], apps: [] });
    try {
      await fetch(open.url + '/api/v1/apps', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${open.token}` },
        body: JSON.stringify({ appId: 'closed', name: 'Closed', type: 'web' }),
      });
      const res = await fetch(open.url + '/v1/logs', {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'https://portal.test' },
        body: JSON.stringify({ resourceLogs: [resource('closed', 1)] }),
      });
      expect(res.status).toBe(200);
      const api = await fetch(open.url + '/api/v1/sessions', {
        method: 'OPTIONS',
        headers: { origin: 'https://portal.test', 'access-control-request-method': 'GET' },
      });
      expect(api.status).toBe(204);
    } finally {
      await open.close();
    }
  });
});

describe('ingest admission: rate limits', () => {
  it('answers 429 with Retry-After when an application is over its limit, taking nothing from that request', async () => {
    expect((await send([resource('tiny', 3)])).status).toBe(200);
    const over = await send([resource('tiny', 2)]);
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(over.body.error).toContain('rate limit of application "tiny" reached (2 events/s, burst 3)');
    // Other applications are not affected.
    expect((await send([resource('mobile', 1)])).status).toBe(200);
    // A mixed request is refused whole, so the other application's records are not taken either.
    const before = (await getJson(server.url, '/api/v1/actions?app_id=shop&limit=1000')).items.length;
    expect((await send([resource('shop', 1), resource('tiny', 2)])).status).toBe(429);
    expect((await getJson(server.url, '/api/v1/actions?app_id=shop&limit=1000')).items).toHaveLength(before);
    // The bucket refills at its rate.
    await new Promise((r) => setTimeout(r, 1100));
    expect((await send([resource('tiny', 2)])).status).toBe(200);
  });

  it('starts a fresh bucket when the limit of an application changes', async () => {
    await send([resource('tiny', 3)]);
    expect((await send([resource('tiny', 3)])).status).toBe(429);
    await fetch(server.url + '/api/v1/apps/tiny', {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
      body: JSON.stringify({ rateLimit: { eventsPerSecond: 100, burst: 100 } }),
    });
    expect((await send([resource('tiny', 50)])).status).toBe(200);
  });
});
