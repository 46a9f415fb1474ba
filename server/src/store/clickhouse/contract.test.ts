/*
 * The store contract: the same batches written to the DuckDB store and to the ClickHouse store, then
 * every RumStore query asked of both; the answers must be the same. The ClickHouse store talks
 * through @clickhouse/client over HTTP, as in production, to the real ClickHouse engine (chdb, behind
 * chdb-http.ts). Needs chdb (scripts/install-test-deps.sh).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  RUM_REPLAY_END,
  RUM_REPLAY_START,
  RUM_VIEW_ENDED,
  RUM_VIEW_TIME_SPENT,
  type EventKind,
} from '@otel-rum/model';
import { eventRow } from '../../../../tests/support/event-rows';
import type { AggregateQuery, FacetQuery } from '../analytics';
import { DuckDbStore } from '../duckdb/duckdb-store';
import type { EventRow, ReplaySegmentRow, SpanRow, WriteBatch } from '../rows';
import type { EventQuery, RumStore } from '../store';
import { startChdbHttp, type ChdbHttp } from './chdb-http';
import { ClientExecutor } from './executor';
import { ClickHouseStore } from './clickhouse-store';
import { UsageJob } from '../../jobs/usage';
import { createLogger } from '../../log';
import type { MetricRuleDefinition } from '@otel-rum/model';
import { MetricsEngine } from '../../metrics/engine';
import { MetricTables } from '../../metrics/metric-tables';
import { renderExposition } from '../../metrics/exposition';
import type { AnalysisQuery, JourneyAnalysis } from '../../journeys/analysis';
import type { Journey, JourneyDefinition } from '../../journeys/journey';
import { JourneyStore, type Journeys } from '../../journeys/journey-store';

jest.setTimeout(120_000);

const T0 = Date.UTC(2026, 10, 27, 12, 0, 0);
const us = (ms: number) => BigInt(ms) * 1000n;

/** A small deterministic generator, so both stores get the same data and a failure replays. */
function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x80000000;
  };
}

const APPS = ['shop', 'blog'];
const BROWSERS = ['Chrome', 'Firefox', 'Safari'];
const PATHS = ['/', '/cart', '/checkout', '/product/1'];
const ERRORS = [
  ['TypeError', 'x is undefined', 'fp-type'],
  ['RangeError', 'bad length', 'fp-range'],
  ['Error', 'network down', 'fp-net'],
] as const;

