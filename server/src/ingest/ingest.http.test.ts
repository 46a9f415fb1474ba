import { gzipSync } from 'node:zlib';
import { MAX_EVENTS_PER_REQUEST } from '@otel-rum/model';
import { startTestServer, getJson, apiFetch } from '../../../tests/support/server';
import type { RunningServer } from '../app';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const proto = require('@opentelemetry/otlp-transformer/build/src/generated/root').opentelemetry.proto
  .collector;

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer({
    maxBodyBytes: 256 * 1024,
    maxDecompressedBytes: 1024 * 1024,
    apps: ['app_json', 'app_pb', 'app_partial', 'app_tr', 'app_m', 'app_page'],
  });
});
afterAll(() => server.close());

const s = (v: string) => ({ stringValue: v });
const kv = (o: Record<string, unknown>) =>
  Object.entries(o).map(([key, v]) => ({
    key,
    value: typeof v === 'string' ? s(v) : typeof v === 'boolean' ? { boolValue: v } : { doubleValue: v },
  }));
const nowNs = () => `${BigInt(Date.now()) * 1_000_000n}`;

function logs(appId: string | null, records: { eventName?: string; attrs: Record<string, unknown> }[]) {
  return {
    resourceLogs: [
      {
        resource: {
          attributes: kv(
            appId ? { 'rum.app.id': appId, 'service.name': 'shop' } : { 'service.name': 'shop' },
          ),
        },
        scopeLogs: [
          {
            scope: { name: 'test' },
            logRecords: records.map((r) => ({
              timeUnixNano: nowNs(),
              eventName: r.eventName,
              attributes: kv(r.attrs),
            })),
          },
        ],
      },
    ],
  };
}

async function post(path: string, body: Buffer | string, headers: Record<string, string>) {
  const res = await fetch(server.url + path, { method: 'POST', body, headers });
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}

