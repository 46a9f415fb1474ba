import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as M from '@otel-rum/model';
import { startTestServer, apiFetch, getJson, type TestServer } from '../../../tests/support/server';
import { dumpStore } from '../../../tests/support/store-dump';
import { createLogger } from '../log';
import { auditDigest } from './erasure';

const APP = 'erase';
const ALICE = 'alice-7f3';
const BOB = 'bob-91c';
const TRACE_A = 'aaaa1111bbbb2222cccc3333dddd4444';
const TRACE_B = 'eeee5555ffff6666aaaa7777bbbb8888';

const kv = (o: Record<string, string | number | boolean>) =>
  Object.entries(o).map(([key, v]) => ({
    key,
    value:
      typeof v === 'string'
        ? { stringValue: v }
        : typeof v === 'boolean'
          ? { boolValue: v }
          : { doubleValue: v },
  }));
const ns = (ms: number) => `${BigInt(ms) * 1_000_000n}`;

async function post(server: TestServer, path: string, body: unknown): Promise<void> {
  const res = await fetch(server.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect([path, res.status, await res.text()]).toEqual([path, 200, '{}']);
}

/** A user's whole footprint: a session before and after sign-in, views, actions, errors, a replay, spans of a trace (browser and backend), a metric point. */
async function sendUser(server: TestServer, user: string, session: string, trace: string): Promise<void> {
  const t = Date.now();
  const ev = (eventName: string, attrs: Record<string, string | number | boolean>, signedIn = true) => ({
    timeUnixNano: ns(t),
    eventName,
    attributes: kv({ [M.SESSION_ID]: session, ...(signedIn ? { [M.USER_ID]: user } : {}), ...attrs }),
  });
  const replayEvents = JSON.stringify([
    { type: 3, timestamp: t, data: { source: 5, text: `${user} typed this`, id: 7 } },
  ]);
  await post(server, '/v1/logs', {
    resourceLogs: [
      {
        resource: { attributes: kv({ [M.RUM_APP_ID]: APP }) },
        scopeLogs: [
          {
            logRecords: [
              // Before sign-in: no user id, but the session is theirs.
              ev(
                M.EventName.VIEW,
                { [M.RUM_VIEW_ID]: `${session}-v0`, 'url.full': `https://shop.test/?u=${user}` },
                false,
              ),
              ev(M.EventName.VIEW, {
                [M.RUM_VIEW_ID]: `${session}-v1`,
                'url.full': 'https://shop.test/account',
              }),
              ev(M.EventName.ACTION, {
                [M.RUM_VIEW_ID]: `${session}-v1`,
                'rum.action.type': 'click',
                'rum.action.name': `hello ${user}`,
              }),
              ev(M.EventName.EXCEPTION, {
                [M.RUM_VIEW_ID]: `${session}-v1`,
                'exception.message': `no cart for ${user}`,
                trace_id: trace,
              }),
              {
                timeUnixNano: ns(t),
                eventName: M.EventName.REPLAY_SEGMENT,
                body: { stringValue: replayEvents },
                attributes: kv({
                  [M.SESSION_ID]: session,
                  [M.RUM_VIEW_ID]: `${session}-v1`,
                  [M.RUM_REPLAY_SEQUENCE]: 0,
                  [M.RUM_REPLAY_START]: t,
                  [M.RUM_REPLAY_END]: t,
                  [M.RUM_REPLAY_EVENT_COUNT]: 1,
                  [M.RUM_REPLAY_ENCODING]: 'json',
                  [M.RUM_REPLAY_HAS_FULL_SNAPSHOT]: false,
                }),
              },
            ],
          },
        ],
      },
    ],
  });
  const span = (spanId: string, parent: string | undefined, attrs: Record<string, string>) => ({
    traceId: trace,
    spanId,
    ...(parent ? { parentSpanId: parent } : {}),
    name: 'GET /api/cart',
    kind: parent ? 2 : 3,
    startTimeUnixNano: ns(t),
    endTimeUnixNano: ns(t + 5),
    attributes: kv(attrs),
  });
  await post(server, '/v1/traces', {
    resourceSpans: [
      {
        resource: { attributes: kv({ [M.RUM_APP_ID]: APP }) },
        scopeSpans: [
          {
            spans: [
              span('1111222233334444', undefined, {
                [M.SESSION_ID]: session,
                'http.url': `https://shop.test/api/cart?u=${user}`,
              }),
            ],
          },
        ],
      },
      {
        // The backend's span of the same trace: no application, no session.
        resource: { attributes: kv({ [M.SERVICE_NAME]: 'cart-service' }) },
        scopeSpans: [{ spans: [span('5555666677778888', '1111222233334444', { 'enduser.id': user })] }],
      },
    ],
  });
  await post(server, '/v1/metrics', {
    resourceMetrics: [
      {
        resource: { attributes: kv({ [M.RUM_APP_ID]: APP }) },
        scopeMetrics: [
          {
            metrics: [
              {
                name: 'cart.items',
                gauge: {
                  dataPoints: [{ timeUnixNano: ns(t), asDouble: 3, attributes: kv({ [M.USER_ID]: user }) }],
                },
              },
            ],
          },
        ],
      },
    ],
  });
}

/** Table and row of every stored row that holds one of the needles. */
async function rowsHolding(dbPath: string, needles: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const [table, rows] of await dumpStore(dbPath))
    for (const row of rows)
      if (needles.some((n) => row.includes(n))) found.push(`${table}: ${row.slice(0, 200)}`);
  return found;
}

