/*
 * Erasure on the ClickHouse store against the DuckDB store's on the same data: the same answer (the
 * sessions, the rows deleted by table), nothing of the subject left in any ClickHouse table (every
 * table searched, replay payloads decoded), everything else as it was; then the admin endpoint of a
 * server on RUM_STORE=clickhouse. ClickHouse runs in chdb (the real engine) behind chdb-http.ts,
 * reached through @clickhouse/client. Needs chdb (scripts/install-test-deps.sh).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EVENT_KINDS, SESSION_ID, USER_ID, type EventKind } from '@otel-rum/model';
import { eventRow } from '../../../../tests/support/event-rows';
import { ERASURE_APP, sendUser } from '../../../../tests/support/erasure-footprint';
import { apiFetch, getJson, startTestServer } from '../../../../tests/support/server';
import { createLogger } from '../../log';
import { auditDigest, DuckDbErasure, type ErasureRequest } from '../../privacy/erasure';
import { DuckDbStore } from '../duckdb/duckdb-store';
import type { EventRow, WriteBatch } from '../rows';
import { startChdbHttp, type ChdbHttp } from './chdb-http';
import { ClickHouseErasure } from './erasure';
import { ClientExecutor, type ClickHouseExecutor } from './executor';
import { ClickHouseStore } from './clickhouse-store';

jest.setTimeout(180_000);

const T0 = Date.UTC(2026, 10, 30, 9, 0, 0);
const us = (ms: number) => BigInt(ms) * 1000n;

/**
 * Sessions of three users over two applications, each sent in two batches (so the ClickHouse
 * summaries hold partial rows): views sent at start and end, actions, errors, resources in traces
 * with a browser span and a backend span (no application, no session), a replay segment sent twice,
 * metric points naming a session or a user. `ann` uses both applications; her second `shop` session
 * starts before she signs in; a server span of `shop` in no session names her as its user.
 */
function generate(): WriteBatch[] {
  const sessions = [
    { app: 'shop', session: 'ann-s1', user: 'u-ann', signInAt: 0 },
    { app: 'shop', session: 'ann-s2', user: 'u-ann', signInAt: 3 },
    { app: 'shop', session: 'ben-s1', user: 'u-ben', signInAt: 0 },
    { app: 'shop', session: 'anon-s1', user: null, signInAt: 0 },
    { app: 'blog', session: 'ann-blog-s1', user: 'u-ann', signInAt: 0 },
    { app: 'blog', session: 'cy-blog-s1', user: 'u-cy', signInAt: 1 },
  ];
  const batches: WriteBatch[] = [];
  let n = 0;
  sessions.forEach(({ app, session, user, signInAt }, s) => {
    const events: EventRow[] = [];
    let t = T0 + s * 60_000;
    const ev = (kind: EventKind, fields: Partial<EventRow>) => {
      t += 700;
      const signedIn = events.length >= signInAt;
      events.push(
        eventRow({
          appId: app,
          sessionId: session,
          userId: signedIn ? user : null,
          kind,
          timeUs: us(t),
          id: `00000000-0000-7000-8000-${(n++).toString(16).padStart(12, '0')}`,
          browser: 'Firefox',
          ...fields,
        }),
      );
    };
    const trace = `${session}-trace`;
    const batch: WriteBatch = { events: [], spans: [], metricPoints: [], replaySegments: [] };
    for (let v = 0; v < 2; v++) {
      const viewId = `${session}-v${v}`;
      ev('view', { viewId, url: `https://${app}.test/p${v}?who=${user}`, path: `/p${v}` });
      ev('action', { viewId, label: `click ${session}`, type: 'click' });
      ev('resource', { viewId, traceId: `${trace}${v}`, spanId: 'b'.repeat(16), url: 'https://api.test/x' });
      if (v === 1) ev('error', { viewId, label: `no cart for ${session}`, fingerprint: 'fp-cart' });
      ev('replay_segment', { viewId, label: 'replay' });
      for (let copy = 0; copy < (v === 0 ? 2 : 1); copy++)
        batch.replaySegments!.push({
          appId: app,
          sessionId: session,
          viewId,
          sequence: v,
          timeUs: us(t),
          startMs: t,
          endMs: t + 400,
          eventCount: 1,
          hasFullSnapshot: v === 0,
          encoding: 'json',
          privacy: null,
          payload: new TextEncoder().encode(JSON.stringify([{ type: 3, text: `${session} typed ${v}` }])),
        });
      ev('view', { viewId, url: `https://${app}.test/p${v}`, path: `/p${v}`, durationMs: 1400 });
      const startUs = us(t);
      batch.spans.push(
        {
          traceId: `${trace}${v}`,
          spanId: 'b'.repeat(16),
          parentSpanId: null,
          name: 'GET',
          kind: 3,
          startUs,
          durationMs: 10,
          statusCode: 0,
          statusMessage: null,
          serviceName: app,
          appId: app,
          sessionId: session,
          scopeName: null,
          attributes: {},
          events: [],
          resource: { 'service.name': app },
        },
        {
          traceId: `${trace}${v}`,
          spanId: 'c'.repeat(16),
          parentSpanId: 'b'.repeat(16),
          name: 'GET /x',
          kind: 2,
          startUs: startUs + 1000n,
          durationMs: 5,
          statusCode: 0,
          statusMessage: null,
          serviceName: 'api',
          appId: null,
          sessionId: null,
          scopeName: null,
          attributes: { 'enduser.id': String(user) },
          events: [],
          resource: { 'service.name': 'api' },
        },
      );
    }
    // A server span of shop naming ann as its user, in no session.
    if (session === 'ben-s1')
      batch.spans.push({
        traceId: 'ann-server-trace',
        spanId: 'd'.repeat(16),
        parentSpanId: null,
        name: 'POST /login',
        kind: 2,
        startUs: us(t),
        durationMs: 3,
        statusCode: 0,
        statusMessage: null,
        serviceName: 'shop-server',
        appId: app,
        sessionId: null,
        scopeName: null,
        attributes: { [USER_ID]: 'u-ann' },
        events: [],
        resource: { 'service.name': 'shop-server' },
      });
    batch.metricPoints.push(
      {
        timeUs: us(t),
        appId: app,
        serviceName: app,
        name: 'cart.items',
        unit: null,
        value: s,
        attributes: { [SESSION_ID]: session },
      },
      {
        timeUs: us(t),
        appId: app,
        serviceName: app,
        name: 'cart.total',
        unit: null,
        value: s,
        attributes: user ? { [USER_ID]: user } : {},
      },
    );
    const half = Math.ceil(events.length / 2);
    batch.events = events.slice(0, half);
    batches.push(batch, { events: events.slice(half), spans: [], metricPoints: [] });
  });
  return batches;
}

