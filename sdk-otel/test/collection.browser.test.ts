import { EventName } from '@otel-rum/model';
import { sdkPage } from './support/pages';
import { useBrowserHarness } from './support/harness';

jest.setTimeout(30_000);

describe('sdk-otel in Chromium: what it collects', () => {
  const h = useBrowserHarness();

  it.each([
    ['the Navigation API', '{}'],
    // Browsers without the Navigation API: pushState/replaceState wrapped, popstate and hashchange.
    ['History API wrappers where the Navigation API is missing', '(delete window.navigation, {})'],
  ])(
    'starts a view per SPA route change (History API and hash routes) with the same session, through %s',
    async (_how, code) => {
      h.backend.serve('/app', sdkPage(h.options(), '<a id="anchor" href="#section">anchor</a>', '', code));
      await h.page.goto(`${h.backend.url}/app`);
      await h.page.evaluate(() => {
        history.pushState({}, '', '/app/users/42?tab=1');
        history.replaceState({}, '', '/app/users/42?tab=2'); // same path: not a new view
        location.hash = '#/settings'; // hash route: a new view
      });
      await h.page.click('#anchor'); // in-page anchor: not a new view
      await h.page.goBack(); // back to #/settings
      await h.page.goBack(); // popstate back to /app/users/42?tab=2
      const starts = await h.backend.waitFor(() => {
        const s = h.named(EventName.VIEW).filter((v) => !('rum.view.ended' in v.attributes));
        return s.length >= 4 && s;
      });
      const paths = starts.map((v) => [v.attributes['rum.view.loading_type'], v.attributes['url.full']]);
      expect(paths).toEqual([
        ['initial_load', `${h.backend.url}/app`],
        ['route_change', `${h.backend.url}/app/users/42?tab=1`],
        ['route_change', `${h.backend.url}/app/users/42?tab=2#/settings`],
        ['route_change', `${h.backend.url}/app/users/42?tab=2`],
      ]);
      const ended = await h.backend.waitFor(() => {
        const e = h.named(EventName.VIEW).filter((v) => v.attributes['rum.view.ended'] === true);
        return e.length >= 3 && e;
      });
      expect(ended[0]!.attributes['rum.view.id']).toBe(starts[0]!.attributes['rum.view.id']);
      expect(ended[0]!.attributes['rum.view.referrer']).toBeUndefined();
      expect(starts[1]!.attributes['rum.view.referrer']).toBe(`${h.backend.url}/app`);
      expect(new Set(starts.map((s) => s.attributes['session.id'])).size).toBe(1);
    },
  );

  it('measures the loading time of a route change until the page settled', async () => {
    h.backend.route('/api/slow', (_req, res) => setTimeout(() => res.writeHead(200).end('[1,2,3]'), 300));
    h.backend.serve(
      '/spa',
      sdkPage(
        h.options(),
        '<button id="go">Products</button><ul id="list"></ul>',
        `document.addEventListener('click', function () {
           history.pushState({}, '', '/spa/products');
           fetch('/api/slow').then((r) => r.json()).then((items) => {
             items.forEach((i) => { const li = document.createElement('li'); li.textContent = 'item ' + i; document.getElementById('list').append(li); });
           });
         });`,
      ),
    );
    await h.page.goto(`${h.backend.url}/spa`);
    await h.page.waitForTimeout(300);
    await h.page.click('#go');
    await h.page.waitForTimeout(800);
    await h.page.goto('about:blank');
    const views = await h.backend.waitFor(() => {
      const ended = h.named(EventName.VIEW).filter((v) => v.attributes['rum.view.ended'] === true);
      return ended.length >= 2 && ended;
    });
    const initial = views.find((v) => v.attributes['rum.view.loading_type'] === 'initial_load')!;
    const route = views.find((v) => v.attributes['rum.view.loading_type'] === 'route_change')!;
    // The initial load lasted at least until the end of the load event (epoch arithmetic: 1 µs slack).
    expect(initial.attributes['rum.view.loading_time_ms']).toBeGreaterThanOrEqual(
      (initial.attributes['rum.view.load_ms'] as number) - 0.001,
    );
    // The route change loaded when its data arrived (300 ms) and the list was rendered.
    expect(route.attributes['rum.view.loading_time_ms']).toBeGreaterThanOrEqual(300);
    expect(route.attributes['rum.view.loading_time_ms']).toBeLessThan(800);
  });

  it('names clicks (following their privacy level), links errors to them and flags rage and dead clicks', async () => {
    h.backend.serve(
      '/clicks',
      sdkPage(
        h.options(),
        `<button id="save" data-rum-action="Save profile"><span id="inner">💾</span></button>
         <button id="del" aria-label="Delete item">x</button>
         <div data-rum-privacy="allow">
           <button id="grow">Add row</button>
           <button id="dead">Does nothing</button>
           <button id="bad">Broken</button>
           <button id="mixed">Pay <b data-rum-privacy="mask">Ada Lovelace</b></button>
         </div>
         <button id="secret">Grace Hopper</button>
         <ul id="list"></ul>
         <script>
           document.getElementById('grow').onclick = () => document.getElementById('list').append(document.createElement('li'));
           document.getElementById('save').onclick = () => fetch('/api/save').then(() => document.title = 'saved');
           document.getElementById('del').onclick = () => document.getElementById('list').append('deleted');
           document.getElementById('bad').onclick = () => { throw new Error('handler failed') };
         </script>`,
      ),
    );
    h.backend.route('/api/save', (_req, res) => setTimeout(() => res.writeHead(200).end('ok'), 150));
    await h.page.goto(`${h.backend.url}/clicks`);
    // Activity during a click's action counts for every click in progress, so clicks whose outcome
    // is checked are spaced out.
    await h.page.click('#bad');
    await h.page.waitForTimeout(200);
    await h.page.click('#inner');
    await h.page.waitForTimeout(400);
    await h.page.click('#del');
    await h.page.click('#grow');
    await h.page.waitForTimeout(200);
    for (let i = 0; i < 3; i++) await h.page.click('#dead', { delay: 10 });
    await h.page.waitForTimeout(1100);
    await h.page.click('#secret');
    await h.page.click('#mixed');
    await h.page.evaluate(() =>
      (window as unknown as { OtelRum: { addAction(n: string, a: object): void } }).OtelRum.addAction(
        'checkout',
        { cart_size: 3 },
      ),
    );
    const actions = await h.backend.waitFor(() => {
      const a = h.named(EventName.ACTION);
      return a.length >= 10 && a;
    });
    const byName = (n: string) => actions.filter((a) => a.attributes['rum.action.name'] === n);
    const save = byName('Save profile')[0]!;
    expect(save.attributes).toMatchObject({ 'rum.action.type': 'click', 'rum.action.target': '#save' });
    // The action lasted until the fetch answered (150 ms) and the DOM changed.
    expect(save.attributes['rum.action.duration_ms']).toBeGreaterThanOrEqual(140);
    expect(save.attributes['rum.action.frustration']).toBeUndefined();
    expect(byName('Delete item')).toHaveLength(1);
    expect(byName('Add row')[0]!.attributes['rum.action.frustration']).toBeUndefined();
    const broken = byName('Broken')[0]!;
    expect(broken.attributes['rum.action.frustration']).toEqual(['error', 'dead']);
    const error = h
      .named(EventName.EXCEPTION)
      .find((e) => e.attributes['exception.message'] === 'handler failed')!;
    expect(error.attributes['rum.action.id']).toBe(broken.attributes['rum.action.id']);
    const dead = byName('Does nothing');
    expect(dead.map((d) => d.attributes['rum.action.frustration'])).toEqual([
      ['dead'],
      ['dead'],
      ['rage', 'dead'],
    ]);
    // At the default level (mask) a button's text is not its name, unless an element allows it; a
    // masked part inside an allowed element masks the whole text.
    expect(byName('button#secret')).toHaveLength(1);
    expect(byName('button#mixed')).toHaveLength(1);
    expect(JSON.stringify(actions)).not.toMatch(/Grace Hopper|Ada Lovelace/);
    const custom = byName('checkout')[0]!;
    expect(custom.attributes).toMatchObject({ 'rum.action.type': 'custom', cart_size: 3 });
    // The fetch made by the click is a child of the action.
    const span = await h.backend.waitFor(() =>
      h.backend.spans().find((s) => String(s.attributes['url.full']).endsWith('/api/save')),
    );
    expect(span.attributes['rum.action.id']).toBe(save.attributes['rum.action.id']);
  });

  it('reports resources with phases and sizes, the document linked to its Server-Timing trace', async () => {
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    h.backend.route('/doc', (_req, res) => {
      res.writeHead(200, {
        'Content-Type': 'text/html',
        'Server-Timing': `traceparent;desc="${traceparent}"`,
      });
      res.end(sdkPage(h.options(), '<img src="/pixel.svg">'));
    });
    h.backend.serve(
      '/pixel.svg',
      '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>',
      'image/svg+xml',
    );
    h.backend.route('/api/data', (_req, res) => res.writeHead(404).end('missing'));
    await h.page.goto(`${h.backend.url}/doc`);
    await h.page.evaluate(() => fetch('/api/data'));
    const resources = await h.backend.waitFor(() => {
      const r = h.named(EventName.RESOURCE);
      const types = new Set(r.map((e) => e.attributes['rum.resource.type']));
      return types.has('document') && types.has('image') && types.has('fetch') && types.has('js') && r;
    });
    const img = resources.find((r) => r.attributes['rum.resource.type'] === 'image')!;
    expect(img.attributes).toMatchObject({
      'url.full': `${h.backend.url}/pixel.svg`,
      'rum.resource.initiator': 'img',
    });
    for (const phase of ['dns_ms', 'connect_ms', 'first_byte_ms', 'download_ms', 'duration_ms'])
      expect(typeof img.attributes[`rum.resource.${phase}`]).toBe('number');
    expect(img.attributes['rum.resource.decoded_size']).toBeGreaterThan(0);
    const doc = resources.find((r) => r.attributes['rum.resource.type'] === 'document')!;
    expect(doc.traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(doc.spanId).toBe('b7ad6b7169203331');
    const view = h.named(EventName.VIEW)[0]!;
    expect(view.traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    const fetched = resources.find((r) => r.attributes['rum.resource.type'] === 'fetch')!;
    expect(fetched.attributes['http.response.status_code']).toBe(404);
    expect(fetched.spanId).toMatch(/^[0-9a-f]{16}$/);
    const span = await h.backend.waitFor(() => h.backend.spans().find((s) => s.spanId === fetched.spanId));
    expect(span.traceId).toBe(fetched.traceId);
    // The SDK's own requests are not resources.
    expect(resources.some((r) => String(r.attributes['url.full']).includes('/v1/'))).toBe(false);
  });

  it('reports web vitals with rating and target, long animation frames with their script', async () => {
    h.backend.serve(
      '/vitals',
      sdkPage(
        h.options(),
        `<h1 id="hero" style="font-size:64px">Big headline</h1><div id="shifty" style="height:10px"></div>
         <button id="slow">slow</button>
         <script>
           document.getElementById('slow').onclick = function slowHandler() { const t = performance.now(); while (performance.now() - t < 300); };
           setTimeout(() => { document.getElementById('shifty').style.height = '300px'; }, 300);
         </script>`,
      ),
    );
    await h.page.goto(`${h.backend.url}/vitals`);
    await h.page.waitForTimeout(600);
    await h.page.click('#slow');
    await h.page.waitForTimeout(300);
    await h.page.goto('about:blank');
    const vitals = await h.backend.waitFor(() => {
      const v = h.named(EventName.WEB_VITAL);
      const names = new Set(v.map((e) => e.attributes['browser.web_vital.name']));
      return ['ttfb', 'fcp', 'lcp', 'inp', 'cls'].every((n) => names.has(n)) && v;
    });
    const get = (n: string) => vitals.find((v) => v.attributes['browser.web_vital.name'] === n)!.attributes;
    expect(get('inp')['browser.web_vital.value']).toBeGreaterThanOrEqual(250);
    expect(get('inp')['browser.web_vital.rating']).not.toBe('good');
    expect(get('inp')['rum.web_vital.target']).toBe('#slow');
    expect(get('lcp')['rum.web_vital.target']).toBe('#hero');
    expect(get('cls')['browser.web_vital.value']).toBeGreaterThan(0);
    expect(get('fcp')['browser.web_vital.navigation_type']).toBe('navigate');
    expect(String(get('lcp')['browser.web_vital.id'])).toMatch(/^lcp-/);
    const view = h.named(EventName.VIEW).find((v) => v.attributes['rum.view.ended'])!;
    expect(view.attributes['rum.view.inp_ms']).toBeGreaterThanOrEqual(250);
    expect(view.attributes['rum.view.lcp_ms']).toBeGreaterThan(0);
    expect(view.attributes['rum.view.fcp_ms']).toBeGreaterThan(0);
    expect(view.attributes['rum.view.load_ms']).toBeGreaterThan(0);
    expect(view.attributes['rum.view.long_task_count']).toBeGreaterThanOrEqual(1);
    // The frame of the slow click handler, attributed to it.
    const task = h
      .named(EventName.LONG_TASK)
      .find((t) => String(t.attributes['rum.long_task.script']).includes('slowHandler'))!;
    expect(task.attributes['rum.long_task.type']).toBe('long-animation-frame');
    expect(task.attributes['rum.long_task.duration_ms']).toBeGreaterThanOrEqual(250);
    expect(String(task.attributes['rum.long_task.script'])).toMatch(/^BUTTON#slow\.onclick/);
  });
});
