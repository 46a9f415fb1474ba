/*
 * Regressions found by the hostile-input fuzzing (tests/reliability/hostile-ingest.test.ts): each of
 * these requests once ended in 500, or in a 503 that also refused the requests committed with it.
 */
import { MAX_ATTRIBUTE_NESTING, MAX_EVENT_TIME_MS } from '@otel-rum/model';
import { startTestServer, getJson } from '../../../../tests/support/server';
import type { TestServer } from '../../../../tests/support/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ apps: ['hostile'] });
});
afterAll(() => server.close());

const app = { key: 'rum.app.id', value: { stringValue: 'hostile' } };
const now = () => `${BigInt(Date.now()) * 1_000_000n}`;

async function post(path: string, body: unknown) {
  const res = await fetch(server.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as { error?: string; partialSuccess?: unknown } };
}

function nested(depth: number): unknown {
  let v: unknown = { stringValue: 'x' };
  for (let i = 0; i < depth; i++) v = { arrayValue: { values: [v] } };
  return v;
}

const logs = (record: Record<string, unknown>) => ({
  resourceLogs: [{ resource: { attributes: [app] }, scopeLogs: [{ logRecords: [record] }] }],
});

describe('OTLP requests whose structure the mapping cannot walk', () => {
  it('refuses a list sent as another type with 400 naming the field', async () => {
    const r = await post('/v1/logs', { resourceLogs: [{ resource: { attributes: -1 } }] });
    expect(r).toEqual({
      status: 400,
      body: { error: expect.stringContaining('resourceLogs[0].resource.attributes must be a list') },
    });
    const m = await post('/v1/metrics', {
      resourceMetrics: [{ scopeMetrics: [{ metrics: [{ name: 'g', gauge: { dataPoints: false } }] }] }],
    });
    expect(m.status).toBe(400);
    expect(m.body.error).toContain('gauge.dataPoints must be a list');
  });

  it('refuses a null resource entry with 400', async () => {
    const r = await post('/v1/logs', '{"resourceLogs":[null]}');
    expect(r).toEqual({
      status: 400,
      body: { error: expect.stringContaining('resourceLogs[0] must be an object') },
    });
  });

  it(`takes attribute values nested ${MAX_ATTRIBUTE_NESTING} deep and refuses one level more by the limit's name`, async () => {
    const record = (depth: number) =>
      logs({
        timeUnixNano: now(),
        eventName: 'exception',
        attributes: [
          { key: 'session.id', value: { stringValue: `deep${depth}` } },
          { key: 'deep', value: nested(depth) },
        ],
      });
    expect((await post('/v1/logs', record(MAX_ATTRIBUTE_NESTING))).status).toBe(200);
    const over = await post('/v1/logs', record(MAX_ATTRIBUTE_NESTING + 1));
    expect(over.status).toBe(400);
    expect(over.body.error).toContain('MAX_ATTRIBUTE_NESTING');
    // Far deeper than a recursive reader's stack (written as text: JSON.stringify would overflow here).
    const deep = '{"arrayValue":{"values":['.repeat(20_000) + '{"stringValue":"x"}' + ']}}'.repeat(20_000);
    const text = JSON.stringify(record(0)).replace('{"stringValue":"x"}', deep);
    expect((await post('/v1/logs', text)).status).toBe(400);
  });
});

describe('OTLP values no store column can hold', () => {
  it('stores a record whose time is past MAX_EVENT_TIME_MS at the time it was received', async () => {
    const before = Date.now();
    const past = `${(BigInt(MAX_EVENT_TIME_MS) + 1n) * 1_000_000n}`;
    for (const [i, t] of [past, '99999999999999999999999999', 1e308].entries()) {
      const r = await post(
        '/v1/logs',
        logs({
          timeUnixNano: t,
          eventName: 'exception',
          attributes: [{ key: 'session.id', value: { stringValue: `late${i}` } }],
        }),
      );
      expect(r.status).toBe(200);
    }
    const errors = await getJson(
      server.url,
      '/api/v1/errors?app_id=hostile&filter=' + encodeURIComponent('session ~ "late*"'),
    );
    expect(errors.items).toHaveLength(3);
    for (const e of errors.items) expect(Date.parse(e.time)).toBeGreaterThanOrEqual(before - 1000);
  });

  it('stores a span whose kind and status code are out of their enums as unspecified', async () => {
    const r = await post('/v1/traces', {
      resourceSpans: [
        {
          resource: { attributes: [app] },
          scopeSpans: [
            {
              spans: [
                {
                  traceId: '5b8efff798038103d269b633813fc60c',
                  spanId: 'eee19b7ec3c1b174',
                  name: 'odd',
                  kind: 1e308,
                  status: { code: -7 },
                  startTimeUnixNano: now(),
                  endTimeUnixNano: now(),
                },
              ],
            },
          ],
        },
      ],
    });
    expect(r.status).toBe(200);
    const trace = await getJson(server.url, '/api/v1/traces/5b8efff798038103d269b633813fc60c');
    expect(trace.spans[0]).toMatchObject({ name: 'odd', kind: 0, statusCode: 0 });
  });

  it('refuses a metric point whose value is not a finite number, as a partial success', async () => {
    const r = await post('/v1/metrics', {
      resourceMetrics: [
        {
          resource: { attributes: [app] },
          scopeMetrics: [
            {
              metrics: [
                {
                  name: 'g',
                  gauge: {
                    dataPoints: [
                      { timeUnixNano: now(), asDouble: 'NaN' },
                      { timeUnixNano: now(), asDouble: '2.5' },
                    ],
                  },
                },
              ],
            },
          ],
        },
      ],
    });
    expect(r).toEqual({
      status: 200,
      body: {
        partialSuccess: { rejectedDataPoints: 1, errorMessage: expect.stringContaining('without a value') },
      },
    });
  });
});
