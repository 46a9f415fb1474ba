/*
 * The integration snippets the API generates, run for real: the web snippets (npm package bundled as an
 * application would, and the async CDN loader pasted into a page) in Chromium; the JavaScript
 * OpenTelemetry setups (React Native, mini program, uni-app) bundled and run in Node against the
 * server; the environment variables of the "custom" type read by the OpenTelemetry Node SDK; the curl
 * example run by curl. Each must land its data under its application id. Native snippets (Kotlin,
 * Swift, Dart, C++) need toolchains this machine lacks and are only checked for their content in
 * server/src/apps/snippet/snippet.http.test.ts.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import { launchChromium } from './support/chromium';
import { apiFetch, eventually, getJson, startTestServer, type TestServer } from './support/server';
import { startAppServer, type AppServer } from './sources/support/app-server';

jest.setTimeout(60_000);
const run = promisify(execFile);

let server: TestServer;
let browser: Browser;
let scratch: string;
beforeAll(async () => {
  [server, browser] = await Promise.all([
    startTestServer({
      demo: false,
      apps: [
        { appId: 'snip_npm', allowedOrigins: [] },
        { appId: 'snip_cdn', allowedOrigins: [] },
        { appId: 'snip_faro', allowedOrigins: [] },
        { appId: 'snip_rn', type: 'react-native', allowedOrigins: [] },
        { appId: 'snip_wx', type: 'miniapp', allowedOrigins: [] },
        { appId: 'snip_uni', type: 'uniapp', allowedOrigins: [] },
        { appId: 'snip_custom', type: 'custom', allowedOrigins: [] },
      ],
    }),
    launchChromium(),
  ]);
  scratch = mkdtempSync(join(tmpdir(), 'rum-snippets-'));
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

interface Snippet {
  id: string;
  code: string;
}
async function snippets(appId: string, type?: string): Promise<Record<string, string>> {
  const a = await getJson(server.url, `/api/v1/apps/${appId}/snippet${type ? `?type=${type}` : ''}`);
  return Object.fromEntries((a.snippets as Snippet[]).map((s) => [s.id, s.code]));
}

async function allowOrigin(appId: string, origin: string): Promise<void> {
  const res = await apiFetch(server.url, `/api/v1/apps/${appId}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ allowedOrigins: [origin] }),
  });
  expect(res.status).toBe(200);
}

const MODEL_SOURCE = join(__dirname, '..', 'model', 'src', 'index.ts');

/** Bundles a snippet the way an application's build would, resolving packages from this repository. */
async function bundle(
  code: string,
  platform: 'browser' | 'node',
  banner = '',
  alias: Record<string, string> = {},
): Promise<string> {
  const out = await build({
    stdin: { contents: code, resolveDir: __dirname, loader: 'ts', sourcefile: 'snippet.ts' },
    bundle: true,
    write: false,
    format: 'iife',
    platform,
    target: 'es2020',
    logLevel: 'silent',
    banner: { js: banner },
    alias: { '@otel-rum/model': MODEL_SOURCE, ...alias },
  });
  return out.outputFiles[0]!.text;
}

async function sessionsOf(appId: string) {
  return eventually(async () => {
    const s = await getJson(server.url, `/api/v1/sessions?app_id=${appId}`);
    return s.items.length > 0 && s.items[0].viewCount >= 1 ? s.items : undefined;
  });
}

async function visit(app: AppServer, path: string): Promise<void> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(app.url + path);
  await page.waitForFunction(() => (window as unknown as { rumReady?: boolean }).rumReady === true);
  await page.goto('about:blank');
  await page.close();
  expect(errors).toEqual([]);
}

describe('web snippets in Chromium', () => {
  it('the npm package snippet, bundled into the application, records a session', async () => {
    const s = await snippets('snip_npm');
    expect(s.install).toBe('npm install @otel-rum/sdk-otel');
    const script = await bundle(
      `${s.npm}\nimport { getSessionId } from '@otel-rum/sdk-otel';\n` +
        `(window as unknown as { rumReady: boolean }).rumReady = Boolean(getSessionId());\n`,
      'browser',
    );
    const app = await startAppServer({
      files: {
        '/index.html':
          '<!doctype html><html><head><script src="/app.js"></script></head><body>Shop</body></html>',
        '/app.js': script,
      },
    });
    try {
      await allowOrigin('snip_npm', app.url);
      await visit(app, '/index.html');
    } finally {
      await app.close();
    }
    const [session] = await sessionsOf('snip_npm');
    expect(session.userAgent).toContain('Chrome');
  });

  it('the async CDN loader snippet, pasted into the page, loads the SDK from this server and records a session', async () => {
    const s = await snippets('snip_cdn');
    expect(s.cdn).toContain(`data-src="${server.url}/sdk/otel-rum.min.js"`);
    const page =
      `<!doctype html><html><head>${s.cdn}` +
      '<script>OtelRum.onReady(function () { window.rumReady = true; });</script>' +
      '</head><body>Shop</body></html>';
    const app = await startAppServer({ files: { '/index.html': page } });
    try {
      await allowOrigin('snip_cdn', app.url);
      await visit(app, '/index.html');
    } finally {
      await app.close();
    }
    await sessionsOf('snip_cdn');
  });

  it('the Grafana Faro snippet, bundled with the real Faro packages, sends Faro’s data to this application', async () => {
    const s = await snippets('snip_faro');
    expect(s.faro).toContain(`url: '${server.url}/collect/snip_faro'`);
    const script = await bundle(
      `${s.faro}\n(window as unknown as { rumReady: boolean }).rumReady = true;\n`,
      'browser',
    );
    const app = await startAppServer({
      files: {
        '/index.html':
          '<!doctype html><html><head><script src="/app.js"></script></head><body>Shop</body></html>',
        '/app.js': script,
      },
    });
    try {
      await allowOrigin('snip_faro', app.url);
      await visit(app, '/index.html');
    } finally {
      await app.close();
    }
    const [session] = await sessionsOf('snip_faro');
    expect(session.serviceVersion).toBe('1.0.0');
    expect(session.environment).toBe('production');
  });
});

