/*
 * The bundled dashboards and panels against real data: the real SDK in real Chromium walks the demo
 * shop (tests/demo) for a few sessions and sends to the real server; then every panel query of every
 * web dashboard runs through the built data source in the Grafana host (tests/grafana-host) and must
 * return data, and the app's panels render the real frames (dark and light theme, no data, errors).
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import type { Dashboard, Panel, VariableModel } from '@grafana/schema';
import { launchChromium } from '../support/chromium';
import { apiFetch, eventually, getJson, startTestServer, type TestServer } from '../support/server';
import { startGrafanaHost, type GrafanaHost } from '../grafana-host/host-server';
import { openHost, screenshot } from '../grafana-host/page';
import { startShop, type Shop } from '../demo/shop';
import { GIFT_MESSAGE, runVisits } from '../demo/traffic';

jest.setTimeout(240_000);

/**
 * `npm run screenshots` (UPDATE_SCREENSHOTS=1): the images the READMEs show are written from this run
 * too: dashboards into docs/screenshots/, each panel's into its plugin's img/ (its catalog screenshot).
 */
const UPDATE_SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1';
const ROOT = join(__dirname, '..', '..');
/** The dashboards the README shows. */
const README_DASHBOARDS = ['otelrum-web-overview', 'otelrum-web-errors'];
async function documented(what: Locator, path: string): Promise<void> {
  if (UPDATE_SCREENSHOTS) await what.screenshot({ path: join(ROOT, path), animations: 'disabled' });
}

const APP_ID = 'shop';
const VISITS = 6;
const DIST = join(__dirname, '..', '..', 'plugins', 'dist');

let server: TestServer;
let shop: Shop;
let browser: Browser;
let host: GrafanaHost;
let page: Page;
let fromMs: number;
let toMs: number;

type Frame = { name?: string; fields: Array<{ name: string; values: unknown[] }> };
type Result = { frames: Frame[]; errors: Array<{ message: string }> };

const hostCall = <T>(name: string, ...args: unknown[]): Promise<T> =>
  page.evaluate(
    ([n, a]) =>
      (window as never as { __host: Record<string, (...x: unknown[]) => Promise<unknown>> }).__host[
        n as string
      ]!(...(a as unknown[])),
    [name, args] as const,
  ) as Promise<T>;

const setVariables = (vars: Array<{ name: string; value: string | string[]; multi?: boolean }>) =>
  page.evaluate(
    (v) => (window as never as { __host: { setVariables: (v: unknown) => void } }).__host.setVariables(v),
    vars,
  );

/** A recorded session, for the session dashboard's variable. */
let recorded: string;

/** Every variable at "All", as the bundled dashboards open, the application and a session chosen. */
const all = () => [
  { name: 'app', value: APP_ID },
  { name: 'env', value: ['$__all'], multi: true },
  { name: 'version', value: ['$__all'], multi: true },
  { name: 'page', value: ['$__all'], multi: true },
  { name: 'session', value: recorded },
];

const rows = (r: Result) => r.frames.reduce((n, f) => n + (f.fields[0]?.values.length ?? 0), 0);

beforeAll(async () => {
  server = await startTestServer({ apps: [APP_ID], demo: false });
  const res = await apiFetch(server.url, '/api/v1/tokens', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'grafana', role: 'read' }),
  });
  const readToken = (await res.json()).token as string;
  shop = await startShop({ appId: APP_ID, endpoint: server.url });
  browser = await launchChromium();
  fromMs = Date.now() - 60_000;
  await runVisits(browser, shop.url, VISITS);
  // Stored: every visit's views, its vitals (sent at page hide), long tasks and the failed checkouts.
  await eventually(async () => {
    const q = (path: string) =>
      getJson(server.url, `/api/v1/${path}${path.includes('?') ? '&' : '?'}app_id=${APP_ID}&limit=1000`);
    const [sessions, vitals, tasks, errors] = await Promise.all([
      q('sessions'),
      q('web-vitals'),
      q('long-tasks'),
      q('errors'),
    ]);
    const names = new Set(vitals.items.map((v: { type: string }) => v.type));
    const ready =
      sessions.items.length === VISITS &&
      sessions.items.some((x: { hasReplay: boolean }) => x.hasReplay) &&
      ['lcp', 'inp', 'cls', 'fcp', 'ttfb'].every((n) => names.has(n)) &&
      tasks.items.length > 0 &&
      errors.items.length > 0;
    if (!ready)
      throw new Error(
        `stored so far: ${sessions.items.length} sessions, vitals ${[...names].join(',')}, ${tasks.items.length} long tasks, ${errors.items.length} errors`,
      );
    return true;
  }, 60_000);
  toMs = Date.now() + 60_000;
  recorded = (
    await getJson(
      server.url,
      `/api/v1/sessions?app_id=${APP_ID}&filter=${encodeURIComponent('has_replay = true')}&limit=1`,
    )
  ).items[0].sessionId;
  host = await startGrafanaHost({
    pluginDist: [DIST],
    settingsFile: join(mkdtempSync(join(tmpdir(), 'grafana-host-')), 'datasources.json'),
    dataSources: [
      {
        uid: 'rum',
        name: 'otel-rum',
        type: 'otelrum-rum-datasource',
        jsonData: { serverUrl: server.url },
        secureJsonData: { apiToken: readToken },
      },
    ],
  });
  page = await openHost(browser, host.url);
}, 240_000);

