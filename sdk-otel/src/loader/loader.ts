/*
 * The async loader snippet (dist/cdn/loader.min.js). Paste it inline: it defines a call queue as `OtelRum`,
 * whose methods record their calls, then loads the bundle without blocking the page; the bundle replays the
 * queue. The bundle URL is the script's data-src attribute, else otel-rum.min.js beside the loader.
 */
type CallQueue = Record<string, unknown> & { q: [string, IArguments][]; r: (() => void)[] };

((w: Window & { OtelRum?: CallQueue }, d: Document) => {
  if (w.OtelRum) return;
  const queue: CallQueue = { q: [], r: [] };
  w.OtelRum = queue;
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
    queue[m] = function () {
      // eslint-disable-next-line prefer-rest-params
      queue.q.push([m, arguments]);
    };
  queue.onReady = (cb: () => void) => queue.r.push(cb);
  const me = d.currentScript as HTMLScriptElement | null;
  const script = d.createElement('script');
  script.async = true;
  script.src =
    me?.getAttribute('data-src') || (me?.src || '').replace(/[^/?#]*([?#].*)?$/, '') + 'otel-rum.min.js';
  (d.head || d.documentElement).appendChild(script);
})(window, document);
