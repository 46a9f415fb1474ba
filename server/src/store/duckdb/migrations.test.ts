import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { EVENT_KINDS } from '@otel-rum/model';
import { eventRow } from '../../../../tests/support/event-rows';
import { DuckDbStore } from './duckdb-store';
import { eventTable } from './event-tables';
import { MIGRATIONS } from './migrations';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rum-migrations-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A database as a server before migration 30 left it. */
async function databaseBefore(version: number, path: string, fill: string): Promise<void> {
  const instance = await DuckDBInstance.create(path);
  const c = await instance.connect();
  await c.run(
    'CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP)',
  );
  for (const m of MIGRATIONS.filter((m) => m.version < version)) {
    await c.run(m.sql);
    await c.run('INSERT INTO schema_migrations VALUES ($1, $2, now())', [m.version, m.name]);
  }
  await c.run(fill);
  c.closeSync();
  instance.closeSync();
}

describe('schema migrations', () => {
  it('have unique versions in ascending order', () => {
    const versions = MIGRATIONS.map((m) => m.version);
    expect(versions).toEqual([...new Set(versions)].sort((a, b) => a - b));
  });

  it('give every event kind of the model its own table, and the events view covers them all', async () => {
    const store = await DuckDbStore.open(join(dir, 'fresh.duckdb'));
    try {
      const c = await store.connect();
      const tables = (
        await c.runAndReadAll(
          `SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'`,
        )
      )
        .getRowObjectsJS()
        .map((r) => r.table_name);
      for (const kind of EVENT_KINDS) expect(tables).toContain(eventTable(kind));
      await store.write({
        events: EVENT_KINDS.map((kind, i) =>
          eventRow({
            kind,
            timeUs: BigInt(Date.UTC(2026, 10, 27, 12, 0, i)) * 1000n,
            appId: 'app',
            name: `name-${kind}`,
            fingerprint: null,
          }),
        ),
        spans: [],
        metricPoints: [],
      });
      for (const kind of EVENT_KINDS) {
        const rows = (await c.runAndReadAll(`SELECT kind, name FROM ${eventTable(kind)}`)).getRowObjectsJS();
        expect(rows).toEqual([{ kind, name: `name-${kind}` }]);
      }
      const timeline = await store.timeline('s1', 'app');
      expect(timeline.map((e) => e.kind)).toEqual([...EVENT_KINDS]);
      c.closeSync();
    } finally {
      await store.close();
    }
  });

  it('opens the database with the checkpoint threshold and memory limit it is given', async () => {
    const store = await DuckDbStore.open(join(dir, 'tuned.duckdb'), { checkpointMib: 64, memoryMib: 300 });
    try {
      const c = await store.connect();
      const [setting] = (
        await c.runAndReadAll(
          `SELECT current_setting('checkpoint_threshold') AS v, current_setting('memory_limit') AS m`,
        )
      ).getRowObjectsJS();
      expect(setting!.v).toMatch(/^(64\.0 MiB|67\.1 MB)$/);
      expect(setting!.m).toMatch(/^(300\.0 MiB|314\.5 MB)$/);
      c.closeSync();
    } finally {
      await store.close();
    }
  });

  it('30 moves the events of a single-table database into their kinds, keeping every row', async () => {
    const path = join(dir, 'old.duckdb');
    await databaseBefore(
      30,
      path,
      `INSERT INTO events (id, kind, time, app_id, session_id, view_id, name, label, source, attributes, fingerprint, type)
       VALUES ('e1', 'error', TIMESTAMP '2026-11-20 10:00:00', 'shop', 's1', 'v1', 'exception', 'boom', 'sdk', '{}', 'fp1', 'TypeError'),
              ('r1', 'resource', TIMESTAMP '2026-11-20 10:00:01', 'shop', 's1', 'v1', 'rum.resource', NULL, 'sdk', '{}', NULL, 'fetch'),
              ('r2', 'resource', TIMESTAMP '2026-11-20 10:00:02', 'shop', 's1', 'v1', 'rum.resource', NULL, 'sdk', '{}', NULL, 'img')`,
    );
    const store = await DuckDbStore.open(path);
    try {
      const c = await store.connect();
      const count = async (table: string) =>
        Number((await c.runAndReadAll(`SELECT count(*) AS n FROM ${table}`)).getRowObjectsJS()[0]!.n);
      expect(await count(eventTable('error'))).toBe(1);
      expect(await count(eventTable('resource'))).toBe(2);
      expect(await count('events')).toBe(3);
      c.closeSync();
      const errors = await store.listEvents('error', { appId: 'shop', limit: 10 });
      expect(errors.items.map((e) => [e.id, e.label, e.type, e.fingerprint])).toEqual([
        ['e1', 'boom', 'TypeError', 'fp1'],
      ]);
      const issues = await store.listIssues({ appId: 'shop', limit: 10 });
      expect(issues.items.map((i) => [i.fingerprint, i.count])).toEqual([['fp1', 1]]);
      const resources = await store.listEvents('resource', { appId: 'shop', limit: 10 });
      expect(resources.items.map((e) => e.type)).toEqual(['img', 'fetch']);
    } finally {
      await store.close();
    }
  });
});
