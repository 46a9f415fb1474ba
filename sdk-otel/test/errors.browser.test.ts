import { EventName } from '@otel-rum/model';
import { useBrowserHarness } from './support/harness';
import { sdkPage } from './support/pages';

jest.setTimeout(30_000);

type Api = { OtelRum: Record<string, (...a: unknown[]) => unknown> };

describe('sdk-otel in Chromium: errors and views beyond the basics', () => {
  const h = useBrowserHarness({ bfcache: true });
  const errors = () => h.named(EventName.EXCEPTION);

  it('reports console.error, failed resource loads and CSP violations; ignores and dedupes', async () => {
    h.backend.route('/csp', (_req, res) => {
      res.writeHead(200, {
        'Content-Type': 'text/html',
        'Content-Security-Policy': `img-src 'self'; script-src 'self' 'unsafe-inline'`,
      });
      res.end(
        sdkPage(
          h.options(),
          '<img id="broken" src="/missing.png"><img src="https://blocked.example.com/x.png">',
          `console.error('checkout failed', { code: 42 });
           console.error(new TypeError('bad state'));
           for (let i = 0; i < 3; i++) setTimeout(() => { throw new Error('same again') }, 0);
           setTimeout(() => { throw new Error('ResizeObserver loop completed with undelivered notifications') }, 0);`,
          '{ ignoreErrors: [/ResizeObserver loop/] }',
        ),
      );
    });
    await h.page.goto(`${h.backend.url}/csp`);
    const all = await h.backend.waitFor(() => {
      const e = errors();
      const sources = new Set(e.map((x) => x.attributes['rum.error.source']));
      const missing = e.some((x) => String(x.attributes['exception.message']).endsWith('/missing.png'));
      return sources.has('console') && missing && sources.has('csp') && sources.has('uncaught') && e;
    });
    const bySource = (s: string) => all.filter((e) => e.attributes['rum.error.source'] === s);
    expect(bySource('console').map((e) => e.attributes['exception.message'])).toEqual([
      'checkout failed {"code":42}',
      'TypeError: bad state',
    ]);
    expect(bySource('console')[1]!.attributes['exception.type']).toBe('TypeError');
    expect(bySource('console')[0]!.attributes['rum.error.handled']).toBe(true);
    // The missing image, and the one CSP blocked (it fails to load too), in either order.
    expect(bySource('resource').map((e) => e.attributes['exception.message'])).toEqual(
      expect.arrayContaining([`Failed to load img ${h.backend.url}/missing.png`]),
    );
    expect(bySource('csp')[0]!.attributes['exception.message']).toBe(
      "'img-src' blocked https://blocked.example.com/x.png",
    );
    // Three identical uncaught errors in a row are one; the ignored one is not sent.
    await h.page.waitForTimeout(300);
    const uncaught = bySource('uncaught').map((e) => e.attributes['exception.message']);
    expect(uncaught).toEqual(['same again']);
  });

  it('sends addError with fingerprint and attributes, and user and global attributes on every event', async () => {
    h.backend.serve('/ctx', sdkPage(h.options({ user: { id: 'u-7', roles: ['admin'] } })));
    await h.page.goto(`${h.backend.url}/ctx`);
    await h.page.evaluate(() => {
      const rum = (window as unknown as Api).OtelRum;
      rum.setGlobalAttributes!({ tenant: 'acme', plan: 'pro' });
      rum.addError!(new Error('payment declined'), {
        fingerprint: 'payment-declined',
        attributes: { amount: 12.5 },
      });
      rum.setUser!({ hash: 'c0ffee' });
      rum.addAction!('after-user-change');
    });
    const error = await h.backend.waitFor(() => errors()[0]);
    expect(error.attributes).toMatchObject({
      'rum.error.source': 'custom',
      'rum.error.handled': true,
      'rum.error.fingerprint': 'payment-declined',
      amount: 12.5,
      tenant: 'acme',
      plan: 'pro',
      'user.id': 'u-7',
      'user.roles': ['admin'],
    });
    const action = await h.backend.waitFor(() => h.named(EventName.ACTION)[0]);
    expect(action.attributes['user.hash']).toBe('c0ffee');
    expect(action.attributes['user.id']).toBeUndefined();
    expect(action.attributes.tenant).toBe('acme');
  });

  it('starts views by hand, and a bf_cache view when the page comes back from the back/forward cache', async () => {
    const manual = sdkPage(h.options({ trackViewsManually: true }));
    h.backend.serve('/manual', manual, 'text/html', true);
    h.backend.serve('/manual/step-2', manual, 'text/html', true);
    h.backend.serve('/away', '<!doctype html><title>away</title>', 'text/html', true);
    await h.page.goto(`${h.backend.url}/manual`);
    await h.page.evaluate(() => {
      history.pushState({}, '', '/manual/step-2'); // not a view: manual mode
      (window as unknown as Api).OtelRum.startView!('Checkout step 2');
    });
    await h.page.goto(`${h.backend.url}/away`);
    // Restored from the back/forward cache: no load event, so wait only for the commit.
    await h.page.goBack({ waitUntil: 'commit' });
    const views = await h.backend.waitFor(() => {
      const starts = h.named(EventName.VIEW).filter((v) => !('rum.view.ended' in v.attributes));
      return starts.length >= 3 && starts;
    });
    expect(views.map((v) => [v.attributes['rum.view.loading_type'], v.attributes['rum.view.name']])).toEqual([
      ['initial_load', '/manual'],
      ['route_change', 'Checkout step 2'],
      ['bf_cache', '/manual/step-2'],
    ]);
    expect(new Set(views.map((v) => v.attributes['session.id'])).size).toBe(1);
  });

  it('renews an expired session: session.end, session.start with session.previous_id, a new view', async () => {
    h.backend.serve('/short', sdkPage(h.options({ sessionIdleTimeoutMs: 1000 })));
    await h.page.goto(`${h.backend.url}/short`);
    const first = await h.backend.waitFor(() => h.named(EventName.SESSION_START)[0]);
    await h.page.waitForTimeout(1600);
    await h.page.evaluate(() => (window as unknown as Api).OtelRum.addAction!('after-idle'));
    const action = await h.backend.waitFor(() => h.named(EventName.ACTION)[0]);
    const starts = await h.backend.waitFor(
      () => h.named(EventName.SESSION_START).length >= 2 && h.named(EventName.SESSION_START),
    );
    const end = h.named(EventName.SESSION_END)[0]!;
    const oldId = first.attributes['session.id'];
    expect(end.attributes['session.id']).toBe(oldId);
    expect(starts[1]!.attributes['session.previous_id']).toBe(oldId);
    expect(action.attributes['session.id']).toBe(starts[1]!.attributes['session.id']);
    // The old view ended in the old session; the action belongs to a new view of the new session.
    const views = h.named(EventName.VIEW);
    const oldView = views.find(
      (v) => v.attributes['session.id'] === oldId && v.attributes['rum.view.ended'] === true,
    );
    expect(oldView).toBeDefined();
    expect(action.attributes['rum.view.id']).not.toBe(oldView!.attributes['rum.view.id']);
  });
});
