/**
 * @otel-rum/sdk-otel/otel: the bridge for apps that use the OpenTelemetry API. Optional, never part
 * of the CDN bundle; needs @opentelemetry/api, sdk-trace-web, resources and exporter-trace-otlp-http.
 */
export { createRumSpanProcessor, type RumContextSource } from './rumSpanProcessor';
export { createRumSampler } from './rumSampler';
export { registerRumTracerProvider, type RumTracerProviderOptions } from './tracerProvider';
