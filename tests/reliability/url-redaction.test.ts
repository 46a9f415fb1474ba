/*
 * URL redaction, proved with real traffic and searched on disk: real Chromium loads the SDK's CDN
 * bundle on pages whose URLs carry secrets (a token and an e-mail in the page's query string, an
 * access token in the query of the page's fetch); the SDK sends to the real collector (gateway.yaml,
 * with its transform/redact_urls), which forwards to the real server writing a DuckDB file. Two pages:
 * one with the SDK's own redaction (the default), one with it switched off (`redactUrls: false`), so
 * that there the collector's redaction alone stands between the secrets and the store. With the
 * server stopped, every row of every table of the file is searched for each secret: none is found;
 * the non-secret parts of the same URLs (paths, `tab=` parameters) are found, so the search is not
 * blind. Each page runs a long task in an inline script, whose rum.long_task.script attribute names
 * the page's URL with its query (found leaking by this test; both layers now redact it). The page
 * with the SDK's redaction also throws an uncaught error from an inline script (its stack frames name
 * the page's URL, query and all) whose message holds the page's URL with its fragment, and adds an
 * action with a custom attribute holding that URL: the SDK redacts the URLs in them (the collector
 * does not look at those attributes, so the other page has none). The server itself redacts nothing:
 * what is kept out here is kept out by the SDK or the collector.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { FIRST_BUILD_TIMEOUT_MS, collectorBinary } from '../../collector-config/testing/collectorBinary';
import { startCollector, type RunningCollector } from '../../collector-config/testing/collectorProcess';
import { configPath } from '../../collector-config/testing/configFiles';
import { launchChromium } from '../support/chromium';
import { eventually, getJson, startTestServer, type TestServer } from '../support/server';
import { dumpStore } from '../support/store-dump';
import { startAppServer, type AppServer } from '../sources/support/app-server';
import { report } from './support/mode';

const APP = 'url_redaction';

/** Secrets by page: `sdk` is redacted by the SDK (and again by the collector), `raw` by the collector only. */
const SECRETS = {
  sdk: { token: 'tok-SDK-7f3a91c2', email: 'grace.hopper@example.org', fetchToken: 'acc-SDK-55e0d1' },
  raw: { token: 'tok-RAW-2b8e44d0', email: 'alan.turing@example.org', fetchToken: 'acc-RAW-91aa3c' },
} as const;
/** In the fragment of the `sdk` page's URL, which its error message and custom attribute carry. */
const FRAGMENT_SECRET = 'frag-SDK-0c9d33ee';
type PageName = keyof typeof SECRETS;
const PAGES: PageName[] = ['sdk', 'raw'];

let dir: string;
let server: TestServer | undefined;
let collector: RunningCollector;
let browser: Browser;
let app: AppServer;

const page = (rum: string, otlp: string, name: PageName) => `<!doctype html>
<html><head><title>Account</title>
<script src="${rum}/sdk/otel-rum.min.js"></script>
<script>OtelRum.init({ appId: '${APP}', endpoint: '${otlp}', flushIntervalMs: 300${name === 'raw' ? ', redactUrls: false' : ''} });</script>
</head><body>
<p>Account</p>
<script>
  // A long task in an inline script: its rum.long_task.script names the page's URL, query included.
  const start = performance.now();
  while (performance.now() - start < 120);
</script>
<script>fetch('/api/items?tab=orders-${name}&access_token=${SECRETS[name].fetchToken}').then((r) => r.json()).then(() => (window.fetched = true));</script>
${
  name === 'sdk'
    ? `<script>
  // A custom attribute holding the page's URL, and an uncaught error from an inline script: its stack
  // frames name the page's URL with its query, its message the whole URL with its fragment.
  OtelRum.addAction('checkout-start', { return_to: location.href });
  function payWithCard() { throw new Error('payment failed on ' + location.href); }
  setTimeout(payWithCard, 0);
</script>`
    : ''
}
</body></html>`;

const pageQuery = (name: PageName) =>
  `?tab=billing-${name}&token=${SECRETS[name].token}&email=${encodeURIComponent(SECRETS[name].email)}` +
  (name === 'sdk' ? `#access_token=${FRAGMENT_SECRET}` : '');

