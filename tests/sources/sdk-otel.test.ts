/*
 * Source: our SDK (@otel-rum/sdk-otel, bundled from its source) in real Chromium, sending its own
 * events (rum.view, rum.action, rum.resource, exception, rum.long_task, browser.web_vital, session.*)
 * as OTLP/JSON log records with session.id and rum.view.id on each. The server must keep the SDK's
 * session and view ids and map every kind.
 */
import * as M from '@otel-rum/model';
import { eventually, getJson } from '../support/server';
import type { Item } from './support/api';
import { API_DELAY_MS } from './support/app-server';
import { useShopSource } from './support/shop-source';
import { userClick, waitForText } from './support/user';

jest.setTimeout(30_000);

const APP_ID = 'sdk_otel';

const source = useShopSource({
  appId: APP_ID,
  entry: 'sdk-otel.entry.ts',
  protocol: 'json',
  // The SDK's default privacy level (mask) keeps text out of action names; this part of the page allows it.
  body: `<div data-rum-privacy="allow">
<button id="buy">Buy</button>
<button id="to-cart">Cart</button>
<button id="pay">Pay</button>
<button id="block">Busy</button>
<a id="next" href="/next.html">Next page</a>
<p id="out"></p></div>`,
});

/** Browses like a user: load, a click that fetches, a route change, a long task, an uncaught error, a second page. */
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
    await userClick(page, '#block');
    await waitForText(page, '#out', 'blocked');
    // Resource timing entries are emitted when the browser is idle (or after 1 s at most).
    await page.waitForTimeout(1200);
    await page.evaluate(() => (window as unknown as { rumFlush(): Promise<void> }).rumFlush());
    await userClick(page, '#next');
    await page.waitForURL('**/next.html', { waitUntil: 'load' });
    await page.waitForTimeout(300);
    await page.evaluate(() => (window as unknown as { rumFlush(): Promise<void> }).rumFlush());
  } finally {
    await page.close({ runBeforeUnload: true });
  }
  return pageErrors;
}

it('keeps its session and view ids and maps views, actions, resources, errors, long tasks and web vitals', async () => {
  const pageErrors = await browse();
  expect(pageErrors).toEqual(['payment provider is not configured']);
  const page = (path: string) => `${source.app.url}${path}`;

  const session = await eventually(async () => {
    const s = (await getJson(source.server.url, `/api/v1/sessions?app_id=${APP_ID}`)).items;
    return s.length === 1 && s[0].viewCount === 3 && s[0].errorCount === 1 && s[0].actionCount >= 4
      ? s[0]
      : undefined;
  });
  // The SDK's own session id, not a derived one.
  expect(session.sessionId).toMatch(/^[0-9a-f]{32}$/);
  expect(session.firstUrl).toBe(page('/index.html'));
  const sid = session.sessionId;

  // The last view's final state is sent at page hide, after the session's counts are already complete.
  const views = await eventually(async () => {
    const v = (await source.list('views')).sort((a, b) => a.time.localeCompare(b.time));
    return v.length === 3 && v.every((x) => (x.durationMs ?? 0) > 0) ? v : undefined;
  });
  expect(views.map((v) => [v.path, v.attributes[M.RUM_VIEW_LOADING_TYPE]])).toEqual([
    ['/index.html', 'initial_load'],
    ['/cart', 'route_change'],
    ['/next.html', 'initial_load'],
  ]);
  for (const v of views) {
    expect(v).toMatchObject({ sessionId: sid, name: M.EventName.VIEW, label: v.path, url: page(v.path!) });
    expect(v.source).toBe('sdk-otel');
    expect(v.viewId).toBe(v.attributes[M.RUM_VIEW_ID]);
    expect(v.durationMs).toBeGreaterThan(0);
  }
  const viewIds = views.map((v) => v.viewId);
  // Which view an event belongs to is the SDK's call: the server keeps the SDK's rum.view.id.
  const inItsView = (e: Item) => {
    expect(e.viewId).toBe(e.attributes[M.RUM_VIEW_ID]);
    expect(viewIds).toContain(e.viewId);
  };

  const actions = await source.list('actions');
  const action = (name: string) => actions.find((a) => a.label === name);
  for (const name of ['Buy', 'Cart', 'Busy', 'Pay']) {
    expect(action(name)).toMatchObject({ sessionId: sid, name: M.EventName.ACTION });
    expect(action(name)!.attributes[M.RUM_ACTION_TYPE]).toBe('click');
    inItsView(action(name)!);
  }
  expect(action('Busy')!.durationMs).toBeGreaterThanOrEqual(150);

  const resources = await source.list('resources');
  const items = resources.find((r) => r.path === '/api/items');
  expect(items).toMatchObject({ sessionId: sid, status: 200, label: page('/api/items') });
  inItsView(items!);
  expect(items!.attributes[M.RUM_RESOURCE_TYPE]).toBe('fetch');
  expect(items!.durationMs).toBeGreaterThanOrEqual(API_DELAY_MS);

  const errors = await source.list('errors');
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatchObject({ sessionId: sid, label: 'payment provider is not configured' });
  inItsView(errors[0]!);
  expect(errors[0]!.attributes).toMatchObject({
    [M.EXCEPTION_TYPE]: 'TypeError',
    [M.RUM_ERROR_SOURCE]: 'uncaught',
  });

  const longTasks = await source.list('long-tasks');
  const busy = longTasks.find((t) => t.durationMs! >= 150);
  expect(busy).toMatchObject({ sessionId: sid, name: M.EventName.LONG_TASK });
  inItsView(busy!);

  const vitals = await source.list('web-vitals');
  for (const name of ['ttfb', 'fcp', 'lcp']) {
    const v = vitals.find((x) => x.label === name);
    expect(v).toMatchObject({ sessionId: sid, name: M.EventName.WEB_VITAL });
    expect(v!.value).toBeGreaterThan(0);
    inItsView(v!);
  }
});
