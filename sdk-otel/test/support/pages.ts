/**
 * An HTML page that loads the SDK bundle synchronously and calls init with `options` (JSON), merged
 * with `code` (a JavaScript object literal, for functions such as beforeSend), then runs `extra`.
 */
export function sdkPage(options: Record<string, unknown>, body = '', extra = '', code = '{}'): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>test</title>
<script src="/otel-rum.min.js"></script>
<script>OtelRum.init(Object.assign(${JSON.stringify(options)}, ${code}));${extra}</script>
</head><body>${body}</body></html>`;
}
