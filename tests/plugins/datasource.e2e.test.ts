/*
 * The data source plugin as Grafana runs it, short of Grafana's server: the built
 * plugins/dist/datasource/module.js loaded in real Chromium by the Grafana host (tests/grafana-host),
 * with Grafana's own packages, its runtime services and its data proxy, against the real otel-rum
 * server that the real SDK filled by driving a real page whose fetch reached a backend instrumented
 * with the OpenTelemetry Node SDK.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { freePort } from '../../collector-config/testing/freePort';
import { launchChromium } from '../support/chromium';
import { apiFetch, eventually, getJson, startTestServer, type TestServer } from '../support/server';
import { startGrafanaHost, type GrafanaHost, type SavedDataSource } from '../grafana-host/host-server';
import { openHost, screenshot } from '../grafana-host/page';
import { startFrontProxy, type FrontProxy } from '../grafana-host/tls-proxy';

jest.setTimeout(120_000);

const APP_ID = 'rum_shop';
const DIST = join(__dirname, '..', '..', 'plugins', 'dist');
const SDK_BUNDLE = join(__dirname, '..', '..', 'sdk-otel', 'dist', 'cdn', 'otel-rum.min.js');
const DS_TYPE = 'otelrum-rum-datasource';

let server: TestServer;
let emptyServer: TestServer;
let backend: ChildProcess;
let backendUrl: string;
let browser: Browser;
let host: GrafanaHost;
let page: Page;
let tls: FrontProxy;
let slow: FrontProxy;
let readToken: string;
let traceId: string;
let sessionId: string;
let fromMs: number;
let toMs: number;

async function startBackend(port: number, otlpEndpoint: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(__dirname, '..', 'collector', 'instrumented-backend.mjs')], {
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      OTLP_ENDPOINT: otlpEndpoint,
      SDK_BUNDLE,
      APP_ID,
      SERVICE_VERSION: '2.0.0',
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
    child.once('exit', (code) => reject(new Error(`backend exited with ${code}:\n${output}`)));
  });
  return child;
}

/** A user's visit: the shop page, a click whose fetch reaches the backend, a route change, an error. */
async function visitShop(): Promise<{ traceId: string }> {
  const p = await browser.newPage();
  await p.goto(`${backendUrl}/`);
  await p.waitForFunction(() => typeof (window as unknown as { OtelRum?: unknown }).OtelRum === 'object');
  await p.click('#pay');
  await p.waitForFunction(() => document.getElementById('out')?.textContent);
  const seen = JSON.parse((await p.textContent('#out'))!) as { traceId: string };
  await p.evaluate(() => history.pushState({}, '', '/cart'));
  await p.waitForTimeout(300);
  await p.evaluate(() =>
    setTimeout(() => {
      throw new TypeError('cart total is "NaN"');
    }, 0),
  );
  await p.waitForTimeout(300);
  await p.goto('about:blank');
  await p.close();
  return seen;
}

function dataSource(
  uid: string,
  jsonData: Record<string, unknown>,
  secureJsonData: Record<string, string> = {},
): SavedDataSource {
  return { uid, name: `otel-rum ${uid}`, type: DS_TYPE, jsonData, secureJsonData };
}

