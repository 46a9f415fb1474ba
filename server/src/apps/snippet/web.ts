import { jsString, percent, type Snippet, type SnippetContext } from './snippet';

function initOptions({ app, endpoint }: SnippetContext, indent: string): string {
  return [
    `appId: ${jsString(app.appId)},`,
    `endpoint: ${jsString(endpoint)},`,
    `service: { name: ${jsString(app.appId)}, version: '1.0.0' },`,
    `sessionSampleRate: ${percent(app.sessionSampleRate)}, // percent of sessions recorded`,
    `traceSampleRate: ${percent(app.traceSampleRate)}, // percent of fetch/XHR calls traced to the backend`,
    `// Backends that should get traceparent, so their spans join the page's traces:`,
    `// allowedTracingUrls: ['https://api.example.com'],`,
  ]
    .map((l) => indent + l)
    .join('\n');
}

/**
 * The browser SDK two ways: the npm package, and the async loader pasted into the page, which queues
 * calls until the bundle (served by this server at /sdk/otel-rum.min.js) has loaded.
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
  ];
}
