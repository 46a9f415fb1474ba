import { EventName } from '@otel-rum/model';
import { otelAppBundle } from './support/bundle';
import { useBrowserHarness } from './support/harness';

jest.setTimeout(30_000);

/** What the test page exposes: the SDK, the bridge and @opentelemetry/api, bundled as an app would. */
type AppWindow = {
  App: {
    rum: typeof import('../src/index');
    registerRumTracerProvider: typeof import('../src/otel/index').registerRumTracerProvider;
    trace: typeof import('@opentelemetry/api').trace;
  };
  provider: ReturnType<typeof import('../src/otel/index').registerRumTracerProvider>;
};

const appPage = `<!doctype html><html><head><meta charset="utf-8"><title>app</title>
<script src="/app.js"></script></head><body></body></html>`;

describe('sdk-otel/otel in Chromium: spans of the OpenTelemetry API join the RUM session', () => {
  const h = useBrowserHarness();
  beforeAll(async () => {
    h.backend.serve('/app.js', (await otelAppBundle()).text, 'application/javascript');
    h.backend.serve('/app', appPage);
  });
  const spanNamed = (name: string) => h.backend.spans().find((s) => s.name === name);

  it('stamps a span from trace.getTracer().startActiveSpan with session, view and user, sent to /v1/traces', async () => {
    await h.page.goto(`${h.backend.url}/app`);
    const ids = await h.page.evaluate(async (options) => {
      const w = window as unknown as AppWindow;
      w.App.rum.init(options as never);
      w.App.rum.setUser({ id: 'u-42' });
      w.App.rum.setGlobalAttributes({ 'app.tier': 'gold' });
      w.provider = w.App.registerRumTracerProvider();
      const traceId = w.App.trace.getTracer('app').startActiveSpan('checkout', (span) => {
        span.setAttribute('cart.items', 3);
        span.end();
        return span.spanContext().traceId;
      });
      await w.provider.forceFlush();
      return {
        traceId,
        sessionId: w.App.rum.getSessionId(),
        viewId: w.App.rum.getRumContext()?.span?.viewId,
      };
    }, h.options());
    const span = await h.backend.waitFor(() => spanNamed('checkout'), 10_000, 'the checkout span');
    expect(ids.sessionId).toMatch(/^[0-9a-f]{32}$/);
    expect(span.traceId).toBe(ids.traceId);
    expect(span.attributes).toMatchObject({
      'session.id': ids.sessionId,
      'rum.view.id': ids.viewId,
      'user.id': 'u-42',
      'app.tier': 'gold',
      'cart.items': 3,
    });
    expect(span.resource).toMatchObject({
      'rum.app.id': 'test_app',
      'service.name': 'shop',
      'service.version': '1.2.3',
      'telemetry.sdk.language': 'webjs',
    });
    // The view id is the one of the view the SDK itself reported, not just what the accessor says.
    const view = await h.backend.waitFor(() => h.named(EventName.VIEW)[0], 10_000, 'the view');
    expect(span.attributes['rum.view.id']).toBe(view.attributes['rum.view.id']);
    expect(view.attributes['session.id']).toBe(ids.sessionId);
    const request = h.backend.requests.find((r) => r.path === '/v1/traces' && r.status === 200);
    expect(request).toBeDefined();
  });

  it('drops spans while consent is not granted and in sessions sampled out', async () => {
    await h.page.goto(`${h.backend.url}/app`);
    await h.page.evaluate(async (options) => {
      const w = window as unknown as AppWindow;
      w.App.rum.init({ ...(options as object), trackingConsent: 'not-granted' } as never);
      w.provider = w.App.registerRumTracerProvider();
      const tracer = w.App.trace.getTracer('app');
      tracer.startActiveSpan('before-consent', (span) => span.end());
      // Started with consent, ended after it was revoked: not sent either.
      w.App.rum.setConsent('granted');
      const open = tracer.startSpan('revoked-meanwhile');
      w.App.rum.setConsent('not-granted');
      open.end();
      w.App.rum.setConsent('granted');
      tracer.startActiveSpan('after-consent', (span) => span.end());
      await w.provider.forceFlush();
    }, h.options());
    await h.backend.waitFor(() => spanNamed('after-consent'), 10_000, 'the after-consent span');
    expect(spanNamed('before-consent')).toBeUndefined();
    expect(spanNamed('revoked-meanwhile')).toBeUndefined();

    await h.page.goto(`${h.backend.url}/app`);
    const recorded = await h.page.evaluate(async (options) => {
      const w = window as unknown as AppWindow;
      w.App.rum.init({ ...(options as object), sessionSampleRate: 0 } as never);
      w.provider = w.App.registerRumTracerProvider();
      const span = w.App.trace.getTracer('app').startSpan('sampled-out');
      const recording = span.isRecording();
      span.end();
      w.App.trace.getTracer('app').startSpan('sampled-out-2').end();
      await w.provider.forceFlush();
      return recording;
    }, h.options());
    // The root sampler follows the session's decision: the span is not even recorded.
    expect(recorded).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(spanNamed('sampled-out')).toBeUndefined();
    expect(spanNamed('sampled-out-2')).toBeUndefined();
  });

  it('refuses to register before init, naming what to do', async () => {
    await h.page.goto(`${h.backend.url}/app`);
    const message = await h.page.evaluate(() => {
      try {
        (window as unknown as AppWindow).App.registerRumTracerProvider();
        return 'no error';
      } catch (e) {
        return (e as Error).message;
      }
    });
    expect(message).toContain('call init() of @otel-rum/sdk-otel first');
  });
});
