import { RUM_APP_ID, SERVICE_NAME } from '@otel-rum/model';
import { jsString, type Snippet, type SnippetContext } from './snippet';

const PACKAGES =
  '@opentelemetry/api @opentelemetry/core @opentelemetry/resources @opentelemetry/sdk-trace-base';

function provider({ app }: SnippetContext, exporter: string): string {
  return `const provider = new BasicTracerProvider({
  resource: resourceFromAttributes({ ${jsString(RUM_APP_ID)}: ${jsString(app.appId)}, ${jsString(SERVICE_NAME)}: ${jsString(app.appId)} }),
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

/** React Native: the OpenTelemetry JS SDK; its OTLP/HTTP exporter sends with fetch, which React Native has. */
export function reactNativeSnippets(ctx: SnippetContext): Snippet[] {
  return [
    {
      id: 'install',
      title: 'Install the OpenTelemetry JS SDK',
      language: 'shell',
      code: `npm install ${PACKAGES} @opentelemetry/exporter-trace-otlp-http`,
    },
    {
      id: 'init',
      title: 'otel.ts: import it first in index.js',
      language: 'typescript',
      code:
        SDK_IMPORTS +
        `import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';\n\n` +
        provider(ctx, `new OTLPTraceExporter({ url: ${jsString(`${ctx.endpoint}/v1/traces`)} })`),
    },
  ];
}

/**
 * Mini programs (WeChat: wx, and the same API on other hosts) and uni-app (uni) have neither fetch nor
 * XMLHttpRequest: a small exporter sends the SDK's OTLP/JSON with the platform's request function.
 */
export function miniProgramSnippets(ctx: SnippetContext, api: 'wx' | 'uni'): Snippet[] {
  const url = `${ctx.endpoint}/v1/traces`;
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
      title: `otel.js: import it first in app.js; allow ${ctx.endpoint} as a request domain of the ${api === 'wx' ? 'mini program' : 'app'}`,
      language: 'javascript',
      code:
        `import './otel-env';\n` +
        SDK_IMPORTS +
        `import { ExportResultCode } from '@opentelemetry/core';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';

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
        provider(ctx, 'exporter'),
    },
  ];
}
