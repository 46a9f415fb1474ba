import * as M from '@otel-rum/model';
import { jsString, type Snippet, type SnippetContext } from './snippet';

/*
 * JavaScript apps outside the browser (React Native, mini programs, uni-app): the OpenTelemetry JS SDK
 * with a small rum.js of helpers. The SDK has no screen, tap or crash instrumentation there, so rum.js
 * writes them as the spans the server maps for native apps (server/src/ingest/normalize/README.md,
 * "Native apps"): rum.view per screen, rum.action per tap, a client span per request (with traceparent,
 * so the backend's spans join it), app.crash with the exception.
 */

const PACKAGES =
  '@opentelemetry/api @opentelemetry/core @opentelemetry/resources @opentelemetry/sdk-trace-base';

/** What the OpenTelemetry JS SDK cannot send from these runtimes, so which panels stay empty. */
const JS_LIMITS = `Not sent by the OpenTelemetry JS SDK here, so these panels stay empty:
- web vitals and long tasks (browser-only APIs);
- the phases of a request (DNS, TLS, first byte): the runtime does not time them;
- native crashes and ANRs of the host app: only JavaScript errors reach the error handler;
- sessions: the SDK has none; the server derives them (same address and user agent, 30-minute windows).
Screens, taps and requests are sent only where your code calls showScreen, tap and request.`;

function provider({ app }: SnippetContext, exporter: string, resource: string): string {
  return `export const provider = new BasicTracerProvider({
  resource: resourceFromAttributes({
    ${jsString(M.RUM_APP_ID)}: ${jsString(app.appId)},
    ${jsString(M.SERVICE_NAME)}: ${jsString(app.appId)},
${resource}  }),
  sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(${app.traceSampleRate}) }),
  spanProcessors: [new BatchSpanProcessor(${exporter})],
});
trace.setGlobalTracerProvider(provider);
`;
}

const SDK_IMPORTS = `import { trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-base';
`;

/**
 * rum.js: screens, taps, requests and crashes as spans. `send` is the body of the request helper,
 * which differs by runtime; `onCrash` installs the runtime's error handler.
 */
function helpers(send: string, onCrash: string): string {
  const a = (name: string) => jsString(name);
  return `import { context, defaultTextMapSetter, trace, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { provider } from './otel';

const tracer = trace.getTracer('rum');
const propagator = new W3CTraceContextPropagator();
let screen = null;
let screenName;
let started = false;

/** Call when a screen is shown (a page's onShow, a navigation listener). The first one is the app start. */
export function showScreen(name) {
  const first = !started;
  started = true;
  screenName = name;
  screen?.end();
  screen = tracer.startSpan(${a(M.EventName.VIEW)}, {
    attributes: {
      ${a(M.APP_SCREEN_NAME)}: name,
      ${a(M.RUM_VIEW_LOADING_TYPE)}: first ? 'app_start' : 'route_change',
      // The first screen: time since the JavaScript runtime started.
      ...(first ? { ${a(M.RUM_VIEW_LOADING_TIME)}: performance.now() } : {}),
    },
  });
}

/** Call in a tap handler. Pass what it returns to request() to link the request to the tap. */
export function tap(name, id) {
  const span = tracer.startSpan(${a(M.EventName.ACTION)}, {
    attributes: { ${a(M.APP_WIDGET_NAME)}: name, ...(id ? { ${a(M.APP_WIDGET_ID)}: String(id) } : {}) },
  });
  span.end();
  return trace.setSpan(context.active(), span);
}

function startRequest(method, url, parent) {
  const span = tracer.startSpan(
    method,
    { kind: SpanKind.CLIENT, attributes: { ${a(M.HTTP_REQUEST_METHOD)}: method, ${a(M.URL_FULL)}: url } },
    parent,
  );
  const headers = {};
  propagator.inject(trace.setSpan(parent, span), headers, defaultTextMapSetter);
  return { span, headers };
}

function endRequest(span, status, error) {
  if (status) span.setAttribute(${a(M.HTTP_RESPONSE_STATUS_CODE)}, status);
  if (error || status >= 500) span.setStatus({ code: SpanStatusCode.ERROR, message: error });
  span.end();
}

${send}
/** Records an error the app did not catch, and sends it at once (the app may be about to close). */
export function recordCrash(error) {
  screen?.end();
  screen = null;
  // The runtime gives an Error, or (mini programs) its text: "TypeError: message" then the stack.
  const text = error instanceof Error ? null : String(error);
  const [, type, message] = /^([\\w$.]+): (.*)$/.exec(text?.split('\\n')[0] ?? '') ?? [];
  const span = tracer.startSpan(${a(M.AppEventName.APP_CRASH)});
  span.addEvent(${a(M.EventName.EXCEPTION)}, {
    ${a(M.EXCEPTION_TYPE)}: text === null ? error.name : (type ?? 'Error'),
    ${a(M.EXCEPTION_MESSAGE)}: text === null ? error.message : (message ?? text.split('\\n')[0]),
    ${a(M.EXCEPTION_STACKTRACE)}: text ?? error.stack ?? '',
    ${a(M.APP_SCREEN_NAME)}: screenName,
  });
  span.end();
  return provider.forceFlush();
}

${onCrash}`;
}

