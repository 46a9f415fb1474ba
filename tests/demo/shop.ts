/*
 * A small shop for scripted visits: a home page, product pages (full loads), a search and a cart as SPA
 * route changes, an API that answers fast, one that answers slowly and a checkout that fails, and a
 * long reviews page (scrolling, a list that grows, a form; the replay bench's session goes there,
 * the scripted visits do not). Each page loads the otel-rum SDK from sdk-otel's build and sends straight to the RUM endpoint given. What a
 * visit exercises is on purpose: resources, a long task and a slow interaction (INP), a layout shift
 * (CLS), a failing request and the error it throws, so that every web dashboard has something to show.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { SpanStatusCode, trace } from '@opentelemetry/api';

/** The repository's root, found upwards from here (this file also runs bundled, from tests/demo/dist). */
function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'sdk-otel', 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

export const SDK_BUNDLE = join(repoRoot(), 'sdk-otel', 'dist', 'cdn', 'otel-rum.min.js');

/** How long the slow API makes its caller wait, ms. */
export const SLOW_API_DELAY_MS = 1200;
/** How long "Add to cart" keeps the main thread busy, ms: a long task and a slow interaction. */
export const ADD_TO_CART_BUSY_MS = 320;

export interface Shop {
  url: string;
  close(): Promise<void>;
}

const PRODUCTS = ['kettle', 'teapot', 'mug', 'grinder'];
/** Reviews on the reviews page at load; "More reviews" adds as many again each time. */
export const REVIEWS_PAGE = 20;

/** The reviews page's body: the list is written by its script, each review's text its own. */
const REVIEWS_BODY = `<ol id="reviews"></ol>
<button id="more">More reviews</button>
<label>Your review <textarea id="review-text"></textarea></label> <button id="post">Post</button>
<a id="home" href="/">Home</a>
<script>
  const reviews = document.getElementById('reviews');
  const who = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara'];
  const what = ['Boils fast', 'Keeps warm for hours', 'Sturdy handle', 'Pours without a drip', 'Fair price'];
  const products = ${JSON.stringify(PRODUCTS)};
  let shown = 0;
  const more = () => {
    for (const end = shown + ${REVIEWS_PAGE}; shown < end; shown++) {
      const li = document.createElement('li');
      li.innerHTML = '<b>' + who[shown % 5] + ' ' + shown + '</b> on the ' + products[shown % products.length] + ': ' +
        what[(shown * 3) % 5] + ', ' + (((shown * 7) % 5) + 1) + ' of 5 stars, bought ' + (1 + (shown % 28)) + ' days ago.';
      reviews.appendChild(li);
    }
  };
  more();
  document.getElementById('more').addEventListener('click', more);
  document.getElementById('post').addEventListener('click', () => {
    const li = document.createElement('li');
    li.textContent = 'You: ' + document.getElementById('review-text').value;
    reviews.insertBefore(li, reviews.firstChild);
    document.getElementById('review-text').value = '';
  });
</script>`;

function page(title: string, body: string, appId: string, endpoint: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:44rem;margin:2rem auto}button{font:inherit}</style>
<script src="/otel-rum.min.js"></script>
<script>
  const shop = window.__shop || {};
  OtelRum.init({ appId: ${JSON.stringify(appId)}, endpoint: ${JSON.stringify(endpoint)},
    service: { name: 'demo-shop', version: shop.version || '1.0.0' }, environment: shop.env || 'production',
    user: shop.user ? { id: shop.user } : undefined, flushIntervalMs: 250,
    replaySampleRate: shop.replay ? 100 : 0 });
