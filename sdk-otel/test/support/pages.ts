/** An HTML page that loads the SDK bundle synchronously and calls init with `options` (JSON) plus `extra` code. */
export function sdkPage(options: Record<string, unknown>, body = '', extra = ''): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>test</title>
<script src="/otel-rum.min.js"></script>
<script>OtelRum.init(Object.assign(${JSON.stringify(options)}, window.__extraOptions || {}));${extra}</script>
</head><body>${body}</body></html>`;
}