beforeAll(async () => {
  collectorBinary();
  dir = mkdtempSync(join(tmpdir(), 'rum-url-redaction-'));
  [server, browser] = await Promise.all([
    startTestServer({ demo: false, apps: [APP], dbPath: join(dir, 'rum.duckdb') }),
    launchChromium(),
  ]);
  const files: Record<string, string> = {};
  app = await startAppServer({ files });
  collector = await startCollector(configPath('gateway.yaml'), {
    RUM_SERVER_ENDPOINT: server.url,
    COLLECTOR_CORS_ALLOWED_ORIGINS: `[${app.url}]`,
    COLLECTOR_BATCH_TIMEOUT: '100ms',
    // The default pattern drops headless Chrome as synthetic traffic; this test's browser is one.
    RUM_BOT_USER_AGENT_PATTERN: '(?i)(bot|crawl|spider)',
  });
  for (const name of PAGES) files[`/${name}.html`] = page(server.url, collector.otlpUrl, name);
}, FIRST_BUILD_TIMEOUT_MS);

afterAll(async () => {
  await browser?.close();
  await collector?.stop();
  await app?.close();
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 30_000);

it('stores no secret of a page URL or a fetch URL, with the SDK redacting and with the collector alone', async () => {
  for (const name of PAGES) {
    const p = await browser.newPage();
    await p.goto(`${app.url}/${name}.html${pageQuery(name)}`);
    await p.waitForFunction(() => (window as unknown as { fetched?: boolean }).fetched === true);
    await p.waitForTimeout(500);
    // Leaving the page ends the view and flushes what the SDK still holds.
    await p.goto('about:blank');
    await p.close();
  }
  // Stored once both pages' fetches and views, and the sdk page's error and action, are queryable.
  await eventually(async () => {
    const r = await getJson<{ items: { url: string | null }[] }>(
      server!.url,
      `/api/v1/resources?app_id=${APP}`,
    );
    const v = await getJson<{ items: unknown[] }>(server!.url, `/api/v1/views?app_id=${APP}`);
    const e = await getJson<{ items: unknown[] }>(server!.url, `/api/v1/errors?app_id=${APP}`);
    const a = await getJson<{ items: { label: string | null }[] }>(
      server!.url,
      `/api/v1/actions?app_id=${APP}`,
    );
    const fetched = PAGES.every((n) => r.items.some((i) => i.url?.includes(`tab=orders-${n}`)));
    const custom = e.items.length >= 1 && a.items.some((i) => i.label === 'checkout-start');
    return fetched && custom && v.items.length >= PAGES.length ? true : undefined;
  }, 20_000);
  await collector.stop();
  await server!.close();
  server = undefined;

  const tables = await dumpStore(join(dir, 'rum.duckdb'));
  const rows = [...tables.values()].flat().join('\n');
  const found: string[] = [];
  for (const name of PAGES) {
    const s = SECRETS[name];
    for (const secret of [s.token, s.email, encodeURIComponent(s.email), s.fetchToken])
      if (rows.includes(secret)) found.push(`${name}: a table holds "${secret}"`);
    // Positive control: the rest of the same URLs is stored.
    for (const kept of [`/${name}.html`, `tab=billing-${name}`, `tab=orders-${name}`])
      if (!rows.includes(kept)) found.push(`${name}: no table holds "${kept}", which is not secret`);
    // The long task, whose script attribute carried the page's URL, was stored too.
    if (!(tables.get('events_long_task') ?? []).some((r) => r.includes(`"path":"/${name}.html"`)))
      found.push(`${name}: no long task stored`);
  }
  if (rows.includes(FRAGMENT_SECRET)) found.push(`sdk: a table holds "${FRAGMENT_SECRET}"`);
  // Positive control for the error and the custom attribute: stored, and carrying the page's URL
  // (redacted) in the message, in the stack frames of the inline script and in the attribute.
  const errors = (tables.get('events_error') ?? []).join('\n');
  const actions = (tables.get('events_action') ?? []).join('\n');
  const redactedPage = '/sdk.html?tab=billing-sdk&token=REDACTED&email=REDACTED';
  for (const [what, text, kept] of [
    ['error message', errors, `payment failed on `],
    ['error message URL', errors, `${redactedPage}#access_token=REDACTED`],
    ['stack frame of the inline script', errors, `at payWithCard (${app.url}${redactedPage}`],
    ['custom attribute', actions, 'return_to'],
    ['custom attribute URL', actions, `${app.url}${redactedPage}#access_token=REDACTED`],
  ] as const)
    if (!text.includes(kept)) found.push(`sdk: the ${what} is not stored as expected ("${kept}")`);
  report({
    url_redaction_pages: PAGES.length,
    secrets_searched: PAGES.length * 4 + 1,
    table_rows_searched: [...tables.values()].reduce((t, r) => t + r.length, 0),
    redacted_markers: rows.split('REDACTED').length - 1,
    leaks: found.length,
  });
  expect(found).toEqual([]);
}, 60_000);