/** Saves settings the way the settings page's Save does (PUT), from outside the browser. */
async function save(
  uid: string,
  jsonData: Record<string, unknown>,
  secureJsonData: Record<string, string> = {},
): Promise<void> {
  const res = await fetch(`${host.url}/api/datasources/uid/${uid}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonData, secureJsonData }),
  });
  expect(res.status).toBe(200);
}

type Frame = {
  name?: string;
  refId?: string;
  fields: Array<{
    name: string;
    type: string;
    values: unknown[];
    config: Record<string, unknown>;
    labels?: Record<string, string>;
  }>;
  meta?: Record<string, unknown>;
};
type QueryResult = {
  frames: Frame[];
  errors: Array<{ message: string; refId?: string; parameter?: string }>;
};

function query(
  targets: Array<Record<string, unknown>>,
  extra: Record<string, unknown> = {},
  uid = 'rum',
): Promise<QueryResult> {
  return page.evaluate(
    ([u, t, f, to, e]) =>
      (window as never as { __host: { query: (...a: unknown[]) => Promise<unknown> } }).__host.query(
        u,
        t,
        f,
        to,
        e,
      ),
    [
      uid,
      targets.map((t, i) => ({ refId: String.fromCharCode(65 + i), ...t })),
      fromMs,
      toMs,
      extra,
    ] as const,
  ) as Promise<QueryResult>;
}

function testDatasource(
  uid: string,
): Promise<{ status: string; message: string; details?: { message?: string } }> {
  return page.evaluate(
    (u) =>
      (
        window as never as { __host: { testDatasource: (u: string) => Promise<never> } }
      ).__host.testDatasource(u),
    uid,
  );
}

const field = (f: Frame, name: string) => f.fields.find((x) => x.name === name)!;

beforeAll(async () => {
  server = await startTestServer({ apps: [APP_ID], demo: false });
  emptyServer = await startTestServer({ demo: false });
  const res = await apiFetch(server.url, '/api/v1/tokens', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'grafana', role: 'read' }),
  });
  readToken = (await res.json()).token;
  const port = await freePort();
  backendUrl = `http://127.0.0.1:${port}`;
  backend = await startBackend(port, server.url);
  browser = await launchChromium();
  fromMs = Date.now() - 60_000;
  traceId = (await visitShop()).traceId;
  // Everything the visit sent has been stored: views, the error, and the backend span with its parent.
  await eventually(async () => {
    const s = await getJson(server.url, `/api/v1/sessions?app_id=${APP_ID}`);
    const t = await getJson(server.url, `/api/v1/traces/${traceId}`).catch(() => undefined);
    const backendSpan = t?.spans.find((x: { serviceName: string }) => x.serviceName === 'checkout-backend');
    const ready =
      s.items[0]?.viewCount >= 2 &&
      s.items[0]?.errorCount >= 1 &&
      backendSpan &&
      t.spans.some((x: { spanId: string }) => x.spanId === backendSpan.parentSpanId);
    return ready ? s : undefined;
  }, 30_000).then((s) => (sessionId = s.items[0].sessionId));
  toMs = Date.now() + 60_000;
  tls = await startFrontProxy(server.url, { tls: true });
  slow = await startFrontProxy(server.url, { delayMs: 3000 });
  host = await startGrafanaHost({
    pluginDist: [DIST],
    settingsFile: join(mkdtempSync(join(tmpdir(), 'grafana-host-')), 'datasources.json'),
    dataSources: [
      dataSource('rum', { serverUrl: server.url, defaultAppId: APP_ID }, { apiToken: readToken }),
      dataSource('cfg', {}),
      dataSource('check', {}),
      dataSource('slow', { serverUrl: slow.url, defaultAppId: APP_ID }, { apiToken: readToken }),
      { uid: 'tempo', name: 'Tempo', type: 'tempo', jsonData: {} },
    ],
  });
  page = await openHost(browser, host.url);
}, 120_000);

afterAll(async () => {
  await page?.close();
  await browser?.close();
  if (backend && backend.exitCode === null) {
    const exited = new Promise((r) => backend.once('exit', r));
    backend.kill('SIGTERM');
    await exited;
  }
  await host?.close();
  await tls?.close();
  await slow?.close();
  await emptyServer?.close();
  await server?.close();
});