/** Sessions of views (each sent at start and at end), actions, resources, errors and web vitals. */
function generate(): { batches: WriteBatch[]; traceIds: string[]; sessions: string[] } {
  const r = rng(7);
  const pick = <T>(a: readonly T[]) => a[Math.floor(r() * a.length)]!;
  const batches: WriteBatch[] = [];
  const traceIds: string[] = [];
  const sessions: string[] = [];
  let n = 0;
  const id = () => `00000000-0000-7000-8000-${(n++).toString(16).padStart(12, '0')}`;
  for (let s = 0; s < 24; s++) {
    const appId = APPS[s % 2]!;
    const sessionId = `sess-${s}`;
    sessions.push(sessionId);
    const browser = pick(BROWSERS);
    const common = {
      appId,
      sessionId,
      browser,
      os: s % 3 === 0 ? 'Windows' : 'Linux',
      country: s % 4 === 0 ? null : 'DE',
      userId: s % 5 === 0 ? null : `user-${s % 7}`,
      serviceName: appId,
      serviceVersion: s < 12 ? '1.0.0' : '1.1.0',
      environment: 'prod',
      userAgent: `UA ${browser}`,
    };
    let t = T0 + s * 97_000 + Math.floor(r() * 1000);
    const events: EventRow[] = [];
    const spans: SpanRow[] = [];
    const replays: ReplaySegmentRow[] = [];
    const ev = (kind: EventKind, fields: Partial<EventRow>) => {
      t += 1 + Math.floor(r() * 3000);
      events.push(eventRow({ ...common, kind, timeUs: us(t) + BigInt(s), id: id(), ...fields }));
    };
    for (let v = 0; v < 1 + (s % 3); v++) {
      const viewId = `${sessionId}-v${v}`;
      const path = pick(PATHS);
      const url = `https://${appId}.example${path}`;
      const view = { viewId, url, path, label: path, name: 'page_view' };
      ev('view', { ...view, type: v === 0 ? 'initial_load' : 'route_change' });
      ev('action', {
        viewId,
        label: `click ${path}`,
        type: 'click',
        attributes: { 'rum.action.target': 'button' },
      });
      for (let k = 0; k < 3; k++) {
        const traceId = `${(s * 10 + v).toString(16).padStart(8, '0')}${k}`.padEnd(32, 'a');
        ev('resource', {
          viewId,
          url: `https://api.example/items/${k}`,
          label: `GET /items/${k}`,
          traceId,
          spanId: `${k}`.padEnd(16, 'b'),
          durationMs: Math.round(r() * 8000) / 10,
          status: r() < 0.2 ? 500 : r() < 0.1 ? 404 : 200,
          type: 'fetch',
          attributes: { 'http.request.method': 'GET', 'server.port': 443, 'rum.sample': r() < 0.5 },
        });
        if (k === 0) {
          traceIds.push(traceId);
          const startUs = us(t);
          spans.push({
            traceId,
            spanId: 'b'.repeat(16),
            parentSpanId: null,
            name: 'GET',
            kind: 3,
            startUs,
            durationMs: 12.345,
            statusCode: 0,
            statusMessage: null,
            serviceName: appId,
            appId,
            sessionId,
            scopeName: '@opentelemetry/instrumentation-fetch',
            attributes: { 'http.request.method': 'GET', 'http.response.status_code': 200 },
            events: [{ timeUs: String(startUs + 1000n), name: 'fetchStart', attributes: {} }],
            resource: { 'service.name': appId },
          });
          spans.push({
            traceId,
            spanId: 'c'.repeat(16),
            parentSpanId: 'b'.repeat(16),
            name: 'GET /items',
            kind: 2,
            startUs: startUs + 2000n,
            durationMs: 7.5,
            statusCode: 2,
            statusMessage: 'boom',
            serviceName: 'api',
            appId: null,
            sessionId: null,
            scopeName: null,
            attributes: { 'http.route': '/items/:id' },
            events: [],
            resource: { 'service.name': 'api' },
          });
        }
      }
      if (r() < 0.6) {
        const [type, message, fp] = pick(ERRORS);
        ev('error', {
          viewId,
          label: message,
          type,
          fingerprint: fp,
          attributes: { 'exception.type': type },
        });
      }
      for (const name of ['LCP', 'CLS']) {
        ev('web_vital', {
          viewId,
          name: 'web_vital',
          type: name,
          value: name === 'LCP' ? Math.round(r() * 40000) / 10 : Math.round(r() * 1000) / 1000,
          attributes: { 'browser.web_vital.name': name },
        });
      }
      ev('view', {
        ...view,
        type: v === 0 ? 'initial_load' : 'route_change',
        durationMs: 1000 + v,
        attributes: { [RUM_VIEW_ENDED]: true, [RUM_VIEW_TIME_SPENT]: 1000 + v },
      });
      if (s % 4 === 1) {
        ev('replay_segment', {
          viewId,
          label: 'replay',
          attributes: { [RUM_REPLAY_START]: t, [RUM_REPLAY_END]: t + 500 + v * 250 },
        });
        replays.push({
          appId,
          sessionId,
          viewId,
          sequence: v,
          timeUs: us(t),
          startMs: t,
          endMs: t + 500,
          eventCount: 3,
          hasFullSnapshot: v === 0,
          encoding: 'json',
          privacy: 'mask',
          payload: new TextEncoder().encode(JSON.stringify([{ type: 2, v }])),
        });
      }
    }
    // A session arrives in two batches, the second one with its first view's end out of order.
    const half = Math.ceil(events.length / 2);
    batches.push({ events: events.slice(0, half), spans, metricPoints: [], replaySegments: replays });
    batches.push({ events: events.slice(half).reverse(), spans: [], metricPoints: [] });
  }
  return { batches, traceIds, sessions };
}

const clone = (b: WriteBatch): WriteBatch => ({
  events: b.events.map((e) => ({ ...e })),
  spans: b.spans.map((s) => ({ ...s })),
  metricPoints: [],
  replaySegments: b.replaySegments?.map((r) => ({ ...r })),
});