describe('OTLP/HTTP ingest', () => {
  it('accepts OTLP/JSON logs and answers with an empty export response', async () => {
    const r = await post(
      '/v1/logs',
      JSON.stringify(
        logs('app_json', [
          { eventName: 'exception', attrs: { 'session.id': 'sj', 'exception.message': 'boom' } },
        ]),
      ),
      { 'content-type': 'application/json' },
    );
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body.toString())).toEqual({});
    const errors = await getJson(server.url, '/api/v1/errors?app_id=app_json');
    expect(errors.items).toHaveLength(1);
    expect(errors.items[0]).toMatchObject({
      kind: 'error',
      sessionId: 'sj',
      label: 'boom',
      serviceName: 'shop',
    });
  });

  it('accepts protobuf, gzip-compressed, with the event name carried in the LogRecord field', async () => {
    const Req = proto.logs.v1.ExportLogsServiceRequest;
    const msg = Req.fromObject(
      logs('app_pb', [
        {
          eventName: 'rum.view',
          attrs: { 'session.id': 'sp', 'rum.view.id': 'v1', 'url.full': 'https://shop.test/cart?x=1' },
        },
      ]),
    );
    const r = await post('/v1/logs', gzipSync(Req.encode(msg).finish()), {
      'content-type': 'application/x-protobuf',
      'content-encoding': 'gzip',
    });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/x-protobuf');
    expect(proto.logs.v1.ExportLogsServiceResponse.decode(r.body).partialSuccess).toBeFalsy();
    const views = await getJson(server.url, '/api/v1/views?app_id=app_pb');
    expect(views.items[0]).toMatchObject({ viewId: 'v1', path: '/cart', sessionId: 'sp' });
  });

  it('answers partial success naming the records it rejected, and keeps the rest', async () => {
    const r = await post(
      '/v1/logs',
      JSON.stringify(
        logs('app_partial', [
          { eventName: 'rum.action', attrs: { 'session.id': 'x', 'rum.action.name': 'buy' } },
          { eventName: 'app.custom', attrs: {} },
        ]),
      ),
      { 'content-type': 'application/json' },
    );
    expect(r.status).toBe(200);
    const body = JSON.parse(r.body.toString());
    expect(body.partialSuccess.rejectedLogRecords).toBe(1);
    expect(body.partialSuccess.errorMessage).toContain('"app.custom" is not a RUM event');
    expect((await getJson(server.url, '/api/v1/actions?app_id=app_partial')).items).toHaveLength(1);
  });

  it('rejects RUM records without an application id, saying which attribute is missing', async () => {
    const r = await post('/v1/logs', JSON.stringify(logs(null, [{ eventName: 'exception', attrs: {} }])), {
      'content-type': 'application/json',
    });
    expect(JSON.parse(r.body.toString()).partialSuccess).toMatchObject({
      rejectedLogRecords: 1,
      errorMessage: expect.stringContaining('rum.app.id is missing'),
    });
  });

  it('refuses an unsupported content type with 415', async () => {
    const r = await post('/v1/logs', 'hello', { 'content-type': 'text/plain' });
    expect(r.status).toBe(415);
    expect(JSON.parse(r.body.toString()).error).toContain('text/plain');
  });

  it('refuses malformed JSON and malformed protobuf with 400', async () => {
    const j = await post('/v1/traces', '{"resourceSpans": 3}', { 'content-type': 'application/json' });
    expect(j.status).toBe(400);
    expect(JSON.parse(j.body.toString()).error).toContain('"resourceSpans" must be an array');
    const p = await post('/v1/traces', Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f]), {
      'content-type': 'application/x-protobuf',
    });
    expect(p.status).toBe(400);
    expect(JSON.parse(p.body.toString()).error).toContain('malformed OTLP protobuf');
  });

  it('refuses a body over the limit with 413, and a gzip bomb once it inflates past the limit', async () => {
    const big = await post('/v1/logs', Buffer.alloc(300 * 1024, 32), { 'content-type': 'application/json' });
    expect(big.status).toBe(413);
    expect(JSON.parse(big.body.toString()).error).toMatch(/over the limit of 262144 bytes/);
    const bomb = gzipSync(Buffer.alloc(8 * 1024 * 1024, 32));
    expect(bomb.length).toBeLessThan(256 * 1024);
    const r = await post('/v1/logs', bomb, {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    });
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body.toString()).error).toContain('decompressed body');
  });

  it('refuses a request holding more records than the per-request limit', async () => {
    const records = Array.from({ length: MAX_EVENTS_PER_REQUEST + 1 }, () => ({
      eventName: 'rum.action',
      attrs: {},
    }));
    const big = await startTestServer({ apps: ['app_many'] });
    try {
      const res = await fetch(big.url + '/v1/logs', {
        method: 'POST',
        body: JSON.stringify(logs('app_many', records)),
        headers: { 'content-type': 'application/json' },
      });
      expect(res.status).toBe(413);
      expect((await res.json()).error).toContain(`limit of ${MAX_EVENTS_PER_REQUEST} per request`);
    } finally {
      await big.close();
    }
  });

  it('keeps every span and answers a trace query with browser and backend spans', async () => {
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const span = (spanId: string, parent: string, name: string, service: string) => ({
      resource: {
        attributes: kv(
          service === 'web' ? { 'rum.app.id': 'app_tr', 'service.name': 'web' } : { 'service.name': service },
        ),
      },
      scopeSpans: [
        {
          scope: {
            name:
              service === 'web'
                ? '@opentelemetry/instrumentation-fetch'
                : '@opentelemetry/instrumentation-http',
          },
          spans: [
            {
              traceId,
              spanId,
              parentSpanId: parent,
              name,
              kind: service === 'web' ? 3 : 2,
              startTimeUnixNano: nowNs(),
              endTimeUnixNano: `${BigInt(nowNs()) + 5_000_000n}`,
              attributes: kv({ 'http.url': 'https://api.test/items', 'http.status_code': 200 }),
            },
          ],
        },
      ],
    });
    const r = await post(
      '/v1/traces',
      JSON.stringify({
        resourceSpans: [
          span('b7ad6b7169203331', '', 'HTTP GET', 'web'),
          span('00f067aa0ba902b7', 'b7ad6b7169203331', 'GET /items', 'api'),
        ],
      }),
      { 'content-type': 'application/json' },
    );
    expect(r.status).toBe(200);
    const trace = await getJson(server.url, `/api/v1/traces/${traceId}`);
    expect(trace.spans.map((x: { serviceName: string }) => x.serviceName).sort()).toEqual(['api', 'web']);
    const resources = await getJson(server.url, `/api/v1/resources?trace_id=${traceId}`);
    expect(resources.items).toHaveLength(1);
    expect(resources.items[0]).toMatchObject({ url: 'https://api.test/items', status: 200, appId: 'app_tr' });
  });

  it('stores metric points', async () => {
    const r = await post(
      '/v1/metrics',
      JSON.stringify({
        resourceMetrics: [
          {
            resource: { attributes: kv({ 'rum.app.id': 'app_m' }) },
            scopeMetrics: [
              {
                metrics: [
                  { name: 'cart.size', gauge: { dataPoints: [{ timeUnixNano: nowNs(), asInt: '3' }] } },
                ],
              },
            ],
          },
        ],
      }),
      { 'content-type': 'application/json' },
    );
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body.toString())).toEqual({});
  });
});