const clone = (b: WriteBatch): WriteBatch => ({
  events: b.events.map((e) => ({ ...e })),
  spans: b.spans.map((s) => ({ ...s })),
  metricPoints: b.metricPoints.map((m) => ({ ...m })),
  replaySegments: b.replaySegments?.map((r) => ({ ...r })),
});

/**
 * Every row of every table of `database` that keeps rows, each as one line of text: tables that
 * merge rows read FINAL (the same content however far the background merges went), aggregate
 * states finished, replay payloads decoded.
 */
async function dump(x: ClickHouseExecutor, database: string): Promise<Map<string, string[]>> {
  const tables = await x.query(
    `SELECT name, engine FROM system.tables WHERE database = {db:String}
       AND engine NOT IN ('MaterializedView', 'Null', 'View') ORDER BY name`,
    { db: database },
  );
  const out = new Map<string, string[]>();
  for (const { name, engine } of tables) {
    const columns = await x.query(
      `SELECT name, type FROM system.columns WHERE database = {db:String} AND table = {t:String} ORDER BY position`,
      { db: database, t: String(name) },
    );
    const select = columns
      .map((c) =>
        String(c.type).startsWith('AggregateFunction')
          ? `finalizeAggregation(\`${c.name}\`) AS \`${c.name}\``
          : `\`${c.name}\``,
      )
      .join(', ');
    const final = String(engine) === 'MergeTree' ? '' : ' FINAL';
    const rows = await x.query(`SELECT ${select} FROM \`${database}\`.\`${name}\`${final}`);
    out.set(
      String(name),
      rows
        .map((r) =>
          JSON.stringify(
            'payload_base64' in r
              ? { ...r, payload: Buffer.from(String(r.payload_base64), 'base64').toString('utf8') }
              : r,
          ),
        )
        .sort(),
    );
  }
  return out;
}

/** The tables and rows of a dump that hold one of the needles. */
function holding(d: Map<string, string[]>, needles: string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [table, rows] of d) {
    const found = rows.filter((r) => needles.some((n) => r.includes(n)));
    if (found.length) out.set(table, found);
  }
  return out;
}

