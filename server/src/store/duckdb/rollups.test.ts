/*
 * The hourly rollups give the raw queries' answers: the same store, the same data, each query asked
 * with the rollups read and with them off. Percentiles come from histograms and are compared within
 * their documented error; everything else must be equal.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_RETENTION_DAYS, ROLLUP_HISTOGRAM_GAMMA, type Aggregation } from '@otel-rum/model';
import { eventRow } from '../../../../tests/support/event-rows';
import { createLogger } from '../../log';
import { DuckDbErasure, Erasure } from '../../privacy/erasure';
import { DuckDbRetention } from '../../jobs/retention';
import type { AggregateQuery, AggregateResult, FacetQuery } from '../analytics';
import type { EventRow } from '../rows';
import { DuckDbStore } from './duckdb-store';
import { HOUR_MS, floorHour } from './rollups';

const GAMMA_ERROR = (ROLLUP_HISTOGRAM_GAMMA - 1) / (ROLLUP_HISTOGRAM_GAMMA + 1);

let dir: string;
let store: DuckDbStore;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rum-rollups-'));
  store = await DuckDbStore.open(join(dir, 'rum.duckdb'), { rollupJob: false });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const write = (events: EventRow[]) => store.write({ events, spans: [], metricPoints: [] });

/** A small deterministic generator, so that a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

const BROWSERS = ['Chrome', 'Safari', 'Firefox', null];
const PATHS = ['/', '/cart', '/checkout', '/p/1', '/p/2'];
const KINDS: EventRow['kind'][] = [
  'view',
  'resource',
  'resource',
  'resource',
  'action',
  'error',
  'web_vital',
];

/** `n` events of two applications spread over [startMs, startMs + hours h), in sessions of a few views. */
function events(startMs: number, hours: number, n: number, seed: number, tag = ''): EventRow[] {
  const r = random(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(r() * list.length)]!;
  return Array.from({ length: n }, (_, i) => {
    const kind = pick(KINDS);
    const session = Math.floor(r() * n * 0.1);
    const timeMs = startMs + Math.floor(r() * hours * HOUR_MS);
    return eventRow({
      kind,
      appId: r() < 0.8 ? 'shop' : 'blog',
      timeUs: BigInt(timeMs) * 1000n,
      sessionId: `s${tag}${session}`,
      viewId: `v${tag}${kind === 'view' ? i : session}`,
      userId: `u${session % 7}`,
      path: pick(PATHS),
      label: kind === 'error' ? `boom ${i % 3}` : null,
      browser: pick(BROWSERS),
      country: pick(['FR', 'US', 'JP']),
      device: pick(['desktop', 'mobile']),
      serviceVersion: pick(['1.0', '1.1']),
      status: kind === 'resource' ? pick([200, 200, 404, 500]) : null,
      durationMs: kind === 'error' ? null : Math.round(r() * 5000) / 10,
      value: kind === 'web_vital' ? (r() < 0.1 ? 0 : r() * 4000) : null,
      type: kind === 'error' ? pick(['TypeError', 'RangeError']) : kind === 'web_vital' ? 'lcp' : null,
      fingerprint: kind === 'error' ? `fp${Math.floor(r() * 6)}` : null,
    });
  });
}

