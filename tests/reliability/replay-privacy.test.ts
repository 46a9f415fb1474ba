/*
 * Replay privacy, searched on disk: a page with a password field, an email field and text marked
 * private (`data-rum-privacy="mask"` and `"hidden"`) is recorded in real Chromium under each privacy
 * level (PRIVACY_LEVELS); the user types into both fields. The real server stores into a DuckDB file;
 * once it is stopped, every table of the file is read back (replay segment payloads inflated) and the
 * file's raw bytes are searched too. What a level masks must be in none of them. tests/replay.e2e.test.ts
 * covers the wire and the API, rrweb playback and the element overrides in detail.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { PRIVACY_LEVELS, type PrivacyLevel } from '@otel-rum/model';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/chromium';
import { apiFetch, eventually, startTestServer, type TestServer } from '../support/server';
import { dumpStore } from '../support/store-dump';
import { startAppServer, type AppServer } from '../sources/support/app-server';
import { report } from './support/mode';

jest.setTimeout(120_000);

const APP = 'replay_privacy';
const PASSWORD = 'Tr0ub4dor&3-horse';
const EMAIL = 'ada.lovelace@example.org';
/** Page text under no element override: masked at `mask` only. */
const PLAIN = 'Welcome back to your account';
/** Text marked private: masked (or left out) at every level. */
const PRIVATE = 'Diagnosis pending for patient 5521';
const HIDDEN = 'Internal note about this customer';

/** What each level must keep out of the store, and what it must keep (proof that the search sees it). */
const EXPECT: Record<PrivacyLevel, { absent: string[]; present: string[] }> = {
  allow: { absent: [PASSWORD, PRIVATE, HIDDEN], present: [EMAIL, PLAIN] },
  'mask-user-input': { absent: [PASSWORD, EMAIL, PRIVATE, HIDDEN], present: [PLAIN] },
  mask: { absent: [PASSWORD, EMAIL, PRIVATE, HIDDEN, PLAIN], present: [] },
};

let dir: string;
let server: TestServer | undefined;
let browser: Browser;
let app: AppServer;

const page = (rum: string, level: PrivacyLevel) => `<!doctype html>
<html><head><title>Account</title>
<script src="${rum}/sdk/otel-rum.min.js"></script>
<script>OtelRum.init({ appId: '${APP}', endpoint: '${rum}', flushIntervalMs: 300, replaySampleRate: 100, privacy: '${level}' });</script>
</head><body>
<p id="plain">${PLAIN}</p>
<form>
<label>Email <input id="email" type="email" autocomplete="off"></label>
<label>Password <input id="password" type="password" autocomplete="off"></label>
<button id="save" type="button">Save</button>
</form>
<p data-rum-privacy="mask" id="private">${PRIVATE}</p>
<p data-rum-privacy="hidden" id="hidden">${HIDDEN}</p>
</body></html>`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rum-replay-privacy-'));
  [server, browser] = await Promise.all([
    startTestServer({ demo: false, apps: [APP], dbPath: join(dir, 'rum.duckdb') }),
    launchChromium(),
  ]);
  const files: Record<string, string> = {};
  for (const level of PRIVACY_LEVELS) files[`/${level}.html`] = page(server.url, level);
  app = await startAppServer({ files });
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Records one session at `level`: the user types into both fields and saves; returns its session id. */
async function record(level: PrivacyLevel): Promise<string> {
  const p = await browser.newPage();
  await p.goto(`${app.url}/${level}.html`);
  await p.waitForFunction(
    () => typeof (window as unknown as { OtelRumReplay?: unknown }).OtelRumReplay === 'object',
  );
  const sessionId = await p.evaluate(() =>
    (window as unknown as { OtelRum: { getSessionId(): string } }).OtelRum.getSessionId(),
  );
  await p.click('#email');
  await p.keyboard.type(EMAIL, { delay: 10 });
  await p.click('#password');
  await p.keyboard.type(PASSWORD, { delay: 10 });
  await p.click('#save');
  await p.waitForTimeout(300);
  await p.goto('about:blank');
  await p.close();
  // Stored once the segment holding the typing (closed at page hide) is readable.
  await eventually(async () => {
    const r = await apiFetch(server!.url, `/api/v1/sessions/${sessionId}/replay?app_id=${APP}`);
    if (r.status !== 200) return undefined;
    const body = (await r.json()) as {
      segments: { events: { type: number; data: { source?: number } }[] }[];
    };
    const typed = body.segments.flatMap((s) => s.events).filter((e) => e.type === 3 && e.data.source === 5);
    return typed.length > 0 ? true : undefined;
  }, 20_000);
  return sessionId;
}

/** The replay payloads of the DuckDB file as text (gzip members inflated), by session id. */
async function replayPayloads(dbPath: string): Promise<Map<string, string>> {
  const instance = await DuckDBInstance.create(dbPath, { access_mode: 'READ_ONLY' });
  const conn = await instance.connect();
  try {
    const rows = (
      await conn.runAndReadAll('SELECT session_id, encoding, payload FROM replay_segments ORDER BY sequence')
    ).getRowObjectsJS();
    const out = new Map<string, string>();
    for (const r of rows) {
      const payload = r.payload as Uint8Array | { bytes: Uint8Array };
      const bytes = Buffer.from(payload instanceof Uint8Array ? payload : payload.bytes);
      const text = (r.encoding === 'gzip' ? gunzipSync(bytes) : bytes).toString('utf8');
      const id = String(r.session_id);
      out.set(id, (out.get(id) ?? '') + text);
    }
    return out;
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

it(`stores none of what each privacy level masks (${PRIVACY_LEVELS.join(', ')}), searched in the DuckDB file`, async () => {
  const sessions = new Map<PrivacyLevel, string>();
  for (const level of PRIVACY_LEVELS) sessions.set(level, await record(level));
  await server!.close();
  server = undefined;

  const dbPath = join(dir, 'rum.duckdb');
  const replay = await replayPayloads(dbPath);
  const tables = await dumpStore(dbPath);
  // Every other row of every table (events, sessions, views...), as text.
  const rows = [...tables.entries()]
    .filter(([t]) => t !== 'replay_segments')
    .flatMap(([, r]) => r)
    .join('\n');
  // The file's raw bytes (and its write-ahead log, if any), for anything stored uncompressed.
  const raw = readdirSync(dir)
    .map((f) => readFileSync(join(dir, f)).toString('latin1'))
    .join('\n');

  const found: string[] = [];
  for (const level of PRIVACY_LEVELS) {
    const recorded = replay.get(sessions.get(level)!) ?? '';
    expect({ level, recorded: recorded.length > 0 }).toEqual({ level, recorded: true });
    for (const secret of EXPECT[level].absent)
      if (recorded.includes(secret)) found.push(`${level}: replay holds "${secret}"`);
    for (const kept of EXPECT[level].present)
      if (!recorded.includes(kept)) found.push(`${level}: replay lacks "${kept}", which this level keeps`);
  }
  // The password and the private texts are masked at every level, so nowhere in the file.
  for (const secret of [PASSWORD, PRIVATE, HIDDEN]) {
    if (rows.includes(secret)) found.push(`a table holds "${secret}"`);
    if (raw.includes(secret)) found.push(`the file's bytes hold "${secret}"`);
  }
  report({
    replay_privacy_levels: PRIVACY_LEVELS.length,
    replay_bytes_searched: [...replay.values()].reduce((t, s) => t + s.length, 0),
    table_rows_searched: [...tables.values()].reduce((t, r) => t + r.length, 0),
    file_bytes_searched: raw.length,
    leaks: found.length,
  });
  expect(found).toEqual([]);
});
