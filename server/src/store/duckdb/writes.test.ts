import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { RUM_VIEW_ENDED, RUM_VIEW_TIME_SPENT } from '@otel-rum/model';
import { eventRow } from '../../../../tests/support/event-rows';
import type { EventRow } from '../rows';
import { DuckDbStore, SUMMARY_FOLD_INTERVAL_MS } from './duckdb-store';
import { COLUMN_INSERT_MAX_ROWS } from './columns';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rum-writes-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const T0 = BigInt(Date.UTC(2026, 10, 27, 12, 0, 0)) * 1000n;

function event(kind: EventRow['kind'], second: number, fields: Partial<EventRow> = {}): EventRow {
  return eventRow({
    kind,
    timeUs: T0 + BigInt(second) * 1_000_000n,
    viewId: 'v1',
    serviceName: 'shop',
    serviceVersion: '1.0.0',
    environment: 'prod',
    ...fields,
  });
}

const write = (store: DuckDbStore, events: EventRow[]) =>
  store.write({ events, spans: [], metricPoints: [] });

async function pendingDeltas(c: DuckDBConnection): Promise<number> {
  const [row] = (
    await c.runAndReadAll(
      'SELECT (SELECT count(*) FROM session_deltas) + (SELECT count(*) FROM view_deltas) AS n',
    )
  ).getRowObjectsJS();
  return Number(row!.n);
}

/** One session over three writes: a view opened, updated and ended, a second view, an error, an action. */
async function writeSession(store: DuckDbStore): Promise<void> {
  await write(store, [
    event('view', 10, { url: 'https://shop.example/', label: 'home', userId: 'u1' }),
    event('action', 12),
  ]);
  await write(store, [
    event('view', 20, {
      url: 'https://shop.example/',
      label: 'home',
      attributes: { [RUM_VIEW_ENDED]: false, [RUM_VIEW_TIME_SPENT]: 5 },
    }),
    // Sent late: earlier than what the session has so far.
    event('error', 5, { label: 'boom', browser: 'Firefox' }),
  ]);
  await write(store, [
    event('view', 30, {
      url: 'https://shop.example/',
      label: 'home',
      attributes: { [RUM_VIEW_ENDED]: true, [RUM_VIEW_TIME_SPENT]: 15 },
    }),
    event('view', 31, { viewId: 'v2', url: 'https://shop.example/cart', label: 'cart' }),
  ]);
}

