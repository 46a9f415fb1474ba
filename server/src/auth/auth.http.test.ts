import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CONFIG } from '../config';
import { startServer, type RunningServer } from '../app';
import { createLogger } from '../log';
import { apiFetch, startTestServer, type TestServer } from '../../../tests/support/server';
import { DuckDbStore } from '../store/duckdb/duckdb-store';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ demo: false, apps: ['auth_app'] });
});
afterAll(() => server.close());

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function createToken(name: string, role: string) {
  const res = await apiFetch(server.url, '/api/v1/tokens', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, role }),
  });
  return { status: res.status, body: await res.json() };
}

describe('API tokens', () => {
  it('refuses the API without a token, with a malformed header and with an unknown token (401)', async () => {
    const none = await fetch(server.url + '/api/v1/sessions');
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="otel-rum"');
    expect((await none.json()).error).toContain('Authorization: Bearer <token>');
    const basic = await fetch(server.url + '/api/v1/sessions', { headers: { authorization: 'Basic eDp5' } });
    expect(basic.status).toBe(401);
    const unknown = await fetch(server.url + '/api/v1/sessions', { headers: bearer('rum_not_a_token') });
    expect(unknown.status).toBe(401);
    expect(unknown.headers.get('www-authenticate')).toContain('invalid_token');
    // A 401 comes before a 404: unauthenticated callers learn nothing about the API's paths.
    expect((await fetch(server.url + '/api/v1/no-such-thing')).status).toBe(401);
  });

  it('leaves ingest, health, the OpenAPI document and the SDK files open', async () => {
    expect((await fetch(server.url + '/healthz')).status).toBe(200);
    expect((await fetch(server.url + '/readyz')).status).toBe(200);
    expect((await fetch(server.url + '/api/v1/openapi.json')).status).toBe(200);
    const sdk = await fetch(server.url + '/sdk/otel-rum.min.js');
    expect(sdk.status).toBe(200);
    expect(sdk.headers.get('content-type')).toContain('javascript');
    const ingest = await fetch(server.url + '/v1/logs', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"resourceLogs":[]}',
    });
    expect(ingest.status).toBe(200);
  });

  it('creates a token shown once, lists tokens without secrets, and stores only the sha256', async () => {
    const created = await createToken('grafana', 'read');
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'grafana', role: 'read' });
    expect(created.body.token).toMatch(/^rum_[A-Za-z0-9_-]{43}$/);
    const list = await (await apiFetch(server.url, '/api/v1/tokens')).json();
    const listed = list.items.find((t: { id: string }) => t.id === created.body.id);
    expect(listed).toEqual({
      id: created.body.id,
      name: 'grafana',
      role: 'read',
      createdAt: created.body.createdAt,
    });
    expect(JSON.stringify(list)).not.toContain(created.body.token);
    const conn = await (server.store as DuckDbStore).connect();
    try {
      const rows = (await conn.runAndReadAll('SELECT * FROM api_tokens')).getRowObjectsJS();
      expect(JSON.stringify(rows)).not.toContain(created.body.token);
      const { createHash } = await import('node:crypto');
      const sha = createHash('sha256').update(created.body.token).digest('hex');
      expect(rows.find((r) => r.id === created.body.id)?.token_sha256).toBe(sha);
    } finally {
      conn.closeSync();
    }
  });

  it('lets a read token query and list applications but not manage or change anything (403)', async () => {
    const { body } = await createToken('viewer', 'read');
    const h = bearer(body.token);
    expect((await fetch(server.url + '/api/v1/sessions?app_id=auth_app', { headers: h })).status).toBe(200);
    expect((await fetch(server.url + '/api/v1/errors', { headers: h })).status).toBe(200);
    expect((await fetch(server.url + '/api/v1/apps', { headers: h })).status).toBe(200);
    expect((await fetch(server.url + '/api/v1/apps/auth_app', { headers: h })).status).toBe(200);
    const snippet = await fetch(server.url + '/api/v1/apps/auth_app/snippet?type=web', { headers: h });
    expect(snippet.status).toBe(403);
    expect((await snippet.json()).error).toBe(
      'this needs a token with the admin role; token "viewer" has the read role',
    );
    expect((await fetch(server.url + '/api/v1/tokens', { headers: h })).status).toBe(403);
    const post = await fetch(server.url + '/api/v1/apps', {
      method: 'POST',
      headers: { ...h, 'content-type': 'application/json' },
      body: JSON.stringify({ appId: 'x', name: 'x', type: 'web' }),
    });
    expect(post.status).toBe(403);
    const del = await fetch(server.url + `/api/v1/tokens/${body.id}`, { method: 'DELETE', headers: h });
    expect(del.status).toBe(403);
  });

  it('lets an admin token do everything, and a deleted token stops working at once', async () => {
    const { body } = await createToken('ops', 'admin');
    const h = bearer(body.token);
    expect((await fetch(server.url + '/api/v1/apps', { headers: h })).status).toBe(200);
    expect((await fetch(server.url + '/api/v1/sessions', { headers: h })).status).toBe(200);
    const del = await apiFetch(server.url, `/api/v1/tokens/${body.id}`, { method: 'DELETE' });
    expect(del.status).toBe(204);
    expect((await fetch(server.url + '/api/v1/apps', { headers: h })).status).toBe(401);
    expect((await apiFetch(server.url, `/api/v1/tokens/${body.id}`, { method: 'DELETE' })).status).toBe(404);
  });

  it.each([
    [{ role: 'read' }, 'name must be a non-empty string'],
    [{ name: 'x', role: 'owner' }, 'role must be one of read, admin'],
    [{ name: 'x', role: 'read', expires: 1 }, 'unknown field "expires"'],
  ])('refuses token request %j with 400', async (body, message) => {
    const res = await apiFetch(server.url, '/api/v1/tokens', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toContain(message);
  });

  it('refuses to delete the last admin token', async () => {
    const list = await (await apiFetch(server.url, '/api/v1/tokens')).json();
    const admins = list.items.filter((t: { role: string }) => t.role === 'admin');
    expect(admins).toHaveLength(1);
    const res = await apiFetch(server.url, `/api/v1/tokens/${admins[0].id}`, { method: 'DELETE' });
    expect(res.status).toBe(409);
    expect((await res.json()).error).toContain('last admin token');
  });
});