describe('client address behind the gateway', () => {
  it('takes the browser address the gateway names in client.address, for the country and derived sessions', async () => {
    const s = await startTestServer({ apps: ['app_gw'] });
    try {
      for (const address of ['81.2.69.160', '8.8.8.8']) {
        const body = logs('app_gw', [{ eventName: 'exception', attrs: { 'exception.message': 'x' } }]);
        body.resourceLogs[0]!.resource.attributes.push(...kv({ 'client.address': address }));
        const res = await fetch(`${s.url}/v1/logs`, {
          method: 'POST',
          body: JSON.stringify(body),
          headers: { 'content-type': 'application/json' },
        });
        expect(res.status).toBe(200);
      }
      const sessions = await getJson(s.url, '/api/v1/sessions?app_id=app_gw');
      expect(sessions.items.map((x: { country: string }) => x.country).sort()).toEqual(['GB', 'US']);
      for (const x of sessions.items) expect(x.sessionId).toMatch(/^derived-/);
    } finally {
      await s.close();
    }
  });
});

describe('health and API surface', () => {
  it('answers health, readiness and the OpenAPI document', async () => {
    expect((await getJson(server.url, '/healthz')).status).toBe('ok');
    expect((await getJson(server.url, '/readyz')).status).toBe('ready');
    const doc = await getJson(server.url, '/api/v1/openapi.json');
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/v1/logs', '/api/v1/sessions', '/api/v1/errors']),
    );
  });

  it('answers 404 and 405 with reasons, and refuses unknown query parameters', async () => {
    const nf = await fetch(server.url + '/nope');
    expect(nf.status).toBe(404);
    const na = await fetch(server.url + '/v1/logs');
    expect(na.status).toBe(405);
    const bad = await apiFetch(server.url, '/api/v1/sessions?ap_id=x');
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toContain('unknown query parameter "ap_id"');
  });

  it('pages through a list with cursors, without gaps or repeats', async () => {
    const records = Array.from({ length: 25 }, (_, i) => ({
      eventName: 'rum.action',
      attrs: { 'session.id': 'pg', 'rum.action.name': `a${i}` },
    }));
    await post('/v1/logs', JSON.stringify(logs('app_page', records)), { 'content-type': 'application/json' });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { label: string }[]; nextCursor: string | null } = await getJson(
        server.url,
        `/api/v1/actions?app_id=app_page&limit=10${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...page.items.map((i) => i.label));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(25);
    expect(new Set(seen).size).toBe(25);
  });
});