describe('config editor and health check', () => {
  it('saves the URL, token and default application through the config editor, keeps the token out of the browser, and tests green', async () => {
    const seenBodies: string[] = [];
    page.on('response', (r) => {
      if (r.url().startsWith(host.url))
        r.text().then(
          (t) => seenBodies.push(t),
          () => undefined,
        );
    });
    await page.evaluate(() =>
      (window as never as { __host: { showSettings: (u: string) => Promise<void> } }).__host.showSettings(
        'cfg',
      ),
    );
    await page.fill('#rum-server-url', server.url);
    await page.fill('#rum-api-token', readToken);
    await page.fill('#rum-default-app', APP_ID);
    await screenshot(page, 'config-editor');
    await page.click('[data-testid="save-and-test"]');
    const outcome = page.locator('[data-testid="test-outcome"]');
    await outcome.waitFor({ timeout: 20_000 });
    expect(await outcome.getAttribute('data-status')).toBe('success');
    expect(await outcome.textContent()).toContain(
      'Connected to otel-rum server 0.2.0: 1 application (rum_shop)',
    );
    await screenshot(page, 'config-editor-tested');
    // Saved as Grafana saves it: the token in secureJsonData on the server side only.
    expect(host.saved('cfg')?.secureJsonData?.apiToken).toBe(readToken);
    expect(host.saved('cfg')?.jsonData).toMatchObject({ serverUrl: server.url, defaultAppId: APP_ID });
    // The secret field now shows "configured"; nothing the browser received holds the token.
    await page.waitForTimeout(200);
    expect(await page.locator('#rum-api-token').inputValue()).not.toContain(readToken);
    expect(seenBodies.length).toBeGreaterThan(3);
    expect(seenBodies.some((b) => b.includes(readToken))).toBe(false);
    // The requests reached the server through the proxy route, which added the token.
    expect(host.proxied.some((r) => r.target === `${server.url}/api/v1/apps`)).toBe(true);
  });

  it('shows an unreachable server in the settings page', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    await save('check', { serverUrl: closed }, { apiToken: readToken });
    await page.evaluate(() =>
      (window as never as { __host: { showSettings: (u: string) => Promise<void> } }).__host.showSettings(
        'check',
      ),
    );
    await page.click('[data-testid="save-and-test"]');
    const outcome = page.locator('[data-testid="test-outcome"]');
    await outcome.waitFor({ timeout: 20_000 });
    expect(await outcome.getAttribute('data-status')).toBe('error');
    expect(await outcome.textContent()).toContain(
      `Grafana could not connect to the otel-rum server at ${closed}`,
    );
    expect(await outcome.textContent()).toContain('not reachable from the machine Grafana runs on');
    await screenshot(page, 'config-editor-unreachable');
  });

  it.each([
    [
      'an untrusted TLS certificate',
      () => ({ serverUrl: tls.url }),
      () => ({ apiToken: readToken }),
      'error',
      'TLS certificate is not trusted',
    ],
    [
      'a trusted CA certificate',
      () => ({ serverUrl: tls.url, tlsAuthWithCACert: true }),
      () => ({ apiToken: readToken, tlsCACert: tls.certificate! }),
      'success',
      'Connected to otel-rum server',
    ],
    [
      'a skipped TLS verification',
      () => ({ serverUrl: tls.url, tlsSkipVerify: true }),
      () => ({ apiToken: readToken }),
      'success',
      'Connected to otel-rum server',
    ],
    [
      'an unknown token',
      () => ({ serverUrl: server.url }),
      () => ({ apiToken: 'rum_not_a_token_of_this_server' }),
      'error',
      'The server refused the API token: the token is not known',
    ],
    ['no token', () => ({ serverUrl: server.url }), () => ({}), 'error', 'No API token is set'],
    [
      'a server without applications',
      () => ({ serverUrl: emptyServer.url }),
      () => ({ apiToken: emptyServer.token }),
      'warning',
      'has no applications yet',
    ],
    [
      'a URL that is not an otel-rum server',
      () => ({ serverUrl: backendUrl }),
      () => ({ apiToken: readToken }),
      'error',
      'is not an otel-rum server',
    ],
    [
      'a default application that is not registered',
      () => ({ serverUrl: server.url, defaultAppId: 'nope' }),
      () => ({ apiToken: readToken }),
      'error',
      'The default application "nope" is not registered',
    ],
    ['no URL', () => ({}), () => ({ apiToken: readToken }), 'error', 'Set the URL of the otel-rum server'],
  ])('reports %s', async (_what, json, secure, status, text) => {
    // Each case replaces the secrets, as Save does after the fields were reset.
    await save('check', json(), { apiToken: '', tlsCACert: '', ...secure() });
    const r = await testDatasource('check');
    expect(r.status).toBe(status);
    expect(`${r.message} ${r.details?.message ?? ''}`).toContain(text);
  });
});
