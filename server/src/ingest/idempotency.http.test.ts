/*
 * Idempotency-Key over real HTTP, on a DuckDB file: a request sent again with the key of a committed
 * one (its answer was lost, or the sender timed out after it arrived) is answered as the first was and
 * not stored again, also when both copies arrive at once, also after a restart of the server on the
 * same file; a key is scoped to its route; Grafana Faro's key (a 20-character id per request, the same
 * on its retries) works the same way.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  FARO_COLLECT_PATH,
  IDEMPOTENCY_KEY_TTL_MS,
  MAX_IDEMPOTENCY_KEY_LENGTH,
  type EventItem,
} from '@otel-rum/model';
import { startTestServer, getJson, type TestServer } from '../../../tests/support/server';
import { DuckDbStore } from '../store/duckdb/duckdb-store';
import { IdempotencyKeys } from './idempotency';

let dir: string;
let server: TestServer;
const APP = 'idem';
const start = () => startTestServer({ demo: false, dbPath: join(dir, 'rum.duckdb'), apps: [] });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rum-idempotency-'));
  server = await start();
  await fetch(`${server.url}/api/v1/apps`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
    body: JSON.stringify({ appId: APP, name: APP, type: 'web', allowedOrigins: ['*'] }),
  });
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** An OTLP/JSON logs request of one action named `name`. */
const action = (name: string) =>
  JSON.stringify({
    resourceLogs: [
      {
        resource: { attributes: [{ key: 'rum.app.id', value: { stringValue: APP } }] },
        scopeLogs: [
          {
            scope: { name: 'test' },
            logRecords: [
              {
                timeUnixNano: `${BigInt(Date.now()) * 1_000_000n}`,
                eventName: 'rum.action',
                attributes: [
                  { key: 'session.id', value: { stringValue: 'idem-session' } },
                  { key: 'rum.action.name', value: { stringValue: name } },
                ],
              },
            ],
          },
        ],
      },
    ],
  });

async function post(path: string, body: string, key?: string) {
  const res = await fetch(server.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
    body,
  });
  return { status: res.status, body: await res.text() };
}

const stored = async (name: string) =>
  (await getJson<{ items: EventItem[] }>(server.url, `/api/v1/actions?app_id=${APP}&limit=500`)).items.filter(
    (a) => a.label === name,
  ).length;

it('answers a repeat of a committed request as the first, without storing it again', async () => {
  const first = await post('/v1/logs', action('once'), 'key-once');
  expect(first.status).toBe(200);
  for (let i = 0; i < 3; i++) expect(await post('/v1/logs', action('once'), 'key-once')).toEqual(first);
  expect(await stored('once')).toBe(1);
  // The key decides, not the body: another key with the same body is another request.
  expect((await post('/v1/logs', action('once'), 'key-once-b')).status).toBe(200);
  // Without a key every request is stored.
  expect((await post('/v1/logs', action('once'))).status).toBe(200);
  expect(await stored('once')).toBe(3);
});

it('stores once when both copies arrive at the same time', async () => {
  const answers = await Promise.all(
    Array.from({ length: 5 }, () => post('/v1/logs', action('together'), 'key-together')),
  );
  expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
  expect(await stored('together')).toBe(1);
});

it('scopes a key to its route', async () => {
  expect((await post('/v1/logs', action('scoped'), 'key-scoped')).status).toBe(200);
  // The same key on another signal's route is not a repeat (traces of one sender never meet its logs).
  expect((await post('/v1/traces', '{"resourceSpans":[]}', 'key-scoped')).status).toBe(200);
  expect(await stored('scoped')).toBe(1);
});

it('refuses a key over MAX_IDEMPOTENCY_KEY_LENGTH, naming the limit', async () => {
  const r = await post('/v1/logs', action('long'), 'k'.repeat(MAX_IDEMPOTENCY_KEY_LENGTH + 1));
  expect(r.status).toBe(400);
  expect(JSON.parse(r.body).error).toContain('MAX_IDEMPOTENCY_KEY_LENGTH');
  expect((await post('/v1/logs', action('long'), 'k'.repeat(MAX_IDEMPOTENCY_KEY_LENGTH))).status).toBe(200);
  expect(await stored('long')).toBe(1);
});

it('answers a repeat of a Faro request (its Idempotency-Key) with the same partial success, once stored', async () => {
  const faro = JSON.stringify({
    meta: {
      sdk: { name: 'faro-web', version: '2.12.1' },
      app: { name: 'shop', version: '1.0.0' },
      session: { id: 'faro-idem' },
      page: { url: 'https://shop.test/' },
    },
    events: [{ name: 'faro-idem-event', domain: 'browser', timestamp: new Date().toISOString() }],
    logs: [{ message: 'not a RUM event', level: 'info', timestamp: new Date().toISOString() }],
  });
  const path = `${FARO_COLLECT_PATH}/${APP}`;
  const first = await post(path, faro, 'Ab3dEf6hIj9lMn2pQr5t');
  expect(first.status).toBe(202);
  expect(JSON.parse(first.body).rejected).toBe(1);
  expect(await post(path, faro, 'Ab3dEf6hIj9lMn2pQr5t')).toEqual(first);
  expect(await stored('faro-idem-event')).toBe(1);
});

it('remembers the keys across a restart on the same file', async () => {
  const first = await post('/v1/logs', action('restart'), 'key-restart');
  await server.close();
  server = await start();
  expect(await post('/v1/logs', action('restart'), 'key-restart')).toEqual(first);
  expect(await stored('restart')).toBe(1);
});

it('forgets the oldest keys past the count, and keys past IDEMPOTENCY_KEY_TTL_MS, also in the store', async () => {
  const store = await DuckDbStore.open(':memory:');
  let now = 1_000_000_000_000;
  const keys = new IdempotencyKeys(store, () => now, 2);
  const write = (key: string) =>
    keys.run(key, async (row) => {
      await store.write({ events: [], spans: [], metricPoints: [], idempotencyKeys: [row(outcome)!] });
      return outcome;
    });
  const outcome = { rejected: 0, errorMessage: '' };
  for (const k of ['a', 'b', 'c']) expect((await write(k)).repeat).toBe(false);
  expect(keys.size).toBe(2);
  expect((await write('c')).repeat).toBe(true);
  expect((await write('a')).repeat).toBe(false); // forgotten: the count holds 2
  now += IDEMPOTENCY_KEY_TTL_MS + 1;
  expect(keys.size).toBe(0);
  // A new process loads only what is within the window, and the store deletes what is older.
  expect((await store.recentIdempotencyKeys(now - IDEMPOTENCY_KEY_TTL_MS, 10)).length).toBe(0);
  await store.forgetIdempotencyKeys(now - IDEMPOTENCY_KEY_TTL_MS);
  expect((await store.recentIdempotencyKeys(0, 10)).length).toBe(0);
  await store.close();
});
