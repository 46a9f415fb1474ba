/*
 * A page instrumented only with Grafana Faro (@grafana/faro-web-sdk with its web instrumentations and
 * @grafana/faro-web-tracing), as Faro's README sets it up. `faroTransport` in the page config picks
 * how it sends: Faro's own fetch transport pointed at the server's collect URL (`native`), or
 * @grafana/faro-transport-otlp-http pointed at the server's OTLP paths (`otlp`). Nothing of ours runs.
 */
import { OtlpHttpTransport } from '@grafana/faro-transport-otlp-http';
import { getWebInstrumentations, initializeFaro } from '@grafana/faro-web-sdk';
import { TracingInstrumentation } from '@grafana/faro-web-tracing';
import { RUM_APP_ID } from '@otel-rum/model';
import { expose, pageConfig } from './config';
import { pay } from './shop-errors';

const cfg = pageConfig();
const appId = cfg.resource[RUM_APP_ID]!;
const otlp = cfg.faroTransport === 'otlp';
const base = `${cfg.endpoint}/collect/${appId}`;

const faro = initializeFaro({
  ...(otlp
    ? { transports: [new OtlpHttpTransport({ logsURL: `${base}/v1/logs`, tracesURL: `${base}/v1/traces` })] }
    : { url: base }),
  app: { name: 'shop-web', version: '1.4.2', environment: 'staging' },
  user: { id: 'user-42', username: 'ada' },
  instrumentations: [...getWebInstrumentations(), new TracingInstrumentation()],
  batching: { sendTimeout: 250 },
});

expose('faroSessionId', () => faro.api.getSession()?.id);

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
    faro.api.setView({ name: 'cart' });
    out.textContent = 'cart';
  });
  on('pay', () => {
    out.textContent = 'paying';
    pay();
  });
});
