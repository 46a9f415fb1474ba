/*
 * A backend service instrumented with the OpenTelemetry Node SDK, run as its own process by
 * tests/collector.e2e.test.ts. It serves a shop page carrying the otel-rum SDK (which sends to the
 * collector) and the API the page fetches; its spans go to the collector over OTLP/HTTP.
 *
 * Environment: PORT (where to listen), OTLP_ENDPOINT (the collector's base URL), SDK_BUNDLE (path
 * of otel-rum.min.js), APP_ID (the RUM application), optionally SERVICE_VERSION (the page's
 * service.version) and REPLAY=1 (every session recorded; the recorder is served from beside the
 * bundle). Prints "listening <port>" once ready.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { trace } from '@opentelemetry/api';

const { PORT, OTLP_ENDPOINT, SDK_BUNDLE, APP_ID, SERVICE_VERSION, REPLAY } = process.env;
if (!PORT || !OTLP_ENDPOINT || !SDK_BUNDLE || !APP_ID) {
  console.error('instrumented-backend: PORT, OTLP_ENDPOINT, SDK_BUNDLE and APP_ID are required');
  process.exit(2);
}

const sdk = new NodeSDK({
  resource: resourceFromAttributes({ 'service.name': 'checkout-backend' }),
  spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${OTLP_ENDPOINT}/v1/traces` }))],
  instrumentations: [new HttpInstrumentation()],
});
sdk.start();

// Required after sdk.start() so that the http instrumentation patches the module.
const http = createRequire(import.meta.url)('node:http');

const page = `<!doctype html>
<html><head><meta charset="utf-8"><title>shop</title>
<script src="/otel-rum.min.js"></script>
<script>
  OtelRum.init({ appId: ${JSON.stringify(APP_ID)}, endpoint: ${JSON.stringify(OTLP_ENDPOINT)},
    service: { name: 'shop-web', version: ${JSON.stringify(SERVICE_VERSION ?? '')} || undefined },
    flushIntervalMs: 200, replaySampleRate: ${REPLAY === '1' ? 100 : 0} });
</script></head>
<body><button id="pay">Pay</button><pre id="out"></pre>
<script>
  document.getElementById('pay').addEventListener('click', async () => {
    const r = await fetch('/api/checkout', { method: 'POST' });
    document.getElementById('out').textContent = await r.text();
  });
</script></body></html>`;

const server = http.createServer((req, res) => {
  if (req.url === '/') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(page);
  } else if (req.url === '/otel-rum.min.js') {
    res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
    res.end(readFileSync(SDK_BUNDLE));
  } else if (req.url === '/otel-rum-replay.min.js') {
    res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
    res.end(readFileSync(join(dirname(SDK_BUNDLE), 'otel-rum-replay.min.js')));
  } else if (req.url === '/api/checkout') {
    // The server span of this request, child of the browser's fetch span via traceparent.
    const ctx = trace.getActiveSpan()?.spanContext();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        traceparent: req.headers.traceparent ?? null,
        traceId: ctx?.traceId,
        spanId: ctx?.spanId,
      }),
    );
  } else {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end(`no route ${req.url}`);
  }
});
server.listen(Number(PORT), '127.0.0.1', () => console.log(`listening ${PORT}`));

// Spans are exported as they end (SimpleSpanProcessor), so stopping only closes the listener.
const stop = () => {
  server.close();
  server.closeAllConnections();
  sdk.shutdown().finally(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