let dir: string;
let duck: DuckDbStore;
let ch: ClickHouseStore;
let engine: ChdbHttp;
let data: ReturnType<typeof generate>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rum-contract-'));
  data = generate();
  engine = await startChdbHttp(join(dir, 'chdb'));
  // Through @clickhouse/client over HTTP, as a server talks to ClickHouse, to the engine in chdb.
  const client = new ClientExecutor({ url: engine.url, username: 'default', password: '', database: 'rum' });
  [duck, ch] = await Promise.all([
    DuckDbStore.open(':memory:'),
    ClickHouseStore.open(client, { database: 'rum' }),
  ]);
  for (const b of data.batches) {
    await duck.write(clone(b));
    await ch.write(clone(b));
  }
});

afterAll(async () => {
  await Promise.allSettled([duck?.close(), ch?.close()]);
  await engine?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Both stores' answers to one question. */
async function both<T>(ask: (s: RumStore) => Promise<T>): Promise<[T, T]> {
  return [await ask(duck), await ask(ch)];
}

/** Numbers to 10 significant digits: two engines may sum floating point in different orders. */
function rounded(v: unknown): unknown {
  if (typeof v === 'number') return Number(v.toPrecision(10));
  if (Array.isArray(v)) return v.map(rounded);
  if (v && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, rounded(x)]));
  return v;
}

/** Every page of a list, following cursors. */
async function allPages<T>(
  s: RumStore,
  list: (s: RumStore, cursor?: string) => Promise<{ items: T[]; nextCursor: string | null }>,
) {
  const out: T[][] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 50; i++) {
    const page = await list(s, cursor);
    out.push(page.items);
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return out;
}

const RANGE = { fromMs: T0, toMs: T0 + 3_600_000 };