/** Runs a bundled snippet with a span appended, and returns the trace id it printed once flushed. */
async function runWithSpan(code: string, banner = '', alias: Record<string, string> = {}): Promise<string> {
  const script = await bundle(
    `${code}
const span = trace.getTracer('snippet-test').startSpan('checkout');
span.end();
provider.forceFlush().then(() => console.log('TRACE ' + span.spanContext().traceId));
`,
    'browser',
    banner,
    alias,
  );
  const file = join(scratch, `snippet-${Date.now()}-${Math.random().toString(16).slice(2)}.js`);
  writeFileSync(file, script);
  const { stdout } = await run(process.execPath, [file], { timeout: 30_000 });
  const m = /TRACE ([0-9a-f]{32})/.exec(stdout);
  if (!m) throw new Error(`the snippet printed no trace id: ${stdout}`);
  return m[1]!;
}

async function expectSpanOf(appId: string, traceId: string): Promise<void> {
  const trace = await eventually(async () => {
    const res = await apiFetch(server.url, `/api/v1/traces/${traceId}`);
    return res.status === 200 ? res.json() : undefined;
  });
  expect(trace.spans).toEqual([expect.objectContaining({ name: 'checkout', appId })]);
}

/**
 * A mini program's request and device functions (request over node:http, since Node's fetch needs the
 * performance clock), and a runtime without the performance clock, as some mini program hosts are.
 * tests/sources/js-runtimes.test.ts runs the whole guide (screens, taps, requests, crashes).
 */
const miniProgramRuntime = (api: string) => `
delete globalThis.performance;
globalThis.${api} = {
  getDeviceInfo: () => ({ platform: 'ios', system: 'iOS 17.5', model: 'iPhone 15', brand: 'Apple' }),
  getAccountInfoSync: () => ({ miniProgram: { version: '' } }),
  getAppBaseInfo: () => ({ appVersion: '' }),
  request(o) {
    const req = require('node:http').request(o.url, { method: o.method, headers: o.header }, (res) => {
      res.resume();
      res.on('end', () => o.success({ statusCode: res.statusCode }));
    });
    req.on('error', (e) => o.fail({ errMsg: String(e) }));
    req.end(Buffer.from(o.data));
  },
};`;

describe('JavaScript OpenTelemetry snippets', () => {
  it('react-native: the OpenTelemetry JS SDK with the fetch-based OTLP exporter', async () => {
    const s = await snippets('snip_rn');
    expect(s.install).toContain('@opentelemetry/exporter-trace-otlp-http');
    // React Native's Platform module, as the app's bundler resolves it.
    const reactNative = join(scratch, 'react-native.js');
    writeFileSync(reactNative, "export const Platform = { OS: 'android', Version: 34 };\n");
    await expectSpanOf('snip_rn', await runWithSpan(s.init!, '', { 'react-native': reactNative }));
  });

  it.each([
    ['snip_wx', 'wx'],
    ['snip_uni', 'uni'],
  ])(
    '%s: the SDK with the exporter over %s.request, in a runtime without performance',
    async (appId, api) => {
      const s = await snippets(appId);
      const env = `${miniProgramRuntime(api)}\n${s.env}`;
      const code = s.init!.replace("import './otel-env';\n", '');
      await expectSpanOf(appId, await runWithSpan(code, env));
    },
  );
});

describe('the custom snippets', () => {
  it('the OTEL_* environment variables, read by the OpenTelemetry Node SDK, send under the app id', async () => {
    const s = await snippets('snip_custom');
    const env: Record<string, string> = {};
    for (const line of s.env!.trim().split('\n')) {
      const m = /^export (\w+)=(.*)$/.exec(line);
      if (!m) throw new Error(`not an export line: ${line}`);
      env[m[1]!] = m[2]!;
    }
    expect(env.OTEL_RESOURCE_ATTRIBUTES).toBe('rum.app.id=snip_custom,service.name=snip_custom');
    const program = `
const { NodeSDK } = require('@opentelemetry/sdk-node');
const { trace } = require('@opentelemetry/api');
const sdk = new NodeSDK();
sdk.start();
const span = trace.getTracer('snippet-test').startSpan('checkout');
span.end();
sdk.shutdown().then(() => console.log('TRACE ' + span.spanContext().traceId));
`;
    const { stdout } = await run(process.execPath, ['-e', program], {
      cwd: __dirname,
      env: { PATH: process.env.PATH, ...env, OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none' },
      timeout: 30_000,
    });
    const traceId = /TRACE ([0-9a-f]{32})/.exec(stdout)?.[1];
    expect(traceId).toBeDefined();
    await expectSpanOf('snip_custom', traceId!);
  });

  it('the curl example posts an error event that the API then lists', async () => {
    const s = await snippets('snip_custom');
    const { stdout } = await run('sh', ['-c', s.curl!], { timeout: 30_000 });
    expect(JSON.parse(stdout)).toEqual({});
    const errors = await getJson(server.url, '/api/v1/errors?app_id=snip_custom');
    expect(errors.items).toEqual([
      expect.objectContaining({ label: 'hello from curl', sessionId: 'first-session' }),
    ]);
  });
});
