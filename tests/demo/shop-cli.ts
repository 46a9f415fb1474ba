/*
 * The demo shop as a service of its own, with its backend traced by the OpenTelemetry Node SDK: the
 * shop of the docker-compose stack, which `npm run demo:traffic -- --shop URL` visits.
 *
 *   node tests/demo/dist/shop-cli.cjs --app demo_shop --endpoint http://collector:4318
 *        [--port 8080] [--host 0.0.0.0] [--traces http://collector:4318]
 *
 * --endpoint is where the shop's pages send RUM data (as the visiting browser reaches it); --traces,
 * when given, where the backend sends its spans over OTLP/HTTP (server spans of every request, with
 * the browser's traceparent as parent, and the spans of the slow and the failing API). Prints
 * "listening <url>" once ready.
 */
import { APP_ID_PATTERN } from '@otel-rum/model';
import type { NodeSDK } from '@opentelemetry/sdk-node';

/** Port the shop listens on when --port is not given. */
const DEFAULT_PORT = 8080;

function fail(message: string): never {
  console.error(`demo shop: ${message}`);
  process.exit(2);
}

function args(argv: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i += 2) {
    const k = argv[i]!;
    if (!k.startsWith('--') || argv[i + 1] === undefined) fail(`expected --name value pairs, got "${k}"`);
    out[k.slice(2)] = argv[i + 1]!;
  }
  return out;
}

function httpUrl(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!/^https?:\/\/[^/]+/.test(value)) fail(`--${name} must be an http(s) URL, got "${value}"`);
  return value.replace(/\/$/, '');
}

/** Starts the Node SDK before the shop's module loads `node:http`, so that its instrumentation applies. */
async function startTracing(endpoint: string): Promise<NodeSDK> {
  // Traces only: the SDK would otherwise start metrics and logs exporters to localhost:4318 too.
  process.env.OTEL_METRICS_EXPORTER ??= 'none';
  process.env.OTEL_LOGS_EXPORTER ??= 'none';
  const { NodeSDK } = await import('@opentelemetry/sdk-node');
  const { HttpInstrumentation } = await import('@opentelemetry/instrumentation-http');
  const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
  const { BatchSpanProcessor } = await import('@opentelemetry/sdk-trace-base');
  const { resourceFromAttributes } = await import('@opentelemetry/resources');
  const sdk = new NodeSDK({
    resource: resourceFromAttributes({
      'service.name': process.env.OTEL_SERVICE_NAME ?? 'demo-shop-api',
      'service.version': '2.1.0',
    }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${endpoint}/v1/traces` }))],
    instrumentations: [
      new HttpInstrumentation({
        // The page's static files are not worth a trace; the API calls are.
        ignoreIncomingRequestHook: (req) => !(req.url ?? '').startsWith('/api/'),
        // The exporter's own requests would trace themselves.
        ignoreOutgoingRequestHook: () => true,
      }),
    ],
  });
  sdk.start();
  return sdk;
}

async function main() {
  const a = args(process.argv.slice(2));
  const appId = a.app ?? 'demo_shop';
  if (!APP_ID_PATTERN.test(appId)) fail(`--app must be letters, digits and _ (at most 48), got "${appId}"`);
  const endpoint =
    httpUrl('endpoint', a.endpoint) ?? fail('--endpoint (where pages send RUM data) is required');
  const traces = httpUrl('traces', a.traces);
  const port = Number(a.port ?? DEFAULT_PORT);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    fail(`--port must be a port number, got "${a.port}"`);
  const sdk = traces ? await startTracing(traces) : undefined;
  const { startShop } = await import('./shop');
  const shop = await startShop({ appId, endpoint, host: a.host ?? '0.0.0.0', port }).catch((e: Error) =>
    fail(`cannot listen on port ${port}: ${e.message}`),
  );
  console.log(`listening ${shop.url}${traces ? ` (backend spans to ${traces})` : ''}`);
  const stop = async () => {
    await shop.close();
    await sdk?.shutdown();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((e) => fail(e instanceof Error ? e.message : String(e)));