</script></head>
<body><h1 id="title">${title}</h1>${body}
<p id="out"></p>
<script>
  const out = document.getElementById('out');
  const on = (id, f) => document.getElementById(id) && document.getElementById(id).addEventListener('click', f);
  on('search', async () => {
    history.pushState({}, '', '/search');
    document.getElementById('title').textContent = 'Search';
    const r = await fetch('/api/products?q=tea');
    out.textContent = (await r.json()).length + ' results';
  });
  on('slow', async () => {
    const r = await fetch('/api/recommendations');
    out.textContent = 'recommended: ' + (await r.json()).join(', ');
  });
  on('add', () => {
    const until = performance.now() + ${ADD_TO_CART_BUSY_MS};
    while (performance.now() < until) {}
    out.textContent = 'added';
  });
  on('cart', () => {
    history.pushState({}, '', '/cart');
    document.getElementById('title').textContent = 'Your cart';
  });
  on('checkout', async () => {
    const r = await fetch('/api/checkout', { method: 'POST' });
    const answer = await r.text();
    if (!r.ok) throw new Error('checkout failed with status ' + r.status + ': ' + answer);
  });
  // A banner that arrives late and pushes the page down: a layout shift.
  setTimeout(() => {
    const b = document.createElement('div');
    b.style.height = '120px';
    b.textContent = 'Free delivery this week';
    document.body.insertBefore(b, document.body.firstChild);
  }, 300);
</script></body></html>`;
}

/**
 * The backend's own work, as spans under the request's server span. They are recorded only when the
 * process registered an OpenTelemetry SDK (tests/demo/shop-cli.ts does, with --traces); otherwise the
 * API's tracer is a no-op.
 */
const tracer = trace.getTracer('demo-shop');

export async function startShop(opts: {
  appId: string;
  endpoint: string;
  sdkBundle?: string;
  /** Where to listen: loopback and a free port unless given. */
  host?: string;
  port?: number;
}): Promise<Shop> {
  const sdk = readFileSync(opts.sdkBundle ?? SDK_BUNDLE);
  // The replay recorder, which the SDK loads from beside itself for sessions recorded.
  const recorder = readFileSync(join(dirname(opts.sdkBundle ?? SDK_BUNDLE), 'otel-rum-replay.min.js'));
  const html = (title: string, body: string) => page(title, body, opts.appId, opts.endpoint);
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://shop');
    const send = (status: number, type: string, body: string | Buffer) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    const product = /^\/products\/(\w+)$/.exec(url.pathname)?.[1];
    if (url.pathname === '/')
      send(
        200,
        'text/html; charset=utf-8',
        html(
          'Demo shop',
          `<nav>${PRODUCTS.map((p) => `<a id="p-${p}" href="/products/${p}">${p}</a>`).join(' ')}</nav>
           <button id="search">Search</button> <button id="slow">Recommendations</button>`,
        ),
      );
    else if (product && PRODUCTS.includes(product))
      send(
        200,
        'text/html; charset=utf-8',
        html(
          `A ${product}`,
          `<p>A fine ${product}.</p><label>Gift message <input id="gift" type="text"></label>
           <button id="add">Add to cart</button> <button id="cart">Cart</button>
           <button id="checkout">Checkout</button> <a id="home" href="/">Home</a>`,
        ),
      );
    else if (url.pathname === '/reviews')
      send(200, 'text/html; charset=utf-8', html('Reviews', REVIEWS_BODY));
    else if (url.pathname === '/otel-rum.min.js') send(200, 'text/javascript; charset=utf-8', sdk);
    else if (url.pathname === '/otel-rum-replay.min.js')
      send(200, 'text/javascript; charset=utf-8', recorder);
    else if (url.pathname === '/api/products')
      send(
        200,
        'application/json',
        JSON.stringify(PRODUCTS.filter((p) => p.includes(url.searchParams.get('q') ?? ''))),
      );
    else if (url.pathname === '/api/recommendations')
      tracer.startActiveSpan('rank recommendations', (span) =>
        setTimeout(() => {
          span.end();
          send(200, 'application/json', JSON.stringify(PRODUCTS.slice(0, 2)));
        }, SLOW_API_DELAY_MS),
      );
    else if (url.pathname === '/api/checkout')
      tracer.startActiveSpan('charge payment provider', (span) => {
        span.setStatus({ code: SpanStatusCode.ERROR, message: 'payment provider unavailable' });
        span.end();
        send(503, 'application/json', '{"error":"payment provider unavailable"}');
      });
    else send(404, 'text/plain', `no route ${url.pathname}`);
  });
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
