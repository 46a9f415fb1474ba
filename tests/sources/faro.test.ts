/*
 * Source: Grafana Faro (@grafana/faro-web-sdk 2.12 with getWebInstrumentations() and
 * @grafana/faro-web-tracing), bundled with esbuild and run in real Chromium, once with each of its
 * transports: its own fetch transport pointed at the server's collect URL, and
 * @grafana/faro-transport-otlp-http pointed at the collect URL's OTLP paths. The only change a Faro
 * user makes is that URL. The page's API is traced by a backend with the OpenTelemetry SDK, which
 * exports to the same server. The same error is also sent by our SDK from another page of the same
 * application: both must be one issue.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import * as M from '@otel-rum/model';
import { freePort } from '../../collector-config/testing/freePort';
import { FARO_EVENTS } from '../../server/src/ingest/normalize/faro';
import { launchChromium } from '../support/chromium';
import { eventually, getJson, startTestServer, type TestServer } from '../support/server';
import { listEvents, type Item } from './support/api';
import { shopFiles, startShopApp, type AppServer } from './support/app-server';
import { bundleBrowserEntry } from './support/bundle';
import { userClick, waitForText } from './support/user';

jest.setTimeout(60_000);

const APPS = { native: 'faro_native', otlp: 'faro_otlp' } as const;
type Transport = keyof typeof APPS;
const ERROR_MESSAGE = 'payment provider is not configured';

const SHOP_BODY = `
<button id="buy" data-faro-user-action-name="buy">Buy</button>
<button id="to-cart">Cart</button>
<button id="pay">Pay</button>
<p id="out"></p>`;

let server: TestServer;
let browser: Browser;
let faroScript: string;
let sdkScript: string;
const siteDir = mkdtempSync(join(tmpdir(), 'faro-shop-'));
const stops: (() => Promise<void>)[] = [];

beforeAll(async () => {
  [server, browser, faroScript, sdkScript] = await Promise.all([
    startTestServer({ apps: Object.values(APPS) }),
    launchChromium(),
    bundleBrowserEntry(join(__dirname, 'pages', 'faro.entry.ts')),
    bundleBrowserEntry(join(__dirname, 'pages', 'sdk-otel.entry.ts')),
  ]);
});

afterAll(async () => {
  await Promise.all(stops.map((stop) => stop()));
  await browser?.close();
  await server?.close();
  rmSync(siteDir, { recursive: true, force: true });
});

/**
 * The Faro shop, served by support/traced-shop.mjs: a backend with the OpenTelemetry Node SDK whose
 * API spans continue the browser's trace (traceparent) and go to the same server.
 */
async function tracedFaroShop(appId: string, transport: Transport): Promise<string> {
  const siteFile = join(siteDir, `${transport}.json`);
  const files = shopFiles({
    serverUrl: server.url,
    appId,
    protocol: 'json',
    script: faroScript,
    body: SHOP_BODY,
    faroTransport: transport,
  });
  writeFileSync(siteFile, JSON.stringify(files));
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [join(__dirname, 'support', 'traced-shop.mjs')], {
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      OTLP_ENDPOINT: server.url,
      SITE_FILE: siteFile,
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      output += d.toString();
      if (output.includes(`listening ${port}`)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`traced-shop exited with ${code}:\n${output}`)));
  });
  stops.push(async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  });
  return `http://127.0.0.1:${port}`;
}

/** Our SDK's shop page, for the same application. */
async function sdkShop(appId: string): Promise<string> {
  const app: AppServer = await startShopApp({
    serverUrl: server.url,
    appId,
    protocol: 'json',
    script: sdkScript,
    body: SHOP_BODY,
  });
  stops.push(() => app.close());
  return app.url;
}

/** A user of the Faro page: load, a click that fetches, a route change to a named view, an uncaught error. */
async function browseWithFaro(
  appUrl: string,
  appId: string,
): Promise<{ sessionId: string; pageErrors: string[] }> {
  const page = await browser.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  try {
    await page.goto(`${appUrl}/index.html`, { waitUntil: 'load' });
    await userClick(page, '#buy');
    await waitForText(page, '#out', 'tea, coffee');
    // Faro ends a user action once the page has been quiet for a while; then the user moves on.
    await page.waitForTimeout(500);
    await userClick(page, '#to-cart');
    await waitForText(page, '#out', 'cart');
    await userClick(page, '#pay');
    await waitForText(page, '#out', 'paying');
    const sessionId = await page.evaluate(() =>
      (window as unknown as { faroSessionId(): string }).faroSessionId(),
    );
    // faro-web-tracing exports its spans a second after they end, then Faro sends its batch after
    // 250 ms (batching.sendTimeout): the user stays until the request's trace has arrived.
    await eventually(async () =>
      (await listEvents(server.url, 'resources', appId)).find(
        (r) => r.sessionId === sessionId && r.name === 'faro.tracing.fetch',
      ),
    );
    return { sessionId, pageErrors };
  } finally {
    await page.close({ runBeforeUnload: true });
  }
}

/** A user of our SDK's page of the same application, hitting the same error. */
async function payWithOurSdk(appUrl: string, appId: string): Promise<void> {
  const page = await browser.newPage();
  try {
    await page.goto(`${appUrl}/index.html`, { waitUntil: 'load' });
    await userClick(page, '#pay');
    await waitForText(page, '#out', 'paying');
    await page.evaluate(() => (window as unknown as { rumFlush(): void }).rumFlush());
    // flush() starts the send (compression first) and returns: the user stays until the error has
    // arrived, as what page hide cannot send in time waits for the next visit of the same site.
    await eventually(async () =>
      (await listEvents(server.url, 'errors', appId)).find((e) => e.source === 'sdk-otel'),
    );
  } finally {
    await page.close({ runBeforeUnload: true });
  }
}

