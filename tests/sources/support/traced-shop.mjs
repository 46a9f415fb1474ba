/*
 * A shop's backend instrumented with the OpenTelemetry Node SDK (http instrumentation), run as its own
 * process by tests/sources/faro.test.ts: it serves the shop's files (a JSON map of path to content in
 * SITE_FILE) and the JSON API the page fetches, and exports its server spans to OTLP_ENDPOINT. Each API
 * answer says which span served it. Environment: PORT, OTLP_ENDPOINT, SITE_FILE. Prints
 * "listening <port>" once ready.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { trace } from '@opentelemetry/api';

const { PORT, OTLP_ENDPOINT, SITE_FILE } = process.env;
if (!PORT || !OTLP_ENDPOINT || !SITE_FILE) {
  console.error('traced-shop: PORT, OTLP_ENDPOINT and SITE_FILE are required');
  process.exit(2);
}
const files = JSON.parse(readFileSync(SITE_FILE, 'utf8'));
const TYPES = { html: 'text/html; charset=utf-8', js: 'text/javascript; charset=utf-8', css: 'text/css' };

const sdk = new NodeSDK({
  resource: resourceFromAttributes({ 'service.name': 'shop-api' }),
  spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${OTLP_ENDPOINT}/v1/traces` }))],
  instrumentations: [new HttpInstrumentation()],
});
sdk.start();

// Required after sdk.start() so that the http instrumentation patches the module.
const http = createRequire(import.meta.url)('node:http');

const server = http.createServer((req, res) => {
  const path = new URL(req.url ?? '/', 'http://shop.test').pathname;
  if (path === '/api/items') {
    const ctx = trace.getActiveSpan()?.spanContext();
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify({ items: ['tea', 'coffee'], traceId: ctx?.traceId, spanId: ctx?.spanId }));
    }, 40);
    return;
  }
  const body = files[path === '/' ? '/index.html' : path];
  if (body === undefined) {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end(`no ${path} on the shop`);
    return;
  }
  res.writeHead(200, {
    'content-type': TYPES[path.split('.').pop()] ?? 'application/octet-stream',
    'cache-control': 'no-store',
  });
  res.end(body);
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
