/*
 * Two real server processes (server/dist/main.js) with RUM_STORE=clickhouse share one ClickHouse
 * engine (chdb behind chdb-http.ts): what is changed through one is in force on the
 * other within REPLICA_STATE_REFRESH_MS, and what one ingests the other answers. Needs the build
 * (npm test builds first) and chdb (scripts/install-test-deps.sh).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DEFAULT_RETENTION_DAYS,
  EventName,
  REPLICA_STATE_REFRESH_MS,
  RUM_VIEW_ID,
  SESSION_ID,
  URL_FULL,
} from '@otel-rum/model';
import { startChdbHttp, type ChdbHttp } from './chdb-http';
import { GENERATED_METRICS_FLUSH_INTERVAL_MS } from '../../metrics/engine';
import { sendRumEvents } from '../../../../tests/support/rum-events';

jest.setTimeout(120_000);

const MAIN = join(__dirname, '..', '..', '..', 'dist', 'main.js');
const ADMIN = 'rum_replica_test_admin_token';

interface Replica {
  url: string;
  child: ChildProcess;
}

async function startReplica(engine: string): Promise<Replica> {
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH,
      RUM_STORE: 'clickhouse',
      RUM_CLICKHOUSE_URL: engine,
      RUM_CLICKHOUSE_DATABASE: 'rum',
      RUM_HOST: '127.0.0.1',
      RUM_PORT: '0',
      RUM_ADMIN_TOKEN: ADMIN,
      RUM_DEMO: 'false',
      RUM_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      output += d.toString();
      const m = /otel-rum server on (http:\/\/\S+)/.exec(output);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`replica exited with ${code}:\n${output}`)));
  });
  return { url, child };
}

async function stop(r: Replica | undefined): Promise<void> {
  if (!r || r.child.exitCode !== null) return;
  const exited = new Promise((res) => r.child.once('exit', res));
  r.child.kill('SIGTERM');
  await exited;
}

const api = (r: Replica, path: string, init: RequestInit = {}, token = ADMIN) =>
  fetch(r.url + path, {
    ...init,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
  });

/** Milliseconds until `check` holds, polling every 50 ms; fails past `limitMs`. */
async function within(limitMs: number, check: () => Promise<boolean>): Promise<number> {
  const start = Date.now();
  for (;;) {
    if (await check()) return Date.now() - start;
    if (Date.now() - start > limitMs) throw new Error(`not in force after ${limitMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The bound a change is in force within: the refresh interval and one read of ClickHouse (here chdb over HTTP, on a CI machine that may be busy with other tests). */
const BOUND_MS = REPLICA_STATE_REFRESH_MS + 3000;
/** What one replica's rules counted is stored at its next flush and read by the others at their next refresh. */
const SERIES_BOUND_MS = GENERATED_METRICS_FLUSH_INTERVAL_MS + BOUND_MS;

/** Milliseconds until each change made through one replica was in force on the other. */
const took: Record<string, number> = {};

let dir: string;
let engine: ChdbHttp;
let a: Replica;
let b: Replica;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rum-replicas-'));
  engine = await startChdbHttp(join(dir, 'chdb'));
  // One after the other: the second finds the schema made by the first.
  a = await startReplica(engine.url);
  b = await startReplica(engine.url);
});

afterAll(async () => {
  process.stdout.write(`replicas: in force on the other replica after (ms) ${JSON.stringify(took)}\n`);
  await Promise.allSettled([stop(a), stop(b)]);
  await engine?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('two server processes over one ClickHouse', () => {
  it('admits ingest on one replica for an application registered through the other, within the bound', async () => {
    const created = await api(a, '/api/v1/apps', {
      method: 'POST',
      body: JSON.stringify({ appId: 'replica_shop', name: 'Shop', type: 'web', allowedOrigins: ['*'] }),
    });
    expect(created.status).toBe(201);
    took.application = await within(
      BOUND_MS,
      async () => (await api(b, '/api/v1/apps/replica_shop')).status === 200,
    );

    const t0 = Date.now();
    await sendRumEvents(b.url, 'replica_shop', [
      {
        eventName: EventName.VIEW,
        timeMs: t0,
        attributes: { [SESSION_ID]: 'replica-s1', [RUM_VIEW_ID]: 'v1', [URL_FULL]: 'https://shop.example/' },
      },
    ]);
    // Acknowledged by B only once ClickHouse has it: A answers at once.
    const res = await api(a, '/api/v1/sessions?app_id=replica_shop');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: { sessionId: string; viewCount: number }[] };
    expect(body.items).toEqual([expect.objectContaining({ sessionId: 'replica-s1', viewCount: 1 })]);
  });

  it('answers usage and runs retention over HTTP on ClickHouse, what one replica ingested counted on the other', async () => {
    const usage = await api(a, '/api/v1/usage?app_id=replica_shop');
    expect(usage.status).toBe(200);
    const day = new Date().toISOString().slice(0, 10);
    expect(((await usage.json()) as { items: unknown[] }).items).toEqual([
      { appId: 'replica_shop', day, pageViews: 1, sessions: 1, replayMinutes: 0 },
    ]);
    const run = await api(b, '/api/v1/retention/run', { method: 'POST' });
    expect(run.status).toBe(200);
    // The view is new: nothing of it is past any window.
    expect(await run.json()).toMatchObject({
      defaultDays: DEFAULT_RETENTION_DAYS,
      deleted: { events: 0, sessions: 0, views: 0, spans: 0, metricPoints: 0, replaySegments: 0 },
    });
    expect((await api(a, '/api/v1/sessions?app_id=replica_shop')).status).toBe(200);
  });

  it('accepts a token made on one replica on the other within the bound, and refuses it there once deleted', async () => {
    const made = await api(a, '/api/v1/tokens', {
      method: 'POST',
      body: JSON.stringify({ name: 'reader', role: 'read' }),
    });
    expect(made.status).toBe(201);
    const { id, token } = (await made.json()) as { id: string; token: string };
    await within(BOUND_MS, async () => (await api(b, '/api/v1/apps', {}, token)).status === 200);
    expect((await api(a, `/api/v1/tokens/${id}`, { method: 'DELETE' })).status).toBe(204);
    await within(BOUND_MS, async () => (await api(b, '/api/v1/apps', {}, token)).status === 401);
  });

  it('evaluates a metric rule made on one replica on the other within the bound, and exposes it on both', async () => {
    const rule = {
      name: 'replica_views_total',
      kind: 'view',
      filter: 'path ~ "/r/*"',
      aggregation: 'count',
      dimensions: ['path'],
      intervalSeconds: 10,
    };
    const made = await api(a, '/api/v1/metrics/rules', { method: 'POST', body: JSON.stringify(rule) });
    expect(made.status).toBe(201);
    took.ruleOnOther = await within(
      BOUND_MS,
      async () => (await api(b, '/api/v1/metrics/rules/replica_views_total')).status === 200,
    );
    const t0 = Date.now() - 10_000;
    await sendRumEvents(
      b.url,
      'replica_shop',
      [
        ['v2', '/r/a', 0],
        ['v3', '/r/b', 1000],
        ['v4', '/r/a', 2000],
      ].map(([view, path, at]) => ({
        eventName: EventName.VIEW,
        timeMs: t0 + (at as number),
        attributes: {
          [SESSION_ID]: 'replica-s2',
          [RUM_VIEW_ID]: view as string,
          [URL_FULL]: `https://shop.example${path}`,
        },
      })),
    );
    // B evaluated them; A reads what B flushed at its next refresh.
    const counted = (r: Replica) => async () => {
      const text = await (await fetch(`${r.url}/metrics`)).text();
      return (
        text.includes('replica_views_total{path="/r/a"} 2') &&
        text.includes('replica_views_total{path="/r/b"} 1')
      );
    };
    took.seriesOnOther = await within(SERIES_BOUND_MS, counted(a));
    expect(await counted(b)()).toBe(true);
    const series = (await (
      await api(a, `/api/v1/metrics/rules/replica_views_total/series?from=${t0 - 60_000}&to=${t0 + 60_000}`)
    ).json()) as { series: { labels: Record<string, string>; points: { count: number }[] }[] };
    const counts = Object.fromEntries(
      series.series.map((s) => [s.labels.path, s.points.reduce((n, p) => n + p.count, 0)]),
    );
    expect(counts).toEqual({ '/r/a': 2, '/r/b': 1 });
    expect((await api(b, '/api/v1/metrics/rules/replica_views_total', { method: 'DELETE' })).status).toBe(
      204,
    );
    took.ruleGone = await within(
      BOUND_MS,
      async () => (await api(a, '/api/v1/metrics/rules/replica_views_total')).status === 404,
    );
    expect(await (await fetch(`${a.url}/metrics`)).text()).not.toContain('replica_views_total');
  });

  it('analyses a journey made on one replica on the other, over what the other ingested', async () => {
    const made = await api(a, '/api/v1/journeys', {
      method: 'POST',
      body: JSON.stringify({
        name: 'A then B',
        appId: 'replica_shop',
        steps: [
          { type: 'view', path: '/r/a' },
          { type: 'view', path: '/r/b' },
        ],
      }),
    });
    expect(made.status).toBe(201);
    const { id } = (await made.json()) as { id: string };
    took.journeyOnOther = await within(
      BOUND_MS,
      async () => (await api(b, `/api/v1/journeys/${id}`)).status === 200,
    );
    const analysis = (await (
      await api(b, `/api/v1/journeys/${id}/analysis?from=${Date.now() - 3_600_000}`)
    ).json()) as {
      steps: { sessions: number; medianMsFromPrevious: number | null }[];
      completed: { items: unknown[] };
    };
    expect(analysis.steps.map((s) => [s.sessions, s.medianMsFromPrevious])).toEqual([
      [1, null],
      [1, 1000],
    ]);
    expect(analysis.completed.items).toEqual([
      expect.objectContaining({ sessionId: 'replica-s2', durationMs: 1000 }),
    ]);
    expect((await api(b, `/api/v1/journeys/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await api(a, `/api/v1/journeys/${id}`)).status).toBe(404);
  });

  it('erases a session through one replica: the other no longer answers it', async () => {
    const res = await api(b, '/api/v1/erasure', {
      method: 'POST',
      body: JSON.stringify({ appId: 'replica_shop', sessionId: 'replica-s1' }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ subject: 'session', sessions: 1, deleted: { sessions: 1 } });
    const left = (await (await api(a, '/api/v1/sessions?app_id=replica_shop')).json()) as {
      items: { sessionId: string }[];
    };
    expect(left.items.map((x) => x.sessionId)).not.toContain('replica-s1');
  });

  it('stops admitting an application on the other replica within the bound once it is deleted', async () => {
    expect((await api(b, '/api/v1/apps/replica_shop', { method: 'DELETE' })).status).toBe(204);
    await within(BOUND_MS, async () => (await api(a, '/api/v1/apps/replica_shop')).status === 404);
  });
});
