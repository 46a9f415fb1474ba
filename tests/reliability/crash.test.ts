/*
 * Crashes: the real server process (server/dist/main.js, a DuckDB file in a temporary folder) is
 * killed with SIGKILL at random moments while a client sends without pause, then started again on the
 * same file. The client records which requests were acknowledged (200, no partial refusal); after the
 * last restart every acknowledged event must be readable through the API exactly once, no request may
 * be half stored, and the session summaries must agree with the events.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { EventName, RUM_VIEW_ID, SESSION_ID } from '@otel-rum/model';
import type { EventItem, SessionItem } from '@otel-rum/model';
import { rumLogsRequest } from '../support/rum-events';
import { byMode, report } from './support/mode';
import { freePort, ServerProcess } from './support/server-process';
import { listAll, registerApp } from './support/api';

const APP = 'crash';
const RESTARTS = byMode(3, 20);
/** Actions per request, beside its one view. */
const ACTIONS = 4;
/** Requests of one session: sessions span requests (and so restarts), their summaries merge. */
const REQUESTS_PER_SESSION = 5;
const CONCURRENCY = 4;

jest.setTimeout(byMode(120_000, 900_000));

interface Sent {
  request: number;
  acked: boolean;
}

function requestBody(r: number): string {
  const session = `s${Math.floor(r / REQUESTS_PER_SESSION)}`;
  const view = `v${r}`;
  const now = Date.now();
  const attrs = (i: number) => ({
    [SESSION_ID]: session,
    [RUM_VIEW_ID]: view,
    'rel.request': r,
    'rel.index': i,
  });
  return JSON.stringify(
    rumLogsRequest(APP, [
      {
        eventName: EventName.VIEW,
        timeMs: now,
        attributes: { ...attrs(-1), 'url.full': `https://shop.test/p/${r}` },
      },
      ...Array.from({ length: ACTIONS }, (_, i) => ({
        eventName: EventName.ACTION,
        timeMs: now + i + 1,
        attributes: { ...attrs(i), 'rum.action.type': 'click', 'rum.action.name': `b${i}` },
      })),
    ]),
  );
}

/** Sends numbered requests without pause until stopped, CONCURRENCY at once, recording each answer. */
class Client {
  next = 0;
  readonly sent: Sent[] = [];
  private running = true;
  private readonly loops: Promise<void>[];

  constructor(private readonly base: string) {
    this.loops = Array.from({ length: CONCURRENCY }, () => this.loop());
  }

  private async loop(): Promise<void> {
    while (this.running) {
      const request = this.next++;
      let acked = false;
      try {
        const res = await fetch(`${this.base}/v1/logs`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: requestBody(request),
        });
        const text = await res.text();
        acked = res.status === 200 && !JSON.parse(text).partialSuccess?.rejectedLogRecords;
      } catch {
        // Connection refused or reset: the server is down. Not acknowledged; not resent, so that any
        // copy stored is one the server committed before it died.
        await new Promise((r) => setTimeout(r, 20));
      }
      this.sent.push({ request, acked });
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }
}

describe('kill -9 during sustained ingest', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rum-crash-'));
  const token = `rum_crash_${randomBytes(16).toString('hex')}`;
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(`keeps every acknowledged event exactly once over ${RESTARTS} restarts`, async () => {
    const port = await freePort();
    // A small write-ahead log makes DuckDB checkpoint every few requests, so kills land in checkpoints too.
    const checkpoints = ['1', '256'];
    const server = (i: number) =>
      new ServerProcess({
        port,
        dbPath: join(dir, 'rum.duckdb'),
        adminToken: token,
        env: { RUM_CHECKPOINT_MIB: checkpoints[i % 2]! },
      });
    let proc = server(0);
    await proc.start();
    await registerApp(proc.url, token, APP);
    const client = new Client(proc.url);
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

    const actions = await listAll<EventItem>(proc.url, token, `/api/v1/actions?app_id=${APP}&from=0`);
    const views = await listAll<EventItem>(proc.url, token, `/api/v1/views?app_id=${APP}&from=0`);
    const sessions = await listAll<SessionItem>(proc.url, token, `/api/v1/sessions?app_id=${APP}&from=0`);
    await proc.stop();

    const copies = new Map<string, number>();
    const perRequest = new Map<number, number>();
    for (const a of actions) {
      const r = Number(a.attributes['rel.request']);
      const key = `${r}:${a.attributes['rel.index']}`;
      copies.set(key, (copies.get(key) ?? 0) + 1);
      perRequest.set(r, (perRequest.get(r) ?? 0) + 1);
    }
    const viewCopies = new Map<string, number>();
    for (const v of views) viewCopies.set(v.viewId ?? '', (viewCopies.get(v.viewId ?? '') ?? 0) + 1);

    const acked = client.sent.filter((s) => s.acked);
    let ackedLost = 0;
    for (const { request } of acked) {
      for (let i = 0; i < ACTIONS; i++) if (!copies.get(`${request}:${i}`)) ackedLost++;
      if (!viewCopies.get(`v${request}`)) ackedLost++;
    }
    const duplicated =
      [...copies.values()].filter((n) => n > 1).length + [...viewCopies.values()].filter((n) => n > 1).length;
    // A request is one transaction: all of its actions or none.
    const halfStored = [...perRequest.values()].filter((n) => n !== ACTIONS).length;

    // Summaries against the events that are there.
    const expected = new Map<string, { views: number; actions: number }>();
    for (const v of views) {
      const e = expected.get(v.sessionId) ?? { views: 0, actions: 0 };
      e.views++;
      expected.set(v.sessionId, e);
    }
    for (const a of actions) {
      const e = expected.get(a.sessionId) ?? { views: 0, actions: 0 };
      e.actions++;
      expected.set(a.sessionId, e);
    }
    const summaryMismatches =
      sessions.filter((s) => {
        const e = expected.get(s.sessionId);
        return (
          !e || s.viewCount !== e.views || s.actionCount !== e.actions || s.eventCount !== e.views + e.actions
        );
      }).length + Math.abs(expected.size - sessions.length);

    report({
      acked_lost: ackedLost,
      duplicated,
      half_stored: halfStored,
      summary_mismatches: summaryMismatches,
      restarts,
      requests_sent: client.sent.length,
      requests_acked: acked.length,
      unacked_but_stored: client.sent.filter((s) => !s.acked && perRequest.has(s.request)).length,
      events_stored: actions.length + views.length,
    });
    expect(acked.length).toBeGreaterThan(RESTARTS);
    expect({ ackedLost, duplicated, halfStored, summaryMismatches, restarts }).toEqual({
      ackedLost: 0,
      duplicated: 0,
      halfStored: 0,
      summaryMismatches: 0,
      restarts: RESTARTS,
    });
  });
});
