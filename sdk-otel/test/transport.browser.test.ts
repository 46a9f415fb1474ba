import { EventName } from '@otel-rum/model';
import { useBrowserHarness } from './support/harness';
import { sdkPage } from './support/pages';

jest.setTimeout(30_000);

type Api = { OtelRum: Record<string, (...a: unknown[]) => unknown> };

describe('sdk-otel in Chromium: how it sends', () => {
  const h = useBrowserHarness();
  const actionNames = () => h.named(EventName.ACTION).map((a) => String(a.attributes['rum.action.name']));

  it('loses nothing at page hide: batched events leave in keepalive requests as the page goes away', async () => {
    h.backend.serve('/hide', sdkPage(h.options({ flushIntervalMs: 60_000 })));
    await h.page.goto(`${h.backend.url}/hide`);
    await h.page.evaluate(() => {
      const rum = (window as unknown as Api).OtelRum;
      // With what the page load collected this stays under one batch (50 events): nothing leaves early.
      for (let i = 0; i < 30; i++) rum.addAction!(`a${i}`);
      for (let i = 0; i < 5; i++) rum.addError!(new Error(`e${i}`));
    });
    // Nothing was sent yet: the batch waits for its 60 s timer.
    expect(h.backend.requests).toHaveLength(0);
    await h.page.goto('about:blank');
    await h.backend.waitFor(() => actionNames().length >= 30 && h.named(EventName.EXCEPTION).length >= 5);
    expect(new Set(actionNames()).size).toBe(30);
    expect(h.named(EventName.VIEW).some((v) => v.attributes['rum.view.ended'] === true)).toBe(true);
  });

  it('sets aside what exceeds the keepalive budget at page hide and sends it from the next page', async () => {
    h.backend.serve('/burst', sdkPage(h.options({ flushIntervalMs: 60_000, compression: false })));
    h.backend.serve('/next', sdkPage(h.options()));
    await h.page.goto(`${h.backend.url}/burst`);
    // The first full batch (48 KiB) stays in flight for 1.5 s, holding most of the 64 KiB keepalive budget.
    h.backend.script.push({ status: 200, delayMs: 1500, match: '"big' });
    await h.page.evaluate(() => {
      const rum = (window as unknown as Api).OtelRum;
      const filler = 'x'.repeat(1500);
      // 60 events of ~2.5 KB: batches of ~48 KiB; the third one is pending at page hide.
      for (let i = 0; i < 60; i++) rum.addAction!(`big${i}`, { filler });
    });
    await h.page.goto(`${h.backend.url}/next`);
    await h.backend.waitFor(() => actionNames().filter((n) => n.startsWith('big')).length >= 60, 8000);
    await new Promise((r) => setTimeout(r, 300));
    // All of them, each once.
    const big = actionNames().filter((n) => n.startsWith('big'));
    expect(big).toHaveLength(60);
    expect(new Set(big).size).toBe(60);
    // What did not fit travelled from the next page, out of the spill.
    const fromNext = h.backend.requests.filter(
      (r) => String(r.headers.referer).endsWith('/next') && JSON.stringify(r.body).includes('"big'),
    );
    expect(fromNext.length).toBeGreaterThan(0);
    const left = await h.page.evaluate(() => Object.keys(localStorage).filter((k) => k.includes('spill')));
    expect(left).toEqual([]);
  });

  it('keeps a refused request through a navigation and delivers it from the next page', async () => {
    h.backend.serve('/refused', sdkPage(h.options()));
    h.backend.serve('/after', sdkPage(h.options()));
    h.backend.script.push({ status: 503, headers: { 'Retry-After': '30' } });
    await h.page.goto(`${h.backend.url}/refused`);
    await h.backend.waitFor(() => h.backend.requests.length > 0);
    await h.page.waitForTimeout(300); // the page has seen the refusal
    await h.page.evaluate(() => (window as unknown as Api).OtelRum.addAction!('while-refused'));
    await h.page.goto(`${h.backend.url}/after`);
    await h.backend.waitFor(
      () => actionNames().includes('while-refused') && h.named(EventName.SESSION_START).length,
    );
    const delivered = h.backend.requests.filter(
      (r) => r.status === 200 && JSON.stringify(r.body).includes('while-refused'),
    );
    expect(String(delivered[0]!.headers.referer)).toMatch(/\/after$/);
    // The refused first request (session start, first view) was not lost either.
    expect(h.named(EventName.SESSION_START)).toHaveLength(1);
  });

  it('retries refused requests with backoff, honouring 429 Retry-After, then delivers them', async () => {
    h.backend.serve('/retry', sdkPage(h.options()));
    h.backend.script.push({ status: 429, headers: { 'Retry-After': '1' } }, { status: 503 });
    const started = Date.now();
    await h.page.goto(`${h.backend.url}/retry`);
    await h.page.evaluate(() => (window as unknown as Api).OtelRum.addAction!('after-refusal'));
    await h.backend.waitFor(() => actionNames().includes('after-refusal'), 10_000);
    const logs = h.backend.requests.filter((r) => r.path === '/v1/logs');
    expect(logs.map((r) => r.status).slice(0, 3)).toEqual([429, 503, 200]);
    // The refused body was resent as it was.
    expect(JSON.stringify(logs[2]!.body)).toBe(JSON.stringify(logs[0]!.body));
    // With the same Idempotency-Key on each attempt; another body has another key.
    const keys = logs.map((r) => r.headers['idempotency-key']);
    expect(keys[0]).toMatch(/^[0-9a-f]{32}$/);
    expect(keys.slice(0, 3)).toEqual([keys[0], keys[0], keys[0]]);
    expect(new Set(keys).size).toBe(logs.length - 2);
    // Retry-After: 1 was honoured before the second attempt.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(h.named(EventName.VIEW).length).toBeGreaterThanOrEqual(1);
  });

  it('speaks OTLP protobuf too, through refusal, page hide and the next page', async () => {
    const proto = { protocol: 'protobuf', allowedTracingUrls: [h.backend.url] };
    h.backend.serve('/pb', sdkPage(h.options(proto)));
    h.backend.serve('/pb-next', sdkPage(h.options(proto)));
    h.backend.route('/api/pb', (_req, res) => res.writeHead(200).end('ok'));
    h.backend.script.push({ status: 503, headers: { 'Retry-After': '30' }, match: 'pb-refused' });
    await h.page.goto(`${h.backend.url}/pb`);
    await h.page.evaluate(async () => {
      const rum = (window as unknown as Api).OtelRum;
      rum.addAction!('pb-refused', { detail: 'z'.repeat(2000) });
      await fetch('/api/pb');
    });
    await h.backend.waitFor(() => h.backend.requests.some((r) => r.status === 503));
    // Let the page see the refusal before leaving (a refusal arriving after the page is gone is lost).
    await h.page.waitForTimeout(300);
    await h.page.goto(`${h.backend.url}/pb-next`);
    await h.backend.waitFor(() => actionNames().includes('pb-refused') && h.backend.spans().length > 0);
    expect(h.backend.requests.every((r) => r.headers['content-type'] === 'application/x-protobuf')).toBe(
      true,
    );
    const span = h.backend.spans().find((s) => String(s.attributes['url.full']).endsWith('/api/pb'))!;
    expect(span.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(span.attributes['http.response.status_code']).toBe(200);
    const action = h.named(EventName.ACTION).find((a) => a.attributes['rum.action.name'] === 'pb-refused')!;
    expect(action.timeUnixNano).toMatch(/^\d{19}$/);
    expect(action.resource['rum.app.id']).toBe('test_app');
  });

  it('keeps requests made offline in IndexedDB (offlineQueue) and sends them from a later page', async () => {
    h.backend.serve('/offline', sdkPage(h.options({ offlineQueue: true })));
    await h.page.goto(`${h.backend.url}/offline`);
    await h.backend.waitFor(() => h.named(EventName.VIEW).length > 0);
    await h.context.setOffline(true);
    await h.page.evaluate(() => (window as unknown as Api).OtelRum.addAction!('made-offline'));
    // The failed request is in the offline queue.
    const queued = (page: typeof h.page) =>
      page.evaluate(
        () =>
          new Promise<number>((resolve) => {
            const open = indexedDB.open('otel_rum_test_app_logs_queue');
            open.onsuccess = () => {
              const count = open.result.transaction('requests').objectStore('requests').count();
              count.onsuccess = () => {
                open.result.close();
                resolve(count.result);
              };
            };
            open.onerror = () => resolve(0);
          }),
      );
    for (let i = 0; i < 50 && (await queued(h.page)) === 0; i++) await h.page.waitForTimeout(100);
    expect(await queued(h.page)).toBeGreaterThan(0);
    // Nothing left while the page was offline. (Once it closes, Chromium's offline emulation no
    // longer covers the requests of its end, so the action may leave then: delivery is at least once.)
    expect(actionNames()).not.toContain('made-offline');
    await h.page.close();
    await h.context.setOffline(false);
    const later = await h.context.newPage();
    await later.goto(`${h.backend.url}/offline`);
    await h.backend.waitFor(() => actionNames().includes('made-offline'));
    // The later page sent what the queue held, and emptied it. The closed page's own end may reach
    // the queue after the later page read it (an IndexedDB write of a closing page can land late on a
    // busy machine): the next load sends that too, so the check reloads before it waits, and again
    // (up to three loads) while the queue still holds a late write.
    for (let load = 0; load < 3 && (load === 0 || (await queued(later)) > 0); load++) {
      await later.reload();
      for (let i = 0; i < 50 && (await queued(later)) > 0; i++) await later.waitForTimeout(100);
    }
    expect(await queued(later)).toBe(0);
  });

  it('gzips larger requests with CompressionStream', async () => {
    h.backend.serve('/gzip', sdkPage(h.options()));
    await h.page.goto(`${h.backend.url}/gzip`);
    await h.page.evaluate(() => {
      const rum = (window as unknown as Api).OtelRum;
      for (let i = 0; i < 10; i++) rum.addAction!(`g${i}`, { detail: 'y'.repeat(200) });
    });
    await h.backend.waitFor(() => actionNames().includes('g9'));
    expect(h.backend.requests.some((r) => r.headers['content-encoding'] === 'gzip')).toBe(true);
  });

  it('sends and stores nothing before consent; granting starts, revoking stops and clears', async () => {
    h.backend.serve(
      '/consent',
      sdkPage(h.options({ trackingConsent: 'not-granted' }), '<button id="b">b</button>'),
    );
    await h.page.goto(`${h.backend.url}/consent`);
    await h.page.click('#b');
    await h.page.evaluate(() => (window as unknown as Api).OtelRum.addAction!('before-consent'));
    await h.page.waitForTimeout(500);
    expect(h.backend.requests).toHaveLength(0);
    // Everything the SDK could have stored: cookies, localStorage, IndexedDB databases.
    const storedKeys = () =>
      h.page.evaluate(async () =>
        [
          ...document.cookie.split('; ').map((c) => c.split('=')[0]!),
          ...Object.keys(localStorage),
          ...(await indexedDB.databases()).map((d) => d.name!),
        ].filter((k) => k.startsWith('otel_rum')),
      );
    expect(await storedKeys()).toEqual([]);
    expect(await h.page.evaluate(() => (window as unknown as Api).OtelRum.getSessionId!())).toBeUndefined();

    await h.page.evaluate(() => (window as unknown as Api).OtelRum.setConsent!('granted'));
    await h.backend.waitFor(() => h.named(EventName.VIEW).length && h.named(EventName.SESSION_START).length);
    expect(actionNames()).not.toContain('before-consent');
    expect(await storedKeys()).toContain('otel_rum_test_app_session');

    await h.page.evaluate(() => (window as unknown as Api).OtelRum.setConsent!('not-granted'));
    expect(await storedKeys()).toEqual([]);
    const count = h.backend.requests.length;
    await h.page.click('#b');
    await h.page.evaluate(() => (window as unknown as Api).OtelRum.addAction!('after-revoke'));
    await h.page.waitForTimeout(500);
    expect(h.backend.requests.length).toBe(count);
  });

  it('samples sessions and traces consistently, and lets beforeSend edit or drop events', async () => {
    h.backend.serve('/sampled-out', sdkPage(h.options({ sessionSampleRate: 0 })));
    await h.page.goto(`${h.backend.url}/sampled-out`);
    await h.page.evaluate(() => (window as unknown as Api).OtelRum.addError!(new Error('x')));
    await h.page.waitForTimeout(500);
    expect(h.backend.requests).toHaveLength(0);

    const headers: string[] = [];
    h.backend.route('/api/ping', (req, res) => {
      headers.push(String(req.headers.traceparent));
      res.writeHead(200).end('pong');
    });
    h.backend.serve(
      '/hooks',
      sdkPage(
        h.options({ traceSampleRate: 0 }),
        '',
        '',
        `{ beforeSend: function (e) {
            if (e.attributes['rum.action.name'] === 'secret') return false;
            if (e.name === 'rum.action') e.attributes.team = 'checkout';
        } }`,
      ),
    );
    const other = await h.context.newPage();
    await other.goto(`${h.backend.url}/hooks`);
    await other.evaluate(async () => {
      const rum = (window as unknown as Api).OtelRum;
      rum.addAction!('secret');
      rum.addAction!('visible');
      await fetch('/api/ping');
    });
    await h.backend.waitFor(() => actionNames().includes('visible'));
    expect(actionNames()).not.toContain('secret');
    expect(h.named(EventName.ACTION)[0]!.attributes.team).toBe('checkout');
    // Traces sampled out: the backend is told (flag 00) and no span is exported.
    expect(headers[0]).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
    await other.waitForTimeout(300);
    expect(h.backend.spans()).toHaveLength(0);
  });

  it('the async loader snippet queues calls made before the bundle loads', async () => {
    h.backend.serve(
      '/loader',
      `<!doctype html><html><head>
       <script src="/loader.min.js" data-src="/otel-rum.min.js"></script>
       <script>
         OtelRum.init(${JSON.stringify(h.options())});
         OtelRum.setUser({ id: 'u-1', email: 'ann@example.com' });
         OtelRum.addAction('queued-early');
         OtelRum.onReady(function () { window.__ready = typeof OtelRum.getSessionId(); });
       </script></head><body></body></html>`,
    );
    await h.page.goto(`${h.backend.url}/loader`);
    await h.backend.waitFor(() => actionNames().includes('queued-early'));
    const action = h.named(EventName.ACTION)[0]!;
    expect(action.attributes['user.id']).toBe('u-1');
    expect(action.attributes['user.email']).toBe('ann@example.com');
    expect(await h.page.evaluate(() => (window as unknown as { __ready: string }).__ready)).toBe('string');
  });
});
