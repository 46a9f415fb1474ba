/*
 * The async loader snippet (dist/cdn/loader.min.js). Paste it inline: it defines a stub `OtelRum` whose
 * methods queue their calls, then loads the bundle without blocking the page; the bundle replays the
 * queue. The bundle URL is the script's data-src attribute, else otel-rum.min.js beside the loader.
 */
type Stub = Record<string, unknown> & { q: [string, IArguments][]; r: (() => void)[] };

((w: Window & { OtelRum?: Stub }, d: Document) => {
  if (w.OtelRum) return;
  const stub: Stub = { q: [], r: [] };
  w.OtelRum = stub;
  for (const m of [
    'init',
    'setConsent',
    'addAction',
    'addError',
    'setUser',
    'setGlobalAttributes',
    'startView',
    'getSessionId',
    'flush',
    'shutdown',
  ])
    stub[m] = function () {
      // eslint-disable-next-line prefer-rest-params
      stub.q.push([m, arguments]);
    };
  stub.onReady = (cb: () => void) => stub.r.push(cb);
  const me = d.currentScript as HTMLScriptElement | null;
  const script = d.createElement('script');
  script.async = true;
  script.src =
    me?.getAttribute('data-src') || (me?.src || '').replace(/[^/?#]*([?#].*)?$/, '') + 'otel-rum.min.js';
  (d.head || d.documentElement).appendChild(script);
})(window, document);
