/*
 * Source: the OpenTelemetry browser SDK effort's event instrumentations (@opentelemetry/browser-
 * instrumentation 0.6.0) emitting `browser.navigation`, `browser.user_action.click`, `browser.web_vital`,
 * `exception`, `browser.resource_timing` and `browser.navigation_timing` log records through the real
 * @opentelemetry/sdk-logs and OTLP/HTTP JSON log exporter, in real Chromium, with nothing but
 * `rum.app.id` added to the resource. The server must make sessions, views, actions, errors, resources
 * and web vitals of them.
 */
import * as M from '@otel-rum/model';
import { OTEL_BROWSER_EVENTS } from '../../server/src/ingest/normalize/logs';
import { eventually, getJson } from '../support/server';
import type { Item } from './support/api';
import { API_DELAY_MS } from './support/app-server';
import { awayFromSessionWindowEdge } from './support/session-window';
import { useShopSource } from './support/shop-source';
import { userClick, waitForText } from './support/user';

jest.setTimeout(30_000);

const APP_ID = 'browser_events';

const source = useShopSource({
  appId: APP_ID,
  entry: 'browser-events.entry.ts',
  protocol: 'json',
  body: `
<button id="buy">Buy</button>
<button id="to-cart">Cart</button>
<button id="pay">Pay</button>
<button id="later">Deliver later</button>
<a id="next" href="/next.html">Next page</a>
<p id="out"></p>`,
});

/** Browses like a user: load, a click that fetches, a route change, an uncaught error, a rejection, a second page. */
async function browse(): Promise<string[]> {
  const page = await source.browser.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  try {
    await page.goto(`${source.app.url}/index.html`, { waitUntil: 'load' });
    await userClick(page, '#buy');
    await waitForText(page, '#out', 'tea, coffee');
    await userClick(page, '#to-cart');
    await waitForText(page, '#out', 'cart');
    await userClick(page, '#pay');
    await waitForText(page, '#out', 'paying');
    await userClick(page, '#later');
    await waitForText(page, '#out', 'later');
    // Resource timing entries are emitted in idle time, which a busy machine may not have for a
    // while: flush until the fetch's entry has reached the server before leaving the page.
    await eventually(async () => {
      await page.evaluate(() => (window as unknown as { rumFlush(): Promise<void> }).rumFlush());
      return (await source.list('resources')).find((r) => r.path === '/api/items');
    });
    await userClick(page, '#next');
    await page.waitForURL('**/next.html', { waitUntil: 'load' });
    await page.waitForTimeout(300);
    await page.evaluate(() => (window as unknown as { rumFlush(): Promise<void> }).rumFlush());
  } finally {
    await page.close({ runBeforeUnload: true });
  }
  return pageErrors;
}

