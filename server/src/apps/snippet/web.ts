import { DEFAULT_PRIVACY_LEVEL, FARO_COLLECT_PATH } from '@otel-rum/model';
import { jsString, percent, type Snippet, type SnippetContext } from './snippet';

function initOptions({ app, endpoint }: SnippetContext, indent: string): string {
  return [
    `appId: ${jsString(app.appId)},`,
    `endpoint: ${jsString(endpoint)},`,
    `service: { name: ${jsString(app.appId)}, version: '1.0.0' },`,
    `sessionSampleRate: ${percent(app.sessionSampleRate)}, // percent of sessions recorded`,
    `traceSampleRate: ${percent(app.traceSampleRate)}, // percent of fetch/XHR calls traced to the backend`,
    `replaySampleRate: ${percent(app.replaySampleRate)}, // percent of sessions with session replay`,
    `// Replays and action names: 'mask' (the default) masks every text and input; 'mask-user-input'`,
    `// masks input values only, 'allow' only passwords. Replays say the level they were recorded under.`,
    `// One element and what it holds: data-rum-privacy="allow" | "mask-user-input" | "mask" | "hidden".`,
    `privacy: ${jsString(DEFAULT_PRIVACY_LEVEL)},`,
    `// Backends that should get traceparent, so their spans join the page's traces:`,
    `// allowedTracingUrls: ['https://api.example.com'],`,
  ]
    .map((l) => indent + l)
    .join('\n');
}

/**
 * For applications already instrumented with Grafana Faro: the only change is Faro's URL, the collect
 * URL of this application (server/src/ingest/normalize/README.md has how Faro's data is mapped).
 */
function faroSnippet({ app, endpoint }: SnippetContext): Snippet {
  const collect = `${endpoint}${FARO_COLLECT_PATH}/${encodeURIComponent(app.appId)}`;
  return {
    id: 'faro',
    title: 'Already on Grafana Faro? Point its url at this application',
    language: 'typescript',
    code: `import { getWebInstrumentations, initializeFaro } from '@grafana/faro-web-sdk';
import { TracingInstrumentation } from '@grafana/faro-web-tracing';

initializeFaro({
  // The collect URL of this application: the only change to an existing Faro setup.
  url: ${jsString(collect)},
  app: { name: ${jsString(app.appId)}, version: '1.0.0', environment: 'production' },
  instrumentations: [...getWebInstrumentations(), new TracingInstrumentation()],
  // With Faro's OTLP transport (@grafana/faro-transport-otlp-http) instead of url:
  // transports: [new OtlpHttpTransport({ logsURL: ${jsString(`${collect}/v1/logs`)}, tracesURL: ${jsString(`${collect}/v1/traces`)} })],
});
`,
  };
}

/**
 * The browser SDK two ways: the npm package, and the async loader pasted into the page, which queues
 * calls until the bundle (served by this server at /sdk/otel-rum.min.js) has loaded; and Grafana Faro.
 */
export function webSnippets(ctx: SnippetContext, loaderSource: string): Snippet[] {
  return [
    { id: 'install', title: 'Install the SDK', language: 'shell', code: 'npm install @otel-rum/sdk-otel' },
    {
      id: 'npm',
      title: 'Start it first thing in your application',
      language: 'typescript',
      code: `import { init } from '@otel-rum/sdk-otel';\n\ninit({\n${initOptions(ctx, '  ')}\n});\n`,
    },
    {
      id: 'cdn',
      title: 'Or, without a build step: paste the async loader into <head>',
      language: 'html',
      code:
        `<script data-src="${ctx.endpoint}/sdk/otel-rum.min.js">\n${loaderSource.trim()}\n</script>\n` +
        `<script>\n  OtelRum.init({\n${initOptions(ctx, '    ')}\n  });\n</script>\n`,
    },
    faroSnippet(ctx),
  ];
}
