import type { RequestTracer } from './requestTracer';

/** Wraps window.fetch so that every request gets a client span and, where allowed, trace headers. */
export function instrumentFetch(trace: RequestTracer): () => void {
  const original = globalThis.fetch;
  if (typeof original !== 'function') return () => undefined;
  const patched = function (input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const isRequest = typeof Request !== 'undefined' && input instanceof Request;
    const method = String(init?.method || (isRequest ? (input as Request).method : 'GET')).toUpperCase();
    const url = isRequest ? (input as Request).url : String(input);
    let span: ReturnType<RequestTracer> | undefined;
    try {
      span = trace(method, url);
      if (span?.headers) {
        const headers = new Headers(init?.headers ?? (isRequest ? (input as Request).headers : undefined));
        for (const name in span.headers) headers.set(name, span.headers[name]!);
        init = { ...init, headers };
      }
    } catch {
      // never let tracing break the application's request
    }
    let promise: Promise<Response>;
    try {
      promise = original.call(globalThis, input, init);
    } catch (e) {
      span?.end(0, String(e));
      throw e;
    }
    promise.then(
      (res) => span?.end(res.status),
      (err: unknown) => span?.end(0, err instanceof Error ? err.message : String(err)),
    );
    return promise;
  };
  globalThis.fetch = patched as typeof fetch;
  return () => {
    if (globalThis.fetch === patched) globalThis.fetch = original;
  };
}
