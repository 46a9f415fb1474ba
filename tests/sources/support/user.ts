import type { Page } from 'playwright-core';

/*
 * User input without Playwright's locators: a locator (or waitForFunction) puts Playwright's injected
 * script into the page, and its window-level click listeners would be wrapped by the user-interaction
 * instrumentation like the application's own, adding spans no user caused. Here the page is only read
 * with page.evaluate and clicked with the mouse.
 */

/** Clicks the middle of the element with the mouse, as a user does. */
export async function userClick(page: Page, selector: string): Promise<void> {
  const box = await page.evaluate((sel) => {
    const r = document.querySelector(sel)?.getBoundingClientRect();
    return r ? { x: r.x + r.width / 2, y: r.y + r.height / 2 } : null;
  }, selector);
  if (!box) throw new Error(`no element ${selector} on ${page.url()}`);
  await page.mouse.click(box.x, box.y);
}

/** Waits until the element's text is `text`, polling with page.evaluate. */
export async function waitForText(
  page: Page,
  selector: string,
  text: string,
  timeoutMs = 5000,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  let last: string | null = null;
  while (Date.now() < until) {
    last = await page.evaluate((sel) => document.querySelector(sel)?.textContent ?? null, selector);
    if (last === text) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${selector} shows "${last}", not "${text}", after ${timeoutMs} ms`);
}
