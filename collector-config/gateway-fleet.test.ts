import {
  EventName,
  RUM_APP_ID,
  RUM_VIEW_ENDED,
  URL_FULL,
  URL_PATH,
  USER_AGENT_ORIGINAL,
} from '@otel-rum/model';
import { FIRST_BUILD_TIMEOUT_MS, collectorBinary } from './testing/collectorBinary';
import { startCollector, type RunningCollector } from './testing/collectorProcess';
import { configPath } from './testing/configFiles';
import { startOtlpSink, type OtlpSink } from './testing/otlpSink';
import { logsRequest, postOtlp, recordedLogs } from './testing/otlpJson';
import { waitFor } from './testing/waitFor';

jest.setTimeout(30_000);

const BROWSER_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36';

let sink: OtlpSink;
let collector: RunningCollector;

beforeAll(async () => {
  collectorBinary();
  sink = await startOtlpSink();
  // COLLECTOR_CORS_ALLOWED_ORIGINS deliberately left at the fleet's default.
  collector = await startCollector(configPath('gateway-fleet.yaml'), {
    RUM_SERVER_ENDPOINT: sink.url,
    RUM_SERVER_ENCODING: 'json',
    COLLECTOR_BATCH_TIMEOUT: '100ms',
  });
}, FIRST_BUILD_TIMEOUT_MS);

afterAll(async () => {
  await collector?.stop();
  await sink?.close();
});

test('allows no browser origin until COLLECTOR_CORS_ALLOWED_ORIGINS names one', async () => {
  const res = await fetch(`${collector.otlpUrl}/v1/logs`, {
    method: 'OPTIONS',
    headers: { Origin: 'http://localhost:3000', 'Access-Control-Request-Method': 'POST' },
  });
  expect(res.headers.get('access-control-allow-origin')).toBeNull();
});

test('forwards redacted RUM data to the server replicas and exposes generated metrics', async () => {
  await postOtlp(
    `${collector.otlpUrl}/v1/logs`,
    logsRequest({ [RUM_APP_ID]: 'fleet_app', [USER_AGENT_ORIGINAL]: BROWSER_UA }, [
      {
        eventName: EventName.VIEW,
        attributes: {
          [URL_FULL]: 'https://fleet.test/signup?email=joe%40example.org',
          [URL_PATH]: '/signup',
          [RUM_VIEW_ENDED]: false,
        },
      },
    ]),
  );
  const record = await waitFor('the view at the sink', async () =>
    recordedLogs(sink.requests.map((r) => r.body)).find((l) => l.resource[RUM_APP_ID] === 'fleet_app'),
  );
  expect(JSON.stringify(record.record)).toContain('https://fleet.test/signup?email=REDACTED_EMAIL');
  // Each replica compresses what it sends to the servers.
  expect(sink.requests.every((r) => r.headers['content-encoding'] === 'gzip')).toBe(true);
  const metrics = await waitFor('page views on the Prometheus endpoint', async () => {
    const text = await (await fetch(`${collector.prometheusUrl}/metrics`)).text();
    return text.includes('rum_page_views_total{rum_app_id="fleet_app"') ? text : undefined;
  });
  expect(metrics).toContain('rum_page_views_total{rum_app_id="fleet_app",url_path="/signup"} 1');
});
