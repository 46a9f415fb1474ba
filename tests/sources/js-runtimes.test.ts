/*
 * Source: the OpenTelemetry JS SDK in a WeChat mini program, a uni-app app and a React Native app, set
 * up exactly as each application type's integration guide says: the guide's files, as the server
 * serves them, are bundled with the real npm packages (as the app's build would) and run in a fresh
 * JavaScript realm that has only what that runtime gives a script (wx or uni with request, onError and
 * getDeviceInfo; React Native's fetch, ErrorUtils and Platform). A user opens a screen, taps Checkout
 * (a request to a backend traced by the OpenTelemetry Node SDK), opens a second screen and hits an
 * uncaught error, twice. The server must show one session with the two screens, the tap, the request
 * joined to the backend's span, and the crashes grouped into one issue, with the OS and device fields.
 */
import { runInContext, createContext } from 'node:vm';
import type { ChildProcess } from 'node:child_process';
import { build, type Plugin } from 'esbuild';
import * as M from '@otel-rum/model';
import type { RunningServer } from '../../server/src/app';
import { startInstrumentedBackend, stopBackend } from '../support/backend';
import { eventually, getJson, startTestServer } from '../support/server';
import { listEvents } from './support/api';
import { emptyPanels } from './support/dashboard-panels';

jest.setTimeout(60_000);

const BACKEND_PORT = 4700 + (process.pid % 200);
const APPS = [
  { appId: 'wx_shop', type: 'miniapp', api: 'wx' },
  { appId: 'uni_shop', type: 'uniapp', api: 'uni' },
  { appId: 'rn_shop', type: 'react-native', api: null },
] as const;

let server: RunningServer;
let backend: ChildProcess;
beforeAll(async () => {
  server = await startTestServer({ apps: APPS.map(({ appId, type }) => ({ appId, type })) });
  backend = await startInstrumentedBackend(BACKEND_PORT, server.url, 'wx_shop');
});
afterAll(async () => {
  await stopBackend(backend);
  await server?.close();
});

const BACKEND = `http://127.0.0.1:${BACKEND_PORT}`;

/** The app's own code, using the guide's rum.js as its comments say. */
function appEntry(kind: 'mini' | 'rn'): string {
  const checkout =
    kind === 'mini'
      ? `new Promise((resolve, reject) => request({ url: BACKEND + '/api/checkout', method: 'POST', success: (r) => resolve(r.data), fail: reject }, ctx))`
      : `request(BACKEND + '/api/checkout', { method: 'POST' }, ctx).then((r) => r.json())`;
  return `${kind === 'mini' ? "import './otel-env';\n" : ''}import './otel';
import { showScreen, tap, request } from './rum';

globalThis.runVisit = async () => {
  showScreen('pages/index/index');
  const ctx = tap('Checkout', 'checkout-button');
  const seen = await ${checkout};
  showScreen('pages/cart/cart');
  return seen;
};
globalThis.cartTotal = (items) => {
  if (!items.length) throw new TypeError('cart total of ' + items.length + ' items is NaN');
};
`;
}

