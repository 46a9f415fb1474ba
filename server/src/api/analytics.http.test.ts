import { startTestServer, getJson, apiFetch } from '../../../tests/support/server';
import * as M from '@otel-rum/model';
import type { RunningServer } from '../app';
import { MAX_AGGREGATE_GROUPS } from '../store/analytics';
import { sendRumEvents } from '../../../tests/support/rum-events';

let server: RunningServer;
const MIN = 60_000;
const t0 = Date.UTC(2026, 10, 27, 10, 0, 0);
const ns = (ms: number) => `${BigInt(ms) * 1_000_000n}`;

beforeAll(async () => {
  server = await startTestServer({ apps: ['an'] });
  // Two browsers, page views with durations spread over three minutes, and two kinds of error.
  const rec = (ms: number, eventName: string, attrs: Record<string, string | number>) => ({
    timeUnixNano: ns(ms),
    eventName,
    attributes: Object.entries(attrs).map(([key, v]) => ({
      key,
      value: typeof v === 'number' ? { doubleValue: v } : { stringValue: v },
    })),
  });
  const send = async (ua: string, records: unknown[]) => {
    const res = await fetch(server.url + '/v1/logs', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': ua },
      body: JSON.stringify({
        resourceLogs: [
          {
            resource: { attributes: [{ key: 'rum.app.id', value: { stringValue: 'an' } }] },
            scopeLogs: [{ logRecords: records }],
          },
        ],
      }),
    });
    expect(res.status).toBe(200);
  };
  const chrome =
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
  const firefox = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';
  const views = (sid: string, durations: number[]) =>
    durations.map((d, i) =>
      rec(t0 + i * MIN + 1000, 'rum.view', {
        'session.id': sid,
        'rum.view.id': `${sid}-v${i}`,
        'url.full': `https://shop.test/p${i}`,
        'rum.view.time_spent_ms': d,
      }),
    );
  await send(chrome, [
    ...views('c', [100, 200, 300]),
    rec(t0 + 5000, 'exception', {
      'session.id': 'c',
      'exception.type': 'TypeError',
      'exception.message': 'x is undefined',
    }),
  ]);
  await send(firefox, [
    ...views('f', [1000, 2000]),
    rec(t0 + 6000, 'exception', {
      'session.id': 'f',
      'exception.type': 'RangeError',
      'exception.message': 'bad length 3',
      'exception.stacktrace':
        'RangeError: bad length 3\n    at check (https://shop.example/app.js:10:5)\n    at run (https://cdn.jsdelivr.net/npm/lib@1/lib.js:1:2)',
    }),
  ]);
});
afterAll(() => server.close());

const range = `from=${t0}&to=${t0 + 3 * MIN}`;

describe('facets', () => {
  it('gives top values with counts for a dimension', async () => {
    const r = await getJson(server.url, `/api/v1/facets?app_id=an&kind=view&field=browser&${range}`);
    expect(r.values).toEqual([
      { value: 'Chrome', count: 3 },
      { value: 'Firefox', count: 2 },
    ]);
    const attr = await getJson(server.url, `/api/v1/facets?app_id=an&kind=error&field=attr.exception.type`);
    expect(attr.values.map((v: { value: string }) => v.value).sort()).toEqual(['RangeError', 'TypeError']);
  });

  it('refuses an unknown field, naming the known ones', async () => {
    const res = await apiFetch(server.url, `/api/v1/facets?field=colour`);
    expect(res.status).toBe(400);
    expect((await res.json()).error).toContain('unknown field "colour"; known:');
  });
});

describe('aggregates', () => {
  it('counts per interval', async () => {
    const r = await getJson(server.url, `/api/v1/aggregate?app_id=an&kind=view&interval=1m&${range}`);
    expect(r.series).toHaveLength(1);
    expect(r.series[0].points).toEqual([
      [new Date(t0).toISOString(), 2],
      [new Date(t0 + MIN).toISOString(), 2],
      [new Date(t0 + 2 * MIN).toISOString(), 1],
    ]);
  });

  it('computes percentiles of a numeric field grouped by a dimension', async () => {
    const r = await getJson(
      server.url,
      `/api/v1/aggregate?app_id=an&kind=view&aggregation=p50&field=duration&interval=1h&group_by=browser&${range}`,
    );
    const byBrowser = Object.fromEntries(
      r.series.map((s: { group: { browser: string }; points: [string, number][] }) => [
        s.group.browser,
        s.points[0]![1],
      ]),
    );
    expect(byBrowser).toEqual({ Chrome: 200, Firefox: 1500 });
  });

  it('keeps the groups with the most events, and only buckets where the field has values', async () => {
    const s = await startTestServer({ apps: ['groups'] });
    try {
      // Paths p0..p21: path pN has N + 1 resources; durations only on the later minute.
      const events = Array.from({ length: MAX_AGGREGATE_GROUPS + 2 }, (_, n) =>
        Array.from({ length: n + 1 }, (_, k) => ({
          eventName: M.EventName.RESOURCE,
          timeMs: t0 + (k === 0 ? 0 : MIN),
          attributes: {
            [M.SESSION_ID]: 'g1',
            [M.URL_FULL]: `https://api.test/p${n}`,
            ...(k === 0 ? {} : { [M.RUM_RESOURCE_DURATION]: 10 * n }),
          },
        })),
      ).flat();
      await sendRumEvents(s.url, 'groups', events);
      const counts = await getJson(
        s.url,
        `/api/v1/aggregate?app_id=groups&kind=resource&interval=1m&group_by=path&${range}`,
      );
      const paths = counts.series.map((x: { group: { path: string } }) => x.group.path).sort();
      expect(paths).toHaveLength(MAX_AGGREGATE_GROUPS);
      expect(paths).not.toContain('/p0');
      expect(paths).not.toContain('/p1');
      const p21 = counts.series.find((x: { group: { path: string } }) => x.group.path === '/p21');
      expect(p21.points).toEqual([
        [new Date(t0).toISOString(), 1],
        [new Date(t0 + MIN).toISOString(), 21],
      ]);
      const avg = await getJson(
        s.url,
        `/api/v1/aggregate?app_id=groups&kind=resource&aggregation=avg&field=duration&interval=1m&group_by=path&${range}`,
      );
      const p5 = avg.series.find((x: { group: { path: string } }) => x.group.path === '/p5');
      expect(p5.points).toEqual([[new Date(t0 + MIN).toISOString(), 50]]);
    } finally {
      await s.close();
    }
  });

  it('refuses too many buckets and unknown aggregations', async () => {
    const many = await apiFetch(server.url, `/api/v1/aggregate?interval=1s&from=0&to=${t0}`);
    expect(many.status).toBe(400);
    expect((await many.json()).error).toContain('widen the interval');
    const bad = await apiFetch(server.url, `/api/v1/aggregate?aggregation=median`);
    expect(bad.status).toBe(400);
  });
});

