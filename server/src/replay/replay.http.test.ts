import { gzipSync } from 'node:zlib';
import * as M from '@otel-rum/model';
import { apiFetch, getJson, startTestServer, type TestServer } from '../../../tests/support/server';
import { keyValues } from '../../../tests/support/rum-events';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const proto = require('@opentelemetry/otlp-transformer/build/src/generated/root').opentelemetry.proto
  .collector;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ demo: false, apps: ['shop', 'other'] });
});
afterAll(() => server.close());

const SESSION = 'a1'.repeat(16);
// An hour ago: within every retention window.
const t0 = Date.now() - 3_600_000;

const kv = keyValues;

interface SegmentSpec {
  sequence: number;
  start: number;
  events: unknown[];
  encoding?: M.ReplayEncoding;
  body?: unknown;
  view?: string;
  session?: string;
  privacy?: string;
}

/** rrweb-shaped events: what the API must hand back untouched. */
const meta = (t: number) => ({
  type: 4,
  timestamp: t,
  data: { href: 'https://shop.test/', width: 800, height: 600 },
});
const snapshot = (t: number) => ({
  type: 2,
  timestamp: t,
  data: { node: { type: 0, childNodes: [], id: 1 } },
});
const input = (t: number, text: string) => ({ type: 3, timestamp: t, data: { source: 5, text, id: 7 } });

function record(s: SegmentSpec) {
  const encoding = s.encoding ?? 'gzip';
  const json = JSON.stringify(s.events);
  const body =
    s.body ??
    (encoding === 'gzip' ? { bytesValue: gzipSync(json).toString('base64') } : { stringValue: json });
  const end = Math.max(...s.events.map((e) => (e as { timestamp: number }).timestamp));
  return {
    timeUnixNano: `${BigInt(s.start) * 1_000_000n}`,
    eventName: M.EventName.REPLAY_SEGMENT,
    body,
    attributes: kv({
      [M.SESSION_ID]: s.session ?? SESSION,
      [M.RUM_VIEW_ID]: s.view ?? 'view1',
      [M.RUM_REPLAY_SEQUENCE]: s.sequence,
      [M.RUM_REPLAY_START]: s.start,
      [M.RUM_REPLAY_END]: end,
      [M.RUM_REPLAY_EVENT_COUNT]: s.events.length,
      [M.RUM_REPLAY_ENCODING]: encoding,
      [M.RUM_REPLAY_HAS_FULL_SNAPSHOT]: s.events.some((e) => (e as { type: number }).type === 2),
      ...(s.privacy === undefined ? {} : { [M.RUM_REPLAY_PRIVACY]: s.privacy }),
    }),
  };
}

const request = (appId: string, records: unknown[]) => ({
  resourceLogs: [
    {
      resource: { attributes: kv({ [M.RUM_APP_ID]: appId, [M.SERVICE_NAME]: 'shop' }) },
      scopeLogs: [{ scope: { name: M.SDK_NAME }, logRecords: records }],
    },
  ],
});

