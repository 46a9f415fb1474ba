import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_RETENTION_DAYS } from '@otel-rum/model';
import { eventRow } from '../../../tests/support/event-rows';
import { DuckDbStore } from '../store/duckdb/duckdb-store';
import type { EventRow } from '../store/rows';
import { createLogger } from '../log';
import { DuckDbRetention, RetentionJob } from './retention';

let dir: string;
let store: DuckDbStore;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rum-retention-'));
  store = await DuckDbStore.open(join(dir, 'rum.duckdb'));
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const DAY_US = 86_400_000_000n;
/** Older than the default window, so retention deletes it. */
const OLD_US = BigInt(Date.now()) * 1000n - BigInt(DEFAULT_RETENTION_DAYS + 3) * DAY_US;

let next = 0;
/** A batch of view events, each of a session and view of its own, all older than the window. */
function oldViews(n: number): EventRow[] {
  return Array.from({ length: n }, () => {
    const i = next++;
    return eventRow({ kind: 'view', timeUs: OLD_US + BigInt(i), sessionId: `s${i}`, viewId: `v${i}` });
  });
}
const write = (events: EventRow[]) => store.write({ events, spans: [], metricPoints: [] });

async function count(table: string): Promise<number> {
  const c = await store.connect();
  try {
    const rows = (await c.runAndReadAll(`SELECT count(*) AS n FROM ${table}`)).getRowObjectsJS();
    return Number(rows[0]!.n);
  } finally {
    c.closeSync();
  }
}

it('runs beside writes that fold their summaries, without a conflict failing either, and leaves no old summary', async () => {
  const job = new RetentionJob(
    new DuckDbRetention(
      () => store.connect(),
      (work) => store.withSummariesFolded(work),
    ),
    createLogger('error'),
  );
  const failures: string[] = [];
  // Each round: retention starts, and meanwhile writes commit new deltas and fold them. Without the
  // store keeping folds and retention's summary deletes apart, DuckDB fails one of them on most rounds
  // ("Conflict on tuple deletion").
  for (let round = 0; round < 6; round++) {
    await write(oldViews(100));
    const retention = job.runOnce().catch((e: Error) => failures.push(`retention: ${e.message}`));
    const writes = (async () => {
      for (let k = 0; k < 4; k++) {
        await write(oldViews(100));
        await store.foldSummaries().catch((e: Error) => failures.push(`fold: ${e.message}`));
      }
    })();
    await Promise.all([retention, writes]);
  }
  expect(failures).toEqual([]);
  // What the last round wrote after retention's deletes stays until the next run; that run takes it,
  // and counts one session per session (not its deltas too).
  await store.foldSummaries();
  const left = await count('sessions');
  expect(left).toBeGreaterThan(0);
  expect((await job.runOnce()).deleted.sessions).toBe(left);
  await store.foldSummaries();
  expect(await count('events_view')).toBe(0);
  expect(await count('sessions')).toBe(0);
  expect(await count('views')).toBe(0);
}, 60_000);
