import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  WebTracerProvider,
  type BufferConfig,
  type SDKRegistrationConfig,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-web';
import { getRumContext } from '../index';
import { createRumSampler } from './rumSampler';
import { createRumSpanProcessor, type RumContextSource } from './rumSpanProcessor';

export interface RumTracerProviderOptions {
  /** Where the RUM context comes from; default the SDK's getRumContext (CDN: `OtelRum.getRumContext`). */
  getRumContext?: RumContextSource;
  /** Default: OTLP/HTTP JSON to the SDK's endpoint + /v1/traces with its headers. */
  exporter?: SpanExporter;
  /** BatchSpanProcessor settings (queue size, batch size, delay). */
  batch?: BufferConfig;
  /** More processors, run after the RUM one (they see every span, stamped or not). */
  spanProcessors?: SpanProcessor[];
  /** Passed to WebTracerProvider.register (context manager, propagator). */
  register?: SDKRegistrationConfig;
}

/**
 * Creates a WebTracerProvider whose spans carry the RUM context and go, batched, to the SDK's
 * endpoint with the SDK's Resource, and registers it globally: `trace.getTracer(...)` in app code
 * then yields spans the server links to the session and view. Call after init().
 */
export function registerRumTracerProvider(options: RumTracerProviderOptions = {}): WebTracerProvider {
  const source = options.getRumContext ?? getRumContext;
  if (typeof source !== 'function')
    throw new TypeError('registerRumTracerProvider: options.getRumContext must be a function');
  const rum = source();
  if (!rum)
    throw new Error(
      'registerRumTracerProvider: call init() of @otel-rum/sdk-otel first (the endpoint and resource come from it)',
    );
  const exporter =
    options.exporter ??
    new OTLPTraceExporter({
      url: new URL(rum.endpoint + '/v1/traces', location.href).href,
      headers: rum.headers,
    });
  const resource = Object.fromEntries(
    Object.entries(rum.resource).filter(([, v]) => v !== undefined && v !== null),
  );
  const provider = new WebTracerProvider({
    resource: resourceFromAttributes(resource as never),
    sampler: createRumSampler(source),
    spanProcessors: [
      createRumSpanProcessor(new BatchSpanProcessor(exporter, options.batch), source),
      ...(options.spanProcessors ?? []),
    ],
  });
  provider.register(options.register);
  return provider;
}
