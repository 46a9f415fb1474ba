import {
  CLIENT_ADDRESS,
  EventName,
  EXCEPTION_MESSAGE,
  HTTP_URL_LEGACY,
  MAX_REQUEST_BODY_BYTES,
  RUM_APP_ID,
  RUM_VIEW_ENDED,
  SERVICE_NAME,
  TELEMETRY_SDK_LANGUAGE,
  URL_FULL,
  URL_PATH,
  USER_AGENT_ORIGINAL,
  WEB_VITAL_NAME,
  WEB_VITAL_VALUE,
} from '@otel-rum/model';
import { FIRST_BUILD_TIMEOUT_MS, collectorBinary } from './testing/collectorBinary';
import { startCollector, type RunningCollector } from './testing/collectorProcess';
import { configPath } from './testing/configFiles';
import { waitFor } from './testing/waitFor';
import { startOtlpSink, type OtlpSink } from './testing/otlpSink';
import { logsRequest, postOtlp, recordedLogs, recordedSpans, traceRequest } from './testing/otlpJson';

jest.setTimeout(30_000);

const ALLOWED_ORIGIN = 'http://shop.test:8080';
const BROWSER_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36';
const BOT_UA = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';

let sink: OtlpSink;
let collector: RunningCollector;

beforeAll(async () => {
  collectorBinary();
  sink = await startOtlpSink();
  collector = await startCollector(configPath('gateway.yaml'), {
    RUM_SERVER_ENDPOINT: sink.url,
    RUM_SERVER_ENCODING: 'json',
    COLLECTOR_CORS_ALLOWED_ORIGINS: `[${ALLOWED_ORIGIN}]`,
    COLLECTOR_BATCH_TIMEOUT: '100ms',
  });
}, FIRST_BUILD_TIMEOUT_MS);

afterAll(async () => {
  await collector?.stop();
  await sink?.close();
});

const sinkBodies = (path: string) => sink.requests.filter((r) => r.path === path).map((r) => r.body);

function preflight(origin: string): Promise<Response> {
  return fetch(`${collector.otlpUrl}/v1/logs`, {
    method: 'OPTIONS',
    headers: {
      Origin: origin,
      'Access-Control-Request-Method': 'POST',
      'Access-Control-Request-Headers': 'content-type,idempotency-key',
    },
  });
}

test('answers a CORS preflight from an allowed origin', async () => {
  const res = await preflight(ALLOWED_ORIGIN);
  expect(res.status).toBeLessThan(300);
  expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
  expect(res.headers.get('access-control-allow-methods')).toContain('POST');
  expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('content-type');
  // The SDK's (and Faro's) Idempotency-Key.
  expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('idempotency-key');
});

test('refuses a CORS preflight from another origin', async () => {
  const res = await preflight('http://evil.test');
  expect(res.headers.get('access-control-allow-origin')).toBeNull();
  expect(res.headers.get('access-control-allow-methods')).toBeNull();
});

test('masks an e-mail, a card number and a token in url.full before the server sees them', async () => {
  const url =
    'https://shop.test/checkout?email=jane.doe%40example.com&card=4111 1111 1111 1111&access_token=s3cr3t&step=2';
  await postOtlp(
    `${collector.otlpUrl}/v1/logs`,
    logsRequest({ [RUM_APP_ID]: 'redact_app', [USER_AGENT_ORIGINAL]: BROWSER_UA }, [
      {
        eventName: EventName.VIEW,
        attributes: { [URL_FULL]: url, [URL_PATH]: '/checkout', [RUM_VIEW_ENDED]: false },
      },
      {
        eventName: EventName.EXCEPTION,
        attributes: {
          [URL_FULL]: 'https://shop.test/account/jane@example.com/orders',
          [EXCEPTION_MESSAGE]: 'boom',
        },
      },
    ]),
    { Origin: ALLOWED_ORIGIN },
  );
  const records = await waitFor('redacted records at the sink', async () => {
    const found = recordedLogs(sinkBodies('/v1/logs')).filter((l) => l.resource[RUM_APP_ID] === 'redact_app');
    return found.length === 2 ? found : undefined;
  });
  const attr = (r: (typeof records)[number], key: string) =>
    r.record.attributes.find((a: { key: string }) => a.key === key)?.value.stringValue;
  const view = records.find((r) => r.record.eventName === EventName.VIEW);
  const error = records.find((r) => r.record.eventName === EventName.EXCEPTION);
  expect(view && attr(view, URL_FULL)).toBe(
    'https://shop.test/checkout?email=REDACTED_EMAIL&card=REDACTED_CARD&access_token=REDACTED&step=2',
  );
  expect(error && attr(error, URL_FULL)).toBe('https://shop.test/account/REDACTED_EMAIL/orders');
  // The error had no url.path: the gateway derived it (after redaction) for the per-page metrics.
  expect(error && attr(error, URL_PATH)).toBe('/account/REDACTED_EMAIL/orders');
  expect(JSON.stringify(sink.requests.map((r) => r.body))).not.toMatch(/jane|4111|s3cr3t/);
  // The server sees only the gateway's address; the gateway hands on the browser's.
  for (const r of records) expect(r.resource[CLIENT_ADDRESS]).toBe('127.0.0.1');
});

