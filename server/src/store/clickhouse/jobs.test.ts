/*
 * Retention and usage on the ClickHouse store, run on the real engine (chdb, through
 * @clickhouse/client over chdb-http.ts), beside the DuckDB store's jobs on the same input: the same
 * rows are deleted from every table, the same are kept, and the answers are the same. Needs chdb
 * (scripts/install-test-deps.sh).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import {
  DEFAULT_RETENTION_DAYS,
  RUM_REPLAY_END,
  RUM_REPLAY_START,
  type Application,
  type EventKind,
} from '@otel-rum/model';
import { eventRow } from '../../../../tests/support/event-rows';
import { DuckDbApplicationRepository } from '../../apps/duckdb-repository';
import type { ApplicationRepository } from '../../apps/repository';
import { DuckDbRetention, RetentionJob, type RetentionRun } from '../../jobs/retention';
import { UsageJob } from '../../jobs/usage';
import { createLogger } from '../../log';
import { DuckDbStore } from '../duckdb/duckdb-store';
import type { EventRow, WriteBatch } from '../rows';
import type { RumStore } from '../store';
import { startChdbHttp, type ChdbHttp } from './chdb-http';
import { ClickHouseStore } from './clickhouse-store';
import { ClientExecutor, type ClickHouseExecutor } from './executor';
import { ClickHouseRetention } from './jobs';

jest.setTimeout(60_000);

const NOW = Date.now();
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const log = createLogger('error');

function app(appId: string, retentionDays: number, previousAppIds: string[] = []): Application {
  return {
    appId,
    name: appId,
    type: 'web',
    allowedOrigins: ['*'],
    sessionSampleRate: 1,
    traceSampleRate: 1,
    replaySampleRate: 1,
    retentionDays,
    dashboards: [],
    rateLimit: null,
    previousAppIds,
    createdAt: new Date(NOW).toISOString(),
    updatedAt: new Date(NOW).toISOString(),
  };
}

/**
 * `shop` keeps 3 days (and its data under the id it had before, `shop_old`), `archive` 14 days;
 * `stray` has no application (the default window, 7 days). Backend spans and metric points without an
 * application keep the longest window (14 days).
 */
const APPS = [app('shop', 3, ['shop_old']), app('archive', 14)];
const AGES_DAYS = [1, 5, 10, 20];

let n = 0;
/** One session of `appId` that started `ageMs` ago and lasted `lengthMs`: two views, sent in two batches. */
function session(appId: string, ageMs: number, lengthMs = 10 * 60_000): WriteBatch[] {
  const sessionId = `${appId}-${n++}`;
  const start = NOW - ageMs;
  const at = (ms: number) => BigInt(start + ms) * 1000n;
  const common = { appId, sessionId, serviceName: appId };
  const batches: WriteBatch[] = [];
  for (const [v, offset] of [0, lengthMs].entries()) {
    const viewId = `${sessionId}-v${v}`;
    const ev = (kind: EventKind, ms: number, f: Partial<EventRow> = {}) =>
      eventRow({ ...common, kind, timeUs: at(offset + ms), viewId, id: `${viewId}-${kind}-${ms}`, ...f });
    const traceId = `${(n++).toString(16)}`.padStart(32, 'a');
    batches.push({
      events: [
        ev('view', 0, { path: '/' }),
        ev('action', 1000),
        ev('error', 2000, { fingerprint: 'fp', label: 'boom', type: 'Error' }),
        ev('resource', 3000, { traceId, durationMs: 12 }),
        ev('replay_segment', 4000, {
          attributes: { [RUM_REPLAY_START]: start + offset, [RUM_REPLAY_END]: start + offset + 30_000 },
        }),
        ev('view', 5000, { path: '/', durationMs: 5000 }),
      ],
      spans: [null, 'api'].map((service, i) => ({
        traceId,
        spanId: `${i}`.padStart(16, 'b'),
        parentSpanId: null,
        name: 'GET',
        kind: 3,
        startUs: at(offset + 3000),
        durationMs: 12,
        statusCode: 0,
        statusMessage: null,
        serviceName: service ?? appId,
        // The backend's span has no application.
        appId: service ? null : appId,
        sessionId: service ? null : sessionId,
        scopeName: null,
        attributes: {},
        events: [],
        resource: {},
      })),
      metricPoints: [appId, null].map((a) => ({
        timeUs: at(offset),
        appId: a,
        serviceName: a ?? 'api',
        name: 'http.server.duration',
        unit: 'ms',
        value: 1,
        attributes: {},
      })),
      replaySegments: [
        {
          appId,
          sessionId,
          viewId,
          sequence: 0,
          timeUs: at(offset + 4000),
          startMs: start + offset,
          endMs: start + offset + 30_000,
          eventCount: 1,
          hasFullSnapshot: true,
          encoding: 'json',
          privacy: 'mask',
          payload: new TextEncoder().encode('[]'),
        },
      ],
    });
  }
  return batches;
}

