import * as M from '@otel-rum/model';
import { apiFetch, getJson, startTestServer, type TestServer } from '../../../tests/support/server';
import { sendRumEvents, type RumEvent } from '../../../tests/support/rum-events';
import { pathPattern } from './from-session';

const T0 = Date.now() - 3_600_000;

function view(
  session: string,
  id: string,
  path: string,
  atS: number,
  extra: Record<string, string | boolean> = {},
): RumEvent {
  return {
    eventName: M.EventName.VIEW,
    timeMs: T0 + atS * 1000,
    attributes: {
      [M.SESSION_ID]: session,
      [M.RUM_VIEW_ID]: id,
      [M.URL_FULL]: `https://shop.test${path}`,
      ...extra,
    },
  };
}
function action(session: string, name: string, atS: number): RumEvent {
  return {
    eventName: M.EventName.ACTION,
    timeMs: T0 + atS * 1000,
    attributes: { [M.SESSION_ID]: session, [M.RUM_ACTION_NAME]: name, [M.RUM_ACTION_TYPE]: 'click' },
  };
}
function error(session: string, message: string, atS: number): RumEvent {
  return {
    eventName: M.EventName.EXCEPTION,
    timeMs: T0 + atS * 1000,
    attributes: { [M.SESSION_ID]: session, [M.EXCEPTION_TYPE]: 'TypeError', [M.EXCEPTION_MESSAGE]: message },
  };
}
function resource(session: string, url: string, durationMs: number, atS: number): RumEvent {
  return {
    eventName: M.EventName.RESOURCE,
    timeMs: T0 + atS * 1000,
    attributes: { [M.SESSION_ID]: session, [M.URL_FULL]: url, [M.RUM_RESOURCE_DURATION]: durationMs },
  };
}

const STEPS = [
  { type: 'view', path: '/home' },
  { type: 'view', path: '/products/*' },
  { type: 'action', name: 'Add to cart' },
  { type: 'view', path: '/checkout' },
  { type: 'view', path: '/thanks' },
];

async function send(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- API answers are checked field by field
): Promise<{ status: number; json: any }> {
  const res = await apiFetch(base, path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

async function documented(base: string, path: string): Promise<string[]> {
  const doc = await (await fetch(`${base}/api/v1/openapi.json`)).json();
  return Object.keys(doc.paths[path] ?? {});
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ apps: ['shop', 'blog'] });
  await sendRumEvents(server.url, 'shop', [
    // s1 completes the journey, with an error at checkout.
    view('s1', 's1v1', '/home', 0),
    view('s1', 's1v2', '/products/42', 10, { [M.URL_TEMPLATE]: '/products/:id' }),
    action('s1', 'Add to cart', 20),
    view('s1', 's1v3', '/checkout', 30),
    error('s1', 'Card declined 4021', 35),
    view('s1', 's1v4', '/home', 45),
    view('s1', 's1v5', '/thanks', 60),
    view('s1', 's1v6', '/orders/7c9e6679-7425-40de-944b-e07fc1f90ae7', 70),
    // s2 reaches checkout, has an error and a slow request there, and stops.
    view('s2', 's2v1', '/home', 100),
    view('s2', 's2v2', '/products/7', 110),
    action('s2', 'Add to cart', 115),
    view('s2', 's2v3', '/checkout', 120),
    error('s2', 'Card declined 5310', 125),
    resource('s2', 'https://api.shop.test/pay', 3000, 126),
    resource('s2', 'https://api.shop.test/fast', 200, 127),
    // s3 looks at a product (a slow image there) and leaves; its home view is also sent when it ends.
    view('s3', 's3v1', '/home', 200),
    view('s3', 's3v1', '/home', 290, { [M.RUM_VIEW_ENDED]: true }),
    view('s3', 's3v2', '/products/1', 210),
    resource('s3', 'https://cdn.shop.test/big.jpg', 1500, 215),
    // s4 sees a product before home: only the first step counts, in order.
    view('s4', 's4v1', '/products/5', 300),
    view('s4', 's4v2', '/home', 310),
    // s5 completes it quickly.
    view('s5', 's5v1', '/home', 400),
    view('s5', 's5v2', '/products/9', 401),
    action('s5', 'Add to cart', 402),
    view('s5', 's5v3', '/checkout', 403),
    view('s5', 's5v4', '/thanks', 404),
  ]);
  // The same paths in another application.
  await sendRumEvents(server.url, 'blog', [
    view('b1', 'b1v1', '/home', 0),
    view('b1', 'b1v2', '/products/1', 5),
  ]);
});
afterAll(() => server.close());

