import { startTestServer, getJson, apiFetch } from '../../../tests/support/server';
import * as M from '@otel-rum/model';
import { sendRumEvents } from '../../../tests/support/rum-events';
import type { RunningServer } from '../app';

const CHROME_UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer({ apps: ['q'] });
  const rec = (eventName: string, attrs: Record<string, string | number>) => ({
    timeUnixNano: `${BigInt(Date.now()) * 1_000_000n}`,
    eventName,
    attributes: Object.entries(attrs).map(([key, v]) => ({
      key,
      value: typeof v === 'number' ? { doubleValue: v } : { stringValue: v },
    })),
  });
  const chrome = (line: number) =>
    `TypeError: Cannot read properties of undefined (reading 'id')\n    at renderCart (https://shop.test/assets/app.3f2a1b9c.js:${line}:17)`;
  const body = {
    resourceLogs: [
      {
        resource: { attributes: [{ key: 'rum.app.id', value: { stringValue: 'q' } }] },
        scopeLogs: [
          {
            logRecords: [
              rec('exception', {
                'session.id': 's1',
                'exception.type': 'TypeError',
                'exception.message': "Cannot read properties of undefined (reading 'id')",
                'exception.stacktrace': chrome(10),
              }),
              rec('exception', {
                'session.id': 's2',
                'exception.type': 'TypeError',
                'exception.message': "Cannot read properties of undefined (reading 'id')",
                'exception.stacktrace': chrome(12),
              }),
              rec('exception', {
                'session.id': 's2',
                'exception.type': 'RangeError',
                'exception.message': 'Invalid array length 42',
              }),
              rec('rum.resource', {
                'session.id': 's1',
                'url.full': 'https://api.test/checkout/pay',
                'http.response.status_code': 502,
              }),
              rec('rum.resource', {
                'session.id': 's1',
                'url.full': 'https://api.test/items',
                'http.response.status_code': 200,
              }),
            ],
          },
        ],
      },
    ],
  };
  const res = await fetch(server.url + '/v1/logs', {
    method: 'POST',
    body: JSON.stringify(body),
    headers: {
      'content-type': 'application/json',
      'user-agent': CHROME_UA,
      // The server sits behind proxies and collectors: the first X-Forwarded-For hop is the client.
      'x-forwarded-for': '81.2.69.160, 10.0.0.1',
    },
  });
  expect(res.status).toBe(200);
});
afterAll(() => server.close());

describe('query API', () => {
  it('filters lists with the filter language, binding values as parameters', async () => {
    const failed = await getJson(
      server.url,
      `/api/v1/resources?app_id=q&filter=${encodeURIComponent('status >= 500 and path ~ "/checkout*"')}`,
    );
    expect(failed.items.map((i: { url: string }) => i.url)).toEqual(['https://api.test/checkout/pay']);
    const hostile = await getJson(
      server.url,
      `/api/v1/resources?app_id=q&filter=${encodeURIComponent(`url = "x' OR '1'='1"`)}`,
    );
    expect(hostile.items).toEqual([]);
    const sessions = await getJson(
      server.url,
      `/api/v1/sessions?app_id=q&filter=${encodeURIComponent('kind = "error" and attr."exception.type" = "RangeError"')}`,
    );
    expect(sessions.items.map((s: { sessionId: string }) => s.sessionId)).toEqual(['s2']);
  });

  it('derives browser, OS, device and country for sessions and filters on them', async () => {
    const sessions = await getJson(server.url, '/api/v1/sessions?app_id=q');
    expect(sessions.items[0]).toMatchObject({
      browser: 'Chrome',
      os: 'Windows',
      device: 'desktop',
      country: 'GB',
      hasReplay: false,
    });
    const gb = await getJson(
      server.url,
      `/api/v1/errors?app_id=q&filter=${encodeURIComponent('browser = "Chrome" and country = "GB" and not has_replay')}`,
    );
    expect(gb.items).toHaveLength(3);
    const none = await getJson(
      server.url,
      `/api/v1/errors?app_id=q&filter=${encodeURIComponent('country in ("FR", "DE")')}`,
    );
    expect(none.items).toHaveLength(0);
  });

  it('filters sessions on what a session has once from its summary, and on anything else by its events', async () => {
    const list = (filter: string) =>
      getJson(server.url, `/api/v1/sessions?app_id=q&filter=${encodeURIComponent(filter)}`);
    const all = (await getJson(server.url, '/api/v1/sessions?app_id=q')).items.length;
    expect(all).toBeGreaterThan(0);
    expect((await list('browser = "Chrome" and country = "GB" and not has_replay')).items).toHaveLength(all);
    expect((await list('country in ("FR", "DE")')).items).toHaveLength(0);
    const withErrors = await list('browser = "Chrome" and kind = "error"');
    expect(withErrors.items.length).toBeGreaterThan(0);
    expect(withErrors.items.every((s: { errorCount: number }) => s.errorCount > 0)).toBe(true);
    const bad = await apiFetch(server.url, `/api/v1/sessions?filter=${encodeURIComponent('country = ')}`);
    expect(bad.status).toBe(400);
  });

  it('refuses a malformed filter or an unknown field with 400 and the reason', async () => {
    const bad = await apiFetch(server.url, `/api/v1/errors?filter=${encodeURIComponent('status >= ')}`);
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatch(/position/);
    const unknown = await apiFetch(
      server.url,
      `/api/v1/errors?filter=${encodeURIComponent('colour = "red"')}`,
    );
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).error).toContain('colour');
  });

  it('groups errors into issues by fingerprint, across builds and sessions', async () => {
    const issues = await getJson(server.url, '/api/v1/issues?app_id=q');
    expect(issues.items).toHaveLength(2);
    expect(issues.items[0]).toMatchObject({ type: 'TypeError', count: 2, sessions: 2 });
    expect(issues.items[1]).toMatchObject({ type: 'RangeError', count: 1, sessions: 1 });
    const errors = await getJson(
      server.url,
      '/api/v1/errors?app_id=q&filter=' + encodeURIComponent('attr."exception.type" = "TypeError"'),
    );
    expect(new Set(errors.items.map((e: { fingerprint: string }) => e.fingerprint))).toEqual(
      new Set([issues.items[0].fingerprint]),
    );
  });
});

