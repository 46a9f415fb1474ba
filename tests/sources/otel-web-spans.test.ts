/*
 * Source: the upstream OpenTelemetry JS web instrumentations (document-load, fetch, XHR,
 * user-interaction, long-task) exporting spans over OTLP/HTTP, in real Chromium, with nothing but
 * `rum.app.id` added to the resource. The server must make sessions, views, actions, resources, long
 * tasks and errors out of that, once with the JSON exporter and once with the protobuf exporter.
 */
import { join } from 'node:path';
import * as M from '@otel-rum/model';
import type { Browser } from 'playwright-core';
import type { RunningServer } from '../../server/src/app';
import { launchChromium } from '../support/chromium';
import { eventually, getJson, startTestServer } from '../support/server';
import type { PageConfig } from './pages/config';
import { listEvents, type Item } from './support/api';
import { API_DELAY_MS, startShopApp, type AppServer } from './support/app-server';
import { bundleBrowserEntry } from './support/bundle';
import { awayFromSessionWindowEdge } from './support/session-window';
import { userClick, waitForText } from './support/user';

jest.setTimeout(30_000);

let server: RunningServer;
let browser: Browser;
let script: string;
beforeAll(async () => {
  [server, browser, script] = await Promise.all([
    startTestServer({ apps: ['web_spans_json', 'web_spans_pb'] }),
    launchChromium(),
    bundleBrowserEntry(join(__dirname, 'pages', 'web-spans.entry.ts')),
  ]);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const BODY = `
<button id="load-items">Load items</button>
<button id="xhr-missing">Missing item</button>
<button id="block">Busy</button>
<button id="pay">Pay</button>
<a id="next" href="/next.html">Next page</a>
<p id="out"></p>`;

function startApp(protocol: PageConfig['protocol'], appId: string): Promise<AppServer> {
  return startShopApp({ serverUrl: server.url, appId, protocol, script, body: BODY });
}

/** Browses the app like a user: load, fetch, XHR, a long task, a failing payment, a second page. */
async function browse(app: AppServer): Promise<void> {
  const page = await browser.newPage();
  try {
    await page.goto(`${app.url}/index.html`, { waitUntil: 'load' });
    await userClick(page, '#load-items');
    await waitForText(page, '#out', 'tea, coffee');
    await userClick(page, '#xhr-missing');
    await waitForText(page, '#out', 'status 404');
    await userClick(page, '#block');
    await waitForText(page, '#out', 'blocked');
    await userClick(page, '#pay');
    await waitForText(page, '#out', 'card number is not valid');
    // fetch and XHR spans end 300 ms after the response, once resource timing has the request.
    await page.waitForTimeout(400);
    await userClick(page, '#next');
    await page.waitForURL('**/next.html', { waitUntil: 'load' });
    await page.waitForTimeout(300);
    await page.evaluate(() => (window as unknown as { rumFlush(): Promise<void> }).rumFlush());
  } finally {
    await page.close({ runBeforeUnload: true });
  }
}

function list(kind: string, appId: string): Promise<Item[]> {
  return listEvents(server.url, kind, appId);
}

describe.each([
  ['json', 'web_spans_json'],
  ['protobuf', 'web_spans_pb'],
] as const)('upstream web instrumentations over OTLP/%s', (protocol, appId) => {
  it('map into one derived session with views, actions, resources, long tasks and an error', async () => {
    await awayFromSessionWindowEdge();
    const app = await startApp(protocol, appId);
    try {
      await browse(app);
    } finally {
      await app.close();
    }
    const page = (path: string) => `${app.url}${path}`;

    const session = await eventually(async () => {
      const s = (await getJson(server.url, `/api/v1/sessions?app_id=${appId}`)).items;
      return s.length === 1 && s[0].viewCount === 2 && s[0].errorCount === 1 && s[0].actionCount === 4
        ? s[0]
        : undefined;
    });
    expect(session.sessionId).toMatch(/^derived-[0-9a-f]{24}$/);
    expect(session.firstUrl).toBe(page('/index.html'));
    expect(session.userAgent).toContain('HeadlessChrome');
    const sid = session.sessionId;

    // document-load: one view per page load, the documentLoad span's id as the view id.
    const views = await list('views', appId);
    expect(views.map((v) => v.path).sort()).toEqual(['/index.html', '/next.html']);
    for (const v of views) {
      expect(v).toMatchObject({ sessionId: sid, label: v.path, url: page(v.path!), name: 'documentLoad' });
      expect(v.viewId).toBe(v.spanId);
      expect(v.source).toBe('otel-web-instrumentation');
      expect(v.attributes[M.RUM_VIEW_LOADING_TYPE]).toBe('initial_load');
      expect(v.attributes[M.RUM_VIEW_LOAD]).toBeGreaterThan(0);
      expect(v.attributes[M.RUM_VIEW_DOM_CONTENT_LOADED]).toBeGreaterThan(0);
      expect(v.attributes[M.RUM_VIEW_TTFB]).toBeGreaterThan(0);
    }
    const firstView = views.find((v) => v.path === '/index.html')!;

    // user-interaction: one action per click on an element with a listener.
    const actions = await list('actions', appId);
    const labels = actions.map((a) => a.label).sort();
    expect(labels).toEqual(
      ['block', 'load-items', 'pay', 'xhr-missing'].map((id) => `click on BUTTON //*[@id="${id}"]`),
    );
    const action = (id: string) => actions.find((a) => a.label!.includes(`"${id}"`))!;
    for (const a of actions) {
      expect(a).toMatchObject({ sessionId: sid, name: 'click', url: page('/index.html') });
      expect(a.attributes[M.RUM_ACTION_TYPE]).toBe('click');
    }
    expect(action('block').durationMs).toBeGreaterThanOrEqual(150);

    // fetch and XHR: resources with method, status and duration, in the trace of the click that made them.
    const resources = await list('resources', appId);
    const resource = (path: string) => resources.filter((r) => r.path === path);
    const [items] = resource('/api/items');
    expect(items).toMatchObject({ sessionId: sid, status: 200, label: page('/api/items'), name: 'GET' });
    expect(items!.attributes).toMatchObject({
      [M.RUM_RESOURCE_TYPE]: 'fetch',
      [M.HTTP_REQUEST_METHOD]: 'GET',
    });
    expect(items!.durationMs).toBeGreaterThanOrEqual(API_DELAY_MS);
    expect(items!.traceId).toBe(action('load-items').traceId);
    const [missing] = resource('/api/missing');
    expect(missing).toMatchObject({ sessionId: sid, status: 404, label: page('/api/missing') });
    expect(missing!.attributes[M.RUM_RESOURCE_TYPE]).toBe('xhr');
    expect(missing!.durationMs).toBeGreaterThanOrEqual(API_DELAY_MS);
    expect(missing!.traceId).toBe(action('xhr-missing').traceId);
    // document-load's documentFetch and resourceFetch spans: the page and what it loaded, in its view.
    const [document] = resource('/index.html');
    expect(document).toMatchObject({ viewId: firstView.viewId, name: 'documentFetch' });
    expect(document!.attributes[M.RUM_RESOURCE_TYPE]).toBe('document');
    const scripts = resource('/app.js');
    expect(scripts).toHaveLength(2);
    expect(scripts.map((r) => r.attributes[M.RUM_RESOURCE_TYPE])).toEqual(['js', 'js']);
    expect(resource('/style.css').map((r) => r.attributes[M.RUM_RESOURCE_TYPE])).toEqual(['css', 'css']);
    for (const r of resources) expect(r.durationMs).toBeGreaterThan(0);

    // long-task: the 150 ms busy loop.
    const longTasks = await list('long-tasks', appId);
    expect(longTasks.some((t) => t.durationMs! >= 150 && t.sessionId === sid)).toBe(true);

    // The exception recorded on the payment span: an error in the click's trace.
    const errors = await list('errors', appId);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ sessionId: sid, label: 'card number is not valid', name: 'exception' });
    expect(errors[0]!.attributes).toMatchObject({
      [M.EXCEPTION_TYPE]: 'TypeError',
      [M.RUM_ERROR_SOURCE]: 'span',
    });
    expect(String(errors[0]!.attributes[M.EXCEPTION_STACKTRACE])).toContain('checkout');
    expect(errors[0]!.traceId).toBe(action('pay').traceId);

    const timeline = await getJson(server.url, `/api/v1/sessions/${sid}/timeline?app_id=${appId}`);
    const kinds = new Set(timeline.items.map((e: Item & { kind: string }) => e.kind));
    expect([...kinds].sort()).toEqual(['action', 'error', 'long_task', 'resource', 'view']);
  });
});