const clone = (b: WriteBatch): WriteBatch => ({
  events: b.events.map((e) => ({ ...e })),
  spans: b.spans.map((s) => ({ ...s })),
  metricPoints: b.metricPoints.map((m) => ({ ...m })),
  replaySegments: b.replaySegments?.map((r) => ({ ...r })),
});

let dir: string;
let engine: ChdbHttp;
let duck: DuckDbStore;
let ch: ClickHouseStore;
let duckApps: DuckDbApplicationRepository;
let appsConn: DuckDBConnection;
let chApps: ApplicationRepository;
let duckUsage: UsageJob;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rum-ch-jobs-'));
  engine = await startChdbHttp(join(dir, 'chdb'));
  const client = new ClientExecutor({ url: engine.url, username: 'default', password: '', database: 'rum' });
  [duck, ch] = await Promise.all([
    DuckDbStore.open(':memory:'),
    ClickHouseStore.open(client, { database: 'rum' }),
  ]);
  appsConn = await duck.connect();
  duckApps = new DuckDbApplicationRepository(appsConn);
  chApps = ch.applications();
  for (const a of APPS) {
    await duckApps.insert(a);
    await chApps.insert(a);
  }
  // One batch of all the sessions (fewer round trips), each view's records written together ...
  const all: WriteBatch = { events: [], spans: [], metricPoints: [], replaySegments: [] };
  for (const appId of ['shop', 'shop_old', 'archive', 'stray'])
    for (const age of AGES_DAYS)
      for (const b of session(appId, age * DAY)) {
        all.events.push(...b.events);
        all.spans.push(...b.spans);
        all.metricPoints.push(...b.metricPoints);
        all.replaySegments!.push(...b.replaySegments!);
      }
  // ... and a session across a window's edge, in two batches: its first view is past shop's 3 days,
  // its second is not.
  const batches = [all, ...session('shop', 3 * DAY + HOUR, 2 * HOUR)];
  for (const b of batches) {
    await duck.write(clone(b));
    await ch.write(clone(b));
  }
  duckUsage = new UsageJob(() => duck.connect(), log);
  await duckUsage.start();
});

afterAll(async () => {
  await duckUsage?.close();
  appsConn?.closeSync();
  await Promise.allSettled([duck?.close(), ch?.close()]);
  await engine?.close();
  rmSync(dir, { recursive: true, force: true });
});

const duckRetention = () =>
  new RetentionJob(
    new DuckDbRetention(
      () => duck.connect(),
      (work) => duck.withSummariesFolded(work),
    ),
    log,
    () => NOW,
  );
const chRetention = () => new RetentionJob(ch.retention(), log, () => NOW);
const KINDS: EventKind[] = ['view', 'action', 'error', 'resource', 'replay_segment'];

/** What each store keeps, per application: sessions, events of each kind, traces, replay segments. */
async function kept(s: RumStore) {
  const sessions = (await s.listSessions({ limit: 500 })).items;
  const out: Record<string, unknown> = { sessions };
  for (const kind of KINDS) out[kind] = (await s.listEvents(kind, { limit: 500 })).items;
  const resources = out.resource as { traceId: string | null }[];
  out.traces = await Promise.all(resources.map((r) => s.trace(r.traceId!)));
  out.replays = await Promise.all(
    sessions.map((x) => s.replaySegments({ sessionId: x.sessionId, appId: x.appId, limit: 100 })),
  );
  return out;
}

const withoutTimes = (r: RetentionRun) => ({ ...r, ranAt: undefined, durationMs: undefined });

/** Ages in days (rounded down) of the sessions an application still has. */
async function sessionAges(s: RumStore, appId: string): Promise<number[]> {
  const items = (await s.listSessions({ appId, limit: 500 })).items;
  return items.map((x) => Math.floor((NOW - Date.parse(x.start)) / DAY)).sort((a, b) => a - b);
}

it('counts usage as the DuckDB store does, and keeps it when retention deletes the events', async () => {
  const range: [number, number, null] = [NOW - 30 * DAY, NOW + DAY, null];
  const before = await duckUsage.read(...range);
  expect(before.length).toBeGreaterThanOrEqual(4 * AGES_DAYS.length);
  expect(before.find((u) => u.appId === 'archive')).toMatchObject({
    pageViews: 2,
    sessions: 1,
    replayMinutes: 1,
  });
  expect(await ch.usage().read(...range)).toEqual(before);
  expect(await ch.usage().read(NOW - 6 * DAY, NOW, 'shop')).toEqual(
    await duckUsage.read(NOW - 6 * DAY, NOW, 'shop'),
  );
});