/** The rows of a dump holding none of the needles. */
function without(d: Map<string, string[]>, needles: string[]): Map<string, string[]> {
  return new Map([...d].map(([t, rows]) => [t, rows.filter((r) => !needles.some((n) => r.includes(n)))]));
}

describe('erasure on ClickHouse, against DuckDB on the same data', () => {
  let dir: string;
  let engine: ChdbHttp;
  let client: ClientExecutor;
  let duck: DuckDbStore;
  let ch: ClickHouseStore;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rum-ch-erasure-'));
    engine = await startChdbHttp(join(dir, 'chdb'));
    client = new ClientExecutor({ url: engine.url, username: 'default', password: '', database: 'rum' });
    [duck, ch] = await Promise.all([
      DuckDbStore.open(':memory:'),
      ClickHouseStore.open(client, { database: 'rum' }),
    ]);
    for (const b of generate()) {
      await duck.write(clone(b));
      await ch.write(clone(b));
    }
  });

  afterAll(async () => {
    await Promise.allSettled([duck?.close(), ch?.close()]);
    await engine?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const erase = async (request: ErasureRequest) => {
    const subject = request.userId !== undefined ? 'user' : 'session';
    const d = await new DuckDbErasure(
      () => duck.connect(),
      (w) => duck.withSummariesFolded(w),
    ).apply(request, subject);
    const c = await ch.erasure().apply(request, subject);
    return { d, c };
  };

  it("erases a user of one application from every table, and leaves the rest (her other application's too)", async () => {
    // ann's shop sessions, their traces (browser and backend spans), view ids and replay text all
    // carry the session id; her blog session and everyone else's carry none of these.
    const needles = ['ann-s1', 'ann-s2'];
    const before = await dump(client, 'rum');
    expect([...holding(before, needles).keys()]).toEqual([
      'events',
      'metric_points',
      'otel_traces',
      'replay_segments',
      'sessions',
      'view_starts',
      'views',
    ]);

    const { d, c } = await erase({ appId: 'shop', userId: 'u-ann' });
    expect(c).toEqual(d);
    // ann-s1 and ann-s2: 2 views of 2 records each, 2 actions, 2 resources, 1 error, 2 replay
    // segments (one sent twice) per session; 4 browser + 4 backend spans, plus the server span
    // naming her (user.id); a point per session and per her user id.
    expect(c).toEqual({
      sessions: 2,
      deleted: {
        ...Object.fromEntries(EVENT_KINDS.map((k) => [`events_${k}`, 0])),
        events_view: 8,
        events_action: 4,
        events_resource: 4,
        events_error: 2,
        events_replay_segment: 4,
        sessions: 2,
        session_deltas: 0,
        views: 4,
        view_deltas: 0,
        replay_segments: 4,
        spans: 9,
        metric_points: 4,
      },
    });

    const after = await dump(client, 'rum');
    expect(holding(after, needles)).toEqual(new Map());
    // What still names u-ann is of blog: her session there, its traces, her metric point there.
    const ofBlog = (row: string) => row.includes('ann-blog-s1') || row.includes('"app_id":"blog"');
    for (const [table, rows] of holding(after, ['u-ann']))
      for (const row of rows) expect([table, ofBlog(row), row]).toEqual([table, true, row]);
    // Everything else is as it was, row for row.
    const hers = (row: string) =>
      [...needles, 'ann-server-trace'].some((n) => row.includes(n)) ||
      (row.includes('u-ann') && !ofBlog(row));
    const kept = new Map([...before].map(([t, rows]) => [t, rows.filter((r) => !hers(r))]));
    expect(after).toEqual(kept);
    // Daily usage stays, as on DuckDB.
    expect(after.get('usage_daily')).toEqual(before.get('usage_daily'));
  });

  it('erases one session the same way, and answers nothing deleted when asked again', async () => {
    const before = await dump(client, 'rum');
    const { d, c } = await erase({ appId: 'blog', sessionId: 'cy-blog-s1' });
    expect(c).toEqual(d);
    expect(c.sessions).toBe(1);
    expect(c.deleted).toMatchObject({
      sessions: 1,
      views: 2,
      replay_segments: 2,
      spans: 4,
      metric_points: 1,
    });
    const after = await dump(client, 'rum');
    expect(holding(after, ['cy-blog-s1'])).toEqual(new Map());
    // u-cy's user metric point names no session: a session's erasure leaves it, as on DuckDB.
    expect(after).toEqual(without(before, ['cy-blog-s1']));

    // A retry finds nothing more, on both stores.
    const again = await erase({ appId: 'shop', userId: 'u-ann' });
    expect(again.c).toEqual(again.d);
    expect(again.c.sessions).toBe(0);
    expect(Object.values(again.c.deleted).every((n) => n === 0)).toBe(true);
    expect(await dump(client, 'rum')).toEqual(after);
  });

  it('on a cluster, deletes from the local tables on every node (statements checked: chdb has no cluster)', async () => {
    const commands: string[] = [];
    const x: ClickHouseExecutor = {
      query: (sql, params) => client.query(sql, params),
      command: (sql) => Promise.resolve(void commands.push(sql)),
      insert: () => Promise.reject(new Error('no insert in an erasure')),
      close: () => Promise.resolve(),
    };
    const result = await new ClickHouseErasure(x, { database: 'rum', cluster: 'main' }).apply(
      { appId: 'shop', userId: 'u-ben' },
      'user',
    );
    expect(result.sessions).toBe(1);
    expect(
      commands.map((c) => /^ALTER TABLE `rum`\.`(\w+)_local` ON CLUSTER `main` DELETE WHERE /.exec(c)?.[1]),
    ).toEqual([
      'otel_traces',
      'metric_points',
      'replay_segments',
      'views',
      'view_starts',
      'sessions',
      'events',
    ]);
    // No subquery (a replicated table refuses a nondeterministic mutation); every replica waited for;
    // each parses on the engine (it cannot run: cluster.test.ts says why).
    for (const c of commands) {
      expect(c).not.toMatch(/SELECT/i);
      expect(c).toMatch(/SETTINGS mutations_sync = 2$/);
      const [r] = await client.query('SELECT formatQuery({q:String}) AS f', { q: c });
      expect(String(r!.f)).toMatch(/^ALTER TABLE rum\.\w+_local ON CLUSTER main/);
    }
  });
});

