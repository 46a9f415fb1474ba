import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, apiFetch, getJson } from '../../../tests/support/server';
import { ERASURE_APP as APP, sendUser } from '../../../tests/support/erasure-footprint';
import { dumpStore } from '../../../tests/support/store-dump';
import { createLogger } from '../log';
import { auditDigest } from './erasure';

const ALICE = 'alice-7f3';
const BOB = 'bob-91c';
const TRACE_A = 'aaaa1111bbbb2222cccc3333dddd4444';
const TRACE_B = 'eeee5555ffff6666aaaa7777bbbb8888';

/** Table and row of every stored row that holds one of the needles. */
async function rowsHolding(dbPath: string, needles: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const [table, rows] of await dumpStore(dbPath))
    for (const row of rows)
      if (needles.some((n) => row.includes(n))) found.push(`${table}: ${row.slice(0, 200)}`);
  return found;
}

describe('erasure through the admin API', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rum-erasure-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("erases everything of one user id, in every table, with an audit line, and keeps everyone else's", async () => {
    const dbPath = join(dir, 'rum.duckdb');
    const lines: string[] = [];
    const server = await startTestServer({
      apps: [APP],
      demo: false,
      dbPath,
      log: createLogger('info', (l) => lines.push(l)),
    });
    let closed = false;
    try {
      await sendUser(server, ALICE, 'sA1', TRACE_A);
      await sendUser(server, BOB, 'sB1', TRACE_B);
      // Alice's second session, before the first summary fold.
      await sendUser(server, ALICE, 'sA2', 'aaaa1111bbbb2222cccc3333dddd5555');
      expect((await getJson(server.url, `/api/v1/sessions?app_id=${APP}`)).items).toHaveLength(3);

      const res = await apiFetch(server.url, '/api/v1/erasure', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ appId: APP, userId: ALICE }),
      });
      expect(res.status).toBe(200);
      const result = await res.json();
      expect(result).toMatchObject({ appId: APP, subject: 'user', sessions: 2 });
      expect(result.deleted).toMatchObject({ sessions: 2, replay_segments: 2, spans: 4, metric_points: 2 });

      const sessions = await getJson(server.url, `/api/v1/sessions?app_id=${APP}`);
      expect(sessions.items.map((s: { sessionId: string }) => s.sessionId)).toEqual(['sB1']);
      expect((await getJson(server.url, `/api/v1/errors?app_id=${APP}`)).items).toHaveLength(1);
      expect((await apiFetch(server.url, `/api/v1/traces/${TRACE_A}`)).status).toBe(404);
      expect((await apiFetch(server.url, `/api/v1/sessions/sA1/replay?app_id=${APP}`)).status).toBe(404);

      const audit = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'audit: erasure');
      expect(audit).toEqual([
        expect.objectContaining({
          level: 'info',
          appId: APP,
          subject: 'user',
          idSha256: auditDigest(ALICE),
          sessions: 2,
          requestedBy: 'admin token from RUM_ADMIN_TOKEN',
        }),
      ]);
      expect(lines.join('')).not.toContain(ALICE);
      await server.close();
      closed = true;

      // What is on disk, every table: nothing of Alice's, Bob's all there.
      expect(await rowsHolding(dbPath, [ALICE, 'sA1', 'sA2', TRACE_A])).toEqual([]);
      expect((await rowsHolding(dbPath, [BOB])).length).toBeGreaterThanOrEqual(8);
    } finally {
      if (!closed) await server.close();
    }
  });

  it('erases one session, and refuses a request that names neither or both', async () => {
    const dbPath = join(dir, 'rum.duckdb');
    const server = await startTestServer({ apps: [APP], demo: false, dbPath });
    let closed = false;
    try {
      await sendUser(server, ALICE, 'sA1', TRACE_A);
      await sendUser(server, ALICE, 'sA2', TRACE_B);
      const erase = (body: unknown) =>
        apiFetch(server.url, '/api/v1/erasure', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      for (const bad of [
        { appId: APP },
        { appId: APP, userId: ALICE, sessionId: 'sA1' },
        { appId: APP, sessionId: '' },
        { appId: 'no way', sessionId: 'x' },
      ]) {
        const r = await erase(bad);
        expect(r.status).toBe(400);
        expect((await r.json()).error).toMatch(/userId|sessionId|appId/);
      }
      const r = await erase({ appId: APP, sessionId: 'sA1' });
      expect(await r.json()).toMatchObject({ subject: 'session', sessions: 1, deleted: { sessions: 1 } });
      expect(
        (await getJson(server.url, `/api/v1/sessions?app_id=${APP}`)).items.map(
          (s: { sessionId: string }) => s.sessionId,
        ),
      ).toEqual(['sA2']);
      await server.close();
      closed = true;
      expect(await rowsHolding(dbPath, ['sA1', TRACE_A])).toEqual([]);
      expect((await rowsHolding(dbPath, ['sA2'])).length).toBeGreaterThan(0);
    } finally {
      if (!closed) await server.close();
    }
  });
});
