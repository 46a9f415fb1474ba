/*
 * Source: both upstream families in one page (document-load and fetch spans over OTLP/protobuf,
 * navigation and error events over OTLP/JSON logs) with @opentelemetry/web-common's session manager
 * and processors, in real Chromium. The server must keep the session id they send, on spans and log
 * records alike, across two page loads.
 */
import * as M from '@otel-rum/model';
import { DOCUMENT_LOAD_SPANS } from '../../server/src/ingest/normalize/spans';
import { eventually, getJson } from '../support/server';
import type { Item } from './support/api';
import { useShopSource } from './support/shop-source';
import { userClick, waitForText } from './support/user';

jest.setTimeout(30_000);

const APP_ID = 'mixed_sessions';

const source = useShopSource({
  appId: APP_ID,
  entry: 'mixed-sessions.entry.ts',
  protocol: 'protobuf',
  body: '<button id="buy">Buy</button><button id="pay">Pay</button><a id="next" href="/next.html">Next</a><p id="out"></p>',
});

const flush = () => (window as unknown as { rumFlush(): Promise<void> }).rumFlush();
const sessionIdInPage = () => (window as unknown as { rumSessionId(): string }).rumSessionId();

it('keeps the session id web-common puts on spans and log records, across page loads', async () => {
  const page = await source.browser.newPage();
  let ids: string[];
  try {
    await page.goto(`${source.app.url}/index.html`, { waitUntil: 'load' });
    await page.waitForFunction(() => 'rumSessionId' in window);
    await userClick(page, '#buy');
    await waitForText(page, '#out', 'tea, coffee');
    await userClick(page, '#pay');
    await waitForText(page, '#out', 'paying');
    await page.waitForTimeout(400);
    const first = await page.evaluate(sessionIdInPage);
    await page.evaluate(flush);
    await userClick(page, '#next');
    await page.waitForURL('**/next.html', { waitUntil: 'load' });
    await page.waitForFunction(() => 'rumSessionId' in window);
    await page.waitForTimeout(300);
    ids = [first, await page.evaluate(sessionIdInPage)];
    await page.evaluate(flush);
  } finally {
    await page.close({ runBeforeUnload: true });
  }
  expect(ids[1]).toBe(ids[0]);
  const sid = ids[0]!;
  expect(sid).toMatch(/^[0-9a-f]{32}$/);

  const session = await eventually(async () => {
    const s = (await getJson(source.server.url, `/api/v1/sessions?app_id=${APP_ID}`)).items;
    return s.length === 1 && s[0].errorCount === 1 && s[0].viewCount === 4 ? s[0] : undefined;
  });
  expect(session.sessionId).toBe(sid);

  // Each page load is a view from document-load (spans) and one from navigation (logs): using both
  // families counts page loads twice (README.md beside the mapping says so).
  const views = await source.list('views');
  expect(views.map((v: Item) => `${v.name} ${v.path}`).sort()).toEqual([
    `${M.EventName.BROWSER_NAVIGATION} /index.html`,
    `${M.EventName.BROWSER_NAVIGATION} /next.html`,
    `${DOCUMENT_LOAD_SPANS.documentLoad} /index.html`,
    `${DOCUMENT_LOAD_SPANS.documentLoad} /next.html`,
  ]);
  for (const v of views) expect(v.sessionId).toBe(sid);
  const resources = await source.list('resources');
  const items = resources.find((r) => r.path === '/api/items');
  expect(items).toMatchObject({ sessionId: sid, status: 200, name: 'GET' });
  expect(resources.every((r) => r.sessionId === sid)).toBe(true);
  const errors = await source.list('errors');
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatchObject({ sessionId: sid, label: 'payment provider is not configured' });
  expect(errors[0]!.attributes[M.SESSION_ID]).toBe(sid);
});
