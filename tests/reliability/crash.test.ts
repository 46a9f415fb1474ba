/*
 * Crashes: the real server process (server/dist/main.js, a DuckDB file in a temporary folder) is
 * killed with SIGKILL at random moments while a client sends without pause, then started again on the
 * same file. The client records which requests were acknowledged; after the last restart every
 * acknowledged event must be readable through the API exactly once, no request may be half stored,
 * and the session summaries must agree with the events.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { byMode, report } from './support/mode';
import { freePort, ServerProcess } from './support/server-process';
import { registerApp } from './support/api';
import { AckedIngestClient, checkStored } from './support/acked-ingest';

const APP = 'crash';
const RESTARTS = byMode(3, 20);

jest.setTimeout(byMode(120_000, 900_000));

describe('kill -9 during sustained ingest', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rum-crash-'));
  const token = `rum_crash_${randomBytes(16).toString('hex')}`;
  let proc: ServerProcess | null = null;
  afterAll(async () => {
    await proc?.kill9();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`keeps every acknowledged event exactly once over ${RESTARTS} restarts`, async () => {
    const port = await freePort();
    // A 1 MiB write-ahead log makes DuckDB checkpoint every few requests, so kills land in checkpoints too.
    const server = (i: number) =>
      new ServerProcess({
        port,
        dbPath: join(dir, 'rum.duckdb'),
        adminToken: token,
        env: { RUM_CHECKPOINT_MIB: i % 2 ? '256' : '1' },
      });
    proc = server(0);
    await proc.start();
    await registerApp(proc.url, token, APP);
    const client = new AckedIngestClient(proc.url, APP);
    let restarts = 0;
    try {
      for (; restarts < RESTARTS; restarts++) {
        await new Promise((r) => setTimeout(r, 200 + Math.random() * 1300));
        const crashed = proc.exitedOnItsOwn();
        if (crashed) throw new Error(`server died by itself (${crashed}):\n${proc.output}`);
        await proc.kill9();
        proc = server(restarts + 1);
        // Opening must succeed on whatever the killed process left.
        await proc.start();
      }
      await new Promise((r) => setTimeout(r, 500));
    } finally {
      await client.stop();
    }
    const check = await checkStored(proc.url, token, APP, client.sent);
    await proc.stop();
    const acked = client.sent.filter((s) => s.acked).length;
    report({
      acked_lost: check.ackedLost,
      duplicated: check.duplicated,
      restarts,
      half_stored: check.halfStored,
      summary_mismatches: check.summaryMismatches,
      requests_acked: acked,
      unacked_but_stored: check.unackedButStored,
      events_stored: check.eventsStored,
    });
    expect(acked).toBeGreaterThan(RESTARTS);
    expect({ ...check, restarts }).toMatchObject({
      ackedLost: 0,
      duplicated: 0,
      halfStored: 0,
      summaryMismatches: 0,
      restarts: RESTARTS,
    });
  });
});