/** React Native: fetch exists, so the SDK's OTLP/HTTP exporter sends as it does in a browser. */
export function reactNativeSnippets(ctx: SnippetContext): Snippet[] {
  const resource = `    // Your app's version (as in app.json): the dashboards' version filter.
    ${jsString(M.SERVICE_VERSION)}: '1.0.0',
    ${jsString(M.OS_NAME)}: Platform.OS === 'ios' ? 'iOS' : Platform.OS === 'android' ? 'Android' : Platform.OS,
    ${jsString(M.OS_VERSION)}: String(Platform.Version),
`;
  const send = `/** fetch, traced: a client span with traceparent on the request. */
export async function request(url, init = {}, parent = context.active()) {
  const method = (init.method ?? 'GET').toUpperCase();
  const { span, headers } = startRequest(method, url, parent);
  try {
    const res = await fetch(url, { ...init, headers: { ...init.headers, ...headers } });
    endRequest(span, res.status);
    return res;
  } catch (e) {
    endRequest(span, 0, String(e));
    throw e;
  }
}
`;
  const onCrash = `const previous = ErrorUtils.getGlobalHandler();
ErrorUtils.setGlobalHandler((error, isFatal) => {
  recordCrash(error).finally(() => previous(error, isFatal));
});
`;
  return [
    {
      id: 'install',
      title: 'Install the OpenTelemetry JS SDK',
      language: 'shell',
      code: `npm install ${PACKAGES} @opentelemetry/exporter-trace-otlp-http`,
    },
    {
      id: 'init',
      title: 'otel.js: import it first in index.js',
      language: 'javascript',
      code:
        `import { Platform } from 'react-native';\n` +
        SDK_IMPORTS +
        `import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';\n\n` +
        provider(ctx, `new OTLPTraceExporter({ url: ${jsString(`${ctx.endpoint}/v1/traces`)} })`, resource),
    },
    {
      id: 'rum',
      title:
        'rum.js: call showScreen(name) when a screen is shown (a navigation state listener), tap(name) in press handlers, request() instead of fetch',
      language: 'javascript',
      code: helpers(send, onCrash),
    },
    { id: 'limits', title: 'What this setup cannot send', language: 'text', code: JS_LIMITS },
  ];
}

/**
 * Mini programs (WeChat: wx, and the same API on other hosts) and uni-app (uni) have neither fetch nor
 * XMLHttpRequest: a small exporter sends the SDK's OTLP/JSON with the platform's request function.
 */
export function miniProgramSnippets(ctx: SnippetContext, api: 'wx' | 'uni'): Snippet[] {
  const url = `${ctx.endpoint}/v1/traces`;
  const version =
    api === 'wx' ? 'wx.getAccountInfoSync().miniProgram.version' : 'uni.getAppBaseInfo().appVersion';
  const resource = `    // The released version (empty in development builds): the dashboards' version filter.
    ${jsString(M.SERVICE_VERSION)}: ${version} || 'development',
    ${jsString(M.OS_NAME)}: { ios: 'iOS', android: 'Android' }[device.platform] ?? device.platform,
    ${jsString(M.OS_VERSION)}: String(device.system ?? '').replace(/^\\D+\\s*/, ''),
    ${jsString(M.DEVICE_MODEL_NAME)}: device.model,
    ${jsString(M.DEVICE_MANUFACTURER)}: device.brand,
`;
  const send = `/** ${api}.request, traced: a client span with traceparent on the request. */
export function request(options, parent = context.active()) {
  const method = (options.method ?? 'GET').toUpperCase();
  const { span, headers } = startRequest(method, options.url, parent);
  return ${api}.request({
    ...options,
    header: { ...options.header, ...headers },
    success: (res) => {
      endRequest(span, res.statusCode);
      options.success?.(res);
    },
    fail: (err) => {
      endRequest(span, 0, err.errMsg);
      options.fail?.(err);
    },
  });
}
`;
  const onCrash = `${api}.onError((error) => {
  recordCrash(error);
});
`;
  return [
    {
      id: 'install',
      title: 'Install the OpenTelemetry JS SDK (then build npm packages in the developer tool)',
      language: 'shell',
      code: `npm install ${PACKAGES} @opentelemetry/otlp-transformer`,
    },
    {
      id: 'env',
      title: 'otel-env.js: the clock the SDK reads, where the runtime has none',
      language: 'javascript',
      code: `if (typeof globalThis.performance === 'undefined') {
  const timeOrigin = Date.now();
  globalThis.performance = { timeOrigin, now: () => Date.now() - timeOrigin };
}
`,
    },
    {
      id: 'init',
      title: `otel.js: import it first in ${api === 'wx' ? 'app.js' : 'main.js'}; allow ${ctx.endpoint} as a request domain of the ${api === 'wx' ? 'mini program' : 'app'}`,
      language: 'javascript',
      code:
        `import './otel-env';\n` +
        SDK_IMPORTS +
        `import { ExportResultCode } from '@opentelemetry/core';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';

const device = (${api}.getDeviceInfo ?? ${api}.getSystemInfoSync)();

const exporter = {
  export(spans, done) {
    const body = JsonTraceSerializer.serializeRequest(spans);
    ${api}.request({
      url: ${jsString(url)},
      method: 'POST',
      header: { 'content-type': 'application/json' },
      data: body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength),
      success: (res) => done({ code: res.statusCode < 300 ? ExportResultCode.SUCCESS : ExportResultCode.FAILED }),
      fail: (err) => done({ code: ExportResultCode.FAILED, error: new Error(err.errMsg) }),
    });
  },
  shutdown: () => Promise.resolve(),
};

` +
        provider(ctx, 'exporter', resource),
    },
    {
      id: 'rum',
      title: `rum.js: call showScreen(name) in each page's onShow, tap(name) in tap handlers, request() instead of ${api}.request`,
      language: 'javascript',
      code: helpers(send, onCrash),
    },
    { id: 'limits', title: 'What this setup cannot send', language: 'text', code: JS_LIMITS },
  ];
}