describe('journeys', () => {
  it('are created, listed, read, replaced and deleted; bad ones are refused with the reason', async () => {
    const created = await send(server.url, 'POST', '/api/v1/journeys', {
      name: 'Buy',
      appId: 'shop',
      steps: STEPS,
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ name: 'Buy', appId: 'shop', steps: STEPS });
    const id = created.json.id as string;
    expect((await getJson(server.url, `/api/v1/journeys/${id}`)).steps).toEqual(STEPS);
    expect(
      (await getJson(server.url, '/api/v1/journeys?app_id=shop')).items.map((j: { id: string }) => j.id),
    ).toContain(id);
    expect((await getJson(server.url, '/api/v1/journeys?app_id=blog')).items).toEqual([]);
    const replaced = await send(server.url, 'PUT', `/api/v1/journeys/${id}`, {
      name: 'Browse',
      appId: null,
      steps: STEPS.slice(0, 2),
    });
    expect(replaced.status).toBe(200);
    expect(replaced.json).toMatchObject({ name: 'Browse', appId: null, steps: STEPS.slice(0, 2) });
    expect((await send(server.url, 'DELETE', `/api/v1/journeys/${id}`)).status).toBe(204);
    expect((await send(server.url, 'GET', `/api/v1/journeys/${id}`)).status).toBe(404);

    const refusals: [unknown, RegExp][] = [
      [{ name: 'x', steps: [] }, /non-empty list/],
      [{ name: 'x', steps: Array(M.MAX_JOURNEY_STEPS + 1).fill(STEPS[0]) }, /at most 20/],
      [{ name: 'x', steps: [{ type: 'page', path: '/' }] }, /steps\[0\]\.type/],
      [{ name: 'x', steps: [{ type: 'view', path: 'home' }] }, /starting with \//],
      [{ name: 'x', steps: [{ type: 'action', name: '' }] }, /steps\[0\]\.name/],
      [{ name: 'x', steps: [{ type: 'view', path: '/', name: 'y' }] }, /unknown property "name"/],
      [{ name: '', steps: STEPS }, /name must be/],
      [{ name: 'x', appId: 'no spaces', steps: STEPS }, /appId/],
      [{ name: 'x', steps: STEPS, owner: 'me' }, /unknown property "owner"/],
    ];
    for (const [body, reason] of refusals) {
      const res = await send(server.url, 'POST', '/api/v1/journeys', body);
      expect([body, res.status]).toEqual([body, 400]);
      expect(res.json.error).toMatch(reason);
    }
    expect((await fetch(`${server.url}/api/v1/journeys`)).status).toBe(401);
  });

  it('analyses conversion, drop-off, errors and slow resources per step, in order within each session', async () => {
    const { json } = await send(server.url, 'POST', '/api/v1/journeys', { name: 'Buy', steps: STEPS });
    const a = await getJson(server.url, `/api/v1/journeys/${json.id}/analysis?app_id=shop`);
    expect(a.slowResourceMs).toBe(1000);
    const pick = (k: string) => a.steps.map((s: Record<string, unknown>) => s[k]);
    expect(pick('sessions')).toEqual([5, 4, 3, 3, 2]);
    expect(pick('conversionFromPrevious')).toEqual([1, 0.8, 0.75, 1, 2 / 3]);
    expect(pick('conversionFromFirst')).toEqual([1, 0.8, 0.6, 0.6, 0.4]);
    expect(pick('dropOff')).toEqual([1, 1, 0, 1, null]);
    expect(a.steps[4].dropOffRate).toBeNull();
    expect(a.steps[1].medianMsFromPrevious).toBe(10_000);
    expect(a.steps.map((s: { errors: { count: number } }) => s.errors.count)).toEqual([0, 0, 0, 2, 0]);
    expect(a.steps[3].errors.sessions).toBe(2);
    expect(a.steps[3].errors.top).toHaveLength(1);
    expect(a.steps[3].errors.top[0]).toMatchObject({ count: 2 });
    expect(a.steps[3].errors.top[0].message).toMatch(/^Card declined/);
    expect(a.steps.map((s: { slowResources: { count: number } }) => s.slowResources.count)).toEqual([
      0, 1, 0, 1, 0,
    ]);
    expect(a.steps[1].slowResources.top[0]).toMatchObject({
      url: 'https://cdn.shop.test/big.jpg',
      count: 1,
      maxDurationMs: 1500,
    });
    expect(a.steps[3].slowResources.top[0]).toMatchObject({
      url: 'https://api.shop.test/pay',
      avgDurationMs: 3000,
    });
    expect(a.completed.items.map((s: { sessionId: string }) => s.sessionId)).toEqual(['s5', 's1']);
    expect(a.completed.items[1]).toMatchObject({ appId: 'shop', durationMs: 60_000 });
    expect(a.dropped).toBeNull();
    // The sessions that dropped at each step: as many as its dropOff, none of them completed.
    for (const k of [1, 2, 4]) {
      const d = await getJson(server.url, `/api/v1/journeys/${json.id}/analysis?app_id=shop&dropped_at=${k}`);
      expect(d.dropped.step).toBe(k);
      expect(d.dropped.items).toHaveLength(a.steps[k - 1].dropOff);
      for (const x of d.dropped.items) expect(['s5', 's1']).not.toContain(x.sessionId);
      expect(d.completed.items).toEqual(a.completed.items);
    }
    const none = await getJson(server.url, `/api/v1/journeys/${json.id}/analysis?app_id=shop&dropped_at=3`);
    expect(none.dropped.items).toEqual([]);

    const stricter = await getJson(
      server.url,
      `/api/v1/journeys/${json.id}/analysis?app_id=shop&slow_ms=2000`,
    );
    expect(stricter.steps.map((s: { slowResources: { count: number } }) => s.slowResources.count)).toEqual([
      0, 0, 0, 1, 0,
    ]);
    const everywhere = await getJson(server.url, `/api/v1/journeys/${json.id}/analysis`);
    expect(everywhere.steps[0].sessions).toBe(6);
    expect(everywhere.steps[1].sessions).toBe(5);
    const before = await getJson(
      server.url,
      `/api/v1/journeys/${json.id}/analysis?app_id=shop&from=${T0 - 60_000}&to=${T0 + 150_000}`,
    );
    expect(before.steps.map((s: { sessions: number }) => s.sessions)).toEqual([2, 2, 2, 2, 1]);
  });

  it('pages the sessions that completed the journey', async () => {
    const { json } = await send(server.url, 'POST', '/api/v1/journeys', {
      name: 'Buy',
      appId: 'shop',
      steps: STEPS,
    });
    const first = await getJson(server.url, `/api/v1/journeys/${json.id}/analysis?limit=1`);
    expect(first.completed.items.map((s: { sessionId: string }) => s.sessionId)).toEqual(['s5']);
    expect(first.completed.nextCursor).toEqual(expect.any(String));
    const second = await getJson(
      server.url,
      `/api/v1/journeys/${json.id}/analysis?limit=1&cursor=${first.completed.nextCursor}`,
    );
    expect(second.completed.items.map((s: { sessionId: string }) => s.sessionId)).toEqual(['s1']);
    expect(second.completed.nextCursor).toBeNull();
    const bad = [
      ['cursor=nonsense', /cursor/],
      ['app_id=blog', /belongs to application "shop"/],
      ['slow_ms=0', /slow_ms/],
      ['dropped_at=5', /dropped_at must be a whole number from 1 to 4/],
      ['from=2026-99-99', /from/],
      [`from=${Date.now()}&to=${Date.now() - 1000}`, /before/],
      ['group=x', /unknown query parameter "group"/],
    ] as const;
    for (const [query, reason] of bad) {
      const res = await send(server.url, 'GET', `/api/v1/journeys/${json.id}/analysis?${query}`);
      expect([query, res.status]).toEqual([query, 400]);
      expect(res.json.error).toMatch(reason);
    }
  });

  it('are described in the OpenAPI document', async () => {
    expect(await documented(server.url, '/api/v1/journeys')).toEqual(['get', 'post']);
    expect(await documented(server.url, '/api/v1/journeys/{id}')).toEqual(['get', 'put', 'delete']);
    expect(await documented(server.url, '/api/v1/journeys/{id}/analysis')).toEqual(['get']);
    expect(await documented(server.url, '/api/v1/journeys/from-session/{sessionId}')).toEqual(['post']);
  });

  it('are made from the views of an existing session, generalised and without repeats', async () => {
    const made = await send(server.url, 'POST', '/api/v1/journeys/from-session/s1');
    expect(made.status).toBe(201);
    expect(made.json).toMatchObject({
      name: 'Journey of session s1',
      appId: 'shop',
      steps: [
        { type: 'view', path: '/home' },
        { type: 'view', path: '/products/*' },
        { type: 'view', path: '/checkout' },
        { type: 'view', path: '/thanks' },
        { type: 'view', path: '/orders/*' },
      ],
      warnings: [],
    });
    const a = await getJson(server.url, `/api/v1/journeys/${made.json.id}/analysis`);
    expect(a.steps.map((s: { sessions: number }) => s.sessions)).toEqual([5, 4, 3, 2, 1]);

    const named = await send(server.url, 'POST', '/api/v1/journeys/from-session/b1', {
      name: 'Reading',
      appId: 'blog',
    });
    expect(named.status).toBe(201);
    expect(named.json).toMatchObject({
      name: 'Reading',
      appId: 'blog',
      steps: [{ path: '/home' }, { path: '/products/*' }],
    });
    expect((await send(server.url, 'POST', '/api/v1/journeys/from-session/nobody')).status).toBe(404);
    const wrongApp = await send(server.url, 'POST', '/api/v1/journeys/from-session/s1', { appId: 'blog' });
    expect(wrongApp.status).toBe(404);
    expect((await send(server.url, 'POST', '/api/v1/journeys/from-session/s1', { steps: [] })).status).toBe(
      400,
    );
  });
});

describe('pathPattern', () => {
  it('keeps pages, replaces ids and template parameters with *, and escapes glob characters', () => {
    expect(pathPattern('/users/1042/orders', null)).toBe('/users/*/orders');
    expect(pathPattern('/o/7c9e6679-7425-40de-944b-e07fc1f90ae7', null)).toBe('/o/*');
    expect(pathPattern('/t/5f2b9c1e8a7d', null)).toBe('/t/*');
    expect(pathPattern('/docs/getting-started', null)).toBe('/docs/getting-started');
    expect(pathPattern('/what?*', null)).toBe('/what\\?\\*');
    expect(pathPattern('/users/1042', '/users/:id')).toBe('/users/*');
    expect(pathPattern('/users/1042', '/users/{id}/')).toBe('/users/*/');
    expect(pathPattern('/', null)).toBe('/');
  });
});
