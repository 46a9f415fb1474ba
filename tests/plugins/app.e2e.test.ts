/*
 * The app plugin as Grafana runs it, short of Grafana's server: the built plugins/dist/module.js in
 * real Chromium through the Grafana host (tests/grafana-host): its configuration page saving the
 * server URL and admin token to the app's settings, its pages reaching the real otel-rum server only
 * through the app's own proxy route, with data the real SDK recorded on a scripted page.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { freePort } from '../../collector-config/testing/freePort';
import { launchChromium } from '../support/chromium';
import { apiFetch, eventually, getJson, startTestServer, type TestServer } from '../support/server';
import { startGrafanaHost, type GrafanaHost } from '../grafana-host/host-server';
import { openHost, recordResponses, screenshot } from '../grafana-host/page';
import { startInstrumentedBackend, stopBackend, visitShop } from '../support/backend';

jest.setTimeout(120_000);

const APP_ID = 'rum_shop';
const APP = 'otelrum-rum-app';
const DIST = join(__dirname, '..', '..', 'plugins', 'dist');

let server: TestServer;
let backend: ChildProcess;
let newAppBackend: ChildProcess | undefined;
let backendUrl: string;
let browser: Browser;
let host: GrafanaHost;
let page: Page;
let sessionId: string;

type HostApi = {
  showApp: (id: string, path: string) => Promise<void>;
  showAppConfig: (id: string) => Promise<void>;
};
const showApp = (path: string) =>
  page.evaluate(([id, p]) => (window as never as { __host: HostApi }).__host.showApp(id, p), [
    APP,
    path,
  ] as const);

beforeAll(async () => {
  server = await startTestServer({ apps: [APP_ID], demo: false });
  const port = await freePort();
  backendUrl = `http://127.0.0.1:${port}`;
  backend = await startInstrumentedBackend(port, server.url, APP_ID, {
    SERVICE_VERSION: '2.0.0',
    REPLAY: '1',
  });
  browser = await launchChromium();
  await visitShop(browser, backendUrl);
  sessionId = await eventually(async () => {
    const s = await getJson(server.url, `/api/v1/sessions?app_id=${APP_ID}`);
    const i = await getJson(server.url, `/api/v1/issues?app_id=${APP_ID}`);
    return s.items[0]?.viewCount >= 2 &&
      s.items[0]?.errorCount >= 1 &&
      s.items[0]?.hasReplay &&
      i.items.length
      ? s.items[0].sessionId
      : undefined;
  }, 30_000);
  host = await startGrafanaHost({
    pluginDist: [DIST],
    settingsFile: join(mkdtempSync(join(tmpdir(), 'grafana-host-')), 'datasources.json'),
    // The otel-rum data source: the session page's trace links open its trace query in Explore.
    dataSources: [
      { uid: 'rum', name: 'otel-rum', type: 'otelrum-rum-datasource', jsonData: { serverUrl: server.url } },
      // What scrapes the server's /metrics: the generated metrics page drafts alert rules on it.
      { uid: 'prom', name: 'Prometheus', type: 'prometheus', jsonData: {} },
    ],
    pluginSettings: { [APP]: { enabled: true, pinned: true, jsonData: {} } },
    dashboards: [
      { uid: 'rum-web', title: 'RUM web overview', folderTitle: 'otel-rum' },
      { uid: 'checkout-slo', title: 'Checkout SLO', folderTitle: 'Shop' },
    ],
  });
  page = await openHost(browser, host.url);
}, 120_000);

afterAll(async () => {
  await page?.close();
  await browser?.close();
  await stopBackend(backend);
  await stopBackend(newAppBackend);
  await host?.close();
  await server?.close();
});

describe('app plugin', () => {
  it('saves the server URL and admin token on its configuration page, keeping the token out of the browser', async () => {
    const bodies = recordResponses(page, host.url);
    await page.evaluate((id) => (window as never as { __host: HostApi }).__host.showAppConfig(id), APP);
    await page.fill('#app-server-url', server.url);
    await page.fill('#app-admin-token', server.token);
    await page.click('[data-testid="app-config-save"]');
    const outcome = page.locator('[data-testid="app-config-outcome"]');
    await outcome.waitFor({ timeout: 20_000 });
    expect(await outcome.getAttribute('data-status')).toBe('success');
    expect(await outcome.textContent()).toContain('Connected: 1 application on the server');
    await screenshot(page, 'app-config');
    expect(host.pluginSettings(APP)).toMatchObject({
      jsonData: { serverUrl: server.url },
      secureJsonData: { adminToken: server.token },
    });
    expect(bodies.some((b) => b.includes(server.token))).toBe(false);
    expect(host.proxied.some((r) => r.target === `${server.url}/api/v1/apps`)).toBe(true);
  });

  it('lists the applications with their sessions, errors and last data', async () => {
    await showApp(`/a/${APP}/applications?from=now-1h&to=now`);
    const table = page.locator('[data-testid="applications-table"]');
    await table.waitFor({ timeout: 20_000 });
    const row = table.locator('tbody tr').first();
    await expect(row.textContent()).resolves.toContain(APP_ID);
    const cells = await row.locator('td').allTextContents();
    // name, app id, type, sessions, errors, last data
    expect(cells[2]).toBe('web');
    expect(Number(cells[3])).toBeGreaterThanOrEqual(1);
    expect(Number(cells[4])).toBeGreaterThanOrEqual(1);
    expect(cells[5]).toMatch(/^\d{4}-\d{2}-\d{2} /);
    // The bundled dashboards of a web application, each opened on this application.
    const bundled = row.locator('[data-testid="bundled-dashboard"]');
    expect(await bundled.allTextContents()).toEqual(
      expect.arrayContaining(['Web / Overview', 'Web / Errors']),
    );
    expect(await bundled.first().getAttribute('href')).toBe(`/d/otelrum-web-overview?var-app=${APP_ID}`);
    await screenshot(page, 'app-applications');
  });

  it('creates an application with checks as typed, its guide turning green with the SDK first data, links a dashboard, renames it with the warnings, and deletes it', async () => {
    await showApp(`/a/${APP}/applications/new`);
    await page.locator('#app-id').waitFor();
    await page.fill('#app-name', 'Checkout');
    await page.fill('#app-id', 'check out!');
    await expect(
      page.getByText('Only letters, digits and underscore: remove space, "!"').count(),
    ).resolves.toBe(1);
    await page.fill('#app-id', 'checkout');
    // The shop page that will send this application's first data is one of its origins.
    const newAppUrl = `http://127.0.0.1:${await freePort()}`;
    await page.fill('#app-origins', `https://shop.example.com\n${newAppUrl}`);
    // Grafana's radio button group: the input lies over its label.
    await page.locator('input[type="radio"][title="Other"]').click({ force: true });
    await page.fill('#app-retention-days', '30');
    await page.click('[data-testid="save-application"]');
    await page.locator('[data-testid="integration-guide"]').waitFor({ timeout: 20_000 });
    const created = await getJson(server.url, '/api/v1/apps/checkout');
    expect(created).toMatchObject({
      name: 'Checkout',
      retentionDays: 30,
      allowedOrigins: ['https://shop.example.com', newAppUrl],
    });
    await page.locator('[data-testid^="snippet-"] pre').first().waitFor({ timeout: 20_000 });
    expect(await page.locator('[data-testid="first-data"]').getAttribute('data-received')).toBe('false');
    expect(await page.locator('[data-testid="snippet-endpoint"]').textContent()).toBeTruthy();
    // The snippets are the server's for this app: one of them configures the SDK with its id.
    expect((await page.locator('[data-testid^="snippet-"] pre').allTextContents()).join('\n')).toContain(
      "'checkout'",
    );
    await screenshot(page, 'app-application-guide');
    // The real SDK on a page of that origin sends the first data: the guide turns green.
    newAppBackend = await startInstrumentedBackend(Number(new URL(newAppUrl).port), server.url, 'checkout');
    await visitShop(browser, newAppUrl);
    await page.locator('[data-testid="first-data"][data-received="true"]').waitFor({ timeout: 30_000 });
    await screenshot(page, 'app-application-receiving');

    // Link a dashboard found with Grafana's search, then change the app id: warned before saving,
    // asked to confirm, then the server's warnings (which name the linked dashboard).
    await page.click('#app-dashboard-search');
    await page.keyboard.type('checkout');
    await page.getByRole('option', { name: /Checkout SLO/ }).click();
    await page.locator('[data-testid="linked-dashboard"]').waitFor();
    await page.fill('#app-id', 'checkout_v2');
    await page.locator('[data-testid="rename-preview"]').waitFor();
    await page.click('[data-testid="save-application"]');
    await page.locator('[data-testid="rename-confirm"]').waitFor();
    await page.getByRole('button', { name: 'Change to checkout_v2' }).click();
    const warnings = page.locator('[data-testid="rename-warnings"] li');
    await warnings.first().waitFor({ timeout: 20_000 });
    expect(await warnings.evaluateAll((els) => els.map((e) => e.getAttribute('data-code')))).toEqual([
      'sdk_config',
      'monitors',
      'dashboards',
      'history',
    ]);
    expect(
      await page.locator('[data-testid="rename-warnings"] li[data-code="dashboards"]').textContent(),
    ).toContain('Linked dashboards to check: "Checkout SLO"');
    expect(await page.getByText('Open the explorer on the old id checkout').count()).toBe(1);
    const renamed = await getJson(server.url, '/api/v1/apps/checkout_v2');
    expect(renamed).toMatchObject({
      previousAppIds: ['checkout'],
      dashboards: [{ title: 'Checkout SLO', uid: 'checkout-slo' }],
    });
    expect(await page.locator('[data-testid="linked-dashboard"]').getAttribute('href')).toBe(
      '/d/checkout-slo?var-app=checkout_v2',
    );
    await screenshot(page, 'app-application-renamed');

    // Delete, with a confirmation that says what happens to the data.
    await showApp(`/a/${APP}/applications`);
    await page.getByRole('button', { name: 'Delete checkout_v2' }).click();
    const body = page.locator('[data-testid="delete-confirm-body"]');
    await body.waitFor();
    expect(await body.textContent()).toContain('is not deleted now');
    await page.getByPlaceholder('Type "checkout_v2" to confirm').fill('checkout_v2');
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await eventually(async () =>
      (await apiFetch(server.url, '/api/v1/apps/checkout_v2')).status === 404 ? true : undefined,
    );
  });

  it('explores views, filters from a facet and with autocomplete, with the state in the URL and Open in Explore', async () => {
    await showApp(`/a/${APP}/explorer?app=${APP_ID}&tab=views&from=now-1h&to=now`);
    const rows = page.locator('[data-testid="explorer-rows"]');
    await rows.waitFor({ timeout: 20_000 });
    const before = Number(await rows.getAttribute('data-rows'));
    expect(before).toBeGreaterThanOrEqual(2);
    const value = page.locator('[data-testid="facet-path"] button[data-testid^="facet-value-path-/cart"]');
    await value.waitFor({ timeout: 20_000 });
    await screenshot(page, 'app-explorer');
    await value.click();
    await eventually(async () => {
      const url = new URL(page.url());
      return url.searchParams.get('filter') === 'path = "/cart"' ? true : undefined;
    });
    await eventually(
      async () => (Number(await rows.getAttribute('data-rows')) < before ? true : undefined),
      20_000,
    );
    expect(await page.locator('[data-testid="filter-input"]').inputValue()).toBe('path = "/cart"');
    await screenshot(page, 'app-explorer-filtered');
    // A row's details in a drawer, with the way to its session.
    await page.locator('[data-testid="row-details-open"]').first().click();
    const details = page.locator('[data-testid="row-details"]');
    await details.waitFor();
    expect(await details.textContent()).toContain('/cart');
    expect(await page.getByRole('link', { name: 'Session' }).getAttribute('href')).toContain(
      `/sessions/${sessionId}`,
    );
    await screenshot(page, 'app-explorer-details');
    await page.keyboard.press('Escape');
    await details.waitFor({ state: 'detached' });
    // "Open in Explore" carries the same query to the otel-rum data source.
    const explore = decodeURIComponent(
      (await page.getAttribute('[data-testid="open-in-explore"]', 'href')) ?? '',
    );
    expect(explore).toContain(
      `"queryType":"events","kind":"view","appId":"${APP_ID}","filter":"path = \\"/cart\\""`,
    );

    // Autocomplete: a field from its first letters, then a value the server has seen.
    const input = page.locator('[data-testid="filter-input"]');
    await input.fill('');
    await input.type('brow');
    await page.getByRole('option', { name: /^browser/ }).click();
    await input.type('= "chr');
    await page.getByRole('option', { name: 'Chrome Headless' }).click();
    expect(await input.inputValue()).toBe('browser = "Chrome Headless" ');
    await screenshot(page, 'app-explorer-autocomplete');
    await input.press('Enter');
    await eventually(async () =>
      new URL(page.url()).searchParams.get('filter') === 'browser = "Chrome Headless"' ? true : undefined,
    );
    await eventually(
      async () => (Number(await rows.getAttribute('data-rows')) === before ? true : undefined),
      20_000,
    );
  });

  it("shows the server's message for a filter it refuses, and the explorer in the light theme", async () => {
    await showApp(`/a/${APP}/explorer?app=${APP_ID}&tab=resources&from=now-1h&to=now&filter=duration%20%3E`);
    const error = page.locator('[data-testid="explorer-error"]');
    await error.waitFor({ timeout: 20_000 });
    expect(await error.textContent()).toMatch(/\(at position \d+\)/);
    expect(await error.textContent()).toContain(
      "Fix the filter above; it uses the server's filter language.",
    );

    const light = await openHost(browser, host.url, 'light');
    try {
      await light.evaluate(([id, p]) => (window as never as { __host: HostApi }).__host.showApp(id, p), [
        APP,
        `/a/${APP}/explorer?app=${APP_ID}&tab=resources&from=now-1h&to=now`,
      ] as const);
      await light.locator('[data-testid="explorer-rows"]').waitFor({ timeout: 20_000 });
      const background = await light.evaluate(() => getComputedStyle(document.body).backgroundColor);
      expect(background).not.toBe('rgb(17, 18, 23)');
      await screenshot(light, 'app-explorer-light');
    } finally {
      await light.close();
    }
  });

  it('shows the session page with its views, timeline and traced requests', async () => {
    await showApp(`/a/${APP}/sessions/${sessionId}?app_id=${APP_ID}`);
    await page.locator('[data-testid="session-timeline"]').waitFor({ timeout: 20_000 });
    expect(await page.locator('[data-testid="view-waterfall"]').count()).toBeGreaterThanOrEqual(2);
    expect(
      await page.locator('[data-testid="session-timeline"] tr[data-kind="error"]').count(),
    ).toBeGreaterThanOrEqual(1);
    const trace = page.locator('[data-testid="trace-link"]').first();
    const traceId = await trace.getAttribute('data-trace-id');
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    // The backend span of that trace was stored: the link leads to the browser and backend spans.
    await eventually(async () => {
      const spans = (await getJson(server.url, `/api/v1/traces/${traceId}`)).spans;
      return spans.some((x: { serviceName: string }) => x.serviceName === 'checkout-backend')
        ? true
        : undefined;
    }, 20_000);
    const href = decodeURIComponent((await trace.getAttribute('href')) ?? '');
    expect(href).toContain('/explore?');
    expect(href).toContain(`"queryType":"trace","traceId":"${traceId}"`);
    expect(href).toContain('"uid":"rum"');
    await screenshot(page, 'app-session');
  });

  it("plays the session's replay in step with its timeline", async () => {
    await showApp(`/a/${APP}/sessions/${sessionId}?app_id=${APP_ID}`);
    const player = page.locator('[data-testid="replay-player"]');
    await page.waitForSelector('[data-testid="replay-player"][data-status="ready"]', { timeout: 20_000 });
    // The recorded shop page is rebuilt in the player: its Pay button is there.
    const frame = page.frameLocator('[data-testid="replay-stage"] iframe');
    await frame.locator('#pay').waitFor({ timeout: 10_000 });
    const total = Number(
      (await player.getByTestId('replay-clock').textContent())!.split('/')[1]!.trim().split(' ')[0],
    );
    expect(total).toBeGreaterThan(0);
    // The click is a marker on the player's track (what happened after the last recorded change, the
    // route change and the error here, lies past the recording's end and has none).
    expect(await player.locator('[data-marker="action"]').count()).toBe(1);

    // A click on the error in the timeline moves the player there, and the error row is the current one.
    const errorRow = page.locator('[data-testid="session-timeline"] tr[data-kind="error"]').first();
    await errorRow.getByTestId('timeline-seek').click();
    await page.waitForSelector('[data-testid="session-timeline"] tr[data-kind="error"][data-current="true"]');
    const atError = Number((await player.getByTestId('replay-clock').textContent())!.split('/')[0]);
    expect(atError).toBe(total);

    // Back to the first event, then playing: the highlight follows the player to the end.
    await page.locator('[data-testid="session-timeline"] tr').first().getByTestId('timeline-seek').click();
    await page.waitForSelector('[data-testid="session-timeline"] tr[data-current="true"]');
    const firstCurrent = await page.locator('tr[data-current="true"]').getAttribute('data-kind');
    await player.getByTestId('replay-toggle').click();
    await page.waitForSelector('[data-testid="replay-player"][data-ended="true"]', { timeout: 30_000 });
    expect(await player.getByTestId('replay-toggle').textContent()).toBe('Replay');
    const rows = page.locator('[data-testid="session-timeline"] tr');
    const current = page.locator('[data-testid="session-timeline"] tr[data-current="true"]');
    const index = await current.evaluate((tr) => [...tr.parentElement!.children].indexOf(tr));
    expect(index).toBeGreaterThan(0);
    expect(index).toBeLessThan(await rows.count());
    expect(firstCurrent).toBeTruthy();
    await screenshot(page, 'app-session-replay');
  });

  it('makes a journey from a session on its page and shows the funnel, with the dropped sessions one click away', async () => {
    await showApp(`/a/${APP}/sessions/${sessionId}?app_id=${APP_ID}`);
    await page.locator('[data-testid="journey-from-session"]').click();
    const funnel = page.locator('[data-testid="journey-funnel"]');
    await funnel.waitFor({ timeout: 20_000 });
    const journeys = (await getJson(server.url, '/api/v1/journeys')).items;
    expect(journeys).toHaveLength(1);
    // The session's views in order: the shop page, then /cart.
    expect(journeys[0].steps).toEqual([
      { type: 'view', path: '/' },
      { type: 'view', path: '/cart' },
    ]);
    expect(new URL(page.url()).searchParams.get('journey')).toBe(journeys[0].id);
    await page.locator('[data-testid="funnel-step"]').nth(1).waitFor({ timeout: 20_000 });
    const steps = page.locator('[data-testid="funnel-step"]');
    expect(await steps.count()).toBe(2);
    const analysis = await getJson(server.url, `/api/v1/journeys/${journeys[0].id}/analysis`);
    expect(analysis.steps[0].sessions).toBeGreaterThanOrEqual(1);
    for (const i of [0, 1])
      expect(Number(await steps.nth(i).getAttribute('data-sessions'))).toBe(analysis.steps[i].sessions);
    expect(await steps.nth(1).textContent()).toContain('2. view /cart');
    expect(await page.locator('[data-testid="completed-sessions"]').textContent()).toContain(sessionId);
    await screenshot(page, 'app-journey');

    // A second step nobody reached: every session drops at step 1, listed from the drop-off count.
    await page.click('[data-testid="journey-item"]');
    await page.getByRole('link', { name: 'Edit', exact: true }).click();
    await page.locator('[data-testid="journey-editor"]').waitFor();
    await page.getByRole('button', { name: 'Add step' }).click();
    await page.fill('[aria-label="Step 3 glob"]', '/thanks');
    await page.click('[data-testid="journey-save"]');
    await page.locator('[data-testid="funnel-step"]').nth(2).waitFor({ timeout: 20_000 });
    const dropped = page.locator('[data-testid="dropped-link"]').last();
    await dropped.click();
    await page.locator('[data-testid="dropped-sessions"]').waitFor({ timeout: 20_000 });
    expect(new URL(page.url()).searchParams.get('dropped')).toBe('2');
    const link = page.locator('[data-testid="dropped-sessions"] [data-testid="journey-session"]', {
      hasText: sessionId,
    });
    expect(await link.count()).toBe(1);
    expect(
      host.proxied.some((r) => r.method === 'PUT' && r.path === `/rum/api/v1/journeys/${journeys[0].id}`),
    ).toBe(true);
    await link.click();
    await page.locator('[data-testid="session-page"]').waitFor({ timeout: 20_000 });
  });

  it('resolves an issue and reopens it, through the issue route', async () => {
    const issue = (await getJson(server.url, `/api/v1/issues?app_id=${APP_ID}`)).items[0];
    await showApp(`/a/${APP}/issues/${issue.fingerprint}?app_id=${APP_ID}`);
    await page.locator('[data-testid="issue-status"]').waitFor({ timeout: 20_000 });
    expect(await page.locator('[data-testid="issue-status"]').getAttribute('data-status')).toBe('open');
    expect(await page.locator('[data-testid="issue-sessions"] a').first().textContent()).toBe(sessionId);
    expect(await page.locator('[data-testid="issue-views"]').textContent()).toContain('/cart: 1 occurrence');
    expect(await page.locator('[data-testid="issue-occurrences"] > div').count()).toBeGreaterThanOrEqual(1);
    // The stack as the server parsed it: one line per frame, the in-app ones first.
    const detail = await getJson(server.url, `/api/v1/issues/${issue.fingerprint}?app_id=${APP_ID}`);
    const shown = await page
      .locator('[data-testid="issue-stack"] > div')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-in-app')));
    expect(shown).toEqual(
      [
        ...detail.frames.filter((f: { inApp: boolean }) => f.inApp),
        ...detail.frames.filter((f: { inApp: boolean }) => !f.inApp),
      ].map((f: { inApp: boolean }) => String(f.inApp)),
    );
    await page.click('[data-testid="resolve"]');
    await page.locator('[data-testid="issue-status"][data-status="resolved"]').waitFor({ timeout: 20_000 });
    expect((await getJson(server.url, `/api/v1/issues/${issue.fingerprint}?app_id=${APP_ID}`)).status).toBe(
      'resolved',
    );
    expect(
      host.proxied.some(
        (r) => r.method === 'PATCH' && r.path.startsWith(`/rum/api/v1/issues/${issue.fingerprint}`),
      ),
    ).toBe(true);
    await screenshot(page, 'app-issue-resolved');
    await page.click('[data-testid="reopen"]');
    await page.locator('[data-testid="issue-status"][data-status="open"]').waitFor({ timeout: 20_000 });
    expect((await getJson(server.url, `/api/v1/issues/${issue.fingerprint}?app_id=${APP_ID}`)).status).toBe(
      'open',
    );
  });

  it('lets a Viewer read but not manage: the proxy refuses, the page says why', async () => {
    host.setUserRole('Viewer');
    const viewer = await openHost(browser, host.url, 'dark', 'Viewer');
    try {
      await viewer.evaluate(([id, p]) => (window as never as { __host: HostApi }).__host.showApp(id, p), [
        APP,
        `/a/${APP}/applications`,
      ] as const);
      await viewer.locator('[data-testid="applications-table"]').waitFor({ timeout: 20_000 });
      expect(await viewer.getByRole('link', { name: 'New application' }).count()).toBe(0);
      const refused = await viewer.evaluate(async (id) => {
        const r = await fetch(`/api/plugin-proxy/${id}/rum/api/v1/apps/rum_shop`, { method: 'DELETE' });
        return { status: r.status, body: await r.json() };
      }, APP);
      expect(refused).toEqual({ status: 403, body: { message: 'plugin proxy route access denied' } });
      expect((await apiFetch(server.url, `/api/v1/apps/${APP_ID}`)).status).toBe(200);
    } finally {
      host.setUserRole('Admin');
      await viewer.close();
    }
  });

  it('creates a generated metric rule with a live preview of its series, then sees them stored and drafts an alert', async () => {
    await showApp(`/a/${APP}/metrics`);
    await page.locator('[data-testid="metric-rules"]').waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: 'New rule' }).click();
    await page.locator('[data-testid="rule-editor"]').waitFor();
    await page.fill('#rule-name', 'shop_views_total');
    await page.locator('#rule-kind').fill('view');
    await page.keyboard.press('Enter');
    await page.fill('#rule-filter', `app = "${APP_ID}"`);
    await page.fill('#rule-dimensions', 'path');
    // The preview: the views the SDK recorded, one series per path, before the rule exists.
    const preview = page.locator('[data-testid="rule-preview"] [data-testid="series-row"]');
    await preview.nth(1).waitFor({ timeout: 20_000 });
    const names = await preview.locator('code').allTextContents();
    expect(names).toEqual(expect.arrayContaining(['{path="/"}', '{path="/cart"}']));
    await screenshot(page, 'app-metric-rule');
    await page.click('[data-testid="rule-save"]');
    await page.locator('[data-testid="rule-details"]').waitFor({ timeout: 20_000 });
    expect(new URL(page.url()).searchParams.get('rule')).toBe('shop_views_total');
    expect(await page.locator('[data-testid="metric-rule"]').textContent()).toContain(
      'shop_views_total{path} (counter)',
    );
    const stored = await getJson(server.url, '/api/v1/metrics/rules/shop_views_total');
    expect(stored).toMatchObject({
      kind: 'view',
      aggregation: 'count',
      dimensions: [{ field: 'path', label: 'path' }],
    });
    // A new visit goes through the rule: its series are stored and exposed to Prometheus.
    await visitShop(browser, backendUrl);
    await eventually(async () => {
      const text = await (await apiFetch(server.url, '/metrics')).text();
      return text.includes('shop_views_total{path="/cart"}') ? true : undefined;
    }, 20_000);
    await eventually(async () => {
      await page.click('[data-testid="series-refresh"]');
      await page.waitForTimeout(300);
      const rows = await page
        .locator('[data-testid="rule-details"] [data-testid="series-row"] code')
        .allTextContents();
      return rows.includes('{path="/cart"}') ? true : undefined;
    }, 20_000);
    const href = (await page.locator('[data-testid="alert-draft"]').getAttribute('href')) ?? '';
    expect(href.startsWith('/alerting/new/alerting?defaults=')).toBe(true);
    const defaults = JSON.parse(new URL(href, host.url).searchParams.get('defaults')!);
    expect(defaults.queries[0]).toMatchObject({
      datasourceUid: 'prom',
      model: { expr: 'sum by (path) (increase(shop_views_total[5m]))' },
    });
    expect(host.proxied.some((r) => r.method === 'POST' && r.path === '/rum/api/v1/metrics/rules')).toBe(
      true,
    );
    await screenshot(page, 'app-metric-details');
  });
  it('shows page views per day per application and a cost estimate from tiers saved in the app settings', async () => {
    await showApp(`/a/${APP}/usage`);
    const row = page.locator(`[data-testid="usage-app"][data-app="${APP_ID}"]`);
    await row.waitFor({ timeout: 20_000 });
    const usage = (await getJson(server.url, `/api/v1/usage?app_id=${APP_ID}`)).items;
    const pageViews = usage.reduce((a: number, d: { pageViews: number }) => a + d.pageViews, 0);
    expect(pageViews).toBeGreaterThanOrEqual(2);
    expect(Number(await row.getAttribute('data-page-views'))).toBe(pageViews);
    expect(await page.locator('[data-testid="usage-days"]').textContent()).toContain(usage[0].day);
    // One free page view a month, then 2,000 per 1,000: the rest of the month's views cost 2 each.
    await page.fill('[aria-label="Tier 1 up to"]', '1');
    await page.fill('[aria-label="Tier 1 price"]', '0');
    await page.getByRole('button', { name: 'Add tier' }).click();
    await page.fill('[aria-label="Tier 2 price"]', '2000');
    await page.fill('#usage-currency', 'EUR');
    await page.click('[data-testid="tiers-save"]');
    await page.locator('[data-testid="usage-estimate"]').waitFor({ timeout: 20_000 });
    const all = (await getJson(server.url, '/api/v1/usage')).items;
    const total = all.reduce((a: number, d: { pageViews: number }) => a + d.pageViews, 0);
    expect(await page.locator('[data-testid="usage-estimate"]').textContent()).toContain(
      `EUR ${((total - 1) * 2).toFixed(2)}`,
    );
    expect(host.pluginSettings(APP)?.jsonData).toEqual({
      serverUrl: server.url,
      usageTiers: [
        { upTo: 1, pricePer1000: 0 },
        { upTo: null, pricePer1000: 2000 },
      ],
      usageCurrency: 'EUR',
    });
    await screenshot(page, 'app-usage');
  });
});
