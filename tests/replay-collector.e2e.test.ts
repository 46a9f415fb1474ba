/*
 * Replay segments through the gateway: OTLP/JSON log records as the SDK sends them (a gzip body as
 * bytesValue, a JSON body as stringValue) go to the real collector running gateway.yaml, which
 * forwards them (as protobuf) to the real server; the recording comes back intact from the API.
 */
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import * as M from '@otel-rum/model';
import { FIRST_BUILD_TIMEOUT_MS, collectorBinary } from '../collector-config/testing/collectorBinary';
import { startCollector, type RunningCollector } from '../collector-config/testing/collectorProcess';
import { configPath } from '../collector-config/testing/configFiles';
import { keyValues } from './support/rum-events';
import { apiFetch, eventually, startTestServer, type TestServer } from './support/server';

const APP_ID = 'replay_gateway';
let server: TestServer;
let collector: RunningCollector;

beforeAll(async () => {
  collectorBinary();
  server = await startTestServer({ demo: false, apps: [APP_ID] });
  collector = await startCollector(configPath('gateway.yaml'), {
    RUM_SERVER_ENDPOINT: server.url,
    COLLECTOR_BATCH_TIMEOUT: '100ms',
  });
}, FIRST_BUILD_TIMEOUT_MS);
afterAll(async () => {
  await collector?.stop();
  await server?.close();
}, 30_000);

const kv = keyValues;

it('carries gzip and JSON replay bodies through the gateway unchanged', async () => {
  const sessionId = 'f6'.repeat(16);
  const t = Date.now() - 1000;
  // rrweb-shaped events. The gateway redacts URL attributes, never bodies: masking is the SDK's.
  const first = [
    { type: 4, timestamp: t, data: { href: 'https://shop.test/checkout', width: 800, height: 600 } },
    {
      type: 2,
      timestamp: t + 1,
      data: { node: { type: 0, id: 1, childNodes: [] }, initialOffset: { top: 0, left: 0 } },
    },
  ];
  const second = [
    { type: 3, timestamp: t + 500, data: { source: 5, id: 7, text: '****', isChecked: false } },
  ];
  const record = (sequence: number, events: unknown[], encoding: M.ReplayEncoding) => ({
    timeUnixNano: `${BigInt(events.length && (events[0] as { timestamp: number }).timestamp) * 1_000_000n}`,
    eventName: M.EventName.REPLAY_SEGMENT,
    body:
      encoding === 'gzip'
        ? { bytesValue: gzipSync(JSON.stringify(events)).toString('base64') }
        : { stringValue: JSON.stringify(events) },
    attributes: kv({
      [M.SESSION_ID]: sessionId,
      [M.RUM_VIEW_ID]: 'a1b2c3d4e5f60718',
      [M.URL_FULL]: 'https://shop.test/checkout',
      [M.RUM_REPLAY_SEQUENCE]: sequence,
      [M.RUM_REPLAY_START]: (events[0] as { timestamp: number }).timestamp,
      [M.RUM_REPLAY_END]: (events[events.length - 1] as { timestamp: number }).timestamp,
      [M.RUM_REPLAY_EVENT_COUNT]: events.length,
      [M.RUM_REPLAY_ENCODING]: encoding,
      [M.RUM_REPLAY_HAS_FULL_SNAPSHOT]: sequence === 0,
    }),
  });
  const res = await fetch(`${collector.otlpUrl}/v1/logs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      resourceLogs: [
        {
          resource: {
            attributes: kv({
              [M.RUM_APP_ID]: APP_ID,
              [M.SERVICE_NAME]: 'shop',
              [M.TELEMETRY_SDK_NAME]: M.SDK_NAME,
              [M.TELEMETRY_SDK_LANGUAGE]: 'webjs',
            }),
          },
          scopeLogs: [
            {
              scope: { name: M.SDK_NAME },
              logRecords: [record(0, first, 'gzip'), record(1, second, 'json')],
            },
          ],
        },
      ],
    }),
  });
  expect(res.status).toBe(200);

  const replay = await eventually(async () => {
    const r = await apiFetch(server.url, `/api/v1/sessions/${sessionId}/replay?app_id=${APP_ID}`);
    if (r.status !== 200) return undefined;
    const body = (await r.json()) as {
      segments: { sequence: number; encoding: string; events: unknown[] }[];
    };
    return body.segments.length === 2 ? body : undefined;
  }, 15_000);
  expect(replay.segments.map((s) => [s.sequence, s.encoding])).toEqual([
    [0, 'gzip'],
    [1, 'json'],
  ]);
  expect(replay.segments[0]!.events).toEqual(first);
  expect(replay.segments[1]!.events).toEqual(second);
});

it("splits what it forwards to stay under the server's request limit, however heavy the segments", async () => {
  // 40 segments of about 300 KiB of gzip each (12 MiB), sent in 8 requests of 1.5 MiB within one
  // batch window: forwarded as one request they would be refused by the server (MAX_REQUEST_BODY_BYTES).
  const sessionId = 'a7'.repeat(16);
  const t = Date.now() - 5000;
  const segment = (sequence: number) => {
    const events = [
      {
        type: 3,
        timestamp: t + sequence,
        data: { source: 0, noise: randomBytes(225_000).toString('base64') },
      },
    ];
    return {
      timeUnixNano: `${BigInt(t + sequence) * 1_000_000n}`,
      eventName: M.EventName.REPLAY_SEGMENT,
      body: { bytesValue: gzipSync(JSON.stringify(events)).toString('base64') },
      attributes: kv({
        [M.SESSION_ID]: sessionId,
        [M.RUM_VIEW_ID]: 'b1b2c3d4e5f60718',
        [M.RUM_REPLAY_SEQUENCE]: sequence,
        [M.RUM_REPLAY_START]: t + sequence,
        [M.RUM_REPLAY_END]: t + sequence,
        [M.RUM_REPLAY_EVENT_COUNT]: 1,
        [M.RUM_REPLAY_ENCODING]: 'gzip',
        [M.RUM_REPLAY_HAS_FULL_SNAPSHOT]: false,
      }),
    };
  };
  const requests = Array.from({ length: 8 }, (_, r) =>
    fetch(`${collector.otlpUrl}/v1/logs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        resourceLogs: [
          {
            resource: { attributes: kv({ [M.RUM_APP_ID]: APP_ID, [M.SERVICE_NAME]: 'shop' }) },
            scopeLogs: [
              {
                scope: { name: M.SDK_NAME },
                logRecords: Array.from({ length: 5 }, (_, i) => segment(r * 5 + i)),
              },
            ],
          },
        ],
      }),
    }),
  );
  for (const res of await Promise.all(requests)) expect(res.status).toBe(200);

  // Every segment reaches the server: the session's summary counts them.
  const stored = await eventually(async () => {
    const r = await apiFetch(server.url, `/api/v1/sessions/${sessionId}?app_id=${APP_ID}`);
    if (r.status !== 200) return undefined;
    const count = ((await r.json()) as { eventCount: number }).eventCount;
    return count === 40 ? count : undefined;
  }, 30_000);
  expect(stored).toBe(40);
}, 60_000);