describe('erasure through the admin API', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rum-erasure-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("erases everything of one user id, in every table, with an audit line, and keeps everyone else's", async () => {
    const dbPath = join(dir, 'rum.duckdb');
    const lines: string[] = [];
    const server = await startTestServer({
      apps: [APP],
      demo: false,
      dbPath,
      log: createLogger('info', (l) => lines.push(l)),
    });
    let closed = false;
    try {
      await sendUser(server, ALICE, 'sA1', TRACE_A);
      await sendUser(server, BOB, 'sB1', TRACE_B);
      // Alice's second session, before the first summary fold.
      await sendUser(server, ALICE, 'sA2', 'aaaa1111bbbb2222cccc3333dddd5555');
      expect((await getJson(server.url, `/api/v1/sessions?app_id=${APP}`)).items).toHaveLength(3);

      const res = await apiFetch(server.url, '/api/v1/erasure', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ appId: APP, userId: ALICE }),
      });
      expect(res.status).toBe(200);
      const result = await res.json();
      expect(result).toMatchObject({ appId: APP, subject: 'user', sessions: 2 });
      expect(result.deleted).toMatchObject({ sessions: 2, replay_segments: 2, spans: 4, metric_points: 2 });

      const sessions = await getJson(server.url, `/api/v1/sessions?app_id=${APP}`);
      expect(sessions.items.map((s: { sessionId: string }) => s.sessionId)).toEqual(['sB1']);
      expect((await getJson(server.url, `/api/v1/errors?app_id=${APP}`)).items).toHaveLength(1);
      expect((await apiFetch(server.url, `/api/v1/traces/${TRACE_A}`)).status).toBe(404);
      expect((await apiFetch(server.url, `/api/v1/sessions/sA1/replay?app_id=${APP}`)).status).toBe(404);

      const audit = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'audit: erasure');
      expect(audit).toEqual([
        expect.objectContaining({
          level: 'info',
          appId: APP,
          subject: 'user',
          idSha256: auditDigest(ALICE),
          sessions: 2,
          requestedBy: 'admin token from RUM_ADMIN_TOKEN',
        }),
      ]);
      expect(lines.join('')).not.toContain(ALICE);
      await server.close();
      closed = true;

      // What is on disk, every table: nothing of Alice's, Bob's all there.
      expect(await rowsHolding(dbPath, [ALICE, 'sA1', 'sA2', TRACE_A])).toEqual([]);
      expect((await rowsHolding(dbPath, [BOB])).length).toBeGreaterThanOrEqual(8);
    } finally {
      if (!closed) await server.close();
    }
  });

  it('erases one session, and refuses a request that names neither or both', async () => {
    const dbPath = join(dir, 'rum.duckdb');
    const server = await startTestServer({ apps: [APP], demo: false, dbPath });
    let closed = false;
    try {
      await sendUser(server, ALICE, 'sA1', TRACE_A);
      await sendUser(server, ALICE, 'sA2', TRACE_B);
      const erase = (body: unknown) =>
        apiFetch(server.url, '/api/v1/erasure', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      for (const bad of [
        { appId: APP },
        { appId: APP, userId: ALICE, sessionId: 'sA1' },
        { appId: APP, sessionId: '' },
        { appId: 'no way', sessionId: 'x' },
      ]) {
        const r = await erase(bad);
        expect(r.status).toBe(400);
        expect((await r.json()).error).toMatch(/userId|sessionId|appId/);
      }
      const r = await erase({ appId: APP, sessionId: 'sA1' });
      expect(await r.json()).toMatchObject({ subject: 'session', sessions: 1, deleted: { sessions: 1 } });
      expect(
        (await getJson(server.url, `/api/v1/sessions?app_id=${APP}`)).items.map(
          (s: { sessionId: string }) => s.sessionId,
        ),
      ).toEqual(['sA2']);
      await server.close();
      closed = true;
      expect(await rowsHolding(dbPath, ['sA1', TRACE_A])).toEqual([]);
      expect((await rowsHolding(dbPath, ['sA2'])).length).toBeGreaterThan(0);
    } finally {
      if (!closed) await server.close();
    }
  });
});
