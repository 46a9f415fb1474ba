/*
 * A page instrumented with our SDK (@otel-rum/sdk-otel, bundled from its source) and nothing else:
 * init with the application id and the server as endpoint.
 */
import { RUM_APP_ID } from '@otel-rum/model';
import { flush, init } from '../../../sdk-otel/src/index';
import { expose, pageConfig } from './config';
import { pay } from './shop-errors';

const cfg = pageConfig();
init({
  appId: cfg.resource[RUM_APP_ID]!,
  endpoint: cfg.endpoint,
  service: { name: 'shop-web' },
  flushIntervalMs: 250,
});

expose('rumFlush', () => flush());

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
  on('block', () => {
    const until = performance.now() + 150;
    while (performance.now() < until) {
      // A long task: the main thread is busy for 150 ms.
    }
    out.textContent = 'blocked';
  });
  on('pay', () => {
    out.textContent = 'paying';
    pay();
  });
});