describe('session and view summaries', () => {
  it('merge the deltas of several writes into one row per session and per view', async () => {
    const store = await DuckDbStore.open(join(dir, 'rum.duckdb'));
    try {
      await writeSession(store);
      const session = await store.getSession('s1', 'shop');
      expect(session).toMatchObject({
        start: new Date(Number((T0 + 5_000_000n) / 1000n)).toISOString(),
        end: new Date(Number((T0 + 31_000_000n) / 1000n)).toISOString(),
        viewCount: 2,
        errorCount: 1,
        actionCount: 1,
        eventCount: 6,
        userId: 'u1',
        browser: 'Firefox',
        firstUrl: 'https://shop.example/',
      });
      const views = await store.listEvents('view', { appId: 'shop', limit: 10 });
      expect(views.items.map((v) => [v.viewId, v.label, v.time, v.attributes])).toEqual([
        ['v2', 'cart', new Date(Number((T0 + 31_000_000n) / 1000n)).toISOString(), {}],
        [
          'v1',
          'home',
          // The view's start, in its latest state.
          new Date(Number((T0 + 10_000_000n) / 1000n)).toISOString(),
          { [RUM_VIEW_ENDED]: true, [RUM_VIEW_TIME_SPENT]: 15 },
        ],
      ]);
    } finally {
      await store.close();
    }
  });

  it('are folded before a query whose filter reads them, whatever kind it lists', async () => {
    const store = await DuckDbStore.open(join(dir, 'rum.duckdb'));
    try {
      await write(store, [event('replay_segment', 1), event('error', 2, { label: 'boom' })]);
      await write(store, [event('error', 3, { sessionId: 's2', label: 'no replay' })]);
      const errors = await store.listEvents('error', { appId: 'shop', limit: 10, filter: 'has_replay' });
      expect(errors.items.map((e) => e.label)).toEqual(['boom']);
    } finally {
      await store.close();
    }
  });

  it('fold the deltas a stopped server left when the file is opened again', async () => {
    const path = join(dir, 'rum.duckdb');
    const first = await DuckDbStore.open(path);
    const c1 = await first.connect();
    await writeSession(first);
    // Committed, acknowledged, not folded yet: the server stops now.
    expect(await pendingDeltas(c1)).toBeGreaterThan(0);
    c1.closeSync();
    await first.close();

    const second = await DuckDbStore.open(path);
    try {
      const c2 = await second.connect();
      expect(await pendingDeltas(c2)).toBe(0);
      c2.closeSync();
      expect(await second.getSession('s1', 'shop')).toMatchObject({ viewCount: 2, eventCount: 6 });
    } finally {
      await second.close();
    }
  });

  it('are folded in the background within the fold interval, without a read', async () => {
    const store = await DuckDbStore.open(join(dir, 'rum.duckdb'));
    const c = await store.connect();
    try {
      await writeSession(store);
      const deadline = Date.now() + SUMMARY_FOLD_INTERVAL_MS + 10_000;
      while ((await pendingDeltas(c)) > 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(await pendingDeltas(c)).toBe(0);
      const [row] = (
        await c.runAndReadAll(`SELECT view_count, event_count FROM sessions WHERE session_id = 's1'`)
      ).getRowObjectsJS();
      expect(row).toEqual({ view_count: 2n, event_count: 6n });
    } finally {
      c.closeSync();
      await store.close();
    }
  });
});

describe('the column insert', () => {
  it('stores every value as given, a lone surrogate as U+FFFD, and time beyond exact doubles', async () => {
    const store = await DuckDbStore.open(join(dir, 'rum.duckdb'));
    try {
      const odd = 'quote " backslash \\ newline \n nul \u0000 emoji 😀 lone \ud800 end';
      await write(store, [
        event('resource', 1, {
          label: odd,
          url: 'https://shop.example/a?b=1',
          path: '/a',
          durationMs: 12.5,
          status: 503,
          attributes: { nested: { list: [1, 'two', true, null] }, text: odd, big: 2 ** 60 },
        }),
        event('resource', 2, { durationMs: Number.NaN, status: 200.5, value: Infinity }),
      ]);
      const { items } = await store.listEvents('resource', {
        appId: 'shop',
        sort: { field: 'time', desc: false },
        limit: 10,
      });
      const cleaned = odd.replace('\ud800', '\ufffd');
      expect(items[0]).toMatchObject({
        label: cleaned,
        url: 'https://shop.example/a?b=1',
        path: '/a',
        durationMs: 12.5,
        status: 503,
        time: new Date(Number((T0 + 1_000_000n) / 1000n)).toISOString(),
        attributes: { nested: { list: [1, 'two', true, null] }, text: cleaned, big: 2 ** 60 },
      });
      expect(items[1]).toMatchObject({ durationMs: null, status: null, value: null });
    } finally {
      await store.close();
    }
  });
});

describe('a write larger than one statement takes', () => {
  it('stores every row in the one transaction, in several statements', async () => {
    const store = await DuckDbStore.open(join(dir, 'rum.duckdb'));
    try {
      const n = COLUMN_INSERT_MAX_ROWS * 2 + 5;
      await write(
        store,
        Array.from({ length: n }, (_, i) =>
          event('resource', i % 600, { sessionId: `s${i % 3}`, label: `r${i}` }),
        ),
      );
      const sessions = await store.listSessions({ appId: 'shop', limit: 10 });
      expect(sessions.items.map((s) => s.resourceCount).reduce((a, b) => a + b, 0)).toBe(n);
      const slowest = await store.listEvents('resource', { appId: 'shop', limit: 1 });
      expect(slowest.items).toHaveLength(1);
    } finally {
      await store.close();
    }
  });
});

describe('a failed write', () => {
  it('commits none of its rows, and leaves nothing behind for the next write', async () => {
    const store = await DuckDbStore.open(join(dir, 'rum.duckdb'));
    try {
      await write(store, [event('action', 1, { label: 'first' })]);
      const broken = { ...event('action', 2), name: null } as unknown as EventRow;
      await expect(write(store, [event('action', 3, { label: 'lost' }), broken])).rejects.toThrow(
        /NOT NULL constraint failed: events_action\.name/,
      );
      await write(store, [event('action', 4, { label: 'next' })]);
      const actions = await store.listEvents('action', { appId: 'shop', limit: 10 });
      expect(actions.items.map((e) => e.label)).toEqual(['next', 'first']);
      expect(await store.getSession('s1', 'shop')).toMatchObject({ actionCount: 2, eventCount: 2 });
    } finally {
      await store.close();
    }
  });
});

describe('an event by id', () => {
  it('is found in its kind’s table, whichever kind, and an unknown id finds nothing', async () => {
    const store = await DuckDbStore.open(join(dir, 'rum.duckdb'), { rollupJob: false });
    try {
      // More resources than anything else: their table is looked in first.
      const events = [
        ...Array.from({ length: 5 }, (_, i) => event('resource', i, { label: `r${i}` })),
        event('view', 10, { label: 'home' }),
        event('error', 11, { label: 'boom', fingerprint: 'fp1' }),
        event('long_task', 12, { durationMs: 80 }),
      ];
      await write(store, events);
      for (const e of events) {
        const found = await store.getEvent(e.id!);
        expect([found?.id, found?.kind, found?.label]).toEqual([e.id, e.kind, e.label]);
      }
      expect(await store.getEvent('0193a1b2-0000-7000-8000-000000000000')).toBeNull();
    } finally {
      await store.close();
    }
  });
});
