import { EventName } from '@otel-rum/model';
import { useBrowserHarness } from './support/harness';
import { OtlpBackend } from './support/otlpBackend';
import { sdkPage } from './support/pages';

jest.setTimeout(30_000);

describe('sdk-otel in Chromium: sessions, views, errors over OTLP/HTTP JSON', () => {
  const h = useBrowserHarness();
  const options = () => h.options({ environment: 'test' });
  const named = h.named;
  it('starts a session, records the page view with the resource attributes of the contract', async () => {
    h.backend.serve('/shop', sdkPage(options()));
    await h.page.goto(`${h.backend.url}/shop?token=abc123&q=shoes`);
    const start = await h.backend.waitFor(() => named(EventName.SESSION_START)[0]);
    const view = (await h.backend.waitFor(() => named(EventName.VIEW)[0]))!;
    const sessionId = await h.page.evaluate(() =>
      (window as unknown as { OtelRum: { getSessionId(): string } }).OtelRum.getSessionId(),
    );

    expect(start.attributes['session.id']).toBe(sessionId);
    expect(view.attributes['session.id']).toBe(sessionId);
    expect(view.attributes['rum.view.loading_type']).toBe('initial_load');
    expect(view.attributes['rum.view.name']).toBe('/shop');
    expect(view.attributes['url.path']).toBe('/shop');
    expect(view.attributes['url.full']).toBe(`${h.backend.url}/shop?token=REDACTED&q=shoes`);
    expect(typeof view.attributes['rum.view.id']).toBe('string');
    expect(view.resource).toMatchObject({
      'rum.app.id': 'test_app',
      'service.name': 'shop',
      'service.version': '1.2.3',
      'deployment.environment.name': 'test',
      'telemetry.sdk.name': '@otel-rum/sdk-otel',
      'telemetry.sdk.language': 'webjs',
    });
    expect(view.resource['user_agent.original']).toContain('Chrome');
    expect(view.resource['browser.language']).toBeTruthy();
    expect(view.resource['browser.brands']).toBeInstanceOf(Array);
    expect(view.timeUnixNano).toMatch(/^\d{19}$/);
  });

  it('reports uncaught errors and unhandled rejections as exception events', async () => {
    h.backend.serve(
      '/errors',
      sdkPage(
        options(),
        '<button id="b" onclick="boom()">x</button>',
        `function boom(){ throw new TypeError('kaboom') }
         setTimeout(function(){ Promise.reject(new RangeError('rejected!')) }, 0);`,
      ),
    );
    await h.page.goto(`${h.backend.url}/errors`);
    await h.page.click('#b');
    const errors = await h.backend.waitFor(() => {
      const e = named(EventName.EXCEPTION);
      return e.length >= 2 && e;
    });
    const uncaught = errors.find((e) => e.attributes['exception.message'] === 'kaboom')!;
    expect(uncaught.attributes).toMatchObject({
      'exception.type': 'TypeError',
      'rum.error.source': 'uncaught',
      'rum.error.handled': false,
    });
    expect(uncaught.attributes['exception.stacktrace']).toContain('boom');
    expect(uncaught.severityNumber).toBe(17);
    const rejected = errors.find((e) => e.attributes['exception.message'] === 'rejected!')!;
    expect(rejected.attributes).toMatchObject({
      'exception.type': 'RangeError',
      'rum.error.source': 'unhandled_rejection',
    });
    const view = named(EventName.VIEW)[0]!;
    expect(uncaught.attributes['rum.view.id']).toBe(view.attributes['rum.view.id']);
  });

  it('traces fetch and XHR, injecting traceparent that the backend receives and the span matches', async () => {
    const seen: string[] = [];
    h.backend.route('/api/items', (req, res) => {
      seen.push(String(req.headers.traceparent));
      res.writeHead(req.method === 'POST' ? 503 : 200, { 'Content-Type': 'application/json' }).end('[]');
    });
    h.backend.serve('/fetching', sdkPage(options()));
    await h.page.goto(`${h.backend.url}/fetching`);
    await h.page.evaluate(async () => {
      await fetch('/api/items');
      await new Promise((resolve) => {
        const x = new XMLHttpRequest();
        x.open('POST', '/api/items');
        x.onloadend = resolve;
        x.send('{}');
      });
    });
    const spans = await h.backend.waitFor(() => h.backend.spans().length >= 2 && h.backend.spans());
    expect(seen).toHaveLength(2);
    for (const [i, header] of seen.entries()) {
      const m = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/.exec(header);
      expect(m).not.toBeNull();
      const span = spans.find((s) => s.spanId === m![2])!;
      expect(span.traceId).toBe(m![1]);
      expect(span.kind).toBe(3);
      expect(span.attributes['url.full']).toBe(`${h.backend.url}/api/items`);
      expect(span.attributes['http.request.method']).toBe(i === 0 ? 'GET' : 'POST');
      expect(span.attributes['http.response.status_code']).toBe(i === 0 ? 200 : 503);
      expect(span.status.code).toBe(i === 0 ? 0 : 2);
      expect(span.attributes['session.id']).toBeTruthy();
      expect(span.attributes['rum.view.id']).toBeTruthy();
    }
    // The SDK's own OTLP requests are neither traced nor given a traceparent.
    expect(h.backend.requests.every((r) => r.headers.traceparent === undefined)).toBe(true);
  });

  it('sends trace headers across origins only to allowed URLs (CORS preflight passes), b3 when asked', async () => {
    // Two other origins: one allowed for tracing, one not. Both answer CORS for the headers.
    const allowed = await new OtlpBackend().start();
    const other = await new OtlpBackend().start();
    try {
      const seen: Record<string, unknown>[] = [];
      for (const [name, api] of [
        ['allowed', allowed],
        ['other', other],
      ] as const)
        api.route('/api/cart', (req, res) => {
          seen.push({ name, traceparent: req.headers.traceparent, b3: req.headers.b3 });
          res.writeHead(200, { 'Access-Control-Allow-Origin': '*' }).end('{}');
        });
      h.backend.serve(
        '/cors',
        sdkPage(
          h.options({ propagators: ['tracecontext', 'b3'] }),
          '',
          '',
          `{ allowedTracingUrls: [/^${allowed.url.replace(/[.:/]/g, '\\$&')}\\/api\\//] }`,
        ),
      );
      await h.page.goto(`${h.backend.url}/cors`);
      await h.page.evaluate(
        async ([a, o]) => {
          await fetch(`${a}/api/cart`, {
            method: 'POST',
            body: '{}',
            headers: { 'Content-Type': 'application/json' },
          });
          await fetch(`${o}/api/cart`);
        },
        [allowed.url, other.url],
      );
      expect(seen).toHaveLength(2);
      const toAllowed = seen.find((s) => s.name === 'allowed')!;
      expect(toAllowed.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
      const [, traceId, spanId] = String(toAllowed.traceparent).split('-');
      expect(toAllowed.b3).toBe(`${traceId}-${spanId}-1`);
      expect(seen.find((s) => s.name === 'other')).toEqual({
        name: 'other',
        traceparent: undefined,
        b3: undefined,
      });
      // Both requests still have their spans; the propagated one has the ids the backend got.
      const spans = await h.backend.waitFor(() => h.backend.spans().length >= 2 && h.backend.spans());
      expect(spans.find((s) => s.spanId === spanId)?.traceId).toBe(traceId);
    } finally {
      await allowed.stop();
      await other.stop();
    }
  });

  it('is idempotent on init, and shutdown removes every hook until init is called again', async () => {
    const seen: string[] = [];
    h.backend.route('/api/ping', (req, res) => {
      seen.push(String(req.headers.traceparent));
      res.writeHead(200).end('pong');
    });
    h.backend.serve('/life', sdkPage(options()));
    await h.page.goto(`${h.backend.url}/life`);
    const warnings: string[] = [];
    h.page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
    const result = await h.page.evaluate(async (opts) => {
      type Rum = Record<string, (...a: unknown[]) => unknown>;
      const rum = (window as unknown as { OtelRum: Rum }).OtelRum;
      const first = rum.getSessionId!();
      rum.init!(opts); // ignored
      rum.shutdown!();
      const after = rum.getSessionId!();
      await fetch('/api/ping'); // not traced
      history.pushState({}, '', '/life/elsewhere'); // not a view
      rum.init!(opts);
      await fetch('/api/ping'); // traced again
      return { first, after, again: rum.getSessionId!() };
    }, options());
    expect(warnings.some((w) => w.includes('already initialised'))).toBe(true);
    expect(result.after).toBeUndefined();
    expect(result.again).toBe(result.first); // the same session: it lives in the cookie
    expect(seen[0]).toBe('undefined');
    expect(seen[1]).toMatch(/^00-/);
    const views = await h.backend.waitFor(() => {
      const v = h.named(EventName.VIEW).filter((x) => !('rum.view.ended' in x.attributes));
      return v.length >= 2 && v;
    });
    // The view of the second init is an initial_load view of the URL it found, not a route change.
    expect(views.map((v) => v.attributes['url.path'])).toEqual(['/life', '/life/elsewhere']);
  });

  it('sends the ended view at page hide and keeps one session across tabs', async () => {
    h.backend.serve('/a', sdkPage(options()));
    h.backend.serve('/b', sdkPage(options()));
    await h.page.goto(`${h.backend.url}/a`);
    const first = (await h.backend.waitFor(() => named(EventName.VIEW)[0]))!;
    const other = await h.context.newPage();
    await other.goto(`${h.backend.url}/b`);
    await h.page.goto('about:blank');
    const ended = await h.backend.waitFor(() =>
      named(EventName.VIEW).find(
        (v) =>
          v.attributes['rum.view.id'] === first.attributes['rum.view.id'] && v.attributes['rum.view.ended'],
      ),
    );
    expect(ended.attributes['rum.view.time_spent_ms']).toBeGreaterThan(0);
    expect(BigInt(ended.timeUnixNano)).toBeGreaterThan(BigInt(first.timeUnixNano));
    const second = await h.backend.waitFor(() =>
      named(EventName.VIEW).find((v) => v.attributes['url.path'] === '/b'),
    );
    expect(second.attributes['session.id']).toBe(first.attributes['session.id']);
    expect(named(EventName.SESSION_START)).toHaveLength(1);
    await other.close();
  });

  it('sees a session another tab wrote, without reading document.cookie (the cookie mirror)', async () => {
    h.backend.serve('/a', sdkPage(options()));
    h.backend.serve('/b', sdkPage(options()));
    await h.page.goto(`${h.backend.url}/a`);
    // Let the deferred start finish (the mirror is filled asynchronously), then count cookie reads.
    await h.backend.waitFor(() => named(EventName.SESSION_START)[0]);
    const first = await h.page.evaluate(() => {
      const w = window as unknown as { OtelRum: { getSessionId(): string }; __reads: number };
      const own = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie')!;
      w.__reads = 0;
      Object.defineProperty(document, 'cookie', {
        configurable: true,
        get: () => (w.__reads++, own.get!.call(document)),
        set: (v: string) => own.set!.call(document, v),
      });
      return w.OtelRum.getSessionId();
    });
    // Another tab of the site replaces the session cookie (as a renewal there does).
    const other = await h.context.newPage();
    await other.goto(`${h.backend.url}/b`);
    const name = 'otel_rum_' + (options() as { appId: string }).appId + '_session';
    const renewed = 'b'.repeat(32);
    await other.evaluate(
      ([n, id]) => {
        const t = Date.now().toString(36);
        document.cookie = `${n}=${id}.${t}.${t};path=/;max-age=3600;SameSite=Lax`;
      },
      [name, renewed],
    );
    // This tab re-reads the shared session after SESSION_SYNC_MS (1 s).
    await h.page.waitForTimeout(1200);
    const after = await h.page.evaluate(() => {
      const w = window as unknown as { OtelRum: { getSessionId(): string }; __reads: number };
      return { id: w.OtelRum.getSessionId(), reads: w.__reads };
    });
    expect(first).not.toBe(renewed);
    expect(after.id).toBe(renewed);
    expect(after.reads).toBe(0);
    await other.close();
  });
});