/** Serves the guide's files to esbuild by their import names, resolving npm packages from tests/. */
function guideFiles(files: Record<string, string>): Plugin {
  return {
    name: 'guide-files',
    setup(b) {
      b.onResolve({ filter: /^(\.\/(otel-env|otel|rum|app)|react-native)$/ }, (args) => ({
        path: args.path.replace(/^\.\//, ''),
        namespace: 'guide',
      }));
      b.onLoad({ filter: /.*/, namespace: 'guide' }, (args) => {
        const contents = files[args.path];
        if (contents === undefined) throw new Error(`the guide has no file ${args.path}`);
        return { contents, loader: 'js', resolveDir: __dirname };
      });
    },
  };
}

/** Posts with Node's fetch the way wx.request / uni.request answer: statusCode, data parsed as JSON. */
function platformRequest(options: {
  url: string;
  method?: string;
  header?: Record<string, string>;
  data?: ArrayBuffer | string;
  success?: (res: { statusCode: number; data: unknown; header: Record<string, string> }) => void;
  fail?: (err: { errMsg: string }) => void;
}): { abort(): void } {
  fetch(options.url, {
    method: options.method ?? 'GET',
    headers: options.header,
    body: options.data === undefined ? undefined : Buffer.from(options.data as ArrayBuffer),
  })
    .then(async (res) => {
      const text = await res.text();
      let data: unknown = text;
      try {
        data = JSON.parse(text);
      } catch {
        // not JSON: the text, as the platform gives it
      }
      options.success?.({ statusCode: res.status, data, header: Object.fromEntries(res.headers) });
    })
    .catch((e: Error) => options.fail?.({ errMsg: `request:fail ${e.message}` }));
  return { abort() {} };
}

interface Runtime {
  context: ReturnType<typeof createContext>;
  /** Delivers an uncaught error as the runtime does: to the handler the app installed. */
  crash(error: unknown): Promise<void>;
}

function runtimeFor(api: 'wx' | 'uni' | null): Runtime {
  let onError: ((e: unknown) => unknown) | null = null;
  const base = { console, setTimeout, clearTimeout, setInterval, clearInterval, TextEncoder, BACKEND };
  if (api) {
    const platform = {
      request: platformRequest,
      onError: (cb: (e: unknown) => unknown) => (onError = cb),
      getDeviceInfo: () => ({ platform: 'android', system: 'Android 14', model: 'Pixel 8', brand: 'google' }),
      getAccountInfoSync: () => ({
        miniProgram: { appId: 'wx0123456789abcdef', envVersion: 'release', version: '2.3.1' },
      }),
      getAppBaseInfo: () => ({ appName: 'shop', appVersion: '2.3.1' }),
    };
    return {
      context: createContext({ ...base, [api]: platform }),
      // Mini programs hand onError the error's text: its message and stack.
      crash: async (e) => void (await onError?.((e as Error).stack)),
    };
  }
  let handler: (e: unknown, fatal: boolean) => unknown = () => undefined;
  const ErrorUtils = {
    getGlobalHandler: () => handler,
    setGlobalHandler: (h: typeof handler) => (handler = h),
  };
  // React Native has fetch and performance.now(); its global handler gets the Error and isFatal.
  const context = createContext({
    ...base,
    fetch,
    Headers,
    Response,
    URL,
    AbortController,
    performance,
    ErrorUtils,
  });
  return { context, crash: async (e) => void (await handler(e, true)) };
}

const REACT_NATIVE_MODULE = `export const Platform = { OS: 'ios', Version: '17.5' };`;

describe.each(APPS)('the $type guide, run with the OpenTelemetry JS SDK', ({ appId, api }) => {
  let traceId: string;
  let seenByBackend: { traceId: string; traceparent: string };

  beforeAll(async () => {
    const guide = await getJson(server.url, `/api/v1/apps/${appId}/snippet`);
    const code = (id: string): string => {
      const s = guide.snippets.find((x: { id: string }) => x.id === id);
      if (!s) throw new Error(`the ${appId} guide has no ${id} snippet`);
      return s.code;
    };
    const files: Record<string, string> = {
      otel: code('init'),
      rum: code('rum'),
      app: appEntry(api ? 'mini' : 'rn'),
      ...(api ? { 'otel-env': code('env') } : { 'react-native': REACT_NATIVE_MODULE }),
    };
    const bundle = await build({
      stdin: { contents: "import './app';", resolveDir: __dirname, loader: 'js' },
      bundle: true,
      write: false,
      format: 'iife',
      platform: 'browser',
      target: 'es2020',
      logLevel: 'silent',
      plugins: [guideFiles(files)],
    });
    const runtime = runtimeFor(api);
    runInContext(bundle.outputFiles[0]!.text, runtime.context);
    seenByBackend = await runInContext('runVisit()', runtime.context);
    for (let i = 0; i < 2; i++) {
      try {
        // displayErrors off: Node would otherwise write the source line into the error's stack.
        runInContext('cartTotal([])', runtime.context, { displayErrors: false });
      } catch (e) {
        await runtime.crash(e);
      }
    }
  });

  it('sends the two screens, the first as the app start, with the OS and device', async () => {
    const views = await eventually(async () => {
      const v = await listEvents(server.url, 'views', appId);
      return v.length >= 2 ? v : undefined;
    });
    expect(views.map((v) => v.label).sort()).toEqual(['pages/cart/cart', 'pages/index/index']);
    const first = views.find((v) => v.label === 'pages/index/index')!;
    expect(first.type).toBe('app_start');
    expect(first.attributes[M.RUM_VIEW_LOADING_TIME]).toEqual(expect.any(Number));
    expect(first.source).toBe('otel-native');
    expect(first.durationMs).toBeGreaterThanOrEqual(0);
    expect(views.find((v) => v.label === 'pages/cart/cart')!.type).toBe('route_change');
    for (const v of views) {
      expect(v.os).toBe(api ? 'Android' : 'iOS');
      expect(v.device).toBe('mobile');
      expect(v.browser).toBeNull();
    }
    if (api) expect(first.attributes[M.DEVICE_MODEL_NAME]).toBe('Pixel 8');
    expect(first.serviceVersion).toBe(api ? '2.3.1' : '1.0.0');
  });

  it('sends the tap, and the request it made joined to the backend span by traceparent', async () => {
    const [action] = await listEvents(server.url, 'actions', appId);
    expect(action).toMatchObject({ label: 'tap on Checkout', type: 'click' });
    expect(action!.attributes[M.RUM_ACTION_TARGET]).toBe('checkout-button');
    const resources = await listEvents(server.url, 'resources', appId);
    expect(resources).toHaveLength(1);
    const [res] = resources;
    expect(res).toMatchObject({ url: `${BACKEND}/api/checkout`, status: 200, type: 'native' });
    traceId = res!.traceId!;
    expect(traceId).toBe(action!.traceId);
    expect(seenByBackend.traceId).toBe(traceId);
    const spans = await eventually(async () => {
      const t = await getJson(server.url, `/api/v1/traces/${traceId}`);
      return t.spans.length >= 3 ? t.spans : undefined;
    });
    const backendSpan = spans.find((s: { serviceName: string }) => s.serviceName === 'checkout-backend');
    expect(backendSpan).toBeDefined();
    expect(backendSpan.parentSpanId).toBe(res!.spanId);
  });

  it('puts every event in one session, and groups the two crashes into one issue', async () => {
    const sessions = (await getJson(server.url, `/api/v1/sessions?app_id=${appId}`)).items;
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({
      viewCount: 2,
      actionCount: 1,
      resourceCount: 1,
      os: api ? 'Android' : 'iOS',
    });
    const errors = await listEvents(server.url, 'errors', appId);
    expect(errors).toHaveLength(2);
    for (const e of errors) {
      expect(e).toMatchObject({ type: 'TypeError', label: 'cart total of 0 items is NaN' });
      expect(e.attributes).toMatchObject({ [M.RUM_ERROR_SOURCE]: 'crash', [M.RUM_ERROR_HANDLED]: false });
      expect(e.sessionId).toBe(sessions[0].sessionId);
    }
    const issues = (await getJson(server.url, `/api/v1/issues?app_id=${appId}`)).items;
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ type: 'TypeError', count: 2, fingerprint: errors[0]!.fingerprint });
  });

  it('fills the panels of its dashboard but those the JavaScript SDK cannot', async () => {
    // React Native's dashboard is the mobile one, whose device model panels need what Platform lacks.
    const file = api ? 'miniprogram-overview.json' : 'mobile-overview.json';
    const expected = api
      ? ['Failing requests by status']
      : ['Crashes by device model identifier (iOS)', 'Failing requests by status', 'Views by device model'];
    expect(await emptyPanels(server.url, file, appId)).toEqual(expected);
  });
});
