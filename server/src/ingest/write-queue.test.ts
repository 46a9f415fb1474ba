import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventRow } from '../../../tests/support/event-rows';
import type { EventRow, ReplaySegmentRow, WriteBatch } from '../store/rows';
import { DuckDbStore } from '../store/duckdb/duckdb-store';
import { HttpError } from '../http/http-error';
import { WRITE_QUEUE_RETRY_AFTER_S, WriteQueue } from './write-queue';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rum-write-queue-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const T0 = BigInt(Date.UTC(2026, 10, 27, 12, 0, 0)) * 1000n;

/** A request's worth of actions, each session with `perSession` of them. */
function batch(request: number, size: number, perSession: number): WriteBatch {
  const events: EventRow[] = [];
  for (let i = 0; i < size; i++) {
    const n = request * size + i;
    events.push(
      eventRow({
        kind: 'action',
        timeUs: T0 + BigInt(n) * 1000n,
        sessionId: `s${Math.floor(n / perSession)}`,
        name: 'click',
        label: `action ${n}`,
      }),
    );
  }
  return { events, spans: [], metricPoints: [] };
}

describe('the write queue', () => {
  it('commits every batch submitted at once, grouped into fewer transactions, and the summaries count them all', async () => {
    const store = await DuckDbStore.open(join(dir, 'rum.duckdb'));
    try {
      const queue = new WriteQueue(store);
      const groups: number[] = [];
      queue.onCommit((b) => groups.push(b.events.length));
      const requests = 24;
      await Promise.all(Array.from({ length: requests }, (_, r) => queue.submit(batch(r, 500, 100))));
      expect(groups.reduce((a, b) => a + b, 0)).toBe(requests * 500);
      expect(groups.length).toBeLessThan(requests);
      expect(queue.depth).toBe(0);
      const sessions = await store.listSessions({ appId: 'shop', limit: 500 });
      expect(sessions.items).toHaveLength((requests * 500) / 100);
      expect(sessions.items.every((s) => s.actionCount === 100 && s.eventCount === 100)).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('refuses a request that would pass its row limit, and commits the ones it holds', async () => {
    const store = await DuckDbStore.open(join(dir, 'rum.duckdb'));
    try {
      const queue = new WriteQueue(store, 1500);
      const first = queue.submit(batch(0, 1000, 100));
      await expect(queue.submit(batch(1, 1000, 100))).rejects.toMatchObject({ status: 503 });
      await first;
      const page = await store.listEvents('action', { appId: 'shop', limit: 1 });
      expect(page.items).toHaveLength(1);
      expect(await store.getSession('s9', 'shop')).toMatchObject({ actionCount: 100 });
    } finally {
      await store.close();
    }
  });

  it('writes a replay segment sent twice once, even when the two requests arrive together', async () => {
    const store = await DuckDbStore.open(join(dir, 'rum.duckdb'));
    try {
      const queue = new WriteQueue(store);
      const segment: ReplaySegmentRow = {
        appId: 'shop',
        sessionId: 's0',
        viewId: 'v1',
        sequence: 0,
        timeUs: T0,
        startMs: 0,
        endMs: 1000,
        eventCount: 1,
        hasFullSnapshot: true,
        encoding: 'json',
        privacy: 'mask',
        payload: new TextEncoder().encode('[]'),
      };
      const withSegment = (b: WriteBatch): WriteBatch => ({ ...b, replaySegments: [segment] });
      // The first starts a write; the second, big enough to be written beside it, holds the same segment.
      const first = queue.submit(withSegment(batch(0, 1000, 100)));
      const second = queue.submit(withSegment(batch(1, 5000, 100)));
      await Promise.all([first, second]);
      const page = await store.replaySegments({ sessionId: 's0', appId: 'shop', limit: 10 });
      expect(page).toHaveLength(1);
    } finally {
      await store.close();
    }
  });

  it('answers a write the store could not commit with 503 and Retry-After, and goes on with the next', async () => {
    const store = await DuckDbStore.open(join(dir, 'rum.duckdb'));
    try {
      const queue = new WriteQueue(store);
      const broken = batch(0, 10, 10);
      (broken.events[5] as unknown as { name: null }).name = null;
      const refusal = await queue.submit(broken).then(
        () => null,
        (e: unknown) => e,
      );
      expect(refusal).toBeInstanceOf(HttpError);
      expect(refusal).toMatchObject({
        status: 503,
        headers: { 'Retry-After': String(WRITE_QUEUE_RETRY_AFTER_S) },
      });
      expect((refusal as HttpError).message).not.toMatch(/string|duckdb/i);
      expect(queue.depth).toBe(0);
      await queue.submit(batch(1, 10, 10));
      const page = await store.listEvents('action', { appId: 'shop', limit: 50 });
      expect(page.items.map((e) => e.label)).toEqual(
        Array.from({ length: 10 }, (_, i) => `action ${19 - i}`),
      );
    } finally {
      await store.close();
    }
  });

  it('refuses only the request whose rows failed a grouped transaction; the others in its group are committed', async () => {
    const store = await DuckDbStore.open(join(dir, 'rum.duckdb'));
    try {
      const queue = new WriteQueue(store);
      const groups: number[] = [];
      queue.onCommit((b) => groups.push(b.events.length));
      const broken = batch(2, 10, 10);
      (broken.events[5] as unknown as { name: null }).name = null;
      // The first is committed alone; the four after it wait for it and are grouped.
      const answers = await Promise.allSettled(
        [batch(0, 10, 10), batch(1, 10, 10), broken, batch(3, 10, 10), batch(4, 10, 10)].map((b) =>
          queue.submit(b),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual([
        'fulfilled',
        'fulfilled',
        'rejected',
        'fulfilled',
        'fulfilled',
      ]);
      expect((answers[2] as PromiseRejectedResult).reason).toMatchObject({ status: 503 });
      expect(groups).toEqual([10, 10, 10, 10]);
      const page = await store.listEvents('action', { appId: 'shop', limit: 100 });
      expect(page.items.map((e) => e.label).sort()).toEqual(
        [0, 1, 3, 4].flatMap((r) => Array.from({ length: 10 }, (_, i) => `action ${r * 10 + i}`)).sort(),
      );
      expect(queue.depth).toBe(0);
    } finally {
      await store.close();
    }
  });
});