/** Every query the rollups answer, over ranges that start and end inside hours. */
function queries(startMs: number): Record<string, () => Promise<unknown>> {
  const from = startMs + 17 * 60_000;
  const to = startMs + 9 * HOUR_MS + 5 * 60_000;
  const onHour = floorHour(from);
  const facet = (q: Partial<FacetQuery>) => () =>
    store.facet({ appId: 'shop', field: 'browser', fromMs: from, toMs: to, limit: 100, ...q });
  const agg = (q: Partial<AggregateQuery>) => () =>
    store.aggregate({
      appId: 'shop',
      aggregation: 'count',
      intervalS: 3600,
      groupBy: [],
      fromMs: onHour,
      toMs: to,
      limit: 1,
      ...q,
    });
  const out: Record<string, () => Promise<unknown>> = {
    issues: () => store.listIssues({ appId: 'shop', fromMs: from, toMs: to, limit: 50 }),
    issuesAllApps: () => store.listIssues({ fromMs: from, limit: 50 }),
    facetEveryKind: facet({}),
    facetViews: facet({ kind: 'view', field: 'path' }),
    facetStatus: facet({ kind: 'resource', field: 'status' }),
    facetOpenRange: facet({ fromMs: undefined, toMs: undefined, field: 'country' }),
    countByBrowser: agg({ kind: 'view', groupBy: ['browser'] }),
    rateEveryKind: agg({ aggregation: 'rate', groupBy: ['path'] }),
    // Buckets of 2 h from a start inside an hour: the hour each bucket edge falls in is read raw.
    countUnaligned: agg({ kind: 'resource', intervalS: 7200, fromMs: from, groupBy: ['status'] }),
  };
  for (const aggregation of ['sum', 'avg', 'min', 'max'] as Aggregation[])
    out[`${aggregation}Duration`] = agg({
      kind: 'resource',
      aggregation,
      field: 'duration',
      groupBy: ['path'],
    });
  return out;
}

/** Percentile queries: from histograms, so compared within the histogram's relative error. */
function percentiles(startMs: number): Record<string, () => Promise<AggregateResult>> {
  const onHour = floorHour(startMs + 17 * 60_000);
  const to = startMs + 9 * HOUR_MS + 5 * 60_000;
  const agg = (q: Partial<AggregateQuery>) => () =>
    store.aggregate({
      appId: 'shop',
      aggregation: 'p75',
      intervalS: 3600,
      groupBy: [],
      fromMs: onHour,
      toMs: to,
      limit: 1,
      ...q,
    });
  return {
    p75ByPath: agg({ kind: 'resource', field: 'duration', groupBy: ['path'] }),
    p50Vitals: agg({ kind: 'web_vital', aggregation: 'p50', field: 'value', intervalS: 3 * 3600 }),
    p99Vitals: agg({ kind: 'web_vital', aggregation: 'p99', field: 'value', groupBy: ['browser'] }),
  };
}

async function answers(
  qs: Record<string, () => Promise<unknown>>,
  rollups: boolean,
): Promise<Record<string, unknown>> {
  store.setRollupReads(rollups);
  const out: Record<string, unknown> = {};
  for (const [name, q] of Object.entries(qs)) out[name] = await q();
  store.setRollupReads(true);
  return out;
}

/** Numbers to 12 significant digits: sums of the same doubles in another order differ in the last bits. */
function rounded(v: unknown): unknown {
  if (typeof v === 'number') return Number(v.toPrecision(12));
  if (Array.isArray(v)) return v.map(rounded);
  if (v && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, rounded(x)]));
  return v;
}

/** The rollups' answers equal the raw ones, percentiles within the histogram's error. */
async function expectSameAnswers(startMs: number): Promise<void> {
  const qs = queries(startMs);
  expect(rounded(await answers(qs, true))).toEqual(rounded(await answers(qs, false)));
  const ps = percentiles(startMs);
  const raw = (await answers(ps, false)) as Record<string, AggregateResult>;
  const rolled = (await answers(ps, true)) as Record<string, AggregateResult>;
  for (const name of Object.keys(ps)) {
    const a = raw[name]!.series;
    const b = rolled[name]!.series;
    expect(b.map((s) => [s.group, s.points.map((p) => p[0])])).toEqual(
      a.map((s) => [s.group, s.points.map((p) => p[0])]),
    );
    a.forEach((s, i) =>
      s.points.forEach(([, v], j) => {
        const w = b[i]!.points[j]![1];
        expect(Math.abs(w - v)).toBeLessThanOrEqual(Math.abs(v) * GAMMA_ERROR + 1e-9);
      }),
    );
  }
}

