import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_PATH, launchChromium } from '../../../tests/support/chromium';
import { cdnBundle, loaderSnippet } from './bundle';
import { OtlpBackend, type ReceivedEvent } from './otlpBackend';

/**
 * One Chromium and one backend per test file (fast), a fresh browser context per test (no shared
 * storage). Call inside a describe block.
 */
export function useBrowserHarness(options: { bfcache?: boolean } = {}) {
  const h = {} as {
    browser: Browser;
    backend: OtlpBackend;
    context: BrowserContext;
    page: Page;
    /** init options pointing at the backend. */
    options(extra?: Record<string, unknown>): Record<string, unknown>;
    /** Received log records with this EventName. */
    named(name: string): ReceivedEvent[];
  };
  beforeAll(async () => {
    h.backend = await new OtlpBackend().start();
    h.backend.serve('/otel-rum.min.js', cdnBundle(), 'application/javascript');
    h.backend.serve('/loader.min.js', loaderSnippet(), 'application/javascript');
    h.browser = options.bfcache
      ? // Playwright turns the back/forward cache off by default; these tests need it.
        await chromium.launch({
          executablePath: CHROMIUM_PATH,
          headless: true,
          args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run'],
          ignoreDefaultArgs: ['--disable-back-forward-cache'],
        })
      : await launchChromium();
  });
  afterAll(async () => {
    await h.browser?.close();
    await h.backend?.stop();
  });
  beforeEach(async () => {
    h.backend.reset();
    h.context = await h.browser.newContext();
    h.page = await h.context.newPage();
  });
  afterEach(async () => {
    // Closing hides the pages, whose final flush must not land in the next test.
    await h.context.close();
    await new Promise((resolve) => setTimeout(resolve, 200));
  });
  h.options = (extra) => ({
    appId: 'test_app',
    endpoint: h.backend.url,
    service: { name: 'shop', version: '1.2.3' },
    flushIntervalMs: 100,
    ...extra,
  });
  h.named = (name) => h.backend.events().filter((e) => e.eventName === name);
  return h;
}