it('map into one derived session with views, actions, errors, resources and web vitals', async () => {
  await awayFromSessionWindowEdge();
  const pageErrors = await browse();
  expect(pageErrors).toEqual(['payment provider is not configured', 'delivery date is in the past']);
  const page = (path: string) => `${source.app.url}${path}`;

  const session = await eventually(async () => {
    const s = (await getJson(source.server.url, `/api/v1/sessions?app_id=${APP_ID}`)).items;
    return s.length === 1 && s[0].viewCount === 3 && s[0].errorCount === 2 && s[0].actionCount === 5
      ? s[0]
      : undefined;
  });
  expect(session.sessionId).toMatch(/^derived-[0-9a-f]{24}$/);
  expect(session.firstUrl).toBe(page('/index.html'));
  expect(session.userAgent).toContain('HeadlessChrome');
  const sid = session.sessionId;

  // browser.navigation: a view per page load and per same-document navigation.
  const views = (await source.list('views')).sort((a, b) => a.time.localeCompare(b.time));
  expect(views.map((v) => [v.path, v.attributes[M.RUM_VIEW_LOADING_TYPE]])).toEqual([
    ['/index.html', 'initial_load'],
    ['/cart', 'route_change'],
    ['/next.html', 'initial_load'],
  ]);
  for (const v of views) {
    expect(v).toMatchObject({
      sessionId: sid,
      name: M.EventName.BROWSER_NAVIGATION,
      label: v.path,
      url: page(v.path!),
    });
    expect(v.source).toBe('otel-browser');
    expect(v.viewId).toMatch(/^[0-9a-f]{16}$/);
  }
  expect(new Set(views.map((v) => v.viewId)).size).toBe(3);

  // browser.user_action.click: an action per click, told by element and CSS selector.
  const actions = await source.list('actions');
  expect(actions.map((a) => a.label).sort()).toEqual([
    'click on A #next',
    'click on BUTTON #buy',
    'click on BUTTON #later',
    'click on BUTTON #pay',
    'click on BUTTON #to-cart',
  ]);
  const buy = actions.find((a) => a.label === 'click on BUTTON #buy')!;
  expect(buy).toMatchObject({ sessionId: sid, name: M.EventName.BROWSER_CLICK });
  expect(buy.attributes).toMatchObject({
    [M.RUM_ACTION_TYPE]: 'click',
    [M.RUM_ACTION_TARGET]: '#buy',
    'browser.tag_name': 'BUTTON',
  });

  // exception: the uncaught error and the unhandled rejection.
  const errors = await source.list('errors');
  expect(errors.map((e) => [e.label, e.attributes[M.EXCEPTION_TYPE]]).sort()).toEqual([
    ['delivery date is in the past', 'RangeError'],
    ['payment provider is not configured', 'TypeError'],
  ]);
  for (const e of errors) {
    expect(e).toMatchObject({ sessionId: sid, name: 'exception' });
    expect(String(e.attributes[M.EXCEPTION_STACKTRACE])).toContain(String(e.attributes[M.EXCEPTION_TYPE]));
  }

  // browser.resource_timing and browser.navigation_timing: resources with type, duration and phases.
  const resources = await source.list('resources');
  const resource = (path: string) => resources.filter((r) => r.path === path);
  const [items] = resource('/api/items');
  expect(items).toMatchObject({
    sessionId: sid,
    name: OTEL_BROWSER_EVENTS.resourceTiming,
    label: page('/api/items'),
  });
  expect(items!.attributes).toMatchObject({
    [M.RUM_RESOURCE_TYPE]: 'fetch',
    [M.RUM_RESOURCE_INITIATOR]: 'fetch',
  });
  expect(items!.durationMs).toBeGreaterThanOrEqual(API_DELAY_MS);
  expect(items!.attributes[M.RUM_RESOURCE_FIRST_BYTE]).toBeGreaterThanOrEqual(API_DELAY_MS - 5);
  expect(resource('/app.js').map((r) => r.attributes[M.RUM_RESOURCE_TYPE])).toEqual(['js', 'js']);
  expect(resource('/style.css').map((r) => r.attributes[M.RUM_RESOURCE_TYPE])).toEqual(['css', 'css']);
  const documents = resources.filter((r) => r.name === OTEL_BROWSER_EVENTS.navigationTiming);
  expect(documents.map((r) => r.path).sort()).toEqual(['/index.html', '/next.html']);
  for (const d of documents) {
    expect(d.attributes[M.RUM_RESOURCE_TYPE]).toBe('document');
    expect(d.durationMs).toBeGreaterThan(0);
  }

  // browser.web_vital: the name is the label, the measurement the value.
  const vitals = await source.list('web-vitals');
  const vital = (name: string) => vitals.filter((v) => v.label === name);
  for (const name of ['ttfb', 'fcp', 'lcp']) {
    expect(vital(name).length).toBeGreaterThanOrEqual(1);
    for (const v of vital(name)) {
      expect(v).toMatchObject({ sessionId: sid, name: M.EventName.WEB_VITAL });
      expect(v.value).toBeGreaterThan(0);
      expect(v.attributes[M.WEB_VITAL_RATING]).toMatch(/^(good|needs-improvement|poor)$/);
    }
  }

  const timeline = await getJson(source.server.url, `/api/v1/sessions/${sid}/timeline?app_id=${APP_ID}`);
  const kinds = new Set(timeline.items.map((e: Item) => e.kind));
  expect([...kinds].sort()).toEqual(['action', 'error', 'resource', 'view', 'web_vital']);
});