afterAll(async () => {
  await page?.close();
  await browser?.close();
  await host?.close();
  await shop?.close();
  await server?.close();
});

/**
 * The web dashboards as built into the app plugin (the demo shop's traffic is a web app's; the mobile
 * and mini-program dashboards are run against native apps' data in tests/sources/native-apps.test.ts).
 */
const webDashboards = readdirSync(join(DIST, 'dashboards'))
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(join(DIST, 'dashboards', f), 'utf8')) as Dashboard)
  .filter((d) => JSON.stringify(d.panels).includes('"otelrum-rum-datasource"') && d.tags?.includes('web'));

it('finds the six web dashboards in the built app', () => {
  expect(webDashboards.map((d) => d.uid).sort()).toEqual([
    'otelrum-web-errors',
    'otelrum-web-overview',
    'otelrum-web-performance',
    'otelrum-web-resources',
    'otelrum-web-session',
    'otelrum-web-users',
  ]);
});

describe.each(webDashboards.map((d) => [d.title!, d] as const))('%s', (_title, d: Dashboard) => {
  it('lists values for each of its variables', async () => {
    await setVariables(all());
    for (const v of (d.templating?.list ?? []) as VariableModel[]) {
      if (v.type !== 'query') continue;
      const frames = await hostCall<Frame[]>('variableValues', 'rum', v.query, fromMs, toMs);
      const values = frames[0]!.fields.find((f) => f.name === 'value')!.values;
      expect({ variable: v.name, values: values.length > 0 }).toEqual({ variable: v.name, values: true });
    }
  });

  it('has data in every panel, every variable at All', async () => {
    await setVariables(all());
    const empty: string[] = [];
    for (const p of (d.panels ?? []) as Panel[]) {
      const r = await hostCall<Result>('query', 'rum', p.targets, fromMs, toMs);
      expect({ panel: p.title, errors: r.errors }).toEqual({ panel: p.title, errors: [] });
      if (rows(r) === 0) empty.push(p.title!);
    }
    expect(empty).toEqual([]);
  });

  it('draws every panel with data, laid out as in Grafana', async () => {
    await setVariables(all());
    const drawn = await hostCall<Array<{ title: string; rows: number; errors: string[] }>>(
      'renderDashboard',
      d,
      'rum',
      fromMs,
      toMs,
    );
    expect(drawn.filter((p) => p.errors.length || p.rows === 0)).toEqual([]);
    await page.locator('[data-testid="dashboard"]').waitFor();
    await page.waitForTimeout(500);
    await screenshot(page, `dashboard-${d.uid}`);
    expect(await page.locator('[data-testid="dashboard-panel"]').count()).toBe(d.panels!.length);
    expect(await page.locator('[data-testid="dashboard-nodata"]').count()).toBe(0);
    // Each panel drew (a panel that throws shows Grafana's error alert in place of its body).
    expect(await page.locator('[data-testid="dashboard-panel-body"]').count()).toBe(d.panels!.length);
    if (README_DASHBOARDS.includes(d.uid!))
      await documented(page.locator('[data-testid="dashboard"]'), `docs/screenshots/${d.uid}.png`);
  });

  it('narrows every panel to one environment, version and page without errors', async () => {
    await setVariables([
      { name: 'app', value: APP_ID },
      { name: 'env', value: ['production'], multi: true },
      { name: 'version', value: ['2.0.0', '2.1.0'], multi: true },
      { name: 'page', value: ['/'], multi: true },
    ]);
    for (const p of (d.panels ?? []) as Panel[]) {
      const r = await hostCall<Result>('query', 'rum', p.targets, fromMs, toMs);
      expect({ panel: p.title, errors: r.errors }).toEqual({ panel: p.title, errors: [] });
    }
    // The narrowing reaches the server as filter terms.
    const sent = host.proxied
      .map((x) => (x.target ? (new URL(x.target).searchParams.get('filter') ?? '') : ''))
      .filter((t) => t.includes('env = "production"'));
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.some((t) => t.includes('version in ("2.0.0", "2.1.0")'))).toBe(true);
  });
});

