import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { cdnBundle, cdnInputs, esmBuild, loaderSnippet, otelAppBundle, replayChunk } from './support/bundle';

const budget = JSON.parse(readFileSync(join(__dirname, '..', 'size-budget.json'), 'utf8')) as {
  eagerGzipBytes: number;
  goalGzipBytes: number;
  replayChunkGzipBytes: number;
  otelBridgeAppGzipBytes: number;
};
const gzip = (s: string) => gzipSync(Buffer.from(s), { level: 9 }).length;

describe('bundle size', () => {
  it('keeps the eager CDN bundle within its recorded budget (size-budget.json)', () => {
    const size = gzip(cdnBundle());
    expect(budget.eagerGzipBytes).toBeLessThanOrEqual(budget.goalGzipBytes);
    if (size > budget.eagerGzipBytes)
      throw new Error(
        `the eager bundle is ${size} bytes gzip, over its budget of ${budget.eagerGzipBytes} (size-budget.json)`,
      );
  });

  it('keeps the loader snippet small enough to inline', () => {
    expect(gzip(loaderSnippet())).toBeLessThan(600);
  });
});

describe('session replay', () => {
  it('is no part of the eager CDN bundle: the recorder and rrweb are the chunk it loads', () => {
    const eager = cdnInputs();
    expect(eager.some((f) => f.includes('src/replay/startReplay.ts'))).toBe(true);
    expect(eager.filter((f) => f.includes('rrweb') || f.includes('src/replay/recorder.ts'))).toEqual([]);
    const chunk = replayChunk();
    expect(chunk.inputs.some((f) => f.includes('@rrweb/record'))).toBe(true);
    expect(chunk.text).toContain('OtelRumReplay');
  });

  it('is a dynamic import in the ESM build, split into a chunk of its own', () => {
    const files = esmBuild();
    const index = files.find((f) => f.path === 'index.js')!;
    const recorder = files.find((f) => f.path.startsWith('recorder-'))!;
    expect(index.text).toContain(`import("./${recorder.path}")`);
    expect(index.inputs.filter((f) => f.includes('rrweb') || f.includes('replay/recorder'))).toEqual([]);
    expect(recorder.inputs.some((f) => f.includes('@rrweb/record'))).toBe(true);
  });

  it('keeps the replay chunk within its recorded budget (size-budget.json)', () => {
    const size = gzip(replayChunk().text);
    console.log(`replay chunk: ${size} bytes gzip`);
    if (size > budget.replayChunkGzipBytes)
      throw new Error(
        `the replay chunk is ${size} bytes gzip, over its budget of ${budget.replayChunkGzipBytes} (size-budget.json)`,
      );
  });
});

describe('the optional OpenTelemetry bridge (@otel-rum/sdk-otel/otel)', () => {
  it('is no part of the CDN bundle', () => {
    const inputs = cdnInputs();
    expect(inputs.some((f) => f.includes('src/index.ts'))).toBe(true);
    expect(inputs.filter((f) => f.includes('@opentelemetry/') || f.includes('src/otel/'))).toEqual([]);
  });

  it('keeps a minimal app bundle with it within its recorded budget (size-budget.json), one copy of each OTel package', async () => {
    const { text, inputs } = await otelAppBundle({ minify: true });
    const packages = new Set(
      inputs.map((f) => /.*node_modules\/(@opentelemetry\/[^/]+)\//.exec(f)?.[1]).filter(Boolean),
    );
    const copies = new Set(
      inputs.map((f) => /(.*node_modules\/@opentelemetry\/[^/]+)\//.exec(f)?.[1]).filter(Boolean),
    );
    expect(copies.size).toBe(packages.size);
    expect([...packages]).toEqual(
      expect.arrayContaining([
        '@opentelemetry/api',
        '@opentelemetry/sdk-trace-web',
        '@opentelemetry/exporter-trace-otlp-http',
      ]),
    );
    const size = gzip(text);
    const eager = gzip(cdnBundle());
    console.log(
      `app bundle with the /otel bridge: ${size} bytes gzip (the eager CDN bundle alone: ${eager}); packages: ${[...packages].join(', ')}`,
    );
    if (size > budget.otelBridgeAppGzipBytes)
      throw new Error(
        `the app bundle with the /otel bridge is ${size} bytes gzip, over its budget of ${budget.otelBridgeAppGzipBytes} (size-budget.json)`,
      );
  });
});