test('drops RUM data from a bot user agent and keeps the browser next to it', async () => {
  const event = (marker: string) => ({
    eventName: EventName.VIEW,
    attributes: { [URL_FULL]: `https://shop.test/${marker}`, [URL_PATH]: `/${marker}` },
  });
  await postOtlp(
    `${collector.otlpUrl}/v1/logs`,
    logsRequest({ [RUM_APP_ID]: 'bot_app', [USER_AGENT_ORIGINAL]: BOT_UA }, [event('from-bot')]),
  );
  await postOtlp(
    `${collector.otlpUrl}/v1/logs`,
    logsRequest({ [RUM_APP_ID]: 'bot_app', [USER_AGENT_ORIGINAL]: BROWSER_UA }, [event('from-browser')]),
  );
  await waitFor(
    'the browser record at the sink',
    async () =>
      recordedLogs(sinkBodies('/v1/logs')).some((l) => JSON.stringify(l.record).includes('from-browser')) ||
      undefined,
  );
  // Both requests went through the same pipelines; give the bot's batch the same time again.
  await new Promise((r) => setTimeout(r, 500));
  const bot = recordedLogs(sinkBodies('/v1/logs')).filter((l) =>
    JSON.stringify(l.record).includes('from-bot'),
  );
  expect(bot).toEqual([]);
});

test('sends browser spans and backend spans to the server, redacting http.url', async () => {
  const traceId = '5b8efff798038103d269b633813fc60c';
  await postOtlp(
    `${collector.otlpUrl}/v1/traces`,
    traceRequest(
      { [RUM_APP_ID]: 'trace_app', [TELEMETRY_SDK_LANGUAGE]: 'webjs', [USER_AGENT_ORIGINAL]: BROWSER_UA },
      {
        traceId,
        spanId: '1111111111111111',
        name: 'HTTP GET',
        attributes: { [HTTP_URL_LEGACY]: 'http://api.test/pay?card=4111-1111-1111-1111' },
      },
    ),
    { Origin: ALLOWED_ORIGIN },
  );
  await postOtlp(
    `${collector.otlpUrl}/v1/traces`,
    traceRequest(
      { [SERVICE_NAME]: 'payments-api', [TELEMETRY_SDK_LANGUAGE]: 'nodejs' },
      {
        traceId,
        spanId: '2222222222222222',
        name: 'GET /pay',
        attributes: { [URL_FULL]: 'http://api.test/pay?token=abc' },
      },
    ),
  );
  const spans = await waitFor('both spans at the sink', async () => {
    const found = recordedSpans(sinkBodies('/v1/traces')).filter((s) => s.span.traceId === traceId);
    return found.length === 2 ? found : undefined;
  });
  const bySpan = new Map(spans.map((s) => [s.span.spanId, s]));
  expect(bySpan.get('1111111111111111')?.resource[RUM_APP_ID]).toBe('trace_app');
  expect(bySpan.get('1111111111111111')?.span.attributes[0].value.stringValue).toBe(
    'http://api.test/pay?card=REDACTED_CARD',
  );
  expect(bySpan.get('2222222222222222')?.resource[SERVICE_NAME]).toBe('payments-api');
  expect(bySpan.get('2222222222222222')?.span.attributes[0].value.stringValue).toBe(
    'http://api.test/pay?token=REDACTED',
  );
});