describe('issues workflow', () => {
  it('resolves an issue, and reopens it when the error comes back', async () => {
    const issues = await getJson(server.url, '/api/v1/issues?app_id=an');
    const typeError = issues.items.find((i: { type: string }) => i.type === 'TypeError');
    expect(typeError.status).toBe('open');
    const patch = (status: string) =>
      apiFetch(server.url, `/api/v1/issues/${typeError.fingerprint}?app_id=an`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ status }),
      });
    const resolved = await patch('resolved');
    expect(resolved.status).toBe(200);
    expect(await resolved.json()).toMatchObject({ status: 'resolved', regressed: false });
    expect((await getJson(server.url, '/api/v1/issues?app_id=an&status=resolved')).items).toHaveLength(1);

    await fetch(server.url + '/v1/logs', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        resourceLogs: [
          {
            resource: { attributes: [{ key: 'rum.app.id', value: { stringValue: 'an' } }] },
            scopeLogs: [
              {
                logRecords: [
                  {
                    timeUnixNano: ns(Date.now() + 1000),
                    eventName: 'exception',
                    attributes: [
                      { key: 'exception.type', value: { stringValue: 'TypeError' } },
                      { key: 'exception.message', value: { stringValue: 'x is undefined' } },
                    ],
                  },
                ],
              },
            ],
          },
        ],
      }),
    });
    const again = await getJson(server.url, '/api/v1/issues?app_id=an');
    expect(
      again.items.find((i: { fingerprint: string }) => i.fingerprint === typeError.fingerprint),
    ).toMatchObject({
      status: 'open',
      regressed: true,
      count: 2,
    });
    expect((await patch('closed')).status).toBe(400);
    const missing = await apiFetch(server.url, `/api/v1/issues/ffff?app_id=an`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'ignored' }),
    });
    expect(missing.status).toBe(404);
  });
});

describe('details', () => {
  it('answers one issue with its occurrences, and one event by id', async () => {
    const issues = await getJson(server.url, '/api/v1/issues?app_id=an');
    const one = issues.items.find((i: { type: string }) => i.type === 'RangeError');
    const issue = await getJson(server.url, `/api/v1/issues/${one.fingerprint}?app_id=an`);
    expect(issue).toMatchObject({ fingerprint: one.fingerprint, type: 'RangeError', count: 1 });
    // Its latest stack, each frame marked by the rule that grouped it.
    expect(issue.frames).toEqual([
      { function: 'check', file: 'https://shop.example/app.js', line: 10, column: 5, inApp: true },
      {
        function: 'run',
        file: 'https://cdn.jsdelivr.net/npm/lib@1/lib.js',
        line: 1,
        column: 2,
        inApp: false,
      },
    ]);
    const occurrences = await getJson(server.url, issue.occurrences);
    expect(occurrences.items).toHaveLength(1);
    const event = await getJson(server.url, `/api/v1/events/${occurrences.items[0].id}`);
    expect(event).toMatchObject({ kind: 'error', label: 'bad length 3', fingerprint: one.fingerprint });
    expect((await fetch(`${server.url}/api/v1/events/nope`)).status).toBeGreaterThanOrEqual(400);
  });
});

describe('type', () => {
  it('keeps the sort of each event in a column: issues and facets read it', async () => {
    const facet = await getJson(server.url, '/api/v1/facets?app_id=an&kind=error&field=type');
    expect(facet.values.map((v: { value: string }) => v.value).sort()).toEqual(['RangeError', 'TypeError']);
    const views = await getJson(
      server.url,
      '/api/v1/views?app_id=an&filter=' + encodeURIComponent('type = "route_change"'),
    );
    expect(views.items).toEqual([]);
  });
});