describe('panels', () => {
  const vitalsTarget = { refId: 'A', queryType: 'events', kind: 'web_vital', appId: APP_ID, limit: 1000 };

  it('offers their options in the options editor', async () => {
    expect(await hostCall<string[]>('panelOptionPaths', 'otelrum-webvitals-panel')).toEqual([
      'SliderInput:percentile',
      'Select:groupBy',
      'MultiSelect:vitals',
      'BooleanSwitch:showDistribution',
      'NumberInput:maxGroups',
    ]);
    expect(await hostCall<string[]>('panelOptionPaths', 'otelrum-timeline-panel')).toEqual([
      'MultiSelect:kinds',
      'NumberInput:maxRows',
    ]);
    expect(await hostCall<string[]>('panelOptionPaths', 'otelrum-replay-panel')).toEqual([
      'TextInput:sessionId',
      'TextInput:appId',
      'Radio:speed',
      'BooleanSwitch:skipInactive',
    ]);
  });

  it.each(['dark', 'light'] as const)(
    'web vitals: p75 per page with its band, in the %s theme',
    async (theme) => {
      const themed = await openHost(browser, host.url, theme);
      const old = page;
      page = themed;
      try {
        const r = await hostCall<{ rows: number; errors: unknown[] }>(
          'renderPanel',
          'otelrum-webvitals-panel',
          'rum',
          [vitalsTarget],
          fromMs,
          toMs,
          {
            percentile: 75,
            groupBy: 'path',
            vitals: ['lcp', 'inp', 'cls', 'fcp', 'ttfb'],
            showDistribution: true,
            maxGroups: 20,
          },
        );
        expect(r.errors).toEqual([]);
        expect(r.rows).toBeGreaterThan(0);
        await page.locator('[data-testid="webvitals-panel"]').waitFor();
        const groups = await page.locator('[data-testid="webvitals-panel"] tbody th').allTextContents();
        expect(groups[0]).toBe('All');
        expect(groups).toEqual(expect.arrayContaining(['/']));
        // Every vital measured has a value and a rating in the total row; INP reflects the busy click.
        for (const v of ['lcp', 'inp', 'cls', 'fcp', 'ttfb']) {
          const cell = page.locator(
            `[data-testid="webvitals-panel"] tbody tr:first-child td[data-vital="${v}"]`,
          );
          expect(await cell.getAttribute('data-rating')).toMatch(/^(good|needs-improvement|poor)$/);
        }
        const inp = page.locator('[data-testid="webvitals-panel"] tbody tr:first-child td[data-vital="inp"]');
        expect(await inp.getAttribute('data-rating')).not.toBe('good');
        expect(await inp.getAttribute('title')).toMatch(
          /over \d+ page views: good \d+%, needs improvement \d+%, poor \d+%/,
        );
        const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
        expect(bg).toBe(theme === 'dark' ? 'rgb(17, 18, 23)' : 'rgb(251, 251, 251)');
        await screenshot(page, `panel-webvitals-${theme}`);
        if (theme === 'dark')
          await documented(
            page.locator('[data-testid="panel-box"]'),
            'plugins/src/panels/webvitals/img/screenshot-webvitals.png',
          );
      } finally {
        page = old;
        await themed.close();
      }
    },
  );

  it('web vitals: says when there is no data, and what is wrong with other frames', async () => {
    await hostCall(
      'renderPanel',
      'otelrum-webvitals-panel',
      'rum',
      [{ ...vitalsTarget, filter: 'path = "/nowhere"', editorMode: 'code' }],
      fromMs,
      toMs,
      {
        percentile: 75,
        groupBy: 'path',
        vitals: ['lcp'],
      },
    );
    expect(await page.locator('[data-testid="webvitals-empty"]').textContent()).toBe(
      'No web vitals in this time range',
    );
    await hostCall(
      'renderPanel',
      'otelrum-webvitals-panel',
      'rum',
      [{ refId: 'A', queryType: 'timeseries', kind: 'view', appId: APP_ID }],
      fromMs,
      toMs,
      {
        percentile: 75,
        groupBy: 'path',
        vitals: ['lcp'],
      },
    );
    expect(await page.locator('[data-testid="webvitals-error"]').textContent()).toContain(
      'Events with the kind Web vitals',
    );
    await hostCall(
      'renderPanel',
      'otelrum-webvitals-panel',
      'rum',
      [{ ...vitalsTarget, filter: 'brwoser = "x"', editorMode: 'code' }],
      fromMs,
      toMs,
      {
        percentile: 75,
        groupBy: 'path',
        vitals: ['lcp'],
      },
    );
    expect(await page.locator('[data-testid="webvitals-error"]').textContent()).toContain(
      "unknown field 'brwoser'",
    );
    await screenshot(page, 'panel-webvitals-error');
  });

  it('session timeline: a session as a waterfall with trace links, from the events of each kind', async () => {
    const sessions = await getJson(server.url, `/api/v1/sessions?app_id=${APP_ID}&limit=100`);
    const withError = sessions.items.find((s: { errorCount: number }) => s.errorCount > 0);
    const filter = `session = "${withError.sessionId}"`;
    const targets = ['view', 'action', 'resource', 'error', 'long_task'].map((kind, i) => ({
      refId: String.fromCharCode(65 + i),
      queryType: 'events',
      kind,
      appId: APP_ID,
      editorMode: 'code',
      filter,
      limit: 1000,
    }));
    const r = await hostCall<{ rows: number; errors: unknown[] }>(
      'renderPanel',
      'otelrum-timeline-panel',
      'rum',
      targets,
      fromMs,
      toMs,
      {
        kinds: [],
        maxRows: 500,
      },
    );
    expect(r.errors).toEqual([]);
    await page.locator('[data-testid="timeline-panel"]').waitFor();
    const kinds = await page
      .locator('[data-testid="timeline-panel"] [data-kind]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
    expect(kinds.length).toBe(r.rows);
    expect(new Set(kinds)).toEqual(new Set(['view', 'action', 'resource', 'error', 'long_task']));
    // Rows in time order, and the fetch resources link to their trace.
    const text = await page.locator('[data-testid="timeline-panel"]').textContent();
    expect(text).toContain('/api/checkout 503');
    expect(
      await page.locator('[data-testid="timeline-panel"] [data-kind="resource"] a').count(),
    ).toBeGreaterThan(0);
    await screenshot(page, 'panel-timeline');
    await documented(
      page.locator('[data-testid="panel-box"]'),
      'plugins/src/panels/timeline/img/screenshot-timeline.png',
    );
    // The session timeline query (logs frame) draws the same session.
    await hostCall(
      'renderPanel',
      'otelrum-timeline-panel',
      'rum',
      [{ refId: 'A', queryType: 'timeline', sessionId: withError.sessionId, appId: APP_ID }],
      fromMs,
      toMs,
      {
        kinds: ['error'],
        maxRows: 500,
      },
    );
    expect(await page.locator('[data-testid="timeline-panel"] [data-kind]').count()).toBe(
      withError.errorCount,
    );
    await hostCall(
      'renderPanel',
      'otelrum-timeline-panel',
      'rum',
      [{ ...targets[0]!, filter: 'session = "none"' }],
      fromMs,
      toMs,
      {
        kinds: [],
        maxRows: 500,
      },
    );
    expect(await page.locator('[data-testid="timeline-empty"]').count()).toBe(1);
  });

  it('session replay: plays the recording of the first session the query returns, masked, with markers', async () => {
    const r = await hostCall<{ rows: number; errors: unknown[] }>(
      'renderPanel',
      'otelrum-replay-panel',
      'rum',
      [
        {
          refId: 'A',
          queryType: 'events',
          kind: 'session',
          appId: APP_ID,
          filters: [{ field: 'has_replay', op: '=', value: 'true' }],
          limit: 1,
        },
      ],
      fromMs,
      toMs,
      { sessionId: '', appId: '', speed: 8, skipInactive: true },
      { width: 1100, height: 700 },
    );
    expect(r.errors).toEqual([]);
    expect(r.rows).toBe(1);
    const panel = page.locator('[data-testid="replay-panel"]');
    await page.waitForSelector('[data-testid="replay-panel"][data-status="ready"]', { timeout: 20_000 });
    // Markers of the session's errors, actions and page changes, on the player's time line.
    await page.locator('[data-marker="error"]').first().waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-marker="action"]').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-marker="view"]').count()).toBeGreaterThan(0);
    // Seek to the failed checkout: the player rebuilds the product page as the user saw it.
    await page.locator('[data-marker="error"]').first().click();
    const frame = page.frameLocator('[data-testid="replay-stage"] iframe');
    await frame.locator('#gift').waitFor({ timeout: 10_000 });
    // (Its text as the SDK's privacy level recorded it: shown, or masked letter for letter.)
    expect(await frame.locator('#title').textContent()).toMatch(/^(A \w+|Your cart|A \*+|\*+ \*+)$/);
    expect(await frame.locator('#checkout').count()).toBe(1);
    // The gift message was typed into an input, which replay masks at record time: it is nowhere.
    const typed = await frame.locator('#gift').inputValue();
    expect(typed).not.toContain('secret');
    const rebuilt = await page.evaluate(() => {
      const doc = document.querySelector<HTMLIFrameElement>(
        '[data-testid="replay-stage"] iframe',
      )!.contentDocument!;
      const values = [...doc.querySelectorAll('input')].map((i) => i.value).join(' ');
      return `${document.documentElement.outerHTML} ${doc.documentElement.outerHTML} ${values}`;
    });
    expect(rebuilt).not.toContain(GIFT_MESSAGE);
    expect(rebuilt).not.toContain('4711');
    // Played from the first page change on, the clock under the player moves.
    await page.locator('[data-marker="view"]').first().dispatchEvent('click');
    const before = await panel.getByTestId('replay-clock').textContent();
    await page.getByRole('button', { name: 'Play' }).click();
    await page.waitForTimeout(600);
    expect(await panel.getByTestId('replay-clock').textContent()).not.toBe(before);
    await screenshot(page, 'panel-replay');
    await documented(
      page.locator('[data-testid="panel-box"]'),
      'plugins/src/panels/replay/img/screenshot-replay.png',
    );
    // Played to the end, the control offers to play it again (not "Pause"), the clock at the end.
    const control = panel.locator('button[data-state]');
    await page.waitForSelector('[data-testid="replay-panel"] button[data-state="ended"]', {
      timeout: 30_000,
    });
    expect((await control.textContent())?.trim()).toBe('Replay');
    const clock = async () =>
      ((await panel.getByTestId('replay-clock').textContent()) ?? '').split(' / ').map(parseFloat);
    const [atEnd, total] = await clock();
    expect(atEnd).toBe(total);
    await screenshot(page, 'panel-replay-ended');
    // Replay starts over from the beginning.
    await control.click();
    expect(await control.getAttribute('data-state')).toBe('playing');
    expect((await control.textContent())?.trim()).toBe('Pause');
    expect((await clock())[0]).toBeLessThan(total!);
  });

  it('session replay: says when a session has no recording, and when none is chosen', async () => {
    const sessions = await getJson(server.url, `/api/v1/sessions?app_id=${APP_ID}&limit=100`);
    const without = sessions.items.find((s: { hasReplay: boolean }) => !s.hasReplay);
    await hostCall(
      'renderPanel',
      'otelrum-replay-panel',
      'rum',
      [{ refId: 'A', queryType: 'events', kind: 'session', appId: APP_ID, limit: 1 }],
      fromMs,
      toMs,
      {
        sessionId: without.sessionId,
        appId: APP_ID,
        speed: 1,
        skipInactive: true,
      },
    );
    await page.waitForSelector('[data-testid="replay-panel"][data-status="empty"]');
    expect(await page.locator('[data-testid="replay-empty"]').textContent()).toBe(
      `Session ${without.sessionId} has no recording`,
    );
    await hostCall(
      'renderPanel',
      'otelrum-replay-panel',
      'rum',
      [
        {
          refId: 'A',
          queryType: 'events',
          kind: 'session',
          appId: APP_ID,
          filter: 'session = "none"',
          editorMode: 'code',
        },
      ],
      fromMs,
      toMs,
      {
        sessionId: '',
        appId: '',
        speed: 1,
        skipInactive: true,
      },
    );
    expect(await page.locator('[data-testid="replay-empty"]').textContent()).toContain('Choose a session');
  });
});