describe('the ClickHouse store answers as the DuckDB store does (chdb engine)', () => {
  it('has the data in both', async () => {
    const [a, b] = await both((s) => s.listSessions({ limit: 500 }));
    expect(a.items).toHaveLength(24);
    expect(b.items).toEqual(a.items);
  });

  const lists: [EventKind, Partial<EventQuery>][] = [
    ['view', {}],
    ['resource', {}],
    ['resource', { sort: { field: 'duration', desc: true } }],
    ['resource', { sort: { field: 'duration', desc: false } }],
    ['resource', { sort: { field: 'status', desc: true }, filter: 'status >= 400' }],
    ['web_vital', { sort: { field: 'value', desc: true }, filter: 'type = "LCP"' }],
    ['error', { appId: 'shop' }],
    ['action', { filter: 'browser = "Chrome" and label exists' }],
    ['resource', { filter: 'attr."http.request.method" = "GET" and duration > 300' }],
    ['resource', { filter: 'url contains "ITEMS/1"' }],
    ['resource', { filter: 'has_replay' }],
    ['view', { filter: 'path in ("/cart", "/checkout")', sort: { field: 'time', desc: false } }],
    ['view', { sessionId: 'sess-5' }],
    ['error', { viewId: 'sess-3-v0' }],
    ['error', { filter: 'not has_replay and label ~ "*down"' }],
    ['resource', { fromMs: T0 + 600_000, toMs: T0 + 1_200_000 }],
  ];
  it.each(lists)('lists %s events %j, page by page', async (kind, q) => {
    const [a, b] = await both((s) =>
      allPages(s, (st, cursor) => st.listEvents(kind, { ...RANGE, ...q, limit: 7, cursor })),
    );
    expect(a.flat().length).toBeGreaterThan(0);
    expect(b).toEqual(a);
  });

  const sessionLists: Partial<EventQuery>[] = [
    {},
    { sort: { field: 'duration', desc: true } },
    { sort: { field: 'views', desc: false } },
    { sort: { field: 'errors', desc: true } },
    { sort: { field: 'events', desc: true } },
    { sort: { field: 'end', desc: false } },
    { filter: 'browser = "Firefox"' },
    { filter: 'has_replay' },
    { filter: 'status >= 500' },
    { viewId: 'sess-2-v1' },
    { appId: 'blog', fromMs: T0 + 500_000, toMs: T0 + 1_500_000 },
  ];
  it.each(sessionLists)('lists sessions %j, page by page', async (q) => {
    const [a, b] = await both((s) =>
      allPages(s, (st, cursor) => st.listSessions({ ...q, limit: 5, cursor })),
    );
    expect(a.flat().length).toBeGreaterThan(0);
    expect(b).toEqual(a);
  });

  it('gets one event, a session, its timeline, a trace and replay segments', async () => {
    const [page] = await both((s) => s.listEvents('error', { limit: 3 }));
    for (const e of page.items) {
      const [a, b] = await both((s) => s.getEvent(e.id));
      expect(b).toEqual(a);
    }
    expect(await ch.getEvent('no-such-id')).toBeNull();
    for (const id of ['sess-1', 'sess-4', 'sess-9']) {
      const [sa, sb] = await both((s) => s.getSession(id));
      expect(sa).not.toBeNull();
      expect(sb).toEqual(sa);
      const [ta, tb] = await both((s) => s.timeline(id, id === 'sess-1' ? 'blog' : undefined));
      expect(ta.length).toBeGreaterThan(5);
      expect(tb).toEqual(ta);
    }
    for (const t of data.traceIds.slice(0, 4)) {
      const [a, b] = await both((s) => s.trace(t.toUpperCase()));
      expect(a).toHaveLength(2);
      expect(b).toEqual(a);
    }
    const [r1, r2] = await both((s) => s.replaySegments({ sessionId: 'sess-5', limit: 2 }));
    expect(r1).toHaveLength(2);
    expect(r2).toEqual(r1);
    const last = r1[1]!;
    const [n1, n2] = await both((s) =>
      s.replaySegments({ sessionId: 'sess-5', appId: 'blog', after: { ...last }, limit: 10 }),
    );
    expect(n1).toHaveLength(1);
    expect(n2).toEqual(n1);
  });

  it('lists issues, sets a status, and reads it back the same', async () => {
    const [a, b] = await both((s) => allPages(s, (st, cursor) => st.listIssues({ limit: 2, cursor })));
    expect(a.flat().length).toBeGreaterThanOrEqual(4);
    expect(b).toEqual(a);
    const [ra, rb] = await both((s) => s.setIssueStatus('shop', 'fp-net', 'resolved'));
    expect(ra?.status).toBe('resolved');
    expect(rb).toEqual(ra);
    const [ia, ib] = await both((s) => s.setIssueStatus('blog', 'fp-type', 'ignored'));
    expect(ib).toEqual(ia);
    expect(await ch.setIssueStatus('shop', 'no-such-fingerprint', 'resolved')).toBeNull();
    for (const status of ['open', 'resolved', 'ignored'] as const) {
      const [la, lb] = await both((s) => s.listIssues({ limit: 50, status }));
      expect(lb).toEqual(la);
    }
    const [ga, gb] = await both((s) => s.getIssue('shop', 'fp-net'));
    expect(gb).toEqual(ga);
    // Resolved, then seen again: open and regressed on both.
    const late: WriteBatch = {
      events: [
        eventRow({
          kind: 'error',
          timeUs: BigInt(Date.now() + 60_000) * 1000n,
          id: 'ffffffff-0000-7000-8000-000000000001',
          appId: 'shop',
          sessionId: 'sess-0',
          label: 'network down',
          type: 'Error',
          fingerprint: 'fp-net',
        }),
      ],
      spans: [],
      metricPoints: [],
    };
    await duck.write(clone(late));
    await ch.write(clone(late));
    const [xa, xb] = await both((s) => s.getIssue('shop', 'fp-net'));
    expect(xa).toMatchObject({ status: 'open', regressed: true });
    expect(xb).toEqual(xa);
  });

  const facets: Partial<FacetQuery>[] = [
    { field: 'browser' },
    { field: 'status', kind: 'resource' },
    { field: 'country' },
    { field: 'path', kind: 'view' },
    { field: 'type', kind: 'error', appId: 'shop' },
    { field: 'attr.rum.sample', kind: 'resource' },
    { field: 'has_replay', kind: 'resource' },
    { field: 'browser', kind: 'web_vital', filter: 'value > 1' },
  ];
  it.each(facets)('facets %j', async (q) => {
    const [a, b] = await both((s) => s.facet({ ...RANGE, limit: 10, ...q } as FacetQuery));
    expect(a.length).toBeGreaterThan(0);
    expect(b).toEqual(a);
  });

  const aggregates: Partial<AggregateQuery>[] = [
    { aggregation: 'count', intervalS: 300, groupBy: [] },
    { aggregation: 'count', intervalS: 600, groupBy: ['kind'] },
    { aggregation: 'rate', intervalS: 600, groupBy: ['browser'], kind: 'action' },
    { aggregation: 'p95', field: 'duration', intervalS: 900, groupBy: ['browser'], kind: 'resource' },
    { aggregation: 'p50', field: 'value', intervalS: 1800, groupBy: ['type'], kind: 'web_vital' },
    { aggregation: 'avg', field: 'value', intervalS: 1800, groupBy: ['type', 'browser'], kind: 'web_vital' },
    { aggregation: 'max', field: 'duration', intervalS: 3600, groupBy: ['path'], kind: 'view' },
    { aggregation: 'sum', field: 'attr.server.port', intervalS: 3600, groupBy: ['status'], kind: 'resource' },
    { aggregation: 'min', field: 'duration', intervalS: 600, groupBy: [], filter: 'status = 500' },
    { aggregation: 'p99', field: 'duration', intervalS: 600, groupBy: ['has_replay'], kind: 'resource' },
  ];
  it.each(aggregates)('aggregates %j', async (q) => {
    const [a, b] = await both((s) => s.aggregate({ ...RANGE, limit: 0, ...q } as AggregateQuery));
    expect(a.series.length).toBeGreaterThan(0);
    expect(rounded(b)).toEqual(rounded(a));
  });

  it('counts daily usage as the DuckDB store does (GET /api/v1/usage)', async () => {
    const usage = new UsageJob(() => duck.connect(), createLogger('error'));
    await usage.start();
    try {
      for (const appId of [null, 'shop', 'blog']) {
        const range = [T0 - 86_400_000, T0 + 2 * 86_400_000, appId] as const;
        const a = await usage.read(...range);
        expect(a.length).toBeGreaterThan(0);
        // Only blog's sessions have replays.
        expect(a.some((u) => u.replayMinutes > 0)).toBe(appId !== 'shop');
        expect(rounded(await ch.usage().read(...range))).toEqual(rounded(a));
      }
      // A range that starts inside a day includes that day, on both.
      const [x, y] = [
        await usage.read(T0 + 3_600_000, T0 + 7_200_000, null),
        await ch.usage().read(T0 + 3_600_000, T0 + 7_200_000, null),
      ];
      expect(x.length).toBeGreaterThan(0);
      expect(y).toEqual(x);
    } finally {
      await usage.close();
    }
  });

  it('refuses the same bad input with the same message', async () => {
    const bad: ((s: RumStore) => Promise<unknown>)[] = [
      (s) => s.listEvents('view', { limit: 5, sort: { field: 'nope', desc: true } }),
      (s) => s.listEvents('view', { limit: 5, cursor: 'garbage' }),
      (s) => s.facet({ field: 'nope', limit: 5 }),
      (s) => s.aggregate({ aggregation: 'avg', intervalS: 60, groupBy: [], limit: 0 }),
      (s) => s.aggregate({ aggregation: 'avg', field: 'browser', intervalS: 60, groupBy: [], limit: 0 }),
    ];
    for (const ask of bad) {
      const errors = await Promise.all(
        [duck, ch].map((s) =>
          ask(s).then(
            () => null,
            (e: Error) => e.message,
          ),
        ),
      );
      expect(errors[0]).toBeTruthy();
      // The field lists name has_replay on both; only the wording of known fields may be ordered alike.
      expect(errors[1]).toEqual(errors[0]);
    }
  });
});

