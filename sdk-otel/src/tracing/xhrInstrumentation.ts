import type { RequestTracer } from './requestTracer';

/** Wraps XMLHttpRequest open/send so that every request gets a client span and, where allowed, trace headers. */
export function instrumentXhr(trace: RequestTracer): () => void {
  if (typeof XMLHttpRequest === 'undefined') return () => undefined;
  const proto = XMLHttpRequest.prototype;
  const { open, send } = proto;
  const requests = new WeakMap<XMLHttpRequest, { method: string; url: string }>();
  let active = true;

  proto.open = function (this: XMLHttpRequest, method: string, url: string | URL, ...rest: unknown[]) {
    requests.set(this, { method: String(method).toUpperCase(), url: String(url) });
    return (open as (...a: unknown[]) => void).call(this, method, url, ...rest);
  } as typeof open;

  proto.send = function (this: XMLHttpRequest, body?: Document | XMLHttpRequestBodyInit | null) {
    const request = requests.get(this);
    if (active && request) {
      try {
        const span = trace(request.method, request.url);
        if (span) {
          for (const name in span.headers) this.setRequestHeader(name, span.headers[name]!);
          this.addEventListener('loadend', () => span.end(this.status), { once: true });
        }
      } catch {
        // never let tracing break the application's request
      }
    }
    return send.call(this, body);
  };

  return () => {
    active = false;
    proto.open = open;
    proto.send = send;
  };
}
