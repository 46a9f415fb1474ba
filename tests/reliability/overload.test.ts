/*
 * Overload: an application sends above what the server takes from it (its rate limit, set low here
 * so that a browser can exceed it). The server must answer 429 with Retry-After and take nothing of
 * a refused request; the real SDK in Chromium must back off as asked and, once the bucket refills,
 * deliver every event exactly once (sent counted against stored).
 */
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/chromium';
import { eventually, startTestServer, type TestServer } from '../support/server';
import { bundleBrowserEntry } from '../sources/support/bundle';
import { startShopApp, type AppServer } from '../sources/support/app-server';
import { listAll } from './support/api';
import { byMode, report } from './support/mode';
import type { EventItem } from '@otel-rum/model';

const APP = 'overload';
/** Actions the page adds at once: several times the bucket. */
const ACTIONS = byMode(400, 2000);
/** The application's limit: 40 events/s, a bucket of 60. */
const RATE = { eventsPerSecond: 40, burst: 60 };

jest.setTimeout(byMode(90_000, 300_000));

let server: TestServer;
let browser: Browser;
let app: AppServer;

beforeAll(async () => {
  let script: string;
  [server, browser, script] = await Promise.all([
    startTestServer({ apps: [{ appId: APP, rateLimit: RATE }], demo: false }),
    launchChromium(),
    bundleBrowserEntry(join(__dirname, 'pages', 'overload.entry.ts')),
  ]);
  app = await startShopApp({
    serverUrl: server.url,
    appId: APP,
    protocol: 'json',
    script,
    body: '<p>overload</p>',
  });
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await server?.close();
});

it(`delivers ${ACTIONS} actions sent at once (the bucket holds ${RATE.burst}) exactly once, after 429s with Retry-After`, async () => {
  const page = await browser.newPage();
  const answers: { status: number; retryAfter: string | null }[] = [];
  page.on('response', (r) => {
    if (r.url().startsWith(server.url + '/v1/'))
      answers.push({ status: r.status(), retryAfter: r.headers()['retry-after'] ?? null });
  });
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  const started = Date.now();
  await page.goto(`${app.url}/index.html`, { waitUntil: 'load' });
  await page.evaluate(
    (n) => (window as unknown as { rumAddActions(p: string, n: number): void }).rumAddActions('o', n),
    ACTIONS,
  );
  await page.evaluate(() => (window as unknown as { rumFlush(): Promise<void> }).rumFlush());

  const stored = await eventually(
    async () => {
      const items = await listAll<EventItem>(
        server.url,
        server.token,
        `/api/v1/actions?app_id=${APP}&from=0`,
      );
      const ours = items.filter((a) => /^o\d+$/.test(a.label ?? ''));
      return ours.length >= ACTIONS ? ours : undefined;
    },
    byMode(80_000, 280_000),
  );
  const deliveredInMs = Date.now() - started;
  await new Promise((r) => setTimeout(r, 1000));
  await page.close();

  const labels = stored.map((a) => a.label);
  const refused = answers.filter((a) => a.status === 429);
  report({
    overload_sent: ACTIONS,
    stored: new Set(labels).size,
    duplicated: labels.length - new Set(labels).size,
    answered_429: refused.length,
    answered_200: answers.filter((a) => a.status === 200).length,
    delivered_in_s: (deliveredInMs / 1000).toFixed(1),
  });
  expect(pageErrors).toEqual([]);
  expect(refused.length).toBeGreaterThan(0);
  expect(refused.every((a) => a.retryAfter !== null && Number(a.retryAfter) >= 1)).toBe(true);
  expect(answers.every((a) => a.status === 200 || a.status === 429)).toBe(true);
  expect(new Set(labels).size).toBe(ACTIONS);
  expect(labels).toHaveLength(ACTIONS);
});
