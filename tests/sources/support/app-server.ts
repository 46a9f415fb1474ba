import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RUM_APP_ID, SERVICE_NAME } from '@otel-rum/model';
import type { PageConfig } from '../pages/config';

/**
 * A tiny web application's own server, on another loopback port than the RUM server (so the browser
 * sends telemetry cross-origin, as in production). It serves the pages and scripts a test gives it and
 * a small JSON API for the page's fetch and XHR calls.
 */
export interface AppServer {
  url: string;
  close(): Promise<void>;
}

export interface AppSite {
  /** Files by path ('/index.html', '/app.js'); the type is taken from the extension. */
  files: Record<string, string>;
}

/** Latency of the JSON API, so that request spans have a measurable duration. */
export const API_DELAY_MS = 40;

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};

function api(path: string, res: ServerResponse): boolean {
  if (path === '/api/items') {
    setTimeout(() => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      res.end(JSON.stringify({ items: ['tea', 'coffee'] }));
    }, API_DELAY_MS);
    return true;
  }
  if (path === '/api/missing') {
    setTimeout(() => {
      res.writeHead(404, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      res.end(JSON.stringify({ error: 'no such item' }));
    }, API_DELAY_MS);
    return true;
  }
  return false;
}

export async function startAppServer(site: AppSite): Promise<AppServer> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://app.test').pathname;
    if (req.method === 'GET' && api(path, res)) return;
    const body = site.files[path === '/' ? '/index.html' : path];
    if (req.method !== 'GET' || body === undefined) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end(`no ${req.method} ${path} on the test application`);
      return;
    }
    const ext = path.split('.').pop() ?? 'html';
    res.writeHead(200, {
      'Content-Type': TYPES[ext] ?? 'application/octet-stream',
      'Cache-Control': 'no-store',
    });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** An HTML page that hands `config` to the bundled script as window.RUM_TEST_CONFIG and loads it. */
export function htmlPage(opts: { title: string; config: unknown; script: string; body: string }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${opts.title}</title>
<link rel="stylesheet" href="/style.css">
<script>window.RUM_TEST_CONFIG = ${JSON.stringify(opts.config)};</script>
<script src="${opts.script}"></script>
</head>
<body>
<h1>${opts.title}</h1>
${opts.body}
</body>
</html>`;
}

/**
 * The shop every source test browses: `/index.html` with the test's buttons, `/next.html` as a second
 * page, the bundled browser entry as `/app.js`, each page configured to send to the RUM server.
 */
export function startShopApp(opts: {
  serverUrl: string;
  appId: string;
  protocol: PageConfig['protocol'];
  script: string;
  body: string;
  faroTransport?: PageConfig['faroTransport'];
}): Promise<AppServer> {
  return startAppServer({ files: shopFiles(opts) });
}

/** The files of the shop: its two pages, the bundled entry as /app.js, a stylesheet. */
export function shopFiles(opts: {
  serverUrl: string;
  appId: string;
  protocol: PageConfig['protocol'];
  script: string;
  body: string;
  faroTransport?: PageConfig['faroTransport'];
}): Record<string, string> {
  const config: PageConfig = {
    endpoint: opts.serverUrl,
    protocol: opts.protocol,
    resource: { [RUM_APP_ID]: opts.appId, [SERVICE_NAME]: 'shop-web' },
    faroTransport: opts.faroTransport,
  };
  return {
    '/index.html': htmlPage({ title: 'Shop', config, script: '/app.js', body: opts.body }),
    '/next.html': htmlPage({ title: 'Next', config, script: '/app.js', body: '<p id="out">next</p>' }),
    '/app.js': opts.script,
    '/style.css': 'body { font-family: sans-serif; }',
  };
}
