/*
 * Scripted visits of the demo shop in real Chromium: each visit is a new browser context (a new
 * session) with its own user agent, user, version and environment, and walks the shop the way a user
 * would: home, search, a slow recommendation, a product, add to cart, the cart, a failing checkout.
 */
import type { Browser, Page } from 'playwright-core';

export interface Visitor {
  userAgent: string;
  viewport: { width: number; height: number };
  version: string;
  env: string;
  user: string;
  /** Whether the session is recorded for replay (every other one). */
  replay: boolean;
}

/** What visitors type as a gift message: replay masks inputs, so it must never be seen in a replay. */
export const GIFT_MESSAGE = 'happy birthday, secret 4711';

const AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  'Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
];
const VERSIONS = ['2.0.0', '2.1.0'];
const ENVS = ['production', 'staging'];
const PRODUCTS = ['kettle', 'teapot', 'mug', 'grinder'];

/** The i-th visitor of a run: browsers, versions, environments and users in turn. */
export function visitor(i: number): Visitor {
  const mobile = AGENTS[i % AGENTS.length]!.includes('iPhone');
  return {
    userAgent: AGENTS[i % AGENTS.length]!,
    viewport: mobile ? { width: 390, height: 844 } : { width: 1280, height: 800 },
    version: VERSIONS[i % VERSIONS.length]!,
    env: ENVS[Math.floor(i / 2) % ENVS.length]!,
    user: `user-${(i % 5) + 1}`,
    replay: i % 2 === 0,
  };
}

async function click(p: Page, selector: string, settleMs = 150): Promise<void> {
  await p.click(selector);
  await p.waitForTimeout(settleMs);
}

/** One visit; resolves once the page was left (so that the SDK sent what it held at page hide). */
export async function visit(browser: Browser, shopUrl: string, i: number): Promise<void> {
  const v = visitor(i);
  const context = await browser.newContext({ userAgent: v.userAgent, viewport: v.viewport });
  try {
    await context.addInitScript(
      (cfg) => {
        (window as unknown as { __shop: unknown }).__shop = cfg;
      },
      { version: v.version, env: v.env, user: v.user, replay: v.replay },
    );
    const p = await context.newPage();
    await p.goto(`${shopUrl}/`);
    await p.waitForFunction(() => typeof (window as unknown as { OtelRum?: unknown }).OtelRum === 'object');
    await p.waitForTimeout(400);
    await click(p, '#search');
    if (i % 2 === 0) {
      await p.click('#slow');
      await p.waitForFunction(() => document.getElementById('out')?.textContent?.startsWith('recommended'));
    }
    // A full page load: the home page's LCP, CLS and INP are reported at its page hide.
    await p.click(`#p-${PRODUCTS[i % PRODUCTS.length]}`);
    await p.waitForLoadState('load');
    await p.waitForTimeout(400);
    await p.fill('#gift', GIFT_MESSAGE);
    await click(p, '#add', 300);
    await click(p, '#cart');
    if (i % 3 !== 2) await click(p, '#checkout', 400);
    await p.goto('about:blank');
    await p.waitForTimeout(200);
  } finally {
    await context.close();
  }
}

/** Runs `count` visits, `parallel` at a time; `progress` hears of each finished one. */
export async function runVisits(
  browser: Browser,
  shopUrl: string,
  count: number,
  progress: (done: number) => void = () => undefined,
  parallel = 2,
): Promise<void> {
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      await visit(browser, shopUrl, i);
      progress(++done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, count) }, worker));
}