async function exec(sql: string): Promise<void> {
  const c = await store.connect();
  try {
    await c.run(sql);
  } finally {
    c.closeSync();
  }
}

const START = floorHour(Date.now()) - 12 * HOUR_MS;

it('answers issues, facets and aggregates from folded hours as the raw events do', async () => {
  await write(events(START, 10, 3000, 1));
  const run = await store.runRollups();
  expect(run.folded).toBeGreaterThanOrEqual(10);
  // The rollups are read: events removed behind the store's back still count in their answers.
  const facetNow = () => store.facet({ appId: 'shop', field: 'browser', fromMs: START, limit: 100 });
  const before = await facetNow();
  await expectSameAnswers(START);
  await exec(`DELETE FROM events_resource WHERE time >= make_timestamp(${BigInt(START + HOUR_MS) * 1000n}::BIGINT)
    AND time < make_timestamp(${BigInt(START + 2 * HOUR_MS) * 1000n}::BIGINT)`);
  expect(await facetNow()).toEqual(before);
  store.setRollupReads(false);
  expect(await facetNow()).not.toEqual(before);
}, 120_000);

it('folds again an hour that late events arrive in, on its next run', async () => {
  await write(events(START, 10, 2000, 2));
  await store.runRollups();
  // Late: written now (their ids carry the write time) into hours folded already.
  await write(events(START + 2 * HOUR_MS, 3, 300, 3, 'late'));
  const qs = queries(START);
  // Until the job runs, the rollup-served answers leave the late events out (ROLLUPS.md).
  expect(await answers(qs, true)).not.toEqual(await answers(qs, false));
  const run = await store.runRollups();
  expect(run.refolded).toBe(3);
  await expectSameAnswers(START);
  // A run with nothing new folds nothing again.
  expect((await store.runRollups()).refolded).toBe(0);
}, 120_000);

it('keeps the answers equal through an erasure, which folds again the hours it deleted from', async () => {
  await write(events(START, 10, 2000, 4));
  await store.runRollups();
  const erasure = new Erasure(
    new DuckDbErasure(
      () => store.connect(),
      (work) => store.withSummariesFolded(work),
      (work) => store.withRollupsHeld(work),
    ),
    createLogger('error'),
  );
  const result = await erasure.erase({ appId: 'shop', userId: 'u3' }, 'test');
  expect(result.sessions).toBeGreaterThan(0);
  await expectSameAnswers(START);
}, 120_000);

it('removes rollup rows with retention and folds again the hour the window ends in', async () => {
  // Hours on both sides of the default window's end.
  const start = floorHour(Date.now() - DEFAULT_RETENTION_DAYS * 24 * HOUR_MS) - 4 * HOUR_MS;
  await write(events(start, 10, 2000, 5));
  await store.runRollups();
  const retention = new DuckDbRetention(
    () => store.connect(),
    (work) => store.withSummariesFolded(work),
    (work) => store.withRollupsHeld(work),
  );
  const { deleted } = await retention.apply(Date.now());
  expect(deleted.events).toBeGreaterThan(0);
  await expectSameAnswers(start);
  const c = await store.connect();
  try {
    const [old] = (
      await c.runAndReadAll(
        `SELECT count(*) AS n FROM rollup_counts WHERE hour < make_timestamp(${BigInt(start + HOUR_MS) * 1000n}::BIGINT)`,
      )
    ).getRowObjectsJS();
    expect(Number(old!.n)).toBe(0);
  } finally {
    c.closeSync();
  }
}, 120_000);

/** An error of issue `fp` in session `session` at `ms`. */
const error = (session: string, ms: number, fp = 'fpA') =>
  eventRow({
    kind: 'error',
    timeUs: BigInt(ms) * 1000n,
    sessionId: session,
    userId: `u-${session}`,
    label: 'boom',
    type: 'TypeError',
    fingerprint: fp,
  });