/** The latest event time of the generated data, in ms. */
function lastEventMs(): number {
  let last = 0n;
  for (const b of data.batches) for (const e of b.events) if (e.timeUs > last) last = e.timeUs;
  return Number(last / 1000n);
}

/** Exposition lines as sample → value; every other line (HELP, TYPE) kept as text. */
function samples(text: string): Map<string, string | number> {
  const out = new Map<string, string | number>();
  for (const line of text.trim().split('\n')) {
    if (line.startsWith('#')) out.set(line, line);
    else {
      const at = line.lastIndexOf(' ');
      out.set(line.slice(0, at), Number(line.slice(at + 1)));
    }
  }
  return out;
}

describe('generated metrics on the ClickHouse store answer as on DuckDB', () => {
  const log = createLogger('error');
  let now: number;
  let onDuck: MetricsEngine;
  /** The replica that evaluates the events, and one that only reads what it stored (refresh). */
  let onCh: MetricsEngine;
  let reader: MetricsEngine;
  const RULES: MetricRuleDefinition[] = [
    {
      name: 'failed_requests_total',
      description: 'Failed requests',
      kind: 'resource',
      filter: 'status >= 400',
      aggregation: 'count',
      field: null,
      percentile: null,
      dimensions: [
        { field: 'status', label: 'code' },
        { field: 'attr."http.request.method"', label: 'http_request_method' },
      ],
      intervalSeconds: 60,
    },
    {
      name: 'resource_ms_sum',
      description: null,
      kind: 'resource',
      filter: '',
      aggregation: 'sum',
      field: 'duration',
      percentile: null,
      dimensions: [{ field: 'browser', label: 'browser' }],
      intervalSeconds: 60,
    },
    {
      name: 'lcp_avg',
      description: null,
      kind: 'web_vital',
      filter: 'type = "LCP"',
      aggregation: 'avg',
      field: 'value',
      percentile: null,
      dimensions: [{ field: 'country', label: 'country' }],
      intervalSeconds: 60,
    },
    {
      name: 'resource_ms_p95',
      description: null,
      kind: 'resource',
      filter: 'duration > 0',
      aggregation: 'percentile',
      field: 'duration',
      percentile: 95,
      dimensions: [{ field: 'browser', label: 'browser' }],
      intervalSeconds: 60,
    },
  ];

  beforeAll(async () => {
    now = lastEventMs() + 30_000;
    const options = { now: () => now, flushIntervalMs: 3_600_000 };
    onDuck = await MetricsEngine.start(new MetricTables(await duck.connect()), log, options);
    onCh = await MetricsEngine.start(ch.metricTables(), log, options);
    reader = await MetricsEngine.start(ch.metricTables(), log, options);
  });

  afterAll(async () => {
    await Promise.allSettled([onDuck?.close(), onCh?.close(), reader?.close()]);
  });

  const names = (e: MetricsEngine) => e.list().map((r) => r.rule.name);
  const seriesOf = (e: MetricsEngine, name: string) =>
    e.series(name, Math.floor((T0 - 3_600_000) / 1000), Math.ceil((now + 60_000) / 1000));

  it('creates rules alike, refuses the same clashes, and another replica takes them in', async () => {
    for (const def of RULES) {
      const [a, b] = [await onDuck.create(def), await onCh.create(def)];
      expect(b).toEqual(a);
    }
    const clash = { ...RULES[0]!, name: 'resource_ms_p95_sum' };
    const refusals = await Promise.all(
      [onDuck, onCh].map((e) =>
        e.create(clash).then(
          () => null,
          (x: Error) => x.message,
        ),
      ),
    );
    expect(refusals[0]).toMatch(/would expose/);
    expect(refusals[1]).toEqual(refusals[0]);
    await reader.refresh();
    expect(reader.list()).toEqual(onDuck.list());
    expect(names(reader)).toEqual(RULES.map((r) => r.name).sort());
  });

  it('counts the same series, buckets and exposition from the same events', async () => {
    for (const b of data.batches) {
      onDuck.onCommit(clone(b));
      onCh.onCommit(clone(b));
    }
    await Promise.all([onDuck.flush(), onCh.flush()]);
    await reader.refresh();
    const list = onDuck.list();
    expect(list.every((r) => r.series > 0)).toBe(true);
    expect(onCh.list()).toEqual(list);
    // Series totals and buckets read back from ClickHouse by a replica that saw no event.
    expect(reader.list()).toEqual(
      list.map((r) => ({ ...r, dropped: { series_limit: 0, late: 0, future: 0 } })),
    );
    for (const { name } of RULES) {
      const a = await seriesOf(onDuck, name);
      expect(a.flatMap((s) => s.points).length).toBeGreaterThan(1);
      expect(rounded(await seriesOf(onCh, name))).toEqual(rounded(a));
      expect(rounded(await seriesOf(reader, name))).toEqual(rounded(a));
    }
    const text = renderExposition(onDuck.states(), now);
    // Every kind of sample is there: counters, a gauge, a summary's quantile.
    expect(text).toMatch(/^failed_requests_total\{code="500",http_request_method="GET"\} \d+$/m);
    expect(text).toMatch(/^lcp_avg\{country="DE"\} [\d.]+$/m);
    expect(text).toMatch(/^resource_ms_p95\{browser="\w+",quantile="0.95"\} [\d.]+$/m);
    expect(renderExposition(onCh.states(), now)).toEqual(text);
    // Sums may differ in the last bits: ClickHouse adds the deltas in its own order.
    const want = samples(text);
    const got = samples(renderExposition(reader.states(), now));
    expect([...got.keys()]).toEqual([...want.keys()]);
    for (const [k, v] of want) {
      if (typeof v === 'number') expect(got.get(k)).toBeCloseTo(v, 6);
      else expect(got.get(k)).toEqual(v);
    }
  });

  it('replaces and deletes rules alike, a replica following within one refresh', async () => {
    const described = { ...RULES[1]!, description: 'Time spent loading resources' };
    const changed = { ...RULES[2]!, filter: 'type = "CLS"' };
    for (const def of [described, changed]) {
      const [a, b] = [await onDuck.update(def), await onCh.update(def)];
      expect(b).toEqual(a);
    }
    await reader.refresh();
    expect(reader.list()).toEqual(onDuck.list().map((r) => ({ ...r, dropped: expect.any(Object) })));
    // The description changed only: the data stays. The filter changed: it starts again, empty.
    expect(rounded(await seriesOf(reader, 'resource_ms_sum'))).toEqual(
      rounded(await seriesOf(onDuck, 'resource_ms_sum')),
    );
    expect(await seriesOf(reader, 'lcp_avg')).toEqual([]);
    expect(await seriesOf(onDuck, 'lcp_avg')).toEqual([]);
    await Promise.all([onDuck.delete('failed_requests_total'), onCh.delete('failed_requests_total')]);
    await reader.refresh();
    expect(names(reader)).toEqual(names(onDuck));
    expect(names(reader)).not.toContain('failed_requests_total');
    const missing = await Promise.all(
      [onDuck, reader].map((e) =>
        e.series('failed_requests_total', 0, 60).then(
          () => null,
          (x: Error) => x.message,
        ),
      ),
    );
    expect(missing[0]).toMatch(/not found/);
    expect(missing[1]).toEqual(missing[0]);
  });
});