describe.each(Object.keys(APPS) as Transport[])('Grafana Faro with its %s transport', (transport) => {
  const appId = APPS[transport];
  const list = (kind: string) => listEvents(server.url, kind, appId);

  it('makes a session with two views, a click, a traced fetch and an error, grouped with our SDK’s', async () => {
    const faroUrl = await tracedFaroShop(appId, transport);
    const sdkUrl = await sdkShop(appId);
    const { sessionId, pageErrors } = await browseWithFaro(faroUrl, appId);
    expect(pageErrors).toEqual([ERROR_MESSAGE]);
    expect(sessionId).toMatch(/^\w{10}$/);
    await payWithOurSdk(sdkUrl, appId);
    const page = (path: string) => `${faroUrl}${path}`;

    // The session is Faro's own, with Faro's user, version and environment.
    const session = await eventually(async () => {
      const s = (await getJson(server.url, `/api/v1/sessions?app_id=${appId}`)).items;
      const faro = s.find((x: { sessionId: string }) => x.sessionId === sessionId);
      return faro?.viewCount === 2 && faro.errorCount === 1 && faro.actionCount === 1 ? faro : undefined;
    });
    expect(session.firstUrl).toBe(page('/index.html'));
    expect(session.userAgent).toContain('HeadlessChrome');
    const faroEvents = async (kind: string) =>
      (await list(kind))
        .filter((e: Item) => e.sessionId === sessionId)
        .sort((a, b) => a.time.localeCompare(b.time));
    const views = await faroEvents('views');
    for (const e of views)
      expect(e).toMatchObject({
        source: 'faro',
        serviceName: 'shop-web',
        serviceVersion: '1.4.2',
        environment: 'staging',
        userId: 'user-42',
      });

    // Two views: the page load (no view name yet: its path) and the route change Faro names "cart".
    expect(views.map((v) => [v.name, v.label, v.url, v.attributes[M.RUM_VIEW_LOADING_TYPE]])).toEqual([
      [FARO_EVENTS.navigation, '/index.html', page('/index.html'), 'initial_load'],
      [FARO_EVENTS.viewChanged, 'cart', page('/cart'), 'route_change'],
    ]);
    const [home, cart] = views as [Item, Item];
    expect(home.viewId).not.toBe(cart.viewId);

    // The click, a Faro user action, in the first view.
    const actions = await faroEvents('actions');
    expect(actions.map((a) => [a.name, a.label, a.viewId, a.attributes[M.RUM_ACTION_TYPE]])).toEqual([
      [FARO_EVENTS.userAction, 'buy', home.viewId, 'click'],
    ]);

    // The fetch: its resource timing entry in the first view, and faro-web-tracing's request, linked
    // by its trace to the backend's span (sent when the span is exported, it names no view).
    const fetches = await eventually(async () => {
      const r = (await faroEvents('resources')).filter((e) => e.path === '/api/items');
      return r.length === 2 ? r : undefined;
    });
    expect(
      fetches.map((r) => [r.name, r.url, r.status, r.viewId, r.attributes[M.RUM_RESOURCE_TYPE]]),
    ).toEqual([
      [FARO_EVENTS.resource, page('/api/items'), 200, home.viewId, 'fetch'],
      ['faro.tracing.fetch', page('/api/items'), 200, null, 'fetch'],
    ]);
    const traced = fetches[1]!;
    const trace = await eventually(async () => {
      const t = await getJson(server.url, `/api/v1/traces/${traced.traceId}`).catch(() => undefined);
      return t?.spans?.length >= 2 ? t : undefined;
    });
    const spans = trace.spans as { spanId: string; parentSpanId: string | null; serviceName: string }[];
    expect(spans.find((s) => s.spanId === traced.spanId)).toMatchObject({ serviceName: 'shop-web' });
    expect(spans.find((s) => s.serviceName === 'shop-api')).toMatchObject({ parentSpanId: traced.spanId });

    // Faro's own requests to the server are not the user's resources.
    const all = await list('resources');
    expect(all.filter((r) => r.path?.startsWith(M.FARO_COLLECT_PATH))).toEqual([]);

    // The error, in the cart view, with its type, message and a stack rebuilt from Faro's frames.
    const errors = await faroEvents('errors');
    expect(errors).toHaveLength(1);
    const error = errors[0]!;
    expect(error).toMatchObject({ label: ERROR_MESSAGE, url: page('/cart'), viewId: cart.viewId });
    expect(error.attributes).toMatchObject({
      [M.EXCEPTION_TYPE]: 'TypeError',
      [M.EXCEPTION_MESSAGE]: ERROR_MESSAGE,
    });
    expect(String(error.attributes[M.EXCEPTION_STACKTRACE])).toMatch(/^TypeError: .*\n {4}at pay \(/);

    // Web vitals from Faro's measurements.
    const vitals = await faroEvents('web-vitals');
    expect(vitals.map((v) => v.label)).toEqual(expect.arrayContaining(['fcp', 'ttfb']));

    // Our SDK's same error, from the same function of the same script path, is the same issue.
    const issue = await eventually(async () => {
      const items = (await getJson(server.url, `/api/v1/issues?app_id=${appId}`)).items;
      const i = items.find((x: { message: string }) => x.message === ERROR_MESSAGE);
      return i?.count === 2 ? i : undefined;
    });
    expect(issue).toMatchObject({ type: 'TypeError', sessions: 2 });
    const sdkErrors = (await list('errors')).filter((e) => e.sessionId !== sessionId);
    expect(sdkErrors.map((e) => e.source)).toEqual(['sdk-otel']);
  });
});
