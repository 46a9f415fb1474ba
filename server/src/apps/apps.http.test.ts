import { DEFAULT_RETENTION_DAYS, MAX_RETENTION_DAYS } from '@otel-rum/model';
import { apiFetch, getJson, startTestServer, type TestServer } from '../../../tests/support/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ demo: false });
});
afterAll(() => server.close());

const json = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

async function call(method: string, path: string, body?: unknown) {
  const res = await apiFetch(server.url, path, body === undefined ? { method } : json(method, body));
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}

const log = (appId: string) =>
  JSON.stringify({
    resourceLogs: [
      {
        resource: { attributes: [{ key: 'rum.app.id', value: { stringValue: appId } }] },
        scopeLogs: [
          {
            logRecords: [
              {
                eventName: 'rum.action',
                attributes: [
                  { key: 'session.id', value: { stringValue: `s-${appId}` } },
                  { key: 'rum.action.name', value: { stringValue: 'buy' } },
                ],
              },
            ],
          },
        ],
      },
    ],
  });

const ingest = (appId: string) =>
  fetch(server.url + '/v1/logs', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: log(appId),
  });

describe('applications', () => {
  it('creates an application with defaults, reads it back, lists it and refuses a second one with its id', async () => {
    const created = await call('POST', '/api/v1/apps', { appId: 'shop_web', name: ' Shop ', type: 'web' });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe('/api/v1/apps/shop_web');
    expect(created.body).toMatchObject({
      appId: 'shop_web',
      name: 'Shop',
      type: 'web',
      allowedOrigins: [],
      sessionSampleRate: 1,
      traceSampleRate: 1,
      replaySampleRate: 0,
      retentionDays: DEFAULT_RETENTION_DAYS,
      dashboards: [],
      rateLimit: null,
      previousAppIds: [],
    });
    expect(Date.parse(created.body.createdAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(await getJson(server.url, '/api/v1/apps/shop_web')).toEqual(created.body);
    const list = await getJson(server.url, '/api/v1/apps');
    expect(list.items.map((a: { appId: string }) => a.appId)).toContain('shop_web');
    const clash = await call('POST', '/api/v1/apps', { appId: 'shop_web', name: 'Again', type: 'ios' });
    expect(clash.status).toBe(409);
    expect(clash.body.error).toContain('"shop_web" is already the id');
  });

  it('stores every field as given, normalising origins', async () => {
    const body = {
      appId: 'Shop_2',
      name: 'Shop two',
      type: 'react-native',
      allowedOrigins: [
        'HTTPS://Shop.Example.com:443',
        'http://localhost:3000/',
        'https://*.example.com',
        'self',
      ],
      sessionSampleRate: 0.5,
      traceSampleRate: 0.25,
      replaySampleRate: 0.1,
      retentionDays: 90,
      dashboards: [
        { title: 'Web vitals', uid: 'rum-vitals' },
        { title: 'Ops', url: 'https://grafana.test/d/x' },
      ],
      rateLimit: { eventsPerSecond: 200, burst: 1000 },
    };
    const created = await call('POST', '/api/v1/apps', body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      ...body,
      allowedOrigins: ['https://shop.example.com', 'http://localhost:3000', 'https://*.example.com', 'self'],
    });
  });

  it.each([
    [{ name: 'x', type: 'web' }, 'appId is required'],
    [{ appId: 'has-dash', name: 'x', type: 'web' }, 'appId must be letters, digits or underscore'],
    [{ appId: 'a'.repeat(49), name: 'x', type: 'web' }, '1 to 48 characters'],
    [{ appId: 'ok', name: '  ', type: 'web' }, 'name must be a non-empty string'],
    [{ appId: 'ok', name: 'x', type: 'windows' }, 'type must be one of web, miniapp, android'],
    [
      { appId: 'ok', name: 'x', type: 'web', sessionSampleRate: 1.5 },
      'sessionSampleRate must be a number from 0 to 1',
    ],
    [{ appId: 'ok', name: 'x', type: 'web', replaySampleRate: '0.5' }, 'replaySampleRate must be a number'],
    [
      { appId: 'ok', name: 'x', type: 'web', retentionDays: 0 },
      `retentionDays must be a whole number of days`,
    ],
    [
      { appId: 'ok', name: 'x', type: 'web', retentionDays: MAX_RETENTION_DAYS + 1 },
      `from 1 to ${MAX_RETENTION_DAYS}`,
    ],
    [{ appId: 'ok', name: 'x', type: 'web', retentionDays: 7.5 }, 'retentionDays'],
    [
      { appId: 'ok', name: 'x', type: 'web', allowedOrigins: 'https://a.test' },
      'allowedOrigins must be a list',
    ],
    [
      { appId: 'ok', name: 'x', type: 'web', allowedOrigins: ['https://a.test/path'] },
      'allowedOrigins[0] "https://a.test/path" has a path',
    ],
    [
      { appId: 'ok', name: 'x', type: 'web', allowedOrigins: ['ftp:/x'] },
      'allowedOrigins[0] "ftp:/x" is not an origin',
    ],
    [
      { appId: 'ok', name: 'x', type: 'web', dashboards: [{ title: 'No link' }] },
      'dashboards[0] needs a uid or a url',
    ],
    [
      { appId: 'ok', name: 'x', type: 'web', dashboards: [{ title: 'T', uid: 'a b' }] },
      'dashboards[0].uid must be',
    ],
    [
      { appId: 'ok', name: 'x', type: 'web', dashboards: [{ title: 'T', url: 'javascript:x' }] },
      'dashboards[0].url',
    ],
    [
      { appId: 'ok', name: 'x', type: 'web', rateLimit: { eventsPerSecond: 0, burst: 5 } },
      'rateLimit.eventsPerSecond',
    ],
    [{ appId: 'ok', name: 'x', type: 'web', rateLimit: { eventsPerSecond: 5 } }, 'rateLimit.burst'],
    [{ appId: 'ok', name: 'x', type: 'web', colour: 'red' }, 'unknown field "colour"'],
    [{ appId: 'ok', name: 'x', type: 'web', previousAppIds: [] }, 'previousAppIds is set by the server'],
  ])('refuses %j with 400 naming the field', async (body, message) => {
    const r = await call('POST', '/api/v1/apps', body);
    expect(r.status).toBe(400);
    expect(r.body.error).toContain(message);
  });

  it('refuses bodies that are not JSON objects', async () => {
    const text = await apiFetch(server.url, '/api/v1/apps', { method: 'POST', body: 'appId=x' });
    expect(text.status).toBe(415);
    const broken = await apiFetch(server.url, '/api/v1/apps', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"appId":',
    });
    expect(broken.status).toBe(400);
    expect((await broken.json()).error).toContain('not valid JSON');
    expect((await call('POST', '/api/v1/apps', [1])).status).toBe(400);
  });

  it('updates fields with PATCH and answers without warnings when the id stays', async () => {
    await call('POST', '/api/v1/apps', { appId: 'patchable', name: 'P', type: 'web' });
    const r = await call('PATCH', '/api/v1/apps/patchable', {
      retentionDays: 14,
      allowedOrigins: ['https://p.test'],
      rateLimit: { eventsPerSecond: 10, burst: 20 },
    });
    expect(r.status).toBe(200);
    expect(r.body.warnings).toEqual([]);
    expect(r.body.application).toMatchObject({ appId: 'patchable', name: 'P', retentionDays: 14 });
    expect(r.body.application.allowedOrigins).toEqual(['https://p.test']);
    const back = await call('PATCH', '/api/v1/apps/patchable', { rateLimit: null });
    expect(back.body.application.rateLimit).toBeNull();
    const bad = await call('PATCH', '/api/v1/apps/patchable', { traceSampleRate: -0.1 });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toContain('traceSampleRate');
    expect((await call('PATCH', '/api/v1/apps/nobody', { name: 'x' })).status).toBe(404);
    expect((await call('PATCH', '/api/v1/apps/bad-id', { name: 'x' })).body.error).toContain(
      'path parameter appId',
    );
  });

  it('renames an application: old data stays under the old id, warnings say what to update', async () => {
    await call('POST', '/api/v1/apps', {
      appId: 'old_id',
      name: 'Renamed',
      type: 'web',
      dashboards: [{ title: 'Shop overview', uid: 'shop' }],
    });
    expect((await ingest('old_id')).status).toBe(200);
    const r = await call('PATCH', '/api/v1/apps/old_id', { appId: 'new_id' });
    expect(r.status).toBe(200);
    expect(r.body.application).toMatchObject({ appId: 'new_id', previousAppIds: ['old_id'] });
    const codes = r.body.warnings.map((w: { code: string }) => w.code);
    expect(codes).toEqual(['sdk_config', 'monitors', 'dashboards', 'history']);
    const text = r.body.warnings.map((w: { message: string }) => w.message).join('\n');
    expect(text).toContain('Update appId from "old_id" to "new_id" in the SDK configuration');
    expect(text).toContain('"Shop overview"');
    expect((await call('GET', '/api/v1/apps/old_id')).status).toBe(404);

    // The old data is still under the old id; the old id no longer sends; the new one does.
    expect((await getJson(server.url, '/api/v1/actions?app_id=old_id')).items).toHaveLength(1);
    expect((await getJson(server.url, '/api/v1/actions?app_id=new_id')).items).toHaveLength(0);
    const refused = await ingest('old_id');
    expect(refused.status).toBe(403);
    expect((await ingest('new_id')).status).toBe(200);
    expect((await getJson(server.url, '/api/v1/actions?app_id=new_id')).items).toHaveLength(1);

    // Nobody else may take the old id while its data is kept under it; the app itself may go back to it.
    const taken = await call('POST', '/api/v1/apps', { appId: 'old_id', name: 'Other', type: 'web' });
    expect(taken.status).toBe(409);
    expect(taken.body.error).toContain('was the id of application "new_id" before');
    const clash = await call('PATCH', '/api/v1/apps/new_id', { appId: 'shop_web' });
    expect(clash.status).toBe(409);
    const back = await call('PATCH', '/api/v1/apps/new_id', { appId: 'old_id' });
    expect(back.body.application).toMatchObject({ appId: 'old_id', previousAppIds: ['new_id'] });
  });

  it('deletes an application; its id then refuses data and can be registered again', async () => {
    await call('POST', '/api/v1/apps', { appId: 'short_lived', name: 'S', type: 'custom' });
    const del = await call('DELETE', '/api/v1/apps/short_lived');
    expect(del.status).toBe(204);
    expect((await call('DELETE', '/api/v1/apps/short_lived')).status).toBe(404);
    expect((await ingest('short_lived')).status).toBe(403);
    expect(
      (await call('POST', '/api/v1/apps', { appId: 'short_lived', name: 'S', type: 'custom' })).status,
    ).toBe(201);
  });

  it('keeps applications across a restart of the server on the same database file', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'rum-apps-'));
    try {
      const dbPath = join(dir, 'rum.duckdb');
      const first = await startTestServer({ dbPath, demo: false, apps: ['kept'] });
      await apiFetch(first.url, '/api/v1/apps/kept', json('PATCH', { appId: 'kept_2', retentionDays: 3 }));
      await first.close();
      const second = await startTestServer({ dbPath, demo: false });
      try {
        expect(await getJson(second.url, '/api/v1/apps/kept_2')).toMatchObject({
          appId: 'kept_2',
          retentionDays: 3,
          previousAppIds: ['kept'],
          allowedOrigins: ['*'],
        });
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('registers the demo application when the demo is on', async () => {
    const demo = await startTestServer();
    try {
      expect(await getJson(demo.url, '/api/v1/apps/demo')).toMatchObject({
        appId: 'demo',
        type: 'web',
        allowedOrigins: ['self'],
      });
    } finally {
      await demo.close();
    }
  });
});
