/*
 * The collector in front of an overloaded server: numbered RUM requests are sent to the real collector
 * (gateway.yaml) as fast as it takes them, for a short while; the real server behind it holds the
 * application to a rate limit, so it answers many of the collector's exports with 429 and Retry-After.
 * The collector's exporter queues and retries; once the sending stops, everything the collector
 * acknowledged must be stored exactly once, and the collector's log must show retried 429s. The
 * collector's memory against its memory_limiter is not measured here.
 */
import { FIRST_BUILD_TIMEOUT_MS, collectorBinary } from '../../collector-config/testing/collectorBinary';
import { startCollector, type RunningCollector } from '../../collector-config/testing/collectorProcess';
import { configPath } from '../../collector-config/testing/configFiles';
import { eventually, startTestServer, type TestServer } from '../support/server';
import { ACTIONS_PER_REQUEST, AckedIngestClient, checkStored } from './support/acked-ingest';
import { report } from './support/mode';

const APP = 'collector_overload';
const RATE = { eventsPerSecond: 300, burst: 300 };
const SEND_MS = 300;

let server: TestServer;
let collector: RunningCollector;

beforeAll(async () => {
  collectorBinary();
  server = await startTestServer({ apps: [{ appId: APP, rateLimit: RATE }], demo: false });
  collector = await startCollector(configPath('gateway.yaml'), {
    RUM_SERVER_ENDPOINT: server.url,
    COLLECTOR_BATCH_TIMEOUT: '100ms',
    RUM_SERVER_MAX_REQUEST_BYTES: '16384',
  });
}, FIRST_BUILD_TIMEOUT_MS);
afterAll(async () => {
  await collector?.stop();
  await server?.close();
}, 30_000);

it('delivers everything the collector acknowledged, exactly once, after the server refused with 429', async () => {
  const client = new AckedIngestClient(collector.otlpUrl, APP);
  await new Promise((r) => setTimeout(r, SEND_MS));
  await client.stop();
  const acked = client.sent.filter((s) => s.acked).length;
  const expected = acked * (ACTIONS_PER_REQUEST + 1);
  const started = Date.now();
  const check = await eventually(async () => {
    const c = await checkStored(server.url, server.token, APP, client.sent);
    return c.eventsStored >= expected ? c : undefined;
  }, 50_000).catch(() => checkStored(server.url, server.token, APP, client.sent));
  // The exporter logs each refused export it will retry.
  const retries = collector
    .output()
    .split('\n')
    .filter((l) => /will retry/i.test(l));
  report({
    collector_requests_acked: acked,
    events_sent: expected,
    events_stored: check.eventsStored,
    acked_lost: check.ackedLost,
    duplicated: check.duplicated,
    export_retries: retries.length,
    retries_429: retries.filter((l) => l.includes('429')).length,
    drained_s: ((Date.now() - started) / 1000).toFixed(1),
  });
  expect(retries.filter((l) => l.includes('429')).length).toBeGreaterThan(0);
  expect(check).toMatchObject({ ackedLost: 0, duplicated: 0, eventsStored: expected });
}, 90_000);
