/*
 * A page that combines both upstream families, as the OpenTelemetry browser repository's examples do:
 * span instrumentations (document-load, fetch) through a WebTracerProvider and event instrumentations
 * (navigation, errors) through a LoggerProvider, with @opentelemetry/web-common's session manager
 * (localStorage) and its session span and log record processors, which put `session.id` on every span
 * and log record. Nothing of ours runs here.
 */
import { ErrorsInstrumentation } from '@opentelemetry/browser-instrumentation/experimental/errors';
import { NavigationInstrumentation } from '@opentelemetry/browser-instrumentation/experimental/navigation';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { DocumentLoadInstrumentation } from '@opentelemetry/instrumentation-document-load';
import { FetchInstrumentation } from '@opentelemetry/instrumentation-fetch';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { BatchSpanProcessor, WebTracerProvider } from '@opentelemetry/sdk-trace-web';
import {
  createDefaultSessionIdGenerator,
  createLocalStorageSessionStore,
  createSessionLogRecordProcessor,
  createSessionManager,
  createSessionSpanProcessor,
} from '@opentelemetry/web-common';
import { expose, pageConfig } from './config';

function pay(): never {
  throw new TypeError('payment provider is not configured');
}

function wirePage(): void {
  const out = document.getElementById('out')!;
  document.getElementById('buy')?.addEventListener('click', () => {
    void fetch('/api/items')
      .then((r) => r.json())
      .then((body: { items: string[] }) => {
        out.textContent = body.items.join(', ');
      });
  });
  document.getElementById('pay')?.addEventListener('click', () => {
    out.textContent = 'paying';
    pay();
  });
}

async function main(): Promise<void> {
  const cfg = pageConfig();
  const sessions = createSessionManager({
    sessionIdGenerator: createDefaultSessionIdGenerator(),
    sessionStore: createLocalStorageSessionStore(),
    maxDuration: 4 * 3600,
    inactivityTimeout: 30 * 60,
  });
  await sessions.start();
  const resource = resourceFromAttributes(cfg.resource);
  const tracerProvider = new WebTracerProvider({
    resource,
    spanProcessors: [
      createSessionSpanProcessor(sessions),
      new BatchSpanProcessor(new OTLPTraceExporter({ url: `${cfg.endpoint}/v1/traces` }), {
        scheduledDelayMillis: 250,
      }),
    ],
  });
  tracerProvider.register();
  const loggerProvider = new LoggerProvider({
    resource,
    processors: [
      createSessionLogRecordProcessor(sessions),
      new BatchLogRecordProcessor({
        exporter: new OTLPLogExporter({ url: `${cfg.endpoint}/v1/logs` }),
        scheduledDelayMillis: 250,
      }),
    ],
  });
  registerInstrumentations({
    tracerProvider,
    loggerProvider,
    instrumentations: [
      new DocumentLoadInstrumentation(),
      new FetchInstrumentation(),
      new NavigationInstrumentation(),
      new ErrorsInstrumentation(),
    ],
  });
  expose('rumSessionId', () => sessions.getSessionId());
  expose('rumFlush', () => Promise.all([tracerProvider.forceFlush(), loggerProvider.forceFlush()]));
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', wirePage);
  else wirePage();
}

void main();
