/*
 * The gateway in the middle, for real: Chromium loads a shop page whose otel-rum SDK sends to the
 * OpenTelemetry Collector built from collector-config/ and running gateway.yaml; the page's fetch
 * reaches a Node backend instrumented with the OpenTelemetry Node SDK, which also exports to the
 * collector; the collector forwards both to the real server. Through the server's API the RUM resource
 * of that fetch and the backend's server span are found under one trace id.
 */
import type { ChildProcess } from 'node:child_process';
import type { Browser } from 'playwright-core';
import type { RunningServer } from '../server/src/app';
import { FIRST_BUILD_TIMEOUT_MS, collectorBinary } from '../collector-config/testing/collectorBinary';
import { startCollector, type RunningCollector } from '../collector-config/testing/collectorProcess';
import { configPath } from '../collector-config/testing/configFiles';
import { freePort } from '../collector-config/testing/freePort';
import { waitFor } from '../collector-config/testing/waitFor';
import { startInstrumentedBackend, stopBackend } from './support/backend';
import { launchChromium } from './support/chromium';
import { eventually, getJson, startTestServer } from './support/server';

const APP_ID = 'gateway_shop';

let server: RunningServer;
let collector: RunningCollector;
let backend: ChildProcess;
let backendUrl: string;
let browser: Browser;

beforeAll(async () => {
  collectorBinary();
  server = await startTestServer({ apps: [APP_ID] });
  const backendPort = await freePort();
  backendUrl = `http://127.0.0.1:${backendPort}`;
  collector = await startCollector(configPath('gateway.yaml'), {
    RUM_SERVER_ENDPOINT: server.url,
    COLLECTOR_CORS_ALLOWED_ORIGINS: `[${backendUrl}]`,
    COLLECTOR_BATCH_TIMEOUT: '100ms',
    // The default pattern drops headless Chrome as synthetic traffic; this test's browser is one.
    RUM_BOT_USER_AGENT_PATTERN: '(?i)(bot|crawl|spider)',
  });
  backend = await startInstrumentedBackend(backendPort, collector.otlpUrl, APP_ID);
  browser = await launchChromium();
}, FIRST_BUILD_TIMEOUT_MS);

afterAll(async () => {
  await browser?.close();
  await stopBackend(backend);
  await collector?.stop();
  await server?.close();
}, 30_000);

interface Resource {
  traceId: string | null;
  spanId: string | null;
  url: string | null;
}
interface Span {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  kind: number;
  serviceName: string | null;
  appId: string | null;
}

it('joins the browser fetch and the backend span under one trace, through the collector', async () => {
  const page = await browser.newPage();
  await page.goto(`${backendUrl}/`);
  await page.waitForFunction(() => typeof (window as unknown as { OtelRum?: unknown }).OtelRum === 'object');
  await page.click('#pay');
  const seen = JSON.parse(
    await waitFor(
      'the backend answer in the page',
      async () => (await page.textContent('#out')) || undefined,
    ),
  ) as { traceparent: string | null; traceId: string; spanId: string };
  // Leaving the page flushes what the SDK still holds.
  await page.goto('about:blank');
  await page.close();

  expect(seen.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/);
  const traceId = seen.traceparent!.split('-')[1]!;
  expect(seen.traceId).toBe(traceId);

  const resources = await eventually(async () => {
    const r = await getJson<{ items: Resource[] }>(
      server.url,
      `/api/v1/resources?app_id=${APP_ID}&trace_id=${traceId}`,
    );
    return r.items.length > 0 ? r.items : undefined;
  }, 20_000);
  expect(resources.some((r) => r.url?.endsWith('/api/checkout'))).toBe(true);

  const trace = await eventually(async () => {
    const t = await getJson<{ spans: Span[] }>(server.url, `/api/v1/traces/${traceId}`).catch(
      () => undefined,
    );
    // Browser and backend spans travel in separate batches: wait for the backend span and its parent.
    const backend = t?.spans.find((s) => s.serviceName === 'checkout-backend');
    return backend && t!.spans.some((s) => s.spanId === backend.parentSpanId) ? t : undefined;
  }, 20_000);
  const backendSpan = trace.spans.find(
    (s) => s.serviceName === 'checkout-backend' && s.spanId === seen.spanId,
  );
  expect(backendSpan).toBeDefined();
  expect(backendSpan?.kind).toBe(2); // SERVER
  // Its parent is the browser's fetch span, which the server keeps under the RUM application.
  const browserSpan = trace.spans.find((s) => s.spanId === backendSpan?.parentSpanId);
  expect(browserSpan?.appId).toBe(APP_ID);
}, 120_000);
