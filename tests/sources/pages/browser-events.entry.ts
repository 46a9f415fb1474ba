/*
 * A page instrumented only with the OpenTelemetry browser SDK effort's event instrumentations
 * (@opentelemetry/browser-instrumentation: navigation, user action, web vitals, errors, resource and
 * navigation timing), emitting log records through the real @opentelemetry/sdk-logs LoggerProvider and
 * the OTLP/HTTP JSON log exporter, as that package's README sets them up. Nothing of ours runs here.
 */
import { logs } from '@opentelemetry/api-logs';
import { ErrorsInstrumentation } from '@opentelemetry/browser-instrumentation/experimental/errors';
import { NavigationInstrumentation } from '@opentelemetry/browser-instrumentation/experimental/navigation';
import { NavigationTimingInstrumentation } from '@opentelemetry/browser-instrumentation/experimental/navigation-timing';
import { ResourceTimingInstrumentation } from '@opentelemetry/browser-instrumentation/experimental/resource-timing';
import { UserActionInstrumentation } from '@opentelemetry/browser-instrumentation/experimental/user-action';
import { WebVitalsInstrumentation } from '@opentelemetry/browser-instrumentation/experimental/web-vitals';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { expose, pageConfig } from './config';

const cfg = pageConfig();
const url = `${cfg.endpoint}/v1/logs`;
const provider = new LoggerProvider({
  resource: resourceFromAttributes(cfg.resource),
  processors: [
    new BatchLogRecordProcessor({ exporter: new OTLPLogExporter({ url }), scheduledDelayMillis: 250 }),
  ],
});
logs.setGlobalLoggerProvider(provider);

registerInstrumentations({
  loggerProvider: provider,
  instrumentations: [
    new NavigationInstrumentation(),
    new NavigationTimingInstrumentation(),
    // The exporter's own requests are resources too; like any application, leave them out.
    new ResourceTimingInstrumentation({ ignoreUrls: [url] }),
    new UserActionInstrumentation(),
    new WebVitalsInstrumentation(),
    new ErrorsInstrumentation(),
  ],
});

expose('rumFlush', () => provider.forceFlush());

function pay(): never {
  throw new TypeError('payment provider is not configured');
}

function on(id: string, listener: () => void): void {
  document.getElementById(id)?.addEventListener('click', listener);
}

document.addEventListener('DOMContentLoaded', () => {
  const out = document.getElementById('out')!;
  on('buy', () => {
    void fetch('/api/items')
      .then((r) => r.json())
      .then((body: { items: string[] }) => {
        out.textContent = body.items.join(', ');
      });
  });
  on('to-cart', () => {
    history.pushState({}, '', '/cart');
    out.textContent = 'cart';
  });
  on('pay', () => {
    out.textContent = 'paying';
    pay();
  });
  on('later', () => {
    out.textContent = 'later';
    void Promise.reject(new RangeError('delivery date is in the past'));
  });
});
