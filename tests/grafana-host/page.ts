/* Opens the host page in Chromium and waits for Grafana's packages to be ready. */
import type { Browser, Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** Where screenshots go: test artifacts, not committed. */
export const ARTIFACTS = join(__dirname, '..', '..', 'test-results', 'grafana-host');

export async function openHost(
  browser: Browser,
  hostUrl: string,
  theme: 'dark' | 'light' = 'dark',
  role: 'Viewer' | 'Editor' | 'Admin' = 'Admin',
): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${hostUrl}/?theme=${theme}&role=${role}`);
  await page
    .waitForSelector('body[data-host-ready="true"]', { state: 'attached', timeout: 30_000 })
    .catch((e) => {
      throw new Error(`host page did not start: ${errors.join('; ') || e}`);
    });
  return page;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** Every response body the page receives from the host from now on (to prove a secret never reaches it). */
export function recordResponses(page: Page, hostUrl: string): string[] {
  const bodies: string[] = [];
  page.on('response', (r) => {
    if (r.url().startsWith(hostUrl))
      r.text().then(
        (t) => bodies.push(t),
        () => undefined,
      );
  });
  return bodies;
}