test('tells browser requests by their Origin header: only they are filtered as RUM', async () => {
  const traceId = '0af7651916cd43dd8448eb211c80319c';
  // Neither request names a RUM app or a browser SDK; both carry a bot user agent.
  const request = (spanId: string) =>
    traceRequest(
      { [SERVICE_NAME]: 'unnamed-web', [USER_AGENT_ORIGINAL]: BOT_UA },
      { traceId, spanId, name: 'HTTP GET', attributes: { [URL_FULL]: `http://api.test/${spanId}` } },
    );
  await postOtlp(`${collector.otlpUrl}/v1/traces`, request('3333333333333333'), { Origin: ALLOWED_ORIGIN });
  await postOtlp(`${collector.otlpUrl}/v1/traces`, request('4444444444444444'));
  await waitFor(
    'the backend span at the sink',
    async () =>
      recordedSpans(sinkBodies('/v1/traces')).some((s) => s.span.spanId === '4444444444444444') || undefined,
  );
  await new Promise((r) => setTimeout(r, 500));
  // With an Origin it was browser data, so the bot filter dropped it; without, it was backend data.
  expect(recordedSpans(sinkBodies('/v1/traces')).filter((s) => s.span.spanId === '3333333333333333')).toEqual(
    [],
  );
});

test("refuses a body larger than the model's MAX_REQUEST_BODY_BYTES with a clear error", async () => {
  const res = await fetch(`${collector.otlpUrl}/v1/logs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: ' '.repeat(MAX_REQUEST_BODY_BYTES + 1),
  });
  expect(res.status).toBe(400);
  expect(await res.text()).toContain('request body too large');
});

test('generates page views, errors and web vitals per app and page on the Prometheus endpoint', async () => {
  const vital = (name: string, value: number) => ({
    eventName: EventName.WEB_VITAL,
    attributes: {
      [URL_FULL]: 'https://shop.test/cart',
      [URL_PATH]: '/cart',
      [WEB_VITAL_NAME]: name,
      [WEB_VITAL_VALUE]: value,
    },
  });
  await postOtlp(
    `${collector.otlpUrl}/v1/logs`,
    logsRequest({ [RUM_APP_ID]: 'metrics_app', [USER_AGENT_ORIGINAL]: BROWSER_UA }, [
      {
        eventName: EventName.VIEW,
        attributes: { [URL_FULL]: 'https://shop.test/cart', [URL_PATH]: '/cart', [RUM_VIEW_ENDED]: false },
      },
      // The same view's final update is not a second page view.
      {
        eventName: EventName.VIEW,
        attributes: { [URL_FULL]: 'https://shop.test/cart', [URL_PATH]: '/cart', [RUM_VIEW_ENDED]: true },
      },
      {
        eventName: EventName.BROWSER_NAVIGATION,
        attributes: { [URL_FULL]: 'https://shop.test/cart', [URL_PATH]: '/cart' },
      },
      {
        eventName: EventName.EXCEPTION,
        attributes: { [URL_FULL]: 'https://shop.test/cart?x=1', [EXCEPTION_MESSAGE]: 'boom' },
      },
      // The conventions' and web-vitals' spelling, and our SDK's (lower case): both count.
      vital('LCP', 1830.5),
      vital('lcp', 4200),
      vital('inp', 180),
      vital('CLS', 0.07),
    ]),
  );
  const labels = 'rum_app_id="metrics_app",url_path="/cart"';
  const text = await waitFor('generated metrics', async () => {
    const body = await (await fetch(`${collector.prometheusUrl}/metrics`)).text();
    return body.includes(`rum_web_vital_cls_count{${labels}}`) ? body : undefined;
  });
  const sample = (name: string) => {
    const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}`) && !l.includes('le='));
    return line === undefined ? undefined : Number(line.split(' ').pop());
  };
  expect(sample('rum_page_views_total')).toBe(2);
  expect(sample('rum_errors_total')).toBe(1);
  expect(sample('rum_web_vital_lcp_milliseconds_count')).toBe(2);
  expect(sample('rum_web_vital_lcp_milliseconds_sum')).toBe(6030.5);
  expect(text).toContain(`rum_web_vital_lcp_milliseconds_bucket{${labels},le="2000"} 1`);
  expect(text).toContain(`rum_web_vital_lcp_milliseconds_bucket{${labels},le="5000"} 2`);
  expect(sample('rum_web_vital_inp_milliseconds_sum')).toBe(180);
  expect(sample('rum_web_vital_cls_sum')).toBe(0.07);
});
