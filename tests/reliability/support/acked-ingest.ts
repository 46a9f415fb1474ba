/*
 * A client that sends numbered RUM requests without pause and records which were acknowledged, and
 * the check of what the server then holds: every acknowledged event once, no request half stored,
 * session summaries that agree with the events.
 */
import { EventName, RUM_VIEW_ID, SESSION_ID } from '@otel-rum/model';
import type { EventItem, SessionItem } from '@otel-rum/model';
import { rumLogsRequest } from '../../support/rum-events';
import { listAll } from './api';

/** Actions per request, beside its one view. */
export const ACTIONS_PER_REQUEST = 4;
/** Requests of one session: sessions span requests (and so restarts), their summaries merge. */
const REQUESTS_PER_SESSION = 5;
const CONCURRENCY = 4;

export interface Sent {
  request: number;
  acked: boolean;
  status: number | null;
}

export interface AckedIngestOptions {
  /** Characters of padding (attribute rel.pad) on each event, to make requests heavy; none by default. */
  padChars?: number;
  /** Requests in flight at once. */
  concurrency?: number;
}

function requestBody(appId: string, r: number, padChars: number): string {
  const session = `s${Math.floor(r / REQUESTS_PER_SESSION)}`;
  const now = Date.now();
  const attrs = (i: number) => ({
    [SESSION_ID]: session,
    [RUM_VIEW_ID]: `v${r}`,
    'rel.request': r,
    'rel.index': i,
    ...(padChars > 0 ? { 'rel.pad': `${r}:${i}:`.padEnd(padChars, 'x') } : {}),
  });
  return JSON.stringify(
    rumLogsRequest(appId, [
      {
        eventName: EventName.VIEW,
        timeMs: now,
        attributes: { ...attrs(-1), 'url.full': `https://shop.test/p/${r}` },
      },
      ...Array.from({ length: ACTIONS_PER_REQUEST }, (_, i) => ({
        eventName: EventName.ACTION,
        timeMs: now + i + 1,
        attributes: { ...attrs(i), 'rum.action.type': 'click', 'rum.action.name': `b${i}` },
      })),
    ]),
  );
}

/** Sends numbered requests without pause until stopped, CONCURRENCY at once, recording each answer. */
export class AckedIngestClient {
  private next = 0;
  readonly sent: Sent[] = [];
  private running = true;
  private readonly loops: Promise<void>[];

  constructor(
    private readonly base: string,
    private readonly appId: string,
    private readonly options: AckedIngestOptions = {},
  ) {
    this.loops = Array.from({ length: options.concurrency ?? CONCURRENCY }, () => this.loop());
  }

  private async loop(): Promise<void> {
    while (this.running) {
      const request = this.next++;
      let acked = false;
      let status: number | null = null;
      try {
        const res = await fetch(`${this.base}/v1/logs`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: requestBody(this.appId, request, this.options.padChars ?? 0),
        });
        status = res.status;
        const text = await res.text();
        acked = res.status === 200 && !JSON.parse(text).partialSuccess?.rejectedLogRecords;
        if (!acked) await new Promise((r) => setTimeout(r, 20));
      } catch {
        // Connection refused or reset: the server is down. Not acknowledged, and never resent, so that
        // any copy stored is one the server committed before it died.
        await new Promise((r) => setTimeout(r, 20));
      }
      this.sent.push({ request, acked, status });
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }
}

export interface StoredCheck {
  ackedLost: number;
  duplicated: number;
  halfStored: number;
  summaryMismatches: number;
  unackedButStored: number;
  eventsStored: number;
}

/** Reads everything of the application through the API and compares it with what was acknowledged. */
export async function checkStored(
  base: string,
  token: string,
  appId: string,
  sent: readonly Sent[],
): Promise<StoredCheck> {
  const q = `app_id=${appId}&from=0`;
  const actions = await listAll<EventItem>(base, token, `/api/v1/actions?${q}`);
  const views = await listAll<EventItem>(base, token, `/api/v1/views?${q}`);
  const sessions = await listAll<SessionItem>(base, token, `/api/v1/sessions?${q}`);

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

  let ackedLost = 0;
  for (const { request } of sent.filter((s) => s.acked)) {
    for (let i = 0; i < ACTIONS_PER_REQUEST; i++) if (!copies.get(`${request}:${i}`)) ackedLost++;
    if (!viewCopies.get(`v${request}`)) ackedLost++;
  }
  const duplicated =
    [...copies.values()].filter((n) => n > 1).length + [...viewCopies.values()].filter((n) => n > 1).length;
  // A request is one transaction: all of its actions and its view, or nothing.
  const halfStored =
    [...perRequest.entries()].filter(([r, n]) => n !== ACTIONS_PER_REQUEST || !viewCopies.get(`v${r}`))
      .length + [...viewCopies.keys()].filter((v) => !perRequest.has(Number(v.slice(1)))).length;

  const expected = new Map<string, { views: number; actions: number }>();
  const count = (sessionId: string, what: 'views' | 'actions') => {
    const e = expected.get(sessionId) ?? { views: 0, actions: 0 };
    e[what]++;
    expected.set(sessionId, e);
  };
  for (const v of views) count(v.sessionId, 'views');
  for (const a of actions) count(a.sessionId, 'actions');
  const summaryMismatches =
    sessions.filter((s) => {
      const e = expected.get(s.sessionId);
      return (
        !e || s.viewCount !== e.views || s.actionCount !== e.actions || s.eventCount !== e.views + e.actions
      );
    }).length + Math.abs(expected.size - sessions.length);

  return {
    ackedLost,
    duplicated,
    halfStored,
    summaryMismatches,
    unackedButStored: sent.filter((s) => !s.acked && perRequest.has(s.request)).length,
    eventsStored: actions.length + views.length,
  };
}