/** Each issue's distinct sessions in [fromMs, toMs), from the rollups and from the raw events (equal). */
async function sessionsPerIssue(fromMs: number, toMs: number): Promise<Record<string, number>> {
  const ask = async (rollups: boolean) => {
    store.setRollupReads(rollups);
    const page = await store.listIssues({ appId: 'shop', fromMs, toMs, limit: 50 });
    store.setRollupReads(true);
    return Object.fromEntries(page.items.map((i) => [i.fingerprint, i.sessions]));
  };
  const rolled = await ask(true);
  expect(rolled).toEqual(await ask(false));
  return rolled;
}

it('counts a session once per issue across hours, the range edges, late events, erasure and retention', async () => {
  const m = 60_000;
  await write([
    // s1: fpA in three hours, and fpB in one.
    error('s1', START + HOUR_MS + 10 * m),
    error('s1', START + 2 * HOUR_MS + 10 * m),
    error('s1', START + 5 * HOUR_MS + 10 * m),
    error('s1', START + HOUR_MS + 20 * m, 'fpB'),
    // s2: in the raw first edge (the range starts 17 minutes into its hour) and a folded hour.
    error('s2', START + 20 * m),
    error('s2', START + 3 * HOUR_MS + 10 * m),
    // s3: in a folded hour and the raw last edge.
    error('s3', START + 8 * HOUR_MS + 30 * m),
    error('s3', START + 9 * HOUR_MS + m),
    // s4: one hour; s5: before the range and in it.
    error('s4', START + 4 * HOUR_MS + 10 * m),
    error('s5', START + 10 * m),
    error('s5', START + 2 * HOUR_MS),
  ]);
  await store.runRollups();
  const from = START + 17 * m;
  const to = START + 9 * HOUR_MS + 5 * m;
  expect(await sessionsPerIssue(from, to)).toEqual({ fpA: 5, fpB: 1 });
  // A range of folded hours only, and one starting after s5's first error.
  expect(await sessionsPerIssue(START + HOUR_MS, START + 6 * HOUR_MS)).toEqual({ fpA: 4, fpB: 1 });

  // Late events: a new session, and s1 in a fourth hour.
  await write([error('s6', START + 2 * HOUR_MS + 30 * m), error('s1', START + 6 * HOUR_MS + 10 * m)]);
  expect((await store.runRollups()).refolded).toBe(2);
  expect(await sessionsPerIssue(from, to)).toEqual({ fpA: 6, fpB: 1 });

  const erasure = new Erasure(
    new DuckDbErasure(
      () => store.connect(),
      (work) => store.withSummariesFolded(work),
      (work) => store.withRollupsHeld(work),
    ),
    createLogger('error'),
  );
  await erasure.erase({ appId: 'shop', sessionId: 's1' }, 'test');
  expect(await sessionsPerIssue(from, to)).toEqual({ fpA: 5 });
}, 120_000);

it('counts a session on both sides of the retention window once', async () => {
  const cutoff = Date.now() - DEFAULT_RETENTION_DAYS * 24 * HOUR_MS;
  const start = floorHour(cutoff) - 3 * HOUR_MS;
  await write([
    // s1 before the window and after it: its pair in the later hour stays marked, alone (ROLLUPS.md).
    error('s1', start + 10 * 60_000),
    error('s1', start + 5 * HOUR_MS + 10 * 60_000),
    error('s2', start + 6 * HOUR_MS),
  ]);
  await store.runRollups();
  expect(await sessionsPerIssue(start, start + 8 * HOUR_MS)).toEqual({ fpA: 2 });
  const retention = new DuckDbRetention(
    () => store.connect(),
    (work) => store.withSummariesFolded(work),
    (work) => store.withRollupsHeld(work),
  );
  await retention.apply(Date.now());
  expect(await sessionsPerIssue(start, start + 8 * HOUR_MS)).toEqual({ fpA: 2 });
  expect(await sessionsPerIssue(start + 5 * HOUR_MS, start + 6 * HOUR_MS)).toEqual({ fpA: 1 });
}, 120_000);
