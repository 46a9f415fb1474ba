/*
 * Access: every operation of the OpenAPI document × (no token, a malformed header, an unknown token,
 * a read token, an admin token) against the documented answer (server/README.md, Tokens): open
 * operations (security: []) need nothing; the rest answer 401 without a known token, and 403 to a
 * read token unless they are a GET other than the tokens and the integration snippets.
 */
import { startTestServer, apiFetch, type TestServer } from '../support/server';

let server: TestServer;
let readToken: string;

beforeAll(async () => {
  server = await startTestServer({ apps: ['matrix'], demo: false });
  const res = await apiFetch(server.url, '/api/v1/tokens', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'matrix-read', role: 'read' }),
  });
  readToken = ((await res.json()) as { token: string }).token;
});
afterAll(() => server.close());

type Caller = 'none' | 'malformed' | 'unknown' | 'read' | 'admin';
const CALLERS: Caller[] = ['none', 'malformed', 'unknown', 'read', 'admin'];

/** Path parameters: names of things that do not exist, so that no call changes anything. */
const PARAMS: Record<string, string> = {
  appId: 'no_such_app',
  id: 'no-such-id',
  name: 'no_such_rule',
  sessionId: 'no-such-session',
  fingerprint: 'no-such-fingerprint',
  traceId: '0123456789abcdef0123456789abcdef',
};

/** The documented answer: 'pass' (anything but 401 and 403), 401 or 403. */
function documented(open: boolean, method: string, path: string, caller: Caller): 'pass' | 401 | 403 {
  if (open || caller === 'admin') return 'pass';
  if (caller === 'none' || caller === 'malformed' || caller === 'unknown') return 401;
  const adminOnly =
    method !== 'get' || path.startsWith('/api/v1/tokens') || /^\/api\/v1\/apps\/[^/]+\/snippet$/.test(path);
  return adminOnly ? 403 : 'pass';
}

function authorization(caller: Caller): string | null {
  switch (caller) {
    case 'none':
      return null;
    case 'malformed':
      return `Basic ${Buffer.from('admin:admin').toString('base64')}`;
    case 'unknown':
      return 'Bearer rum_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    case 'read':
      return `Bearer ${readToken}`;
    case 'admin':
      return `Bearer ${server.token}`;
  }
}

it('answers every operation × caller as documented', async () => {
  const doc = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as {
    paths: Record<string, Record<string, { security?: unknown[] }>>;
  };
  const mismatches: string[] = [];
  let cells = 0;
  for (const [template, ops] of Object.entries(doc.paths)) {
    const path = template.replace(/\{(\w+)\}/g, (_, p: string) => PARAMS[p] ?? 'x');
    for (const [method, op] of Object.entries(ops)) {
      if (method === 'parameters') continue;
      const open = Array.isArray(op.security) && op.security.length === 0;
      for (const caller of CALLERS) {
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        const auth = authorization(caller);
        if (auth) headers.authorization = auth;
        const res = await fetch(server.url + path, {
          method: method.toUpperCase(),
          headers,
          body: method === 'get' || method === 'delete' ? undefined : '{}',
        });
        await res.arrayBuffer();
        cells++;
        const want = documented(open, method, template, caller);
        const ok =
          want === 'pass'
            ? res.status !== 401 && res.status !== 403
            : res.status === want && (want !== 401 || res.headers.get('www-authenticate') !== null);
        if (!ok)
          mismatches.push(
            `${method.toUpperCase()} ${template} as ${caller}: ${res.status}, documented ${want}`,
          );
      }
    }
  }
  process.stdout.write(`access_matrix_cells=${cells} mismatches=${mismatches.length}\n`);
  expect(mismatches).toEqual([]);
  expect(cells).toBeGreaterThan(200);
});
