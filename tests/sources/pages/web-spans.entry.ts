/*
 * A page instrumented only with the upstream OpenTelemetry JS web instrumentations, set up as their
 * READMEs show: WebTracerProvider, a batch processor and an OTLP/HTTP trace exporter (JSON or
 * protobuf), document-load, fetch, XHR, user-interaction and long-task. Nothing of ours runs here.
 *
 * None of those instrumentations reports errors, so the page does what an application that uses spans
 * alone does: it runs the failing work in a span of its own and records the exception on it
 * (span.recordException), which gives that span an `exception` event. (It does not rethrow: the
 * user-interaction instrumentation, without zone.js, ends the click span only when the listener returns.)
 */
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { DocumentLoadInstrumentation } from '@opentelemetry/instrumentation-document-load';
import { FetchInstrumentation } from '@opentelemetry/instrumentation-fetch';
import { LongTaskInstrumentation } from '@opentelemetry/instrumentation-long-task';
import { UserInteractionInstrumentation } from '@opentelemetry/instrumentation-user-interaction';
import { XMLHttpRequestInstrumentation } from '@opentelemetry/instrumentation-xml-http-request';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, WebTracerProvider } from '@opentelemetry/sdk-trace-web';
import { expose, pageConfig } from './config';

const cfg = pageConfig();
const url = `${cfg.endpoint}/v1/traces`;
const exporter =
  cfg.protocol === 'protobuf' ? new ProtoTraceExporter({ url }) : new JsonTraceExporter({ url });
const provider = new WebTracerProvider({
  resource: resourceFromAttributes(cfg.resource),
  spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 250 })],
});
provider.register();

registerInstrumentations({
  instrumentations: [
    new DocumentLoadInstrumentation(),
    new FetchInstrumentation(),
    new XMLHttpRequestInstrumentation(),
    new UserInteractionInstrumentation({ eventNames: ['click'] }),
    new LongTaskInstrumentation(),
  ],
});

expose('rumFlush', () => provider.forceFlush());

function checkout(): never {
  throw new TypeError('card number is not valid');
}

function on(id: string, listener: () => void): void {
  document.getElementById(id)?.addEventListener('click', listener);
}

document.addEventListener('DOMContentLoaded', () => {
  const out = document.getElementById('out')!;
  on('load-items', () => {
    void fetch('/api/items')
      .then((r) => r.json())
      .then((body: { items: string[] }) => {
        out.textContent = body.items.join(', ');
      });
  });
  on('xhr-missing', () => {
    const xhr = new XMLHttpRequest();
    xhr.open('GET', '/api/missing');
    xhr.onload = () => {
      out.textContent = `status ${xhr.status}`;
    };
    xhr.send();
  });
  on('block', () => {
    const until = performance.now() + 150;
    while (performance.now() < until) {
      // A long task: the main thread is busy for 150 ms.
    }
    out.textContent = 'blocked';
  });
  on('pay', () => {
    trace.getTracer('shop-web').startActiveSpan('checkout', (span) => {
      try {
        checkout();
      } catch (e) {
        span.recordException(e as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (e as Error).message });
        out.textContent = (e as Error).message;
      } finally {
        span.end();
      }
    });
  });
});