it('deletes what is past each application window from every table, on both stores alike', async () => {
  const [a, b] = [await duckRetention().runOnce(), await chRetention().runOnce()];
  expect(a.unattributedDays).toBe(14);
  expect(a.defaultDays).toBe(DEFAULT_RETENTION_DAYS);
  expect(a.deleted.events).toBeGreaterThan(0);
  expect(a.deleted.views).toBeGreaterThan(0);
  expect(withoutTimes(b)).toEqual({
    ...withoutTimes(a),
    deleted: { ...a.deleted, generatedMetricBuckets: 0 },
  });
  // shop (3 days, also under shop_old): what is 1 day old, and the session across its window's edge.
  expect(await sessionAges(ch, 'shop')).toEqual([1, 3]);
  expect(await sessionAges(ch, 'shop_old')).toEqual([1]);
  // No application: 7 days. archive: 14 days, its 5- and 10-day-old sessions untouched.
  expect(await sessionAges(ch, 'stray')).toEqual([1, 5]);
  expect(await sessionAges(ch, 'archive')).toEqual([1, 5, 10]);
  // The session across the edge keeps its summary; its first view went, its second stayed.
  const edge = (await ch.listSessions({ appId: 'shop', limit: 10 })).items.find((x) => x.durationMs > HOUR)!;
  const edgeViews = (await ch.listEvents('view', { sessionId: edge.sessionId, limit: 10 })).items;
  expect(edgeViews.map((v) => v.viewId)).toEqual([`${edge.sessionId}-v1`]);
  const [ka, kb] = [await kept(duck), await kept(ch)];
  expect(kb).toEqual(ka);
  expect((ka.traces as unknown[][]).every((t) => t.length === 2)).toBe(true);
  // Nothing more to delete: a second run deletes nothing.
  const again = await chRetention().runOnce();
  expect(Object.values(again.deleted).every((x) => x === 0)).toBe(true);
  // Usage rows stay, as on DuckDB.
  expect((await ch.usage().read(NOW - 30 * DAY, NOW + DAY, 'archive')).length).toBe(AGES_DAYS.length);
});

it('keeps less once an application keeps fewer days', async () => {
  for (const repo of [duckApps, chApps]) await repo.replace('archive', { ...APPS[1]!, retentionDays: 3 });
  const [a, b] = [await duckRetention().runOnce(), await chRetention().runOnce()];
  expect(a.deleted.events).toBeGreaterThan(0);
  expect(withoutTimes(b)).toEqual(withoutTimes(a));
  expect(await sessionAges(ch, 'archive')).toEqual([1]);
  expect(await kept(ch)).toEqual(await kept(duck));
});

it('on a cluster, deletes from the local tables on every node (statements checked: chdb has no cluster)', async () => {
  for (const b of [...session('shop', 5 * DAY), ...session('shop', 20 * DAY)]) await ch.write(clone(b));
  // Counts read the tables a cluster reads (the Distributed ones have the single node's names) and
  // run; the ALTERs a cluster needs cannot run here, so they are kept to be checked.
  const client = new ClientExecutor({ url: engine.url, username: 'default', password: '', database: 'rum' });
  const commands: string[] = [];
  const x: ClickHouseExecutor = {
    query: (sql, params) => client.query(sql, params),
    insert: (table, rows) => client.insert(table, rows),
    command: (sql) => Promise.resolve(void commands.push(sql)),
    close: () => client.close(),
  };
  try {
    const run = await new ClickHouseRetention(x, { database: 'rum', cluster: 'main' }, chApps).apply(NOW);
    // 12 events and 2 segments of each session; the 20-day-old one's partitions are not dropped here,
    // so the mutation's count sees them again.
    expect(run.deleted).toMatchObject({ events: 12 * 3, sessions: 2, views: 4, replaySegments: 2 * 3 });
    const on = (t: string) => `ALTER TABLE \`rum\`.\`${t}_local\` ON CLUSTER \`main\``;
    for (const t of ['events', 'otel_traces', 'metric_points', 'replay_segments']) {
      expect(commands).toContainEqual(
        expect.stringMatching(new RegExp(`^${on(t)} DROP PARTITION '\\d{4}-\\d\\d-\\d\\d'$`)),
      );
      expect(commands).toContainEqual(
        expect.stringMatching(new RegExp(`^${on(t)} DELETE WHERE [^]* SETTINGS mutations_sync = 2$`)),
      );
    }
    for (const [t, source] of [
      ['sessions', 'sessions'],
      ['views', 'view_starts'],
      ['view_starts', 'view_starts'],
    ]) {
      expect(commands).toContainEqual(
        expect.stringMatching(
          new RegExp(
            `^${on(t!)} DELETE WHERE \\(app_id, \\w+\\) IN \\(SELECT [^]* FROM \`rum\`.\`${source}_local\` [^]* SETTINGS mutations_sync = 2, allow_nondeterministic_mutations = 1$`,
          ),
        ),
      );
    }
    expect(commands.every((c) => c.includes('_local` ON CLUSTER `main`'))).toBe(true);
  } finally {
    await x.close();
  }
});
