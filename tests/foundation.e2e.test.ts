/*
 * The foundation's path end to end: real Chromium loads the demo page served by the real server, with
 * the built SDK bundle; the user navigates and hits an error; the session, its views and the error are
 * read back through the REST API.
 */
import type { Browser } from 'playwright-core';
import type { RunningServer } from '../server/src/app';
import { launchChromium } from './support/chromium';
import { eventually, getJson, startTestServer } from './support/server';

jest.setTimeout(60_000);

let server: RunningServer;
let browser: Browser;
beforeAll(async () => {
  server = await startTestServer();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

interface Item {
  sessionId: string;
  viewId: string | null;
  path: string | null;
  label: string | null;
  attributes: Record<string, unknown>;
}

it('records a session with its views and an uncaught error, readable through the API', async () => {
  const page = await browser.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(`${server.url}/demo/`);
  await page.waitForFunction(() => typeof (window as unknown as { OtelRum?: unknown }).OtelRum === 'object');
  await page.click('#fail');
  await page.click('#about');
  await page.waitForURL('**/demo/about.html');
  await page.goto('about:blank');
  await page.close();
  expect(pageErrors).toContain('payment provider is not configured');

  const sessions = await eventually(async () => {
    const s = await getJson(server.url, '/api/v1/sessions?app_id=demo');
    return s.items.length === 1 && s.items[0].viewCount >= 2 && s.items[0].errorCount >= 1 ? s : undefined;
  });
  const session = sessions.items[0];
  expect(session.sessionId).toMatch(/^[0-9a-f-]{16,}$/);
  expect(session.userAgent).toContain('Chrome');

  const views = await getJson(server.url, `/api/v1/views?app_id=demo&session_id=${session.sessionId}`);
  const paths = views.items.map((v: Item) => v.path).sort();
  expect(paths).toEqual(expect.arrayContaining(['/demo/', '/demo/about.html']));
  for (const v of views.items as Item[]) expect(v.viewId).toBeTruthy();

  const errors = await getJson(server.url, `/api/v1/errors?app_id=demo&session_id=${session.sessionId}`);
  expect(errors.items).toHaveLength(1);
  const error: Item = errors.items[0];
  expect(error.label).toBe('payment provider is not configured');
  expect(error.attributes['exception.type']).toBe('TypeError');
  expect(String(error.attributes['exception.stacktrace'])).toContain('TypeError');
  const demoView = (views.items as Item[]).find((v) => v.path === '/demo/');
  expect(error.viewId).toBe(demoView?.viewId);

  const timeline = await getJson(server.url, `/api/v1/sessions/${session.sessionId}/timeline?app_id=demo`);
  const kinds: string[] = timeline.items.map((e: { kind: string }) => e.kind);
  expect(kinds).toEqual(expect.arrayContaining(['session', 'view', 'error']));
});
