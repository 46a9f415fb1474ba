/*
 * A write that fails half way: the real server process runs with a file size limit (ulimit -f, with
 * SIGXFSZ ignored, so that a write past it fails with EFBIG as on a full disk) while a client sends
 * without pause. Once DuckDB's files reach the limit, requests must be refused (503 with
 * Retry-After, never a crash or an acknowledgement of what was not committed). Restarted without the
 * limit, the server must open the file and hold every acknowledged event exactly once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { report } from './support/mode';
import { freePort, ServerProcess } from './support/server-process';
import { registerApp } from './support/api';
import { AckedIngestClient, checkStored } from './support/acked-ingest';

const APP = 'diskfull';
/**
 * Largest file the server may write (ulimit -f): the write-ahead log, which starts empty, reaches it
 * after some hundred requests. The database file is larger, but only a checkpoint writes to it.
 */
const FILE_LIMIT_KIB = 256;

jest.setTimeout(120_000);

describe('a full disk during ingest', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rum-diskfull-'));
  const token = `rum_diskfull_${randomBytes(16).toString('hex')}`;
  let proc: ServerProcess | null = null;
  afterAll(async () => {
    await proc?.kill9();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses what it cannot commit, and keeps what it acknowledged', async () => {
    const port = await freePort();
    const dbPath = join(dir, 'rum.duckdb');
    const options = { port, dbPath, adminToken: token };
    proc = new ServerProcess(options);
    await proc.start();
    await registerApp(proc.url, token, APP);
    await proc.stop();

    proc = new ServerProcess({ ...options, prelude: `trap '' XFSZ\nulimit -f ${FILE_LIMIT_KIB}` });
    await proc.start();
    const client = new AckedIngestClient(proc.url, APP);
    const until = Date.now() + 60_000;
    // Until the limit is hit and refusals have gone on for a while.
    while (Date.now() < until && client.sent.filter((s) => s.status === 503).length < 20)
      await new Promise((r) => setTimeout(r, 100));
    await client.stop();
    const died = proc.exitedOnItsOwn();
    await proc.stop();

    proc = new ServerProcess(options);
    await proc.start();
    const check = await checkStored(proc.url, token, APP, client.sent);
    const statuses: Record<string, number> = {};
    for (const s of client.sent) statuses[String(s.status)] = (statuses[String(s.status)] ?? 0) + 1;
    await proc.stop();
    report({
      disk_full_acked_lost: check.ackedLost,
      duplicated: check.duplicated,
      half_stored: check.halfStored,
      summary_mismatches: check.summaryMismatches,
      requests_acked: client.sent.filter((s) => s.acked).length,
      refused_503: statuses['503'] ?? 0,
      other_answers: client.sent.length - (statuses['200'] ?? 0) - (statuses['503'] ?? 0),
    });
    expect(died).toBeNull();
    expect(statuses['503']).toBeGreaterThan(0);
    expect(Object.keys(statuses).sort()).toEqual(['200', '503']);
    expect(check).toMatchObject({ ackedLost: 0, duplicated: 0, halfStored: 0, summaryMismatches: 0 });
  });
});