async function postJson(body: unknown) {
  const res = await fetch(server.url + '/v1/logs', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return {
    status: res.status,
    body: (await res.json()) as { partialSuccess?: { rejectedLogRecords?: string; errorMessage?: string } },
  };
}

describe('GET /api/v1/sessions/{id}/replay', () => {
  beforeAll(async () => {
    // Sent out of order, as gzip and as JSON text; a retry repeats segment 1.
    const r = await postJson(
      request('shop', [
        record({
          sequence: 1,
          start: t0 + 1000,
          events: [input(t0 + 1000, '***'), input(t0 + 1500, '****')],
        }),
        record({ sequence: 0, start: t0, events: [meta(t0), snapshot(t0 + 1)], privacy: 'mask' }),
        record({ sequence: 2, start: t0 + 6000, encoding: 'json', events: [input(t0 + 6000, '*****')] }),
        record({
          sequence: 1,
          start: t0 + 1000,
          events: [input(t0 + 1000, '***'), input(t0 + 1500, '****')],
        }),
      ]),
    );
    expect(r.status).toBe(200);
    expect(r.body.partialSuccess?.rejectedLogRecords ?? '0').toBe('0');
  });

  it('returns the segments in playback order with their rrweb events decoded, each once', async () => {
    const page = await getJson(server.url, `/api/v1/sessions/${SESSION}/replay?app_id=shop`);
    expect(page.sessionId).toBe(SESSION);
    expect(page.nextCursor).toBeNull();
    expect(page.segments.map((s: { sequence: number }) => s.sequence)).toEqual([0, 1, 2]);
    const [first, second, third] = page.segments;
    expect(first).toMatchObject({
      appId: 'shop',
      viewId: 'view1',
      startMs: t0,
      endMs: t0 + 1,
      eventCount: 2,
      hasFullSnapshot: true,
      encoding: 'gzip',
      privacy: 'mask',
      events: [meta(t0), snapshot(t0 + 1)],
    });
    expect(second.events).toEqual([input(t0 + 1000, '***'), input(t0 + 1500, '****')]);
    expect(third).toMatchObject({
      encoding: 'json',
      // Another sender that does not say under which privacy level it recorded.
      privacy: null,
      hasFullSnapshot: false,
      events: [input(t0 + 6000, '*****')],
    });
  });

  it('keeps the metadata row of every segment among the events, without the recording', async () => {
    const list = await getJson(server.url, `/api/v1/replay-segments?app_id=shop&session_id=${SESSION}`);
    expect(list.items.length).toBeGreaterThanOrEqual(3);
    for (const item of list.items) {
      expect(item.attributes[M.RUM_REPLAY_SEQUENCE]).toBeDefined();
      expect(JSON.stringify(item)).not.toContain('"events"');
    }
    const session = await getJson(server.url, `/api/v1/sessions/${SESSION}?app_id=shop`);
    expect(session.hasReplay).toBe(true);
  });

  it('pages with limit and nextCursor, and refuses a bad limit or cursor', async () => {
    const one = await getJson(server.url, `/api/v1/sessions/${SESSION}/replay?limit=2`);
    expect(one.segments.map((s: { sequence: number }) => s.sequence)).toEqual([0, 1]);
    expect(one.nextCursor).toEqual(expect.any(String));
    const two = await getJson(
      server.url,
      `/api/v1/sessions/${SESSION}/replay?limit=2&cursor=${encodeURIComponent(one.nextCursor)}`,
    );
    expect(two.segments.map((s: { sequence: number }) => s.sequence)).toEqual([2]);
    expect(two.nextCursor).toBeNull();

    const tooMany = await apiFetch(
      server.url,
      `/api/v1/sessions/${SESSION}/replay?limit=${M.MAX_REPLAY_SEGMENTS_PER_PAGE + 1}`,
    );
    expect(tooMany.status).toBe(400);
    expect((await tooMany.json()).error).toMatch(/limit/);
    const badCursor = await apiFetch(server.url, `/api/v1/sessions/${SESSION}/replay?cursor=nonsense`);
    expect(badCursor.status).toBe(400);
    expect((await badCursor.json()).error).toMatch(/cursor/);
  });

  it('answers 404 for a session without replay, and 401 without a token', async () => {
    const res = await apiFetch(server.url, `/api/v1/sessions/${'b2'.repeat(16)}/replay`);
    expect(res.status).toBe(404);
    expect((await res.json()).error).toMatch(/no replay/);
    expect((await fetch(`${server.url}/api/v1/sessions/${SESSION}/replay`)).status).toBe(401);
    // The other application has no replay of this session.
    expect((await apiFetch(server.url, `/api/v1/sessions/${SESSION}/replay?app_id=other`)).status).toBe(404);
  });

  it('is in the OpenAPI document', async () => {
    const doc = await (await fetch(server.url + '/api/v1/openapi.json')).json();
    expect(Object.keys(doc.paths['/api/v1/sessions/{id}/replay'])).toEqual(['get']);
    expect(doc.components.schemas.ReplayPage).toBeDefined();
  });
});

describe('replay segments at ingest', () => {
  it('takes the recording as protobuf bytes too', async () => {
    const session = 'c3'.repeat(16);
    const json = request('shop', [
      record({ sequence: 0, start: t0, events: [meta(t0), snapshot(t0)], session }),
    ]);
    const rec = json.resourceLogs[0]!.scopeLogs[0]!.logRecords[0] as { body: { bytesValue: string } };
    const pb = proto.logs.v1.ExportLogsServiceRequest.fromObject(json);
    const res = await fetch(server.url + '/v1/logs', {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body: proto.logs.v1.ExportLogsServiceRequest.encode(pb).finish(),
    });
    expect(res.status).toBe(200);
    expect(rec.body.bytesValue.length).toBeGreaterThan(0);
    const page = await getJson(server.url, `/api/v1/sessions/${session}/replay`);
    expect(page.segments[0].events).toEqual([meta(t0), snapshot(t0)]);
  });

  it('refuses, naming why, a segment over MAX_REPLAY_SEGMENT_BYTES, not gzip as it says or of an unknown privacy level; keeps one without a body as metadata', async () => {
    const session = 'd4'.repeat(16);
    const big = Buffer.alloc(M.MAX_REPLAY_SEGMENT_BYTES + 1, 1);
    const r = await postJson(
      request('shop', [
        record({ sequence: 0, start: t0, events: [meta(t0)], session, body: {} }),
        record({
          sequence: 1,
          start: t0,
          events: [meta(t0)],
          session,
          body: { bytesValue: big.toString('base64') },
        }),
        record({ sequence: 2, start: t0, events: [meta(t0)], session, body: { bytesValue: 'bm90IGd6aXA=' } }),
        record({ sequence: 3, start: t0, events: [meta(t0)], session, encoding: 'json' }),
        record({ sequence: 4, start: t0, events: [meta(t0)], session, privacy: 'everything' }),
      ]),
    );
    expect(r.status).toBe(200);
    expect(Number(r.body.partialSuccess?.rejectedLogRecords)).toBe(3);
    const reason = r.body.partialSuccess?.errorMessage ?? '';
    expect(reason).toContain(`${M.RUM_REPLAY_PRIVACY} must be one of allow, mask-user-input, mask`);
    expect(reason).toContain('MAX_REPLAY_SEGMENT_BYTES');
    expect(reason).toContain('not gzip');
    const page = await getJson(server.url, `/api/v1/sessions/${session}/replay`);
    expect(page.segments.map((s: { sequence: number }) => s.sequence)).toEqual([3]);
    const rows = await getJson(server.url, `/api/v1/replay-segments?session_id=${session}`);
    expect(
      rows.items
        .map((i: { attributes: Record<string, unknown> }) => i.attributes[M.RUM_REPLAY_SEQUENCE])
        .sort(),
    ).toEqual([0, 3]);
  });

  it('lets retention delete recordings older than their application window', async () => {
    const session = 'e5'.repeat(16);
    const old = Date.now() - (M.DEFAULT_RETENTION_DAYS + 2) * 86_400_000;
    const r = await postJson(
      request('shop', [record({ sequence: 0, start: old, events: [meta(old), snapshot(old)], session })]),
    );
    expect(r.status).toBe(200);
    expect((await apiFetch(server.url, `/api/v1/sessions/${session}/replay`)).status).toBe(200);
    const run = await server.jobs!.retention.runOnce();
    expect(run.deleted.replaySegments).toBeGreaterThanOrEqual(1);
    expect((await apiFetch(server.url, `/api/v1/sessions/${session}/replay`)).status).toBe(404);
    // Recent recordings stay.
    expect((await apiFetch(server.url, `/api/v1/sessions/${SESSION}/replay`)).status).toBe(200);
  });
});