describe('POST /api/v1/erasure on RUM_STORE=clickhouse', () => {
  it('erases a user through the admin API, with the audit line, as the DuckDB store does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rum-ch-erasure-http-'));
    const engine = await startChdbHttp(join(dir, 'chdb'));
    const lines: string[] = [];
    const server = await startTestServer({
      apps: [ERASURE_APP],
      demo: false,
      store: 'clickhouse',
      clickhouseUrl: engine.url,
      clickhouseDatabase: 'rum_http',
      log: createLogger('info', (l) => lines.push(l)),
    });
    const client = new ClientExecutor({
      url: engine.url,
      username: 'default',
      password: '',
      database: 'rum_http',
    });
    try {
      const alice = 'alice-7f3';
      const traceA = 'aaaa1111bbbb2222cccc3333dddd4444';
      await sendUser(server, alice, 'sA1', traceA);
      await sendUser(server, 'bob-91c', 'sB1', 'eeee5555ffff6666aaaa7777bbbb8888');
      await sendUser(server, alice, 'sA2', 'aaaa1111bbbb2222cccc3333dddd5555');
      expect((await getJson(server.url, `/api/v1/sessions?app_id=${ERASURE_APP}`)).items).toHaveLength(3);

      const res = await apiFetch(server.url, '/api/v1/erasure', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ appId: ERASURE_APP, userId: alice }),
      });
      expect(res.status).toBe(200);
      const result = await res.json();
      // The numbers of the DuckDB store's test (server/src/privacy/erasure.http.test.ts).
      expect(result).toMatchObject({ appId: ERASURE_APP, subject: 'user', sessions: 2 });
      expect(result.deleted).toMatchObject({ sessions: 2, replay_segments: 2, spans: 4, metric_points: 2 });
      const sessions = await getJson(server.url, `/api/v1/sessions?app_id=${ERASURE_APP}`);
      expect(sessions.items.map((s: { sessionId: string }) => s.sessionId)).toEqual(['sB1']);
      expect((await apiFetch(server.url, `/api/v1/traces/${traceA}`)).status).toBe(404);

      const audit = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'audit: erasure');
      expect(audit).toEqual([
        expect.objectContaining({
          appId: ERASURE_APP,
          subject: 'user',
          idSha256: auditDigest(alice),
          sessions: 2,
        }),
      ]);
      expect(lines.join('')).not.toContain(alice);
      const stored = await dump(client, 'rum_http');
      expect(holding(stored, [alice, 'sA1', 'sA2', traceA])).toEqual(new Map());
      expect([...holding(stored, ['bob-91c']).values()].flat().length).toBeGreaterThanOrEqual(8);
    } finally {
      await server.close();
      await client.close();
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
