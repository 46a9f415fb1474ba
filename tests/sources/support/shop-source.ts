import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import type { RunningServer } from '../../../server/src/app';
import { launchChromium } from '../../support/chromium';
import { startTestServer } from '../../support/server';
import type { PageConfig } from '../pages/config';
import { listEvents, type Item } from './api';
import { startShopApp, type AppServer } from './app-server';
import { bundleBrowserEntry } from './bundle';

/** What a source test runs against: the real server, Chromium, and the shop app serving the source's page. */
export interface ShopSource {
  server: RunningServer;
  browser: Browser;
  app: AppServer;
  /** Every event of one kind ('views', 'long-tasks'...) of the source's application. */
  list(kind: string): Promise<Item[]>;
}

/**
 * Starts, for the test file, the server with `appId` registered, Chromium, and the shop app whose
 * pages run `pages/<entry>` bundled and show `body`; stops them after. Fields are set once beforeAll ran.
 */
export function useShopSource(o: {
  appId: string;
  entry: string;
  protocol: PageConfig['protocol'];
  body: string;
}): ShopSource {
  const source = {
    list: (kind: string) => listEvents(source.server.url, kind, o.appId),
  } as ShopSource;
  beforeAll(async () => {
    let script: string;
    [source.server, source.browser, script] = await Promise.all([
      startTestServer({ apps: [o.appId] }),
      launchChromium(),
      bundleBrowserEntry(join(__dirname, '..', 'pages', o.entry)),
    ]);
    source.app = await startShopApp({
      serverUrl: source.server.url,
      appId: o.appId,
      protocol: o.protocol,
      script,
      body: o.body,
    });
  });
  afterAll(async () => {
    await source.browser?.close();
    await source.app?.close();
    await source.server?.close();
  });
  return source;
}