describe('sorting', () => {
  it('sorts by a field in either direction, with missing values last, and pages through in that order', async () => {
    const desc = await getJson(server.url, '/api/v1/resources?app_id=q&sort=-status');
    expect(desc.items.map((i: { status: number }) => i.status)).toEqual([502, 200]);
    const asc = await getJson(server.url, '/api/v1/resources?app_id=q&sort=status&limit=1');
    expect(asc.items[0].status).toBe(200);
    const next = await getJson(
      server.url,
      `/api/v1/resources?app_id=q&sort=status&limit=1&cursor=${asc.nextCursor}`,
    );
    expect(next.items[0].status).toBe(502);
    expect(next.nextCursor).toBeNull();
    const sessions = await getJson(server.url, '/api/v1/sessions?app_id=q&sort=-errors');
    expect(sessions.items.map((s: { sessionId: string }) => s.sessionId)).toEqual(['s2', 's1']);
  });

  it('pages through rows whose sort value is missing, without gaps or repeats', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: string; durationMs: number | null }[]; nextCursor: string | null } =
        await getJson(
          server.url,
          `/api/v1/resources?app_id=q&sort=-duration&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
        );
      for (const i of page.items) {
        expect(i.durationMs).toBeNull();
        seen.push(i.id);
      }
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(2);
  });

  it('pages through ties and missing values in either direction, every row once and in order', async () => {
    const s = await startTestServer({ apps: ['ties'] });
    try {
      // 13 resources: durations 5, 5, 5, 5, 9, 9, 1, 1, 1, 7 and three without one.
      const durations = [5, 5, 5, 5, 9, 9, 1, 1, 1, 7, null, null, null];
      await sendRumEvents(
        s.url,
        'ties',
        durations.map((d, i) => ({
          eventName: M.EventName.RESOURCE,
          attributes: {
            [M.SESSION_ID]: 't1',
            [M.URL_FULL]: `https://api.test/r${i}`,
            ...(d === null ? {} : { [M.RUM_RESOURCE_DURATION]: d }),
          },
        })),
      );
      for (const [sort, expected] of [
        ['-duration', [9, 9, 7, 5, 5, 5, 5, 1, 1, 1, null, null, null]],
        ['duration', [1, 1, 1, 5, 5, 5, 5, 7, 9, 9, null, null, null]],
      ] as const) {
        const ids: string[] = [];
        const values: (number | null)[] = [];
        let cursor: string | null = null;
        do {
          const page: { items: { id: string; durationMs: number | null }[]; nextCursor: string | null } =
            await getJson(
              s.url,
              `/api/v1/resources?app_id=ties&sort=${sort}&limit=3${cursor ? `&cursor=${cursor}` : ''}`,
            );
          for (const i of page.items) {
            ids.push(i.id);
            values.push(i.durationMs);
          }
          cursor = page.nextCursor;
        } while (cursor);
        expect(values).toEqual(expected);
        expect(new Set(ids).size).toBe(durations.length);
      }
    } finally {
      await s.close();
    }
  });

  it('refuses an unknown sort field and a cursor of another order', async () => {
    const bad = await apiFetch(server.url, '/api/v1/errors?sort=colour');
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toContain('sortable: time, duration, status, value');
    const first = await getJson(server.url, '/api/v1/resources?app_id=q&sort=status&limit=1');
    const mixed = await apiFetch(
      server.url,
      `/api/v1/resources?app_id=q&sort=-time&cursor=${first.nextCursor}`,
    );
    expect(mixed.status).toBe(400);
  });
});

describe('has_replay', () => {
  it('finds the sessions that recorded a replay, and their events', async () => {
    const s = await startTestServer({ apps: ['rp'] });
    try {
      const now = Date.now();
      await sendRumEvents(s.url, 'rp', [
        {
          eventName: M.EventName.VIEW,
          timeMs: now,
          attributes: { [M.SESSION_ID]: 'with', [M.RUM_VIEW_ID]: 'v1' },
        },
        {
          eventName: M.EventName.REPLAY_SEGMENT,
          timeMs: now,
          attributes: { [M.SESSION_ID]: 'with', [M.RUM_REPLAY_SEQUENCE]: 0 },
        },
        {
          eventName: M.EventName.VIEW,
          timeMs: now,
          attributes: { [M.SESSION_ID]: 'without', [M.RUM_VIEW_ID]: 'v2' },
        },
      ]);
      const sessions = await getJson(s.url, `/api/v1/sessions?app_id=rp&filter=has_replay`);
      expect(
        sessions.items.map((x: { sessionId: string; hasReplay: boolean }) => [x.sessionId, x.hasReplay]),
      ).toEqual([['with', true]]);
      const views = await getJson(
        s.url,
        `/api/v1/views?app_id=rp&filter=${encodeURIComponent('not has_replay')}`,
      );
      expect(views.items.map((v: { sessionId: string }) => v.sessionId)).toEqual(['without']);
    } finally {
      await s.close();
    }
  });
});