describe('admin token bootstrap', () => {
  const start = (dbPath: string, adminToken = '') =>
    startServer(
      { ...DEFAULT_CONFIG, host: '127.0.0.1', port: 0, dbPath, adminToken, demo: false },
      createLogger('error'),
    );

  it('generates an admin token at first start, writes it next to the database (0600), and not again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rum-auth-'));
    const dbPath = join(dir, 'rum.duckdb');
    let s: RunningServer | null = null;
    try {
      s = await start(dbPath);
      const notice = s.adminToken;
      if (notice.source !== 'generated') throw new Error(`expected a generated token, got ${notice.source}`);
      expect(notice.file).toBe(`${dbPath}.admin-token`);
      expect(readFileSync(notice.file!, 'utf8').trim()).toBe(notice.secret);
      expect(statSync(notice.file!).mode & 0o777).toBe(0o600);
      const ok = await fetch(s.url + '/api/v1/apps', { headers: bearer(notice.secret) });
      expect(ok.status).toBe(200);
      await s.close();
      s = await start(dbPath);
      expect(s.adminToken).toEqual({ source: 'stored', file: `${dbPath}.admin-token` });
      expect((await fetch(s.url + '/api/v1/apps', { headers: bearer(notice.secret) })).status).toBe(200);
    } finally {
      await s?.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('makes sure of the configured admin token, replacing an earlier configured one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rum-auth-'));
    const dbPath = join(dir, 'rum.duckdb');
    let s: RunningServer | null = null;
    try {
      s = await start(dbPath, 'first-configured-token');
      expect(s.adminToken).toEqual({ source: 'configured' });
      expect(
        (await fetch(s.url + '/api/v1/tokens', { headers: bearer('first-configured-token') })).status,
      ).toBe(200);
      await s.close();
      s = await start(dbPath, 'second-configured-token');
      expect(
        (await fetch(s.url + '/api/v1/tokens', { headers: bearer('first-configured-token') })).status,
      ).toBe(401);
      const list = await fetch(s.url + '/api/v1/tokens', { headers: bearer('second-configured-token') });
      expect((await list.json()).items).toEqual([
        expect.objectContaining({ id: 'configured_admin', role: 'admin' }),
      ]);
    } finally {
      await s?.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