describe('journeys on the ClickHouse store answer as on DuckDB', () => {
  let onDuck: Journeys;
  let onCh: Journeys;

  beforeAll(() => {
    onDuck = new JourneyStore(() => duck.connect());
    onCh = ch.journeys();
  });

  /** A journey without what each store makes up (id, times). */
  const plain = (j: Journey) => ({ name: j.name, appId: j.appId, steps: j.steps });

  const JOURNEYS: JourneyDefinition[] = [
    {
      name: 'Home to cart',
      appId: null,
      steps: [
        { type: 'view', path: '/' },
        { type: 'view', path: '/cart' },
      ],
    },
    {
      name: 'Anything, a click, checkout',
      appId: 'shop',
      steps: [
        { type: 'view', path: '*' },
        { type: 'action', name: 'click *' },
        { type: 'view', path: '/c*' },
      ],
    },
    {
      name: 'Product page bought',
      appId: null,
      steps: [
        { type: 'view', path: '/product/?' },
        { type: 'action', name: 'click /product/1' },
        { type: 'view', path: '/*' },
        { type: 'action', name: 'click /c*' },
      ],
    },
  ];

  it('keeps journeys alike: create, list by application, replace, delete, refusals', async () => {
    for (const def of JOURNEYS)
      expect(plain(await onCh.create(def))).toEqual(plain(await onDuck.create(def)));
    for (const appId of [undefined, 'shop', 'blog']) {
      const [a, b] = [await onDuck.list(appId), await onCh.list(appId)];
      expect(a.length).toBeGreaterThan(0);
      expect(b.map(plain)).toEqual(a.map(plain));
    }
    const extra: JourneyDefinition = { name: 'Short', appId: 'blog', steps: [{ type: 'view', path: '/' }] };
    const [x, y] = [await onDuck.create(extra), await onCh.create(extra)];
    const renamed = { ...extra, name: 'Shorter' };
    expect(plain(await onCh.update(y.id, renamed))).toEqual(plain(await onDuck.update(x.id, renamed)));
    expect(plain(await onCh.get(y.id))).toEqual(plain(renamed as Journey));
    expect((await onCh.get(y.id)).createdAt).toEqual(y.createdAt);
    await Promise.all([onDuck.delete(x.id), onCh.delete(y.id)]);
    const refusals = await Promise.all(
      [
        [onDuck, x.id],
        [onCh, y.id],
      ].map(([s, id]) =>
        (s as Journeys).get(id as string).then(
          () => null,
          (e: Error) => e.message,
        ),
      ),
    );
    expect(refusals[0]).toBeTruthy();
    expect(refusals[1]).toEqual(refusals[0]!.replace(x.id, y.id));
    expect((await onCh.list()).map(plain)).toEqual((await onDuck.list()).map(plain));
  });

  /** Every analysis compared, to check what the comparisons covered. */
  const analysed: JourneyAnalysis[] = [];
  const analyses: [number, Partial<AnalysisQuery>][] = [
    [0, {}],
    [0, { appId: 'blog' }],
    [0, { fromMs: T0 + 300_000, toMs: T0 + 1_800_000 }],
    [1, { appId: 'shop', slowMs: 300 }],
    [1, { appId: 'shop', slowMs: 700, droppedAt: 1 }],
    [1, { appId: 'shop', slowMs: 100, droppedAt: 2 }],
    [2, { slowMs: 500 }],
    [2, { slowMs: 1, droppedAt: 2, fromMs: T0 + 600_000 }],
  ];
  it.each(analyses)(
    'analyses journey %i with %j alike: counts, conversion, step times, errors, slow resources, sessions page by page',
    async (which, asked) => {
      const journey = (s: Journeys) =>
        s.list().then((all) => all.find((j) => j.name === JOURNEYS[which]!.name)!);
      const [ja, jb] = [await journey(onDuck), await journey(onCh)];
      const q: AnalysisQuery = {
        ...RANGE,
        appId: null,
        slowMs: 1000,
        limit: 2,
        cursor: null,
        droppedAt: null,
        ...asked,
      };
      const pages = async (s: Journeys, j: Journey) => {
        const out: JourneyAnalysis[] = [];
        let cursor: string | null = null;
        for (let i = 0; i < 30; i++) {
          const a: JourneyAnalysis = await s.analyse(j, { ...q, cursor });
          out.push({ ...a, journey: plain(a.journey) as Journey });
          cursor = (a.dropped ?? a.completed).nextCursor;
          if (!cursor) break;
        }
        return out;
      };
      const [a, b] = [await pages(onDuck, ja), await pages(onCh, jb)];
      // The data reaches past the first step, in some time.
      expect(a[0]!.steps[0]!.sessions).toBeGreaterThan(0);
      expect(a[0]!.steps[1]!.sessions).toBeGreaterThan(0);
      expect(a[0]!.steps[1]!.medianMsFromPrevious).toBeGreaterThan(0);
      expect(rounded(b)).toEqual(rounded(a));
      analysed.push(...a);
    },
  );

  it('compared analyses with errors, slow resources, dropped sessions and several pages', () => {
    const steps = analysed.flatMap((a) => a.steps);
    expect(steps.filter((s) => s.errors.top.length > 1).length).toBeGreaterThan(0);
    expect(steps.filter((s) => s.slowResources.top.length > 1).length).toBeGreaterThan(0);
    expect(analysed.filter((a) => (a.dropped?.items.length ?? 0) > 0).length).toBeGreaterThan(0);
    expect(analysed.filter((a) => (a.dropped ?? a.completed).nextCursor !== null).length).toBeGreaterThan(0);
    expect(
      steps.filter((s) => s.conversionFromPrevious !== null && s.conversionFromPrevious < 1).length,
    ).toBeGreaterThan(0);
  });

  it('makes the same journey from a session, and refuses alike', async () => {
    const cases: [string, string | null, string | null][] = [
      ['sess-2', null, null],
      ['sess-5', 'blog', 'named'],
      ['sess-11', null, 'eleven'],
      ['sess-14', 'shop', null],
    ];
    for (const [sessionId, appId, name] of cases) {
      const a = await onDuck.fromSession(sessionId, appId, name);
      expect(a.definition.steps.length).toBeGreaterThan(0);
      expect(await onCh.fromSession(sessionId, appId, name)).toEqual(a);
    }
    for (const [sessionId, appId] of [
      ['sess-2', 'blog'],
      ['nope', null],
    ] as const) {
      const refusals = await Promise.all(
        [onDuck, onCh].map((s) =>
          s.fromSession(sessionId, appId, null).then(
            () => null,
            (e: Error) => e.message,
          ),
        ),
      );
      expect(refusals[0]).toMatch(/has no views/);
      expect(refusals[1]).toEqual(refusals[0]);
    }
  });
});
